import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';

const EQUIPE = 'demo-equipe-classe12';
const FORMULAIRE = 'application/x-www-form-urlencoded';

describe.each(DATABASES)('orders proposed by a product team on %s', (kind) => {
  let t: TestApp;
  let classe: string;
  let msj: string;

  beforeAll(async () => {
    t = await testApp(kind);
    const ref = (r: string) =>
      t.storage.db.selectFrom('convention').select('id').where('reference', '=', r).executeTakeFirstOrThrow();
    classe = (await ref(demo().references.classe)).id;
    msj = (await ref(demo().references.msj)).id;
  });
  afterAll(async () => t?.close());

  const engageAe2026 = async () => {
    const r = await t.app.request(`/api/v1/conventions/${classe}/credits`, { headers: t.api('demo-gestionnaire') });
    const v = (await r.json()) as {
      annees: Array<{
        annee: number;
        engage_ae_centimes?: number;
        totaux?: { engage_ae_centimes?: number; engageAe?: number };
      }>;
    };
    const a = v.annees.find((x) => x.annee === 2026)!;
    return JSON.stringify(a);
  };
  const engagements = async () =>
    Number(
      (
        await t.storage.db
          .selectFrom('engagement')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('convention_id', '=', classe)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const poster = (path: string, user: string, champs: Record<string, string>) =>
    t.app.request(path, {
      method: 'POST',
      headers: t.as(user, { 'content-type': FORMULAIRE }),
      body: form(champs).toString(),
    });
  const proposerApi = async (user: string, corps: Record<string, unknown>) =>
    t.app.request(`/api/v1/conventions/${classe}/propositions`, {
      method: 'POST',
      headers: t.api(user),
      body: JSON.stringify(corps),
    });

  it('shows the team its proposal form, not the order form, and the ordonnateur the proposals to decide', async () => {
    const equipe = await (await t.app.request(`/conventions/${classe}/credits`, { headers: t.as(EQUIPE) })).text();
    expect(equipe).toContain('Proposer un bon de commande');
    expect(equipe).not.toContain('Nouveau bon de commande');
    expect(equipe).toContain('Tests utilisateurs — six sessions en classe');
    expect(equipe).not.toContain('Valider et engager');
    const gestion = await (
      await t.app.request(`/conventions/${classe}/credits`, { headers: t.as('demo-gestionnaire') })
    ).text();
    expect(gestion).toContain('Nouveau bon de commande');
    expect(gestion).not.toContain('Proposer un bon de commande');
    expect(gestion).toContain('Valider et engager');
    expect(gestion).toContain('Motif du refus');
  });

  it('records a proposal without binding any credits, then approving it places the order with every rule, once', async () => {
    const avant = await engageAe2026();
    const n = await engagements();
    const r = await poster(`/conventions/${classe}/credits/propositions`, EQUIPE, {
      titulaire: 'Access42',
      objet: 'Audit RGAA du parcours élève',
      montant_centimes: '1 200,50',
      annee: '2026',
      base_montant: 'TTC',
      justification: 'Obligation d’accessibilité avant ouverture',
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('ok=proposition');
    expect(await engageAe2026()).toBe(avant);
    expect(await engagements()).toBe(n);

    const liste = (await (
      await t.app.request(`/api/v1/conventions/${classe}/propositions`, { headers: t.api('demo-gestionnaire') })
    ).json()) as {
      items: Array<{ id: string; objet: string; statut: string; montant_centimes: number; propose_par: string }>;
    };
    const p = liste.items.find((x) => x.objet === 'Audit RGAA du parcours élève')!;
    expect(p).toMatchObject({
      statut: 'a_valider',
      montant_centimes: 120_050,
      propose_par: 'Noa Intra (équipe Classe à 12)',
    });

    // the team cannot approve its own proposal
    expect((await poster(`/conventions/${classe}/credits/propositions/${p.id}/validation`, EQUIPE, {})).status).toBe(
      403,
    );

    const v = await poster(`/conventions/${classe}/credits/propositions/${p.id}/validation`, 'demo-gestionnaire', {});
    expect(v.status).toBe(303);
    expect(v.headers.get('location')).toMatch(/\/credits\/engagements\/[0-9a-f-]{36}\?ok=validation$/);
    expect(await engagements()).toBe(n + 1);
    const e = await t.storage.db
      .selectFrom('engagement')
      .selectAll()
      .where('convention_id', '=', classe)
      .where('objet', '=', 'Audit RGAA du parcours élève')
      .executeTakeFirstOrThrow();
    expect(Number(e.montant)).toBe(120_050);
    expect(e.date_engagement).toBe('2026-11-23');
    expect(e.acteur_id).toBe('demo-gestionnaire');
    const stockee = await t.storage.db
      .selectFrom('proposition')
      .selectAll()
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(stockee).toMatchObject({
      statut: 'validee',
      engagement_id: e.id,
      decide_par_nom: 'Dominique Budget (pôle budget DINUM)',
    });
    const journal = await t.storage.db
      .selectFrom('journal')
      .select(['action', 'acteur_id', 'commentaire'])
      .where('convention_id', '=', classe)
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(journal.map((j) => j.action).sort()).toEqual(['engagement', 'validation']);
    expect(journal.find((j) => j.action === 'engagement')!.commentaire).toContain('Proposé par Noa Intra');

    // approved once only
    const encore = await t.app.request(`/api/v1/conventions/${classe}/propositions/${p.id}/validation`, {
      method: 'POST',
      headers: t.api('demo-gestionnaire'),
      body: '{}',
    });
    expect(encore.status).toBe(409);
    expect(((await encore.json()) as { code: string }).code).toBe('PROPOSITION_DEJA_TRAITEE');
    expect(await engagements()).toBe(n + 1);
  });

  // PGlite is one backend that runs one transaction at a time: there the three approvals queue and no race
  // can happen; only the PostgreSQL run of this test sees them compete for the proposal's row lock.
  it('never makes two orders of one proposal approved twice at the same time', async () => {
    const r = await proposerApi(EQUIPE, {
      titulaire: 'Octo Technology',
      objet: 'Sprint de correctifs',
      montant_centimes: 50_000,
      annee: 2026,
    });
    expect(r.status).toBe(201);
    const { id } = (await r.json()) as { id: string };
    const n = await engagements();
    const valider = () =>
      t.app.request(`/api/v1/conventions/${classe}/propositions/${id}/validation`, {
        method: 'POST',
        headers: t.api('demo-gestionnaire'),
        body: '{}',
      });
    const statuts = (await Promise.all([valider(), valider(), valider()])).map((x) => x.status).sort();
    expect(statuts).toEqual([201, 409, 409]);
    expect(await engagements()).toBe(n + 1);
  });

  it('leaves a proposal over the ceiling waiting, with the figures, and lets the ordonnateur refuse it with a reason the team reads', async () => {
    const r = await proposerApi(EQUIPE, {
      titulaire: 'Beta Dev SAS',
      objet: 'Refonte complète',
      montant_centimes: 9_000_000,
      annee: 2026,
      justification: 'Nouvelle version',
    });
    expect(r.status).toBe(201);
    const { id } = (await r.json()) as { id: string };
    const n = await engagements();
    const v = await poster(`/conventions/${classe}/credits/propositions/${id}/validation`, 'demo-gestionnaire', {});
    expect(v.status).toBe(409);
    expect(await v.text()).toMatch(/disponible/i);
    expect(await engagements()).toBe(n);
    expect(
      (await t.storage.db.selectFrom('proposition').select('statut').where('id', '=', id).executeTakeFirstOrThrow())
        .statut,
    ).toBe('a_valider');

    const sansMotif = await poster(`/conventions/${classe}/credits/propositions/${id}/refus`, 'demo-gestionnaire', {
      motif: '',
    });
    expect(sansMotif.status).toBe(400);
    const refus = await poster(`/conventions/${classe}/credits/propositions/${id}/refus`, 'demo-gestionnaire', {
      motif: 'Hors enveloppe 2026 : à reprendre dans l’avenant',
    });
    expect(refus.status).toBe(303);
    const equipe = await (await t.app.request(`/conventions/${classe}/credits`, { headers: t.as(EQUIPE) })).text();
    expect(equipe).toContain('Hors enveloppe 2026 : à reprendre dans l’avenant');
    expect(equipe).toContain('Refusée');
  });

  it('refuses a proposal on past credits, on a convention the team does not work on, or from a team of another product', async () => {
    const passe = await proposerApi(EQUIPE, { titulaire: 'T', objet: 'O', montant_centimes: 100, annee: 2025 });
    expect(passe.status).toBe(400);
    expect(JSON.stringify(await passe.json())).toContain('Les crédits 2025 ne peuvent plus être engagés');
    // the Mon Suivi Justice team does not see Classe à 12
    expect(
      (
        await t.app.request(`/api/v1/conventions/${classe}/propositions`, {
          method: 'POST',
          headers: t.api('demo-equipe'),
          body: JSON.stringify({ titulaire: 'T', objet: 'O', montant_centimes: 100, annee: 2026 }),
        })
      ).status,
    ).toBe(404);
    // an ended convention takes no proposal
    const fini = await t.app.request(`/api/v1/conventions/${msj}/propositions`, {
      method: 'POST',
      headers: t.api('demo-equipe'),
      body: JSON.stringify({ titulaire: 'T', objet: 'O', montant_centimes: 100, annee: 2026 }),
    });
    expect(fini.status).toBe(409);
    expect(((await fini.json()) as { code: string }).code).toBe('CONVENTION_TERMINEE');
  });
});
