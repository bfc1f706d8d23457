import path from 'node:path';

/** Settings read from the environment, in one place. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database in `dataDir` */
  databaseUrl: string | undefined;
  dataDir: string;
  production: boolean;
  /** public URL of the app (used for OIDC redirects and secure cookies) */
  publicUrl: string;
  /** demonstration data on first start of an empty database */
  demo: boolean;
  /** maximum request body, bytes */
  bodyLimit: number;
  /** demo login on PostgreSQL too (development and tests; never in production) */
  connexionDemo: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT invalide : ${env.PORT}`);
  const host = env.HOST ?? '0.0.0.0';
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DELEGATIONS_DATA_DIR ?? 'data'),
    production: env.NODE_ENV === 'production',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    demo: env.DELEGATIONS_DEMO ? env.DELEGATIONS_DEMO !== '0' : !env.DATABASE_URL,
    bodyLimit: Number(env.DELEGATIONS_BODY_LIMIT ?? 12 * 1024 * 1024),
    connexionDemo: env.DELEGATIONS_CONNEXION_DEMO === '1',
  };
}
