import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { demo } from '../support/demo.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { DATABASES, contexte } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';
import { Graphique } from '../../src/web/pages/credit-graphique.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

describe.each(DATABASES)('credits pages on %s', (kind) => {
  let t: TestApp;
  let id: string;
  const h = {
    get: (path: string, user?: string) => t.app.request(path, { headers: t.as(user ?? null) }),
    form: (path: string, fields: Record<string, string>, user?: string) =>
      t.app.request(path, {
        method: 'POST',
        headers: t.as(user ?? null, { 'content-type': 'application/x-www-form-urlencoded' }),
        body: form(fields).toString(),
      }),
  };
  beforeAll(async () => {
    t = await testApp(kind);
    const base = demo().atelier;
    id = (await creerConvention(contexte(t.storage), admin, { ...base, reference: 'PAGES' })).convention.id;
  });
  afterAll(async () => t?.close());

  it('shows the credits of a convention by year, its chart with a text alternative, and links from the convention page', async () => {
    const fiche = await (await h.get(`/conventions/${id}`, 'demo-gestionnaire')).text();
    expect(fiche).toContain(`/conventions/${id}/credits`);
    const r = await h.get(`/conventions/${id}/credits`, 'demo-gestionnaire');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Crédits par année');
    expect(html).toMatch(/30\s000,00\s€/);
    expect(html).toContain('<svg role="img" aria-label="Engagements et paiements cumulés en 2026"');
    expect(html).toContain('Données du graphique');
    expect(html).toContain('Projection de fin d’année 2026');
    expect(html).toContain('href="/credits"');
    const anonyme = await h.get(`/conventions/${id}/credits`);
    expect(anonyme.status).toBe(303);
    expect(anonyme.headers.get('location')).toBe(
      `/connexion?retour=${encodeURIComponent(`/conventions/${id}/credits`)}`,
    );
  });

  it('draws the chart of a year on the server: one named image, round euro graduations, unique ids, exact amounts in its table', async () => {
    const autre = (await creerConvention(contexte(t.storage), admin, { ...demo().atelier, reference: 'GRAPHIQUE' }))
      .convention.id;
    const commander = async (montant: string, date: string) => {
      const r = await h.form(
        `/conventions/${autre}/credits/engagements`,
        {
          titulaire: 'Octo',
          objet: 'Ateliers',
          montant_centimes: montant,
          base_montant: 'TTC',
          annee: '2026',
          date_engagement: date,
          produit: 'Atelier numérique',
        },
        'demo-gestionnaire',
      );
      expect(r.status).toBe(303);
      return r.headers.get('location')!.split('?')[0]!;
    };
    await commander('12 345,67', '2026-03-10');
    const bon = await commander('5 000', '2026-06-02');
    expect(
      (
        await h.form(
          `${bon}/service-fait`,
          { mode: 'pourcentage', pourcentage: '100', date: '2026-07-01' },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(303);
    expect(
      (
        await h.form(
          `${bon}/paiement`,
          { montant_centimes: '4 999,99', reference: 'F-9', date: '2026-07-15' },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(303);
    const html = espaces(await (await h.get(`/conventions/${autre}/credits`, 'demo-gestionnaire')).text());
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(1);
    expect(svgs[0]).toContain('role="img"');
    expect(svgs[0]).toContain('aria-label="Engagements et paiements cumulés en 2026"');
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(graduations(svg)).toEqual(['0 €', '10 k€', '20 k€', '30 k€']);
    expect(textes(svg)).toEqual(
      expect.arrayContaining([
        'janv.',
        'févr.',
        'déc.',
        'AE ouvertes : 30 000 €',
        'fin des engagements',
        'fin des paiements',
      ]),
    );
    // every id once in the page, every reference to an id (clip paths, description) to one of them
    idsUniquesEtLabelsRelies(html);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    const references = [...html.matchAll(/url\(#([^)]+)\)|aria-describedby="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(references.length).toBeGreaterThan(1);
    expect(references.filter((r) => !ids.includes(r))).toEqual([]);
    expect(html).toContain(
      'AE engagées cumulées : 17 345,67 € sur 30 000,00 € ouvertes ; CP payés cumulés : 4 999,99 € sur 30 000,00 € ouverts.',
    );
    const ligne = (mois: string) =>
      new RegExp(`<th scope="row">${mois}</th>${'<td class="montant">([^<]*)</td>'.repeat(2)}`).exec(html)?.slice(1);
    expect(html).toContain('Données du graphique (fin de mois)');
    expect(ligne('févr. 2026')).toEqual(['0,00 €', '0,00 €']);
    expect(ligne('mars 2026')).toEqual(['12 345,67 €', '0,00 €']);
    expect(ligne('juin 2026')).toEqual(['17 345,67 €', '0,00 €']);
    expect(ligne('juil. 2026')).toEqual(['17 345,67 €', '4 999,99 €']);
    expect(ligne('déc. 2026')).toEqual(['17 345,67 €', '4 999,99 €']);
  });

  it('graduates the amounts in round euros, in thousands only when every graduation is a whole thousand, and gives each chart its own ids', () => {
    const graphique = (ouvertAe: number, id?: string) =>
      espaces(
        String(
          Graphique({
            serie: [{ date: '2026-04-02', engageAe: 123_456, payeCp: 0 }],
            annee: 2026,
            ouvertAe,
            ouvertCp: 100_000,
            aujourdHui: '2026-11-23',
            limiteAe: '2026-12-12',
            limiteCp: '2026-12-20',
            ...(id ? { id } : {}),
          }),
        ),
      );
    const petit = graphique(125_000);
    expect(graduations(petit)).toEqual(['0 €', '500 €', '1 000 €', '1 500 €']);
    const moyen = graphique(3_750_000);
    expect(graduations(moyen)).toEqual(['0 €', '10 k€', '20 k€', '30 k€', '40 k€']);
    expect(textes(moyen)).toEqual(expect.arrayContaining(['AE ouvertes : 37 500 €', 'CP ouverts : 1 000 €']));
    expect(graduations(graphique(250_000_000))).toEqual(['0 €', '1 M€', '2 M€', '3 M€']);
    // the same chart twice is the same markup; two charts of one page share no id
    expect(graphique(3_750_000)).toBe(moyen);
    const page = graphique(3_750_000, 'graphique-a') + graphique(3_750_000, 'graphique-b');
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(4);
    expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
  });

  it('takes an order from the form, then certifies, pays and closes it', async () => {
    const r = await h.form(
      `/conventions/${id}/credits/engagements`,
      {
        titulaire: 'Octo',
        objet: 'Coaching',
        montant_centimes: '12 000',
        base_montant: 'TTC',
        annee: '2026',
        date_engagement: '2026-11-20',
        produit: 'Atelier numérique',
      },
      'demo-gestionnaire',
    );
    expect(r.status).toBe(303);
    const loc = r.headers.get('location')!;
    expect(loc).toMatch(/\/credits\/engagements\/[0-9a-f-]+\?ok=engagement$/);
    const page = await (await h.get(loc, 'demo-gestionnaire')).text();
    expect(page).toContain('Le bon de commande a été enregistré.');
    expect(page).toContain('BC-2026-0001');
    const base = loc.split('?')[0]!;
    // four forms on the page (certified work, payment, closing, cancelling): each label its own field
    idsUniquesEtLabelsRelies(page);
    expect(
      (
        await h.form(
          `${base}/service-fait`,
          { mode: 'pourcentage', pourcentage: '50', date: '2026-11-21' },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(303);
    const trop = await h.form(
      `${base}/paiement`,
      { montant_centimes: '7 000', reference: 'F-1', date: '2026-11-22' },
      'demo-gestionnaire',
    );
    expect(trop.status).toBe(409);
    expect(await trop.text()).toContain('Un paiement ne peut dépasser le service fait');
    expect(
      (
        await h.form(
          `${base}/paiement`,
          { montant_centimes: '6 000', reference: 'F-1', date: '2026-11-22' },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(303);
    // closing is final: without its box ticked, the page says so and the order stays open
    const sans = await h.form(`${base}/solde`, { motif: 'fin' }, 'demo-gestionnaire');
    expect(sans.status).toBe(400);
    const refus = await sans.text();
    expect(refus).toContain('Cochez la case pour confirmer le solde : il est définitif.');
    expect(refus).toContain('id="f-solde-confirmation-err"');
    expect(refus).toContain('value="fin"');
    expect(await (await h.get(base, 'demo-gestionnaire')).text()).not.toContain('Soldé');
    expect((await h.form(`${base}/solde`, { motif: 'fin', confirmation: 'oui' }, 'demo-gestionnaire')).status).toBe(
      303,
    );
    const apres = await (await h.get(base, 'demo-gestionnaire')).text();
    expect(apres).toContain('Soldé');
    expect(apres).toContain('50 % de la commande');
  });

  it('shows the warnings of an order in the notice of the page it leads to, once, and only after that order', async () => {
    const autre = (await creerConvention(contexte(t.storage), admin, { ...demo().atelier, reference: 'AVIS' }))
      .convention.id;
    // 19 days before the cut-off of 12 December: within the 21 days of warning
    const r = await h.form(
      `/conventions/${autre}/credits/engagements`,
      {
        titulaire: 'Octo',
        objet: 'Atelier de fin d’année',
        montant_centimes: '1 000',
        base_montant: 'TTC',
        annee: '2026',
        date_engagement: '2026-11-23',
        produit: 'Atelier numérique',
      },
      'demo-gestionnaire',
    );
    expect(r.status).toBe(303);
    const loc = r.headers.get('location')!;
    expect(loc).toMatch(/\/credits\/engagements\/[0-9a-f-]+\?ok=engagement$/);
    const avis = r.headers.getSetCookie().find((c) => c.startsWith('delegations_avis='))!;
    expect(avis).toBeDefined();
    expect(avis).toMatch(/; HttpOnly/);
    expect(avis).toMatch(/; SameSite=Lax/);
    expect(avis).toMatch(/; Path=\//);
    expect(avis).toMatch(/; Max-Age=120/);
    expect(avis.length).toBeLessThan(3000);
    const navigateur = { cookie: avis.split(';')[0]! };
    const suivre = async (chemin: string) => {
      const p = await t.app.request(chemin, {
        headers: { cookie: `${t.as('demo-gestionnaire').cookie}; ${navigateur.cookie}` },
      });
      // what a browser does with the answer's cookie: kept, or dropped when it expires at once
      const efface = p.headers.getSetCookie().find((c) => c.startsWith('delegations_avis='));
      if (efface) navigateur.cookie = /Max-Age=0/.test(efface) ? '' : efface.split(';')[0]!;
      return p.text();
    };
    const avertissement = 'Date limite des engagements de l’exercice 2026 : 12 décembre 2026 (dans 19 jours).';
    const page = await suivre(loc);
    expect(page).toContain('Le bon de commande a été enregistré.');
    expect(page).toMatch(
      /<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>Le bon de commande a été enregistré\.<\/p><p id="avis-avertissements"/,
    );
    expect(page).toContain('<p id="avis-avertissements" class="fr-mt-1w fr-mb-0">Points d’attention :</p>');
    expect(page).toContain('<ul aria-labelledby="avis-avertissements">');
    expect(page).toContain(`<li>${avertissement}</li>`);
    expect(navigateur.cookie).toBe('');
    const rechargee = await suivre(loc);
    expect(rechargee).toContain('Le bon de commande a été enregistré.');
    expect(rechargee).not.toContain(avertissement);
    expect(rechargee).not.toContain('Points d’attention');

    // the warnings go with the success they were left for, never with another one nor without one
    const sansCookie = await (await h.get(loc, 'demo-gestionnaire')).text();
    expect(sansCookie).toContain('Le bon de commande a été enregistré.');
    expect(sansCookie).not.toContain('Points d’attention');
    const base = loc.split('?')[0]!;
    navigateur.cookie = avis.split(';')[0]!;
    expect(await suivre(`${base}?ok=paiement`)).not.toContain(avertissement);
    expect(navigateur.cookie).toBe('');
    navigateur.cookie = avis.split(';')[0]!;
    expect(await suivre(base)).not.toContain(avertissement);
  });

  it('shows field errors and refusals in French with the figures', async () => {
    const bad = await h.form(
      `/conventions/${id}/credits/engagements`,
      { titulaire: '', objet: 'x', montant_centimes: 'abc', annee: '2026' },
      'demo-gestionnaire',
    );
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('fr-error-text');
    expect(html).toContain('Montant invalide');
    const trop = await h.form(
      `/conventions/${id}/credits/engagements`,
      { titulaire: 'T', objet: 'x', montant_centimes: '30 000', annee: '2026', date_engagement: '2026-11-20' },
      'demo-gestionnaire',
    );
    expect(trop.status).toBe(409);
    const t = await trop.text();
    expect(t).toMatch(/Crédits insuffisants : 24\s000,00\s€ d’AE/);
    expect(t).toMatch(/il manque 6\s000,00\s€/);
  });

  it('exports the orders and the portfolio as CSV (BOM, semicolons) and XLSX', async () => {
    const c = await h.get(`/conventions/${id}/credits/engagements.csv`, 'demo-gestionnaire');
    expect(c.headers.get('content-type')).toContain('text/csv');
    const octets = new Uint8Array(await c.arrayBuffer());
    expect([...octets.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const txt = new TextDecoder().decode(octets);
    expect(txt.split('\r\n')[0]).toContain('Numéro;Année;Date de la commande;Enregistré le;Titulaire');
    expect(txt).toContain(';12000,00;');
    const x = await h.get(`/credits/portefeuille.xlsx?annee=2026`, 'demo-gestionnaire');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const ws = wb.worksheets[0];
    expect(ws!.getRow(1).getCell(1).value).toBe('Convention');
    const lignes = ws!.getSheetValues().slice(2) as unknown[][];
    expect(lignes.find((l) => l[2] === 'PAGES')![8]).toBe(30000);
    const p = await (await h.get('/credits/portefeuille.csv?role_dinum=delegataire', 'demo-gestionnaire')).text();
    expect(p.split('\r\n').length).toBeGreaterThan(2);
  });

  it('exports dates as date cells in a French format, amounts as euros and statuses as the pages name them', async () => {
    const cellules = async (chemin: string, reference: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await (await h.get(chemin, 'demo-gestionnaire')).arrayBuffer());
      const ws = wb.worksheets[0]!;
      const titres = (ws.getRow(1).values as unknown[]).slice(1);
      const rang = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.values.toString().includes(reference))!;
      return (titre: string) => rang.getCell(titres.indexOf(titre) + 1);
    };
    const e = await cellules(`/conventions/${id}/credits/engagements.xlsx`, 'BC-2026-0001');
    expect(e('Date de la commande').type).toBe(ExcelJS.ValueType.Date);
    expect(e('Date de la commande').value).toEqual(new Date(Date.UTC(2026, 10, 20)));
    expect(e('Date de la commande').numFmt).toBe('dd/mm/yyyy');
    // recorded at the tests' clock, 10:00 UTC, which is 11:00 in Paris in November
    expect(e('Enregistré le').type).toBe(ExcelJS.ValueType.Date);
    expect(e('Enregistré le').value).toEqual(new Date(Date.UTC(2026, 10, 23, 11, 0)));
    expect(e('Enregistré le').numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(e('Montant (€)').type).toBe(ExcelJS.ValueType.Number);
    expect(e('Montant (€)').value).toBe(12000);
    expect(e('Montant (€)').numFmt).toBe('#,##0.00 "€"');
    expect(e('État').value).toBe('Soldé');

    const p = await cellules('/credits/portefeuille.xlsx?annee=2026', 'PAGES');
    expect(p('Statut').value).toBe('En vigueur');
    expect(p('Rôle de la DINUM').value).toBe('DINUM délégataire');
    expect(p('Fin').type).toBe(ExcelJS.ValueType.Date);
    expect(p('Fin').numFmt).toBe('dd/mm/yyyy');
    expect(p('AE ouvertes (€)').value).toBe(30000);

    const csv = await (await h.get(`/conventions/${id}/credits/engagements.csv`, 'demo-gestionnaire')).text();
    const ligne = csv.split('\r\n').find((l) => l.startsWith('BC-2026-0001;'))!;
    expect(ligne).toContain(';2026-11-20;2026-11-23T10:00:00.000Z;');
    expect(ligne.endsWith(';Soldé')).toBe(true);
    const pcsv = await (await h.get('/credits/portefeuille.csv?annee=2026', 'demo-gestionnaire')).text();
    const titres = pcsv.replace('\uFEFF', '').split('\r\n')[0]!.split(';');
    const pages = pcsv
      .split('\r\n')
      .find((l) => l.split(';')[1] === 'PAGES')!
      .split(';');
    expect(pages[titres.indexOf('Statut')]).toBe('En vigueur');
    expect(pages[titres.indexOf('Fin')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pages[titres.indexOf('Rôle de la DINUM')]).toBe('DINUM délégataire');
  });

  it('serves the portfolio with filters and groups, the alerts and the calendar', async () => {
    const p = await h.get('/credits?annee=2026&groupe=promotion_fast', 'demo-gestionnaire');
    expect(p.status).toBe(200);
    const html = await p.text();
    expect(html).toContain('Par promotion fast');
    expect(html).toContain('Atelier numérique');
    const a = await (await h.get('/credits/alertes', 'demo-admin')).text();
    expect(a).toContain('Refus et insuffisances de crédits');
    expect(a).toContain('PLAFOND_AE_DEPASSE');
    expect(a).toContain('Date limite des paiements proche');
    expect(
      (
        await h.form(
          '/credits/calendrier',
          {
            limite_paiements: '11-28',
            limite_engagements: '12-12',
            limite_report: '11-15',
            reprise: '02-01',
            avertissement_jours: '21',
            debut_alertes_sous_consommation: '09-15',
            motif: 'Circulaire',
          },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(403);
    const bad = await h.form(
      '/credits/calendrier',
      {
        limite_paiements: '02-30',
        limite_engagements: '12-12',
        limite_report: '11-15',
        reprise: '02-01',
        avertissement_jours: '21',
        debut_alertes_sous_consommation: '09-15',
      },
      'demo-admin',
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('fr-error-text');
    const ok = await h.form(
      '/credits/calendrier',
      {
        limite_paiements: '11-28',
        limite_engagements: '12-12',
        limite_report: '11-15',
        reprise: '02-01',
        avertissement_jours: '21',
        debut_alertes_sous_consommation: '09-15',
        motif: 'Circulaire',
      },
      'demo-admin',
    );
    expect(ok.status).toBe(303);
    expect(await (await h.get('/credits/calendrier', 'demo-admin')).text()).toContain('value="11-28"');
    expect((await h.get('/credits')).headers.get('location')).toBe('/connexion?retour=%2Fcredits');
  });

  it('gives every decision form of the credits page its own field ids, and shows an error in the form sent only', async () => {
    idsUniquesEtLabelsRelies(await (await h.get(`/conventions/${id}/credits`, 'demo-admin')).text());
    const r = await h.form(
      `/conventions/${id}/credits/report`,
      { annee: '2026', ae_centimes: 'beaucoup', motif: 'Accord du délégant' },
      'demo-gestionnaire',
    );
    expect(r.status).toBe(400);
    const html = await r.text();
    idsUniquesEtLabelsRelies(html);
    expect(html).toContain('id="f-decision-report-ae_centimes-err"');
    expect(html).not.toContain('id="f-decision-restitution-ae_centimes-err"');
    // what was typed comes back in the form sent, not in the return form below it
    expect(html.match(/value="Accord du délégant"/g)).toHaveLength(1);
  });

  it('lets an administrator record decisions and suspend the convention; requires the CSRF token', async () => {
    const r = await h.form(
      `/conventions/${id}/credits/restitution`,
      { annee: '2026', ae_centimes: '1 000', motif: 'Remontée' },
      'demo-gestionnaire',
    );
    expect(r.status).toBe(303);
    expect(
      (await h.form(`/conventions/${id}/credits/suspension`, { motif: 'Insuffisance' }, 'demo-gestionnaire')).status,
    ).toBe(403);
    expect(
      (await h.form(`/conventions/${id}/credits/suspension`, { motif: 'Insuffisance de crédits' }, 'demo-admin'))
        .status,
    ).toBe(303);
    const refus = await h.form(
      `/conventions/${id}/credits/engagements`,
      { titulaire: 'T', objet: 'x', montant_centimes: '1', annee: '2026', date_engagement: '2026-11-20' },
      'demo-admin',
    );
    expect(refus.status).toBe(409);
    expect(await refus.text()).toContain('suspendue');
    const sansJeton = await t.app.request(`/conventions/${id}/credits/report`, {
      method: 'POST',
      headers: t.as('demo-admin', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: 'annee=2026',
    });
    expect(sansJeton.status).toBe(403);
  });
});

/** No id twice on a page, and every label names a field that is there. */
/** French spacing (narrow and no-break spaces) as plain spaces, to compare with typed text. */
function espaces(html: string): string {
  return html.replace(/[\u00a0\u202f]/g, ' ');
}

function textes(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

/**
 * The amounts' graduations of a chart, from bottom to top, after checking that each is a round amount in French
 * and that each stands where its value says: evenly spaced values, evenly spaced on the axis.
 */
function graduations(svg: string): string[] {
  const etiquettes = [...svg.matchAll(/<text[^>]*translate\([\d.]+ ([\d.]+)\)[^>]*>([^<]*€)<\/text>/g)]
    .map((m) => ({ y: Number(m[1]), texte: m[2]! }))
    .filter((e) => /^-?\d/.test(e.texte));
  for (const e of etiquettes) expect(e.texte).toMatch(/^-?\d{1,3}(?: \d{3})* (?:€|k€|M€)$/);
  const valeur = (texte: string) =>
    Number(texte.replace(/ |€|k|M/g, '')) * (texte.endsWith('M€') ? 1e6 : texte.endsWith('k€') ? 1e3 : 1);
  const pas = etiquettes
    .slice(1)
    .map((e, i) => [valeur(e.texte) - valeur(etiquettes[i]!.texte), etiquettes[i]!.y - e.y]);
  expect(pas.length).toBeGreaterThan(1);
  for (const [v, y] of pas) {
    expect(v).toBe(pas[0]![0]);
    expect(y).toBeCloseTo(pas[0]![1]!, 2);
  }
  expect(pas[0]![0]).toBeGreaterThan(0);
  return etiquettes.map((e) => e.texte);
}

function idsUniquesEtLabelsRelies(html: string): void {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
  const cibles = [...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]);
  expect(cibles.length).toBeGreaterThan(3);
  expect(cibles.filter((x) => !ids.includes(x))).toEqual([]);
}
