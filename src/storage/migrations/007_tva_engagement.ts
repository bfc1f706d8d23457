import { sql, type Kysely } from 'kysely';

/**
 * An order placed on another VAT base than its convention's is counted against the credits at its amount
 * converted to the convention's base (an HT order against TTC credits at its TTC amount), with the VAT
 * rate stored on the order. The order's figures (released, certified, paid) are on that counted amount.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE engagement ADD COLUMN taux_tva numeric(3,1) NOT NULL DEFAULT 20 CHECK (taux_tva IN (0, 5.5, 10, 20))`.execute(
    db,
  );
  await sql`ALTER TABLE engagement ADD COLUMN montant_impute bigint`.execute(db);
  await sql`UPDATE engagement SET montant_impute = montant`.execute(db);
  await sql`ALTER TABLE engagement ALTER COLUMN montant_impute SET NOT NULL`.execute(db);
  await sql`ALTER TABLE engagement ADD CONSTRAINT montant_impute_positif CHECK (montant_impute > 0)`.execute(db);
  // the bounds of 002 move to the counted amount
  await sql`ALTER TABLE engagement DROP CONSTRAINT libere_borne, DROP CONSTRAINT certifie_borne, DROP CONSTRAINT IF EXISTS engagement_check`.execute(
    db,
  );
  await sql`ALTER TABLE engagement ADD CONSTRAINT libere_borne CHECK (libere >= 0 AND libere <= montant_impute)`.execute(
    db,
  );
  await sql`ALTER TABLE engagement ADD CONSTRAINT certifie_borne CHECK (certifie >= 0 AND certifie <= montant_impute - libere)`.execute(
    db,
  );
  await sql`ALTER TABLE engagement ADD CONSTRAINT annule_libere CHECK (statut <> 'annule' OR libere = montant_impute)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE engagement DROP CONSTRAINT annule_libere, DROP CONSTRAINT certifie_borne, DROP CONSTRAINT libere_borne`.execute(
    db,
  );
  await sql`ALTER TABLE engagement ADD CONSTRAINT libere_borne CHECK (libere >= 0 AND libere <= montant)`.execute(db);
  await sql`ALTER TABLE engagement ADD CONSTRAINT certifie_borne CHECK (certifie >= 0 AND certifie <= montant - libere)`.execute(
    db,
  );
  await sql`ALTER TABLE engagement ADD CHECK (statut <> 'annule' OR libere = montant)`.execute(db);
  await sql`ALTER TABLE engagement DROP COLUMN montant_impute, DROP COLUMN taux_tva`.execute(db);
}
