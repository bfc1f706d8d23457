import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DomainError } from '../../src/domain/errors.js';
import type { Storage } from '../../src/storage/database.js';
import { DATABASES, freshStorage } from '../support/db.js';

/** A bigint the database returns is a number only when it is exact: beyond 2^53 it is refused, never rounded. */
describe.each(DATABASES)('bigint read exactly, on %s', (kind) => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage(kind);
  }, 60_000);
  afterAll(async () => s?.close());

  it('returns the largest safe integer exactly', async () => {
    const { rows } = await sql<{ v: number }>`SELECT 9007199254740991::bigint AS v`.execute(s.db);
    expect(rows[0]!.v).toBe(Number.MAX_SAFE_INTEGER);
    const neg = await sql<{ v: number }>`SELECT (-9007199254740991)::bigint AS v`.execute(s.db);
    expect(neg.rows[0]!.v).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it('refuses a value past 2^53 with a stable code, and the connection still serves', async () => {
    for (const v of ['9007199254740993', '-9007199254740993', '9223372036854775807']) {
      const e = await sql`SELECT ${sql.raw(v)}::bigint AS v`.execute(s.db).catch((x: unknown) => x);
      expect(e, v).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('MONTANT_HORS_LIMITES');
      expect((e as DomainError).message).toContain('2^53');
    }
    const { rows } = await sql<{
      v: number;
    }>`SELECT sum(x)::bigint AS v FROM (VALUES (1::bigint), (2::bigint)) t(x)`.execute(s.db);
    expect(rows[0]!.v).toBe(3);
  });
});
