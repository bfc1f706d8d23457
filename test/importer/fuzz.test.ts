import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extraire } from '../../src/importer/extract.js';
import { expectContract, SEEDS, seed } from '../support/contract.js';

const textes = SEEDS.map(seed);

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
