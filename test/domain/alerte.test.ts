import { describe, expect, it } from 'vitest';
import { alertesCredits } from '../../src/domain/alerte.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';

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
