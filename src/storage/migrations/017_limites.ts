import { sql, type Kysely } from 'kysely';

/** Request counters of the rate limits, one row per client and limit, shared by every instance. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE limite (
      cle text PRIMARY KEY CHECK (length(cle) <= 200),
      debut timestamptz NOT NULL,
      nombre integer NOT NULL CHECK (nombre >= 0)
    )
  `.execute(db);
  await sql`CREATE INDEX limite_debut ON limite (debut)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE limite`.execute(db);
}
