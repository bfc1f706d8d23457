import { sql, type Kysely } from 'kysely';

/** The copies of a signed avenant sent to the budget controllers (CBCM): to whom, when, recorded by whom. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE avenant_copie (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL,
      avenant_numero integer NOT NULL,
      destinataire text NOT NULL CHECK (length(destinataire) > 0),
      date_envoi date NOT NULL,
      consigne_par text NOT NULL,
      le timestamptz NOT NULL,
      FOREIGN KEY (convention_id, avenant_numero) REFERENCES avenant(convention_id, numero) ON DELETE CASCADE
    )
  `.execute(db);
  await sql`CREATE INDEX avenant_copie_avenant ON avenant_copie (convention_id, avenant_numero)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE avenant_copie`.execute(db);
}
