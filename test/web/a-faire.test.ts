import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';

interface Item {
  cle: string;
  type: string;
  echeance: string;
  convention_id: string | null;
  libelle: string;
  action_url: string;
  action_directe: { methode: string; url: string; libelle: string } | null;
  partenaire: string | null;
}

describe.each(DATABASES)('« À faire » on %s', (kind) => {
  let t: TestApp;
  let classe: string;

  beforeAll(async () => {
    t = await testApp(kind);
    classe = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.classe)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  const lister = async (user: string | null, qs = '') => {
    const r = await t.app.request(`/api/v1/a-faire${qs}`, { headers: t.api(user) });
    return { status: r.status, body: (await r.json()) as { items: Item[]; total: number; code?: string } };
  };
  const enAttente = async () =>
    t.storage.db
      .selectFrom('proposition')
      .select(['id', 'objet'])
      .where('convention_id', '=', classe)
      .where('statut', '=', 'a_valider')
      .execute();

  it('gives the ordonnateur the pending proposal, with the exact fields, and not the team that proposed it', async () => {
    const [p] = await enAttente();
    expect(p).toBeDefined();
    const g = await lister('demo-gestionnaire');
    expect(g.status).toBe(200);
    const item = g.body.items.find((i) => i.cle === `proposition:${p!.id}`);
    expect(item).toMatchObject({
      type: 'proposition_a_decider',
      convention_id: classe,
      action_url: `/conventions/${classe}/credits?annee=${demo().chronologie.anneeProposition}#proposition-${p!.id}`,
    });
    expect(item!.libelle).toContain(p!.objet);
    expect(item!.echeance).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(g.body.total).toBe(g.body.items.length);
    const e = await lister('demo-equipe-classe12');
    expect(e.status).toBe(200);
    expect(e.body.items.filter((i) => i.type === 'proposition_a_decider')).toEqual([]);
  });

  it('gives the FAST laureate’s mid-term review to the DINUM and to its partner, not to another one', async () => {
    const selex = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.selex)
        .executeTakeFirstOrThrow()
    ).id;
    const revue = (l: Item[]) => l.filter((i) => i.type === 'revue_mi_parcours' && i.convention_id === selex);
    const g = await lister('demo-gestionnaire');
    expect(revue(g.body.items)).toHaveLength(1);
    expect(revue(g.body.items)[0]).toMatchObject({ action_url: `/conventions/${selex}/gouvernance#comites` });
    expect(revue(g.body.items)[0]!.libelle).toMatch(/^Revue de mi-parcours FAST prévue le /);
    expect(revue((await lister('demo-partenaire-justice')).body.items)).toHaveLength(1);
    expect(revue((await lister('demo-partenaire-sociaux')).body.items)).toEqual([]);
  });

  it('lists for each role only conventions it may read, and refuses the public', async () => {
    for (const user of ['demo-partenaire-justice', 'demo-partenaire-sociaux', 'demo-equipe']) {
      const r = await lister(user);
      expect(r.status).toBe(200);
      for (const id of new Set(r.body.items.map((i) => i.convention_id).filter((x): x is string => x !== null))) {
        const c = await t.app.request(`/api/v1/conventions/${id}/credits`, { headers: t.api(user) });
        expect(c.status, `${user} → ${id}`).toBe(200);
      }
      expect(r.body.items.filter((i) => i.type === 'import_a_verifier')).toEqual([]);
    }
    const p = await lister(null);
    expect(p.status).toBe(401);
  });

  it('filters by convention and by partner, and refuses an oversized filter', async () => {
    const tout = (await lister('demo-admin')).body.items;
    const une = await lister('demo-admin', `?convention_id=${classe}`);
    expect(une.body.items.length).toBeGreaterThan(0);
    expect(une.body.items.every((i) => i.convention_id === classe)).toBe(true);
    expect(une.body.items.length).toBe(tout.filter((i) => i.convention_id === classe).length);
    const partenaire = une.body.items[0]!.partenaire!;
    const parPartenaire = await lister('demo-admin', `?partenaire=${encodeURIComponent(partenaire)}`);
    expect(parPartenaire.body.items.every((i) => i.partenaire === partenaire)).toBe(true);
    expect((await lister('demo-admin', `?partenaire=${'x'.repeat(300)}`)).status).toBe(400);
  });

  it('is the home page of an agent, counted in the header; approving a proposal there removes it', async () => {
    const [p] = await enAttente();
    const page = await (await t.app.request('/', { headers: t.as('demo-gestionnaire') })).text();
    expect(page).toContain('<h1>À faire</h1>');
    expect(page).toContain(p!.objet);
    const n = (await lister('demo-gestionnaire')).body.total;
    expect(page).toContain(`aria-label="${n} à faire"`);
    const registre = await (await t.app.request('/conventions', { headers: t.as('demo-gestionnaire') })).text();
    expect(registre).toContain(`aria-label="${n} à faire"`);
    const publique = await t.app.request('/');
    expect(publique.status).toBe(302);
    expect(publique.headers.get('location')).toBe('/conventions');

    const r = await t.app.request(`/conventions/${classe}/credits/propositions/${p!.id}/validation`, {
      method: 'POST',
      headers: t.as('demo-gestionnaire', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({ retour: 'a-faire' }).toString(),
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/?ok=validation');
    const apres = await (await t.app.request('/?ok=validation', { headers: t.as('demo-gestionnaire') })).text();
    expect(apres).not.toContain(p!.objet);
    expect(apres).toContain('La proposition est validée');
    expect((await lister('demo-gestionnaire')).body.items.some((i) => i.cle === `proposition:${p!.id}`)).toBe(false);
  });
});
