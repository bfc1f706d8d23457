import { sql, type Kysely } from 'kysely';

/**
 * The closing of a year is also written on the year's totals row, which every movement locks: an order
 * that waited for that lock reads the closing in the same statement, with no second read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE credit_annuel ADD COLUMN clos_le timestamptz`.execute(db);
  // a convention's own closing, else the portfolio's (the earliest is the one that froze the year)
  await sql`
    UPDATE credit_annuel ca SET clos_le = x.clos_le
    FROM (
      SELECT ca2.convention_id, ca2.annee, min(c.clos_le) AS clos_le
      FROM credit_annuel ca2
      JOIN exercice_cloture c
        ON c.annee = ca2.annee AND (c.convention_id = ca2.convention_id OR c.convention_id IS NULL)
      GROUP BY ca2.convention_id, ca2.annee
    ) x
    WHERE ca.convention_id = x.convention_id AND ca.annee = x.annee
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE credit_annuel DROP COLUMN clos_le`.execute(db);
}
