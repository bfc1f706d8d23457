import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { conventionVide, type ConventionSaisie } from '../../src/domain/convention.js';
import {
  anneesCredits,
  controlerMontantsAeCp,
  disponibleAe,
  ouvertureAnnee,
  projeterFinAnnee,
  totauxVides,
  verifierInutilise,
  verifierNouvelleBase,
  verifierPlafondAe,
  verifierPlafondCp,
  type DecisionDisponibilite,
  type TotauxCredit,
} from '../../src/domain/credit.js';
import { part } from '../../src/domain/money.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';

const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ...o });

describe('ceilings', () => {
  it('accepts an order up to the AE available, refuses beyond with available, asked and shortfall', () => {
    const tot = t({ ouvertAe: 1000, engageAe: 400 });
    expect(() => verifierPlafondAe(tot, 600)).not.toThrow();
    try {
      verifierPlafondAe(tot, 601);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({
        code: 'PLAFOND_AE_DEPASSE',
        details: { annee: 2026, disponible_centimes: 600, demande_centimes: 601, manque_centimes: 1 },
      });
      expect((e as Error).message).toMatch(
        /6,00\s€ d’AE .* disponibles sur 2026, 6,01\s€ demandés ; il manque 0,01\s€/,
      );
    }
  });
  it('says a year without credits apart from an exhausted one', () => {
    expect(() => verifierPlafondAe(t({}), 1)).toThrow(expect.objectContaining({ code: 'ANNEE_SANS_CREDITS' }));
    expect(() => verifierPlafondAe(t({ ouvertAe: 10, engageAe: 10 }), 1)).toThrow(
      expect.objectContaining({ code: 'PLAFOND_AE_DEPASSE' }),
    );
  });
  it('bounds paid CP of a year by the CP available that year', () => {
    expect(() => verifierPlafondCp(t({ ouvertCp: 100, payeCp: 50 }), 50)).not.toThrow();
    expect(() => verifierPlafondCp(t({ ouvertCp: 100, payeCp: 50 }), 51)).toThrow(
      expect.objectContaining({ code: 'PLAFOND_CP_DEPASSE', details: expect.objectContaining({ manque_centimes: 1 }) }),
    );
  });
  it('never lets a sequence of accepted orders exceed the ceiling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 3_000_000 }), { maxLength: 30 }),
        (ouvert, demandes) => {
          const tot = t({ ouvertAe: ouvert });
          for (const d of demandes) {
            try {
              verifierPlafondAe(tot, d);
              tot.engageAe += d;
            } catch {
              /* refused */
            }
          }
          return tot.engageAe <= ouvert && disponibleAe(tot) >= 0;
        },
      ),
    );
  });
});

describe('percentages in exact cents', () => {
  it('rounds to the nearest cent, a half cent going down', () => {
    expect(part(10_000, 50)).toBe(5_000);
    expect(part(3_333_333, 33.33)).toBe(1_111_000); // 1 110 999,8989
    expect(part(1, 50)).toBe(0); // 0,5 cent: down
    expect(part(3, 50)).toBe(1); // 1,5 cents: down
    expect(part(101, 99.01)).toBe(100); // 100,0001
    expect(part(Number.MAX_SAFE_INTEGER, 100)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('refuses more than two decimals', () => {
    expect(() => part(100, 33.333)).toThrow(RangeError);
  });
  it('never exceeds the exact share and stays within half a cent of it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 10_000 }), (montant, bp) => {
        const r = part(montant, bp / 100);
        const exact = BigInt(montant) * BigInt(bp) * 2n;
        // 2 × 10 000 × r within [exact − 10 000, exact + 10 000)... i.e. |r − exact/10 000| ≤ 1/2, ties down
        const diff = BigInt(r) * 20_000n - exact;
        return diff <= 10_000n && diff > -10_000n - 1n && r <= montant;
      }),
    );
  });
});

const conv = (o: Partial<ConventionSaisie>): ConventionSaisie => ({
  ...conventionVide(),
  statut: 'en_vigueur',
  dateSignature: '2026-05-04',
  ...o,
});

