import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import type { ConventionSaisie, RoleDinum } from '../../src/domain/convention.js';
import { DomainError } from '../../src/domain/errors.js';
import type { GroupePortefeuille, SommePortefeuille } from '../../src/domain/portefeuille.js';
import type { Storage } from '../../src/storage/database.js';
import { creerConvention, lireConvention, modifierConvention } from '../../src/usecases/convention.js';
import { lirePortefeuilleCredits } from '../../src/usecases/credit.js';
import { deciderDisponibilite, reporterCredits, restituerCredits } from '../../src/usecases/credit-decision.js';
import { constaterServiceFait, creerEngagement, enregistrerPaiement } from '../../src/usecases/engagement.js';
import type { Contexte } from '../../src/usecases/contexte.js';
import { demo } from '../support/demo.js';
import { DATABASES, freshStorage } from '../support/db.js';

/**
 * The portfolio over the whole programme reads summary rows kept by triggers; after any sequence of
 * operations through the use cases (orders, certified work, payments, decisions, carry-overs, returns, a
 * partner renamed, a role or a promotion changed, a convention deleted), its totals, subtotals and the order
 * of its lines equal what one aggregate over the credits rows gives, and each credits row equals the sum of
 * its movements.
 */
const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const gestionnaire = ACTEURS_DEMO.find((a) => a.role === 'gestionnaire')!;

const PARTENAIRES = ['Ministère de la Justice', 'Ministère des Armées', 'Caisse nationale'];
const PROMOTIONS = [null, 'FAST 1', 'FAST 2'];
const ROLES: RoleDinum[] = ['delegant', 'delegataire'];
const GROUPES: GroupePortefeuille[] = ['partenaire', 'annee', 'role_dinum', 'promotion_fast'];

