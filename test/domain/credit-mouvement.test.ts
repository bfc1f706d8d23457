import { describe, expect, it } from 'vitest';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import { maximumsConvention, verifierPlafondConvention } from '../../src/domain/credit-plafond.js';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';
import {
  exerciceClosA,
  premierDepassement,
  verifierDateDansConvention,
  verifierExerciceOuvert,
  historiqueNecessaire,
  type JourGrandLivre,
} from '../../src/domain/credit-mouvement.js';
import { appliquerCalendrier, verifierEnregistrementDansTerme } from '../../src/domain/engagement.js';
import { depassementPaiementADate } from '../../src/domain/engagement-execution.js';

const jour = (date: string, o: Partial<JourGrandLivre> = {}): JourGrandLivre => ({
  date,
  ouvertAe: 0,
  ouvertCp: 0,
  engageAe: 0,
  payeCp: 0,
  ...o,
});

describe('closed exercises', () => {
  const clos = [{ annee: 2025, closLe: '2026-01-20T09:00:00Z' }];
  it('say whether a year is closed at an instant', () => {
    expect(exerciceClosA(clos, 2025, new Date('2026-01-20T08:59:59Z'))).toBeNull();
    expect(exerciceClosA(clos, 2025, new Date('2026-01-20T09:00:00Z'))).toEqual(clos[0]);
    expect(exerciceClosA(clos, 2026, new Date('2026-06-01T00:00:00Z'))).toBeNull();
  });
  it('refuse a movement by its budget year or its effect date, whatever date is typed', () => {
    const apres = new Date('2026-02-10T10:00:00Z');
    expect(() => verifierExerciceOuvert(clos, { annee: 2025, dateEffet: '2025-06-01', enregistreLe: apres })).toThrow(
      expect.objectContaining({ code: 'EXERCICE_CLOS', details: expect.objectContaining({ annee: 2025 }) }),
    );
    // a payment dated in the closed year on the credits of the next one
    expect(() => verifierExerciceOuvert(clos, { annee: 2026, dateEffet: '2025-12-30', enregistreLe: apres })).toThrow(
      expect.objectContaining({ code: 'EXERCICE_CLOS' }),
    );
    expect(() =>
      verifierExerciceOuvert(clos, { annee: 2026, dateEffet: '2026-02-09', enregistreLe: apres }),
    ).not.toThrow();
    // recorded before the closing: still open
    expect(() =>
      verifierExerciceOuvert(clos, {
        annee: 2025,
        dateEffet: '2025-06-01',
        enregistreLe: new Date('2026-01-19T10:00:00Z'),
      }),
    ).not.toThrow();
  });
});

