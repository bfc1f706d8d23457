import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { DATABASES } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

/**
 * A convention's life through the API, at the tests' date (23 November 2026): the signature circuit, the
 * status that an edit cannot change, the notice of termination and what it allows after its effect.
 */

const projet = (reference: string, patch: Record<string, unknown> = {}) => ({
  reference,
  role_dinum: 'delegataire',
  delegant: { nom: 'Ministère du cycle', siret: '11000201100044' },
  delegataire: { nom: 'DINUM', siret: '13002526500013' },
  produits: ['Service du cycle'],
  echeancier: [{ annee: 2026, ae_centimes: 10_000_000, cp_centimes: 10_000_000 }],
  total_ae_centimes: 10_000_000,
  duree_mois: 36,
  ...patch,
});

async function pdf(): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage().drawText('Convention signée');
  return d.save();
}

describe.each(DATABASES)('a convention’s life on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => t?.close());

  const post = (path: string, body: unknown, user = 'demo-gestionnaire') =>
    t.app.request(path, { method: 'POST', headers: t.api(user), body: JSON.stringify(body) });
  const get = async (path: string, user = 'demo-gestionnaire') =>
    (await t.app.request(path, { headers: t.api(user) })).json();
  const creer = async (reference: string, patch: Record<string, unknown> = {}) => {
    const r = await post('/api/v1/conventions', projet(reference, patch));
    expect(r.status, await r.clone().text()).toBe(201);
    return (await r.json()).id as string;
  };

  it('goes from draft to in force through the signatures, the partner first, the last one dating the signature', async () => {
    const id = await creer('CYCLE-1');
    expect((await get(`/api/v1/conventions/${id}`)).statut).toBe('brouillon');
    // no signature before it is sent
    const tot = await post(`/api/v1/conventions/${id}/signature`, { partie: 'delegant', date: '2026-11-02' });
    expect(tot.status).toBe(409);
    expect((await tot.json()).code).toBe('TRANSITION_INTERDITE');
    expect((await post(`/api/v1/conventions/${id}/envoi-signature`, {})).status).toBe(200);

    const dinumDabord = await post(`/api/v1/conventions/${id}/signature`, {
      partie: 'delegataire',
      date: '2026-11-02',
    });
    expect(dinumDabord.status).toBe(409);
    expect((await dinumDabord.json()).code).toBe('ORDRE_SIGNATURE');

    // the partner's agent signs for its ministry, with the signed PDF
    const fichier = await pdf();
    const f = new FormData();
    f.set('partie', 'delegant');
    f.set('date', '2026-11-02');
    f.set('signataire', 'La directrice');
    f.set('fichier', new File([fichier.slice().buffer], 'signee.pdf', { type: 'application/pdf' }));
    const partenaire = await t.app.request(`/api/v1/conventions/${id}/signature`, {
      method: 'POST',
      headers: { authorization: t.api('demo-partenaire-justice').authorization! },
      body: f,
    });
    expect(partenaire.status, await partenaire.clone().text()).toBe(200);
    expect(await partenaire.json()).toMatchObject({ statut: 'signee_partenaire', date_signature: null });
    // the partner may not sign for the DINUM
    const usurpe = await post(
      `/api/v1/conventions/${id}/signature`,
      { partie: 'delegataire', date: '2026-11-20' },
      'demo-partenaire-justice',
    );
    expect(usurpe.status).toBe(403);
    // no credits before the last signature
    expect(
      (await get(`/api/v1/conventions/${id}/credits`)).annees.map(
        (a: { ae: { ouvert_centimes: number } }) => a.ae.ouvert_centimes,
      ),
    ).not.toContain(10_000_000);

    const dinum = await post(`/api/v1/conventions/${id}/signature`, { partie: 'delegataire', date: '2026-11-20' });
    expect(dinum.status).toBe(200);
    expect(await dinum.json()).toMatchObject({
      statut: 'en_vigueur',
      date_signature: '2026-11-20',
      fin_effective: '2029-11-20',
    });
    const credits = await get(`/api/v1/conventions/${id}/credits`);
    expect(credits.annees[0]).toMatchObject({ annee: 2026, ae: { ouvert_centimes: 10_000_000 } });

    const cycle = await get(`/api/v1/conventions/${id}/cycle`);
    expect(cycle.signatures).toMatchObject([
      {
        partie: 'delegant',
        date: '2026-11-02',
        signataire: 'La directrice',
        enregistree_par: expect.stringContaining('demo-partenaire-justice'),
      },
      { partie: 'delegataire', date: '2026-11-20', document: null },
    ]);
    expect(cycle.actions_possibles).toEqual(['suspension', 'resiliation']);
    const piece = await t.app.request(cycle.signatures[0].document, { headers: t.api('demo-gestionnaire') });
    expect(piece.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await piece.arrayBuffer())).toEqual(fichier);

    const journal = await get(`/api/v1/conventions/${id}/journal`);
    expect(journal.items.map((l: { action: string }) => l.action).slice(0, 3)).toEqual([
      'signature_dinum',
      'signature_partenaire',
      'envoi_signature',
    ]);
    expect(journal.items[0].changements).toEqual(
      expect.arrayContaining([
        { champ: 'statut', avant: 'signee_partenaire', apres: 'en_vigueur' },
        { champ: 'dateSignature', avant: null, apres: '2026-11-20' },
      ]),
    );
  });

  it('refuses a status change by an edit, with a stable code, and leaves the convention as it was', async () => {
    const id = await creer('CYCLE-2', { statut: 'en_vigueur', date_signature: '2026-01-10' });
    const lue = await get(`/api/v1/conventions/${id}`);
    const { id: _i, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = lue;
    void [_i, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    const put = (body: unknown) =>
      t.app.request(`/api/v1/conventions/${id}`, {
        method: 'PUT',
        headers: t.api('demo-admin'),
        body: JSON.stringify(body),
      });
    for (const statut of ['suspendue', 'resiliee', 'brouillon', 'cloturee']) {
      const r = await put({ ...entree, statut, objet: 'changé' });
      expect(r.status).toBe(400);
      expect((await r.json()).code).toBe('STATUT_PAR_ACTION');
    }
    expect(await get(`/api/v1/conventions/${id}`)).toEqual(lue);
    // the same status, or none, is an ordinary edit
    const { statut, ...sansStatut } = entree;
    expect(statut).toBe('en_vigueur');
    expect((await put({ ...sansStatut, objet: 'changé' })).status).toBe(200);
    // created in a state only an action reaches: refused too
    const r = await post('/api/v1/conventions', projet('CYCLE-2b', { statut: 'suspendue' }));
    expect(r.status).toBe(400);
    expect((await r.json()).code).toBe('STATUT_PAR_ACTION');
    // suspension and resumption are actions, an administrator's
    expect((await post(`/api/v1/conventions/${id}/suspension`, { motif: 'Insuffisance' }, 'demo-admin')).status).toBe(
      200,
    );
    expect((await get(`/api/v1/conventions/${id}`)).statut).toBe('suspendue');
    expect(
      (await post(`/api/v1/conventions/${id}/reprise`, { motif: 'Crédits ajustés' }, 'demo-gestionnaire')).status,
    ).toBe(403);
    expect(
      await (await post(`/api/v1/conventions/${id}/reprise`, { motif: 'Crédits ajustés' }, 'demo-admin')).json(),
    ).toMatchObject({ statut: 'en_vigueur' });
  });

  it('makes one signature of two given at the same time by two users', async () => {
    const id = await creer('CYCLE-3');
    await post(`/api/v1/conventions/${id}/envoi-signature`, {});
    const [a, b] = await Promise.all([
      post(`/api/v1/conventions/${id}/signature`, { partie: 'delegant', date: '2026-11-02' }, 'demo-gestionnaire'),
      post(`/api/v1/conventions/${id}/signature`, { partie: 'delegant', date: '2026-11-03' }, 'demo-admin'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refus = await (a.status === 409 ? a : b).json();
    expect(refus.code).toBe('DEJA_SIGNEE');
    const rows = await t.storage.db.selectFrom('signature').selectAll().where('convention_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    expect((await get(`/api/v1/conventions/${id}`)).statut).toBe('signee_partenaire');
  });

  it('ends a convention at the notice’s effect: orders until then, payments of earlier orders after', async () => {
    const id = await creer('CYCLE-4', { statut: 'en_vigueur', date_signature: '2026-01-10' });
    const commande = (date: string, montant = 1_000_000) =>
      post(`/api/v1/conventions/${id}/engagements`, {
        annee: 2026,
        montant_centimes: montant,
        objet: 'Développement',
        titulaire: 'Octo',
        date_engagement: date,
      });
    const avant = await commande('2026-03-01');
    expect(avant.status).toBe(201);
    const eid = (await avant.json()).id;
    expect(
      (await post(`/api/v1/conventions/${id}/engagements/${eid}/services-faits`, { total: true, date: '2026-06-01' }))
        .status,
    ).toBe(201);

    const sansMotif = await post(`/api/v1/conventions/${id}/resiliation`, {
      partie: 'delegant',
      date_notification: '2026-03-15',
      motif: ' ',
    });
    expect(sansMotif.status).toBe(400);
    const r = await post(`/api/v1/conventions/${id}/resiliation`, {
      partie: 'delegant',
      date_notification: '2026-03-15',
      motif: 'Fin du besoin',
    });
    expect(r.status, await r.clone().text()).toBe(200);
    // notified in March, effect in June: on the tests' day it has taken effect
    expect(await r.json()).toMatchObject({
      statut: 'resiliation_notifiee',
      statut_effectif: 'resiliee',
      fin_effective: '2026-06-15',
    });

    const apres = await commande('2026-06-16');
    expect(apres.status).toBe(409);
    expect(await apres.json()).toMatchObject({ code: 'CONVENTION_RESILIEE', details: { fin_effective: '2026-06-15' } });
    // (an order dated on the effect day but recorded after it needs an administrator's override: the ledger's rule)
    const paiement = await post(`/api/v1/conventions/${id}/engagements/${eid}/paiements`, {
      montant_centimes: 1_000_000,
      reference: 'F-CYCLE',
      date: '2026-07-01',
    });
    expect(paiement.status, await paiement.clone().text()).toBe(201);

    // the register says so, and the withdrawal comes too late
    const liste = await get('/api/v1/conventions?q=CYCLE-4');
    expect(liste.items[0]).toMatchObject({ statut: 'resiliee', fin_effective: '2026-06-15' });
    const retrait = await post(`/api/v1/conventions/${id}/resiliation/retrait`, {
      date_accord: '2026-05-01',
      motif: 'Accord',
    });
    expect(retrait.status).toBe(409);
    expect((await retrait.json()).code).toBe('TRANSITION_INTERDITE');
    // an ended convention is closed by its action, once its end-of-term report is sent
    const sansRapport = await post(`/api/v1/conventions/${id}/cloture`, { motif: 'Fin' });
    expect(sansRapport.status).toBe(409);
    expect((await sansRapport.json()).code).toBe('CLOTURE_SANS_RAPPORT');
    const ecrit = await t.app.request(`/api/v1/conventions/${id}/rapport`, {
      method: 'PUT',
      headers: t.api('demo-gestionnaire'),
      body: JSON.stringify({ avancement: 'Service arrêté au préavis.', previsions: 'Aucune.' }),
    });
    expect(ecrit.status).toBe(200);
    expect((await post(`/api/v1/conventions/${id}/rapport/relecture`, {})).status).toBe(201);
    const envoi = await post(`/api/v1/conventions/${id}/rapport/envoi`, {
      date: '2026-11-23',
      destinataires: 'Délégant',
    });
    expect(envoi.status, await envoi.clone().text()).toBe(201);
    expect(await (await post(`/api/v1/conventions/${id}/cloture`, { motif: 'Fin' })).json()).toMatchObject({
      statut: 'cloturee',
    });
  });

  it('withdraws a notice by both parties’ agreement before its effect, and the convention runs to its term again', async () => {
    const id = await creer('CYCLE-5', { statut: 'en_vigueur', date_signature: '2026-01-10', preavis_mois: 6 });
    const r = await post(`/api/v1/conventions/${id}/resiliation`, {
      partie: 'delegataire',
      date_notification: '2026-11-02',
      motif: 'Réorganisation',
    });
    expect(await r.json()).toMatchObject({
      statut: 'resiliation_notifiee',
      statut_effectif: 'resiliation_notifiee',
      fin_effective: '2027-05-02',
    });
    // during the notice, orders go on
    const pendant = await post(`/api/v1/conventions/${id}/engagements`, {
      annee: 2026,
      montant_centimes: 100_000,
      objet: 'Suite',
      titulaire: 'Octo',
      date_engagement: '2026-11-23',
    });
    expect(pendant.status, await pendant.clone().text()).toBe(201);
    const deux = await post(`/api/v1/conventions/${id}/resiliation`, {
      partie: 'delegant',
      date_notification: '2026-11-03',
      motif: 'Aussi',
    });
    expect(deux.status).toBe(409);
    const page = await (await t.app.request(`/conventions/${id}`, { headers: t.as('demo-gestionnaire') })).text();
    expect(page).toContain('Résiliation notifiée — effet le 2 mai 2027');
    const retrait = await post(`/api/v1/conventions/${id}/resiliation/retrait`, {
      date_accord: '2026-11-20',
      motif: 'Les deux parties poursuivent',
    });
    expect(retrait.status).toBe(200);
    expect(await retrait.json()).toMatchObject({ statut: 'en_vigueur', fin_effective: '2029-01-10' });
    const cycle = await get(`/api/v1/conventions/${id}/cycle`);
    expect(cycle.resiliations).toMatchObject([
      { date_effet: '2027-05-02', preavis_mois: 6, retrait: { date_accord: '2026-11-20' } },
    ]);
  });
});
