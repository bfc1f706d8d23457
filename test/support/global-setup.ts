import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { migrate, openStorage } from '../../src/storage/database.js';

/** Migrates one embedded database once per run; each test clones it (≈0.5 s instead of a full initdb). */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-test-'));
  const pglite = await PGlite.create();
  const { Kysely, PostgresDialect } = await import('kysely');
  const pg = (await import('pg')).default;
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const db = new Kysely<never>({ dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }) });
  await migrate(db as never);
  await db.destroy();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  void openStorage;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
