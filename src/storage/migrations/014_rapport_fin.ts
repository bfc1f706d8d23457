import { sql, type Kysely } from 'kysely';

/**
 * The end-of-term report of a convention, one per convention: the délégataire's sections, its review and
 * its sending. The checks keep the steps in order even for a write that bypasses the domain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rapport_fin (
      convention_id uuid PRIMARY KEY REFERENCES convention(id) ON DELETE CASCADE,
      avancement text NOT NULL DEFAULT '',
      previsions text NOT NULL DEFAULT '',
      redige_par text,
      redige_le timestamptz,
      relu_par text,
      relu_le timestamptz,
      envoye_le date,
      destinataires text,
      envoye_par text,
      CHECK ((relu_par IS NULL) = (relu_le IS NULL)),
      CHECK ((envoye_le IS NULL) = (destinataires IS NULL) AND (envoye_le IS NULL) = (envoye_par IS NULL)),
      CHECK (envoye_le IS NULL OR relu_le IS NOT NULL)
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE rapport_fin`.execute(db);
}
