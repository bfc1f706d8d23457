import { describe, expect, it } from 'vitest';
import { conventionVide } from '../../src/domain/convention.js';
import { doublons, raisonDoublon, type ConventionSemblable } from '../../src/domain/document.js';

const stockee: ConventionSemblable = {
  id: 'c1',
  reference: 'DINUM-2025-014',
  statut: 'en_vigueur',
  delegant: 'Le Ministère de la Justice',
  delegataire: 'Direction interministérielle du numérique',
  dateSignature: '2025-03-14',
  uo: '0129-DINUM-DINU',
};

function lue(champs: {
  reference?: string | null;
  delegant?: string;
  delegataire?: string;
  dateSignature?: string | null;
  uo?: string | null;
}) {
  const c = conventionVide();
  return {
    ...c,
    reference: champs.reference ?? null,
    delegant: { ...c.delegant, nom: champs.delegant ?? '' },
    delegataire: { ...c.delegataire, nom: champs.delegataire ?? '' },
    dateSignature: champs.dateSignature ?? null,
    uo: champs.uo ?? null,
  };
}

describe('an import that repeats a stored convention', () => {
  it('is the same convention by its reference, whatever its case and spaces', () => {
    expect(raisonDoublon(lue({ reference: 'dinum-2025-014' }), stockee)).toBe('reference');
    expect(raisonDoublon(lue({ reference: ' DINUM - 2025 - 014 ' }), stockee)).toBe('reference');
    expect(raisonDoublon(lue({ reference: 'DINUM-2025-015' }), stockee)).toBeNull();
  });

  it('is the same convention by its parties, signature date and UO, written differently', () => {
    const memes = {
      delegant: 'ministere de la justice,',
      delegataire: 'DIRECTION INTERMINISTÉRIELLE DU NUMÉRIQUE',
      dateSignature: '2025-03-14',
      uo: '0129-dinum-dinu',
    };
    expect(raisonDoublon(lue(memes), stockee)).toBe('parties');
    expect(raisonDoublon(lue({ ...memes, dateSignature: '2025-03-15' }), stockee)).toBeNull();
    expect(raisonDoublon(lue({ ...memes, uo: null }), stockee)).toBeNull();
    expect(raisonDoublon(lue({ ...memes, delegataire: 'Ministère de la Justice' }), stockee)).toBeNull();
    // roles matter: the same two parties the other way round are another convention
    expect(
      raisonDoublon(lue({ ...memes, delegant: memes.delegataire, delegataire: memes.delegant }), stockee),
    ).toBeNull();
  });

  it('is never matched on what neither text states', () => {
    const vide: ConventionSemblable = { ...stockee, reference: null, delegant: '', delegataire: '', uo: null };
    expect(raisonDoublon(lue({ dateSignature: '2025-03-14' }), vide)).toBeNull();
    expect(raisonDoublon(lue({}), { ...vide, dateSignature: null })).toBeNull();
  });

  it('lists each stored convention it repeats with why', () => {
    const autre = { ...stockee, id: 'c2', reference: 'AUTRE' };
    expect(doublons(lue({ reference: 'DINUM-2025-014' }), [stockee, autre])).toEqual([
      { ...stockee, raison: 'reference' },
    ]);
  });
});
