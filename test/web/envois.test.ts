import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { openStorage } from '../../src/storage/database.js';
import { expediteurSmtp } from '../../src/cli/smtp.js';
import { envoyerEnAttente } from '../../src/usecases/envoi.js';
import { proposerEngagement, refuserProposition } from '../../src/usecases/proposition.js';
import { testApp, type TestApp } from '../support/app.js';
import { contexte, DATABASES, TEST_DATABASE_URL } from '../support/db.js';
import { demo } from '../support/demo.js';
import { serveurSmtp } from '../support/smtp.js';

const EQUIPE = ACTEURS_DEMO.find((a) => a.id === 'demo-equipe-classe12')!;
const BASE = 'https://delegations.example.gouv.fr';

describe.each(DATABASES)('e-mail notifications on %s', (kind) => {
  let t: TestApp;
  let classe: string;
  let smtp: Awaited<ReturnType<typeof serveurSmtp>> | null = null;
  const email = async (id: string) =>
    (await t.storage.db.selectFrom('agent').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
  const proposition = (objet: string) => ({
    annee: demo().chronologie.anneeProposition,
    titulaire: 'Studio Design Public',
    marche: null,
    devis: null,
    objet,
    produit: 'Classe à 12',
    montantCentimes: 120_000,
    baseMontant: 'TTC' as const,
    dateFinPrestation: null,
    justification: null,
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
    // the demo's own messages are not these tests'
    await t.storage.db.deleteFrom('envoi').execute();
  });
  afterEach(async () => {
    await smtp?.close();
    smtp = null;
    await t.storage.db.deleteFrom('envoi').execute();
  });
  afterAll(async () => t?.close());

  it('tells the ordonnateurs of a proposal, with its link, and no one who may not see it', async () => {
    const p = await proposerEngagement(t.ctx, EQUIPE, classe, proposition('Atelier enseignants'));
    smtp = await serveurSmtp();
    const r = await envoyerEnAttente(t.ctx, expediteurSmtp(smtp.url, 'Délégations <ne-pas-repondre@example.gouv.fr>'), {
      baseUrl: BASE,
    });
    expect(r).toEqual({ envoyes: 1, echecs: 0 });
    // Classe à 12: the DINUM is délégataire, its budget agent orders; the partner and the teams are not told
    expect(smtp.recus.map((m) => m.a)).toEqual([[await email('demo-gestionnaire')]]);
    const brut = smtp.recus[0]!.brut.replace(/=\r?\n/g, '');
    expect(brut).toMatch(/^Subject: .*Proposition/m);
    expect(brut).toContain(`${BASE}/conventions/${classe}/credits?annee=`);
    expect(brut).toContain(`proposition-${p.id}`);
    expect(brut).toContain('Content-Type: text/html');
    expect(brut).toContain('Content-Type: text/plain');
    expect(brut).not.toContain('Mon Suivi Justice');
    // sent once: a second pass sends nothing
    expect(await envoyerEnAttente(t.ctx, expediteurSmtp(smtp.url, 'x@example.gouv.fr'), { baseUrl: BASE })).toEqual({
      envoyes: 0,
      echecs: 0,
    });
    expect(smtp.recus).toHaveLength(1);
  });

  it('tells the team of the decision, and queues nothing when the change is refused', async () => {
    const p = await proposerEngagement(t.ctx, EQUIPE, classe, proposition('Sessions supplémentaires'));
    await t.storage.db.deleteFrom('envoi').execute();
    const gestionnaire = ACTEURS_DEMO.find((a) => a.id === 'demo-gestionnaire')!;
    await refuserProposition(t.ctx, { ...gestionnaire, nom: 'Dominique Budget' }, classe, p.id, 'Budget réservé');
    await expect(refuserProposition(t.ctx, gestionnaire, classe, p.id, 'Encore')).rejects.toThrow();
    const rows = await t.storage.db.selectFrom('envoi').select(['destinataire', 'sujet', 'texte']).execute();
    expect(rows.map((x) => x.destinataire)).toEqual([await email(EQUIPE.id)]);
    expect(rows[0]!.sujet).toContain('refusée');
    expect(rows[0]!.texte).toContain('Budget réservé');
  });

  it('retries after the mail server refuses once, and sends one message', async () => {
    await proposerEngagement(t.ctx, EQUIPE, classe, proposition('Audit accessibilité'));
    smtp = await serveurSmtp(1);
    const exp = expediteurSmtp(smtp.url, 'x@example.gouv.fr');
    expect(await envoyerEnAttente(t.ctx, exp, { baseUrl: BASE })).toEqual({ envoyes: 0, echecs: 1 });
    const [ligne] = await t.storage.db.selectFrom('envoi').select(['tentatives', 'erreur', 'statut']).execute();
    expect(ligne).toMatchObject({ tentatives: 1, statut: 'a_envoyer' });
    // not before its next try
    expect(await envoyerEnAttente(t.ctx, exp, { baseUrl: BASE })).toEqual({ envoyes: 0, echecs: 0 });
    const plusTard = contexte(t.storage, () => new Date(t.ctx.now().getTime() + 2 * 60_000));
    expect(await envoyerEnAttente(plusTard, exp, { baseUrl: BASE })).toEqual({ envoyes: 1, echecs: 0 });
    expect(smtp.recus).toHaveLength(1);
  });

  it('keeps the messages for the « Envois » page without a mail server', async () => {
    await proposerEngagement(t.ctx, EQUIPE, classe, proposition('Coaching produit'));
    expect(await envoyerEnAttente(t.ctx, null, { baseUrl: BASE })).toEqual({ envoyes: 0, echecs: 0 });
    const page = await (await t.app.request('/admin/envois', { headers: t.as('demo-admin') })).text();
    expect(page).toContain('Aucun serveur SMTP');
    expect(page).toContain('Coaching produit');
    expect(page).toContain('Conservé');
    expect((await t.app.request('/admin/envois', { headers: t.as('demo-gestionnaire') })).status).toBe(403);
  });

  it.skipIf(kind !== 'postgres')('two instances on one database send 100 queued messages exactly once', async () => {
    const maintenant = t.ctx.now();
    await t.storage.db
      .insertInto('envoi')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          cle: `essai:${i}`,
          type: 'proposition_a_decider',
          agent_id: 'demo-gestionnaire',
          destinataire: `agent${i}@example.gouv.fr`,
          sujet: `Message ${i}`,
          texte: 'Bonjour',
          html: '<p>Bonjour</p>',
          lien: '/',
          convention_id: null,
          prochain_essai: maintenant,
          cree_le: maintenant,
        })),
      )
      .execute();
    smtp = await serveurSmtp();
    const schema = (t.storage as { schema?: string }).schema;
    const autre = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema });
    try {
      const exp = expediteurSmtp(smtp.url, 'x@example.gouv.fr');
      const [a, b] = await Promise.all([
        envoyerEnAttente(t.ctx, exp, { baseUrl: BASE, lot: 5 }),
        envoyerEnAttente(contexte(autre), exp, { baseUrl: BASE, lot: 5 }),
      ]);
      expect(a.envoyes + b.envoyes).toBe(100);
    } finally {
      await autre.close();
    }
    const destinataires = smtp.recus.flatMap((m) => m.a).sort();
    expect(destinataires).toHaveLength(100);
    expect(new Set(destinataires).size).toBe(100);
  });
});
