import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { limitesImport } from '../config.js';
import { extractionVide, type Analyse } from '../importer/analyse.js';
import { analyserIsole } from '../importer/isolement.js';
import { TAILLE_MAX_OCTETS } from '../importer/readers.js';
import type { Command } from './command.js';
import type { Contexte } from '../usecases/contexte.js';
import { terminal, type Sortie } from './sortie.js';

/**
 * Reads a file from disk without loading one that is far too big. `chemin` is named as the user typed it,
 * from `repertoire` (the running server imports for a command started elsewhere).
 */
async function analyserChemin(
  chemin: string,
  repertoire: string,
  sortie: Sortie,
  tailleMax = TAILLE_MAX_OCTETS,
): Promise<Analyse> {
  const nom = path.basename(chemin);
  const fichier = path.resolve(repertoire, chemin);
  let stat;
  try {
    stat = await fs.stat(fichier);
  } catch {
    return {
      ok: false,
      nom,
      erreur: { code: 'FICHIER_INTROUVABLE', message: `Le fichier « ${chemin} » est introuvable.` },
    };
  }
  if (!stat.isFile())
    return { ok: false, nom, erreur: { code: 'FICHIER_INTROUVABLE', message: `« ${chemin} » n'est pas un fichier.` } };
  if (stat.size > tailleMax) {
    return {
      ok: false,
      nom,
      erreur: {
        code: 'FICHIER_TROP_GROS',
        message: `Le fichier « ${nom} » pèse ${(stat.size / 1048576).toFixed(1).replace('.', ',')} Mo : la limite est de ${Math.round(tailleMax / 1048576)} Mo.`,
      },
    };
  }
  // each file in a thread of its own, bounded in memory and time: a hostile file fails alone
  return analyserIsole(new Uint8Array(await fs.readFile(fichier)), nom, chemin, {
    limites: { ...limitesImport(), tailleMax },
    surOcr: (p) => sortie.err(`OCR page ${p.page}/${p.pages}…`),
  });
}

async function json(fichiers: string[], sortie: Sortie, repertoire = '.'): Promise<number> {
  const out: unknown[] = [];
  let failed = 0;
  for (const f of fichiers) {
    const a = await analyserChemin(f, repertoire, sortie);
    if (a.ok) out.push(a.extraction);
    else {
      failed++;
      out.push({ ...extractionVide(f), error: a.erreur });
    }
  }
  sortie.out(JSON.stringify(out, null, 2));
  return failed ? 1 : 0;
}

