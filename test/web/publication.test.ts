import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
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
