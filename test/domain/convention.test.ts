import { describe, expect, it } from 'vitest';
import {
  controler,
  conventionVide,
  finEffective,
  normaliserCode,
  partenaire,
  statutEffectif,
  type ConventionSaisie,
} from '../../src/domain/convention.js';
import { differences } from '../../src/domain/journal.js';
import { conventionsDemo } from '../../src/demo/conventions.js';

/** The demo on days around the year-end cut-offs and leap days. */
const JOURS = [
  '2026-01-02',
  '2026-02-01',
  '2026-06-15',
  '2026-11-23',
  '2026-12-15',
  '2026-12-31',
  '2027-02-28',
  '2028-02-29',
];

function base(patch: Partial<ConventionSaisie> = {}): ConventionSaisie {
  return {
    ...conventionVide(),
    delegant: { ...conventionVide().delegant, nom: 'Ministère' },
    delegataire: { ...conventionVide().delegataire, nom: 'DINUM' },
    produits: ['Service'],
    ...patch,
  };
}

describe('controler', () => {
  it('accepts every demonstration convention without error, on any day', () => {
    for (const jour of JOURS)
      for (const c of conventionsDemo(jour)) expect(controler(c).erreurs, `${jour} ${c.reference}`).toEqual([]);
  });

  it('refuses an end date before the signature', () => {
    const r = controler(base({ dateSignature: '2024-09-23', dateFin: '2024-01-01' }));
    expect(r.erreurs).toEqual([{ champ: 'dateFin', message: 'La date de fin précède la date de signature.' }]);
  });

  it('refuses impossible dates', () => {
    expect(controler(base({ dateSignature: '2024-02-30' })).erreurs[0]?.champ).toBe('dateSignature');
  });

  it('refuses negative and non-integer amounts, in the schedule and the totals', () => {
    const r = controler(
      base({ totalAeCentimes: -1, echeancier: [{ annee: 2024, aeCentimes: 10.5, cpCentimes: -100 }] }),
    );
    expect(r.erreurs.map((e) => e.champ).sort()).toEqual([
      'echeancier.0.aeCentimes',
      'echeancier.0.cpCentimes',
      'totalAeCentimes',
    ]);
  });

  it('refuses a year twice in the schedule', () => {
    const r = controler(
      base({
        echeancier: [
          { annee: 2024, aeCentimes: 1, cpCentimes: 1 },
          { annee: 2024, aeCentimes: 1, cpCentimes: 1 },
        ],
      }),
    );
    expect(r.erreurs).toEqual([
      { champ: 'echeancier.1.annee', message: "L'année 2024 figure deux fois dans l'échéancier." },
    ]);
  });

  it('warns, without refusing, when the stated total disagrees with the schedule', () => {
    const r = controler(
      base({
        totalAeCentimes: 20_000_000,
        echeancier: [{ annee: 2021, aeCentimes: 15_000_000, cpCentimes: 15_000_000 }],
      }),
    );
    expect(r.erreurs).toEqual([]);
    expect(r.avertissements).toHaveLength(1);
    expect(r.avertissements[0]!.replace(/\s/g, ' ')).toBe(
      "Le total AE indiqué (200 000,00 €) diffère de la somme de l'échéancier (150 000,00 €).",
    );
  });

  it('warns when cumulated CP run ahead of cumulated AE', () => {
    const r = controler(
      base({
        echeancier: [
          { annee: 2024, aeCentimes: 100, cpCentimes: 50 },
          { annee: 2025, aeCentimes: null, cpCentimes: 80 },
        ],
      }),
    );
    expect(r.avertissements.map((a) => a.replace(/\s/g, ' '))).toEqual([
      'En 2025, les CP cumulés (1,30 €) dépassent les AE cumulées (1,00 €).',
    ]);
  });

  it('does not warn when CP are split over two years within the AE (seLEXpert)', () => {
    for (const jour of JOURS) {
      const selex = conventionsDemo(jour).find((c) => c.produits.includes('seLEXpert'))!;
      expect(controler(selex).avertissements).toEqual([]);
    }
  });

  it('warns when the UO and the centre financier disagree, ignoring prefix and spaces', () => {
    const imputation = { ...conventionVide().imputation, centreFinancier: '0310-SGAL-SSIC' };
    expect(controler(base({ uo: 'UO 0310-SGAL- SSIC', imputation })).avertissements).toEqual([]);
    expect(controler(base({ uo: '0352-CFSE-CFIN', imputation })).avertissements).toEqual([
      "L'UO (0352-CFSE-CFIN) diffère du centre financier des références Chorus (0310-SGAL-SSIC).",
    ]);
  });

  it('warns when tranches do not add up to 100 %', () => {
    const r = controler(
      base({
        tranches: [
          { partPct: 50, condition: null },
          { partPct: 40, condition: null },
        ],
      }),
    );
    expect(r.avertissements).toEqual(['Les tranches totalisent 90 % et non 100 %.']);
  });

  it('checks SIRET, durations and the party names', () => {
    const r = controler({
      ...base({ dureeMois: 0 }),
      delegant: { ...conventionVide().delegant, nom: ' ', siret: '123' },
    });
    expect(r.erreurs.map((e) => e.champ).sort()).toEqual(['delegant.nom', 'delegant.siret', 'dureeMois']);
  });

  it('warns when a stated duration and a stated end disagree', () => {
    const r = controler(base({ dateSignature: '2021-03-31', dureeMois: 6, dateFin: '2021-12-31' }));
    expect(r.avertissements[0]).toContain('2021-09-30');
  });
});

