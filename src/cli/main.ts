import { parseArgs } from 'node:util';
import { serve } from './serve.js';
import { migrateCommand } from './migrate.js';
import { importCommand } from './import.js';
import { tokenCommand } from './token.js';
import { publierCommand } from './publier.js';
import type { Command } from './command.js';

/** Each command lives in its own file; register it here. */
const COMMANDS: Record<string, Command> = {
  serve,
  migrate: migrateCommand,
  import: importCommand,
  token: tokenCommand,
  publier: publierCommand,
};

function help(): string {
  const lines = ['Usage : delegations <commande> [options]', '', 'Commandes :'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
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
    console.log(help());
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`Commande inconnue : ${name}\n\n${help()}`);
    return 2;
  }
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
