import { sql, type Kysely } from 'kysely';

/**
 * The « publiée » decision of a convention: since when it is public and who decided it. The row exists
 * while the convention is published; a withdrawal deletes it, and the journal keeps both decisions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE publication (
      convention_id uuid PRIMARY KEY REFERENCES convention(id) ON DELETE CASCADE,
      publiee_le date NOT NULL,
      decidee_par text NOT NULL,
      le timestamptz NOT NULL
    )
  `.execute(db);
  // conventions published before the decision existed: their creation is the best date known
  await sql`
    INSERT INTO publication (convention_id, publiee_le, decidee_par, le)
    SELECT id, cree_le::date, 'Reprise des données', cree_le FROM convention WHERE publiee
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE publication`.execute(db);
}
