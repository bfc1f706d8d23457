import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executerPreparee, type Storage } from '../../src/storage/database.js';
import { DATABASES, freshStorage } from '../support/db.js';

/**
 * The hot paths' statements leave as `EXECUTE` with their values written as literals, with BEGIN and
 * COMMIT in the same message: what they read and write must be exactly what the bound statement would.
 */
describe.each(DATABASES)('prepared statements of the hot paths on %s', (kind) => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage(kind, { poolSize: 2 });
    await sql`CREATE TABLE essai_prepare (id int PRIMARY KEY, texte text NOT NULL CHECK (texte <> 'interdit'))`.execute(
      s.db,
    );
  });
  afterAll(async () => s?.close());

  const inserer = (id: number, texte: string) => sql`INSERT INTO essai_prepare (id, texte) VALUES (${id}, ${texte})`;
  const ids = async () =>
    (await sql<{ id: number }>`SELECT id FROM essai_prepare ORDER BY id`.execute(s.db)).rows.map((r) => r.id);

  const lecture = (t: unknown, d: unknown, j: unknown, n: unknown, b: unknown) =>
    sql<{
      t: string | null;
      d: Date | null;
      j: unknown;
      n: number | null;
      b: boolean | null;
    }>`SELECT ${t}::text AS t, ${d}::timestamptz AS d, ${j}::jsonb AS j, ${n}::bigint AS n, ${b}::boolean AS b`;

  it('reads back any text, date, JSON, integer and boolean exactly as the bound statement does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((x) => !x.includes('\0'))),
        fc.option(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })),
        fc.option(fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('\\u0000'))),
        fc.option(fc.maxSafeInteger()),
        fc.option(fc.boolean()),
        async (t, d, j, n, b) => {
          const q = lecture(t, d, j === null ? null : JSON.stringify(j), n, b);
          const attendu = (await q.execute(s.db)).rows;
          expect(await executerPreparee(s.db, q.compile(s.db))).toEqual(attendu);
          expect(
            await s.db.transaction().execute((trx) => executerPreparee(trx, q.compile(trx), { fin: true })),
          ).toEqual(attendu);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sends a statement marked as its transaction’s last with the COMMIT, and refuses any other after it', async () => {
    const avant = s.instructions();
    await s.db.transaction().execute(async (trx) => {
      await executerPreparee(trx, inserer(1, 'un').compile(trx), { fin: true });
    });
    // one message: BEGIN, PREPARE (the first time on this connection), EXECUTE, COMMIT
    expect(s.instructions() - avant).toBe(1);
    const apres = s.db.transaction().execute(async (trx) => {
      await executerPreparee(trx, inserer(2, 'deux').compile(trx), { fin: true });
      await inserer(3, 'trois').execute(trx);
    });
    await expect(apres).rejects.toThrow(/après la dernière de sa transaction/);
    // the marked write was committed with its message; the statement after it never ran
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls back the whole transaction when the marked statement fails, and the connection serves the next one', async () => {
    for (let essai = 0; essai < 3; essai++) {
      const echec = s.db.transaction().execute(async (trx) => {
        await inserer(10, 'avant').execute(trx);
        await executerPreparee(trx, inserer(11, 'interdit').compile(trx), {
          fin: true,
        });
      });
      await expect(echec).rejects.toMatchObject({ code: '23514' });
    }
    expect(await ids()).toEqual([1, 2]);
    // the statement that failed with its PREPARE is prepared again, and runs
    await s.db.transaction().execute(async (trx) => {
      await executerPreparee(trx, inserer(12, 'après').compile(trx), { fin: true });
    });
    expect(await ids()).toEqual([1, 2, 12]);
  });

  it('sends nothing for a transaction that ran no statement', async () => {
    const avant = s.instructions();
    await s.db.transaction().execute(async () => {});
    expect(s.instructions() - avant).toBe(0);
  });
});
