import { sql } from 'kysely';
import type { Perimetre } from '../domain/acces.js';
import type {
  FiltrePortefeuille,
  GroupePortefeuille,
  Portefeuille,
  SommePortefeuille,
} from '../domain/portefeuille.js';
import type { DateIso } from '../domain/dates.js';
import { filtrePerimetre, motifContient, PARTENAIRE, statutEffectifSql } from './convention.js';
import type { Executor } from './database.js';

const SOMMES = [
  sql<number>`coalesce(sum(ca.ouvert_ae), 0)::bigint`.as('ouvert_ae'),
  sql<number>`coalesce(sum(ca.engage_ae), 0)::bigint`.as('engage_ae'),
  sql<number>`coalesce(sum(ca.certifie), 0)::bigint`.as('certifie'),
  sql<number>`coalesce(sum(ca.ouvert_cp), 0)::bigint`.as('ouvert_cp'),
  sql<number>`coalesce(sum(ca.paye_cp), 0)::bigint`.as('paye_cp'),
] as const;

const somme = (
  r: { n: number; ouvert_ae: number; engage_ae: number; certifie: number; ouvert_cp: number; paye_cp: number },
  cle: string | null,
): SommePortefeuille => ({
  cle,
  n: r.n,
  ouvertAe: r.ouvert_ae,
  engageAe: r.engage_ae,
  certifie: r.certifie,
  ouvertCp: r.ouvert_cp,
  payeCp: r.paye_cp,
});

/**
 * The portfolio: one line per convention (its years summed, or the chosen year), a page of them, the grand
 * total and subtotals by one dimension. Reads the totals rows only, never the movements.
 */
export async function lirePortefeuille(
  ex: Executor,
  f: FiltrePortefeuille,
  scope: Perimetre,
  groupe: GroupePortefeuille,
  aujourdHui: DateIso,
): Promise<Portefeuille> {
  let base = ex
    .selectFrom('convention as c')
    .innerJoin('credit_annuel as ca', 'ca.convention_id', 'c.id')
    .where(filtrePerimetre(scope, 'c'));
  if (f.annee !== undefined) base = base.where('ca.annee', '=', f.annee);
  if (f.partenaire) base = base.where(sql<boolean>`${PARTENAIRE} ILIKE ${motifContient(f.partenaire.trim())}`);
  if (f.roleDinum) base = base.where('c.role_dinum', '=', f.roleDinum);
  if (f.promotionFast) base = base.where('c.promotion_fast', '=', f.promotionFast);
  const cle =
    groupe === 'annee'
      ? sql<string | null>`ca.annee::text`
      : groupe === 'role_dinum'
        ? sql<string | null>`c.role_dinum`
        : groupe === 'promotion_fast'
          ? sql<string | null>`c.promotion_fast`
          : sql<string | null>`${PARTENAIRE}`;
  const [items, total, groupes] = await Promise.all([
    base
      .select([
        'c.id',
        'c.reference',
        'c.produits',
        PARTENAIRE.as('partenaire'),
        'c.role_dinum',
        'c.promotion_fast',
        'c.fin_effective',
        statutEffectifSql(aujourdHui).as('statut'),
        ...SOMMES,
      ])
      .groupBy('c.id')
      .orderBy(sql`sum(ca.ouvert_ae) - sum(ca.engage_ae)`, 'desc')
      .orderBy('c.id')
      .limit(f.taille)
      .offset((f.page - 1) * f.taille)
      .execute(),
    base.select([sql<number>`count(DISTINCT c.id)::bigint`.as('n'), ...SOMMES]).executeTakeFirstOrThrow(),
    base
      .select([cle.as('cle'), sql<number>`count(DISTINCT c.id)::bigint`.as('n'), ...SOMMES])
      .groupBy(sql`1`)
      .orderBy(sql`1 NULLS LAST`)
      .execute(),
  ]);
  return {
    items: items.map((r) => ({
      conventionId: r.id,
      reference: r.reference,
      produits: r.produits,
      partenaire: r.partenaire,
      roleDinum: r.role_dinum,
      promotionFast: r.promotion_fast,
      statut: r.statut,
      finEffective: r.fin_effective,
      ouvertAe: r.ouvert_ae,
      engageAe: r.engage_ae,
      certifie: r.certifie,
      ouvertCp: r.ouvert_cp,
      payeCp: r.paye_cp,
    })),
    total: somme(total, null),
    groupes: groupes.map((r) => somme(r, r.cle)),
  };
}
