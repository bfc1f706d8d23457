import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Analyse } from '../../src/importer/analyse.js';
import { extraire } from '../../src/importer/extract.js';
import { analyserIsole } from '../../src/importer/isolement.js';
import type { CodeImport, Limites } from '../../src/importer/limites.js';
import { expectContract, SEEDS, seed } from '../support/contract.js';
import { docxDepuisTexte, docxNonCompresse } from '../support/documents.js';
import { pdfMisEnPage } from '../support/scan.js';

const textes = SEEDS.map(seed);
const FICHIERS = path.resolve(import.meta.dirname, '../fixtures/fichiers');

/** Mutations of a seed text the way damaged extractions look. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('delete' as const), lines: fc.array(fc.nat(), { maxLength: 40 }) }),
  fc.record({
    kind: fc.constant('shuffle' as const),
    swaps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('noise' as const),
    at: fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 30 })), { maxLength: 30 }),
  }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.array(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 40 })), { maxLength: 20 }),
  }),
  fc.record({
    kind: fc.constant('lookalike' as const),
    rate: fc.double({ min: 0, max: 0.5, noNaN: true }),
    seed: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('markup' as const),
    at: fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom(
          '<sup>1</sup>',
          '**',
          '|',
          '\t',
          '\u202f',
          '<li>',
          '</ul>',
          '« ',
          'Et\n',
          'Fait à Paris, le\n',
          '%',
          '€',
          'Article 1 : ',
          '(UO) ',
          '\n\n',
          '«',
          'Ci-après dénommée',
        ),
      ),
      { maxLength: 40 },
    ),
  }),
);

const LOOKALIKE: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  A: 'А',
  C: 'С',
  E: 'Е',
  P: 'Р',
  T: 'Т',
};

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function appliquer(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, Math.floor(text.length * m.at));
    case 'delete': {
      const lines = text.split('\n');
      for (const n of m.lines) lines.splice(n % Math.max(1, lines.length), 1);
      return lines.join('\n');
    }
    case 'shuffle': {
      const lines = text.split('\n');
      for (const [a, b] of m.swaps) {
        const i = a % lines.length;
        const j = b % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return lines.join('\n');
    }
    case 'noise': {
      let t = text;
      for (const [at, s] of m.at) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + s + t.slice(i);
      }
      return t;
    }
    case 'bytes': {
      let t = text;
      for (const [at, bytes] of m.at) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + String.fromCharCode(...bytes) + t.slice(i);
      }
      return t;
    }
    case 'lookalike': {
      let n = m.seed;
      return [...text]
        .map((c) => ((n = (n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 < m.rate && LOOKALIKE[c] ? LOOKALIKE[c] : c))
        .join('');
    }
    case 'markup': {
      let t = text;
      for (const [at, s] of m.at) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + s + t.slice(i);
      }
      return t;
    }
  }
}

describe('robustness of the extractor', () => {
  it('never crashes, hangs or breaks the contract on mutated seeds', () => {
    fc.assert(
      fc.property(fc.nat({ max: textes.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (k, ms) => {
        let t = textes[k]!;
        for (const m of ms) t = appliquer(t, m);
        const started = performance.now();
        const { extraction, texte } = extraire(t, 'fuzz');
        expect(performance.now() - started).toBeLessThan(2000);
        expectContract(extraction, texte);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('never crashes on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => {
        const { extraction, texte } = extraire(s, 'fuzz');
        expectContract(extraction, texte);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('reads a 10 MB input in bounded time', () => {
    let big = '';
    while (big.length < 10 * 1024 * 1024) big += `${textes[big.length % textes.length]}\n`;
    const started = performance.now();
    const { extraction, texte } = extraire(big, 'gros');
    const ms = performance.now() - started;
    expectContract(extraction, texte);
    // linear reading takes seconds; a pattern that backtracks over the input would take hours
    expect(ms).toBeLessThan(50_000);
    // the first convention of the concatenation is read as such
    expect(extraction.uo).toBe('0310-SGAL-SSIC');
  }, 120_000);

  it('reads a 10 MB single line of noise in bounded time', () => {
    const line = 'Fait à Paris, le 1 (UO) 0 « le délégant » 50 % mis à disposition tous les '.repeat(140_000);
    const started = performance.now();
    const { extraction, texte } = extraire(line, 'ligne');
    expect(performance.now() - started).toBeLessThan(50_000);
    expectContract(extraction, texte);
  }, 120_000);
});

/**
 * Whether a refusal code is one a file earns by its content (true), or one of the safety nets of the
 * isolated reading (false): an exception that escaped the readers, a reading stopped by the delay or by the
 * memory limit. A code added to `CodeImport` has to be placed here before this file compiles.
 */
