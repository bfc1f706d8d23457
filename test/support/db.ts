import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { horlogeFixe, type Horloge } from '../../src/domain/horloge.js';
import { migrate, openStorage, type Storage } from '../../src/storage/database.js';
import type { Contexte } from '../../src/usecases/contexte.js';

export type DbKind = 'pglite' | 'postgres';

/** PostgreSQL used by the tests when set (CI sets it); PGlite always runs. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** The databases every storage test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DATABASES: DbKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * Test schemas on PostgreSQL are named `t_<creation time, UTC, on the database server>_<random>`: the global
 * setup drops those of runs that died before their clean-up, by age on the server's clock (never the
 * test's, which may be faked).
 */
export const SCHEMA_TEST = /^t_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})_[0-9a-f]+$/;
/** The names given before the creation time was part of them: all left by past runs. */
export const SCHEMA_TEST_ANCIEN = /^t_[0-9a-f]{12}$/;

/** A fresh, migrated database: a clone of the migrated PGlite template, or a new schema on PostgreSQL. */
export async function freshStorage(
  kind: DbKind,
  opts: { poolSize?: number } = {},
): Promise<Storage & { schema?: string }> {
  if (kind === 'pglite') {
    const file = inject('pgliteTemplate');
    const blob = new Blob([fs.readFileSync(file)]);
    return openStorage({ loadDataDir: blob });
  }
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const { rows } = await admin.query<{ t: string }>(
    `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MISS') AS t`,
  );
  const schema = `t_${rows[0]!.t}_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const s = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: opts.poolSize });
  await admin.end();
  await migrate(s.db, { schema });
  return {
    ...s,
    schema,
    async close() {
      await s.close();
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await a.connect();
      await a.query(`DROP SCHEMA ${schema} CASCADE`);
      await a.end();
    },
  };
}

/** The tests' clock: a fixed day, so that no test depends on the real date. */
export const HORLOGE_TESTS: Horloge = horlogeFixe('2026-11-23T10:00:00Z');

export function contexte(s: Storage, now: Horloge = HORLOGE_TESTS): Contexte {
  return { db: s.db, now };
}

/**
 * Rate-limit counters live in fixed windows of the database's clock: a test that straddled two would see its
 * count start over, so it waits for the next window when less than `marge` ms of the current one remain.
 */
export async function attendreDebutFenetre(s: Storage, fenetreMs: number, marge: number): Promise<void> {
  const { rows } = await sql<{
    ms: number;
  }>`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms`.execute(s.db);
  const reste = fenetreMs - (Number(rows[0]!.ms) % fenetreMs);
  if (reste < marge) await new Promise((r) => setTimeout(r, reste + 200));
}
