import { sql, type Kysely } from 'kysely';

/**
 * FAST promotions (their calendar and ceiling per laureate) and the partner's matching envelope of a
 * laureate convention: its amount and what the partner declares committed, with the evidence.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE promotion (
      numero integer PRIMARY KEY CHECK (numero BETWEEN 1 AND 999),
      appel_ouverture date,
      appel_cloture date,
      comite_selection date,
      lancement date,
      mi_parcours date,
      demo_day date,
      plafond_laureat_centimes bigint CHECK (plafond_laureat_centimes >= 0),
      cree_par text NOT NULL,
      cree_le timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE enveloppe (
      convention_id uuid PRIMARY KEY REFERENCES convention(id) ON DELETE CASCADE,
      montant_centimes bigint NOT NULL CHECK (montant_centimes >= 0),
      engage_centimes bigint NOT NULL DEFAULT 0 CHECK (engage_centimes >= 0),
      preuve_url text,
      declare_par text,
      declare_le timestamptz,
      CHECK (engage_centimes <= montant_centimes)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE enveloppe`.execute(db);
  await sql`DROP TABLE promotion`.execute(db);
}
