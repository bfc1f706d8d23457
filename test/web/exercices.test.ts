import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { SIRET_JUSTICE } from '../../src/demo/conventions.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { demo } from '../support/demo.js';
import { DATABASES } from '../support/db.js';
import { CSRF, form, testApp, type TestApp } from '../support/app.js';
import { ouvrirSession } from '../../src/usecases/acces.js';
import { textePdf } from '../support/lecture.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * Year-end closing through the API, on a convention whose délégant is the Justice ministry (its demo
 * partner closes it) and whose délégataire is the DINUM (its budget officer orders, never closes). The clock
 * moves from November 2026 to February 2027; every attempt to get round the closing by dating is refused
 * and leaves the credits, the ledger and the journal as they were.
 */
describe.each(DATABASES)('year-end closing on %s', (kind) => {
  let t: TestApp;
  let id: string;
  let eid: string;
  let instant = '2026-11-10T10:00:00Z';
  const au = (jour: string) => {
    instant = `${jour}T10:00:00Z`;
  };
  const get = (path: string, user = 'demo-admin') => t.app.request(path, { headers: t.api(user) });
  const send = (method: string, path: string, body: unknown, user = 'demo-admin') =>
    t.app.request(path, { method, headers: t.api(user), body: body === undefined ? undefined : JSON.stringify(body) });

  /** Everything a refused movement must leave untouched. */
  async function etat() {
    const db = t.storage.db;
    const [credits, mouvements, journal, engagements] = await Promise.all([
      db.selectFrom('credit_annuel').selectAll().where('convention_id', '=', id).orderBy('annee').execute(),
      db
        .selectFrom('mouvement')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('journal')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
      db.selectFrom('engagement').selectAll().where('convention_id', '=', id).orderBy('numero').execute(),
    ]);
    return { credits, mouvements, journal, engagements };
  }
  async function refuse(r: Response, status: number, code: string, avant: Awaited<ReturnType<typeof etat>>) {
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(status);
    expect(body.code).toBe(code);
    expect(await etat()).toEqual(avant);
    return body;
  }

  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date(instant) });
    const base = demo().classe;
    id = (
      await creerConvention(t.ctx, admin, {
        ...base,
        reference: 'CLOTURE-2026',
        statut: 'en_vigueur',
        delegant: { ...base.delegant, siret: SIRET_JUSTICE },
        dateSignature: '2026-01-15',
        dateFin: '2027-12-31',
        dureeMois: null,
        tranches: [],
        echeancier: [
          { annee: 2026, aeCentimes: 5_000_000, cpCentimes: 5_000_000 },
          { annee: 2027, aeCentimes: 1_000_000, cpCentimes: 1_000_000 },
        ],
      })
    ).convention.id;
    const e = await send(
      'POST',
      `/api/v1/conventions/${id}/engagements`,
      { annee: 2026, montant_centimes: 3_000_000, objet: 'Coaching', titulaire: 'Octo', date_engagement: '2026-06-15' },
      'demo-gestionnaire',
    );
    expect(e.status).toBe(201);
    eid = (await e.json()).id;
    expect(
      (
        await send('POST', `/api/v1/conventions/${id}/engagements/${eid}/services-faits`, {
          montant_centimes: 1_000_000,
          date: '2026-10-01',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await send('POST', `/api/v1/conventions/${id}/engagements/${eid}/paiements`, {
          montant_centimes: 800_000,
          date: '2026-10-20',
          reference: 'F-1',
        })
      ).status,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => t?.close());

  it('records the délégant’s agreement to carry over before the deadline, and only the délégant’s', async () => {
    const avant = await etat();
    // the DINUM is délégataire here: its budget officer asks, the ministry agrees
    await refuse(
      await send(
        'POST',
        `/api/v1/conventions/${id}/exercices/2026/accord-report`,
        { date_accord: '2026-11-09', auteur: 'M. Dupont' },
        'demo-gestionnaire',
      ),
      403,
      'ACCES_REFUSE',
      avant,
    );
    await refuse(
      await send(
        'POST',
        `/api/v1/conventions/${id}/exercices/2026/accord-report`,
        { date_accord: '2026-11-12', auteur: 'M. Dupont' },
        'demo-partenaire-justice',
      ),
      400,
      'DONNEES_INVALIDES',
      avant,
    );
    await refuse(
      await send(
        'POST',
        `/api/v1/conventions/${id}/exercices/2026/accord-report`,
        { date_accord: 'hier', auteur: 'M. Dupont' },
        'demo-partenaire-justice',
      ),
      400,
      'DONNEES_INVALIDES',
      avant,
    );
    const ok = await send(
      'POST',
      `/api/v1/conventions/${id}/exercices/2026/accord-report`,
      { date_accord: '2026-11-09', auteur: 'M. Dupont, responsable de BOP', ae_centimes: 500_000 },
      'demo-partenaire-justice',
    );
    expect(ok.status).toBe(201);
    const l = await ok.json();
    expect(l.accord_report).toMatchObject({
      date_accord: '2026-11-09',
      auteur: 'M. Dupont, responsable de BOP',
      ae_centimes: 500_000,
      cp_centimes: null,
      enregistre_par: 'Jeton « Tests — demo-partenaire-justice »',
    });
    // 5 000 000 available, 3 000 000 committed: 500 000 carried over as agreed, the rest returned; CP: 4 200 000 unpaid, all carried over
    expect(l.proposition).toEqual({
      inutilise_ae_centimes: 2_000_000,
      inutilise_cp_centimes: 4_200_000,
      report: { ae_centimes: 500_000, cp_centimes: 4_200_000 },
      restitution: { ae_centimes: 1_500_000, cp_centimes: 0 },
    });
    // after the deadline, even dated before it
    au('2026-11-16');
    const apres = await etat();
    const r = await refuse(
      await send(
        'POST',
        `/api/v1/conventions/${id}/exercices/2026/accord-report`,
        { date_accord: '2026-11-14', auteur: 'M. Dupont' },
        'demo-partenaire-justice',
      ),
      409,
      'REPORT_HORS_DELAI',
      apres,
    );
    expect(r.message).toContain('15 novembre 2026');
  });

  it('refuses to close before the exercise’s closing date, then closes from the date set for that year', async () => {
    au('2026-12-01');
    const avant = await etat();
    await refuse(
      await send('POST', '/api/v1/exercices/2026/cloture', { convention_id: id }, 'demo-partenaire-justice'),
      409,
      'CLOTURE_PREMATUREE',
      avant,
    );
    expect((await (await get('/api/v1/exercices/2026/calendrier')).json()).ouverture_cloture).toBe('2026-12-13');
    expect(
      (
        await send(
          'PUT',
          '/api/v1/exercices/2026/calendrier',
          { ouverture_cloture: '2026-12-01', limite_report: '2026-11-15', limite_cloture: '2027-01-31' },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(403);
    const bad = await send('PUT', '/api/v1/exercices/2026/calendrier', {
      ouverture_cloture: '2025-12-01',
      limite_report: '2026-11-15',
      limite_cloture: '2027-01-31',
    });
    expect(bad.status).toBe(400);
    const put = await send('PUT', '/api/v1/exercices/2026/calendrier', {
      ouverture_cloture: '2026-12-01',
      limite_report: '2026-11-15',
      limite_cloture: '2027-01-31',
    });
    expect(put.status).toBe(200);
    // another year keeps the global calendar
    expect((await (await get('/api/v1/exercices/2027/calendrier')).json()).ouverture_cloture).toBe('2027-12-13');
    // the DINUM's budget officer is not the délégant of this convention
    await refuse(
      await send('POST', '/api/v1/exercices/2026/cloture', { convention_id: id }, 'demo-gestionnaire'),
      403,
      'ACCES_REFUSE',
      await etat(),
    );
    await refuse(
      await send('POST', '/api/v1/exercices/2026/cloture', { convention_id: 'pas-un-uuid' }, 'demo-partenaire-justice'),
      400,
      'DONNEES_INVALIDES',
      await etat(),
    );
    const r = await send('POST', '/api/v1/exercices/2026/cloture', { convention_id: id }, 'demo-partenaire-justice');
    expect(r.status).toBe(201);
    const c = (await r.json()).conventions[0];
    expect(c.bilan).toEqual({
      annee: 2026,
      ae: {
        mis_a_disposition_centimes: 5_000_000,
        engage_centimes: 3_000_000,
        inutilise_centimes: 2_000_000,
        reporte_centimes: 500_000,
        restitue_centimes: 1_500_000,
      },
      cp: {
        mis_a_disposition_centimes: 5_000_000,
        certifie_centimes: 1_000_000,
        paye_centimes: 800_000,
        inutilise_centimes: 4_200_000,
        reporte_centimes: 4_200_000,
        restitue_centimes: 0,
      },
    });
    const credits = await (await get(`/api/v1/conventions/${id}/credits`)).json();
    const a2026 = credits.annees.find((a: { annee: number }) => a.annee === 2026);
    const a2027 = credits.annees.find((a: { annee: number }) => a.annee === 2027);
    expect(a2026.ae.disponible_centimes).toBe(0);
    expect(a2026.cp.disponible_centimes).toBe(0);
    expect(a2027.ae).toMatchObject({ reporte_entrant_centimes: 500_000, ouvert_centimes: 1_500_000 });
    expect(a2027.cp).toMatchObject({ reporte_entrant_centimes: 4_200_000, ouvert_centimes: 5_200_000 });
    const journal = (await (await get(`/api/v1/conventions/${id}/journal`)).json()).items;
    const ligne = journal.find((j: { action: string }) => j.action === 'cloture');
    expect(ligne.acteur.nom).toBe('Jeton « Tests — demo-partenaire-justice »');
    expect(ligne.commentaire).toContain('Clôture de l’exercice 2026');
  });

  it('refuses every movement dated in the closed year, even backdated, and leaves everything as it was', async () => {
    au('2026-12-05');
    const avant = await etat();
    const base = { montant_centimes: 1_000, objet: 'Antidatée', titulaire: 'Octo' };
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/engagements`, {
        ...base,
        annee: 2026,
        date_engagement: '2026-06-15',
        derogation: { motif: 'Oubli' },
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/engagements/${eid}/services-faits`, {
        montant_centimes: 1_000,
        date: '2026-11-25',
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/engagements/${eid}/paiements`, {
        montant_centimes: 1_000,
        date: '2026-11-20',
        reference: 'F-2',
        derogation: { motif: 'Oubli' },
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/engagements/${eid}/solde`, {}),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/credits/restitutions`, {
        annee: 2026,
        ae_centimes: 1,
        cp_centimes: 0,
        motif: 'Après coup',
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/credits/disponibilites`, {
        annee: 2026,
        ae_centimes: 9_000_000,
        cp_centimes: 9_000_000,
        date: '2026-06-01',
        motif: 'Rattrapage',
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    await refuse(
      await send('POST', '/api/v1/exercices/2026/cloture', { convention_id: id }),
      409,
      'EXERCICE_DEJA_CLOS',
      avant,
    );
    // recorded during the closed year, whatever the year of the credits
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/credits/reports`, {
        annee: 2027,
        ae_centimes: 1,
        cp_centimes: 0,
        motif: 'Anticipé',
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
  });

  it('stops projecting orders after a convention’s end and raises what is left after it', async () => {
    au('2026-12-05');
    const base = demo().classe;
    const finie = (
      await creerConvention(t.ctx, admin, {
        ...base,
        reference: 'FINIE-JUIN',
        statut: 'en_vigueur',
        dateSignature: '2026-01-15',
        dateFin: '2026-06-30',
        dureeMois: null,
        tranches: [],
        echeancier: [{ annee: 2026, aeCentimes: 400_000, cpCentimes: 400_000 }],
      })
    ).convention.id;
    const v = await (await get(`/api/v1/conventions/${finie}/credits`)).json();
    const a2026 = v.annees.find((a: { annee: number }) => a.annee === 2026);
    // nothing was ordered before the end: nothing more is projected after it
    expect(a2026.projection).toMatchObject({ ae_projete_centimes: 0, ae_inutilise_centimes: 400_000 });
    expect(v.alertes.map((x: { type: string }) => x.type)).toEqual(['reste_apres_fin']);
    const toutes = (await (await get('/api/v1/credits/alertes')).json()).calculees;
    expect(
      toutes
        .filter((x: { convention_id: string; type: string }) => x.convention_id === finie)
        .map((x: { type: string }) => x.type),
    ).toEqual(['reste_apres_fin']);
  });

  it('lets the next year pay the closed year’s orders, never dated in it', async () => {
    au('2027-01-10');
    const avant = await etat();
    await refuse(
      await send('POST', `/api/v1/conventions/${id}/engagements`, {
        annee: 2026,
        montant_centimes: 1_000,
        objet: 'Antidatée',
        titulaire: 'Octo',
        date_engagement: '2026-12-31',
        derogation: { motif: 'Oubli' },
      }),
      409,
      'EXERCICE_CLOS',
      avant,
    );
    const pay = await send('POST', `/api/v1/conventions/${id}/engagements/${eid}/paiements`, {
      montant_centimes: 200_000,
      date: '2027-01-10',
      reference: 'F-3',
      derogation: { motif: 'Facture de fin d’année' },
    });
    expect(pay.status).toBe(201);
    // the statement stays the one frozen at the closing
    const b = await (await get(`/api/v1/conventions/${id}/exercices/2026/bilan`, 'demo-partenaire-justice')).json();
    expect(b).toMatchObject({ clos: true, annee: 2026, base_montants: 'TTC' });
    expect(b.bilan.cp.paye_centimes).toBe(800_000);
    expect(b.proposition).toBeNull();
  });

  it('exports the statement as CSV and XLSX', async () => {
    const csv = await get(`/api/v1/conventions/${id}/exercices/2026/bilan.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const octets = new Uint8Array(await csv.arrayBuffer());
    expect([...octets.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lignes = new TextDecoder().decode(octets).trim().split('\r\n');
    expect(lignes[0]).toBe('Exercice 2026;AE 2026 (TTC, €);CP 2026 (TTC, €)');
    expect(lignes).toContain('Mis à disposition;50000,00;50000,00');
    expect(lignes).toContain('Reporté sur 2027;5000,00;42000,00');
    expect(lignes).toContain('Restitué au délégant;15000,00;0,00');
    const x = await get(`/api/v1/conventions/${id}/exercices/2026/bilan.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const valeurs = ws
      .getSheetValues()
      .slice(2)
      .map((r) => [1, 2, 3].map((i) => (r as unknown[])[i] ?? null));
    expect(valeurs).toContainEqual(['Payé', null, 8000]);
    expect(valeurs).toContainEqual(['Engagé', 30000, null]);
    // another partner does not see it
    expect((await get(`/api/v1/conventions/${id}/exercices/2026/bilan.csv`, 'demo-partenaire-sociaux')).status).toBe(
      404,
    );
  });

  it('exports the statement as a PDF whose text layer has the year’s figures', async () => {
    const r = await get(`/api/v1/conventions/${id}/exercices/2026/bilan.pdf`, 'demo-partenaire-justice');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-modele-document')).toBe('bilan-v1');
    const texte = await textePdf(await r.arrayBuffer());
    expect(texte).toContain('Bilan de l’exercice 2026');
    expect(texte).toContain('Mis à disposition 50 000,00 € 50 000,00 €');
    expect(texte).toContain('Engagé 30 000,00 €');
    expect(texte).toContain('Payé 8 000,00 €');
    expect(texte).toContain('Reporté sur 2027 5 000,00 € 42 000,00 €');
    expect(texte).toContain('Restitué au délégant 15 000,00 € 0,00 €');
    expect(texte).toContain('ce bilan est définitif');
    expect((await get(`/api/v1/conventions/${id}/exercices/2026/bilan.pdf`, 'demo-partenaire-sociaux')).status).toBe(
      404,
    );
    expect((await get(`/api/v1/conventions/${id}/exercices/20x6/bilan.pdf`)).status).toBe(400);
  });

  it('alerts on a year left open after its closing was due, then closes the whole portfolio in one action', async () => {
    au('2027-02-02');
    const alertes = (await (await get('/api/v1/credits/alertes')).json()).calculees.filter(
      (a: { type: string }) => a.type === 'exercice_non_clos',
    );
    expect(alertes.length).toBeGreaterThan(0);
    expect(alertes.every((a: { annee: number }) => a.annee <= 2026)).toBe(true);
    expect(alertes.map((a: { convention_id: string }) => a.convention_id)).not.toContain(id);
    expect(alertes[0].message).toContain('31 janvier');
    const vue = await (await get('/api/v1/exercices/2026')).json();
    const ouvertes = vue.conventions
      .filter((c: { clos: boolean }) => !c.clos)
      .map((c: { convention_id: string }) => c.convention_id);
    expect(ouvertes.length).toBeGreaterThan(0);
    const r = await send('POST', '/api/v1/exercices/2026/cloture', undefined);
    expect(r.status, await r.clone().text()).toBe(201);
    const corps = await r.json();
    expect(corps.portefeuille).toBe(true);
    expect(corps.conventions.map((c: { convention_id: string }) => c.convention_id).sort()).toEqual(
      [...ouvertes].sort(),
    );
    const apres = await (await get('/api/v1/exercices/2026')).json();
    expect(apres.clos).toBe(true);
    expect(apres.conventions.every((c: { clos: boolean; peut_cloturer: boolean }) => c.clos && !c.peut_cloturer)).toBe(
      true,
    );
    const encore = (await (await get('/api/v1/credits/alertes')).json()).calculees.filter(
      (a: { type: string; annee: number }) => a.type === 'exercice_non_clos' && a.annee === 2026,
    );
    expect(encore).toEqual([]);
    expect((await send('POST', '/api/v1/exercices/2026/cloture', {})).status).toBe(409);
    // a convention entered afterwards is closed for 2026 too
    const base = demo().classe;
    const nouvelle = (
      await creerConvention(t.ctx, admin, {
        ...base,
        reference: 'APRES-CLOTURE',
        statut: 'en_vigueur',
        dateSignature: '2026-03-01',
        dateFin: '2027-12-31',
        dureeMois: null,
        tranches: [],
        echeancier: [{ annee: 2026, aeCentimes: 100_000, cpCentimes: 100_000 }],
      })
    ).convention.id;
    const o = await send('POST', `/api/v1/conventions/${nouvelle}/engagements`, {
      annee: 2026,
      montant_centimes: 1_000,
      objet: 'Antidatée',
      titulaire: 'Octo',
      date_engagement: '2026-05-01',
      derogation: { motif: 'Oubli' },
    });
    expect((await o.json()).code).toBe('EXERCICE_CLOS');
  });

  it('shows the exercise and the statement as pages, and a typing error in a form in French', async () => {
    // the clock has moved months since the app's sessions were opened: a fresh login
    const session = async (user: string) => ({
      cookie: `delegations_csrf=${CSRF}; delegations_session=${(await ouvrirSession(t.ctx, user)).jeton}`,
    });
    const page = await t.app.request('/exercices/2026', { headers: await session('demo-partenaire-justice') });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Clôture de gestion de l’exercice 2026');
    expect(html).toContain(`/conventions/${id}/exercices/2026/bilan`);
    // the convention's credits page leads to its statement and its insufficiency cases
    const credits = await (
      await t.app.request(`/conventions/${id}/credits?annee=2026`, {
        headers: await session('demo-partenaire-justice'),
      })
    ).text();
    expect(credits).toContain(`href="/conventions/${id}/exercices/2026/bilan"`);
    expect(credits).toContain(`href="/conventions/${id}/insuffisances"`);
    const bilan = await (
      await t.app.request(`/conventions/${id}/exercices/2026/bilan`, {
        headers: await session('demo-partenaire-justice'),
      })
    ).text();
    expect(bilan).toContain('Bilan de l’exercice 2026');
    expect(bilan).toContain('bilan définitif');
    expect(bilan).toContain(`/api/v1/conventions/${id}/exercices/2026/bilan.xlsx`);
    expect(bilan).toContain(`/api/v1/conventions/${id}/exercices/2026/bilan.pdf`);
    const avant = await etat();
    const r = await t.app.request(`/conventions/${id}/exercices/2027/accord-report`, {
      method: 'POST',
      headers: { ...(await session('demo-partenaire-justice')), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ date_accord: '31/02/2027', auteur: 'M. Dupont' }),
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('La date de l’accord n’est pas une date valide (attendu : AAAA-MM-JJ).');
    expect(await etat()).toEqual(avant);
    // the DINUM's budget officer is refused the closing form of this convention
    const f = await t.app.request('/exercices/2027/cloture', {
      method: 'POST',
      headers: { ...(await session('demo-gestionnaire')), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ convention_id: id }),
    });
    expect([403, 409]).toContain(f.status);
    expect(await etat()).toEqual(avant);
  });

  it('documents the exercise routes in the OpenAPI document', async () => {
    const doc = await (await get('/api/v1/openapi.json')).json();
    for (const p of [
      '/exercices/{annee}',
      '/exercices/{annee}/cloture',
      '/exercices/{annee}/calendrier',
      '/conventions/{id}/exercices/{annee}/bilan',
      '/conventions/{id}/exercices/{annee}/bilan.csv',
      '/conventions/{id}/exercices/{annee}/bilan.xlsx',
      '/conventions/{id}/exercices/{annee}/bilan.pdf',
      '/conventions/{id}/exercices/{annee}/accord-report',
    ])
      expect(doc.paths[p], p).toBeTruthy();
    expect(doc.components.schemas.ClotureEntree.properties.convention_id).toBeTruthy();
  });
});