const montant = fc.integer({ min: 1, max: 20_000 }).map((e) => e * 100);
const cible = fc.nat(7);
const op = fc.oneof(
  {
    arbitrary: fc.record({
      k: fc.constant('creation' as const),
      partenaire: fc.nat(PARTENAIRES.length - 1),
      role: fc.nat(ROLES.length - 1),
      promotion: fc.nat(PROMOTIONS.length - 1),
      deuxAns: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ k: fc.constant('commande' as const), cible, montant, an: fc.boolean() }), weight: 5 },
  {
    arbitrary: fc.record({
      k: fc.constant('service_fait' as const),
      cible,
      pct: fc.integer({ min: 1, max: 100 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ k: fc.constant('paiement' as const), cible, montant }), weight: 3 },
  fc.record({ k: fc.constant('decision' as const), cible, ae: montant, cp: montant }),
  fc.record({ k: fc.constant('report' as const), cible, ae: montant, cp: montant }),
  fc.record({ k: fc.constant('restitution' as const), cible, ae: montant, cp: montant }),
  fc.record({
    k: fc.constant('modification' as const),
    cible,
    partenaire: fc.nat(PARTENAIRES.length - 1),
    role: fc.nat(ROLES.length - 1),
    promotion: fc.nat(PROMOTIONS.length - 1),
  }),
  fc.record({ k: fc.constant('suppression' as const), cible }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const filtre = fc.record({
  annee: fc.constantFrom(undefined, 2026, 2027, 2030),
  partenaire: fc.constantFrom(undefined, 'justice', 'MINISTÈRE', 'aucun'),
  roleDinum: fc.constantFrom(undefined, ...ROLES),
  promotionFast: fc.constantFrom(undefined, 'FAST 1', 'FAST 2'),
});

interface Somme {
  cle: string | null;
  n: number;
  ouvertAe: number;
  engageAe: number;
  certifie: number;
  ouvertCp: number;
  payeCp: number;
}

describe.each(DATABASES)('the maintained portfolio summary equals the credits it sums (%s)', (kind) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await freshStorage(kind);
  });
  afterAll(async () => storage?.close());

  /** The portfolio recomputed by one aggregate over the credits rows and the conventions as they stand. */
  async function attendu(
    f: { annee?: number; partenaire?: string; roleDinum?: RoleDinum; promotionFast?: string },
    groupe: GroupePortefeuille,
  ) {
    const partenaire = sql`CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END`;
    const conditions = [sql`true`];
    if (f.annee !== undefined) conditions.push(sql`ca.annee = ${f.annee}`);
    if (f.partenaire) conditions.push(sql`${partenaire} ILIKE ${'%' + f.partenaire + '%'}`);
    if (f.roleDinum) conditions.push(sql`c.role_dinum = ${f.roleDinum}`);
    if (f.promotionFast) conditions.push(sql`c.promotion_fast = ${f.promotionFast}`);
    const ou = sql.join(conditions, sql` AND `);
    const cle =
      groupe === 'annee'
        ? sql`ca.annee::text`
        : groupe === 'role_dinum'
          ? sql`c.role_dinum`
          : groupe === 'promotion_fast'
            ? sql`c.promotion_fast`
            : partenaire;
    const sommes = sql`count(DISTINCT c.id)::int AS n, coalesce(sum(ca.ouvert_ae), 0)::bigint AS "ouvertAe",
      coalesce(sum(ca.engage_ae), 0)::bigint AS "engageAe", coalesce(sum(ca.certifie), 0)::bigint AS certifie,
      coalesce(sum(ca.ouvert_cp), 0)::bigint AS "ouvertCp", coalesce(sum(ca.paye_cp), 0)::bigint AS "payeCp"`;
    const de = sql`FROM credit_annuel ca JOIN convention c ON c.id = ca.convention_id WHERE ${ou}`;
    const total = (await sql<Somme>`SELECT NULL AS cle, ${sommes} ${de}`.execute(storage.db)).rows[0]!;
    const groupes = (
      await sql<Somme>`SELECT ${cle} AS cle, ${sommes} ${de} GROUP BY 1 ORDER BY 1 NULLS LAST`.execute(storage.db)
    ).rows;
    const ordre = (
      await sql<{ id: string }>`SELECT c.id ${de} GROUP BY c.id
        ORDER BY sum(ca.ouvert_ae) - sum(ca.engage_ae) DESC, c.id`.execute(storage.db)
    ).rows.map((r) => r.id);
    return { total, groupes, ordre };
  }

  const lu = (s: SommePortefeuille): Somme => ({ ...s });

  async function verifier(ctx: Contexte, f: Parameters<typeof attendu>[0]) {
    for (const groupe of GROUPES) {
      const a = await attendu(f, groupe);
      const p = await lirePortefeuilleCredits(ctx, admin, { ...f, page: 1, taille: 1000 }, groupe);
      expect(lu(p.total), `total ${JSON.stringify(f)}`).toEqual(a.total);
      expect(p.groupes.map(lu), `sous-totaux par ${groupe} ${JSON.stringify(f)}`).toEqual(a.groupes);
      expect(
        p.items.map((l) => l.conventionId),
        `ordre des lignes ${JSON.stringify(f)}`,
      ).toEqual(a.ordre);
    }
    // each credits row is the sum of its movements
    const ecarts = await sql<{ convention_id: string; annee: number }>`
      SELECT ca.convention_id, ca.annee FROM credit_annuel ca
      LEFT JOIN (SELECT convention_id, annee, sum(ouvert_ae) AS ouvert_ae, sum(engage_ae) AS engage_ae,
          sum(certifie) AS certifie, sum(ouvert_cp) AS ouvert_cp, sum(paye_cp) AS paye_cp
        FROM mouvement GROUP BY 1, 2) m USING (convention_id, annee)
      WHERE (ca.ouvert_ae, ca.engage_ae, ca.certifie, ca.ouvert_cp, ca.paye_cp) IS DISTINCT FROM
        (coalesce(m.ouvert_ae, 0), coalesce(m.engage_ae, 0), coalesce(m.certifie, 0), coalesce(m.ouvert_cp, 0),
         coalesce(m.paye_cp, 0))`.execute(storage.db);
    expect(ecarts.rows, 'totaux annuels = somme des mouvements').toEqual([]);
  }

  it('after random operations through the use cases, whatever the filter and the grouping', async () => {
    const ctx: Contexte = { db: storage.db, now: () => new Date('2026-11-23T10:00:00Z') };
    let rang = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 4, maxLength: 25 }),
        fc.array(filtre, { minLength: 2, maxLength: 3 }),
        async (ops, filtres) => {
          await sql`DELETE FROM convention`.execute(storage.db);
          const conventions: string[] = [];
          const ordres = new Map<string, string[]>();
          const choisie = (i: number) => conventions[i % Math.max(conventions.length, 1)];
          const saisie = (
            base: ConventionSaisie,
            o: { partenaire: number; role: number; promotion: number },
          ): ConventionSaisie => {
            const role = ROLES[o.role]!;
            const partenaire = {
              ...(role === 'delegant' ? base.delegataire : base.delegant),
              nom: PARTENAIRES[o.partenaire]!,
            };
            const dinum = role === 'delegant' ? base.delegataire : base.delegant;
            return {
              ...base,
              roleDinum: role,
              delegant: role === 'delegant' ? dinum : partenaire,
              delegataire: role === 'delegant' ? partenaire : dinum,
              promotionFast: PROMOTIONS[o.promotion]!,
            };
          };
          const executer = async (o: Op): Promise<void> => {
            switch (o.k) {
              case 'creation': {
                const { convention } = await creerConvention(
                  ctx,
                  admin,
                  saisie(
                    {
                      ...demo().classe,
                      reference: `PF-PROP-${++rang}`,
                      dateSignature: '2026-02-02',
                      dateFin: '2027-12-31',
                      dureeMois: null,
                      echeancier: [
                        { annee: 2026, aeCentimes: 4_000_000, cpCentimes: 3_000_000 },
                        ...(o.deuxAns ? [{ annee: 2027, aeCentimes: 2_000_000, cpCentimes: 2_500_000 }] : []),
                      ],
                      totalAeCentimes: 9_000_000,
                      tranches: [],
                    },
                    o,
                  ),
                );
                conventions.push(convention.id);
                return;
              }
              case 'commande': {
                const id = choisie(o.cible);
                if (!id) return;
                const r = await creerEngagement(ctx, gestionnaire, id, {
                  numero: null,
                  annee: 2026,
                  dateEngagement: '2026-11-02',
                  dateFinPrestation: null,
                  titulaire: 'Octo',
                  marche: null,
                  devis: null,
                  objet: 'Sprint',
                  produit: null,
                  montantCentimes: o.montant,
                  baseMontant: null,
                });
                ordres.set(id, [...(ordres.get(id) ?? []), r.valeur.id]);
                return;
              }
              case 'service_fait': {
                const id = choisie(o.cible);
                const e = id && ordres.get(id)?.at(-1);
                if (e)
                  await constaterServiceFait(ctx, gestionnaire, id, e, { pourcentage: o.pct }, { date: '2026-11-10' });
                return;
              }
              case 'paiement': {
                const id = choisie(o.cible);
                const e = id && ordres.get(id)?.at(0);
                if (e)
                  await enregistrerPaiement(ctx, gestionnaire, id, e, {
                    montantCentimes: o.montant,
                    date: '2026-11-20',
                    reference: 'F',
                  });
                return;
              }
              case 'decision': {
                const id = choisie(o.cible);
                if (id)
                  await deciderDisponibilite(ctx, admin, id, {
                    annee: 2026,
                    aeCentimes: o.ae,
                    cpCentimes: o.cp,
                    date: '2026-06-01',
                    motif: 'Notification',
                  });
                return;
              }
              case 'report': {
                const id = choisie(o.cible);
                if (id)
                  await reporterCredits(ctx, gestionnaire, id, {
                    annee: 2026,
                    aeCentimes: o.ae,
                    cpCentimes: o.cp,
                    motif: 'Accord',
                    date: '2026-11-15',
                  });
                return;
              }
              case 'restitution': {
                const id = choisie(o.cible);
                if (id)
                  await restituerCredits(ctx, gestionnaire, id, {
                    annee: 2026,
                    aeCentimes: o.ae,
                    cpCentimes: o.cp,
                    motif: 'Remontée',
                    date: '2026-11-15',
                  });
                return;
              }
              case 'modification': {
                const id = choisie(o.cible);
                if (!id) return;
                const c = await lireConvention(ctx, admin, id);
                await modifierConvention(ctx, admin, id, saisie(c, o), c.version);
                return;
              }
              case 'suppression': {
                const id = choisie(o.cible);
                if (!id) return;
                await sql`DELETE FROM convention WHERE id = ${id}`.execute(storage.db);
                conventions.splice(conventions.indexOf(id), 1);
                return;
              }
            }
          };
          for (const o of ops) {
            try {
              await executer(o);
            } catch (e) {
              // a refusal by a rule, never a crash
              if (!(e instanceof DomainError)) throw e;
            }
          }
          for (const f of filtres) await verifier(ctx, f);
        },
      ),
      { numRuns: kind === 'pglite' ? 15 : 10 },
    );
  }, 300_000);
});