describe('the dated ledger', () => {
  // tranche 1 (50 000 €) from 2 March, tranche 2 (50 000 €) from 1 September; 40 000 € ordered on 15 June
  const jours = [
    jour('2026-03-02', { ouvertAe: 5_000_000, ouvertCp: 5_000_000 }),
    jour('2026-06-15', { engageAe: 4_000_000 }),
    jour('2026-09-01', { ouvertAe: 5_000_000, ouvertCp: 5_000_000 }),
  ];
  it('gives an order dated before a release only what was open then', () => {
    expect(premierDepassement(jours, { date: '2026-07-01', engageAe: 1_000_000 })).toBeNull();
    expect(premierDepassement(jours, { date: '2026-07-01', engageAe: 1_000_001 })).toEqual({
      nature: 'AE',
      date: '2026-07-01',
      libre: 1_000_000,
    });
    expect(premierDepassement(jours, { date: '2026-09-01', engageAe: 6_000_000 })).toBeNull();
    // before the first opening nothing is free
    expect(premierDepassement(jours, { date: '2026-02-01', engageAe: 1 })).toMatchObject({
      date: '2026-02-01',
      libre: 0,
    });
  });
  it('checks every later date: an order backdated under a commitment later released finds no room', () => {
    // 50 000 € ordered on 1 April, cancelled on 1 October (-50 000 €); tranche 1 only
    const h = [
      jour('2026-03-02', { ouvertAe: 5_000_000 }),
      jour('2026-04-01', { engageAe: 5_000_000 }),
      jour('2026-10-01', { engageAe: -5_000_000 }),
    ];
    expect(premierDepassement(h, { date: '2026-05-01', engageAe: 1 })).toMatchObject({ date: '2026-05-01', libre: 0 });
    expect(premierDepassement(h, { date: '2026-10-01', engageAe: 5_000_000 })).toBeNull();
  });
  it('refuses taking back credits that were used on a later date, and CP beyond those open', () => {
    expect(premierDepassement(jours, { date: '2026-03-10', ouvertAe: -1_000_001 })).toMatchObject({
      nature: 'AE',
      date: '2026-06-15',
      libre: 1_000_000,
    });
    expect(premierDepassement(jours, { date: '2026-03-10', payeCp: 5_000_001 })).toMatchObject({ nature: 'CP' });
    expect(premierDepassement(jours, { date: '2026-09-10', payeCp: 10_000_000 })).toBeNull();
  });
  it('needs the history only when a movement of the year is dated after the new one', () => {
    expect(historiqueNecessaire({ dernierEffet: null }, '2026-01-01')).toBe(false);
    expect(historiqueNecessaire({ dernierEffet: '2026-09-01' }, '2026-09-01')).toBe(false);
    expect(historiqueNecessaire({ dernierEffet: '2026-09-01' }, '2026-08-31')).toBe(true);
  });
  it('pays only work certified by the payment date, on every later date', () => {
    const m = [
      { type: 'service_fait' as const, dateOperation: '2026-10-01', certifie: 1_000_000, payeCp: 0 },
      { type: 'paiement' as const, dateOperation: '2026-10-20', certifie: 0, payeCp: 600_000 },
    ];
    expect(depassementPaiementADate(m, '2026-09-15', 1)).toEqual({ date: '2026-09-15', reste: 0 });
    // 400 000 € left from 1 October, but already 600 000 € are paid on 20 October
    expect(depassementPaiementADate(m, '2026-10-05', 400_000)).toBeNull();
    expect(depassementPaiementADate(m, '2026-10-05', 400_001)).toMatchObject({ reste: 400_000 });
  });
});

describe('both dates of an operation', () => {
  it('refuses an operation recorded after the cut-off even when dated before it', () => {
    expect(() =>
      appliquerCalendrier('engagement', 2026, '2026-12-10', PARAMETRES_DEFAUT, null, true, '2026-12-20'),
    ).toThrow(
      expect.objectContaining({
        code: 'CALENDRIER_DEPASSE',
        message: expect.stringMatching(/enregistrée le 20 décembre 2026/),
      }),
    );
    expect(() =>
      appliquerCalendrier('paiement', 2026, '2026-11-25', PARAMETRES_DEFAUT, null, true, '2027-01-05'),
    ).toThrow(expect.objectContaining({ code: 'CALENDRIER_DEPASSE' }));
    expect(() =>
      appliquerCalendrier('paiement', 2026, '2026-11-25', PARAMETRES_DEFAUT, { motif: 'x' }, false, '2026-12-02'),
    ).toThrow(expect.objectContaining({ code: 'ACCES_REFUSE' }));
    expect(
      appliquerCalendrier(
        'paiement',
        2026,
        '2026-11-25',
        PARAMETRES_DEFAUT,
        { motif: 'Facture reçue à temps' },
        true,
        '2026-12-02',
      )[0],
    ).toMatch(/Dérogation.*Motif : Facture reçue à temps/);
    // recorded before the cut-off: the warning of the effect date only
    expect(
      appliquerCalendrier('engagement', 2026, '2026-12-01', PARAMETRES_DEFAUT, null, false, '2026-12-05')[0],
    ).toMatch(/12 décembre 2026/);
  });
  it('refuses an order recorded after the convention’s end, unless an administrator gives a reason', () => {
    const c = { dateSignature: '2024-03-01', dateFin: '2025-06-30', dureeMois: null };
    expect(verifierEnregistrementDansTerme(c, '2025-06-30', null, false)).toEqual([]);
    expect(() => verifierEnregistrementDansTerme(c, '2026-11-23', null, true)).toThrow(
      expect.objectContaining({ code: 'ENREGISTREMENT_APRES_FIN' }),
    );
    expect(() => verifierEnregistrementDansTerme(c, '2026-11-23', { motif: 'x' }, false)).toThrow(
      expect.objectContaining({ code: 'ACCES_REFUSE' }),
    );
    expect(verifierEnregistrementDansTerme(c, '2026-11-23', { motif: 'Bon papier signé le 20 juin' }, true)[0]).toMatch(
      /Motif : Bon papier signé le 20 juin/,
    );
  });
  it('dates decisions within the convention’s life', () => {
    const c = { dateSignature: '2026-03-02', dateFin: '2027-06-30', dureeMois: null };
    expect(() => verifierDateDansConvention(c, '2026-03-01', 'Un report')).toThrow(
      expect.objectContaining({ code: 'DATE_HORS_CONVENTION', message: expect.stringMatching(/avant la signature/) }),
    );
    expect(() => verifierDateDansConvention(c, '2027-07-01', 'Un report')).toThrow(/après la fin/);
    expect(() => verifierDateDansConvention({ ...c, dateSignature: null }, '2026-05-01', 'Un report')).toThrow(
      expect.objectContaining({ code: 'DATE_HORS_CONVENTION' }),
    );
    expect(() => verifierDateDansConvention(c, '2026-03-02', 'Un report')).not.toThrow();
    expect(() => verifierDateDansConvention(c, '2027-06-30', 'Un report')).not.toThrow();
  });
});

