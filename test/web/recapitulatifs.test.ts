import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expediteurSmtp } from '../../src/cli/smtp.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { openStorage } from '../../src/storage/database.js';
import { envoyerEnAttente } from '../../src/usecases/envoi.js';
import { traiterJournee } from '../../src/usecases/envoi-quotidien.js';
import { proposerEngagement } from '../../src/usecases/proposition.js';
import { form, testApp, type TestApp } from '../support/app.js';
import { contexte, DATABASES, TEST_DATABASE_URL } from '../support/db.js';
import { demo } from '../support/demo.js';
import { serveurSmtp } from '../support/smtp.js';

const POST = { 'content-type': 'application/x-www-form-urlencoded' };
const EQUIPE = ACTEURS_DEMO.find((a) => a.id === 'demo-equipe-classe12')!;
const BASE = 'https://delegations.example.gouv.fr';
// server-local instants, as the product's days are
const LE = (iso: string) => () => new Date(iso);
const MARDI_6H = LE('2026-11-24T06:30:00');
const MARDI_8H = LE('2026-11-24T08:00:00');
// the Monday five days before the default year-end cut-off for orders, 12 December
const LUNDI_7_DECEMBRE = LE('2026-12-07T08:00:00');

describe.each(DATABASES)('each agent’s choice of e-mails, the day’s messages and the digests on %s', (kind) => {
  let t: TestApp;
  let classe: string;
  let smtp: Awaited<ReturnType<typeof serveurSmtp>> | null = null;
  const email = async (id: string) =>
    (await t.storage.db.selectFrom('agent').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
  const envois = () =>
    t.storage.db
      .selectFrom('envoi')
      .select([
        'id',
        'type',
        'agent_id',
        'statut',
        'regroupement',
        'recapitulatif_id',
        'sujet',
        'texte',
        'convention_id',
      ])
      .orderBy('id')
      .execute();
  const proposer = (objet: string) =>
    proposerEngagement(t.ctx, EQUIPE, classe, {
      annee: demo().chronologie.anneeProposition,
      titulaire: 'Studio Design Public',
      marche: null,
      devis: null,
      objet,
      produit: 'Classe à 12',
      montantCentimes: 80_000,
      baseMontant: 'TTC' as const,
      dateFinPrestation: null,
      justification: null,
    });
  const choisir = (agent: string, choix: Record<string, string>) =>
    t.app.request('/compte/notifications', {
      method: 'POST',
      headers: t.as(agent, POST),
      body: form(choix).toString(),
    });

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
  afterEach(async () => {
    await smtp?.close();
    smtp = null;
    await t.storage.db.deleteFrom('envoi').execute();
    await t.storage.db.deleteFrom('tache').execute();
    await t.storage.db.deleteFrom('preference_notification').execute();
  });
  afterAll(async () => t?.close());

  it('shows each kind with its default in « Mon compte », records a choice with a journal line, and refuses a wrong one', async () => {
    await t.storage.db.deleteFrom('envoi').execute();
    const page = await (await t.app.request('/compte', { headers: t.as('demo-gestionnaire') })).text();
    expect(page).toContain('Mes messages par courriel');
    expect(page).toMatch(/<option value="immediat" selected="">Immédiatement<\/option>/);
    // « À faire » comes on Mondays, and is never offered at once
    const aFaire = /<select[^>]*name="recapitulatif_a_faire"[^>]*>([\s\S]*?)<\/select>/.exec(page)![1]!;
    expect(aFaire).toMatch(/<option value="hebdomadaire" selected="">/);
    expect(aFaire).not.toContain('value="immediat"');

    const r = await choisir('demo-gestionnaire', { proposition_a_decider: 'quotidien' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/compte?ok=notifications#notifications');
    const ligne = await t.storage.db
      .selectFrom('journal')
      .select(['changements', 'acteur_id'])
      .where('objet_type', '=', 'agent')
      .where('action', '=', 'preferences_notification')
      .executeTakeFirstOrThrow();
    expect(ligne.acteur_id).toBe('demo-gestionnaire');
    expect(JSON.stringify(ligne.changements)).toContain('quotidien');

    const refus = await choisir('demo-gestionnaire', {
      proposition_a_decider: 'toutes-les-heures',
      obligation_en_retard: 'aucun',
    });
    expect(refus.status).toBe(400);
    expect(await refus.text()).toContain('Choisissez une fréquence proposée.');
    expect(
      await t.storage.db
        .selectFrom('preference_notification')
        .selectAll()
        .where('agent_id', '=', 'demo-gestionnaire')
        .execute(),
    ).toEqual([{ agent_id: 'demo-gestionnaire', type: 'proposition_a_decider', frequence: 'quotidien' }]);
    expect((await choisir('demo-gestionnaire', { recapitulatif_a_faire: 'immediat' })).status).toBe(400);
  });

  it('writes nothing for an agent who wants none, and holds the message for the next morning’s digest', async () => {
    expect((await choisir('demo-gestionnaire', { proposition_a_decider: 'aucun' })).status).toBe(303);
    await proposer('Atelier parents');
    expect(await envois()).toEqual([]);

    expect(
      (await choisir('demo-gestionnaire', { proposition_a_decider: 'quotidien', recapitulatif_a_faire: 'aucun' }))
        .status,
    ).toBe(303);
    const p = await proposer('Atelier enseignants');
    const [differe] = await envois();
    expect(differe).toMatchObject({ agent_id: 'demo-gestionnaire', statut: 'differe', regroupement: 'quotidien' });
    smtp = await serveurSmtp();
    const exp = expediteurSmtp(smtp.url, 'Délégations <ne-pas-repondre@example.gouv.fr>');
    expect(await envoyerEnAttente(t.ctx, exp, { baseUrl: BASE })).toEqual({ envoyes: 0, echecs: 0 });

    // before 7 a.m. nothing is written; from then, one digest, sent once
    expect(await traiterJournee(contexte(t.storage, MARDI_6H))).toBeNull();
    const matin = contexte(t.storage, MARDI_8H);
    expect(await traiterJournee(matin)).not.toBeNull();
    expect(await traiterJournee(matin)).toBeNull();
    const apres = await envois();
    const recap = apres.find((e) => e.type === 'recapitulatif' && e.agent_id === 'demo-gestionnaire')!;
    expect(recap.sujet).toBe('[Délégations] Votre récapitulatif du 24 novembre 2026 : 1 notification');
    expect(apres.find((e) => e.id === differe!.id)).toMatchObject({ statut: 'regroupe', recapitulatif_id: recap.id });

    // the day's other messages go to others, or at once: this agent gets the digest and what they left at once
    await envoyerEnAttente(matin, exp, { baseUrl: BASE });
    const adresse = await email('demo-gestionnaire');
    const siens = smtp.recus.filter((m) => m.a.includes(adresse)).map((m) => m.brut.replace(/=\r?\n/g, ''));
    // the digest is the one message listing held notifications; the proposal is not sent on its own
    const recus = siens.filter((b) => b.includes('Vos notifications'));
    expect(recus).toHaveLength(1);
    expect(siens.filter((b) => b.includes(`proposition-${p.id}`))).toHaveLength(1);
    const brut = recus[0]!;
    expect(brut).toContain('Vos notifications');
    expect(brut).toContain('Proposition');
    expect(brut).toContain(`${BASE}/conventions/${classe}/credits?annee=`);
    expect(brut).toContain(`proposition-${p.id}`);
    expect(brut).toContain(`${BASE}/a-faire`);
  });

  it('tells who may act of a cut-off in 7 days once, and sends Monday’s « À faire » only within what each may see', async () => {
    const lundi = contexte(t.storage, LUNDI_7_DECEMBRE);
    const r = await traiterJournee(lundi);
    expect(r!.echeances).toBeGreaterThan(0);
    const rows = await envois();
    const limites = rows.filter((e) => e.type === 'date_limite_proche');
    expect(limites.length).toBeGreaterThan(0);
    for (const e of limites) expect(e.sujet).toMatch(/12 décembre 2026/);
    expect(limites.map((e) => e.agent_id)).toContain('demo-gestionnaire');
    // Classe à 12's team does not manage credits: no cut-off for it
    expect(limites.map((e) => e.agent_id)).not.toContain('demo-equipe-classe12');

    // everyone gets the Monday digest by default; the social ministries' officer hears of their convention only
    const recaps = rows.filter((e) => e.type === 'recapitulatif');
    expect(
      recaps.map((e) => e.sujet).every((s) => s.startsWith('[Délégations] Votre semaine du 7 décembre 2026')),
    ).toBe(true);
    const sociaux = rows.filter((e) => e.agent_id === 'demo-partenaire-sociaux');
    expect(sociaux.length).toBeGreaterThan(0);
    const msp = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.msp)
        .executeTakeFirstOrThrow()
    ).id;
    for (const e of sociaux) {
      expect([null, msp]).toContain(e.convention_id);
      expect(e.texte).not.toMatch(/Mon Suivi Justice|seLEXpert|Classe à 12|Atelier numérique/);
    }
    const elements = await t.storage.db
      .selectFrom('envoi')
      .select('elements')
      .where('type', '=', 'recapitulatif')
      .where('agent_id', '=', 'demo-partenaire-sociaux')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(elements.elements)).not.toMatch(/Mon Suivi Justice|seLEXpert|Classe à 12|Atelier numérique/);

    // without a mail server, the administrators read each digest with its lines
    const page = await (await t.app.request('/admin/envois', { headers: t.as('demo-admin') })).text();
    expect(page).toContain('Votre semaine du 7 décembre 2026');
    expect(page).toMatch(/<li>À faire — [^<]+ : <a href="\/[^"]+">/);

    // the next days: the day's task runs again, the same cut-off is not told twice
    await traiterJournee(contexte(t.storage, LE('2026-12-08T08:00:00')));
    const ensuite = await envois();
    expect(ensuite.filter((e) => e.type === 'date_limite_proche')).toHaveLength(limites.length);
    expect(ensuite.filter((e) => e.type === 'recapitulatif')).toHaveLength(recaps.length);
  });

  it.skipIf(kind !== 'postgres')('two instances on one database write each message of the day once', async () => {
    await choisir('demo-gestionnaire', { proposition_a_decider: 'hebdomadaire' });
    await proposer('Audit RGAA');
    const schema = (t.storage as { schema?: string }).schema;
    const autre = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema });
    try {
      const resultats = await Promise.all([
        traiterJournee(contexte(t.storage, LUNDI_7_DECEMBRE)),
        traiterJournee(contexte(autre, LUNDI_7_DECEMBRE)),
      ]);
      expect(resultats.filter((x) => x !== null)).toHaveLength(1);
    } finally {
      await autre.close();
    }
    const rows = await envois();
    const recaps = rows.filter((e) => e.type === 'recapitulatif').map((e) => e.agent_id);
    expect(new Set(recaps).size).toBe(recaps.length);
    const gestionnaire = rows.find((e) => e.type === 'recapitulatif' && e.agent_id === 'demo-gestionnaire')!;
    expect(rows.filter((e) => e.statut === 'regroupe').map((e) => e.recapitulatif_id)).toEqual([gestionnaire.id]);
  });
});
