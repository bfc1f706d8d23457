import { sql, type Kysely } from 'kysely';

/**
 * The ledger is dated: each totals row remembers the latest effect date of its movements, so that a
 * movement dated on or after it is checked on the totals alone (the common case, no extra read), and an
 * earlier one against the figures of every later date. Chorus numbers typed on orders (engagements
 * juridiques) are unique across conventions; the automatic `BC-AAAA-N` numbers stay per convention.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE credit_annuel ADD COLUMN dernier_effet date`.execute(db);
  await sql`
    UPDATE credit_annuel ca SET dernier_effet = m.d
    FROM (SELECT convention_id, annee, max(date_operation) AS d FROM mouvement GROUP BY convention_id, annee) m
    WHERE m.convention_id = ca.convention_id AND m.annee = ca.annee`.execute(db);
  await sql`CREATE UNIQUE INDEX engagement_numero_chorus_key ON engagement (numero) WHERE numero !~ '^BC-[0-9]{4}-[0-9]+$'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX engagement_numero_chorus_key`.execute(db);
  await sql`ALTER TABLE credit_annuel DROP COLUMN dernier_effet`.execute(db);
}
