import { sql, type Kysely } from 'kysely';

/**
 * The credits page lists a convention's availability movements (a few per year) among its orders' many:
 * a partial index holds only those, so the list no longer reads every movement of the convention.
 * Orders write no entry into it (their type is outside the predicate).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX mouvement_disponibilite_idx ON mouvement (convention_id, annee, id)
    WHERE type IN ('mise_a_disposition', 'report_entrant', 'report_sortant', 'restitution')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX mouvement_disponibilite_idx`.execute(db);
}