describe('availability of a year', () => {
  it('opens the schedule from the later of signature and 1 January', () => {
    const c = conv({
      echeancier: [
        { annee: 2026, aeCentimes: 5_000, cpCentimes: 4_000 },
        { annee: 2027, aeCentimes: 1_000, cpCentimes: null },
      ],
    });
    expect(ouvertureAnnee(c, 2026, [], [])).toMatchObject({ ae: 5_000, cp: 4_000, dateEffet: '2026-05-04' });
    expect(ouvertureAnnee(c, 2027, [], [])).toMatchObject({ ae: 1_000, cp: 0, dateEffet: '2027-01-01' });
    expect(ouvertureAnnee(c, 2028, [], [])).toMatchObject({ ae: 0, cp: 0 });
  });
  it('opens nothing before signature or validation', () => {
    const e = [{ annee: 2026, aeCentimes: 5_000, cpCentimes: 5_000 }];
    expect(ouvertureAnnee(conv({ echeancier: e, dateSignature: null }), 2026, [], []).ae).toBe(0);
    expect(ouvertureAnnee(conv({ echeancier: e, statut: 'a_verifier' }), 2026, [], []).ae).toBe(0);
    expect(ouvertureAnnee(conv({ echeancier: e, statut: 'brouillon' }), 2026, [], []).ae).toBe(0);
    expect(ouvertureAnnee(conv({ echeancier: e, statut: 'suspendue' }), 2026, [], []).ae).toBe(5_000);
  });
  it('opens AE by released tranche: the first at signature, the others by decision, all of them exactly the schedule', () => {
    const c = conv({
      dateSignature: '2024-09-23',
      echeancier: [{ annee: 2024, aeCentimes: 10_000_001, cpCentimes: 5_500_000 }],
      tranches: [
        { partPct: 33.33, condition: 'signature' },
        { partPct: 33.33, condition: 'mi-parcours' },
        { partPct: 33.34, condition: 'fin' },
      ],
    });
    expect(ouvertureAnnee(c, 2024, [], [])).toMatchObject({ ae: part(10_000_001, 33.33), cp: 5_500_000 });
    const lib2 = { rang: 2, dateEffet: '2024-11-15', motif: 'bilan', decideur: null };
    expect(ouvertureAnnee(c, 2024, [lib2], [])).toMatchObject({
      ae: 2 * part(10_000_001, 33.33),
      dateEffet: '2024-11-15',
    });
    expect(ouvertureAnnee(c, 2024, [lib2, { ...lib2, rang: 3, dateEffet: '2024-12-01' }], []).ae).toBe(10_000_001);
  });
  it('lets an administrator’s latest decision replace the schedule for its year', () => {
    const c = conv({ echeancier: [{ annee: 2026, aeCentimes: 5_000, cpCentimes: 5_000 }] });
    const d: [DecisionDisponibilite, DecisionDisponibilite] = [
      { annee: 2026, aeCentimes: 1, cpCentimes: 1, dateEffet: '2026-06-01', motif: 'a' },
      { annee: 2026, aeCentimes: 7_000, cpCentimes: 6_000, dateEffet: '2026-07-01', motif: 'b' },
    ];
    expect(ouvertureAnnee(c, 2026, [], d)).toMatchObject({ ae: 7_000, cp: 6_000, dateEffet: '2026-07-01' });
    expect(anneesCredits(c, [{ ...d[0], annee: 2029 }], [2027])).toEqual([2026, 2027, 2029]);
  });
  it('refuses an availability below what is committed or paid', () => {
    const tot = t({
      baseAe: 100,
      ouvertAe: 150,
      reporteEntrantAe: 50,
      engageAe: 120,
      baseCp: 100,
      ouvertCp: 100,
      payeCp: 10,
    });
    expect(() => verifierNouvelleBase(tot, { ae: 70, cp: 10, dateEffet: null, motif: '' })).not.toThrow();
    expect(() => verifierNouvelleBase(tot, { ae: 69, cp: 10, dateEffet: null, motif: '' })).toThrow(
      expect.objectContaining({ code: 'CREDITS_INFERIEURS_CONSOMMATION' }),
    );
    expect(() => verifierNouvelleBase(tot, { ae: 100, cp: 9, dateEffet: null, motif: '' })).toThrow(
      expect.objectContaining({ code: 'CREDITS_INFERIEURS_CONSOMMATION' }),
    );
  });
});

describe('carry-over and returns', () => {
  it('move only unused credits', () => {
    const tot = t({ ouvertAe: 1000, engageAe: 600, ouvertCp: 1000, payeCp: 900 });
    expect(() => verifierInutilise(tot, { aeCentimes: 400, cpCentimes: 100 }, 'report')).not.toThrow();
    expect(() => verifierInutilise(tot, { aeCentimes: 401, cpCentimes: 0 }, 'report')).toThrow(
      expect.objectContaining({ code: 'CREDITS_NON_DISPONIBLES' }),
    );
    expect(() => verifierInutilise(tot, { aeCentimes: 0, cpCentimes: 101 }, 'restitution')).toThrow(/restituer/);
  });
  it('need a positive amount', () => {
    expect(controlerMontantsAeCp({ aeCentimes: 0, cpCentimes: 0 })).toHaveLength(1);
    expect(controlerMontantsAeCp({ aeCentimes: -1, cpCentimes: 0 })[0]?.champ).toBe('aeCentimes');
    expect(controlerMontantsAeCp({ aeCentimes: 1.5, cpCentimes: 0 })).toHaveLength(1);
  });
});

describe('year-end projection', () => {
  it('extrapolates the pace from opening to the cut-offs, within what is open', () => {
    const tot = t({ ouvertAe: 100_000, engageAe: 30_000, ouvertCp: 100_000, payeCp: 10_000 });
    const p = projeterFinAnnee(tot, '2026-05-04', '2026-09-01', PARAMETRES_DEFAUT);
    // 120 days elapsed of 222 to 12 December: 30 000 × 222 / 120 = 55 500
    expect(p.aeProjete).toBe(55_500);
    expect(p.aeInutilise).toBe(44_500);
    expect(p.cpProjete).toBe(Math.round((10_000 * 210) / 120));
    expect(p.significative).toBe(true);
    const vite = projeterFinAnnee(t({ ouvertAe: 100, engageAe: 90 }), '2026-01-01', '2026-02-01', PARAMETRES_DEFAUT);
    expect(vite.aeProjete).toBe(100);
    expect(projeterFinAnnee(tot, '2026-05-04', '2026-12-20', PARAMETRES_DEFAUT).aeProjete).toBe(30_000);
  });
});
