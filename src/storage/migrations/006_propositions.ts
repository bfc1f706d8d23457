import { sql, type Kysely } from 'kysely';

/**
 * Orders prepared by a product team and waiting for the ordonnateur: they bind no credits until approved,
 * when they become an order through the same checks as any other (ceiling, annuality, calendar).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE proposition (
      id uuid PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer NOT NULL CHECK (annee BETWEEN 2000 AND 2100),
      titulaire text NOT NULL,
      marche text,
      devis text,
      objet text NOT NULL,
      produit text,
      montant bigint NOT NULL CHECK (montant > 0),
      base_montant text CHECK (base_montant IN ('TTC','HT')),
      date_fin_prestation date,
      justification text,
      statut text NOT NULL DEFAULT 'a_valider' CHECK (statut IN ('a_valider','validee','refusee')),
      propose_par_id text NOT NULL,
      propose_par_nom text NOT NULL,
      propose_le timestamptz NOT NULL,
      decide_par_nom text,
      decide_le timestamptz,
      motif_refus text,
      engagement_id uuid REFERENCES engagement(id),
      CONSTRAINT decision_complete CHECK (
        (statut = 'a_valider' AND decide_le IS NULL AND engagement_id IS NULL)
        OR (statut = 'validee' AND decide_le IS NOT NULL AND engagement_id IS NOT NULL)
        OR (statut = 'refusee' AND decide_le IS NOT NULL AND motif_refus IS NOT NULL)
      )
    )`.execute(db);
  await sql`CREATE INDEX proposition_convention_idx ON proposition (convention_id, statut, propose_le)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE proposition`.execute(db);
}
