import { sql, type RawBuilder } from 'kysely';
import type { Perimetre } from '../domain/acces.js';
import type {
  FiltrePortefeuille,
  GroupePortefeuille,
  LignePortefeuille,
  Portefeuille,
  SommePortefeuille,
} from '../domain/portefeuille.js';
import type { DateIso } from '../domain/dates.js';
import { filtrePerimetre, motifContient, PARTENAIRE, statutEffectifSql } from './convention.js';
import type { Executor } from './database.js';

/** The five sums of the credits rows (or of the summary rows) under one alias. */
const sommes = (alias: 'ca' | 's') =>
  (['ouvert_ae', 'engage_ae', 'certifie', 'ouvert_cp', 'paye_cp'] as const).map((col) =>
    sql<number>`coalesce(sum(${sql.ref(`${alias}.${col}`)}), 0)::bigint`.as(col),
  );

const SOMMES = sommes('ca');

/** The subtotals' key: the year as text, the partner, or the column of the chosen dimension. */
const cleGroupe = (groupe: GroupePortefeuille, credits: string, convention: string, partenaire: RawBuilder<string>) =>
  groupe === 'annee'
    ? sql<string | null>`${sql.ref(`${credits}.annee`)}::text`
    : groupe === 'partenaire'
      ? sql<string | null>`${partenaire}`
      : sql<string | null>`${sql.ref(`${convention}.${groupe}`)}`;

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

type LigneLue = {
  id: string;
  reference: string | null;
  produits: string[];
  partenaire: string;
  role_dinum: LignePortefeuille['roleDinum'];
  promotion_fast: string | null;
  fin_effective: string | null;
  statut: LignePortefeuille['statut'];
  ouvert_ae: number;
  engage_ae: number;
  certifie: number;
  ouvert_cp: number;
  paye_cp: number;
};

const ligne = (r: LigneLue): LignePortefeuille => ({
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
});

const COLONNES_LIGNE = (aujourdHui: DateIso) =>
  [
    'c.id',
    'c.reference',
    'c.produits',
    PARTENAIRE.as('partenaire'),
    'c.role_dinum',
    'c.promotion_fast',
    'c.fin_effective',
    statutEffectifSql(aujourdHui).as('statut'),
  ] as const;

/**
 * The portfolio: one line per convention (its years summed, or the chosen year), a page of them, the grand
 * total and subtotals by one dimension. Reads the totals rows only, never the movements; over the whole
 * portfolio it reads the summary rows the credits triggers keep (020), so its cost follows the page, not the
 * number of conventions.
 */
export async function lirePortefeuille(
  ex: Executor,
  f: FiltrePortefeuille,
  scope: Perimetre,
  groupe: GroupePortefeuille,
  aujourdHui: DateIso,
): Promise<Portefeuille> {
  if (scope.tout) return lireSommes(ex, f, groupe, aujourdHui);
  let base = ex
    .selectFrom('convention as c')
    .innerJoin('credit_annuel as ca', 'ca.convention_id', 'c.id')
    .where(filtrePerimetre(scope, 'c'));
  if (f.annee !== undefined) base = base.where('ca.annee', '=', f.annee);
  if (f.partenaire) base = base.where(sql<boolean>`${PARTENAIRE} ILIKE ${motifContient(f.partenaire.trim())}`);
  if (f.roleDinum) base = base.where('c.role_dinum', '=', f.roleDinum);
  if (f.promotionFast) base = base.where('c.promotion_fast', '=', f.promotionFast);
  const cle = cleGroupe(groupe, 'ca', 'c', PARTENAIRE);
  const [items, total, groupes] = await Promise.all([
    base
      .select([...COLONNES_LIGNE(aujourdHui), ...SOMMES])
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
    items: items.map(ligne),
    total: somme(total, null),
    groupes: groupes.map((r) => somme(r, r.cle)),
  };
}

const SOMMES_RESUME = [sql<number>`coalesce(sum(s.n), 0)::bigint`.as('n'), ...sommes('s')];

/** The whole portfolio from its summary rows: the same figures as the aggregate, without reading every convention. */
async function lireSommes(
  ex: Executor,
  f: FiltrePortefeuille,
  groupe: GroupePortefeuille,
  aujourdHui: DateIso,
): Promise<Portefeuille> {
  const partenaire = f.partenaire?.trim() ? motifContient(f.partenaire.trim()) : null;
  let resume = ex.selectFrom('portefeuille_somme as s');
  if (partenaire) resume = resume.where(sql<boolean>`s.partenaire ILIKE ${partenaire}`);
  if (f.roleDinum) resume = resume.where('s.role_dinum', '=', f.roleDinum);
  if (f.promotionFast) resume = resume.where('s.promotion_fast', '=', f.promotionFast);
  const annee = f.annee ?? 0;
  // subtotals by year without a chosen year read the years' rows; any other, the chosen year's (0: all years)
  const resumeGroupes =
    groupe === 'annee' && f.annee === undefined ? resume.where('s.annee', '>', 0) : resume.where('s.annee', '=', annee);
  const cle = cleGroupe(groupe, 's', 's', sql<string>`s.partenaire`);

  let lignes =
    f.annee === undefined
      ? ex.selectFrom('credit_convention as l').innerJoin('convention as c', 'c.id', 'l.convention_id')
      : ex
          .selectFrom('credit_annuel as l')
          .innerJoin('convention as c', 'c.id', 'l.convention_id')
          .where('l.annee', '=', f.annee);
  if (partenaire) lignes = lignes.where(sql<boolean>`${PARTENAIRE} ILIKE ${partenaire}`);
  if (f.roleDinum) lignes = lignes.where('c.role_dinum', '=', f.roleDinum);
  if (f.promotionFast) lignes = lignes.where('c.promotion_fast', '=', f.promotionFast);

  const [items, total, groupes] = await Promise.all([
    lignes
      .select([...COLONNES_LIGNE(aujourdHui), 'l.ouvert_ae', 'l.engage_ae', 'l.certifie', 'l.ouvert_cp', 'l.paye_cp'])
      .orderBy(sql`l.ouvert_ae - l.engage_ae`, 'desc')
      .orderBy('l.convention_id')
      .limit(f.taille)
      .offset((f.page - 1) * f.taille)
      .execute(),
    resume.where('s.annee', '=', annee).select(SOMMES_RESUME).executeTakeFirstOrThrow(),
    resumeGroupes
      .select([cle.as('cle'), ...SOMMES_RESUME])
      .groupBy(sql`1`)
      .having(sql<boolean>`sum(s.n) > 0`)
      .orderBy(sql`1 NULLS LAST`)
      .execute(),
  ]);
  return {
    items: items.map((r) => ligne(r as LigneLue)),
    total: somme(total, null),
    groupes: groupes.map((r) => somme(r, r.cle)),
  };
}
