import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyser, extractionVide, type Analyse } from '../importer/analyse.js';
import { TAILLE_MAX_OCTETS } from '../importer/readers.js';
import type { Command } from './main.js';

/** Reads a file from disk without loading one that is far too big. */
export async function analyserChemin(chemin: string, tailleMax = TAILLE_MAX_OCTETS): Promise<Analyse> {
  const nom = path.basename(chemin);
  let stat;
  try {
    stat = await fs.stat(chemin);
  } catch {
    return { ok: false, nom, erreur: { code: 'FICHIER_INTROUVABLE', message: `Le fichier « ${chemin} » est introuvable.` } };
  }
  if (!stat.isFile()) return { ok: false, nom, erreur: { code: 'FICHIER_INTROUVABLE', message: `« ${chemin} » n'est pas un fichier.` } };
  if (stat.size > tailleMax) {
    return { ok: false, nom, erreur: { code: 'FICHIER_TROP_GROS', message: `Le fichier « ${nom} » pèse ${(stat.size / 1048576).toFixed(1).replace('.', ',')} Mo : la limite est de ${Math.round(tailleMax / 1048576)} Mo.` } };
  }
  return analyser(new Uint8Array(await fs.readFile(chemin)), nom, chemin, { tailleMax });
}

async function json(fichiers: string[]): Promise<number> {
  const out: unknown[] = [];
  let failed = 0;
  for (const f of fichiers) {
    const a = await analyserChemin(f);
    if (a.ok) out.push(a.extraction);
    else {
      failed++;
      out.push({ ...extractionVide(f), error: a.erreur });
    }
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return failed ? 1 : 0;
}

async function importer(_fichiers: string[], _opts: { dryRun: boolean; accept: boolean; force: boolean }): Promise<number> {
  console.error('L’import en base arrive bientôt : utilisez --json.');
  return 2;
}

export const importCommand: Command = {
  summary: 'Importe des conventions signées (.txt, .md, .pdf, .docx).',
  usage: [
    'delegations import FICHIER... [--json] [--dry-run] [--accept [--force]]',
    '',
    '  --json      affiche ce qui est lu dans chaque fichier (tableau JSON), sans rien enregistrer',
    '  --dry-run   montre ce que l’import ferait, sans rien enregistrer',
    '  --accept    enregistre les conventions comme acceptées (en vigueur) ; refuse un fichier avec des avertissements',
    '  --force     avec --accept : accepte aussi les fichiers qui ont des avertissements',
    '',
    'Sans --accept, les conventions importées attendent une vérification (statut « à vérifier »).',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, accept: { type: 'boolean' }, force: { type: 'boolean' } },
    });
    if (positionals.length === 0) {
      console.error(`Indiquez au moins un fichier.\n\nUsage : ${this.usage}`);
      return 2;
    }
    if (values.json) return json(positionals);
    return importer(positionals, { dryRun: !!values['dry-run'], accept: !!values.accept, force: !!values.force });
  },
};
