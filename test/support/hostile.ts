import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../src/storage/database.js';

/**
 * Hostile values for the generated fuzz test: what an attacker or a broken client sends in a field, a path
 * segment, a query or a form. A value written `{ brut }` is sent as is (a JSON number no JavaScript value
 * encodes, a byte sequence no string holds).
 */
export type Hostile = unknown | { brut: string };

const TEXTES = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  'x'.repeat(20_000),
  '%ZZ',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '',
  '   ',
  '../../../etc/passwd',
  '\u202etxt.exe',
  '🇫🇷'.repeat(40),
  '2026-02-30',
  '0000-00-00',
  '99999-12-31',
  '3000000000',
  '0,001',
  '-1',
  'NaN',
];
const NOMBRES = [0, -1, -0.5, 0.001, 1.5, 2 ** 31, 2 ** 53 + 2, 3e9, 1e308, -1e308, Number.MAX_SAFE_INTEGER];
const TYPES = [null, true, false, [], {}, [[[]]], { a: { b: {} } }, 'texte', 12];
const BRUTS = ['1e400', '-1e400', '123456789012345678901234567890', '-0', '1E-400'];

const imbrique = (n: number) => ({ brut: '['.repeat(n) + ']'.repeat(n) });

/** A hostile JSON value. */
export const jsonHostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.constantFrom(...TEXTES),
  fc.constantFrom(...NOMBRES),
  fc.constantFrom(...TYPES),
  fc.constantFrom(...BRUTS).map((brut) => ({ brut })),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 500, max: 5_000 }).map(imbrique),
);

/** A hostile segment of a path or a query value, already written for the address (escapes included). */
export const segmentHostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%ZZ',
    '%E0%A4%A',
    '%ED%A0%80',
    '%00',
    '%C0%80',
    '..',
    '0',
    '-1',
    '99999999999999999999',
    '3000000000',
    '1e400',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(5_000),
    '%27%20OR%201%3D1',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
);

/** A hostile value of a form field, written for an urlencoded body (escapes included). */
export const champHostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '%ED%A0%80',
    '%ZZ',
    '%E0%A4%A',
    '%C0%80',
    '3000000000',
    '1e400',
    '-1',
    '0,001',
    '99999999999999999999999',
    'x'.repeat(20_000),
    '%3Cscript%3E',
    '',
    '2026-02-30',
    '12%2F13%2F2026',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
);

/** JSON text of `v`, with its `{ brut }` parts written as they are. */
export function enJson(v: unknown): string {
  const bruts: string[] = [];
  const texte = JSON.stringify(v, (_k, x: unknown) => {
    if (x && typeof x === 'object' && 'brut' in x && Object.keys(x).length === 1) {
      bruts.push((x as { brut: string }).brut);
      return `\u0001${bruts.length - 1}\u0001`;
    }
    return x;
  });
  return (texte ?? 'null').replace(/"\\u0001(\d+)\\u0001"/g, (_m, i: string) => bruts[Number(i)]!);
}

type Schema = Record<string, unknown>;

/** Follows `$ref` and takes the first branch of a union. */
function resoudre(s: Schema | undefined, composants: Record<string, Schema>): Schema {
  let x: Schema = s ?? {};
  for (let i = 0; i < 10; i++) {
    if (typeof x.$ref === 'string') x = composants[x.$ref.split('/').pop()!] ?? {};
    else if (Array.isArray(x.anyOf)) x = (x.anyOf as Schema[]).find((b) => b.type !== 'null') ?? {};
    else if (Array.isArray(x.oneOf)) x = (x.oneOf as Schema[])[0] ?? {};
    else if (Array.isArray(x.allOf)) x = Object.assign({}, ...(x.allOf as Schema[]));
    else break;
  }
  return x;
}

/** A plausible value for a schema: the base a fuzzed request changes one field of. */
export function exemple(s: Schema | undefined, composants: Record<string, Schema>, profondeur = 0): unknown {
  const x = resoudre(s, composants);
  if ('const' in x) return x.const;
  if (Array.isArray(x.enum)) return x.enum[0];
  const type = Array.isArray(x.type) ? (x.type as string[]).find((t) => t !== 'null') : x.type;
  switch (type) {
    case 'object': {
      if (profondeur > 4) return {};
      const props = (x.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, p]) => [k, exemple(p, composants, profondeur + 1)]));
    }
    case 'array':
      return profondeur > 4 ? [] : [exemple(x.items as Schema, composants, profondeur + 1)];
    case 'integer':
      return typeof x.minimum === 'number' ? Math.max(x.minimum, Math.min(2026, Number(x.maximum ?? 2026))) : 1;
    case 'number':
      return typeof x.minimum === 'number' ? x.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      if (x.format === 'date') return '2026-06-01';
      if (x.format === 'date-time') return '2026-06-01T10:00:00Z';
      if (x.format === 'uuid') return '6f1d1b3e-0000-4000-8000-000000000001';
      if (x.format === 'email') return 'agent@exemple.gouv.fr';
      if (typeof x.pattern === 'string' && /\\d\{14\}/.test(x.pattern)) return '11000201100044';
      return 'Texte';
    default:
      return 'Texte';
  }
}

/** The paths of the fields of a value, down to the first item of each list: what the fuzz changes one at a time. */
export function chemins(v: unknown, prefixe: (string | number)[] = [], profondeur = 0): (string | number)[][] {
  if (profondeur > 3 || v === null || typeof v !== 'object') return prefixe.length ? [prefixe] : [];
  const enfants = Array.isArray(v) ? (v.length ? [0] : []) : Object.keys(v);
  const sous = enfants.flatMap((k) =>
    chemins((v as Record<string | number, unknown>)[k], [...prefixe, k], profondeur + 1),
  );
  return prefixe.length ? [prefixe, ...sous] : sous;
}

/** A copy of `v` with the field at `chemin` replaced. */
export function remplacer(v: unknown, chemin: (string | number)[], par: unknown): unknown {
  if (!chemin.length) return par;
  const [tete, ...reste] = chemin;
  const copie = Array.isArray(v) ? [...v] : { ...(v as Record<string, unknown>) };
  (copie as Record<string | number, unknown>)[tete!] = remplacer(
    (v as Record<string | number, unknown>)[tete!],
    reste,
    par,
  );
  return copie;
}

/**
 * Everything the database holds, in one value: the number of rows and a digest of their text, per table
 * of the schema in use, but for the tables and columns in `exclues`. Two equal fingerprints mean nothing
 * was written.
 */
export async function empreinte(db: Db, exclues: readonly string[]): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ nom: string }>`
    SELECT c.relname AS nom FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY 1
  `.execute(db);
  const suivies = tables.map((t) => t.nom).filter((n) => !exclues.includes(n));
  const parties = suivies.map((n) => {
    // a column named `table.colonne` in `exclues` is left out of its table's rows
    const colonnes = exclues.filter((e) => e.startsWith(`${n}.`)).map((e) => e.slice(n.length + 1));
    const ligne = colonnes.reduce((acc, c) => sql`${acc} - ${c}::text`, sql`to_jsonb(x)`);
    return sql`SELECT ${n}::text AS nom, count(*)::text || ':' || coalesce(md5(string_agg((${ligne})::text, '|' ORDER BY (${ligne})::text)), '') AS d FROM ${sql.table(n)} x`;
  });
  const { rows } = await sql<{ nom: string; d: string }>`${sql.join(parties, sql` UNION ALL `)}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.nom, r.d]));
}
