import { sql, type Kysely } from 'kysely';

/**
 * Year-end closing (« clôture de gestion »): each closing of a year, for one convention or the whole
 * portfolio (no convention), with the statement it froze; the délégant's agreements to carry credits over;
 * the dates of an exercise set for that year alone. Closings and agreements are append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE exercice_cloture (
      id bigserial PRIMARY KEY,
      annee integer NOT NULL CHECK (annee BETWEEN 2000 AND 2100),
      convention_id uuid REFERENCES convention(id) ON DELETE CASCADE,
      bilan jsonb,
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      clos_le timestamptz NOT NULL,
      CHECK (convention_id IS NULL OR bilan IS NOT NULL)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX exercice_cloture_convention ON exercice_cloture (convention_id, annee) WHERE convention_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX exercice_cloture_portefeuille ON exercice_cloture (annee) WHERE convention_id IS NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE accord_report (
      id bigserial PRIMARY KEY,
      convention_id uuid NOT NULL REFERENCES convention(id) ON DELETE CASCADE,
      annee integer NOT NULL CHECK (annee BETWEEN 2000 AND 2100),
      date_accord date NOT NULL,
      auteur text NOT NULL,
      ae bigint CHECK (ae >= 0),
      cp bigint CHECK (cp >= 0),
      acteur_id text NOT NULL,
      acteur_nom text NOT NULL,
      enregistre_le timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX accord_report_convention_idx ON accord_report (convention_id, annee, id)`.execute(db);

  await sql`
    CREATE TABLE calendrier_exercice (
      annee integer PRIMARY KEY CHECK (annee BETWEEN 2000 AND 2100),
      ouverture_cloture date,
      limite_report date,
      limite_cloture date,
      modifie_par text NOT NULL,
      modifie_le timestamptz NOT NULL
    )`.execute(db);

  for (const t of ['exercice_cloture', 'accord_report']) {
    await sql`CREATE TRIGGER ${sql.raw(`${t}_ajout_seul`)} BEFORE UPDATE ON ${sql.table(t)} FOR EACH ROW EXECUTE FUNCTION interdire_modification()`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE calendrier_exercice, accord_report, exercice_cloture`.execute(db);
}
