import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import type { Extraction } from '../../src/importer/extract.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const schema = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'convention-extract.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

/** Asserts that an extraction satisfies the output contract, and that each provenance span is the text it points to. */
export function expectContract(x: unknown, texte?: string): void {
  const ok = validate(x);
  expect(ok ? [] : validate.errors).toEqual([]);
  if (texte !== undefined) {
    for (const [ptr, span] of Object.entries((x as Extraction).provenance)) {
      expect(span.start, ptr).toBeLessThanOrEqual(span.end);
      expect(span.end, ptr).toBeLessThanOrEqual(texte.length);
      expect(texte.slice(span.start, span.end), ptr).toBe(span.text);
    }
  }
}

export const SEEDS_DIR = path.join(FIXTURES, 'seeds');
export const SEEDS = fs
  .readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

export function seed(name: string): string {
  return fs.readFileSync(path.join(SEEDS_DIR, name), 'utf8');
}

export function truth(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(SEEDS_DIR, 'truth', name.replace(/\.txt$/, '.json')), 'utf8'));
}

const ws = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v);

const REQUIS = new Set<string>(schema.required);

/**
 * The contract's fields of an extraction (its required keys: extra keys are the importer's own), parties
 * with whitespace normalised, Chorus without `extra`.
 */
export function champs(x: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (k === 'source' || !REQUIS.has(k)) continue;
    if (k === 'delegant' || k === 'delegataire') {
      const p = v as Record<string, unknown>;
      out[k] = { name: ws(p.name), representative: ws(p.representative), address: ws(p.address) };
    } else if (k === 'chorus') {
      const { extra: _extra, ...rest } = v as Record<string, unknown>;
      out[k] = rest;
    } else out[k] = v;
  }
  return out;
}

const sansBalises = (v: string | null) =>
  v === null
    ? null
    : v
        .replace(/<[^>]*>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 40);

/**
 * The contract's fields with the clauses reduced to what survives a file format's own limits (a PDF table
 * cell cut at its width, markup written as text in a Word file): who owes what and when, the beginning of
 * each text.
 */
export function champsEssentiels(x: Record<string, unknown>): Record<string, unknown> {
  const out = champs(x);
  const c = out.clauses as {
    obligations: Array<{ party: string; text: string; due: string | null }>;
    reporting: Array<{ when: string; what: string }>;
    rgpd: Array<{ row: string; dinum: string | null; partner: string | null }> | null;
  } & Record<string, unknown>;
  out.clauses = {
    ...c,
    obligations: c.obligations.map((o) => ({ ...o, text: sansBalises(o.text) })),
    reporting: c.reporting.map((r) => ({ ...r, what: sansBalises(r.what) })),
    rgpd:
      c.rgpd?.map((r) => ({ row: sansBalises(r.row), dinum: sansBalises(r.dinum), partner: sansBalises(r.partner) })) ??
      null,
  };
  return out;
}
