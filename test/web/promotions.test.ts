import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { demo } from '../support/demo.js';
import { DATABASES } from '../support/db.js';
import { pdfDepuisTexte } from '../support/documents.js';
import { testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * FAST promotions on the demo, on the tests' clock (23 November 2026): seLEXpert, signed on 23 September
 * 2026, laureate of FAST 19, its mid-term review on 30 November, its second tranche waiting for it, its
 * partner's envelope of 110 000 € to commit by 23 March 2027.
 */
describe.each(DATABASES)('FAST promotions on %s', (kind) => {
  let t: TestApp;
  let selex: string;
  const { references } = demo();
  const get = (path: string, user = 'demo-gestionnaire') => t.app.request(path, { headers: t.api(user) });
  const send = (path: string, body: unknown, user = 'demo-gestionnaire') =>
    t.app.request(path, { method: 'POST', headers: t.api(user), body: JSON.stringify(body) });
  const laureat = async () => {
    const items = (await (await get('/api/v1/fast/promotions')).json()).items;
    const p = items.find((x: { numero: number }) => x.numero === 19);
    return { promotion: p, laureat: p.laureats.find((l: { reference: string }) => l.reference === references.selex) };
  };
  const etat = async (id: string) => ({
    enveloppe: await t.storage.db.selectFrom('enveloppe').selectAll().where('convention_id', '=', id).execute(),
    promotions: await t.storage.db.selectFrom('promotion').selectAll().orderBy('numero').execute(),
    journal: await t.storage.db.selectFrom('journal').select('id').execute(),
  });

  beforeAll(async () => {
    t = await testApp(kind);
    selex = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', references.selex)
        .executeTakeFirstOrThrow()
    ).id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('shows seLEXpert in its promotion: the mid-term review due, the tranche it would release, the envelope and its deadline', async () => {
    const { promotion, laureat: l } = await laureat();
    expect(references.selex).toBe('FAST19-SELEXPERT');
    expect(promotion).toMatchObject({ lancement: '2026-09-30', mi_parcours: '2026-11-30', demo_day: '2027-01-30' });
    expect(l).toMatchObject({
      produit: 'seLEXpert',
      date_signature: '2026-09-23',
      cofinancement_centimes: 11_000_000,
      tranches_liberees: [1],
      tranche_mi_parcours: { rang: 2, part_pct: 50, ae_centimes: 5_500_000 },
      revue_mi_parcours: { etat: 'due', date: '2026-11-30' },
      enveloppe: { montant_centimes: 11_000_000, engage_centimes: 0, echeance: '2027-03-23', alerte: null },
    });
  });

  it('is for the DINUM’s budget roles', async () => {
    expect((await get('/api/v1/fast/promotions', 'demo-partenaire-justice')).status).toBe(403);
    expect((await get('/api/v1/fast/promotions', 'demo-equipe')).status).toBe(403);
  });

  it('records a promotion with its calendar once, and refuses dates out of order leaving nothing', async () => {
    const avant = await etat(selex);
    const p = { numero: 20, lancement: '2027-03-15', mi_parcours: '2027-02-01' };
    expect((await send('/api/v1/fast/promotions', p)).status).toBe(400);
    expect(
      (await send('/api/v1/fast/promotions', { ...p, mi_parcours: '2027-05-15' }, 'demo-partenaire-justice')).status,
    ).toBe(403);
    expect(await etat(selex)).toEqual(avant);
    const r = await send('/api/v1/fast/promotions', {
      ...p,
      mi_parcours: '2027-05-15',
      demo_day: '2027-07-15',
      plafond_laureat_centimes: 20_000_000,
    });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ numero: 20, mi_parcours: '2027-05-15', laureats: [] });
    const deux = await send('/api/v1/fast/promotions', { numero: 20 });
    expect(deux.status).toBe(409);
    expect((await deux.json()).code).toBe('PROMOTION_EXISTANTE');
  });

  it('lets the partner declare what it committed of its envelope, with the evidence, without changing the amount', async () => {
    const chemin = `/api/v1/conventions/${selex}/enveloppe`;
    const avant = await etat(selex);
    expect((await send(chemin, { engage_centimes: 5_000_000 }, 'demo-partenaire-justice')).status).toBe(400);
    expect(
      (await send(chemin, { montant_centimes: 5_000_000, engage_centimes: 0 }, 'demo-partenaire-justice')).status,
    ).toBe(403);
    expect((await send(chemin, { engage_centimes: 12_000_000, preuve_url: 'https://x.example/bc' })).status).toBe(400);
    expect((await send(chemin, { engage_centimes: 0 }, 'demo-partenaire-sociaux')).status).toBe(404);
    expect(await etat(selex)).toEqual(avant);
    const preuve = 'https://chorus.example/ej/2100001234';
    expect(
      (await send(chemin, { engage_centimes: 5_000_000, preuve_url: preuve }, 'demo-partenaire-justice')).status,
    ).toBe(204);
    expect((await laureat()).laureat.enveloppe).toMatchObject({
      montant_centimes: 11_000_000,
      engage_centimes: 5_000_000,
      preuve_url: preuve,
    });
  });

  it('raises an alert once an envelope’s deadline has passed uncommitted', async () => {
    const id = (
      await creerConvention(t.ctx, admin, {
        ...demo().selex,
        reference: 'FAST-ENVELOPPE',
        dateSignature: '2026-05-04',
        dateFin: '2027-12-31',
      })
    ).convention.id;
    expect(
      (await send(`/api/v1/conventions/${id}/enveloppe`, { montant_centimes: 3_000_000, engage_centimes: 0 })).status,
    ).toBe(204);
    const alertes = (await (await get('/api/v1/credits/alertes')).json()) as {
      calculees: Array<Record<string, unknown>>;
    };
    const a = alertes.calculees.find((x) => x.convention_id === id && x.type === 'enveloppe_cofinancement');
    expect(a).toMatchObject({ niveau: 'error' });
    expect(String(a!.message)).toContain('4 novembre 2026');
    expect(alertes.calculees.some((x) => x.convention_id === selex && x.type === 'enveloppe_cofinancement')).toBe(
      false,
    );
  });

  it('releases the second tranche when the mid-term review decides to continue, in one transaction, journalled', async () => {
    const r = await send(`/api/v1/conventions/${selex}/comites`, {
      nature: 'mi_parcours',
      date: '2026-11-23',
      indicateurs: [{ nom: 'Juridictions équipées', valeur: 3, cible: 8 }],
    });
    expect(r.status).toBe(201);
    const { id } = await r.json();
    const lignes = (await (await get(`/api/v1/conventions/${selex}/journal`)).json()).items.length;
    const d = await send(`/api/v1/conventions/${selex}/comites/${id}/decision`, {
      decision: 'continue',
      motif: 'Équipe et sponsor mobilisés',
    });
    expect(d.status).toBe(201);
    const { laureat: l } = await laureat();
    expect(l).toMatchObject({
      tranches_liberees: [1, 2],
      tranche_mi_parcours: null,
      revue_mi_parcours: { etat: 'tenue' },
    });
    const credits = (await (await get(`/api/v1/conventions/${selex}/credits`)).json()).annees.find(
      (a: { annee: number }) => a.annee === 2026,
    );
    expect(credits.ae.ouvert_centimes).toBe(11_000_000);
    const journal = (await (await get(`/api/v1/conventions/${selex}/journal`)).json()).items;
    expect(journal.length - lignes).toBe(2);
    expect(
      journal
        .slice(0, 2)
        .map((x: { action: string }) => x.action)
        .sort(),
    ).toEqual(['decision_comite', 'liberation_tranche']);
  });

  it('takes the evidence of the envelope as a file through the API, checked as an obligation’s, the declaration unchanged', async () => {
    const chemin = `/api/v1/conventions/${selex}/enveloppe/preuve`;
    const envoyer = (nom: string, contenu: Uint8Array | null, user = 'demo-partenaire-justice') => {
      const f = new FormData();
      if (contenu) f.set('fichier', new File([contenu.slice().buffer], nom));
      return t.app.request(chemin, { method: 'POST', headers: { authorization: t.api(user).authorization! }, body: f });
    };
    const lire = async () => (await get(`/api/v1/conventions/${selex}/enveloppe`)).json();
    const avant = await lire();
    expect(avant.preuve_fichier).toBeNull();
    const etatAvant = await etat(selex);
    const deguise = await envoyer('ej.pdf', new TextEncoder().encode('<html><script>alert(1)</script>'));
    expect(deguise.status).toBe(400);
    expect((await deguise.json()).details.erreurs).toEqual([
      {
        champ: 'preuve_fichier',
        message: 'Le fichier « ej.pdf » n’est pas un PDF lisible : vérifiez qu’il n’est pas abîmé.',
      },
    ]);
    const sans = await envoyer('ej.pdf', null);
    expect(sans.status).toBe(400);
    expect((await sans.json()).details.erreurs).toEqual([
      { champ: 'preuve_fichier', message: 'Joignez le fichier de la preuve.' },
    ]);
    const pdf = await pdfDepuisTexte('Engagement juridique 2100001234');
    expect((await envoyer('ej.pdf', pdf, 'demo-partenaire-sociaux')).status).toBe(404);
    expect(await etat(selex)).toEqual(etatAvant);

    const r = await envoyer('ej.pdf', pdf);
    expect(r.status, await r.clone().text()).toBe(201);
    const corps = await r.json();
    // what was declared committed, and its link, stay: the file is added as the evidence
    expect(corps).toMatchObject({
      montant_centimes: avant.montant_centimes,
      engage_centimes: avant.engage_centimes,
      preuve_url: avant.preuve_url,
    });
    expect(corps.preuve_fichier).toMatch(new RegExp(`^/api/v1/conventions/${selex}/pieces/[0-9a-f-]{36}$`));
    expect(await lire()).toEqual(corps);
    expect((await laureat()).laureat.enveloppe.preuve_fichier).toBe(corps.preuve_fichier);
    expect(new Uint8Array(await (await get(corps.preuve_fichier)).arrayBuffer())).toEqual(pdf);
    const [ligne] = (await (await get(`/api/v1/conventions/${selex}/journal`)).json()).items;
    expect(ligne.action).toBe('declaration_enveloppe');
    expect(JSON.stringify(ligne.changements)).toContain('ej.pdf (sha256 ');

    // the file stays the evidence of a new amount declared without a link
    expect(
      (await send(`/api/v1/conventions/${selex}/enveloppe`, { engage_centimes: 7_000_000 }, 'demo-partenaire-justice'))
        .status,
    ).toBe(204);
    expect(await lire()).toMatchObject({
      engage_centimes: 7_000_000,
      preuve_url: null,
      preuve_fichier: corps.preuve_fichier,
    });
  });
});
