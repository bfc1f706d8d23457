import { sql, type Kysely } from 'kysely';

/**
 * A pending import can be discarded: the document stays (its bytes and who discarded it, why and when are
 * evidence), out of the list to review; the same file may then be imported again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE document
      ADD COLUMN ecarte_le timestamptz,
      ADD COLUMN ecarte_par text,
      ADD COLUMN motif_ecart text,
      ADD CONSTRAINT document_ecart CHECK ((ecarte_le IS NULL) = (ecarte_par IS NULL))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE document
      DROP CONSTRAINT document_ecart,
      DROP COLUMN motif_ecart,
      DROP COLUMN ecarte_par,
      DROP COLUMN ecarte_le`.execute(db);
}
