import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { addDays, yearOf } from '../../src/domain/dates.js';
import { DomainError } from '../../src/domain/errors.js';
import type { Storage } from '../../src/storage/database.js';
import { creerConvention } from '../../src/usecases/convention.js';
import {
  deciderDisponibilite,
  libererTranche,
  reporterCredits,
  restituerCredits,
} from '../../src/usecases/credit-decision.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  enregistrerPaiement,
  solderEngagement,
} from '../../src/usecases/engagement.js';
import type { Contexte } from '../../src/usecases/contexte.js';
import { demo } from '../support/demo.js';
import { freshStorage } from '../support/db.js';

/**
 * Random sequences of dated operations through the use cases, on PGlite: orders, certified work,
 * payments, closings, cancellations, a tranche release, decisions, carry-over and returns, with effect
 * dates drawn around the signature, the cut-offs and the end, and the clock moving on. Any refusal is a
 * domain error (never a crash); after every step the invariants are recomputed from the stored movements
 * alone, date by date.
 */
const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const gestionnaire = ACTEURS_DEMO.find((a) => a.role === 'gestionnaire')!;

const SIGNATURE = '2026-03-02';
const FIN = '2027-06-30';
const MAXIMUM = 15_000_000;
const ANCRES = [
  '2026-03-01',
  SIGNATURE,
  '2026-06-15',
  '2026-09-01',
  '2026-11-30',
  '2026-12-01',
  '2026-12-12',
  '2026-12-13',
  '2026-12-31',
  '2027-01-01',
  '2027-01-31',
  '2027-02-01',
  '2027-03-15',
  FIN,
  '2027-07-01',
];
/** An effect date: one of the anchors, or some days before the clock's day. */
const date = fc.oneof(
  fc.constantFrom(...ANCRES).map((d) => ({ ancre: d })),
  fc.integer({ min: 0, max: 3 }).map((recul) => ({ recul })),
  fc.integer({ min: 0, max: 120 }).map((recul) => ({ recul })),
);
const montant = fc.integer({ min: 1, max: 40_000 }).map((e) => e * 100);
const ordre = fc.nat(20);
const op = fc.oneof(
  fc.record({ k: fc.constant('avancer' as const), jours: fc.integer({ min: 1, max: 45 }) }),
  { arbitrary: fc.record({ k: fc.constant('commande' as const), date, montant }), weight: 5 },
  {
    arbitrary: fc.record({
      k: fc.constant('service_fait' as const),
      ordre,
      date,
      pct: fc.integer({ min: 1, max: 100 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ k: fc.constant('paiement' as const), ordre, date, montant }), weight: 3 },
  fc.record({ k: fc.constant('solde' as const), ordre }),
  fc.record({ k: fc.constant('annulation' as const), ordre }),
  fc.record({ k: fc.constant('tranche' as const), date }),
  fc.record({
    k: fc.constant('decision' as const),
    annee: fc.constantFrom(2026, 2027),
    ae: montant,
    cp: montant,
    date,
  }),
  fc.record({ k: fc.constant('report' as const), ae: montant, cp: montant, date }),
  fc.record({
    k: fc.constant('restitution' as const),
    annee: fc.constantFrom(2026, 2027),
    ae: montant,
    cp: montant,
    date,
  }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

interface Ligne {
  annee: number;
  type: string;
  engagement_id: string | null;
  date_operation: string;
  ouvert_ae: number;
  ouvert_cp: number;
  engage_ae: number;
  certifie: number;
  paye_cp: number;
}

/** The invariants, recomputed from the movements alone. */
function verifierInvariants(lignes: Ligne[]): void {
  const dates = [...new Set(lignes.map((l) => l.date_operation))].sort();
  for (const annee of new Set(lignes.map((l) => l.annee))) {
    const an = lignes.filter((l) => l.annee === annee);
    for (const d of dates) {
      const avant = an.filter((l) => l.date_operation <= d);
      const s = (k: keyof Ligne) => avant.reduce((t, l) => t + (l[k] as number), 0);
      expect(s('engage_ae'), `AE engagées ${annee} au ${d}`).toBeLessThanOrEqual(s('ouvert_ae'));
      expect(s('paye_cp'), `CP payés ${annee} au ${d}`).toBeLessThanOrEqual(s('ouvert_cp'));
    }
  }
  for (const e of new Set(lignes.flatMap((l) => (l.engagement_id ? [l.engagement_id] : [])))) {
    const siennes = lignes.filter((l) => l.engagement_id === e);
    for (const d of dates) {
      const avant = siennes.filter((l) => l.date_operation <= d);
      const s = (k: keyof Ligne) => avant.reduce((t, l) => t + (l[k] as number), 0);
      expect(s('certifie'), `certifié ≤ engagé au ${d}`).toBeLessThanOrEqual(s('engage_ae'));
      expect(s('paye_cp'), `payé ≤ certifié au ${d}`).toBeLessThanOrEqual(s('certifie'));
    }
  }
  const misADisposition = (k: 'ouvert_ae' | 'ouvert_cp') =>
    lignes.filter((l) => l.type !== 'restitution').reduce((t, l) => t + l[k], 0);
  expect(misADisposition('ouvert_ae')).toBeLessThanOrEqual(MAXIMUM);
  expect(misADisposition('ouvert_cp')).toBeLessThanOrEqual(MAXIMUM);
}

describe('the dated ledger through the use cases, by properties (PGlite)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await freshStorage('pglite');
  });
  afterAll(async () => storage?.close());

  it('keeps every invariant on every date, whatever the sequence of dated operations', async () => {
    let rang = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.array(op, { minLength: 5, maxLength: 30 }),
        async (depart, ops) => {
          // the clock starts anywhere from just after the signature to after the end
          let maintenant = new Date(Date.parse('2026-03-05T10:00:00Z') + depart * 86_400_000);
          const ctx: Contexte = { db: storage.db, now: () => new Date(maintenant.getTime()) };
          const { convention } = await creerConvention(ctx, admin, {
            ...demo().classe,
            reference: `GL-PROP-${++rang}`,
            dateSignature: SIGNATURE,
            dateFin: FIN,
            dureeMois: null,
            echeancier: [
              { annee: 2026, aeCentimes: 10_000_000, cpCentimes: 8_000_000 },
              { annee: 2027, aeCentimes: 5_000_000, cpCentimes: 7_000_000 },
            ],
            totalAeCentimes: MAXIMUM,
            tranches: [
              { partPct: 60, condition: null },
              { partPct: 40, condition: 'Bilan de mi-parcours' },
            ],
          });
          const id = convention.id;
          const ordres: string[] = [];
          const jour = (d: { ancre: string } | { recul: number }) =>
            'ancre' in d ? d.ancre : addDays(maintenant.toISOString().slice(0, 10), -d.recul);
          const choisi = (i: number) => ordres[i % Math.max(ordres.length, 1)];
          const executer = async (o: Op): Promise<void> => {
            switch (o.k) {
              case 'avancer':
                maintenant = new Date(
                  Math.min(maintenant.getTime() + o.jours * 86_400_000, Date.parse('2027-08-30T10:00:00Z')),
                );
                return;
              case 'commande': {
                const d = jour(o.date);
                const r = await creerEngagement(ctx, gestionnaire, id, {
                  numero: null,
                  annee: yearOf(d),
                  dateEngagement: d,
                  dateFinPrestation: null,
                  titulaire: 'Octo',
                  marche: null,
                  devis: null,
                  objet: 'Sprint',
                  produit: null,
                  montantCentimes: o.montant,
                  baseMontant: null,
                });
                ordres.push(r.valeur.id);
                return;
              }
              case 'service_fait':
                if (choisi(o.ordre))
                  await constaterServiceFait(
                    ctx,
                    gestionnaire,
                    id,
                    choisi(o.ordre)!,
                    { pourcentage: o.pct },
                    { date: jour(o.date) },
                  );
                return;
              case 'paiement':
                if (choisi(o.ordre))
                  await enregistrerPaiement(ctx, gestionnaire, id, choisi(o.ordre)!, {
                    montantCentimes: o.montant,
                    date: jour(o.date),
                    reference: 'F',
                  });
                return;
              case 'solde':
                if (choisi(o.ordre)) await solderEngagement(ctx, gestionnaire, id, choisi(o.ordre)!, null);
                return;
              case 'annulation':
                if (choisi(o.ordre)) await annulerEngagement(ctx, gestionnaire, id, choisi(o.ordre)!);
                return;
              case 'tranche':
                await libererTranche(ctx, gestionnaire, id, 2, { date: jour(o.date), motif: 'Bilan', decideur: null });
                return;
              case 'decision':
                await deciderDisponibilite(ctx, admin, id, {
                  annee: o.annee,
                  aeCentimes: o.ae,
                  cpCentimes: o.cp,
                  date: jour(o.date),
                  motif: 'Notification',
                });
                return;
              case 'report':
                await reporterCredits(ctx, gestionnaire, id, {
                  annee: 2026,
                  aeCentimes: o.ae,
                  cpCentimes: o.cp,
                  motif: 'Accord',
                  date: jour(o.date),
                });
                return;
              case 'restitution':
                await restituerCredits(ctx, gestionnaire, id, {
                  annee: o.annee,
                  aeCentimes: o.ae,
                  cpCentimes: o.cp,
                  motif: 'Remontée',
                  date: jour(o.date),
                });
                return;
            }
          };
          for (const o of ops) {
            try {
              await executer(o);
            } catch (e) {
              // a refusal by a rule, never a crash
              if (!(e instanceof DomainError)) throw e;
            }
            const lignes = (await storage.db
              .selectFrom('mouvement')
              .select([
                'annee',
                'type',
                'engagement_id',
                'date_operation',
                'ouvert_ae',
                'ouvert_cp',
                'engage_ae',
                'certifie',
                'paye_cp',
              ])
              .where('convention_id', '=', id)
              .execute()) as Ligne[];
            verifierInvariants(lignes);
          }
        },
      ),
      { numRuns: 10 },
    );
  }, 240_000);
});
