import { sql, type Kysely } from 'kysely';

/** What was pushed to data.gouv.fr, when, to which resource: one row per file and attempt. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE publication_donnees (
      id bigserial PRIMARY KEY,
      le timestamptz NOT NULL,
      jeu_de_donnees text NOT NULL,
      fichier text NOT NULL,
      statut text NOT NULL CHECK (statut IN ('publie', 'echec')),
      ressource_id text,
      url text,
      sha256 text,
      octets integer,
      lignes integer,
      message text,
      acteur_nom text NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX publication_donnees_le ON publication_donnees (le DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE publication_donnees`.execute(db);
}
