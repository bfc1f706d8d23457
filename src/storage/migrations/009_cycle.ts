import { sql, type Kysely } from 'kysely';

/**
 * A convention's life: the states of its signature circuit and of its termination with notice, the
 * signatures of each party (of the convention, number 0, or of an avenant), the notices given, the
 * avenants as their own records, and the signed pieces (PDF) attached to them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE convention DROP CONSTRAINT convention_statut_check`.execute(db);
  await sql`
    ALTER TABLE convention ADD CONSTRAINT convention_statut_check CHECK (statut IN (
      'a_verifier','brouillon','en_signature','signee_partenaire','en_vigueur','suspendue',
      'resiliation_notifiee','resiliee','cloturee'))
  `.execute(db);
  await sql`ALTER TABLE convention ADD COLUMN resiliation_effet date`.execute(db);
  await sql`
    CREATE TABLE piece (
      id uuid PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      nom text NOT NULL,
      media_type text NOT NULL,
      taille integer NOT NULL CHECK (taille > 0),
      sha256 text NOT NULL,
      contenu bytea NOT NULL,
      depose_par text NOT NULL,
      depose_le timestamptz NOT NULL
    )
  `.execute(db);
  await sql`
    CREATE TABLE avenant (
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      numero integer NOT NULL CHECK (numero > 0),
      objet text NOT NULL,
      date_effet date NOT NULL,
      modifications jsonb NOT NULL,
      avant jsonb,
      statut text NOT NULL DEFAULT 'brouillon' CHECK (statut IN ('brouillon','signee_partenaire','signe')),
      date_signature date,
      cree_par text NOT NULL,
      cree_le timestamptz NOT NULL,
      PRIMARY KEY (convention_id, numero),
      CHECK ((statut = 'signe') = (date_signature IS NOT NULL AND avant IS NOT NULL))
    )
  `.execute(db);
  await sql`
    CREATE TABLE signature (
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      avenant_numero integer NOT NULL DEFAULT 0,
      partie text NOT NULL CHECK (partie IN ('delegant','delegataire')),
      date_signature date NOT NULL,
      signataire text,
      piece_id uuid REFERENCES piece(id),
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      le timestamptz NOT NULL,
      PRIMARY KEY (convention_id, avenant_numero, partie)
    )
  `.execute(db);
  await sql`
    CREATE TABLE resiliation (
      id uuid PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      partie text NOT NULL CHECK (partie IN ('delegant','delegataire')),
      date_notification date NOT NULL,
      preavis_mois integer NOT NULL CHECK (preavis_mois > 0),
      date_effet date NOT NULL CHECK (date_effet >= date_notification),
      motif text NOT NULL,
      piece_id uuid REFERENCES piece(id),
      acteur_nom text NOT NULL,
      le timestamptz NOT NULL,
      retrait_date_accord date,
      retrait_motif text,
      retrait_par text,
      retrait_le timestamptz
    )
  `.execute(db);
  // one notice under way at a time
  await sql`CREATE UNIQUE INDEX resiliation_en_cours ON resiliation (convention_id) WHERE retrait_le IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE resiliation, signature, avenant, piece`.execute(db);
  await sql`ALTER TABLE convention DROP COLUMN resiliation_effet`.execute(db);
}
