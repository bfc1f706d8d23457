import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { creerJeton } from '../../src/usecases/acces.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { demo } from '../support/demo.js';
import { DATABASES } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * The insufficiency procedure of Article 5 through the API, on a convention where the DINUM is délégant
 * (its budget officer answers) and the Justice ministry délégataire (its partner orders and informs).
 */
describe.each(DATABASES)('insufficiency cases on %s', (kind) => {
  let t: TestApp;
  let id: string;
  let instant = '2026-11-23T10:00:00Z';
  const get = (path: string, user = 'demo-admin') => t.app.request(path, { headers: t.api(user) });
  const send = (path: string, body: unknown, user = 'demo-admin') =>
    t.app.request(path, { method: 'POST', headers: t.api(user), body: JSON.stringify(body) });
  const cas = async () => (await (await get(`/api/v1/conventions/${id}/insuffisances`)).json()).items;
  const commande = (montant: unknown) =>
    send(
      `/api/v1/conventions/${id}/engagements`,
      { annee: 2026, montant_centimes: montant, objet: 'Dév', titulaire: 'Octo' },
      'demo-partenaire-justice',
    );
  async function etat() {
    const db = t.storage.db;
    return {
      credits: await db.selectFrom('credit_annuel').selectAll().where('convention_id', '=', id).execute(),
      journal: await db.selectFrom('journal').select(['id']).where('convention_id', '=', id).execute(),
      mouvements: await db.selectFrom('mouvement').select(['id']).where('convention_id', '=', id).execute(),
    };
  }

  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date(instant) });
    const base = demo().selex;
    id = (
      await creerConvention(t.ctx, admin, {
        ...base,
        reference: 'INSUFFISANCE-2026',
        statut: 'en_vigueur',
        dateSignature: '2026-01-15',
        dateFin: '2027-06-30',
        dureeMois: null,
        tranches: [],
        totalAeCentimes: 5_000_000,
        echeancier: [{ annee: 2026, aeCentimes: 1_000_000, cpCentimes: 1_000_000 }],
      })
    ).convention.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('opens one case on refusals for lack of credits, never on a malformed order, and the refusals change nothing else', async () => {
    expect((await commande(10.5)).status).toBe(400);
    expect((await commande('beaucoup')).status).toBe(400);
    expect(await cas()).toEqual([]);
    const avant = await etat();
    const r = await commande(1_500_000);
    expect(r.status).toBe(409);
    expect((await r.json()).code).toBe('PLAFOND_AE_DEPASSE');
    expect((await commande(1_200_000)).status).toBe(409);
    expect(await etat()).toEqual(avant);
    const items = await cas();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      nature: 'credits',
      annee: 2026,
      etape: 'a_informer',
      nb_refus: 2,
      suspension_proposee: false,
    });
    expect(items[0].details).toMatchObject({ code: 'PLAFOND_AE_DEPASSE', demande_centimes: 1_200_000 });
  });

  it('lets the délégataire inform the délégant, with the date, how and why, once', async () => {
    const [c] = await cas();
    const chemin = `/api/v1/conventions/${id}/insuffisances/${c.id}/information`;
    const avant = await etat();
    expect((await send(chemin, { date: '2026-11-24', moyen: 'Courriel' }, 'demo-partenaire-justice')).status).toBe(400);
    expect((await send(chemin, { date: '2026-11-22', moyen: 'Courriel' }, 'demo-partenaire-justice')).status).toBe(400);
    expect((await send(chemin, { date: '2026-11-23', moyen: '' }, 'demo-partenaire-justice')).status).toBe(400);
    expect((await send(chemin, { date: '2026-11-23', moyen: 'Courriel' }, 'demo-partenaire-sociaux')).status).toBe(404);
    expect(
      (
        await send(
          `/api/v1/conventions/${id}/insuffisances/99999/information`,
          { date: '2026-11-23', moyen: 'Courriel' },
          'demo-partenaire-justice',
        )
      ).status,
    ).toBe(404);
    expect(await etat()).toEqual(avant);
    const ok = await send(
      chemin,
      {
        date: '2026-11-23',
        moyen: 'Courriel au responsable de BOP',
        justification: 'Deux développeurs de plus jusqu’en juin',
      },
      'demo-partenaire-justice',
    );
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      etape: 'informe',
      information: {
        date: '2026-11-23',
        moyen: 'Courriel au responsable de BOP',
        justification: 'Deux développeurs de plus jusqu’en juin',
      },
    });
    const encore = await send(chemin, { date: '2026-11-23', moyen: 'Téléphone' }, 'demo-partenaire-justice');
    expect((await encore.json()).code).toBe('DELEGANT_DEJA_INFORME');
    const journal = (await (await get(`/api/v1/conventions/${id}/journal`)).json()).items;
    expect(journal.find((j: { action: string }) => j.action === 'information').acteur.nom).toContain(
      'demo-partenaire-justice',
    );
  });

  it('shows the cases on the convention’s page, and a refused form step in French', async () => {
    const html = await (
      await t.app.request(`/conventions/${id}/insuffisances`, { headers: t.as('demo-partenaire-justice') })
    ).text();
    expect(html).toContain('Insuffisances de crédits');
    expect(html).toContain('Délégant informé le 23 novembre 2026 (Courriel au responsable de BOP)');
    const [c] = await cas();
    const avant = await etat();
    const r = await t.app.request(`/conventions/${id}/insuffisances/${c.id}/information`, {
      method: 'POST',
      headers: { ...t.as('demo-partenaire-justice'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ date: '2026-11-23', moyen: 'Téléphone' }),
    });
    expect(r.status).toBe(409);
    expect(await r.text()).toContain('déjà informé');
    expect(await etat()).toEqual(avant);
    expect(
      (await t.app.request(`/conventions/${id}/insuffisances`, { headers: t.as('demo-partenaire-sociaux') })).status,
    ).toBe(404);
  });

  it('records the délégant’s adjustment as a dated availability decision; a refused step changes nothing', async () => {
    const [c] = await cas();
    const chemin = `/api/v1/conventions/${id}/insuffisances/${c.id}/reponse`;
    const ajustement = {
      date: '2026-11-23',
      decision: 'ajustement',
      motif: 'Dotation complémentaire',
      ajustement: { annee: 2026, ae_centimes: 2_000_000, cp_centimes: 1_000_000 },
    };
    const avant = await etat();
    // the délégataire does not answer for the délégant; the DINUM's budget officer may, but an availability decision is an administrator's
    expect((await send(chemin, ajustement, 'demo-partenaire-justice')).status).toBe(403);
    expect((await send(chemin, ajustement, 'demo-gestionnaire')).status).toBe(403);
    expect((await send(chemin, { ...ajustement, ajustement: undefined }, 'demo-admin')).status).toBe(400);
    expect(await etat()).toEqual(avant);
    expect((await cas())[0].etape).toBe('informe');
    // above the convention's maximum (50 000 €): refused, and neither the decision nor the answer is recorded
    const trop = await send(chemin, {
      ...ajustement,
      ajustement: { annee: 2026, ae_centimes: 6_000_000, cp_centimes: 1_000_000 },
    });
    expect(trop.status).toBe(409);
    expect((await trop.json()).code).toBe('PLAFOND_CONVENTION_DEPASSE');
    expect(await etat()).toEqual(avant);
    expect((await cas())[0].etape).toBe('informe');
    // the page's form, amounts typed in euros
    const ok = await t.app.request(`/conventions/${id}/insuffisances/${c.id}/reponse`, {
      method: 'POST',
      headers: { ...t.as('demo-admin'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        date: '2026-11-23',
        decision: 'ajustement',
        motif: 'Dotation complémentaire',
        annee: '2026',
        ae_centimes: '20 000,00',
        cp_centimes: '10 000',
      }),
    });
    expect(ok.status, await ok.clone().text()).toBe(303);
    expect((await cas())[0].etape).toBe('ajuste');
    const journal = await t.storage.db
      .selectFrom('journal')
      .select(['objet_type', 'action'])
      .where('convention_id', '=', id)
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(journal).toEqual([
      { objet_type: 'insuffisance', action: 'reponse' },
      { objet_type: 'credit', action: 'disponibilite' },
    ]);
    const credits = await (await get(`/api/v1/conventions/${id}/credits`)).json();
    expect(credits.annees.find((a: { annee: number }) => a.annee === 2026).ae.ouvert_centimes).toBe(2_000_000);
    expect((await commande(1_500_000)).status).toBe(201);
  });

  it('opens a new case after an answered one, and proposes the suspension when no adjustment comes in time', async () => {
    expect((await commande(900_000)).status).toBe(409);
    const items = await cas();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ etape: 'a_informer', nb_refus: 1, suspension_proposee: false });
    instant = '2026-12-24T10:00:00Z';
    expect((await cas())[0].suspension_proposee).toBe(true);
    // the proposal is an alert, and the case is listed among those in progress
    const alertes = await (await get('/api/v1/credits/alertes')).json();
    expect(
      alertes.calculees.filter(
        (a: { type: string; convention_id: string }) => a.type === 'suspension_proposee' && a.convention_id === id,
      ),
    ).toHaveLength(1);
    const enCours = (await (await get('/api/v1/insuffisances', 'demo-partenaire-justice')).json()).items;
    expect(enCours.filter((x: { convention_id: string }) => x.convention_id === id)).toMatchObject([
      { id: items[0].id, suspension_proposee: true },
    ]);
    expect((await (await get('/api/v1/insuffisances', 'demo-partenaire-sociaux')).json()).items).toEqual([]);
    // an administrator lengthens the delay to 60 days: no longer proposed; a delay out of range changes nothing
    const delai = (body: unknown, user = 'demo-admin') =>
      t.app.request('/api/v1/parametres/insuffisance', {
        method: 'PUT',
        headers: t.api(user),
        body: JSON.stringify(body),
      });
    const journalAvant = await etat();
    expect((await delai({ delai_jours: 3, motif: 'Trop court' })).status).toBe(400);
    expect((await delai({ delai_jours: 60, motif: 'Essai' }, 'demo-gestionnaire')).status).toBe(403);
    expect(await etat()).toEqual(journalAvant);
    expect(await (await get('/api/v1/parametres/insuffisance')).json()).toEqual({ delai_jours: 30 });
    expect((await delai({ delai_jours: 60, motif: 'Délai du BOP' })).status).toBe(200);
    expect(await (await get('/api/v1/parametres/insuffisance', 'demo-equipe')).json()).toEqual({ delai_jours: 60 });
    expect((await cas())[0].suspension_proposee).toBe(false);
    expect((await delai({ delai_jours: 30, motif: 'Retour au délai par défaut' })).status).toBe(200);
    // a refusal answers the case but leaves the suspension proposed
    await send(
      `/api/v1/conventions/${id}/insuffisances/${items[0].id}/information`,
      { date: '2026-12-01', moyen: 'Courrier' },
      'demo-partenaire-justice',
    );
    const refus = await send(
      `/api/v1/conventions/${id}/insuffisances/${items[0].id}/reponse`,
      { date: '2026-12-20', decision: 'refus', motif: 'Pas de crédits' },
      'demo-gestionnaire',
    );
    expect(refus.status).toBe(201);
    expect(await refus.json()).toMatchObject({ etape: 'refuse', suspension_proposee: true });
  });

  it('opens a case for credits left at the end of the convention, when read, once', async () => {
    instant = '2027-07-05T10:00:00Z';
    // months later, the tests' tokens have expired: a fresh one
    const jeton = (await creerJeton(t.ctx, ACTEUR_SYSTEME, { nom: 'Fin de convention', role: 'administrateur' }))
      .valeur;
    const lire = async () =>
      (
        await (
          await t.app.request(`/api/v1/conventions/${id}/insuffisances`, {
            headers: { authorization: `Bearer ${jeton}` },
          })
        ).json()
      ).items;
    const items = await lire();
    const fin = items.filter((x: { nature: string }) => x.nature === 'inutilises');
    expect(fin).toHaveLength(1);
    // 2 000 000 of AE made available in 2026, 1 500 000 committed; 1 000 000 of CP, none paid
    expect(fin[0].details).toMatchObject({ fin: '2027-06-30', ae_centimes: 500_000, cp_centimes: 1_000_000 });
    expect((await lire()).filter((x: { nature: string }) => x.nature === 'inutilises')).toHaveLength(1);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await (await t.app.request('/api/v1/openapi.json')).json();
    for (const p of [
      '/conventions/{id}/insuffisances',
      '/conventions/{id}/insuffisances/{cas}/information',
      '/conventions/{id}/insuffisances/{cas}/reponse',
      '/insuffisances',
      '/parametres/insuffisance',
    ])
      expect(doc.paths[p], p).toBeTruthy();
  });
});
