import path from 'node:path';
import { isDateIso } from './domain/dates.js';
import { horlogeDecalee, type Horloge } from './domain/horloge.js';
import { LIMITES_DEFAUT, type Limites } from './importer/limites.js';

/** ProConnect client settings; all four are needed to offer the login. */
export interface ProConnectSettings {
  issuer: string;
  discoveryUrl: string | undefined;
  clientId: string;
  clientSecret: string;
}

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
  proconnect: ProConnectSettings | null;
  /** e-mail addresses that become administrators at their first ProConnect login */
  administrateurs: string[];
  /** requests per minute and client; 0 switches the limit off */
  limiteConnexion: number;
  limiteApi: number;
  /**
   * DELEGATIONS_TRUST_PROXY: how many reverse proxies stand in front of the server (0: none). The client's
   * address is then the X-Forwarded-For entry that many hops from the right; what lies left of it is the client's
   */
  trustProxy: number;
  /**
   * DELEGATIONS_SECRET: the key the form tokens are derived with, the same on every instance; without it,
   * the server generates one and keeps it in `dataDir`
   */
  secret: string | undefined;
  /** DELEGATIONS_AUJOURDHUI: the day the server's clock starts at (recette, demo, process tests) */
  aujourdHui: Date | null;
  /** SMTP server of the e-mails (`smtp://user:pass@host:587`); without it, messages are kept for « Envois » */
  smtpUrl: string | undefined;
  /** the sender's address of the e-mails */
  expediteur: string;
  /** bounds of reading an imported file, each file read in a thread of its own */
  limitesImport: Limites;
}

/** The bounds of reading an imported file (DELEGATIONS_IMPORT_*), the defaults where a variable is absent. */
export function limitesImport(env: NodeJS.ProcessEnv = process.env): Limites {
  const d = LIMITES_DEFAUT;
  const positif = (nom: string, defaut: number) => {
    const n = entier(env, nom, defaut);
    if (n <= 0) throw new ConfigError(`${nom} invalide : un entier positif est attendu.`);
    return n;
  };
  const MO = 1024 * 1024;
  return {
    tailleMax: d.tailleMax,
    docxDecompresseMax: positif('DELEGATIONS_IMPORT_DOCX_MAX_MO', d.docxDecompresseMax / MO) * MO,
    docxRatioMax: positif('DELEGATIONS_IMPORT_DOCX_RATIO_MAX', d.docxRatioMax),
    pdfPagesMax: positif('DELEGATIONS_IMPORT_PDF_PAGES_MAX', d.pdfPagesMax),
    pdfObjetsMax: positif('DELEGATIONS_IMPORT_PDF_OBJETS_MAX', d.pdfObjetsMax),
    pdfDecompresseMax: positif('DELEGATIONS_IMPORT_PDF_MAX_MO', d.pdfDecompresseMax / MO) * MO,
    delaiMs: positif('DELEGATIONS_IMPORT_DELAI_S', d.delaiMs / 1000) * 1000,
    ocrPagesMax: positif('DELEGATIONS_IMPORT_OCR_PAGES_MAX', d.ocrPagesMax),
    ocrPageMs: positif('DELEGATIONS_IMPORT_OCR_PAGE_S', d.ocrPageMs / 1000) * 1000,
    memoireMo: positif('DELEGATIONS_IMPORT_MEMOIRE_MO', d.memoireMo),
  };
}

/** The system clock: the only place the application reads the real date. */
export const horlogeSysteme: Horloge = () => new Date();

/** The clock every use case receives: the system's, or one set to start at DELEGATIONS_AUJOURDHUI. */
export function horlogeConfiguree(c: Pick<Config, 'aujourdHui'>): Horloge {
  return c.aujourdHui ? horlogeDecalee(c.aujourdHui, horlogeSysteme) : horlogeSysteme;
}

function instantDepart(v: string | undefined): Date | null {
  if (!v) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2})?)?$/.exec(v);
  const t = m && isDateIso(m[1]) ? new Date(`${m[1]}${m[2] ?? 'T10:00'}`) : null;
  if (!t || Number.isNaN(t.getTime()))
    throw new ConfigError(`DELEGATIONS_AUJOURDHUI invalide : « ${v} » (attendu : 2026-12-15 ou 2026-12-15T09:30).`);
  return t;
}

/** A setting that cannot work: the server refuses to start and says which variable to fix. */
export class ConfigError extends Error {}

