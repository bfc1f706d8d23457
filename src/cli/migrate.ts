import { loadConfig } from '../config.js';
import { migrerBase } from './database.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  summary: 'Applique les migrations de la base de données.',
  usage: 'delegations migrate',
  async run() {
    const config = loadConfig();
    const applied = await migrerBase(config);
    if (!applied) return 1;
    console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'La base est à jour.');
    return 0;
  },
};
