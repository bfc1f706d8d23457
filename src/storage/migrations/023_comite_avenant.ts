import { sql, type Kysely } from 'kysely';

/**
 * A committee's decision may call for an avenant (the decider says so, or its outcome goes beyond what the
 * convention allows): kept with the decision, with the avenant drafted from it once there is one. The
 * partner's matching envelope of a FAST laureate takes its evidence as a file too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE comite
      ADD COLUMN appelle_avenant boolean NOT NULL DEFAULT false,
      ADD COLUMN avenant_numero integer,
      ADD CONSTRAINT comite_avenant FOREIGN KEY (convention_id, avenant_numero)
        REFERENCES avenant(convention_id, numero),
      ADD CONSTRAINT comite_avenant_appele CHECK (avenant_numero IS NULL OR appelle_avenant)`.execute(db);
  await sql`ALTER TABLE enveloppe ADD COLUMN preuve_piece_id uuid REFERENCES piece(id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enveloppe DROP COLUMN preuve_piece_id`.execute(db);
  await sql`
    ALTER TABLE comite
      DROP CONSTRAINT comite_avenant_appele,
      DROP CONSTRAINT comite_avenant,
      DROP COLUMN avenant_numero,
      DROP COLUMN appelle_avenant`.execute(db);
}
