import { describe, expect, it } from 'vitest';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';
import {
  alerteExerciceNonClos,
  bilanExercice,
  calendrierExercice,
  controlerCalendrierExercice,
  peutCloturer,
  propositionCloture,
  verifierAccordReport,
  verifierClotureOuverte,
  type AccordReport,
} from '../../src/domain/exercice.js';
import type { Acteur } from '../../src/domain/acces.js';

const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ...o });
const clos2026 = [{ annee: 2026, closLe: '2026-12-20T09:00:00.000Z' }];
const code = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('exercise calendar', () => {
  it('follows the global calendar unless the year has its own dates', () => {
    // default: the day after the orders cut-off (12-12), the carry-over deadline 11-15, closing due 31 January
    expect(calendrierExercice(2026, PARAMETRES_DEFAUT, null)).toEqual({
      annee: 2026,
      ouvertureCloture: '2026-12-13',
      limiteReport: '2026-11-15',
      limiteCloture: '2027-01-31',
    });
    expect(calendrierExercice(2026, { ...PARAMETRES_DEFAUT, limiteEngagements: '12-31' }, null).ouvertureCloture).toBe(
      '2027-01-01',
    );
    const propre = calendrierExercice(2026, PARAMETRES_DEFAUT, { ouvertureCloture: '2026-12-01' });
    expect(propre).toMatchObject({ ouvertureCloture: '2026-12-01', limiteReport: '2026-11-15' });
    // another year keeps the defaults
    expect(calendrierExercice(2027, PARAMETRES_DEFAUT, null).ouvertureCloture).toBe('2027-12-13');
  });

  it('refuses own dates outside the year and its next, or out of order', () => {
    const ok = { annee: 2026, ouvertureCloture: '2026-12-10', limiteReport: '2026-11-10', limiteCloture: '2027-01-15' };
    expect(controlerCalendrierExercice(ok)).toEqual([]);
    expect(controlerCalendrierExercice({ ...ok, ouvertureCloture: '2025-12-10' }).map((e) => e.champ)).toEqual([
      'ouvertureCloture',
    ]);
    expect(controlerCalendrierExercice({ ...ok, limiteCloture: '2026-12-01' }).map((e) => e.champ)).toEqual([
      'limiteCloture',
    ]);
    expect(controlerCalendrierExercice({ ...ok, limiteReport: '2027-01-02' }).map((e) => e.champ)).toEqual([
      'limiteReport',
    ]);
    expect(controlerCalendrierExercice({ ...ok, limiteReport: '2026-02-30' }).map((e) => e.champ)).toEqual([
      'limiteReport',
    ]);
  });

  it('opens the closing on its date, not the day before', () => {
    const cal = calendrierExercice(2026, PARAMETRES_DEFAUT, null);
    expect(code(() => verifierClotureOuverte(cal, '2026-12-12'))).toBe('CLOTURE_PREMATUREE');
    expect(code(() => verifierClotureOuverte(cal, '2026-12-13'))).toBeNull();
  });
});

describe('agreement to carry over', () => {
  const cal = calendrierExercice(2026, PARAMETRES_DEFAUT, null);
  const a = { dateAccord: '2026-11-10', auteur: 'M. Dupont, responsable de BOP', aeCentimes: null, cpCentimes: null };

  it('is accepted when given and recorded by the deadline', () => {
    expect(code(() => verifierAccordReport(a, cal, '2026-11-15', []))).toBeNull();
  });

  it('is refused when recorded after the deadline, even dated before it', () => {
    expect(code(() => verifierAccordReport(a, cal, '2026-11-16', []))).toBe('REPORT_HORS_DELAI');
  });

  it('is refused when dated after the deadline, in the future, in another year, without author or on a closed year', () => {
    expect(
      code(() =>
        verifierAccordReport(
          { ...a, dateAccord: '2026-11-16' },
          calendrierExercice(2026, PARAMETRES_DEFAUT, { limiteReport: '2026-11-15' }),
          '2026-11-16',
          [],
        ),
      ),
    ).toBe('REPORT_HORS_DELAI');
    expect(code(() => verifierAccordReport({ ...a, dateAccord: '2026-11-12' }, cal, '2026-11-11', []))).toBe(
      'DONNEES_INVALIDES',
    );
    expect(code(() => verifierAccordReport({ ...a, dateAccord: '2025-11-12' }, cal, '2026-11-11', []))).toBe(
      'DONNEES_INVALIDES',
    );
    expect(code(() => verifierAccordReport({ ...a, auteur: '  ' }, cal, '2026-11-11', []))).toBe('DONNEES_INVALIDES');
    expect(code(() => verifierAccordReport({ ...a, aeCentimes: -1 }, cal, '2026-11-11', []))).toBe('DONNEES_INVALIDES');
    expect(code(() => verifierAccordReport(a, cal, '2026-11-11', clos2026))).toBe('EXERCICE_CLOS');
  });
});

