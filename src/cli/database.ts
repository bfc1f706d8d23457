import { horlogeConfiguree, loadConfig, type Config } from '../config.js';
import type { Contexte } from '../usecases/contexte.js';
import { migrate, openStorage, type Storage } from '../storage/database.js';
import { DataFolderLockedError } from '../storage/lock.js';

/**
 * Opens and migrates the configured database for a command. A data folder held by another process is
 * reported in French and gives null, so the command exits with 1 instead of a stack trace.
 */
export async function ouvrirBase(config: Config = loadConfig()): Promise<Storage | null> {
  let storage: Storage;
  try {
    storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (e) {
    if (e instanceof DataFolderLockedError) {
      console.error(e.message);
      return null;
    }
    throw e;
  }
  await migrate(storage.db);
  return storage;
}

/** The use cases' context for a command: its database and the configured clock. */
export function contexte(storage: Storage, config: Config = loadConfig()): Contexte {
  return { db: storage.db, now: horlogeConfiguree(config) };
}
