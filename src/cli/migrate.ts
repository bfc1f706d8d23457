import { loadConfig } from '../config.js';
import { migrate, openStorage } from '../storage/database.js';
import type { Command } from './main.js';

export const migrateCommand: Command = {
  summary: 'Applique les migrations de la base de données.',
  usage: 'delegations migrate',
  async run() {
    const config = loadConfig();
    const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrate(storage.db);
      console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'La base est à jour.');
      return 0;
    } finally {
      await storage.close();
    }
  },
};
