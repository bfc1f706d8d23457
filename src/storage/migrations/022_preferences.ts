import { sql, type Kysely } from 'kysely';

/**
 * What each agent chooses to receive, and how often (a kind without a row takes its default); the
 * messages held for a digest (`differe`, then `regroupe` into the digest that carried them); and the
 * day's background work, claimed once a day by whichever instance comes first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE preference_notification (
      agent_id text NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
      type text NOT NULL,
      frequence text NOT NULL CHECK (frequence IN ('immediat','quotidien','hebdomadaire','aucun')),
      PRIMARY KEY (agent_id, type),
      CHECK (type <> 'recapitulatif_a_faire' OR frequence <> 'immediat')
    )`.execute(db);
  await sql`ALTER TABLE envoi DROP CONSTRAINT envoi_statut_check`.execute(db);
  await sql`
    ALTER TABLE envoi
      ADD CONSTRAINT envoi_statut_check
        CHECK (statut IN ('a_envoyer','envoye','conserve','abandonne','differe','regroupe')),
      ADD COLUMN regroupement text CHECK (regroupement IN ('quotidien','hebdomadaire')),
      ADD COLUMN recapitulatif_id bigint REFERENCES envoi(id) ON DELETE SET NULL,
      ADD COLUMN elements jsonb,
      ADD CONSTRAINT envoi_differe CHECK ((statut = 'differe') <= (regroupement IS NOT NULL))`.execute(db);
  await sql`CREATE INDEX envoi_differe_agent ON envoi (agent_id) WHERE statut = 'differe'`.execute(db);
  await sql`
    CREATE TABLE tache (
      nom text NOT NULL,
      jour date NOT NULL,
      verrou_jusqua timestamptz NOT NULL,
      terminee_le timestamptz,
      PRIMARY KEY (nom, jour)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE tache`.execute(db);
  await sql`DELETE FROM envoi WHERE statut IN ('differe','regroupe')`.execute(db);
  await sql`
    ALTER TABLE envoi DROP CONSTRAINT envoi_differe, DROP COLUMN elements, DROP COLUMN recapitulatif_id,
      DROP COLUMN regroupement, DROP CONSTRAINT envoi_statut_check`.execute(db);
  await sql`
    ALTER TABLE envoi ADD CONSTRAINT envoi_statut_check
      CHECK (statut IN ('a_envoyer','envoye','conserve','abandonne'))`.execute(db);
  await sql`DROP TABLE preference_notification`.execute(db);
}
