import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import type { ConventionSaisie } from '../../src/domain/convention.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { recalculerTotaux } from '../../src/storage/credit-mouvement.js';
import { listerJournal } from '../../src/storage/journal.js';
import { demo } from '../support/demo.js';
import { DATABASES, contexte } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

/**
 * Every rule of the dated ledger, tried through the API as a user who types an earlier date to get round
 * it: each refusal leaves the credits, the orders, the movements and the journal exactly as they were.
 */
const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const G = 'demo-gestionnaire';
const A = 'demo-admin';

describe.each(DATABASES)('the dated ledger through the API on %s', (kind) => {
  let t: TestApp;
  // the clock of the whole app; a test may move it and puts it back
  let instant = new Date('2026-11-23T10:00:00Z');
  let tranches: string;
  let finie: string;
  const h = {
    get: (path: string, user: string) => t.app.request(path, { headers: t.api(user) }),
    page: (path: string, user: string) => t.app.request(path, { headers: t.as(user) }),
    json: (method: string, path: string, body: unknown, user: string) =>
      t.app.request(path, { method, headers: t.api(user), body: JSON.stringify(body) }),
  };
  const convention = async (o: Partial<ConventionSaisie>) =>
    (
      await creerConvention(
        contexte(t.storage, () => instant),
        admin,
        { ...demo().classe, ...o },
      )
    ).convention.id;
  /** What a refusal must leave unchanged. */
  const etat = async (id: string) => ({
    credits: await (await h.get(`/api/v1/conventions/${id}/credits`, A)).json(),
    engagements: await (await h.get(`/api/v1/conventions/${id}/engagements`, A)).json(),
    totaux: await recalculerTotaux(t.storage.db, id),
    journal: await listerJournal(t.storage.db, id),
  });
  const refuse = async (id: string, r: () => Response | Promise<Response>, status: number, code: string) => {
    const avant = await etat(id);
    const res = await r();
    const body = await res.json();
    expect({ status: res.status, code: body.code }).toEqual({ status, code });
    expect(await etat(id)).toEqual(avant);
    return body;
  };
  const commande = (id: string, o: Record<string, unknown>, user = G) =>
    h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements`,
      { annee: 2026, objet: 'Dev', titulaire: 'Octo', ...o },
      user,
    );

  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date(instant.getTime()) });
    // 100 000 € in 2026, in two tranches of 50 %, signed on 2 March 2026
    tranches = await convention({
      reference: 'GL-TRANCHES',
      dateSignature: '2026-03-02',
      dateFin: '2027-06-30',
      dureeMois: null,
      echeancier: [{ annee: 2026, aeCentimes: 10_000_000, cpCentimes: 10_000_000 }],
      totalAeCentimes: 10_000_000,
      tranches: [
        { partPct: 50, condition: null },
        { partPct: 50, condition: 'Bilan de mi-parcours' },
      ],
    });
    // ended on 30 June 2025
    finie = await convention({
      reference: 'GL-FINIE',
      dateSignature: '2025-01-15',
      dateFin: '2025-06-30',
      dureeMois: null,
      echeancier: [{ annee: 2025, aeCentimes: 10_000_000, cpCentimes: 10_000_000 }],
      totalAeCentimes: 10_000_000,
      tranches: [],
    });
  });
  afterAll(async () => t?.close());

  it('refuses a tranche released before the signature, and gives an order dated before the release tranche 1 only', async () => {
    const liberation = (date: string) =>
      h.json(
        'POST',
        `/api/v1/conventions/${tranches}/credits/tranches/2/liberation`,
        { date, motif: 'Bilan favorable' },
        G,
      );
    const avant = await refuse(tranches, () => liberation('2026-03-01'), 409, 'DATE_HORS_CONVENTION');
    expect(avant.message).toContain('avant la signature de la convention (2 mars 2026)');
    expect((await liberation('2026-09-01')).status).toBe(201);

    // tranche 1 taken on 1 April by an order cancelled today: it held the credits until today
    const a = await (await commande(tranches, { montant_centimes: 5_000_000, date_engagement: '2026-04-01' })).json();
    expect(
      (
        await h.json(
          'POST',
          `/api/v1/conventions/${tranches}/engagements/${a.id}/annulation`,
          { motif: 'Devis retiré' },
          G,
        )
      ).status,
    ).toBe(200);
    const ko = await refuse(
      tranches,
      () => commande(tranches, { montant_centimes: 6_000_000, date_engagement: '2026-06-15' }),
      409,
      'PLAFOND_AE_DEPASSE',
    );
    expect(ko.details).toMatchObject({ date: '2026-06-15', disponible_centimes: 0, demande_centimes: 6_000_000 });
    expect(ko.message).toContain('au 15 juin 2026');
    // the totals say 100 000 € are free today, but on 1 May nothing was
    await refuse(
      tranches,
      () => commande(tranches, { montant_centimes: 1, date_engagement: '2026-05-01' }),
      409,
      'PLAFOND_AE_DEPASSE',
    );
    // tranche 2 from 1 September, then tranche 1 again from today
    expect((await commande(tranches, { montant_centimes: 5_000_000, date_engagement: '2026-09-02' })).status).toBe(201);
    const k = await refuse(
      tranches,
      () => commande(tranches, { montant_centimes: 1, date_engagement: '2026-10-01' }),
      409,
      'PLAFOND_AE_DEPASSE',
    );
    expect(k.details).toMatchObject({ date: '2026-10-01', disponible_centimes: 0 });
    expect((await commande(tranches, { montant_centimes: 5_000_000, date_engagement: '2026-11-23' })).status).toBe(201);
  });

  it('pays only work certified by the payment’s date, and keeps closed and cancelled orders closed', async () => {
    const base = `/api/v1/conventions/${tranches}/engagements`;
    const list = await (await h.get(`${base}?annee=2026`, A)).json();
    const du = (d: string) => list.items.find((x: { date_engagement: string }) => x.date_engagement === d);
    const sept = du('2026-09-02');
    expect(
      (await h.json('POST', `${base}/${sept.id}/services-faits`, { total: true, date: '2026-10-15' }, G)).status,
    ).toBe(201);
    const p = await refuse(
      tranches,
      () =>
        h.json(
          'POST',
          `${base}/${sept.id}/paiements`,
          { montant_centimes: 1_000_000, reference: 'F-1', date: '2026-10-01' },
          G,
        ),
      409,
      'PAIEMENT_SUPERIEUR_SERVICE_FAIT',
    );
    expect(p.details).toMatchObject({ date: '2026-10-01', disponible_centimes: 0 });
    expect(
      (
        await h.json(
          'POST',
          `${base}/${sept.id}/paiements`,
          { montant_centimes: 1_000_000, reference: 'F-1', date: '2026-10-16' },
          G,
        )
      ).status,
    ).toBe(201);
    // cancelled: no payment; closed: no more certified work
    await refuse(
      tranches,
      () => h.json('POST', `${base}/${du('2026-04-01').id}/paiements`, { montant_centimes: 1, reference: 'F-2' }, G),
      409,
      'ENGAGEMENT_ANNULE',
    );
    const nov = du('2026-11-23');
    expect((await h.json('POST', `${base}/${nov.id}/services-faits`, { pourcentage: 50 }, G)).status).toBe(201);
    expect((await h.json('POST', `${base}/${nov.id}/solde`, {}, G)).status).toBe(200);
    await refuse(
      tranches,
      () => h.json('POST', `${base}/${nov.id}/services-faits`, { montant_centimes: 1 }, G),
      409,
      'ENGAGEMENT_CLOS',
    );
  });

  it('refuses carry-over, returns and decisions dated outside the convention’s life', async () => {
    await refuse(
      tranches,
      () =>
        h.json(
          'POST',
          `/api/v1/conventions/${tranches}/credits/restitutions`,
          { annee: 2026, ae_centimes: 1, cp_centimes: 0, motif: 'x', date: '2026-02-27' },
          G,
        ),
      409,
      'DATE_HORS_CONVENTION',
    );
    await refuse(
      tranches,
      () =>
        h.json(
          'POST',
          `/api/v1/conventions/${tranches}/credits/reports`,
          { annee: 2026, ae_centimes: 0, cp_centimes: 1, motif: 'x', date: '2026-01-10' },
          G,
        ),
      409,
      'DATE_HORS_CONVENTION',
    );
    await refuse(
      finie,
      () =>
        h.json(
          'POST',
          `/api/v1/conventions/${finie}/credits/disponibilites`,
          { annee: 2025, ae_centimes: 1, cp_centimes: 1, motif: 'x', date: '2025-07-15' },
          A,
        ),
      409,
      'DATE_HORS_CONVENTION',
    );
    // CP are free from 1 September on: a return dated then passes, and says its date
    expect(
      (
        await h.json(
          'POST',
          `/api/v1/conventions/${tranches}/credits/restitutions`,
          { annee: 2026, ae_centimes: 0, cp_centimes: 100, motif: 'Remontée', date: '2026-09-10' },
          G,
        )
      ).status,
    ).toBe(201);
    const j = await listerJournal(t.storage.db, tranches);
    expect(j[0]).toMatchObject({
      action: 'restitution',
      changements: expect.arrayContaining([{ champ: 'date_effet', avant: null, apres: '2026-09-10' }]),
    });
    expect(j[0]!.le).toBe(instant.toISOString());
  });

  it('caps what is made available across the years at the convention’s maximum', async () => {
    const decision = (annee: number, ae: number, cp: number) =>
      h.json(
        'POST',
        `/api/v1/conventions/${tranches}/credits/disponibilites`,
        { annee, ae_centimes: ae, cp_centimes: cp, motif: 'Notification', date: '2026-11-20' },
        A,
      );
    // 100 000 € already made available in 2026: 1 € more in 2027 breaks the 100 000 € maximum
    const r = await refuse(tranches, () => decision(2027, 1, 0), 409, 'PLAFOND_CONVENTION_DEPASSE');
    expect(r.details).toMatchObject({ nature: 'AE', maximum_centimes: 10_000_000, apres_centimes: 10_000_001 });
    expect(r.message).toContain('avenant');
    await refuse(tranches, () => decision(2027, 0, 1), 409, 'PLAFOND_CONVENTION_DEPASSE');
    await refuse(tranches, () => decision(2026, 40_000_000, 10_000_000), 409, 'PLAFOND_CONVENTION_DEPASSE');
  });

  it('refuses an order recorded after the convention’s end even when dated before it, unless an administrator gives a reason', async () => {
    const r = await refuse(
      finie,
      () => commande(finie, { annee: 2025, montant_centimes: 100_000, date_engagement: '2025-05-02' }),
      409,
      'ENREGISTREMENT_APRES_FIN',
    );
    expect(r.message).toContain('30 juin 2025');
    await refuse(
      finie,
      () =>
        commande(finie, {
          annee: 2025,
          montant_centimes: 100_000,
          date_engagement: '2025-05-02',
          derogation: { motif: 'Bon papier' },
        }),
      403,
      'ACCES_REFUSE',
    );
    const ok = await commande(
      finie,
      {
        annee: 2025,
        montant_centimes: 100_000,
        date_engagement: '2025-05-02',
        derogation: { motif: 'Bon papier signé le 2 mai 2025' },
      },
      A,
    );
    expect(ok.status).toBe(201);
    const e = await ok.json();
    expect(e.avertissements.join(' ')).toMatch(/Dérogation.*fin.*Motif : Bon papier/);
    expect(e.cree_le).toBe(instant.toISOString());
    // the journal line has both dates: its instant and the effect date the user stated
    const ligne = (await listerJournal(t.storage.db, finie)).find((l) => l.action === 'engagement')!;
    expect(ligne.le).toBe(instant.toISOString());
    expect(ligne.changements).toContainEqual({ champ: 'date_effet', avant: null, apres: '2025-05-02' });
    expect(ligne.commentaire).toContain('daté du 2 mai 2025');
    // the journal page says it in French, amounts in euros and dates in words
    const fiche = (await (await h.page(`/conventions/${finie}`, A)).text()).replace(/\s/g, ' ');
    expect(fiche).toContain('Bon de commande');
    expect(fiche).toMatch(/Date d’effet<\/strong> : <del>∅<\/del> → <ins>2 mai 2025<\/ins>/);
    expect(fiche).toContain('Crédits 2025 : AE ouvertes');
    // the line's instant is written in words, in Paris time (11:00 for 10:00 UTC in November)
    expect(fiche).toContain(`<time datetime="${instant.toISOString()}">23 novembre 2026 à 11:00</time>`);
    expect(fiche).not.toMatch(/<time[^>]*>\d{2}\/\d{2}\/\d{4}/);
  });

  it('keeps a Chorus number to one order across conventions', async () => {
    const autre = await convention({
      reference: 'GL-AUTRE',
      dateSignature: '2026-03-02',
      dateFin: '2027-06-30',
      dureeMois: null,
      echeancier: [{ annee: 2026, aeCentimes: 1_000_000, cpCentimes: 1_000_000 }],
      tranches: [],
    });
    expect(
      (await commande(autre, { montant_centimes: 100, numero: '1300099999', date_engagement: '2026-11-20' })).status,
    ).toBe(201);
    const r = await refuse(
      tranches,
      () => commande(tranches, { montant_centimes: 1, numero: '1300099999', date_engagement: '2026-11-20' }),
      409,
      'NUMERO_DEJA_UTILISE',
    );
    expect(r.message).toContain('GL-AUTRE');
    // an HT order is counted against TTC credits at its TTC amount: 9 000 € HT at 20 % is 10 800 € TTC
    const ht = await refuse(
      autre,
      () => commande(autre, { montant_centimes: 900_000, base_montant: 'HT', date_engagement: '2026-11-21' }),
      409,
      'PLAFOND_AE_DEPASSE',
    );
    expect(ht.details).toMatchObject({ demande_centimes: 1_080_000, disponible_centimes: 999_900 });
    await refuse(
      autre,
      () => commande(autre, { montant_centimes: 900_000, base_montant: 'HT', taux_tva: 7 }),
      400,
      'DONNEES_INVALIDES',
    );
    const ok = await commande(autre, {
      montant_centimes: 900_000,
      base_montant: 'HT',
      taux_tva: 10,
      date_engagement: '2026-11-21',
    });
    expect(ok.status).toBe(201);
    const e = await ok.json();
    expect(e).toMatchObject({
      montant_centimes: 900_000,
      base_montant: 'HT',
      taux_tva: 10,
      montant_impute_centimes: 990_000,
    });
    expect(e.avertissements.join(' ')).toMatch(/imputé à 9\s900,00\s€ TTC \(TVA 10 %\)/);
    const credits = await (await h.get(`/api/v1/conventions/${autre}/credits`, A)).json();
    expect(credits.annees[0].ae).toMatchObject({ engage_centimes: 990_100, disponible_centimes: 9_900 });
    // certified work and payment are on the counted amount
    const base = `/api/v1/conventions/${autre}/engagements/${e.id}`;
    expect((await (await h.json('POST', `${base}/services-faits`, { total: true }, G)).json()).certifie_centimes).toBe(
      990_000,
    );
    const page = await (await h.page(`/conventions/${autre}/credits/engagements/${e.id}`, A)).text();
    expect(page).toMatch(/9\s000,00\s€ HT \(TVA 10 %\)/);
    expect(page).toContain('Montant imputé sur les crédits');
  });

  it('refuses an order or a payment recorded after the cut-off by dating it the day before', async () => {
    const base = `/api/v1/conventions/${tranches}/engagements`;
    const list = await (await h.get(`${base}?annee=2026`, A)).json();
    const sept = list.items.find((x: { date_engagement: string }) => x.date_engagement === '2026-09-02');
    const avant = instant;
    instant = new Date('2026-12-20T10:00:00Z');
    try {
      const r = await refuse(
        tranches,
        () => commande(tranches, { montant_centimes: 1, date_engagement: '2026-12-10' }),
        409,
        'CALENDRIER_DEPASSE',
      );
      expect(r.message).toContain('enregistrée le 20 décembre 2026');
      await refuse(
        tranches,
        () =>
          h.json(
            'POST',
            `${base}/${sept.id}/paiements`,
            { montant_centimes: 1, reference: 'F-3', date: '2026-11-25' },
            G,
          ),
        409,
        'CALENDRIER_DEPASSE',
      );
    } finally {
      instant = avant;
    }
  });
});
