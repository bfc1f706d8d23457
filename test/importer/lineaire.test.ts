/**
 * The importer is linear on hostile shapes of text. No timing is measured: each input is large enough
 * that the quadratic code it replaces takes minutes (2 MB of hard-wrapped lines took about 100 s, 1 MB of
 * spaces or tabs far more), while the linear code takes well under a second; the timeout sits between the
 * two with a margin of five or more on each side, and vitest fails a test that overruns it even when it
 * blocks. Each output is also checked against a value built independently of the normaliser.
 */
import { describe, expect, it } from 'vitest';
import { extraire } from '../../src/importer/extract.js';
import { normaliser } from '../../src/importer/text.js';

const MO = 1024 * 1024;
const DELAI = 10_000;

/** Deterministic words (xorshift), so that a failure can be replayed. */
function mots(graine: number): () => string {
  const lexique = 'le la des pour avec dans service budget credit gestion suivi rapport comite projet'.split(' ');
  let x = graine;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return lexique[(x >>> 0) % lexique.length]!;
  };
}

/** One paragraph hard-wrapped at about 70 columns: every line continues the one before. */
function paragrapheEnveloppe(taille: number): { texte: string; lignes: string[] } {
  const mot = mots(7);
  const lignes: string[] = ['Le'];
  let longueur = 2;
  while (longueur < taille) {
    const l = Array.from({ length: 11 }, mot).join(' ');
    lignes.push(l);
    longueur += l.length + 1;
  }
  return { texte: lignes.join('\n'), lignes };
}

describe('importer on large hostile inputs', () => {
  it(
    'joins 2 MB of hard-wrapped lines into one line',
    () => {
      const { texte, lignes } = paragrapheEnveloppe(2 * MO);
      expect(normaliser(texte)).toBe(lignes.join(' '));
    },
    DELAI,
  );

  it(
    'joins words cut by a hyphen at the end of the line, over 1 MB',
    () => {
      const n = MO / 10;
      const texte = `Le ${Array.from({ length: n }, () => 'gesti-\non').join(' ')}`;
      expect(normaliser(texte)).toBe(`Le ${Array.from({ length: n }, () => 'gestion').join(' ')}`);
    },
    DELAI,
  );

  it(
    'reads a whole document made of one wrapped paragraph',
    () => {
      const { texte, lignes } = paragrapheEnveloppe(MO);
      const { texte: normalise } = extraire(`Article 1 - Objet\n\n${texte}`);
      expect(normalise).toBe(`Article 1 - Objet\n\n${lignes.join(' ')}`);
    },
    DELAI,
  );

  it(
    'collapses 1 MB of spaces, of tabs, and of spaces before a final heading mark',
    () => {
      expect(normaliser(`Le${' '.repeat(MO)}fin`)).toBe('Le fin');
      expect(normaliser(`a${'\t'.repeat(MO)}b`)).toBe(`a${'\t'.repeat(MO)}b`);
      expect(normaliser(`Titre${' '.repeat(MO)}#`)).toBe('Titre');
      expect(normaliser(`Titre${' '.repeat(MO)}##x`)).toBe('Titre ##x');
    },
    DELAI,
  );
});
