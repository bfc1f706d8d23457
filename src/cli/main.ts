import { parseArgs } from 'node:util';
import type { Command } from './command.js';

/**
 * Each command lives in its own file; register it here. Loaded when run: a command pays only for its own
 * modules, and the server starts loading its application while its database opens.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serve,
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  import: async () => (await import('./import.js')).importCommand,
  token: async () => (await import('./token.js')).tokenCommand,
  publier: async () => (await import('./publier.js')).publierCommand,
};

async function help(): Promise<string> {
  const lines = ['Usage : delegations <commande> [options]', '', 'Commandes :'];
  for (const [name, charger] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(10)} ${(await charger()).summary}`);
  lines.push('', 'delegations <commande> --help affiche l’aide d’une commande.');
  lines.push(
    '',
    'Variables : DATABASE_URL (PostgreSQL ; sinon base embarquée), DELEGATIONS_DATA_DIR (défaut ./data), PORT (défaut 3000).',
  );
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
    return 0;
  }
  const charger = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!charger) {
    console.error(`Commande inconnue : ${name}\n\n${await help()}`);
    return 2;
  }
  const cmd = await charger();
  const { values } = parseArgs({ args: rest, options: { help: { type: 'boolean', short: 'h' } }, strict: false });
  if (values.help) {
    console.log(`${cmd.summary}\n\nUsage : ${cmd.usage}`);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
  },
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
