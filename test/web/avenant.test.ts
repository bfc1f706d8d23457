import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/db.js';
import { CSRF, form, testApp, type TestApp } from '../support/app.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { creerJeton, ouvrirSession } from '../../src/usecases/acces.js';

/**
 * An avenant raising next year's schedule, drafted and signed in November, in effect on 1 March: the
 * orders already recorded stay as they were, and next year's availability grows from the effect date only.
 * The clock moves as a budget office's year does.
 */

const AE = 10_000_000;

describe.each(DATABASES)('avenants on %s', (kind) => {
  let t: TestApp;
  let instant = new Date('2026-06-01T10:00:00Z');
  let id = '';
  let commande2026 = '';
  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date(instant.getTime()) });
  });
  afterAll(async () => t?.close());

  // tokens and sessions expire: each moment of the year gets its own, opened at that moment
  const jetons = new Map<string, string>();
  const entetes = async (user: string) => {
    const cle = `${instant.toISOString()} ${user}`;
    if (!jetons.has(cle)) {
      const a = ACTEURS_DEMO.find((x) => x.id === user)!;
      const { valeur } = await creerJeton(t.ctx, ACTEUR_SYSTEME, {
        nom: cle,
        role: a.role,
        organisationSiret: a.organisationSiret,
        produits: a.produits,
      });
      jetons.set(cle, valeur);
    }
    return { 'content-type': 'application/json', authorization: `Bearer ${jetons.get(cle)}` };
  };
  const post = async (path: string, body: unknown, user = 'demo-gestionnaire') =>
    t.app.request(path, { method: 'POST', headers: await entetes(user), body: JSON.stringify(body) });
  const get = async (path: string, user = 'demo-gestionnaire') =>
    (await t.app.request(path, { headers: await entetes(user) })).json();
  const page = async (path: string) =>
    (
      await t.app.request(path, {
        headers: { cookie: `delegations_session=${(await ouvrirSession(t.ctx, 'demo-gestionnaire')).jeton}` },
      })
    ).text();
  const credits = async (annee: number) =>
    (await get(`/api/v1/conventions/${id}/credits`)).annees.find((a: { annee: number }) => a.annee === annee);

  it('records a convention and this year’s order', async () => {
    const r = await post('/api/v1/conventions', {
      reference: 'AVENANT-1',
      role_dinum: 'delegataire',
      statut: 'en_vigueur',
      delegant: { nom: 'Ministère de l’avenant', siret: '11000201100044' },
      delegataire: { nom: 'DINUM' },
      produits: ['Service amendé'],
      echeancier: [
        { annee: 2026, ae_centimes: AE, cp_centimes: AE },
        { annee: 2027, ae_centimes: AE, cp_centimes: AE },
      ],
      total_ae_centimes: 2 * AE,
      date_signature: '2026-01-10',
      duree_mois: 36,
    });
    expect(r.status, await r.clone().text()).toBe(201);
    id = (await r.json()).id;
    const e = await post(`/api/v1/conventions/${id}/engagements`, {
      annee: 2026,
      montant_centimes: 8_000_000,
      objet: 'Développement',
      titulaire: 'Octo',
      date_engagement: '2026-06-01',
    });
    expect(e.status, await e.clone().text()).toBe(201);
    commande2026 = (await e.json()).id;
  });

  it('drafts avenant n° 1 with its changes under the convention’s names, and refuses a bad one', async () => {
    instant = new Date('2026-11-20T10:00:00Z');
    const vide = await post(`/api/v1/conventions/${id}/avenants`, {
      objet: 'Rien',
      date_effet: '2027-02-01',
      modifications: {},
    });
    expect(vide.status).toBe(400);
    const inconnu = await post(`/api/v1/conventions/${id}/avenants`, {
      objet: 'x',
      date_effet: '2027-02-01',
      modifications: { statut: 'resiliee' },
    });
    expect(inconnu.status).toBe(400);
    const avant = await post(`/api/v1/conventions/${id}/avenants`, {
      objet: 'x',
      date_effet: '2025-12-31',
      modifications: { uo: 'X' },
    });
    expect(avant.status).toBe(400);
    const r = await post(`/api/v1/conventions/${id}/avenants`, {
      objet: 'Hausse de la dotation 2027',
      date_effet: '2027-03-01',
      modifications: {
        echeancier: [
          { annee: 2026, ae_centimes: AE, cp_centimes: AE },
          { annee: 2027, ae_centimes: 15_000_000, cp_centimes: 15_000_000 },
        ],
        total_ae_centimes: 25_000_000,
      },
    });
    expect(r.status, await r.clone().text()).toBe(201);
    expect(r.headers.get('location')).toBe(`/api/v1/conventions/${id}/avenants/1`);
    expect(await r.json()).toMatchObject({
      numero: 1,
      statut: 'brouillon',
      modifications: { total_ae_centimes: 25_000_000 },
    });
    // a second one waits for the first to be signed
    const deux = await post(`/api/v1/conventions/${id}/avenants`, {
      objet: 'Autre',
      date_effet: '2027-03-01',
      modifications: { uo: 'UO-2' },
    });
    expect(deux.status).toBe(409);
    expect((await deux.json()).code).toBe('AVENANT_EN_COURS');
    // a draft changes nothing
    expect((await get(`/api/v1/conventions/${id}`)).total_ae_centimes).toBe(2 * AE);
  });

  it('makes one signature of two given at once, then applies the avenant at the last one', async () => {
    const [a, b] = await Promise.all([
      post(
        `/api/v1/conventions/${id}/avenants/1/signature`,
        { partie: 'delegant', date: '2026-11-18' },
        'demo-gestionnaire',
      ),
      post(`/api/v1/conventions/${id}/avenants/1/signature`, { partie: 'delegant', date: '2026-11-19' }, 'demo-admin'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await (a.status === 409 ? a : b).json()).code).toBe('DEJA_SIGNEE');
    expect(
      await t.storage.db.selectFrom('signature').selectAll().where('convention_id', '=', id).execute(),
    ).toHaveLength(1);
    const fin = await post(`/api/v1/conventions/${id}/avenants/1/signature`, {
      partie: 'delegataire',
      date: '2026-11-20',
    });
    expect(fin.status, await fin.clone().text()).toBe(200);
    expect(await fin.json()).toMatchObject({ statut: 'signe', date_signature: '2026-11-20' });

    // this year's order and credits as they were
    const e = await get(`/api/v1/conventions/${id}/engagements/${commande2026}`);
    expect(e).toMatchObject({ montant_centimes: 8_000_000, date_engagement: '2026-06-01' });
    expect(await credits(2026)).toMatchObject({ ae: { ouvert_centimes: AE, engage_centimes: 8_000_000 } });
    expect((await credits(2027)).ae.ouvert_centimes).toBe(15_000_000);
  });

  it('reads the convention as it stood on a day: the old values before the effect, the new ones from it', async () => {
    const l2027 = (c: { echeancier: Array<{ annee: number; ae_centimes: number }> }) =>
      c.echeancier.find((l) => l.annee === 2027)?.ae_centimes;
    const avant = await get(`/api/v1/conventions/${id}?date=2027-02-28`);
    expect(l2027(avant)).toBe(AE);
    expect(avant.total_ae_centimes).toBe(2 * AE);
    const apres = await get(`/api/v1/conventions/${id}?date=2027-03-01`);
    expect(l2027(apres)).toBe(15_000_000);
    expect(apres.total_ae_centimes).toBe(25_000_000);
    // same shape as the plain read, which gives the current version: every signed avenant, whatever its effect date
    const courante = await get(`/api/v1/conventions/${id}`);
    expect(Object.keys(avant).sort()).toEqual(Object.keys(courante).sort());
    expect(l2027(courante)).toBe(15_000_000);
    expect(
      (
        await t.app.request(`/api/v1/conventions/${id}?date=2027-02-30`, {
          headers: await entetes('demo-gestionnaire'),
        })
      ).status,
    ).toBe(400);
    const liste = await get(`/api/v1/conventions/${id}/avenants`);
    expect(liste.items.map((a: { numero: number; statut: string }) => [a.numero, a.statut])).toEqual([[1, 'signe']]);
  });

  it('opens the amended availability from the effect date only', async () => {
    instant = new Date('2027-03-15T10:00:00Z');
    const commande = (date: string) =>
      post(`/api/v1/conventions/${id}/engagements`, {
        annee: 2027,
        montant_centimes: 12_000_000,
        objet: 'Suite',
        titulaire: 'Octo',
        date_engagement: date,
      });
    const tot = await commande('2027-02-15');
    expect(tot.status).toBe(409);
    const refus = await tot.json();
    expect(refus, JSON.stringify(refus)).toMatchObject({ code: 'PLAFOND_AE_DEPASSE' });
    const ok = await commande('2027-03-05');
    expect(ok.status, await ok.clone().text()).toBe(201);
  });

  it('shows the avenants and a side-by-side comparison in euros on the convention’s page', async () => {
    const html = await page(`/conventions/${id}?de=0&a=1`);
    expect(html).toContain('Avenant n° 1');
    expect(html).toContain('Hausse de la dotation 2027');
    expect(html).toContain('Total AE');
    expect(html).toMatch(/200\s000,00\s€/);
    expect(html).toMatch(/250\s000,00\s€/);
    const auJour = await page(`/conventions/${id}?date=2027-02-28`);
    expect(auJour).toContain('telle qu’elle était le 28 février 2027');
  });
  it('records the copies of the signed avenant sent to the budget controllers, from the API and the page', async () => {
    const copies = `/api/v1/conventions/${id}/avenants/1/copies`;
    const avant = await post(copies, { destinataire: 'CBCM du ministère', date: '2026-11-19' });
    expect(avant.status).toBe(400);
    expect((await avant.json()).details.erreurs.map((e: { champ: string }) => e.champ)).toEqual(['date']);
    expect((await post(copies, { destinataire: ' ', date: '2026-11-21' })).status).toBe(400);
    expect((await post(copies, { destinataire: 'CBCM', date: '2026-11-21', cc: 'x' })).status).toBe(400);
    expect((await get(`/api/v1/conventions/${id}/avenants/1`)).copies).toEqual([]);
    const ok = await post(copies, { destinataire: 'CBCM du ministère', date: '2026-11-21' });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect((await ok.json()).copies).toEqual([
      { destinataire: 'CBCM du ministère', date: '2026-11-21', consignee_par: expect.any(String) },
    ]);
    const journal = await t.storage.db
      .selectFrom('journal')
      .select('action')
      .where('convention_id', '=', id)
      .where('action', '=', 'copie_avenant')
      .execute();
    expect(journal).toHaveLength(1);

    // the page: a wrong date keeps what was typed, then the copy is listed
    const cookie = `delegations_csrf=${CSRF}; delegations_session=${(await ouvrirSession(t.ctx, 'demo-gestionnaire')).jeton}`;
    const envoyer = (champs: Record<string, string>) =>
      t.app.request(`/conventions/${id}/avenants/1/copies`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form(champs).toString(),
      });
    const faux = await envoyer({ destinataire: 'CBCM des services du Premier ministre', date: '2026-11-01' });
    expect(faux.status).toBe(400);
    const html = await faux.text();
    expect(html).toContain('value="CBCM des services du Premier ministre"');
    expect(html).toContain('ne peut pas précéder la signature');
    const bon = await envoyer({ destinataire: 'CBCM des services du Premier ministre', date: '2026-11-22' });
    expect(bon.status).toBe(303);
    const fiche = await page(bon.headers.get('location')!);
    expect(fiche).toContain('L’envoi de la copie aux contrôleurs budgétaires est consigné.');
    expect(fiche).toContain('Copie envoyée le 21 novembre 2026 à CBCM du ministère');
    expect(fiche).toContain('Copie envoyée le 22 novembre 2026 à CBCM des services du Premier ministre');
  });
});
