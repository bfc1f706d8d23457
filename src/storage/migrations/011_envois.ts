import { sql, type Kysely } from 'kysely';

/**
 * The e-mails to send (an outbox): written in the transaction of the change that causes them, one row per
 * event and recipient (`cle` unique, so an event never queues twice), then claimed by whichever instance
 * is free (`FOR UPDATE SKIP LOCKED`), sent after commit, retried with a growing delay.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE envoi (
      id bigserial PRIMARY KEY,
      cle text NOT NULL UNIQUE,
      type text NOT NULL,
      agent_id text,
      destinataire text NOT NULL,
      sujet text NOT NULL,
      texte text NOT NULL,
      html text NOT NULL,
      lien text NOT NULL,
      convention_id uuid REFERENCES convention(id) ON DELETE CASCADE,
      statut text NOT NULL DEFAULT 'a_envoyer' CHECK (statut IN ('a_envoyer','envoye','conserve','abandonne')),
      tentatives integer NOT NULL DEFAULT 0,
      prochain_essai timestamptz NOT NULL,
      verrou_jusqua timestamptz,
      erreur text,
      cree_le timestamptz NOT NULL,
      envoye_le timestamptz
    )`.execute(db);
  await sql`CREATE INDEX envoi_a_envoyer ON envoi (prochain_essai) WHERE statut = 'a_envoyer'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE envoi`.execute(db);
}
