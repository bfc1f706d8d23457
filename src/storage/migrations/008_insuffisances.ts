import { sql, type Kysely } from 'kysely';

/**
 * Insufficiency cases of Article 5: at most one open case per convention and kind (a new refusal joins it),
 * with the information of the délégant and its answer, each dated with its author.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insuffisance (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer,
      nature text NOT NULL CHECK (nature IN ('credits','inutilises')),
      ouvert_le timestamptz NOT NULL,
      ouvert_par text NOT NULL,
      nb_refus integer NOT NULL DEFAULT 0,
      details jsonb NOT NULL DEFAULT '{}',
      information_date date,
      information_moyen text,
      information_justification text,
      information_par text,
      information_le timestamptz,
      reponse_date date,
      reponse_decision text CHECK (reponse_decision IN ('ajustement','refus')),
      reponse_motif text,
      reponse_par text,
      reponse_le timestamptz,
      CHECK (reponse_le IS NULL OR information_le IS NOT NULL)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX insuffisance_ouverte ON insuffisance (convention_id, nature) WHERE reponse_le IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE insuffisance`.execute(db);
}
