import { describe, expect, it } from 'vitest';
import {
  celluleMontant,
  dates,
  moisDepuisMot,
  montants,
  nombreAvant,
  nombreEnLettres,
} from '../../src/importer/french.js';
import { plier } from '../../src/importer/text.js';

describe('numbers in French words', () => {
  it.each([
    ['un', 1],
    ['trois', 3],
    ['six', 6],
    ['douze', 12],
    ['dix-huit', 18],
    ['vingt et un', 21],
    ['vingt-quatre', 24],
    ['trente-six', 36],
    ['soixante-dix', 70],
    ['quatre-vingts', 80],
    ['quatre-vingt-dix', 90],
    ['cent vingt', 120],
  ])('%s = %d', (w, n) => expect(nombreEnLettres(w)).toBe(n));

  it('refuses what is not a number', () => {
    expect(nombreEnLettres('periode')).toBeNull();
    expect(nombreEnLettres('')).toBeNull();
  });

  it.each([
    ['periode de 6 mois', 6],
    ['preavis de trois mois', 3],
    ['duree de douze (12) mois', 12],
    ['tous les six mois', 6],
    ['pour vingt-quatre mois', 24],
    ["d'un mois", 1],
  ])('reads the number before "mois" in "%s"', (s, n) => {
    expect(nombreAvant(`${s} mois`.replace(/ mois mois$/, ' mois'), s.lastIndexOf('mois'))?.value).toBe(n);
  });
});

describe('dates', () => {
  it.each([
    ['31/03/2021', '2021-03-31'],
    ['23/09/24', '2024-09-23'],
    ['1er mars 2024', '2024-03-01'],
    ['31 DÉC. 2025', '2025-12-31'],
    ['31 décembre 2025', '2025-12-31'],
    ['12 févr. 2025', '2025-02-12'],
    ['3 sept 2024', '2024-09-03'],
    ['14.04.2021', '2021-04-14'],
    ['2021-03-31', '2021-03-31'],
  ])('%s → %s', (s, iso) => expect(dates(plier(s)).map((d) => d.value)).toEqual([iso]));

  it('ignores impossible dates and ambiguous months', () => {
    expect(dates('31/02/2021')).toEqual([]);
    expect(dates('3 jui 2024')).toEqual([]);
    expect(moisDepuisMot('jui')).toBeNull();
    expect(moisDepuisMot('mai')).toBe(5);
  });
});

describe('amounts', () => {
  it.each([
    ['200 000€', 200000],
    ['50 000 €', 50000],
    ['50 000 euros', 50000],
    ['110 000,00 €', 110000],
    ['1 234,5 €', 1234.5],
    ['1,5 M€', 1500000],
    ['30 k€', 30000],
    ['138.000 EUR', 138000],
  ])('%s = %d', (s, n) => expect(montants(plier(s)).map((m) => m.value)).toEqual([n]));

  it('needs a currency in prose (a postal code is not an amount)', () => {
    expect(montants('tsa 30 719 75 334 paris')).toEqual([]);
  });

  it('tells a blank cell from an explicit 0', () => {
    expect(celluleMontant('')).toEqual({ kind: 'vide' });
    expect(celluleMontant('  ')).toEqual({ kind: 'vide' });
    expect(celluleMontant('0')).toEqual({ kind: 'montant', value: 0 });
    expect(celluleMontant('0 €')).toEqual({ kind: 'montant', value: 0 });
    expect(celluleMontant('55 000 €')).toEqual({ kind: 'montant', value: 55000 });
    expect(celluleMontant('environ cent')).toEqual({ kind: 'illisible' });
  });
});
