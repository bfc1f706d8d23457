import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  premierDepassement,
  verifierExerciceOuvert,
  type AjoutGrandLivre,
  type JourGrandLivre,
} from '../../src/domain/credit-mouvement.js';
import type { ExerciceClos } from '../../src/domain/credit.js';
import { addDays, yearOf } from '../../src/domain/dates.js';
import { depassementPaiementADate } from '../../src/domain/engagement-execution.js';

/**
 * Random sequences of dated movements against the ledger's rules, each kept only when the rule accepts
 * it; after every step the invariants are recomputed from the kept movements alone, day by day, by a
 * brute-force count that shares nothing with the rule.
 */

const jourDe = (i: number) => addDays('2026-01-01', i);

/** On every day of the year: committed AE ≤ open AE, paid CP ≤ open CP. */
function tientChaqueJour(mouvements: AjoutGrandLivre[]): boolean {
  for (let i = 0; i < 365; i++) {
    const d = jourDe(i);
    let ae = 0;
    let cp = 0;
    let engage = 0;
    let paye = 0;
    for (const m of mouvements) {
      if (m.date > d) continue;
      ae += m.ouvertAe ?? 0;
      cp += m.ouvertCp ?? 0;
      engage += m.engageAe ?? 0;
      paye += m.payeCp ?? 0;
    }
    if (engage > ae || paye > cp) return false;
  }
  return true;
}

const jours = (mouvements: AjoutGrandLivre[]): JourGrandLivre[] =>
  mouvements.map((m) => ({
    date: m.date,
    ouvertAe: m.ouvertAe ?? 0,
    ouvertCp: m.ouvertCp ?? 0,
    engageAe: m.engageAe ?? 0,
    payeCp: m.payeCp ?? 0,
  }));

const montant = fc.integer({ min: 1, max: 5_000 });
const jour = fc.integer({ min: 0, max: 364 });
/** What the budget acts do to a year: openings (tranche, decision, carry-over in), returns, orders, releases, payments. */
const tentative = fc.oneof(
  fc.record({ k: fc.constant('ouverture' as const), jour, ae: montant, cp: montant }),
  fc.record({ k: fc.constant('retrait' as const), jour, ae: montant, cp: montant }),
  fc.record({ k: fc.constant('commande' as const), jour, m: montant }),
  fc.record({ k: fc.constant('liberation' as const), jour, m: montant }),
  fc.record({ k: fc.constant('paiement' as const), jour, m: montant }),
);

function versAjout(t: { k: string; jour: number; ae?: number; cp?: number; m?: number }): AjoutGrandLivre {
  const date = jourDe(t.jour);
  switch (t.k) {
    case 'ouverture':
      return { date, ouvertAe: t.ae, ouvertCp: t.cp };
    case 'retrait':
      return { date, ouvertAe: -t.ae!, ouvertCp: -t.cp! };
    case 'commande':
      return { date, engageAe: t.m };
    case 'liberation':
      return { date, engageAe: -t.m! };
    default:
      return { date, payeCp: t.m };
  }
}

describe('the dated ledger, by properties', () => {
  it('accepts a movement exactly when every date still holds afterwards', () => {
    fc.assert(
      fc.property(fc.array(tentative, { minLength: 1, maxLength: 40 }), (tentatives) => {
        const gardes: AjoutGrandLivre[] = [];
        for (const t of tentatives) {
          const ajout = versAjout(t);
          // a release never gives back more than is committed on its date and after
          if (t.k === 'liberation') {
            const engage = gardes.filter((m) => m.date <= ajout.date).reduce((s, m) => s + (m.engageAe ?? 0), 0);
            if (engage < t.m) continue;
          }
          const refus = premierDepassement(jours(gardes), ajout);
          const apres = tientChaqueJour([...gardes, ajout]);
          expect(refus === null).toBe(apres);
          if (refus === null) gardes.push(ajout);
          expect(tientChaqueJour(gardes)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pays an order only within the work certified by each date', () => {
    const acte = fc.record({ k: fc.constantFrom('service_fait', 'paiement'), jour, m: montant });
    fc.assert(
      fc.property(fc.array(acte, { minLength: 1, maxLength: 30 }), (actes) => {
        const gardes: Array<{
          type: 'service_fait' | 'paiement';
          dateOperation: string;
          certifie: number;
          payeCp: number;
        }> = [];
        for (const a of actes) {
          const date = jourDe(a.jour);
          if (a.k === 'service_fait') {
            gardes.push({ type: 'service_fait', dateOperation: date, certifie: a.m, payeCp: 0 });
            continue;
          }
          const refus = depassementPaiementADate(gardes, date, a.m);
          const candidat = [...gardes, { type: 'paiement' as const, dateOperation: date, certifie: 0, payeCp: a.m }];
          let tient = true;
          for (let i = 0; i < 365; i++) {
            const d = jourDe(i);
            const solde = candidat.filter((m) => m.dateOperation <= d).reduce((s, m) => s + m.certifie - m.payeCp, 0);
            if (solde < 0) tient = false;
          }
          expect(refus === null).toBe(tient);
          if (refus === null) gardes.push(candidat.at(-1)!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records nothing imputed on or dated in a year after its closing, whatever date is typed', () => {
    const pas = fc.oneof(
      fc.record({ k: fc.constant('cloture' as const), annee: fc.constantFrom(2025, 2026) }),
      fc.record({ k: fc.constant('avancer' as const), jours: fc.integer({ min: 0, max: 90 }) }),
      fc.record({
        k: fc.constant('mouvement' as const),
        annee: fc.constantFrom(2025, 2026, 2027),
        recul: fc.integer({ min: 0, max: 500 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(pas, { minLength: 1, maxLength: 40 }), (pasList) => {
        let maintenant = new Date('2026-01-05T10:00:00Z');
        const clos: ExerciceClos[] = [];
        const gardes: Array<{ annee: number; date: string; le: Date }> = [];
        for (const p of pasList) {
          if (p.k === 'avancer') maintenant = new Date(maintenant.getTime() + p.jours * 86_400_000);
          else if (p.k === 'cloture') {
            if (!clos.some((x) => x.annee === p.annee)) clos.push({ annee: p.annee, closLe: maintenant.toISOString() });
          } else {
            const date = addDays(maintenant.toISOString().slice(0, 10), -p.recul);
            try {
              verifierExerciceOuvert(clos, { annee: p.annee, dateEffet: date, enregistreLe: maintenant });
              gardes.push({ annee: p.annee, date, le: maintenant });
            } catch (e) {
              expect(e).toMatchObject({ code: 'EXERCICE_CLOS' });
            }
          }
          for (const g of gardes)
            for (const x of clos)
              if (g.le.getTime() > new Date(x.closLe).getTime())
                expect(g.annee !== x.annee && yearOf(g.date) !== x.annee).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
