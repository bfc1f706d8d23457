import { describe, expect, it } from 'vitest';
import { extraire } from '../../src/importer/extract.js';
import { SEEDS, champs, expectContract, seed, truth } from '../support/contract.js';

describe.each(SEEDS)('seed %s', (name) => {
  const { extraction, texte } = extraire(seed(name), name);
  const attendu = truth(name);

  it.each(Object.keys(attendu).filter((k) => k !== 'source'))('reads %s as the truth says', (k) => {
    expect(champs(extraction as never)[k]).toEqual(champs(attendu)[k]);
  });

  it('satisfies the contract, every provenance span pointing at its text', () => {
    expectContract(extraction, texte);
    expect(Object.keys(extraction.provenance).length).toBeGreaterThan(15);
  });

  it('points every value found at the text it came from', () => {
    const p = extraction.provenance;
    expect(p['/uo']?.text.replace(/\s/g, '')).toBe(extraction.uo);
    expect(extraction.delegant.name?.startsWith(p['/delegant/name']!.text)).toBe(true);
    expect(extraction.delegataire.name?.startsWith(p['/delegataire/name']!.text)).toBe(true);
    for (const [k, l] of (extraction.schedule ?? []).entries())
      expect(p[`/schedule/${k}/year`]?.text).toBe(String(l.year));
  });
});