describe('the convention’s maximum', () => {
  const c = {
    totalAeCentimes: 12_000_000,
    echeancier: [
      { annee: 2026, aeCentimes: 8_000_000, cpCentimes: 6_000_000 },
      { annee: 2027, aeCentimes: 4_000_000, cpCentimes: 6_000_000 },
    ],
  };
  const t = (annee: number, baseAe: number, baseCp: number, o: Partial<TotauxCredit> = {}): TotauxCredit => ({
    ...totauxVides(annee),
    baseAe,
    baseCp,
    ...o,
  });
  it('is the stated total AE, else the schedule’s; CP follow the schedule', () => {
    expect(maximumsConvention(c)).toEqual({ ae: 12_000_000, cp: 12_000_000 });
    expect(maximumsConvention({ ...c, totalAeCentimes: null })).toEqual({ ae: 12_000_000, cp: 12_000_000 });
    expect(
      maximumsConvention({ totalAeCentimes: 5, echeancier: [{ annee: 2026, aeCentimes: 5, cpCentimes: null }] }),
    ).toEqual({
      ae: 5,
      cp: 5,
    });
  });
  it('refuses a decision that would make more available across the years, AE or CP', () => {
    const credits = [t(2026, 8_000_000, 6_000_000), t(2027, 4_000_000, 6_000_000)];
    expect(() => verifierPlafondConvention(c, credits, 2027, { ae: 4_000_001, cp: 6_000_000 })).toThrow(
      expect.objectContaining({
        code: 'PLAFOND_CONVENTION_DEPASSE',
        details: expect.objectContaining({ nature: 'AE', maximum_centimes: 12_000_000, apres_centimes: 12_000_001 }),
      }),
    );
    expect(() => verifierPlafondConvention(c, credits, 2028, { ae: 0, cp: 1 })).toThrow(
      expect.objectContaining({
        code: 'PLAFOND_CONVENTION_DEPASSE',
        details: expect.objectContaining({ nature: 'CP' }),
      }),
    );
    // moving credits between years within the maximum passes
    expect(() => verifierPlafondConvention(c, credits, 2027, { ae: 3_000_000, cp: 5_000_000 })).not.toThrow();
    expect(() =>
      verifierPlafondConvention(c, [t(2026, 7_000_000, 6_000_000), credits[1]!], 2027, {
        ae: 5_000_000,
        cp: 6_000_000,
      }),
    ).not.toThrow();
    // carried-over credits count once: out of 2026, into 2027
    const reportes = [
      t(2026, 8_000_000, 6_000_000, { reporteSortantAe: 1_000_000 }),
      t(2027, 4_000_000, 6_000_000, { reporteEntrantAe: 1_000_000 }),
    ];
    expect(() => verifierPlafondConvention(c, reportes, 2027, { ae: 4_000_000, cp: 6_000_000 })).not.toThrow();
    expect(() => verifierPlafondConvention(c, reportes, 2027, { ae: 4_000_001, cp: 6_000_000 })).toThrow(
      expect.objectContaining({ code: 'PLAFOND_CONVENTION_DEPASSE' }),
    );
  });
});
