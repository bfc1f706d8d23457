/**
 * Texts of the family in other layouts, written for the tests with truth read off them by hand: a text
 * published in a bulletin with its date in the title, one with a « Du … » line and no « Entre », and a FAST
 * grant convention to a GIP. Each field is scored against its truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraire, type Extraction } from '../../src/importer/extract.js';
import { champs, expectContract } from '../support/contract.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/layouts');
const TEXTES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

function lire(nom: string): { x: Extraction; attendu: Record<string, unknown> } {
  const { extraction, texte } = extraire(fs.readFileSync(path.join(DIR, nom), 'utf8'), nom);
  expectContract(extraction, texte);
  const attendu = JSON.parse(fs.readFileSync(path.join(DIR, 'truth', nom.replace(/\.txt$/, '.json')), 'utf8'));
  return { x: extraction, attendu };
}

/** The truth's fields, parties split into their three values, each scored equal or not. */
function notes(x: Extraction, attendu: Record<string, unknown>): Array<{ champ: string; ok: boolean; lu: unknown }> {
  const lu = { ...champs(x as never), references: x.references } as Record<string, unknown>;
  const out: Array<{ champ: string; ok: boolean; lu: unknown }> = [];
  for (const [k, v] of Object.entries(attendu)) {
    if (k === 'delegant' || k === 'delegataire') {
      const p = lu[k] as Record<string, unknown>;
      for (const [c, w] of Object.entries(v as Record<string, unknown>))
        out.push({ champ: `${k}.${c}`, ok: JSON.stringify(p[c]) === JSON.stringify(w), lu: p[c] });
    } else out.push({ champ: k, ok: JSON.stringify(lu[k]) === JSON.stringify(v), lu: lu[k] });
  }
  return out;
}

describe.each(TEXTES)('layout %s', (nom) => {
  const { x, attendu } = lire(nom);

  it('reads every field as its truth says', () => {
    expect(notes(x, attendu).filter((n) => !n.ok)).toEqual([]);
  });
});

describe('layouts together', () => {
  it('score at least 90 % of their fields', () => {
    const toutes = TEXTES.flatMap((nom) => {
      const { x, attendu } = lire(nom);
      return notes(x, attendu);
    });
    expect(toutes.length).toBeGreaterThanOrEqual(24 * TEXTES.length);
    expect(toutes.filter((n) => n.ok).length / toutes.length).toBeGreaterThanOrEqual(0.9);
  });

  it('say why when the roles come from a sentence rather than from labels', () => {
    const { x } = lire('bulletin-titre.txt');
    expect(x.warnings.join(' ')).toMatch(
      /L'en-tête ne nomme pas les rôles : ils sont lus dans la phrase « .*au profit de la DINUM/,
    );
  });
});
