/**
 * Importer: documents per second on the seed conventions and on 20 KB documents, then, for each shape of
 * text an upload can take (hard-wrapped paragraphs, one long line, many short lines, blank lines, tables,
 * digits and spaces, inline markup), the time of `extraire` from 125 KB to 1 MB next to a plain linear
 * scan of the same text, with the growth factor at each doubling (2.0 is linear, 4.0 quadratic); documents
 * per second of the seeds as Word files and as text PDFs, next to the text path on the same seeds, and the
 * time of one file from one to eight seeds long; and pages per second of a scanned PDF read by OCR (the
 * shortest seed, laid out and scanned as in the tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyser } from '../src/importer/analyse.js';
import { extraire } from '../src/importer/extract.js';
import { docxDepuisTexte } from '../test/support/documents.js';
import { pdfMisEnPage, pdfNumerise } from '../test/support/scan.js';
import type { Section } from './section.js';

const DIR = path.resolve(import.meta.dirname, '../test/fixtures/seeds');
const KO = 1024;

function concat(textes: string[], size: number): string {
  let out = '';
  for (let i = 0; out.length < size; i++) out += `${textes[i % textes.length]}\n`;
  return out.slice(0, size);
}

/** Deterministic pseudo-random numbers in [0, 1) (xorshift32), so every run reads the same texts. */
function alea(graine: number): () => number {
  let x = graine;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const LEXIQUE = (
  'le la les un une des du de pour avec sans dans sur entre service budget credit engagement paiement ' +
  'gestion delegation programme annee montant partenaire ministere direction numerique plateforme projet ' +
  'suivi rapport comite echeance convention'
).split(' ');

function mots(r: () => number, n: number): string {
  return Array.from({ length: n }, () => LEXIQUE[Math.floor(r() * LEXIQUE.length)]!).join(' ');
}

/** Builds `size` characters by repeating `piece` with fresh random numbers. */
function remplir(graine: number, size: number, piece: (r: () => number) => string, debut = ''): string {
  const r = alea(graine);
  const parts = [debut];
  let n = debut.length;
  while (n < size) {
    const p = piece(r);
    parts.push(p);
    n += p.length;
  }
  return parts.join('').slice(0, size);
}

const FORMES: Record<string, (size: number) => string> = {
  // one paragraph wrapped at about 70 columns: every line continues the one before (the quadratic case)
  'paragraphe replié': (n) => remplir(1, n, (r) => `${mots(r, 11)}\n`, 'Article 1 - Objet\n\nLe '),
  'paragraphes courts': (n) =>
    remplir(2, n, (r) => `Le ${Array.from({ length: 9 }, () => mots(r, 11)).join('\n')}.\n\n`),
  'une ligne longue': (n) => remplir(3, n, (r) => ` ${mots(r, 12)}${r() < 0.3 ? '.' : ','}`, 'Le'),
  'lignes courtes': (n) => remplir(4, n, (r) => `${mots(r, 1)}${r() < 0.5 ? '.' : ''}\n`),
  'lignes vides': (n) => remplir(5, n, (r) => '\n'.repeat(1 + Math.floor(r() * 50)) + 'fin.\n'),
  tableaux: (n) =>
    remplir(
      6,
      n,
      (r) => `| ${2020 + Math.floor(r() * 10)} | ${Math.floor(r() * 1e6)} € | ${Math.floor(r() * 1e6)} € |\n`,
      '| Année | AE | CP |\n|---|---|---|\n',
    ),
  'chiffres et espaces': (n) =>
    remplir(7, n, (r) => `${Math.floor(r() * 1e9)}${' '.repeat(1 + Math.floor(r() * 200))}${r() < 0.01 ? '\n' : ''}`),
  balises: (n) =>
    remplir(
      8,
      n,
      (r) => `<p>${mots(r, 6)} <b>**${mots(r, 3)}**</b> [lien](https://x.fr/${Math.floor(r() * 1e6)})</p>\n`,
    ),
};

/**
 * The floor: one pass that splits the text into lines and runs one simple regex on each. Any importer
 * reads every line at least once, so this is as fast as a linear importer can be, not a target.
 */
function balayageLineaire(texte: string): number {
  let n = 0;
  for (const l of texte.split('\n')) if (/\d{4}/.test(l)) n++;
  return n;
}

/** Best time in milliseconds of `reps` runs after one warm-up: the least disturbed by other work on the machine. */
function meilleur(fn: () => unknown, reps: number): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Documents read per second during `ms` milliseconds. */
function debit(texte: string, ms: number): number {
  for (let i = 0; i < 20; i++) extraire(texte);
  let n = 0;
  const t = performance.now();
  while (performance.now() - t < ms) {
    extraire(texte);
    n++;
  }
  return n / ((performance.now() - t) / 1000);
}

const TAILLES = [125, 250, 500, 1000];

/** Best time in milliseconds of `reps` runs of an asynchronous reading, after one warm-up. */
async function meilleurAsync(fn: () => Promise<unknown>, reps: number): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Files read per second by `analyser` during `ms` milliseconds, round after round over `fichiers`. */
async function debitFichiers(fichiers: Array<{ nom: string; octets: Uint8Array }>, ms: number): Promise<number> {
  const lire = async (f: { nom: string; octets: Uint8Array }) => {
    const a = await analyser(f.octets, f.nom);
    if (!a.ok) throw new Error(a.erreur.message);
  };
  for (let i = 0; i < 3; i++) for (const f of fichiers) await lire(f);
  let n = 0;
  const t = performance.now();
  while (performance.now() - t < ms) {
    for (const f of fichiers) await lire(f);
    n += fichiers.length;
  }
  return n / ((performance.now() - t) / 1000);
}

/** The text in a file of `format`; the standard PDF font cannot draw the seeds' Cyrillic look-alike "СР". */
async function fichier(format: 'docx' | 'pdf', texte: string): Promise<{ nom: string; octets: Uint8Array }> {
  return format === 'docx'
    ? { nom: 'convention.docx', octets: await docxDepuisTexte(texte) }
    : { nom: 'convention.pdf', octets: await pdfMisEnPage(texte.replace(/СР/g, 'CP')) };
}

export const section: Section = {
  name: 'importer',
  async run() {
    const seeds = fs
      .readdirSync(DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => fs.readFileSync(path.join(DIR, f), 'utf8'));
    for (let i = 0; i < 50; i++) for (const s of seeds) extraire(s);

    // throughput on the real documents
    const bytes = seeds.reduce((t, s) => t + Buffer.byteLength(s), 0);
    let docs = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      for (const s of seeds) extraire(s);
      docs += seeds.length;
    }
    const secs = (performance.now() - t0) / 1000;
    const rounds = docs / seeds.length;
    console.log(
      `seeds (${seeds.length} documents, ${(bytes / seeds.length / 1024).toFixed(1)} Ko en moyenne) : ${(docs / secs).toFixed(0)} documents/s, ${((rounds * bytes) / secs / 1048576).toFixed(2)} Mo/s`,
    );

    // documents of 20 KB, on one core (the goal: 1 000 per second)
    console.log('\ndocuments de 20 Ko, un cœur (objectif : 1 000/s)');
    const par20: Array<[string, number]> = [['seeds concaténés', debit(concat(seeds, 20 * KO), 2000)]];
    for (const [nom, forme] of Object.entries(FORMES)) par20.push([nom, debit(forme(20 * KO), 1000)]);
    for (const [nom, d] of par20) console.log(`  ${nom.padEnd(22)} ${d.toFixed(0).padStart(6)} documents/s`);

    // time against size, next to the linear floor
    console.log('\nforme                  taille     importeur   balayage    ratio   ×/doublement');
    const resume: Array<{ nom: string; ms1Mo: number; ratio: number; moyenne: number }> = [];
    for (const [nom, forme] of Object.entries(FORMES)) {
      let precedent: number | null = null;
      let premier = 0;
      let dernier = { ms: 0, ratio: 0 };
      for (const kb of TAILLES) {
        const texte = forme(kb * KO);
        const reps = kb <= 250 ? 7 : 3;
        const ms = meilleur(() => extraire(texte), reps);
        const floor = meilleur(() => balayageLineaire(texte), reps * 3);
        const croissance = precedent === null ? null : ms / precedent;
        if (precedent === null) premier = ms;
        precedent = ms;
        dernier = { ms, ratio: ms / floor };
        console.log(
          `${nom.padEnd(22)} ${`${kb} Ko`.padStart(7)} ${`${ms.toFixed(1)} ms`.padStart(11)} ${`${floor.toFixed(2)} ms`.padStart(10)} ${`${(ms / floor).toFixed(0)}×`.padStart(8)} ${croissance === null ? '' : `${croissance.toFixed(2)}`.padStart(14)}`,
        );
      }
      // over the whole range: one doubling alone is at the mercy of a collection or of a neighbour's load
      const moyenne = (dernier.ms / premier) ** (1 / (TAILLES.length - 1));
      resume.push({ nom, ms1Mo: dernier.ms, ratio: dernier.ratio, moyenne });
    }

    console.log('\nrésumé (1 000 Ko ; linéaire si ×/doublement reste près de 2)');
    console.log('forme                    1 000 Ko    ratio   ×/doublement moyen   docs 20 Ko/s');
    for (const r of resume) {
      const d = par20.find(([n]) => n === r.nom)?.[1] ?? 0;
      console.log(
        `${r.nom.padEnd(22)} ${`${r.ms1Mo.toFixed(0)} ms`.padStart(10)} ${`${r.ratio.toFixed(0)}×`.padStart(8)} ${r.moyenne.toFixed(2).padStart(20)} ${d.toFixed(0).padStart(14)}`,
      );
    }
    console.log(`pic de mémoire (RSS) : ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} Mo`);

    // the seeds as files: the reading of the file (zip and XML, or pdf.js) then the same extraction
    console.log(
      "\nfichiers (les seeds, lus par analyser dans ce processus ; un envoi réel y ajoute le démarrage de son fil d'exécution)",
    );
    const parTexte = await debitFichiers(
      seeds.map((s) => ({ nom: 'convention.txt', octets: new TextEncoder().encode(s) })),
      2000,
    );
    console.log(`  ${'texte (.txt)'.padEnd(22)} ${parTexte.toFixed(0).padStart(6)} documents/s`);
    for (const format of ['docx', 'pdf'] as const) {
      const fichiers = await Promise.all(seeds.map((s) => fichier(format, s)));
      const ko = fichiers.reduce((t, f) => t + f.octets.length, 0) / fichiers.length / 1024;
      const d = await debitFichiers(fichiers, 3000);
      console.log(
        `  ${`${format === 'docx' ? 'Word (.docx)' : 'PDF texte'} (${ko.toFixed(0)} Ko)`.padEnd(22)} ${d.toFixed(0).padStart(6)} documents/s, ${(parTexte / d).toFixed(1)}× le temps du .txt`,
      );
    }
    console.log('\nfichier         seeds    taille       temps   ×/doublement');
    for (const format of ['docx', 'pdf'] as const) {
      let precedent: number | null = null;
      for (const k of [1, 2, 4, 8]) {
        const f = await fichier(
          format,
          concat(seeds, seeds.reduce((t, s) => t + s.length + 1, 0) * (k / seeds.length)),
        );
        const ms = await meilleurAsync(async () => {
          const a = await analyser(f.octets, f.nom);
          if (!a.ok) throw new Error(a.erreur.message);
        }, 3);
        console.log(
          `${format.padEnd(14)} ${String(k).padStart(6)} ${`${(f.octets.length / 1024).toFixed(0)} Ko`.padStart(9)} ${`${ms.toFixed(1)} ms`.padStart(11)} ${precedent === null ? '' : (ms / precedent).toFixed(2).padStart(14)}`,
        );
        precedent = ms;
      }
    }

    // a scanned PDF: rendering and OCR of every page, in this process
    const court = [...seeds].sort((a, b) => a.length - b.length)[0]!;
    const scan = await pdfNumerise(court.replace(/СР/g, 'CP'));
    const t1 = performance.now();
    const a = await analyser(scan, 'scan.pdf');
    const s1 = (performance.now() - t1) / 1000;
    if (!a.ok) throw new Error(a.erreur.message);
    const pages = a.extraction.ocr?.pages ?? 0;
    console.log(
      `\nPDF numérisé (${pages} pages, 150 dpi, lu par OCR à 200 dpi) : ${(pages / s1).toFixed(2)} pages/s, ${(s1 / pages).toFixed(1)} s par page, confiance moyenne ${a.extraction.ocr?.mean_confidence ?? 0}`,
    );
  },
};
