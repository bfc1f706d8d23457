import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate, openStorage } from '../../src/storage/database.js';
import { TEST_DATABASE_URL } from '../support/db.js';

// Several instances (and the tests) share one PostgreSQL database, each in its schema; one of them
// creating or dropping its schema must never break another's migration.
describe.skipIf(!TEST_DATABASE_URL)('migrations beside other schemas on PostgreSQL', () => {
  it('apply in full while other schemas are created and dropped', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const suffixe = randomBytes(4).toString('hex');
    let arret = false;
    // Churn: schemas of many tables, created then dropped, as parallel test files do.
    const remous = (async () => {
      for (let i = 0; !arret; i++) {
        const autre = `migr_autre_${suffixe}_${i}`;
        const tables = Array.from(
          { length: 20 },
          (_, t) => `CREATE TABLE ${autre}.t${t} (id bigserial, a text, b int)`,
        );
        await admin.query(`CREATE SCHEMA ${autre}; ${tables.join('; ')}`);
        await admin.query(`DROP SCHEMA ${autre} CASCADE`);
      }
    })();
    const schemas: string[] = [];
    try {
      for (let n = 0; n < 8; n++) {
        const schema = `migr_${suffixe}_${n}`;
        schemas.push(schema);
        await admin.query(`CREATE SCHEMA ${schema}`);
        const s = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema });
        try {
          const appliquees = await migrate(s.db, { schema });
          expect(appliquees.length).toBeGreaterThan(15);
          // a second start finds every migration already applied, in its own schema
          expect(await migrate(s.db, { schema })).toEqual([]);
          const { rows } = await admin.query<{ n: string }>(
            `SELECT count(*) AS n FROM information_schema.columns
             WHERE table_schema = $1 AND table_name = 'avenant' AND column_name = 'cree_par'`,
            [schema],
          );
          expect(Number(rows[0]!.n)).toBe(1);
        } finally {
          await s.close();
        }
      }
    } finally {
      arret = true;
      await remous;
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }, 120_000);

  it('start in a schema of their own even when another schema of the database is already migrated', async () => {
    const suffixe = randomBytes(4).toString('hex');
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const [a, b] = [`migr_a_${suffixe}`, `migr_b_${suffixe}`];
    try {
      for (const schema of [a, b]) {
        await admin.query(`CREATE SCHEMA ${schema}`);
        // no schema named to the migrator: as the CLI and the server do, from the search_path alone
        const s = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema });
        try {
          expect((await migrate(s.db)).length).toBeGreaterThan(15);
        } finally {
          await s.close();
        }
      }
      const { rows } = await admin.query<{ schema: string }>(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'convention'
         AND table_schema IN ($1, $2) ORDER BY 1`,
        [a, b],
      );
      expect(rows.map((r) => r.schema)).toEqual([a, b]);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${a} CASCADE; DROP SCHEMA IF EXISTS ${b} CASCADE`);
      await admin.end();
    }
  }, 60_000);
});
