import { sql, type Kysely } from 'kysely';

/** Imported documents: the original file, its normalised text and what was read off it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE document (
      id uuid PRIMARY KEY,
      nom text NOT NULL,
      media_type text NOT NULL,
      taille integer NOT NULL CHECK (taille > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      contenu bytea NOT NULL,
      texte text NOT NULL,
      extraction jsonb NOT NULL,
      convention_id uuid REFERENCES convention(id) ON DELETE SET NULL,
      importe_par text NOT NULL,
      importe_le timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX document_sha256_idx ON document (sha256)`.execute(db);
  await sql`CREATE INDEX document_convention_idx ON document (convention_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE document`.execute(db);
}
