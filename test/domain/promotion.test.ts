import { describe, expect, it } from 'vitest';
import type { ReunionComite } from '../../src/domain/comite.js';
import {
  alerteEnveloppe,
  echeanceEnveloppe,
  etatRevue,
  numeroPromotion,
  trancheMiParcours,
  verifierDeclaration,
  verifierPromotion,
} from '../../src/domain/promotion.js';

const enveloppe = {
  conventionId: 'c',
  montantCentimes: 11_000_000,
  engageCentimes: 0,
  preuveUrl: null,
  preuvePieceId: null,
  declarePar: null,
  declareLe: null,
};
const revue = (decide: boolean): ReunionComite => ({
  id: 1,
  conventionId: 'c',
  nature: 'mi_parcours',
  date: '2026-11-20',
  presidence: null,
  participants: [],
  indicateurs: [],
  demande: null,
  preparePar: 'X',
  prepareLe: 'x',
  decision: decide
    ? {
        decision: 'continue',
        motif: 'm',
        budgetCentimes: null,
        dureeMois: null,
        phase: null,
        trancheLiberee: 2,
        appelleAvenant: false,
        auteur: 'Y',
        le: 'x',
      }
    : null,
  compteRenduPieceId: null,
  avenantNumero: null,
});

describe('FAST promotions', () => {
  it('reads the promotion’s number as conventions write it', () => {
    expect(numeroPromotion('FAST 15')).toBe(15);
    expect(numeroPromotion('fast15')).toBe(15);
    expect(numeroPromotion('Promotion de printemps')).toBeNull();
    expect(numeroPromotion(null)).toBeNull();
  });

  it('refuses a calendar out of order', () => {
    const p = {
      numero: 19,
      appelOuverture: null,
      appelCloture: null,
      comiteSelection: null,
      lancement: '2026-09-30',
      miParcours: '2026-09-01',
      demoDay: null,
      plafondLaureatCentimes: null,
    };
    expect(() => verifierPromotion(p)).toThrow();
    expect(() => verifierPromotion({ ...p, miParcours: '2026-11-30' })).not.toThrow();
  });

  it('gives the envelope six months from signature, and alerts 45 days before while not committed', () => {
    expect(echeanceEnveloppe('2026-09-23')).toBe('2027-03-23');
    expect(echeanceEnveloppe(null)).toBeNull();
    expect(alerteEnveloppe(enveloppe, '2026-09-23', '2027-02-05')).toBeNull();
    expect(alerteEnveloppe(enveloppe, '2026-09-23', '2027-02-06')).toMatchObject({ niveau: 'warning' });
    expect(alerteEnveloppe(enveloppe, '2026-09-23', '2027-03-24')).toMatchObject({ niveau: 'error' });
    expect(alerteEnveloppe({ ...enveloppe, engageCentimes: 11_000_000 }, '2026-09-23', '2027-03-24')).toBeNull();
  });

  it('takes what is declared committed with its evidence, a link or a file, within the envelope', () => {
    const d = { montantCentimes: 11_000_000, engageCentimes: 4_000_000, preuveUrl: null, preuvePieceId: null };
    let erreurs: unknown = null;
    try {
      verifierDeclaration(d);
    } catch (e) {
      erreurs = (e as { erreurs: unknown }).erreurs;
    }
    expect(erreurs).toEqual([
      { champ: 'preuve_url', message: 'Un engagement déclaré l’est avec sa preuve : un lien ou un fichier.' },
    ]);
    expect(() => verifierDeclaration({ ...d, preuveUrl: 'https://preuve.example/ej' })).not.toThrow();
    expect(() => verifierDeclaration({ ...d, preuvePieceId: 'p1' })).not.toThrow();
    expect(() => verifierDeclaration({ ...d, engageCentimes: 0 })).not.toThrow();
    expect(() => verifierDeclaration({ ...d, engageCentimes: 11_000_001, preuvePieceId: 'p1' })).toThrow();
  });

  it('names the tranche the mid-term review would release and its AE', () => {
    const tranches = [
      { partPct: 50, condition: null },
      { partPct: 50, condition: null },
    ];
    expect(trancheMiParcours(tranches, [1], 11_000_000)).toEqual({ rang: 2, partPct: 50, aeCentimes: 5_500_000 });
    expect(trancheMiParcours(tranches, [1, 2], 11_000_000)).toBeNull();
  });

  it('says the review is due, late or held', () => {
    expect(etatRevue({ miParcours: '2026-11-30' }, [], '2026-11-23')).toEqual({ etat: 'due', date: '2026-11-30' });
    expect(etatRevue({ miParcours: '2026-11-30' }, [], '2026-12-01').etat).toBe('en_retard');
    expect(etatRevue({ miParcours: '2027-03-30' }, [], '2026-12-01').etat).toBe('a_venir');
    expect(etatRevue({ miParcours: '2026-11-30' }, [revue(true)], '2026-12-01')).toEqual({
      etat: 'tenue',
      date: '2026-11-20',
    });
  });
});
