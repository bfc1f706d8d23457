import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { formatEuros } from '../../src/domain/money.js';

/**
 * The public pages, without login: the published conventions with their filters, each convention's page
 * with its budget per year on both VAT bases, and a page per product summing the conventions that fund it.
 */
describe.each(DATABASES)('public budget pages, on %s', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const page = async (url: string) => {
    const r = await t.app.request(url);
    return { status: r.status, html: await r.text() };
  };

  beforeAll(async () => {
    t = await testApp(kind);
    for (const r of await t.storage.db.selectFrom('convention').select(['id', 'reference']).execute())
      if (r.reference) ids[r.reference] = r.id;
  });
  afterAll(async () => t?.close());

  it('lists only the published conventions, filtered by ministry, year, phase and FAST promotion', async () => {
    const d = demo();
    const { status, html } = await page('/publications');
    expect(status).toBe(200);
    for (const c of [d.msj, d.msp, d.selex, d.classe])
      expect(html).toContain(`/publications/conventions/${ids[c.reference!]}`);
    expect(html).not.toContain(ids[d.atelier.reference!]);
    const justice = await page(`/publications?ministere=${encodeURIComponent(d.msj.delegant.nom)}`);
    expect(justice.html).toContain(ids[d.msj.reference!]);
    expect(justice.html).not.toContain(ids[d.classe.reference!]);
    const an = await page('/publications?annee=2021');
    expect(an.html).toContain(ids[d.msj.reference!]);
    expect(an.html).not.toContain(`/publications/conventions/${ids[d.classe.reference!]}`);
    const phase = await page(`/publications?phase=${d.msj.phase}`);
    expect(phase.html).toContain(ids[d.msj.reference!]);
    if (d.selex.promotionFast) {
      const fast = await page(`/publications?promotion=${encodeURIComponent(d.selex.promotionFast)}`);
      expect(fast.html).toContain(ids[d.selex.reference!]);
      expect(fast.html).not.toContain(`/publications/conventions/${ids[d.msj.reference!]}`);
    }
    const invalide = await page('/publications?annee=deux-mille');
    expect(invalide.status).toBe(200);
    expect(invalide.html).toContain('Certains filtres sont invalides');
  });

  it('shows a convention’s parties, object, term and budget per year in TTC and HT, with a chart', async () => {
    const d = demo();
    const { status, html } = await page(`/publications/conventions/${ids[d.msj.reference!]}`);
    expect(status).toBe(200);
    expect(html).toContain(d.msj.delegant.nom);
    expect(html).toContain(d.msj.delegant.representant!);
    expect(html).toContain('6 mois à compter de la signature');
    // Mon Suivi Justice: 200 000 € TTC made available, committed and paid in 2021; HT at 20 %
    expect(html).toContain(formatEuros(20_000_000));
    expect(html).toContain(formatEuros(16_666_667));
    expect(html.match(/<svg role="img" aria-label="Engagements et paiements cumulés en 2021"/g)).toHaveLength(1);
    expect(html).toContain('Données du graphique (fin de mois)');
    // no agent below the representative: neither who recorded orders nor who certified them
    expect(html).not.toContain('Dominique Budget');
    expect(html).not.toContain('Intrapreneur Mon Suivi Justice');
    expect(html).not.toContain('Système');
  });

  it('gives the orders’ totals by framework contract, net of released AE, cancelled orders left out', async () => {
    const d = demo();
    for (const conv of [d.msj, d.selex]) {
      const id = ids[conv.reference!]!;
      const lignes = await t.storage.db
        .selectFrom('engagement')
        .select(['marche', 'montant_impute', 'libere', 'paye', 'statut'])
        .where('convention_id', '=', id)
        .execute();
      const attendu = new Map<string, { n: number; engage: number; paye: number }>();
      for (const l of lignes) {
        if (l.statut === 'annule') continue;
        const cle = l.marche?.trim() || 'Hors marché-cadre';
        const a = attendu.get(cle) ?? { n: 0, engage: 0, paye: 0 };
        attendu.set(cle, { n: a.n + 1, engage: a.engage + l.montant_impute - l.libere, paye: a.paye + l.paye });
      }
      expect(attendu.size).toBeGreaterThan(0);
      const { html } = await page(`/publications/conventions/${id}`);
      expect(html).toContain('<caption>Commandes par marché</caption>');
      for (const [marche, a] of attendu) {
        const td = (v: string | number) => `<td class="montant">${v}</td>`;
        // the convention's base is TTC: the TTC cells are the amounts as stored
        const debut = `<th scope="row">${marche}</th>${td(a.n)}${td(formatEuros(a.engage))}`;
        expect(html).toContain(debut);
        expect(html.split(debut)[1]).toMatch(new RegExp(`^<td class="montant">[^<]+</td>${td(formatEuros(a.paye))}`));
      }
    }
  });

  it('hides an unpublished or unsigned convention, and a product no published convention funds', async () => {
    const d = demo();
    expect((await page(`/publications/conventions/${ids[d.atelier.reference!]}`)).status).toBe(404);
    expect((await page('/publications/conventions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await page('/publications/conventions/pas-un-uuid')).status).toBe(404);
    expect(
      (await page(`/publications/produits/${encodeURIComponent(d.atelier.produits[0] ?? 'Atelier')}`)).status,
    ).toBe(404);
  });

  it('sums every published convention that funds a product on its page', async () => {
    const d = demo();
    const produit = d.msj.produits[0]!;
    const { status, html } = await page(`/publications/produits/${encodeURIComponent(produit)}`);
    expect(status).toBe(200);
    expect(html).toContain(`<h1>${produit}</h1>`);
    expect(html).toContain(`/publications/conventions/${ids[d.msj.reference!]}`);
    expect(html).toContain(formatEuros(20_000_000));
  });
});