describe('term and status', () => {
  it('computes the end from a duration, day to day, clamped to the month', () => {
    expect(finEffective({ dateSignature: '2021-03-31', dureeMois: 6, dateFin: null })).toBe('2021-09-30');
    expect(finEffective({ dateSignature: '2024-01-15', dureeMois: 12, dateFin: null })).toBe('2025-01-15');
    expect(finEffective({ dateSignature: null, dureeMois: 6, dateFin: null })).toBeNull();
    expect(finEffective({ dateSignature: '2021-01-01', dureeMois: 6, dateFin: '2021-12-31' })).toBe('2021-12-31');
  });

  it('shows a convention in force past its end as terminée', () => {
    const c = { statut: 'en_vigueur' as const, dateSignature: '2021-03-31', dureeMois: 6, dateFin: null };
    expect(statutEffectif(c, '2021-09-30')).toBe('en_vigueur');
    expect(statutEffectif(c, '2021-10-01')).toBe('terminee');
    expect(statutEffectif({ ...c, statut: 'suspendue' }, '2030-01-01')).toBe('suspendue');
  });

  it('names the partner as the party that is not the DINUM', () => {
    const [msj, msp] = conventionsDemo('2026-11-23') as [ConventionSaisie, ConventionSaisie];
    expect(partenaire(msj).nom).toBe('Le Ministère de la justice');
    expect(partenaire(msp).nom).toBe('La Fabrique numérique des ministères sociaux (DNUM)');
  });

  it('normalises codes written with a prefix or a stray space', () => {
    expect(normaliserCode('UO 0214-ABC')).toBe('0214-ABC');
    expect(normaliserCode('0214 -abc')).toBe('0214-ABC');
  });
});

describe('differences', () => {
  it('lists changed fields with before and after', () => {
    const a = base();
    const b = { ...a, uo: 'X', echeancier: [{ annee: 2024, aeCentimes: 0, cpCentimes: null }] };
    expect(differences(a, b)).toEqual([
      { champ: 'uo', avant: null, apres: 'X' },
      { champ: 'echeancier', avant: [], apres: [{ annee: 2024, aeCentimes: 0, cpCentimes: null }] },
    ]);
    expect(differences(a, { ...a })).toEqual([]);
  });
});
