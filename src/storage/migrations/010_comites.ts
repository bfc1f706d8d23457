import { sql, type Kysely } from 'kysely';

/**
 * Investment committees of a convention (and the mid-term reviews of FAST): prepared by the product team
 * (indicators, request), then decided, the decision recorded once with its author, the phase it moves the
 * product to, the tranche it released and the minutes kept as a piece.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE comite (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      nature text NOT NULL CHECK (nature IN ('investissement','mi_parcours')),
      date date NOT NULL,
      presidence text,
      participants jsonb NOT NULL DEFAULT '[]',
      indicateurs jsonb NOT NULL DEFAULT '[]',
      demande jsonb,
      prepare_par text NOT NULL,
      prepare_le timestamptz NOT NULL,
      decision text CHECK (decision IN ('continue','provisoire','arret','acceleration','perennisation','transfert')),
      decision_motif text,
      decision_budget_centimes bigint CHECK (decision_budget_centimes >= 0),
      decision_duree_mois integer,
      phase_apres text CHECK (phase_apres IN ('investigation','construction','acceleration','consolidation',
        'opere','transfere','abandon-investigation','abandon')),
      tranche_liberee integer,
      decide_par text,
      decide_le timestamptz,
      compte_rendu_piece_id uuid REFERENCES piece(id),
      CHECK ((decision IS NULL) = (decide_le IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX comite_convention ON comite (convention_id, date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE comite`.execute(db);
}
