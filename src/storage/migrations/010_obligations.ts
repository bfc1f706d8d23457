import { sql, type Kysely } from 'kysely';

/**
 * Obligations of each party of a convention, followed with their evidence: from the catalogue of the
 * convention's kind or free, with when they are due, their state (late is derived from the dates) and
 * who changed them last.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE obligation (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      partie text NOT NULL CHECK (partie IN ('delegant','delegataire')),
      code text,
      libelle text NOT NULL,
      echeance text NOT NULL CHECK (echeance IN ('signature','mensuelle','semestrielle','terme','avant_date')),
      date_limite date,
      mesure jsonb,
      etat text NOT NULL DEFAULT 'a_faire' CHECK (etat IN ('a_faire','faite','levee')),
      preuve_url text,
      preuve_piece_id uuid REFERENCES piece(id),
      motif_levee text,
      faite_le date,
      modifie_par text,
      modifie_le timestamptz,
      CHECK (etat <> 'faite' OR preuve_url IS NOT NULL OR preuve_piece_id IS NOT NULL),
      CHECK (etat <> 'levee' OR motif_levee IS NOT NULL),
      CHECK (echeance <> 'avant_date' OR date_limite IS NOT NULL)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX obligation_catalogue ON obligation (convention_id, code) WHERE code IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE obligation`.execute(db);
}
