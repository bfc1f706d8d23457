import { describe, expect, it } from 'vitest';
import { centimesToSaisie, eurosToCentimes, formatEuros, parseEuros } from '../../src/domain/money.js';
import { addMonths, formatDate, isDateIso } from '../../src/domain/dates.js';

describe('money', () => {
  it('parses amounts as people type them, exactly, into cents', () => {
    expect(parseEuros('200 000')).toBe(20_000_000);
    expect(parseEuros('200\u202f000,5 €')).toBe(20_000_050);
    expect(parseEuros('0,1')).toBe(10);
    expect(parseEuros('1234.56')).toBe(123_456);
    expect(parseEuros('50 000 euros')).toBe(5_000_000);
    expect(parseEuros('0')).toBe(0);
    expect(parseEuros('')).toBeNull();
    expect(parseEuros('12,345')).toBeNaN();
    expect(parseEuros('abc')).toBeNaN();
    expect(parseEuros('99999999999999999999')).toBeNaN();
  });

  it('never goes through a float for large amounts', () => {
    expect(parseEuros('90071992547409,91')).toBe(9_007_199_254_740_991);
    expect(centimesToSaisie(9_007_199_254_740_991)).toBe('90071992547409,91');
  });

  it('formats for people and for inputs', () => {
    expect(formatEuros(20_000_000).replace(/\s/g, ' ')).toBe('200 000,00 €');
    expect(formatEuros(null)).toBe('—');
    expect(centimesToSaisie(20_000_050)).toBe('200000,50');
    expect(centimesToSaisie(-5)).toBe('-0,05');
    expect(eurosToCentimes(138000)).toBe(13_800_000);
  });
});

describe('dates', () => {
  it('validates calendar dates', () => {
    expect(isDateIso('2024-02-29')).toBe(true);
    expect(isDateIso('2023-02-29')).toBe(false);
    expect(isDateIso('2023-2-1')).toBe(false);
  });
  it('adds months across years and clamps the day', () => {
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-05-15', -6)).toBe('2023-11-15');
  });
  it('writes dates in French', () => {
    expect(formatDate('2021-03-31')).toBe('31 mars 2021');
    expect(formatDate('2024-09-01')).toBe('1er septembre 2024');
  });
});
