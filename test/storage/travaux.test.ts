import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expediteurSmtp } from '../../src/cli/smtp.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { seedDemo } from '../../src/demo/seed.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { ouvrirTravaux, type Travaux } from '../../src/storage/travaux.js';
import { envoyerEnAttente } from '../../src/usecases/envoi.js';
import { proposerEngagement } from '../../src/usecases/proposition.js';
import { contexte, DATABASES, freshStorage, TEST_DATABASE_URL } from '../support/db.js';
import { demo } from '../support/demo.js';
import { serveurSmtp } from '../support/smtp.js';
import { attendreQue, pause } from '../support/attente.js';

const BASE = 'https://delegations.example.gouv.fr';
describe.each(DATABASES)('background work on the job queue, on %s', (kind) => {
  let storage: Storage & { schema?: string };
  let travaux: Travaux;
  const executions = { envois: 0, journee: 0, limites: 0 };

  beforeAll(async () => {
    storage = await freshStorage(kind);
    travaux = await ouvrirTravaux(storage.db, { schema: storage.schema });
  });
  afterAll(async () => {
    await travaux?.arreter();
    await storage?.close();
  });

  it('runs a job asked for in a transaction once it commits, and never one whose transaction rolled back', async () => {
    await travaux.demarrer(
      {
        envois: async () => void executions.envois++,
        journee: async () => void executions.journee++,
        limites: async () => void executions.limites++,
      },
      { intervalleSecondes: 0.5, planifier: false },
    );
    await expect(
      storage.db.transaction().execute(async (trx) => {
        await travaux.signaler(trx, 'journee');
        throw new Error('annulée');
      }),
    ).rejects.toThrow('annulée');
    await storage.db.transaction().execute(async (trx) => {
      await travaux.signaler(trx, 'envois');
      // a second ask while one waits adds nothing: one run will read everything queued
      await travaux.signaler(trx, 'envois');
    });
    await attendreQue(async () => executions.envois > 0);
    await pause(1500);
    expect(executions).toEqual({ envois: 1, journee: 0, limites: 0 });
  });
});

describe.each(DATABASES)('e-mails sent by the job queue, on %s', (kind) => {
  let storage: Storage & { schema?: string };
  let travaux: Travaux;
  let smtp: Awaited<ReturnType<typeof serveurSmtp>>;

  beforeAll(async () => {
    storage = await freshStorage(kind);
    await seedDemo(contexte(storage));
    await storage.db.deleteFrom('envoi').execute();
    smtp = await serveurSmtp();
    travaux = await ouvrirTravaux(storage.db, { schema: storage.schema });
  });
  afterAll(async () => {
    await travaux?.arreter();
    await smtp?.close();
    await storage?.close();
  });

  it('sends the message a change queues, after its commit, without anyone calling the sender', async () => {
    const ctx = { ...contexte(storage), travaux };
    const exp = expediteurSmtp(smtp.url, 'x@example.gouv.fr');
    await travaux.demarrer(
      {
        envois: () => envoyerEnAttente(ctx, exp, { baseUrl: BASE }),
        journee: async () => {},
        limites: async () => {},
      },
      { intervalleSecondes: 0.5, planifier: false },
    );
    const classe = (
      await storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.classe)
        .executeTakeFirstOrThrow()
    ).id;
    await proposerEngagement(
      ctx,
      ACTEURS_DEMO.find((a) => a.id === 'demo-equipe-classe12')!,
      classe,
      {
        annee: demo().chronologie.anneeProposition,
        titulaire: 'Studio Design Public',
        marche: null,
        devis: null,
        objet: 'Atelier file d’attente',
        produit: 'Classe à 12',
        montantCentimes: 50_000,
        baseMontant: 'TTC',
        dateFinPrestation: null,
        justification: null,
      },
    );
    await attendreQue(async () => smtp.recus.length > 0);
    expect(smtp.recus).toHaveLength(1);
    const { email } = await storage.db
      .selectFrom('agent')
      .select('email')
      .where('id', '=', 'demo-gestionnaire')
      .executeTakeFirstOrThrow();
    expect(smtp.recus[0]!.a).toEqual([email]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('two instances sharing the job queue on PostgreSQL', () => {
  it('start together on a new database, each creating the queues if none has', async () => {
    const storage = await freshStorage('postgres');
    const autres = await Promise.all(
      [1, 2, 3].map(() => openStorage({ databaseUrl: TEST_DATABASE_URL, schema: storage.schema })),
    );
    try {
      const instances = await Promise.all([storage, ...autres].map((s) => ouvrirTravaux(s.db)));
      for (const t of instances) await t.arreter();
      const { rows } = await storage.db
        .selectFrom(sql<{ name: string }>`${sql.table(`${storage.schema!}.queue`)}`.as('q'))
        .select('q.name')
        .execute()
        .then((r) => ({ rows: r }));
      expect(
        rows
          .map((r) => r.name)
          .filter((n) => !n.startsWith('__'))
          .sort(),
      ).toEqual(['envois', 'journee', 'limites', 'publication']);
    } finally {
      for (const s of autres) await s.close();
      await storage.close();
    }
  });

  it('send 100 queued messages exactly once between them', async () => {
    const storage = await freshStorage('postgres');
    const autre = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema: storage.schema });
    const smtp = await serveurSmtp();
    const instances: Travaux[] = [];
    try {
      const maintenant = contexte(storage).now();
      await storage.db
        .insertInto('envoi')
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            cle: `file:${i}`,
            type: 'proposition_a_decider',
            agent_id: null,
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
      const exp = expediteurSmtp(smtp.url, 'x@example.gouv.fr');
      const parInstance = [0, 0];
      for (const [i, s] of [storage, autre].entries()) {
        const t = await ouvrirTravaux(s.db, { schema: storage.schema });
        instances.push(t);
        const ctx = contexte(s);
        await t.demarrer(
          {
            envois: async () => {
              parInstance[i]! += (await envoyerEnAttente(ctx, exp, { baseUrl: BASE, lot: 5 })).envoyes;
            },
            journee: async () => {},
            limites: async () => {},
          },
          { intervalleSecondes: 0.5, planifier: false },
        );
      }
      // each instance asks, several times, as changes committed on each would
      for (let k = 0; k < 5; k++) {
        await instances[0]!.signaler(storage.db, 'envois');
        await instances[1]!.signaler(autre.db, 'envois');
        await pause(50);
      }
      await attendreQue(async () => smtp.recus.length >= 100);
      await pause(1500);
      const destinataires = smtp.recus.flatMap((m) => m.a);
      expect(destinataires).toHaveLength(100);
      expect(new Set(destinataires).size).toBe(100);
      expect(parInstance[0]! + parInstance[1]!).toBe(100);
    } finally {
      for (const t of instances) await t.arreter();
      await smtp.close();
      await autre.close();
      await storage.close();
    }
  });
});
