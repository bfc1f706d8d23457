import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { demo } from '../support/demo.js';
import { docxDepuisTexte, pdfDepuisTexte } from '../support/documents.js';
import { DATABASES } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * Investment committees through the API: the next one planned from the period, the end and the money
 * left; the product team prepares its committee, the DINUM's budget officer records the decision; a
 * mid-term review decided « continue » releases the second tranche in the same transaction.
 */
describe.each(DATABASES)('investment committees on %s', (kind) => {
  let t: TestApp;
  let ministere: string;
  let fast: string;
  const instant = '2026-03-01T10:00:00Z';
  const get = (path: string, user = 'demo-admin') => t.app.request(path, { headers: t.api(user) });
  const send = (path: string, body: unknown, user = 'demo-admin') =>
    t.app.request(path, { method: 'POST', headers: t.api(user), body: JSON.stringify(body) });
  const prochain = async (id: string, user = 'demo-admin') =>
    (await get(`/api/v1/conventions/${id}/comites/prochain`, user)).json();
  async function etat(id: string) {
    const db = t.storage.db;
    return {
      comites: await db.selectFrom('comite').selectAll().where('convention_id', '=', id).orderBy('id').execute(),
      credits: await db.selectFrom('credit_annuel').selectAll().where('convention_id', '=', id).execute(),
      journal: await db.selectFrom('journal').select(['id']).where('convention_id', '=', id).execute(),
      decisions: await db.selectFrom('decision_credit').selectAll().where('convention_id', '=', id).execute(),
    };
  }

  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date(instant) });
    // a ministry's convention: the DINUM spends it, for the product of the demo's team
    ministere = (
      await creerConvention(t.ctx, admin, {
        ...demo().msj,
        reference: 'COMITE-2026',
        statut: 'en_vigueur',
        produits: ['Mon Suivi Justice'],
        dateSignature: '2026-01-15',
        dateFin: '2027-06-30',
        dureeMois: null,
        tranches: [],
        totalAeCentimes: 1_000_000,
        echeancier: [{ annee: 2026, aeCentimes: 1_000_000, cpCentimes: 1_000_000 }],
        comite: { periodiciteMois: 6, presidence: 'le représentant du délégant', invites: 'la DINUM' },
      })
    ).convention.id;
    // a FAST laureate: half at signature, half after the mid-term review
    fast = (
      await creerConvention(t.ctx, admin, {
        ...demo().selex,
        reference: 'FAST-COMITE-2026',
        statut: 'en_vigueur',
        dateSignature: '2026-01-15',
        dateFin: '2027-12-31',
        dureeMois: null,
        totalAeCentimes: 2_000_000,
        echeancier: [{ annee: 2026, aeCentimes: 2_000_000, cpCentimes: 2_000_000 }],
      })
    ).convention.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('plans the next committee six months after the signature while nothing is consumed', async () => {
    expect(await prochain(ministere)).toEqual({
      date: '2026-07-15',
      regle: 'periodicite',
      explication: expect.stringContaining('15 janvier 2026'),
    });
  });

  it('moves it earlier when the pace of orders exhausts the AE before, and says why', async () => {
    const r = await send(`/api/v1/conventions/${ministere}/engagements`, {
      annee: 2026,
      montant_centimes: 300_000,
      objet: 'Développement',
      titulaire: 'Octo',
      date_engagement: '2026-02-20',
    });
    expect(r.status).toBe(201);
    // 3 000 € in 45 days since 15 January, 7 000 € left: 105 days more, to 14 June; 45 days before
    const p = await prochain(ministere);
    expect(p).toMatchObject({ date: '2026-04-30', regle: 'epuisement_ae' });
    expect(p.explication).toContain('14 juin 2026');
    // the product team reads the same plan; another organisation's partner does not see it
    expect(await prochain(ministere, 'demo-equipe')).toEqual(p);
    expect((await get(`/api/v1/conventions/${ministere}/comites/prochain`, 'demo-partenaire-sociaux')).status).toBe(
      404,
    );
  });

  it('lets the product team prepare its committee with its indicators and request, and refuses a malformed one leaving everything as it was', async () => {
    const avant = await etat(ministere);
    const mauvais = await send(
      `/api/v1/conventions/${ministere}/comites`,
      { date: '2026-03-01', indicateurs: [{ nom: ' ', valeur: 1 }] },
      'demo-equipe',
    );
    expect(mauvais.status).toBe(400);
    expect((await mauvais.json()).code).toBe('DONNEES_INVALIDES');
    expect((await send(`/api/v1/conventions/${ministere}/comites`, { date: '2026-13-01' }, 'demo-equipe')).status).toBe(
      400,
    );
    expect((await send(`/api/v1/conventions/${ministere}/comites`, { date: '2025-12-01' }, 'demo-equipe')).status).toBe(
      400,
    );
    expect(await etat(ministere)).toEqual(avant);

    const r = await send(
      `/api/v1/conventions/${ministere}/comites`,
      {
        date: '2026-03-01',
        indicateurs: [
          { nom: 'Rendez-vous manqués', unite: '%', valeur: 18, cible: 12, source: 'https://stats.example/rdv' },
          { nom: 'Agents utilisateurs', unite: 'agents', valeur: 240, cible: 600, source: null },
        ],
        demande: { equipe: '1 développeur, 1 chargé de déploiement', budget_centimes: 600_000, duree_mois: 6 },
      },
      'demo-equipe',
    );
    expect(r.status).toBe(201);
    const c = await r.json();
    expect(c).toMatchObject({
      nature: 'investissement',
      date: '2026-03-01',
      presidence: 'le représentant du délégant',
      participants: ['la DINUM'],
      demande: { equipe: '1 développeur, 1 chargé de déploiement', budget_centimes: 600_000, duree_mois: 6 },
      decision: null,
    });
    expect(c.indicateurs).toHaveLength(2);
    expect(c.indicateurs[1]).toEqual({
      nom: 'Agents utilisateurs',
      unite: 'agents',
      valeur: 240,
      cible: 600,
      source: null,
    });
    const liste = await (await get(`/api/v1/conventions/${ministere}/comites`, 'demo-equipe')).json();
    expect(liste.items).toHaveLength(1);
    // the credits left are shown beside the request: 10 000 € open, 3 000 € ordered
    expect(liste.credits).toEqual({ annee: 2026, disponible_ae_centimes: 700_000, disponible_cp_centimes: 1_000_000 });
  });

  it('lets the budget officer, not the team, record the decision once, which moves the product’s phase', async () => {
    const [c] = (await (await get(`/api/v1/conventions/${ministere}/comites`)).json()).items;
    const corps = {
      decision: 'continue',
      motif: 'Objectifs atteints',
      budget_centimes: 600_000,
      phase: 'acceleration',
    };
    expect((await send(`/api/v1/conventions/${ministere}/comites/${c.id}/decision`, corps, 'demo-equipe')).status).toBe(
      403,
    );
    const avant = await etat(ministere);
    expect(
      (await send(`/api/v1/conventions/${ministere}/comites/${c.id}/decision`, { ...corps, decision: 'peut-etre' }))
        .status,
    ).toBe(400);
    expect(await etat(ministere)).toEqual(avant);
    const r = await send(`/api/v1/conventions/${ministere}/comites/${c.id}/decision`, corps, 'demo-gestionnaire');
    expect(r.status).toBe(201);
    expect((await r.json()).decision).toMatchObject({
      decision: 'continue',
      motif: 'Objectifs atteints',
      budget_centimes: 600_000,
      phase: 'acceleration',
      tranche_liberee: null,
      // 6 000 € within the 7 000 € the convention still allows, six months within its end: no avenant
      appelle_avenant: false,
    });
    const deux = await send(`/api/v1/conventions/${ministere}/comites/${c.id}/decision`, corps);
    expect(deux.status).toBe(409);
    expect((await deux.json()).code).toBe('COMITE_DEJA_DECIDE');
    const liste = await (await get(`/api/v1/conventions/${ministere}/comites`)).json();
    expect(liste.phase).toBe('acceleration');
    const journal = await (await get(`/api/v1/conventions/${ministere}/journal`)).json();
    expect(journal.items.map((l: { action: string }) => l.action)).toEqual(
      expect.arrayContaining(['preparation_comite', 'decision_comite']),
    );
    // the money still runs out before six months have passed since this committee
    expect((await prochain(ministere)).regle).toBe('epuisement_ae');
  });

  it('keeps the minutes of a committee held, sent by the budget officer after its decision, checked and journalled', async () => {
    const [c] = (await (await get(`/api/v1/conventions/${ministere}/comites`)).json()).items;
    expect(c.decision).not.toBeNull();
    expect(c.compte_rendu).toBeNull();
    const chemin = `/api/v1/conventions/${ministere}/comites/${c.id}/compte-rendu`;
    const envoyer = (nom: string, contenu: Uint8Array, user = 'demo-admin', type = '') => {
      const f = new FormData();
      f.set('fichier', new File([contenu.slice().buffer], nom, { type }));
      return t.app.request(chemin, { method: 'POST', headers: { authorization: t.api(user).authorization! }, body: f });
    };
    const pieces = () => t.storage.db.selectFrom('piece').select('id').where('convention_id', '=', ministere).execute();
    const avant = { ...(await etat(ministere)), pieces: await pieces() };
    const cr = await pdfDepuisTexte('Compte rendu du comité\nDécision : continuer six mois');
    expect((await envoyer('cr.pdf', cr, 'demo-equipe')).status).toBe(403);
    // an HTML page named like a PDF, a program: refused on the field, nothing kept
    const deguise = await envoyer(
      'cr.pdf',
      new TextEncoder().encode('<html><script>alert(1)</script>'),
      'demo-admin',
      'application/pdf',
    );
    expect(deguise.status).toBe(400);
    expect((await deguise.json()).details.erreurs).toEqual([
      {
        champ: 'compte_rendu',
        message: 'Le fichier « cr.pdf » n’est pas un PDF lisible : vérifiez qu’il n’est pas abîmé.',
      },
    ]);
    expect((await envoyer('outil.exe', new Uint8Array([0x4d, 0x5a, 1, 2]))).status).toBe(400);
    const sansFichier = await t.app.request(chemin, {
      method: 'POST',
      headers: { authorization: t.api('demo-admin').authorization! },
      body: new FormData(),
    });
    expect(sansFichier.status).toBe(400);
    expect({ ...(await etat(ministere)), pieces: await pieces() }).toEqual(avant);

    const r = await envoyer('compte-rendu.pdf', cr, 'demo-gestionnaire');
    expect(r.status, await r.clone().text()).toBe(201);
    const lien = (await r.json()).compte_rendu as string;
    expect(lien).toMatch(new RegExp(`^/api/v1/conventions/${ministere}/pieces/[0-9a-f-]{36}$`));
    const lu = await get(lien);
    expect(lu.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await lu.arrayBuffer())).toEqual(cr);
    // replaced by the Word version: downloaded, not shown
    const docx = await docxDepuisTexte('Compte rendu du comité, version relue');
    const r2 = await envoyer('compte-rendu.docx', docx);
    expect(r2.status).toBe(201);
    const lien2 = (await r2.json()).compte_rendu as string;
    expect(lien2).not.toBe(lien);
    const page = await t.app.request(lien2.replace('/api/v1', ''), { headers: t.as('demo-admin') });
    expect(page.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(page.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(new Uint8Array(await page.arrayBuffer())).toEqual(docx);
    const apres = await etat(ministere);
    expect(apres.comites).toEqual(
      avant.comites.map((x) => (x.id === c.id ? { ...x, compte_rendu_piece_id: lien2.split('/').pop() } : x)),
    );
    expect(apres.journal.length - avant.journal.length).toBe(2);
    const journal = await (await get(`/api/v1/conventions/${ministere}/journal`)).json();
    expect(journal.items.slice(0, 2).map((l: { action: string }) => l.action)).toEqual([
      'compte_rendu_comite',
      'compte_rendu_comite',
    ]);
  });

  it('refuses the minutes of a committee still to be held', async () => {
    const r = await send(`/api/v1/conventions/${ministere}/comites`, { date: '2026-05-01' });
    expect(r.status).toBe(201);
    const { id } = await r.json();
    const f = new FormData();
    f.set('fichier', new File([(await pdfDepuisTexte('Ordre du jour')).slice().buffer], 'odj.pdf'));
    const refus = await t.app.request(`/api/v1/conventions/${ministere}/comites/${id}/compte-rendu`, {
      method: 'POST',
      headers: { authorization: t.api('demo-admin').authorization! },
      body: f,
    });
    expect(refus.status).toBe(409);
    expect((await refus.json()).code).toBe('COMITE_A_VENIR');
  });

  it('releases the second tranche when a mid-term review decides to continue, in the same transaction, journalled', async () => {
    const credits = async () =>
      (await (await get(`/api/v1/conventions/${fast}/credits`)).json()).annees.find(
        (a: { annee: number }) => a.annee === 2026,
      ).ae.ouvert_centimes;
    expect(await credits()).toBe(1_000_000);
    const r = await send(`/api/v1/conventions/${fast}/comites`, {
      nature: 'mi_parcours',
      date: '2026-02-27',
      indicateurs: [{ nom: 'Juridictions équipées', valeur: 4, cible: 10 }],
    });
    expect(r.status).toBe(201);
    const { id } = await r.json();
    const avant = await etat(fast);
    // a stop releases nothing and says so when asked to
    const refus = await send(`/api/v1/conventions/${fast}/comites/${id}/decision`, {
      decision: 'arret',
      motif: 'Équipe non mobilisée',
      tranche: 2,
    });
    expect(refus.status).toBe(409);
    expect(await etat(fast)).toEqual(avant);

    const ok = await send(`/api/v1/conventions/${fast}/comites/${id}/decision`, {
      decision: 'continue',
      motif: 'Équipe mobilisée, sponsor présent',
    });
    expect(ok.status).toBe(201);
    expect((await ok.json()).decision.tranche_liberee).toBe(2);
    expect(await credits()).toBe(2_000_000);
    const apres = await etat(fast);
    expect(apres.decisions.filter((d) => d.type === 'liberation_tranche')).toHaveLength(1);
    expect(apres.journal.length - avant.journal.length).toBe(2);
    const journal = await (await get(`/api/v1/conventions/${fast}/journal`)).json();
    expect(
      journal.items
        .slice(0, 2)
        .map((l: { action: string }) => l.action)
        .sort(),
    ).toEqual(['decision_comite', 'liberation_tranche']);
  });

  it('lets the partner délégataire of a FAST convention prepare, and hides the committees from other organisations', async () => {
    const r = await send(`/api/v1/conventions/${fast}/comites`, { date: '2026-06-01' }, 'demo-partenaire-justice');
    expect(r.status).toBe(201);
    expect((await get(`/api/v1/conventions/${fast}/comites`, 'demo-partenaire-sociaux')).status).toBe(404);
    expect((await get(`/api/v1/conventions/${fast}/comites`, 'demo-partenaire-justice')).status).toBe(200);
  });

  it('records that a decision beyond the convention calls for an avenant, prefills its draft and links it once drafted', async () => {
    const liste = async () => (await (await get(`/api/v1/conventions/${ministere}/comites`)).json()).items;
    const [premier] = await liste();
    expect(premier).toMatchObject({ avenant_numero: null, avenant: null });
    expect(premier.decision.appelle_avenant).toBe(false);
    const r = await send(`/api/v1/conventions/${ministere}/comites`, { date: '2026-03-01' });
    expect(r.status).toBe(201);
    const { id: cid } = await r.json();
    // 9 000 € for 18 months: beyond the 10 000 € less the 3 000 € ordered, past the end of 30 June 2027
    const d = await send(`/api/v1/conventions/${ministere}/comites/${cid}/decision`, {
      decision: 'continue',
      motif: 'Déploiement national',
      budget_centimes: 900_000,
      duree_mois: 18,
    });
    expect(d.status, await d.clone().text()).toBe(201);
    expect(await d.json()).toMatchObject({ decision: { appelle_avenant: true }, avenant_numero: null });

    // the draft, prefilled: 10 000 € + 9 000 € in 2026 (AE, CP and maximum), the end 18 months after 1 March 2026
    const page = await t.app.request(`/conventions/${ministere}/avenants/nouveau?comite=${cid}`, {
      headers: t.as('demo-gestionnaire'),
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    const valeur = (name: string) =>
      new RegExp(`name="${name.replace(/\./g, '\\.')}"[^>]*value="([^"]*)"`).exec(html)?.[1];
    expect(valeur('echeancier.0.annee')).toBe('2026');
    expect(valeur('echeancier.0.ae_centimes')).toBe('19000');
    expect(valeur('echeancier.0.cp_centimes')).toBe('19000');
    expect(valeur('total_ae_centimes')).toBe('19000');
    expect(valeur('date_fin')).toBe('2027-09-01');
    expect(valeur('avenant.date_effet')).toBe('2026-03-01');
    expect(valeur('avenant.comite')).toBe(String(cid));
    expect(html).toContain('Avenant appelé par la décision du comité d’investissement du 1er mars 2026');
    expect(html).toContain('Déploiement national');
    // the team does not amend the convention
    expect(
      (
        await t.app.request(`/conventions/${ministere}/avenants/nouveau?comite=${cid}`, {
          headers: t.as('demo-equipe'),
        })
      ).status,
    ).toBe(403);

    const avenant = (comite_id: number) => ({
      objet: 'Suite du comité',
      date_effet: '2026-03-01',
      modifications: { date_fin: '2027-09-01' },
      comite_id,
    });
    const avant = await etat(ministere);
    const sans = await send(`/api/v1/conventions/${ministere}/avenants`, avenant(premier.id), 'demo-gestionnaire');
    expect(sans.status).toBe(409);
    expect((await sans.json()).code).toBe('COMITE_SANS_AVENANT');
    expect((await send(`/api/v1/conventions/${ministere}/avenants`, avenant(987_654))).status).toBe(404);
    expect(await etat(ministere)).toEqual(avant);

    const cree = await send(`/api/v1/conventions/${ministere}/avenants`, avenant(cid), 'demo-gestionnaire');
    expect(cree.status, await cree.clone().text()).toBe(201);
    const { numero } = await cree.json();
    const lie = (await liste()).find((x: { id: number }) => x.id === cid);
    expect(lie).toMatchObject({
      avenant_numero: numero,
      avenant: `/api/v1/conventions/${ministere}/avenants/${numero}`,
    });
    const journal = await (await get(`/api/v1/conventions/${ministere}/journal`)).json();
    expect(journal.items[0]).toMatchObject({ action: 'avenant' });
    expect(journal.items[0].commentaire).toContain('appelé par le comité du 1er mars 2026');
    // drafted once: the committee's link is not taken again, nor its draft offered
    const deux = await send(`/api/v1/conventions/${ministere}/avenants`, avenant(cid));
    expect(deux.status).toBe(409);
    expect((await deux.json()).code).toBe('COMITE_AVENANT_REDIGE');
    const encore = await t.app.request(`/conventions/${ministere}/avenants/nouveau?comite=${cid}`, {
      headers: t.as('demo-gestionnaire'),
    });
    expect(encore.status).toBe(409);
    expect(await encore.text()).toContain(`c’est l’avenant n° ${numero}`);
  });
});