interface Options {
  dryRun: boolean;
  accept: boolean;
  force: boolean;
  doublon: boolean;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise (logs, CI, and the
 * answer of the running server).
 */
function progression(total: number, sortie: Sortie) {
  const tty = sortie === terminal && process.stderr.isTTY === true && total > 1;
  return {
    etape(n: number, nom: string) {
      if (total <= 1) return;
      if (tty) {
        const width = 24;
        const done = Math.round((n / total) * width);
        process.stderr.write(
          `\r[${'#'.repeat(done)}${' '.repeat(width - done)}] ${n}/${total} ${nom.slice(0, 40).padEnd(40)}`,
        );
      } else sortie.err(`${n}/${total} ${nom}`);
    },
    fin() {
      if (tty) process.stderr.write('\n');
    },
  };
}

/** Imports the files into `ctx`'s database, or, without it, shows what an import would do. */
async function importer(
  base: Contexte | null,
  fichiers: string[],
  opts: Options,
  sortie: Sortie,
  repertoire = '.',
): Promise<number> {
  const { controler } = await import('../domain/convention.js');
  const { versSaisie } = await import('../importer/saisie.js');
  const refus: Array<{ fichier: string; raison: string }> = [];
  const importes: Array<{ fichier: string; id: string }> = [];
  const signales: Array<{ fichier: string; avertissement: string }> = [];
  const acteur = {
    id: 'cli',
    nom: `Import en ligne de commande (${userName()})`,
    role: 'administrateur' as const,
    organisationSiret: null,
    produits: [],
  };
  const statut = opts.accept ? 'en_vigueur' : 'a_verifier';
  const ctx = opts.dryRun ? null : base;
  const bar = progression(fichiers.length, sortie);
  try {
    const { decrireDoublon, dejaImporte, importerConvention } = await import('../usecases/document.js');
    for (const [i, fichier] of fichiers.entries()) {
      bar.etape(i + 1, fichier);
      const a = await analyserChemin(fichier, repertoire, sortie);
      if (!a.ok) {
        refus.push({ fichier, raison: `${a.erreur.code} — ${a.erreur.message}` });
        continue;
      }
      const saisie = versSaisie(a.extraction, statut);
      const controle = controler(saisie);
      if (controle.erreurs.length) {
        refus.push({ fichier, raison: `DONNEES_INVALIDES — ${controle.erreurs.map((e) => e.message).join(' ')}` });
        continue;
      }
      const avertissements = [...new Set([...a.extraction.warnings, ...controle.avertissements])];
      if (opts.accept && avertissements.length && !opts.force) {
        refus.push({
          fichier,
          raison: `AVERTISSEMENTS — à vérifier avant d'accepter (ou --force) : ${avertissements.join(' ')}`,
        });
        continue;
      }
      if (!ctx) {
        importes.push({ fichier, id: '(simulation)' });
        continue;
      }
      const deja = await dejaImporte(ctx, a.document.sha256);
      if (deja) {
        refus.push({
          fichier,
          raison: `DEJA_IMPORTE — ce fichier a déjà été importé${deja.conventionId ? ` (convention ${deja.conventionId})` : ''}.`,
        });
        continue;
      }
      try {
        const r = await importerConvention(ctx, acteur, a, statut, { confirmeDoublon: opts.doublon });
        importes.push({ fichier, id: r.convention.id });
        for (const d of r.doublons)
          signales.push({ fichier, avertissement: `semble déjà enregistrée : ${decrireDoublon(d)}` });
      } catch (e) {
        const err = e as { code?: string; message?: string };
        if (!err.code) throw e;
        refus.push({ fichier, raison: `${err.code} — ${err.message}` });
      }
    }
  } finally {
    bar.fin();
  }
  for (const x of importes) sortie.out(`${x.id}\t${x.fichier}`);
  const verbe = opts.dryRun ? 'seraient importés' : 'importés';
  const lignes = [
    `${opts.dryRun ? 'Simulation (rien n’est enregistré) — ' : ''}lus : ${fichiers.length}, ${verbe} : ${importes.length}${opts.accept ? ' (acceptés, en vigueur)' : ' (à vérifier)'}, refusés : ${refus.length}`,
  ];
  for (const r of refus) lignes.push(`  refusé : ${r.fichier} — ${r.raison}`);
  for (const x of signales) lignes.push(`  doublon probable : ${x.fichier} — ${x.avertissement}`);
  sortie.err(lignes.join('\n'));
  return refus.length ? 1 : 0;
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'inconnu';
  }
}

const USAGE = [
  'delegations import FICHIER... [--json] [--dry-run] [--accept [--force] [--doublon]]',
  '',
  '  --json      affiche ce qui est lu dans chaque fichier (tableau JSON), sans rien enregistrer',
  '  --dry-run   montre ce que l’import ferait, sans rien enregistrer',
  '  --accept    enregistre les conventions comme acceptées (en vigueur) ; refuse un fichier avec des avertissements',
  '  --force     avec --accept : accepte aussi les fichiers qui ont des avertissements',
  '  --doublon   avec --accept : accepte aussi une convention qui semble déjà enregistrée (même référence,',
  '              ou mêmes parties, date de signature et UO)',
  '',
  'Sans --accept, les conventions importées attendent une vérification (statut « à vérifier ») ; un doublon',
  'probable y est signalé.',
].join('\n');

type Demande = { json: boolean; fichiers: string[]; opts: Options };

/** The command's arguments, or its exit code when they are wrong (before any database is opened). */
function analyser(args: string[], sortie: Sortie): Demande | number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      accept: { type: 'boolean' },
      force: { type: 'boolean' },
      doublon: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) {
    sortie.err(`Indiquez au moins un fichier.\n\nUsage : ${USAGE}`);
    return 2;
  }
  return {
    json: !!values.json,
    fichiers: positionals,
    opts: {
      dryRun: !!values['dry-run'],
      accept: !!values.accept,
      force: !!values.force,
      doublon: !!values.doublon,
    },
  };
}

/** `import …` on an open database: run by the command itself, or by the running server for it. */
export const executerImport = async (ctx: Contexte | null, args: string[], sortie: Sortie, repertoire: string) => {
  const d = analyser(args, sortie);
  if (typeof d === 'number') return d;
  if (d.json) return json(d.fichiers, sortie, repertoire);
  return importer(ctx, d.fichiers, d.opts, sortie, repertoire);
};

export const importCommand: Command = {
  summary: 'Importe des conventions signées (.txt, .md, .pdf, .docx).',
  usage: USAGE,
  async run(args) {
    const d = analyser(args, terminal);
    if (typeof d === 'number') return d;
    // reading alone needs no database
    if (d.json || d.opts.dryRun) return executerImport(null, args, terminal, '.');
    const { surLaBase } = await import('./canal.js');
    return surLaBase('import', args, executerImport);
  },
};
