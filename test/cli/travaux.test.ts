import { describe, expect, it, onTestFinished } from 'vitest';
import { openStorage } from '../../src/storage/database.js';
import { ouvrirTravaux } from '../../src/storage/travaux.js';
import { contexte, freshStorage, TEST_DATABASE_URL } from '../support/db.js';
import { budget, freePort, run, waitListening } from '../support/process.js';
import { serveurSmtp } from '../support/smtp.js';
import { attendreQue, pause } from '../support/attente.js';

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one PostgreSQL', () => {
  it(
    'send 100 queued notifications, each exactly once',
    async () => {
      const storage = await freshStorage('postgres');
      onTestFinished(() => storage.close());
      const smtp = await serveurSmtp();
      onTestFinished(() => smtp.close());
      const maintenant = contexte(storage).now();
      await storage.db
        .insertInto('envoi')
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            cle: `processus:${i}`,
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
      const env = {
        DATABASE_URL: `${TEST_DATABASE_URL}?options=-c%20search_path%3D${storage.schema!}`,
        SMTP_URL: smtp.url,
        DELEGATIONS_DEMO: '0',
        HOST: '127.0.0.1',
      };
      const ports = [await freePort(), await freePort()];
      const serveurs = ports.map((port) => run(['serve'], { ...env, PORT: String(port) }));
      await Promise.all(serveurs.map((r, i) => waitListening(r, ports[i]!)));
      // a change committed elsewhere asks for the sending, several times, as many changes would
      const autre = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema: storage.schema });
      const travaux = await ouvrirTravaux(autre.db);
      try {
        for (let k = 0; k < 5; k++) await travaux.signaler(autre.db, 'envois');
        await attendreQue(() => smtp.recus.length >= 100, { pasMs: 200, delaiMs: 90_000 });
        await pause(3000);
      } finally {
        await travaux.arreter();
        await autre.close();
      }
      for (const r of serveurs) r.child.kill('SIGTERM');
      await Promise.all(serveurs.map((r) => r.exited));
      const destinataires = smtp.recus.flatMap((m) => m.a);
      expect(destinataires).toHaveLength(100);
      expect(new Set(destinataires).size).toBe(100);
      const restants = await storage.db.selectFrom('envoi').select('id').where('statut', '!=', 'envoye').execute();
      expect(restants).toEqual([]);
    },
    budget(2) + 90_000,
  );
});
