import { sql, type Kysely } from 'kysely';

/**
 * Agents (people known through ProConnect or the development login), their server-side sessions, the
 * logins under way (OIDC state, nonce and PKCE verifier) and the API tokens of other programs. Secrets are
 * stored as SHA-256 hashes: they are random 256-bit values, so a plain hash is enough.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE agent (
      id text PRIMARY KEY,
      idp_id text NOT NULL,
      sub text NOT NULL,
      email text NOT NULL,
      prenom text NOT NULL DEFAULT '',
      nom text NOT NULL DEFAULT '',
      organisation_siret text CHECK (organisation_siret ~ '^[0-9]{14}$'),
      role text NOT NULL CHECK (role IN ('administrateur', 'gestionnaire', 'partenaire', 'equipe')),
      produits jsonb NOT NULL DEFAULT '[]',
      actif boolean NOT NULL DEFAULT true,
      cree_le timestamptz NOT NULL DEFAULT now(),
      derniere_connexion timestamptz,
      modifie_par text,
      modifie_le timestamptz,
      UNIQUE (idp_id, sub)
    )`.execute(db);
  await sql`
    CREATE TABLE session (
      hash text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
      agent_id text NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
      cree_le timestamptz NOT NULL DEFAULT now(),
      vu_le timestamptz NOT NULL DEFAULT now(),
      expire_le timestamptz NOT NULL,
      id_token text
    )`.execute(db);
  await sql`CREATE INDEX session_agent_idx ON session (agent_id)`.execute(db);
  await sql`
    CREATE TABLE connexion_en_cours (
      state text PRIMARY KEY,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      retour text NOT NULL,
      expire_le timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE jeton (
      id text PRIMARY KEY,
      hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
      prefixe text NOT NULL,
      nom text NOT NULL,
      role text NOT NULL CHECK (role IN ('administrateur', 'gestionnaire', 'partenaire', 'equipe', 'public')),
      organisation_siret text CHECK (organisation_siret ~ '^[0-9]{14}$'),
      produits jsonb NOT NULL DEFAULT '[]',
      cree_par text NOT NULL,
      cree_le timestamptz NOT NULL DEFAULT now(),
      expire_le timestamptz NOT NULL,
      revoque_le timestamptz,
      revoque_par text,
      utilise_le timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE jeton`.execute(db);
  await sql`DROP TABLE connexion_en_cours`.execute(db);
  await sql`DROP TABLE session`.execute(db);
  await sql`DROP TABLE agent`.execute(db);
}