const REFUS_DU_FICHIER: Record<CodeImport, boolean> = {
  FICHIER_VIDE: true,
  FICHIER_TROP_GROS: true,
  FICHIER_BINAIRE: true,
  FORMAT_NON_PRIS_EN_CHARGE: true,
  PDF_SANS_TEXTE: true,
  PDF_PROTEGE: true,
  PDF_ILLISIBLE: true,
  DOCX_ILLISIBLE: true,
  DOCX_TROP_VOLUMINEUX: true,
  PDF_TROP_VOLUMINEUX: true,
  // the command line's own refusal of a path, before any reading
  FICHIER_INTROUVABLE: false,
  LECTURE_TROP_LONGUE: false,
  MEMOIRE_DEPASSEE: false,
  LECTURE_IMPOSSIBLE: false,
};

/**
 * The limits of the mutation tests: a mutated PDF that lost its text layer would be read by OCR, seconds
 * per page; with no page allowed to OCR it is refused at once (PDF_TROP_VOLUMINEUX). The delay is far
 * above the second a damaged file of 15 KB takes, far below the two minutes of a real upload.
 */
const LIMITES_FUZZ: Partial<Limites> = { ocrPagesMax: 0, delaiMs: 15_000 };

/** An answer of the importer for a file: a valid extract, or a refusal the file earned, worded for it. */
function expectReponse(a: Analyse, nom: string): void {
  if (a.ok) {
    expectContract(a.extraction, a.texte);
    return;
  }
  expect(a.nom).toBe(nom);
  expect(REFUS_DU_FICHIER[a.erreur.code as CodeImport], `${a.erreur.code} : ${a.erreur.message}`).toBe(true);
  expect(a.erreur.message).toContain(`« ${nom} »`);
}

