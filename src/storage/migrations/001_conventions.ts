import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE convention (
      id uuid PRIMARY KEY,
      reference text,
      nature text NOT NULL CHECK (nature IN ('delegation_de_gestion','avenant','convention_fast_subvention','partenariat','other')),
      statut text NOT NULL CHECK (statut IN ('a_verifier','brouillon','en_vigueur','suspendue','resiliee')),
      role_dinum text NOT NULL CHECK (role_dinum IN ('delegant','delegataire','autre')),
      delegant jsonb NOT NULL,
      delegataire jsonb NOT NULL,
      delegant_nom text NOT NULL,
      delegataire_nom text NOT NULL,
      delegant_siret text,
      delegataire_siret text,
      produits jsonb NOT NULL DEFAULT '[]',
      produits_texte text NOT NULL DEFAULT '',
      objet_verbe text,
      objet text,
      phase text CHECK (phase IN ('investigation','construction','acceleration','consolidation','perennisation','transfert')),
      base_juridique text,
      preambule text,
      uo text,
      programme_bop text,
      imputation jsonb NOT NULL,
      comptable_assignataire text,
      base_montants text NOT NULL CHECK (base_montants IN ('TTC','HT')),
      total_ae_centimes bigint CHECK (total_ae_centimes >= 0),
      cofinancement_fast_centimes bigint CHECK (cofinancement_fast_centimes >= 0),
      promotion_fast text,
      date_signature date,
      date_fin date,
      duree_mois integer CHECK (duree_mois > 0),
      fin_effective date,
      preavis_mois integer CHECK (preavis_mois > 0),
      comite jsonb NOT NULL,
      obligations jsonb NOT NULL DEFAULT '[]',
      rgpd jsonb NOT NULL DEFAULT '[]',
      destinataires_copie text,
      publication text,
      publiee boolean NOT NULL DEFAULT false,
      -- totals of the schedule, kept with the row so that lists sort and sum without a join
      echeancier_ae_centimes bigint NOT NULL DEFAULT 0,
      echeancier_cp_centimes bigint NOT NULL DEFAULT 0,
      version integer NOT NULL DEFAULT 1,
      cree_le timestamptz NOT NULL DEFAULT now(),
      modifie_le timestamptz NOT NULL DEFAULT now(),
      CHECK (date_fin IS NULL OR date_signature IS NULL OR date_fin >= date_signature)
    )`.execute(db);
  await sql`CREATE INDEX convention_signature_idx ON convention (date_signature DESC NULLS LAST, id)`.execute(db);
  await sql`CREATE INDEX convention_delegant_siret_idx ON convention (delegant_siret)`.execute(db);
  await sql`CREATE INDEX convention_delegataire_siret_idx ON convention (delegataire_siret)`.execute(db);

  await sql`
    CREATE TABLE echeancier (
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer NOT NULL CHECK (annee BETWEEN 2000 AND 2100),
      ae_centimes bigint CHECK (ae_centimes >= 0),
      cp_centimes bigint CHECK (cp_centimes >= 0),
      PRIMARY KEY (convention_id, annee)
    )`.execute(db);
  await sql`CREATE INDEX echeancier_annee_idx ON echeancier (annee, convention_id)`.execute(db);

  await sql`
    CREATE TABLE tranche (
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      rang integer NOT NULL,
      part_pct numeric(5,2) NOT NULL CHECK (part_pct > 0 AND part_pct <= 100),
      condition text,
      PRIMARY KEY (convention_id, rang)
    )`.execute(db);

  // Append-only record of every change: who, when, what, before and after.
  await sql`
    CREATE TABLE journal (
      id bigserial PRIMARY KEY,
      convention_id uuid REFERENCES convention(id) ON DELETE CASCADE,
      objet_type text NOT NULL,
      objet_id text NOT NULL,
      action text NOT NULL,
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      acteur_role text NOT NULL,
      le timestamptz NOT NULL DEFAULT now(),
      changements jsonb NOT NULL DEFAULT '[]',
      commentaire text
    )`.execute(db);
  await sql`CREATE INDEX journal_convention_idx ON journal (convention_id, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE journal, tranche, echeancier, convention`.execute(db);
}