describe('closing proposal and statement', () => {
  // 1 000 € of AE and 800 € of CP made available; 600 € committed, 300 € certified, 250 € paid
  const tot = t({
    baseAe: 100_000,
    ouvertAe: 100_000,
    baseCp: 80_000,
    ouvertCp: 80_000,
    engageAe: 60_000,
    certifie: 30_000,
    payeCp: 25_000,
  });
  const accord: AccordReport = {
    annee: 2026,
    dateAccord: '2026-11-10',
    auteur: 'X',
    aeCentimes: null,
    cpCentimes: null,
    enregistreLe: '2026-11-10T10:00:00Z',
    acteurNom: 'Y',
  };

  it('returns everything unused without an agreement', () => {
    expect(propositionCloture(tot, null)).toEqual({
      inutiliseAe: 40_000,
      inutiliseCp: 55_000,
      report: { aeCentimes: 0, cpCentimes: 0 },
      restitution: { aeCentimes: 40_000, cpCentimes: 55_000 },
    });
  });

  it('carries over what the délégant agreed to, at most what is unused, and returns the rest', () => {
    expect(propositionCloture(tot, accord).report).toEqual({ aeCentimes: 40_000, cpCentimes: 55_000 });
    const partiel = propositionCloture(tot, { ...accord, aeCentimes: 10_000, cpCentimes: 99_999_999 });
    expect(partiel.report).toEqual({ aeCentimes: 10_000, cpCentimes: 55_000 });
    expect(partiel.restitution).toEqual({ aeCentimes: 30_000, cpCentimes: 0 });
  });

  it('states made available, committed, certified, paid, unused, carried over, returned', () => {
    // after the closing carried 100 € of AE over and returned the rest
    const apres = t({
      baseAe: 100_000,
      reporteEntrantAe: 5_000,
      reporteSortantAe: 10_000,
      restitueAe: 35_000,
      ouvertAe: 60_000,
      baseCp: 80_000,
      restitueCp: 55_000,
      ouvertCp: 25_000,
      engageAe: 60_000,
      certifie: 30_000,
      payeCp: 25_000,
    });
    expect(bilanExercice(apres)).toEqual({
      annee: 2026,
      misADispositionAe: 105_000,
      misADispositionCp: 80_000,
      engageAe: 60_000,
      certifie: 30_000,
      payeCp: 25_000,
      inutiliseAe: 45_000,
      inutiliseCp: 55_000,
      reporteAe: 10_000,
      reporteCp: 0,
      restitueAe: 35_000,
      restitueCp: 55_000,
    });
  });
});

describe('who closes', () => {
  const acteur = (role: Acteur['role'], siret: string | null = null): Acteur => ({
    id: 'x',
    nom: 'x',
    role,
    organisationSiret: siret,
    produits: [],
  });
  const ministere = { roleDinum: 'delegataire' as const, delegant: { siret: '111' } };
  const fast = { roleDinum: 'delegant' as const, delegant: { siret: '999' } };

  it('is the administrator or the délégant’s budget officer', () => {
    expect(peutCloturer(acteur('administrateur'), ministere)).toBe(true);
    expect(peutCloturer(acteur('partenaire', '111'), ministere)).toBe(true);
    expect(peutCloturer(acteur('partenaire', '222'), ministere)).toBe(false);
    expect(peutCloturer(acteur('gestionnaire'), ministere)).toBe(false);
    expect(peutCloturer(acteur('gestionnaire'), fast)).toBe(true);
    expect(peutCloturer(acteur('partenaire', '999'), fast)).toBe(true);
    expect(peutCloturer(acteur('equipe', '111'), ministere)).toBe(false);
  });
});

describe('an exercise left open', () => {
  const cal = calendrierExercice(2026, PARAMETRES_DEFAUT, null);
  it('raises an alert after 31 January of the next year, not before nor once closed', () => {
    expect(alerteExerciceNonClos(cal, null, '2027-01-31')).toBeNull();
    expect(alerteExerciceNonClos(cal, null, '2027-02-01')).toContain('31 janvier 2027');
    expect(alerteExerciceNonClos(cal, clos2026[0]!, '2027-02-01')).toBeNull();
  });
});
