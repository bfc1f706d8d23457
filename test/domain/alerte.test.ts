import { describe, expect, it } from 'vitest';
import { alertesCredits } from '../../src/domain/alerte.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import { projeterFinAnnee, totauxVides, type TotauxCredit } from '../../src/domain/credit.js';

const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ouverture: '2026-01-01', ...o });

describe('alerts from the figures', () => {
  const base = { finConvention: '2026-12-31', enVigueur: true };
  it('raises under-consumption from the set day, with the carry-over deadline while it is ahead', () => {
    const tot = t({ ouvertAe: 100_000, engageAe: 10_000, ouvertCp: 100_000, payeCp: 5_000 });
    expect(alertesCredits({ ...base, totaux: tot }, '2026-09-01', PARAMETRES_DEFAUT).map((a) => a.type)).toEqual([]);
    const sept = alertesCredits({ ...base, totaux: tot }, '2026-09-20', PARAMETRES_DEFAUT);
    expect(sept.map((a) => a.type)).toEqual(['sous_consommation']);
    expect(sept[0]!.message).toContain('avant le 15 novembre 2026');
    const nov = alertesCredits({ ...base, totaux: tot }, '2026-11-23', PARAMETRES_DEFAUT);
    expect(nov.map((a) => a.type)).toEqual([
      'sous_consommation',
      'date_limite_engagements',
      'date_limite_paiements',
      'fin_avec_ae',
    ]);
    expect(nov[0]!.message).toContain('est passée');
  });
  it('warns of a convention ending with AE left, and says nothing of other years', () => {
    const tot = t({ ouvertAe: 100, engageAe: 100, ouvertCp: 100, payeCp: 100 });
    expect(alertesCredits({ ...base, totaux: tot }, '2026-11-23', PARAMETRES_DEFAUT)).toEqual([]);
    const reste = t({ ouvertAe: 100, engageAe: 50, ouvertCp: 100, payeCp: 100 });
    expect(
      alertesCredits({ ...base, totaux: reste, finConvention: '2026-12-01' }, '2026-10-15', PARAMETRES_DEFAUT).map(
        (a) => a.type,
      ),
    ).toContain('fin_avec_ae');
    expect(alertesCredits({ ...base, totaux: reste }, '2027-01-10', PARAMETRES_DEFAUT)).toEqual([]);
  });
});

describe('a convention past its end', () => {
  // 1 000 € of AE and CP open from 1 January, 200 € committed and 100 € paid by 30 June, when the convention ended
  const tot = t({ ouvertAe: 100_000, engageAe: 20_000, ouvertCp: 100_000, payeCp: 10_000 });

  it('is no longer projected to take orders after its end', () => {
    const avecFin = projeterFinAnnee(tot, '2026-01-01', '2026-09-20', PARAMETRES_DEFAUT, '2026-06-30');
    expect(avecFin.aeProjete).toBe(20_000);
    expect(avecFin.aeInutilise).toBe(80_000);
    // without the end, the pace would have been extrapolated to the orders cut-off
    expect(projeterFinAnnee(tot, '2026-01-01', '2026-09-20', PARAMETRES_DEFAUT).aeProjete).toBeGreaterThan(20_000);
    // before its end, AE are extrapolated to the end only: 200 € in 90 days (1 January – 1 April), 180 days in all
    const avant = projeterFinAnnee(tot, '2026-01-01', '2026-04-01', PARAMETRES_DEFAUT, '2026-06-30');
    expect(avant.aeProjete).toBe(Math.round((20_000 * 180) / 90));
  });

  it('raises what is left after the end instead of a pace of consumption', () => {
    const a = alertesCredits(
      { totaux: tot, finConvention: '2026-06-30', enVigueur: false },
      '2026-09-20',
      PARAMETRES_DEFAUT,
    );
    expect(a.map((x) => x.type)).toEqual(['reste_apres_fin']);
    // CP beyond what the orders still have to pay: 900 € open, 100 € still owed on the orders
    expect(a[0]!.message.replace(/\s/g, ' ')).toContain('800,00 € d’AE et 800,00 € de CP 2026');
    expect(a[0]!.message).toContain('30 juin 2026');
    const rien = t({ ouvertAe: 20_000, engageAe: 20_000, ouvertCp: 20_000, payeCp: 10_000 });
    expect(
      alertesCredits({ totaux: rien, finConvention: '2026-06-30', enVigueur: false }, '2026-09-20', PARAMETRES_DEFAUT),
    ).toEqual([]);
  });
});