/** Damages of a file's bytes: a transfer cut short, a disk's bad sector, a tool that rewrote a part. */
const mutationOctets = fc.oneof(
  fc.record({
    kind: fc.constant('octets' as const),
    at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
  }),
  // the end of the file: a zip's central directory, a PDF's cross-reference table and trailer
  fc.record({
    kind: fc.constant('fin' as const),
    at: fc.array(fc.tuple(fc.nat({ max: 600 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
  }),
  // a digit changed: an offset, a length, an object number, a page count
  fc.record({
    kind: fc.constant('chiffres' as const),
    at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('tronquer' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('inserer' as const),
    at: fc.nat(),
    octets: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant('supprimer' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 512 }) }),
  fc.record({ kind: fc.constant('zeros' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 512 }) }),
  fc.record({
    kind: fc.constant('dupliquer' as const),
    de: fc.nat(),
    vers: fc.nat(),
    n: fc.integer({ min: 1, max: 2048 }),
  }),
  fc.record({ kind: fc.constant('ajouter' as const), octets: fc.uint8Array({ minLength: 1, maxLength: 256 }) }),
);

type MutationOctets = typeof mutationOctets extends fc.Arbitrary<infer T> ? T : never;

function muter(b: Uint8Array, m: MutationOctets): Uint8Array {
  const n = b.length;
  const pos = (i: number) => i % Math.max(1, n);
  switch (m.kind) {
    case 'octets': {
      const c = new Uint8Array(b);
      for (const [i, v] of m.at) if (n) c[pos(i)] = v;
      return c;
    }
    case 'fin': {
      const c = new Uint8Array(b);
      for (const [i, v] of m.at) if (i < n) c[n - 1 - i] = v;
      return c;
    }
    case 'chiffres': {
      const chiffres: number[] = [];
      b.forEach((v, i) => {
        if (v >= 0x30 && v <= 0x39) chiffres.push(i);
      });
      const c = new Uint8Array(b);
      for (const [i, v] of m.at) if (chiffres.length) c[chiffres[i % chiffres.length]!] = 0x30 + v;
      return c;
    }
    case 'tronquer':
      return b.slice(0, Math.max(1, Math.floor(n * m.at)));
    case 'inserer': {
      const i = m.at % (n + 1);
      return Buffer.concat([b.subarray(0, i), m.octets, b.subarray(i)]);
    }
    case 'supprimer': {
      const i = pos(m.at);
      return Buffer.concat([b.subarray(0, i), b.subarray(i + m.n)]);
    }
    case 'zeros': {
      const c = new Uint8Array(b);
      c.fill(0, pos(m.at), pos(m.at) + m.n);
      return c;
    }
    case 'dupliquer': {
      const de = pos(m.de);
      const i = m.vers % (n + 1);
      return Buffer.concat([b.subarray(0, i), b.subarray(de, de + m.n), b.subarray(i)]);
    }
    case 'ajouter':
      return Buffer.concat([b, m.octets]);
  }
}

describe('robustness of the file readers', () => {
  // each seed as a Word file (docx, deflated and stored) and as a PDF with a text layer (pdfkit)
  const fichiers: Array<{ nom: string; octets: Uint8Array }> = [];
  beforeAll(async () => {
    for (const t of textes) {
      // the standard PDF font cannot draw Cyrillic: the seeds' look-alike "СР" is drawn in Latin letters
      const latin = t.replace(/СР/g, 'CP');
      const docx = await docxDepuisTexte(t);
      fichiers.push({ nom: 'convention.docx', octets: docx });
      fichiers.push({ nom: 'convention.docx', octets: docxNonCompresse(docx) });
      fichiers.push({ nom: 'convention.pdf', octets: await pdfMisEnPage(latin) });
    }
  });

  const cas = fc.record({
    fichier: fc.nat({ max: textes.length * 3 - 1 }),
    mutations: fc.array(mutationOctets, { minLength: 1, maxLength: 3 }),
  });

  const muterFichier = (c: { fichier: number; mutations: MutationOctets[] }) => {
    const f = fichiers[c.fichier]!;
    return { nom: f.nom, octets: c.mutations.reduce(muter, f.octets) };
  };

  it('reads each seed intact as a .docx and as a text PDF, through the isolated reading', async () => {
    for (const f of fichiers) {
      const a = await analyserIsole(f.octets, f.nom, f.nom, { limites: LIMITES_FUZZ });
      expect(a.ok ? a.document.format : a.erreur.message).toBe(f.nom.endsWith('.pdf') ? 'pdf' : 'docx');
      expectReponse(a, f.nom);
    }
  }, 60_000);

  it('refuses the answers of the safety nets: an escaped exception, a reading stopped by the delay', () => {
    const net = (code: string): Analyse => ({ ok: false, nom: 'x.pdf', erreur: { code, message: '« x.pdf »' } });
    expect(() => expectReponse(net('LECTURE_IMPOSSIBLE'), 'x.pdf')).toThrow();
    expect(() => expectReponse(net('LECTURE_TROP_LONGUE'), 'x.pdf')).toThrow();
    expect(() => expectReponse(net('MEMOIRE_DEPASSEE'), 'x.pdf')).toThrow();
    expect(() => expectReponse(net('PDF_ILLISIBLE'), 'x.pdf')).not.toThrow();
    expect(() => expectReponse(net('CODE_INCONNU'), 'x.pdf')).toThrow();
  });

  // pdf.js leaves promises of its own unhandled on some damaged PDFs, which ended the reading's thread
  it('refuses as unreadable a PDF whose cross-reference table is inconsistent, through the isolated reading', async () => {
    const octets = new Uint8Array(fs.readFileSync(path.join(FICHIERS, 'pdf-xref-incoherente.pdf')));
    const a = await analyserIsole(octets, 'xref.pdf', 'xref.pdf', { limites: LIMITES_FUZZ });
    expect(a.ok ? 'ok' : a.erreur.code).toBe('PDF_ILLISIBLE');
    expectReponse(a, 'xref.pdf');
  }, 30_000);

  // the entry point of the command line and of the web upload: a thread bounded in time and memory, whose
  // safety nets (an exception, the delay, the memory) would answer a code this property refuses; one file
  // per run, read in a fresh thread (half a second each), so the runs are few
  it('answers an extract or a stable refusal for mutated .docx and PDF files, read as uploads are', async () => {
    await fc.assert(
      fc.asyncProperty(cas, async (c) => {
        const { nom, octets } = muterFichier(c);
        expectReponse(await analyserIsole(octets, nom, nom, { limites: LIMITES_FUZZ }), nom);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
