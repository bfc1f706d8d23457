import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Year-end calendar and other settings an administrator edits.
  await sql`
    CREATE TABLE parametre (
      cle text PRIMARY KEY,
      valeur text NOT NULL,
      modifie_le timestamptz NOT NULL DEFAULT now(),
      modifie_par text
    )`.execute(db);

  // The totals of one convention and budget year: the row every credit operation locks (FOR UPDATE).
  // The CHECK constraints repeat the ceilings as a second barrier under the use cases.
  await sql`
    CREATE TABLE credit_annuel (
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer NOT NULL CHECK (annee BETWEEN 2000 AND 2100),
      base_ae bigint NOT NULL DEFAULT 0 CHECK (base_ae >= 0),
      base_cp bigint NOT NULL DEFAULT 0 CHECK (base_cp >= 0),
      reporte_entrant_ae bigint NOT NULL DEFAULT 0 CHECK (reporte_entrant_ae >= 0),
      reporte_entrant_cp bigint NOT NULL DEFAULT 0 CHECK (reporte_entrant_cp >= 0),
      reporte_sortant_ae bigint NOT NULL DEFAULT 0 CHECK (reporte_sortant_ae >= 0),
      reporte_sortant_cp bigint NOT NULL DEFAULT 0 CHECK (reporte_sortant_cp >= 0),
      restitue_ae bigint NOT NULL DEFAULT 0 CHECK (restitue_ae >= 0),
      restitue_cp bigint NOT NULL DEFAULT 0 CHECK (restitue_cp >= 0),
      ouvert_ae bigint NOT NULL DEFAULT 0,
      ouvert_cp bigint NOT NULL DEFAULT 0,
      engage_ae bigint NOT NULL DEFAULT 0,
      libere_ae bigint NOT NULL DEFAULT 0 CHECK (libere_ae >= 0),
      certifie bigint NOT NULL DEFAULT 0,
      paye_cp bigint NOT NULL DEFAULT 0,
      nb_engagements integer NOT NULL DEFAULT 0,
      ouverture date,
      modifie_le timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (convention_id, annee),
      CONSTRAINT ouvert_ae_compose CHECK (ouvert_ae = base_ae + reporte_entrant_ae - reporte_sortant_ae - restitue_ae),
      CONSTRAINT ouvert_cp_compose CHECK (ouvert_cp = base_cp + reporte_entrant_cp - reporte_sortant_cp - restitue_cp),
      CONSTRAINT plafond_ae CHECK (engage_ae >= 0 AND engage_ae <= ouvert_ae),
      CONSTRAINT plafond_cp CHECK (paye_cp >= 0 AND paye_cp <= ouvert_cp),
      CONSTRAINT certifie_engage CHECK (certifie >= 0 AND certifie <= engage_ae)
    )`.execute(db);
  await sql`CREATE INDEX credit_annuel_annee_idx ON credit_annuel (annee, convention_id)`.execute(db);

  await sql`
    CREATE TABLE engagement (
      id uuid PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer NOT NULL,
      numero text NOT NULL,
      titulaire text NOT NULL,
      marche text,
      devis text,
      objet text NOT NULL,
      produit text,
      montant bigint NOT NULL CHECK (montant > 0),
      base_montant text NOT NULL CHECK (base_montant IN ('TTC','HT')),
      date_engagement date NOT NULL,
      date_fin_prestation date,
      statut text NOT NULL DEFAULT 'actif' CHECK (statut IN ('actif','solde','annule')),
      libere bigint NOT NULL DEFAULT 0,
      certifie bigint NOT NULL DEFAULT 0,
      paye bigint NOT NULL DEFAULT 0,
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      cree_le timestamptz NOT NULL DEFAULT now(),
      UNIQUE (convention_id, numero),
      FOREIGN KEY (convention_id, annee) REFERENCES credit_annuel (convention_id, annee),
      CONSTRAINT libere_borne CHECK (libere >= 0 AND libere <= montant),
      CONSTRAINT certifie_borne CHECK (certifie >= 0 AND certifie <= montant - libere),
      CONSTRAINT paye_borne CHECK (paye >= 0 AND paye <= certifie),
      CHECK (statut <> 'annule' OR libere = montant)
    )`.execute(db);
  await sql`CREATE INDEX engagement_convention_idx ON engagement (convention_id, annee, date_engagement DESC, numero DESC)`.execute(
    db,
  );

  // Append-only: every change of the totals is one row, so that the totals can be rebuilt and audited.
  // Columns hold signed deltas of the totals of (convention, annee).
  await sql`
    CREATE TABLE mouvement (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer NOT NULL,
      type text NOT NULL CHECK (type IN ('mise_a_disposition','report_entrant','report_sortant','restitution','engagement','liberation','service_fait','paiement')),
      engagement_id uuid REFERENCES engagement(id) ON DELETE CASCADE,
      date_operation date NOT NULL,
      ouvert_ae bigint NOT NULL DEFAULT 0,
      ouvert_cp bigint NOT NULL DEFAULT 0,
      engage_ae bigint NOT NULL DEFAULT 0,
      certifie bigint NOT NULL DEFAULT 0,
      paye_cp bigint NOT NULL DEFAULT 0,
      pourcentage numeric(5,2),
      reference text,
      certificateur text,
      motif text,
      derogation text,
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      enregistre_le timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX mouvement_convention_idx ON mouvement (convention_id, annee, date_operation)`.execute(db);
  await sql`CREATE INDEX mouvement_engagement_idx ON mouvement (engagement_id) WHERE engagement_id IS NOT NULL`.execute(
    db,
  );

  // Recorded decisions on availability: release of a tranche, or an availability other than the schedule.
  await sql`
    CREATE TABLE decision_credit (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN ('liberation_tranche','disponibilite')),
      annee integer,
      rang integer,
      ae bigint CHECK (ae >= 0),
      cp bigint CHECK (cp >= 0),
      date_effet date NOT NULL,
      motif text NOT NULL,
      decideur text,
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      enregistre_le timestamptz NOT NULL DEFAULT now(),
      CHECK ((type = 'liberation_tranche' AND rang IS NOT NULL) OR (type = 'disponibilite' AND annee IS NOT NULL AND ae IS NOT NULL AND cp IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX decision_tranche_unique ON decision_credit (convention_id, rang) WHERE type = 'liberation_tranche'`.execute(
    db,
  );
  await sql`CREATE INDEX decision_convention_idx ON decision_credit (convention_id, id)`.execute(db);

  // Refusals and the alerts owed to the délégant ("insuffisance de crédits").
  await sql`
    CREATE TABLE alerte (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer,
      code text NOT NULL,
      message text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      destinataire text,
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      le timestamptz NOT NULL DEFAULT now(),
      traitee_le timestamptz,
      traitee_par text
    )`.execute(db);
  await sql`CREATE INDEX alerte_convention_idx ON alerte (convention_id, id DESC)`.execute(db);
  await sql`CREATE INDEX alerte_recentes_idx ON alerte (id DESC) WHERE traitee_le IS NULL`.execute(db);

  await sql`
    CREATE FUNCTION interdire_modification() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'table % en ajout seul', TG_TABLE_NAME;
    END $$`.execute(db);
  for (const t of ['mouvement', 'decision_credit']) {
    await sql`CREATE TRIGGER ${sql.raw(`${t}_ajout_seul`)} BEFORE UPDATE ON ${sql.table(t)} FOR EACH ROW EXECUTE FUNCTION interdire_modification()`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE alerte, decision_credit, mouvement, engagement, credit_annuel, parametre`.execute(db);
  await sql`DROP FUNCTION interdire_modification()`.execute(db);
}
