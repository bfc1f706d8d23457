import { describe, expect, it } from 'vitest';
import {
  comparer,
  conventionAu,
  numeroSuivant,
  valeurLisible,
  verifierCopie,
  versions,
  type Avenant,
} from '../../src/domain/avenant.js';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { conventionVide, type ConventionSaisie } from '../../src/domain/convention.js';

const base: ConventionSaisie = {
  ...conventionVide(),
  uo: 'UO-3',
  totalAeCentimes: 30_000_000,
  echeancier: [{ annee: 2027, aeCentimes: 15_000_000, cpCentimes: 15_000_000 }],
};
const avenant = (
  numero: number,
  dateEffet: string,
  avant: Avenant['avant'],
  statut: Avenant['statut'] = 'signe',
): Avenant => ({
  conventionId: 'c',
  numero,
  objet: `n° ${numero}`,
  dateEffet,
  modifications: {},
  avant,
  statut,
  dateSignature: statut === 'signe' ? dateEffet : null,
  creePar: 'x',
  creeLe: '2026-01-01T00:00:00Z',
  signatures: [],
  copies: [],
});

// the stored convention carries both avenants: n° 1 set the UO to UO-2 (from UO-1), n° 2 to UO-3 and the total
const avenants = [
  avenant(1, '2026-03-01', { uo: 'UO-1' }),
  avenant(2, '2027-01-01', {
    uo: 'UO-2',
    totalAeCentimes: 20_000_000,
    echeancier: [{ annee: 2027, aeCentimes: 10_000_000, cpCentimes: 10_000_000 }],
  }),
  avenant(3, '2026-01-01', { uo: 'UO-0' }, 'brouillon'),
];

describe('avenants', () => {
  it('reads the convention as it stood on a day, undoing the avenants not yet in effect', () => {
    expect(conventionAu(base, avenants, '2026-02-28')).toMatchObject({ uo: 'UO-1', totalAeCentimes: 20_000_000 });
    expect(conventionAu(base, avenants, '2026-03-01')).toMatchObject({ uo: 'UO-2', totalAeCentimes: 20_000_000 });
    expect(conventionAu(base, avenants, '2026-12-31').echeancier[0]?.aeCentimes).toBe(10_000_000);
    expect(conventionAu(base, avenants, '2027-01-01')).toEqual(base);
  });

  it('lists the versions, from the signed text to the last avenant; a draft makes none', () => {
    expect(versions(base, avenants).map((v) => [v.numero, v.convention.uo])).toEqual([
      [0, 'UO-1'],
      [1, 'UO-2'],
      [2, 'UO-3'],
    ]);
  });

  it('compares two versions with French labels and euros', () => {
    const [v0, , v2] = versions(base, avenants);
    const d = comparer(v0!.convention, v2!.convention);
    expect(d.map((l) => [l.champ, l.libelle])).toEqual([
      ['echeancier', 'Échéancier'],
      ['totalAeCentimes', 'Total AE'],
      ['uo', 'UO'],
    ]);
    expect(d[0]!.avant).toMatch(/^2027 : AE 100\s000,00\s€, CP 100\s000,00\s€$/);
    expect(d[1]).toMatchObject({
      avant: expect.stringMatching(/^200\s000,00\s€$/),
      apres: expect.stringMatching(/^300\s000,00\s€$/),
    });
    expect(d[2]).toMatchObject({ avant: 'UO-1', apres: 'UO-3' });
    expect(valeurLisible('dateFin', '2027-02-28')).toBe('28 février 2027');
    expect(valeurLisible('dureeMois', 36)).toBe('36 mois');
  });

  it('numbers the next avenant and waits for the one under signature', () => {
    expect(numeroSuivant([])).toBe(1);
    expect(
      numeroSuivant([
        { numero: 1, statut: 'signe' },
        { numero: 2, statut: 'signe' },
      ]),
    ).toBe(3);
    expect(() => numeroSuivant([{ numero: 1, statut: 'signee_partenaire' }])).toThrow(
      expect.objectContaining({ code: 'AVENANT_EN_COURS' }),
    );
  });
});

describe('a copy of an avenant to the budget controllers', () => {
  const signe = { numero: 1, statut: 'signe' as const, dateSignature: '2026-11-20' };
  const refus = (f: () => void): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof ValidationError) return e.erreurs.map((x) => x.champ).join(',');
      if (e instanceof ConflictError) return e.code;
      throw e;
    }
    return 'aucun';
  };
  it('follows the signature, is dated between it and today, and names its recipient', () => {
    const ok = { destinataire: 'CBCM', date: '2026-11-20' };
    expect(refus(() => verifierCopie(signe, ok, '2026-11-23'))).toBe('aucun');
    expect(
      refus(() => verifierCopie({ ...signe, statut: 'signee_partenaire', dateSignature: null }, ok, '2026-11-23')),
    ).toBe('AVENANT_NON_SIGNE');
    expect(refus(() => verifierCopie(signe, { ...ok, date: '2026-11-19' }, '2026-11-23'))).toBe('date');
    expect(refus(() => verifierCopie(signe, { ...ok, date: '2026-11-24' }, '2026-11-23'))).toBe('date');
    expect(refus(() => verifierCopie(signe, { ...ok, date: '2026-13-01' }, '2026-11-23'))).toBe('date');
    expect(refus(() => verifierCopie(signe, { ...ok, destinataire: '  ' }, '2026-11-23'))).toBe('destinataire');
  });
});
