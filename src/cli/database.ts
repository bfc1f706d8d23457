import path from 'node:path';
import { horlogeConfiguree, loadConfig, type Config } from '../config.js';
import type { Contexte } from '../usecases/contexte.js';
import { migrate, openStorage, type Storage } from '../storage/database.js';
import { DataFolderLockedError } from '../storage/lock.js';
import { ouvrirTravaux, type Travaux } from '../storage/travaux.js';

/** An open database, as the commands hold it (they close it; they never query it). */
export type Base = Storage;

/**
 * Opens and migrates the configured database for a command, with the names of the migrations this
 * applied. A data folder held by another process is reported in French and gives null, so the command
 * exits with 1 instead of a stack trace.
 */
export async function ouvrirBase(
  config: Config = loadConfig(),
  conseil?: string,
): Promise<(Base & { appliquees: string[] }) | null> {
  const storage = await ouvrir(config, conseil);
  if (!storage) return null;
  return Object.assign(storage, { appliquees: await migrate(storage.db) });
}

/** `delegations migrate`: the migrations applied, or null when the data folder is held elsewhere. */
export async function migrerBase(config: Config = loadConfig()): Promise<string[] | null> {
  const storage = await ouvrir(
    config,
    'Si c’est le serveur, il a appliqué les migrations à son démarrage : la base est à jour tant qu’il tourne.',
  );
  if (!storage) return null;
  try {
    return await migrate(storage.db);
  } finally {
    await storage.close();
  }
}

/** `conseil`: what to do instead while the server holds the data folder. */
async function ouvrir(config: Config, conseil?: string): Promise<Base | null> {
  const r = await ouvrirOuVerrou(config);
  if ('base' in r) return r.base;
  console.error(conseil ? `${r.verrou.message}\n${conseil}` : r.verrou.message);
  return null;
}

/** The embedded data folder's owner, alive: another process holds the database. */
export interface Verrou {
  pid: number;
  message: string;
}

/** The database opened (not migrated), or the live process that holds the embedded data folder. */
async function ouvrirOuVerrou(config: Config): Promise<{ base: Base } | { verrou: Verrou }> {
  try {
    return { base: await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }) };
  } catch (e) {
    if (e instanceof DataFolderLockedError) return { verrou: { pid: e.pid, message: e.message } };
    throw e;
  }
}

/** Opens and migrates the database, or names the live process that holds the embedded data folder. */
export async function ouvrirBaseOuVerrou(config: Config): Promise<{ base: Base } | { verrou: Verrou }> {
  const r = await ouvrirOuVerrou(config);
  if ('base' in r) await migrate(r.base.db);
  return r;
}

/** The running server's admin channel: a Unix socket inside the data folder it holds. */
export function cheminCanal(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'admin.sock');
}

/** The use cases' context for a command: its database and the configured clock. */
export function contexte(storage: Base, config: Config = loadConfig()): Contexte {
  return { db: storage.db, now: horlogeConfiguree(config) };
}

export type { Travaux };

/** The background work queue, in the database the server opened. */
export function ouvrirTravauxBase(storage: Base): Promise<Travaux> {
  return ouvrirTravaux(storage.db);
}
