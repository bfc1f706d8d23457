import { horlogeConfiguree, loadConfig, type Config } from '../config.js';
import type { Contexte } from '../usecases/contexte.js';
import { migrate, openStorage, type Storage } from '../storage/database.js';
import { DataFolderLockedError } from '../storage/lock.js';

/** An open database, as the commands hold it (they close it; they never query it). */
export type Base = Storage;

/**
 * Opens and migrates the configured database for a command. A data folder held by another process is
 * reported in French and gives null, so the command exits with 1 instead of a stack trace.
 */
export async function ouvrirBase(config: Config = loadConfig()): Promise<Base | null> {
  const storage = await ouvrir(config);
  if (storage) await migrate(storage.db);
  return storage;
}

/** `delegations migrate`: the migrations applied, or null when the data folder is held elsewhere. */
export async function migrerBase(config: Config = loadConfig()): Promise<string[] | null> {
  const storage = await ouvrir(config);
  if (!storage) return null;
  try {
    return await migrate(storage.db);
  } finally {
    await storage.close();
  }
}

async function ouvrir(config: Config): Promise<Base | null> {
  try {
    return await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (e) {
    if (e instanceof DataFolderLockedError) {
      console.error(e.message);
      return null;
    }
    throw e;
  }
}

/** The use cases' context for a command: its database and the configured clock. */
export function contexte(storage: Base, config: Config = loadConfig()): Contexte {
  return { db: storage.db, now: horlogeConfiguree(config) };
}
