import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { seed } from '../support/contract.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { analyser } from '../../src/importer/analyse.js';
import { importerConvention } from '../../src/usecases/document.js';

/**
 * A convention read off a signed document waits for a person's review (`a_verifier`). Even flagged as
 * published, the public never sees it until it is accepted: not in the register, not on its page, not in
 * the API, not in the portfolio.
 */
describe.each(DATABASES)('an imported convention under review, flagged published, on %s', (kind) => {
  let t: TestApp;
  let id: string;
  const REFERENCE = 'REVUE-PUBLIEE';
  const PRODUIT = 'Service en cours de revue';
  const publique = (url: string) => t.app.request(url, { headers: { accept: 'application/json' } });

  beforeAll(async () => {
    t = await testApp(kind);
    // as the command line imports a document for review
    const a = await analyser(new TextEncoder().encode(seed('002_3dd1662a2dcbaa88.txt')), 'revue.txt');
    if (!a.ok) throw new Error('lecture du document');
    const admin = ACTEURS_DEMO.find((x) => x.id === 'demo-admin')!;
    id = (await importerConvention(t.ctx, admin, a, 'a_verifier')).convention.id;
    const lue = (await (
      await t.app.request(`/api/v1/conventions/${id}`, { headers: t.api('demo-admin') })
    ).json()) as Record<string, unknown>;
    const { id: _id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = lue;
    void [_id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    const r = await t.app.request(`/api/v1/conventions/${id}`, {
      method: 'PUT',
      headers: t.api('demo-admin'),
      body: JSON.stringify({ ...entree, reference: REFERENCE, produits: [PRODUIT], publiee: true }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ statut: 'a_verifier', publiee: true });
  });
  afterAll(async () => t?.close());

  it('is hidden from the public register, its page, the API list and item, and a search for it', async () => {
    const registre = await (await publique('/conventions')).text();
    expect(registre).not.toContain(REFERENCE);
    expect(registre).not.toContain(PRODUIT);
    expect((await publique(`/conventions/${id}`)).status).toBe(404);
    const liste = (await (await publique('/api/v1/conventions?taille=100')).json()) as { items: Array<{ id: string }> };
    expect(liste.items.map((c) => c.id)).not.toContain(id);
    expect((await (await publique(`/api/v1/conventions?q=${REFERENCE}`)).json()).total).toBe(0);
    expect((await publique(`/api/v1/conventions/${id}`)).status).toBe(404);
  });

  it('is out of the public portfolio, which asks to log in', async () => {
    const page = await publique('/credits');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/connexion\?retour=/);
    expect((await publique('/api/v1/credits')).status).toBe(401);
  });

  it('while the public sees the published conventions in force or ended, and the budget office sees this one', async () => {
    const { msj } = demo().references;
    const liste = (await (await publique('/api/v1/conventions?taille=100')).json()) as {
      items: Array<{ reference: string }>;
    };
    expect(liste.items.map((c) => c.reference)).toContain(msj);
    expect(await (await publique('/conventions')).text()).toContain(msj);
    expect((await t.app.request(`/api/v1/conventions/${id}`, { headers: t.api('demo-gestionnaire') })).status).toBe(
      200,
    );
  });
});

/**
 * The « publiée » decision: the DINUM's budget roles publish a convention from a date, or withdraw it; the
 * decision is journalled, and the public sees the convention exactly while it stands.
 */
describe.each(DATABASES)('the « publiée » decision, on %s', (kind) => {
  let t: TestApp;
  let id: string;
  const publique = (url: string) => t.app.request(url, { headers: { accept: 'application/json' } });

  beforeAll(async () => {
    t = await testApp(kind);
    id = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.msj)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  const api = (method: string, who: string | null, body?: unknown) =>
    t.app.request(`/api/v1/conventions/${id}/publication`, {
      method,
      headers: t.api(who),
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('is withdrawn by the budget office: the public loses the convention, the journal keeps the decision', async () => {
    expect((await api('DELETE', 'demo-partenaire-justice')).status).toBe(403);
    expect((await api('DELETE', null)).status).toBe(401);
    const r = await api('DELETE', 'demo-gestionnaire');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ publiee: false, publiee_le: null, decidee_par: null });
    expect((await publique(`/api/v1/conventions/${id}`)).status).toBe(404);
    const again = await api('DELETE', 'demo-gestionnaire');
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('PUBLICATION_NON_DECIDEE');
    const journal = (await (
      await t.app.request(`/api/v1/conventions/${id}/journal`, { headers: t.api('demo-admin') })
    ).json()) as { items?: Array<{ action: string }> } | Array<{ action: string }>;
    const lignes = Array.isArray(journal) ? journal : (journal.items ?? []);
    expect(lignes[0]).toMatchObject({ action: 'retrait_publication' });
  });

  it('is taken from a date, not in the future, with its author; the public sees the convention again', async () => {
    const futur = await api('POST', 'demo-gestionnaire', { date: '2026-12-01' });
    expect(futur.status).toBe(400);
    const r = await api('POST', 'demo-gestionnaire', { date: '2026-11-20' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      publiee: true,
      publiee_le: '2026-11-20',
      decidee_par: 'Jeton « Tests — demo-gestionnaire »',
    });
    expect((await publique(`/api/v1/conventions/${id}`)).status).toBe(200);
    const again = await api('POST', 'demo-admin', {});
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('PUBLICATION_DEJA_DECIDEE');
  });

  it('shows on the convention page with its date and author, with the button that withdraws or publishes', async () => {
    const page = await (await t.app.request(`/conventions/${id}`, { headers: t.as('demo-gestionnaire') })).text();
    expect(page).toContain('Publiée le 20 novembre 2026 par Jeton « Tests — demo-gestionnaire »');
    expect(page).toContain(`action="/conventions/${id}/publication/retrait"`);
    const partenaire = await (
      await t.app.request(`/conventions/${id}`, { headers: t.as('demo-partenaire-justice') })
    ).text();
    expect(partenaire).toContain('Publiée le 20 novembre 2026');
    expect(partenaire).not.toContain('/publication/retrait');
    const retrait = await t.app.request(`/conventions/${id}/publication/retrait`, {
      method: 'POST',
      headers: { ...t.as('demo-gestionnaire'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({}),
    });
    expect(retrait.status).toBe(303);
    expect(retrait.headers.get('location')).toBe(`/conventions/${id}?ok=retrait_publication#publication`);
    const apres = await (await t.app.request(`/conventions/${id}`, { headers: t.as('demo-gestionnaire') })).text();
    expect(apres).toContain('Non publiée');
    expect(apres).toContain(`action="/conventions/${id}/publication"`);
    const publie = await t.app.request(`/conventions/${id}/publication`, {
      method: 'POST',
      headers: { ...t.as('demo-admin'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ date: '2026-11-23' }),
    });
    expect(publie.status).toBe(303);
    expect((await publique(`/api/v1/conventions/${id}`)).status).toBe(200);
  });

  it('is also taken when an edit of the convention ticks or unticks « publiée », dated that day', async () => {
    const decision = () =>
      t.storage.db.selectFrom('publication').selectAll().where('convention_id', '=', id).executeTakeFirst();
    const enregistrer = async (publiee: boolean) => {
      const lue = (await (
        await t.app.request(`/api/v1/conventions/${id}`, { headers: t.api('demo-admin') })
      ).json()) as Record<string, unknown>;
      const { id: _id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = lue;
      void [_id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
      const r = await t.app.request(`/api/v1/conventions/${id}`, {
        method: 'PUT',
        headers: t.api('demo-gestionnaire'),
        body: JSON.stringify({ ...entree, publiee }),
      });
      expect(r.status).toBe(200);
    };
    await enregistrer(false);
    expect(await decision()).toBeUndefined();
    expect((await publique(`/api/v1/conventions/${id}`)).status).toBe(404);
    await enregistrer(true);
    expect(await decision()).toMatchObject({
      publiee_le: '2026-11-23',
      decidee_par: 'Jeton « Tests — demo-gestionnaire »',
    });
    expect((await publique(`/api/v1/conventions/${id}`)).status).toBe(200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/conventions/{id}/publication'] ?? {}).sort()).toEqual(['delete', 'post']);
  });
});
