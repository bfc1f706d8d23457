import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { construire, distAJour } from '../../scripts/dist.mjs';
import { migrate, openStorage } from '../../src/storage/database.js';
import { SCHEMA_TEST, SCHEMA_TEST_ANCIEN } from './db.js';

/** A test schema older than this belongs to a run that died; a live run never lasts that long. */
const AGE_MAX_SCHEMA_HEURES = 4;

/**
 * Once per run: the compiled code that process tests spawn (rebuilt when a source changed), a migrated
 * embedded database that each test clones (≈0.5 s instead of a full initdb), the same as a data folder for
 * the commands that process tests run, and the removal of test schemas that dead runs left on PostgreSQL.
 */
export default async function setup(project: TestProject) {
  if (!distAJour() && !construire({ silencieux: true }))
    throw new Error('La compilation de src/ vers dist/ a échoué (npm run build).');
  if (process.env.TEST_DATABASE_URL) await supprimerSchemasAbandonnes(process.env.TEST_DATABASE_URL);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-test-'));
  const pglite = await PGlite.create();
  const { Kysely, PostgresDialect } = await import('kysely');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const db = new Kysely<never>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
  });
  await migrate(db as never);
  await db.destroy();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);

  const dataDir = path.join(dir, 'data');
  const s = await openStorage({ loadDataDir: new Blob([fs.readFileSync(file)]), dataDir });
  await s.close();
  project.provide('pgliteDataDir', dataDir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Drops the schemas of runs that died before their clean-up (killed, timed out). A schema's name carries
 * its creation time on the database server's clock, so that a run under a faked clock, or a concurrent run
 * on the same database, never drops the schemas of a run still going.
 */
async function supprimerSchemasAbandonnes(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ nspname: string; maintenant: Date }>(
      `SELECT nspname, now() AS maintenant FROM pg_namespace WHERE nspname LIKE 't\\_%'`,
    );
    for (const { nspname, maintenant } of rows) {
      const m = SCHEMA_TEST.exec(nspname);
      const cree = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
      const abandonne =
        cree !== null
          ? maintenant.getTime() - cree > AGE_MAX_SCHEMA_HEURES * 3_600_000
          : SCHEMA_TEST_ANCIEN.test(nspname);
      if (abandonne) await c.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
    }
  } finally {
    await c.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgliteDataDir: string;
  }
}