function entier(env: NodeJS.ProcessEnv, nom: string, defaut: number): number {
  const v = env[nom];
  if (v === undefined || v === '') return defaut;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${nom} doit être un entier positif (reçu : ${v}).`);
  return n;
}

function estLocal(url: string): boolean {
  const h = new URL(url).hostname;
  return h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
}

/** Cookies carry the Secure flag everywhere but on a local address served over plain HTTP. */
export function cookiesSecurises(publicUrl: string): boolean {
  return publicUrl.startsWith('https://') || !estLocal(publicUrl);
}

/**
 * The development login (pick a demo user) exists only outside production: in embedded mode when ProConnect
 * is not configured, or when asked for explicitly (tests and benchmarks on PostgreSQL).
 */
export function connexionDemoActive(
  c: Pick<Config, 'production' | 'databaseUrl' | 'connexionDemo' | 'proconnect'>,
): boolean {
  if (c.production) return false;
  return c.connexionDemo || (!c.databaseUrl && !c.proconnect);
}

function adressePublique(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`PUBLIC_URL invalide : « ${v} » (attendu : https://delegations.exemple.gouv.fr).`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ConfigError(`PUBLIC_URL invalide : « ${v} » (http ou https).`);
  return `${u.origin}${u.pathname}`.replace(/\/$/, '');
}

function tailleMax(n: number): number {
  if (n < 64 * 1024)
    throw new ConfigError('DELEGATIONS_BODY_LIMIT invalide : au moins 65536 octets, pour qu’un formulaire passe.');
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT invalide : ${env.PORT}`);
  const host = env.HOST ?? '0.0.0.0';
  const production = env.NODE_ENV === 'production';
  const issuer = env.PROCONNECT_ISSUER || undefined;
  const clientId = env.PROCONNECT_CLIENT_ID || undefined;
  const clientSecret = env.PROCONNECT_CLIENT_SECRET || undefined;
  const discoveryUrl = env.PROCONNECT_DISCOVERY_URL || undefined;
  const partiel = [issuer ?? discoveryUrl, clientId, clientSecret].filter(Boolean).length;
  if (partiel > 0 && partiel < 3) {
    throw new ConfigError(
      'ProConnect est configuré en partie : PROCONNECT_ISSUER (ou PROCONNECT_DISCOVERY_URL), PROCONNECT_CLIENT_ID et PROCONNECT_CLIENT_SECRET vont ensemble.',
    );
  }
  const proconnect =
    partiel === 3
      ? {
          issuer: issuer ?? discoveryUrl!.replace(/\/\.well-known\/openid-configuration$/, ''),
          discoveryUrl,
          clientId: clientId!,
          clientSecret: clientSecret!,
        }
      : null;
  const connexionDemo = env.DELEGATIONS_CONNEXION_DEMO === '1';
  const publicUrl = adressePublique(env.PUBLIC_URL || `http://localhost:${port}`);
  if (production) {
    if (!proconnect)
      throw new ConfigError(
        'En production, la connexion passe par ProConnect : renseignez PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID et PROCONNECT_CLIENT_SECRET.',
      );
    if (connexionDemo)
      throw new ConfigError('La connexion de démonstration (DELEGATIONS_CONNEXION_DEMO) est interdite en production.');
    if (!env.PUBLIC_URL)
      throw new ConfigError('En production, indiquez l’adresse publique du service dans PUBLIC_URL (https://…).');
    if (env.DELEGATIONS_AUJOURDHUI)
      throw new ConfigError(
        'DELEGATIONS_AUJOURDHUI (horloge décalée) est réservé à la recette et aux tests : retirez-le en production.',
      );
    if (new URL(publicUrl).protocol !== 'https:' && !estLocal(publicUrl))
      throw new ConfigError(
        'En production, PUBLIC_URL commence par https:// : les cookies de session ne circulent qu’en HTTPS.',
      );
  }
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DELEGATIONS_DATA_DIR || 'data'),
    production,
    publicUrl,
    // a production database never receives fictitious conventions unless asked
    demo: env.DELEGATIONS_DEMO ? env.DELEGATIONS_DEMO !== '0' : !env.DATABASE_URL && !production,
    bodyLimit: tailleMax(entier(env, 'DELEGATIONS_BODY_LIMIT', 12 * 1024 * 1024)),
    connexionDemo,
    proconnect,
    administrateurs: (env.DELEGATIONS_ADMINISTRATEURS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    limiteConnexion: entier(env, 'DELEGATIONS_LIMITE_CONNEXION', 30),
    limiteApi: entier(env, 'DELEGATIONS_LIMITE_API', 1200),
    trustProxy: entier(env, 'DELEGATIONS_TRUST_PROXY', 0),
    secret: secret(env.DELEGATIONS_SECRET),
    aujourdHui: instantDepart(env.DELEGATIONS_AUJOURDHUI),
    smtpUrl: smtp(env.SMTP_URL),
    expediteur: env.DELEGATIONS_EXPEDITEUR || 'Délégations <ne-pas-repondre@delegations.beta.gouv.fr>',
    limitesImport: limitesImport(env),
  };
}

function secret(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (v.length < 32) throw new ConfigError('DELEGATIONS_SECRET trop court : au moins 32 caractères aléatoires.');
  return v;
}

function smtp(v: string | undefined): string | undefined {
  if (!v) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`SMTP_URL invalide : attendu smtp://utilisateur:secret@hôte:587 ou smtps://…`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new ConfigError(`SMTP_URL doit commencer par smtp:// ou smtps:// (reçu : ${u.protocol}).`);
  return v;
}

/** The data.gouv.fr dataset `delegations publier` pushes the open data files to. */
export interface ConfigDataGouv {
  /** DATAGOUV_API_KEY: the key of an account that may edit the dataset */
  apiKey: string | undefined;
  /** DATAGOUV_DATASET: the dataset's id */
  jeuDeDonnees: string | undefined;
  /** DATAGOUV_URL: the platform, https://www.data.gouv.fr by default, https://demo.data.gouv.fr to try */
  url: string;
  /** DATAGOUV_TENTATIVES: attempts of each request before giving up (a network error or a 5xx is retried) */
  tentatives: number;
  /** DATAGOUV_DELAI_MS: wait before the first retry, doubled at each one */
  delaiMs: number;
}

export function configDataGouv(env: NodeJS.ProcessEnv = process.env): ConfigDataGouv {
  const url = (env.DATAGOUV_URL || 'https://www.data.gouv.fr').replace(/\/+$/, '');
  try {
    new URL(url);
  } catch {
    throw new ConfigError(`DATAGOUV_URL invalide : ${url}`);
  }
  const tentatives = entier(env, 'DATAGOUV_TENTATIVES', 3);
  if (tentatives < 1) throw new ConfigError('DATAGOUV_TENTATIVES invalide : au moins 1.');
  return {
    apiKey: env.DATAGOUV_API_KEY || undefined,
    jeuDeDonnees: env.DATAGOUV_DATASET || undefined,
    url,
    tentatives,
    delaiMs: entier(env, 'DATAGOUV_DELAI_MS', 2000),
  };
}
