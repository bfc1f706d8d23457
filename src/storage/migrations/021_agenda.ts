import { sql, type Kysely } from 'kysely';

/**
 * Each agent's personal calendar feed: at most one secret per agent, stored as its SHA-256 hash (a random
 * 256-bit value, so a plain hash is enough). Replacing the secret rewrites the row; revoking deletes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE agenda (
      agent_id text PRIMARY KEY REFERENCES agent(id) ON DELETE CASCADE,
      hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
      prefixe text NOT NULL,
      cree_le timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE agenda`.execute(db);
}
