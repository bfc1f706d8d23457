import path from 'node:path';
import fs from 'node:fs';
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { Database } from './schema.js';
import { lockDataFolder } from './lock.js';
import { migrations } from './migrations/index.js';

// bigint (money in cents, counts) arrives as a string by default: cents stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric (tranche percentages) to number.
pg.types.setTypeParser(1700, (v) => Number(v));
// date columns stay ISO strings: calendar days, no time zone.
pg.types.setTypeParser(1082, (v) => v);

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Reads run on the database or inside the caller's transaction. */
export type Executor = Db | Trx;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are checked before they reach a uuid column (PostgreSQL would refuse the cast). */
export function estUuid(id: string): boolean {
  return UUID.test(id);
}

export interface Storage {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface StorageOptions {
  /** PostgreSQL connection string; when absent, the embedded PGlite database in `dataDir` */
  databaseUrl?: string;
  dataDir?: string;
  /** a PGlite data dump to start from (tests clone a migrated database this way) */
  loadDataDir?: Blob;
  /** PostgreSQL schema to use (tests isolate themselves this way) */
  schema?: string;
  poolSize?: number;
}

export async function openStorage(opts: StorageOptions): Promise<Storage> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let release = () => {};
  let dir: string | undefined;
  if (opts.dataDir && opts.dataDir !== 'memory://') {
    dir = path.resolve(opts.dataDir);
    release = lockDataFolder(dir);
  }
  try {
    const pgDir = dir ? path.join(dir, 'pg') : undefined;
    if (pgDir) fs.mkdirSync(path.dirname(pgDir), { recursive: true });
    const pglite = await PGlite.create({ dataDir: pgDir, loadDataDir: opts.loadDataDir });
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'pglite',
      async close() {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/**
 * Applies the pending migrations. `schema` names the schema of the migration bookkeeping tables when the
 * database has several (tests): without it the migrator finds another schema's tables and skips its own.
 */
export async function migrate(db: Db, opts: { schema?: string } = {}): Promise<string[]> {
  // Migrations written in parallel may land out of name order: a database that already has a later
  // one still receives an earlier one that arrived after it.
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    migrationTableSchema: opts.schema,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
