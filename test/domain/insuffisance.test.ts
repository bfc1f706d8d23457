import { describe, expect, it } from 'vitest';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';
import {
  alerteSuspension,
  controlerDelaiInsuffisance,
  etapeInsuffisance,
  inutilisesEnFin,
  suspensionProposee,
  verifierInformation,
  verifierReponse,
  type CasInsuffisance,
} from '../../src/domain/insuffisance.js';

const cas = (o: Partial<CasInsuffisance> = {}): CasInsuffisance => ({
  id: 1,
  conventionId: 'c',
  annee: 2026,
  nature: 'credits',
  ouvertLe: '2026-11-10T09:00:00.000Z',
  ouvertPar: 'X',
  nbRefus: 1,
  details: {},
  information: null,
  reponse: null,
  ...o,
});
const informe = cas({
  information: { date: '2026-11-12', moyen: 'Courriel', justification: null, auteur: 'Y', le: '2026-11-12T10:00:00Z' },
});
const code = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};
const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ...o });

describe('insufficiency case', () => {
  it('goes from « to inform » to informed, then adjusted or refused', () => {
    expect(etapeInsuffisance(cas())).toBe('a_informer');
    expect(etapeInsuffisance(informe)).toBe('informe');
    const reponse = { date: '2026-11-20', motif: 'm', auteur: 'Z', le: '2026-11-20T10:00:00Z' };
    expect(etapeInsuffisance({ ...informe, reponse: { ...reponse, decision: 'ajustement' } })).toBe('ajuste');
    expect(etapeInsuffisance({ ...informe, reponse: { ...reponse, decision: 'refus' } })).toBe('refuse');
  });

  it('informs once, dated between the opening and today, saying how', () => {
    expect(code(() => verifierInformation(cas(), { date: '2026-11-10', moyen: 'Courriel' }, '2026-11-12'))).toBeNull();
    expect(code(() => verifierInformation(cas(), { date: '2026-11-09', moyen: 'Courriel' }, '2026-11-12'))).toBe(
      'DONNEES_INVALIDES',
    );
    expect(code(() => verifierInformation(cas(), { date: '2026-11-13', moyen: 'Courriel' }, '2026-11-12'))).toBe(
      'DONNEES_INVALIDES',
    );
    expect(code(() => verifierInformation(cas(), { date: '2026-11-11', moyen: ' ' }, '2026-11-12'))).toBe(
      'DONNEES_INVALIDES',
    );
    expect(code(() => verifierInformation(informe, { date: '2026-11-12', moyen: 'Courriel' }, '2026-11-12'))).toBe(
      'DELEGANT_DEJA_INFORME',
    );
  });

  it('answers only once informed, not before the information', () => {
    expect(
      code(() => verifierReponse(cas(), { date: '2026-11-12', decision: 'refus', motif: 'm' }, '2026-11-12')),
    ).toBe('DELEGANT_NON_INFORME');
    expect(
      code(() => verifierReponse(informe, { date: '2026-11-11', decision: 'refus', motif: 'm' }, '2026-11-12')),
    ).toBe('DONNEES_INVALIDES');
    expect(
      code(() => verifierReponse(informe, { date: '2026-11-12', decision: 'peut-être', motif: 'm' }, '2026-11-12')),
    ).toBe('DONNEES_INVALIDES');
    expect(
      code(() => verifierReponse(informe, { date: '2026-11-12', decision: 'refus', motif: 'm' }, '2026-11-12')),
    ).toBeNull();
  });

  it('proposes the suspension after the delay without an adjustment, not the day the delay ends', () => {
    expect(suspensionProposee(cas(), 30, '2026-12-10')).toBe(false);
    expect(suspensionProposee(cas(), 30, '2026-12-11')).toBe(true);
    const ajuste = {
      ...informe,
      reponse: { date: '2026-11-20', decision: 'ajustement' as const, motif: 'm', auteur: 'Z', le: '' },
    };
    expect(suspensionProposee(ajuste, 30, '2027-01-01')).toBe(false);
    expect(suspensionProposee(cas({ nature: 'inutilises' }), 30, '2027-01-01')).toBe(false);
  });

  it('sees what is left unconsumed only after the end', () => {
    const credits = [
      t({ ouvertAe: 100, engageAe: 60, ouvertCp: 50, payeCp: 50 }),
      t({ annee: 2027, ouvertAe: 10, ouvertCp: 30, payeCp: 5 }),
    ];
    expect(inutilisesEnFin('2027-06-30', credits, '2027-06-30')).toBeNull();
    expect(inutilisesEnFin('2027-06-30', credits, '2027-07-01')).toEqual({ aeCentimes: 50, cpCentimes: 25 });
    expect(inutilisesEnFin(null, credits, '2030-01-01')).toBeNull();
    expect(inutilisesEnFin('2027-06-30', [t({ ouvertAe: 10, engageAe: 10 })], '2027-07-01')).toBeNull();
  });
});

describe('the delay before a suspension is proposed', () => {
  it('accepts whole days from 7 to 365', () => {
    expect(controlerDelaiInsuffisance(7)).toEqual([]);
    expect(controlerDelaiInsuffisance(365)).toEqual([]);
    for (const n of [6, 366, 30.5, -1, Number.NaN]) expect(controlerDelaiInsuffisance(n), String(n)).toHaveLength(1);
  });

  it('raises the alert the day after the delay, names the day it ran out, and never after an adjustment', () => {
    // opened on 10 November; 30 days run out on 10 December
    expect(alerteSuspension(cas(), 30, '2026-12-10')).toBeNull();
    expect(alerteSuspension(cas(), 30, '2026-12-11')).toContain('au 10 décembre 2026 (délai de 30 jours)');
    const ajuste = cas({
      reponse: { date: '2026-11-20', decision: 'ajustement', motif: 'm', auteur: 'Z', le: '2026-11-20T10:00:00Z' },
    });
    expect(alerteSuspension(ajuste, 30, '2027-01-30')).toBeNull();
    expect(alerteSuspension(cas({ nature: 'inutilises' }), 30, '2027-01-30')).toBeNull();
  });
});
