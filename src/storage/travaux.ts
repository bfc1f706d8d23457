import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Db, Executor } from './database.js';

/**
 * The background work (sending the e-mails, the day's messages and digests, purging counters, pushing the
 * open data) on a maintained job queue, pg-boss, in the application's own database: the same code on
 * PGlite and on PostgreSQL, through the application's own connections. Several instances on one database share the
 * queue: pg-boss hands each job, and each scheduled run, to one of them.
 */
export type NomTravail = 'envois' | 'journee' | 'limites' | 'publication';

/** When each kind of work runs besides being asked for (cron, the database's clock; the work reads ours). */
const PLANNING: Record<NomTravail, string> = {
  // the retries of failed sends, and anything queued without a signal
  envois: '* * * * *',
  // the day's task is claimed once a day; asking every 5 minutes lets an instance take over a stalled one
  journee: '*/5 * * * *',
  limites: '* * * * *',
  // the open data pushed to data.gouv.fr every morning, before the working day (UTC)
  publication: '30 5 * * *',
};

/** An executor in pg-boss's terms: its SQL runs on our connections (or in the caller's transaction). */
const executeur = (ex: Executor) => ({
  async executeSql(text: string, values: unknown[] = []) {
    const r = await ex.executeQuery(CompiledQuery.raw(text, values));
    return { rows: r.rows as unknown[] };
  },
});

/**
 * Creates a queue unless it exists. Instances starting together create it concurrently, and PostgreSQL may
 * answer one of them with a deadlock (the queue's partition is DDL): it waits and looks again.
 */
async function creerFile(boss: PgBoss, nom: NomTravail): Promise<void> {
  for (let essai = 1; ; essai++) {
    if (await boss.getQueue(nom)) return;
    try {
      // « stately »: at most one run waiting and one running per kind, however many changes ask for it
      await boss.createQueue(nom, { name: nom, policy: 'stately', retryLimit: 3 });
      return;
    } catch (e) {
      if (essai >= 8) throw e;
      await new Promise((r) => setTimeout(r, 50 * essai + Math.floor(Math.random() * 100)));
    }
  }
}

export interface Travaux {
  /** Asks for a run of `nom` once the caller's transaction commits (nothing if it rolls back). */
  signaler(ex: Executor, nom: NomTravail): Promise<void>;
  /** Runs each kind of work on this instance, when asked for and on its schedule. */
  demarrer(
    travaux: Partial<Record<NomTravail, () => Promise<unknown>>>,
    o?: { intervalleSecondes?: number; planifier?: boolean },
  ): Promise<void>;
  arreter(): Promise<void>;
}

export async function ouvrirTravaux(
  db: Db,
  o: { schema?: string; onErreur?: (e: Error) => void } = {},
): Promise<Travaux> {
  // its tables go with the application's when it lives in its own schema (tests, instances sharing a database)
  const courant =
    o.schema ?? (await db.executeQuery<{ s: string }>(CompiledQuery.raw('SELECT current_schema() AS s'))).rows[0]?.s;
  const schema = !courant || courant === 'public' ? 'pgboss' : courant;
  const boss = new PgBoss({ db: executeur(db), schema, migrate: true, supervise: true, schedule: true });
  boss.on('error', (e) => (o.onErreur ?? ((x: Error) => console.error('Travaux en arrière-plan :', x)))(e));
  await boss.start();
  for (const nom of Object.keys(PLANNING) as NomTravail[]) await creerFile(boss, nom);
  return {
    async signaler(ex, nom) {
      await boss.send(nom, {}, { db: executeur(ex) });
    },
    async demarrer(travaux, opts = {}) {
      for (const [nom, travail] of Object.entries(travaux) as [NomTravail, () => Promise<unknown>][]) {
        await boss.work(nom, { pollingIntervalSeconds: opts.intervalleSecondes ?? 2 }, async () => {
          await travail();
        });
        if (opts.planifier !== false) await boss.schedule(nom, PLANNING[nom]);
      }
    },
    async arreter() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
