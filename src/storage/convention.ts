import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import { nomProduitNormalise, type Perimetre, type PorteeConvention } from '../domain/acces.js';
import {
  finEffective,
  totalEcheancier,
  type Convention,
  type ConventionSaisie,
  STATUTS_NON_SIGNES,
  type StatutEffectif,
} from '../domain/convention.js';
import {
  normaliserRecherche,
  texteRecherche,
  type CleTri,
  type FiltreConventions,
  type PageConventions,
} from '../domain/convention-liste.js';
import type { DateIso } from '../domain/dates.js';
import { estUuid, type Executor, type Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { ConventionTable, Database } from './schema.js';

/** pg turns JS arrays into PostgreSQL arrays: jsonb values are always sent as JSON text. */
const json = (v: unknown) => JSON.stringify(v);

/**
 * The one SQL form of who may read which convention, from the scope the domain derives
 * (`perimetre`), with the rule of `peutLireConvention`: a party by its SIRET, a product team by the
 * products funded (compared by `nomProduitNormalise`), the public only what is published and no longer a draft or
 * under review. `alias` names the convention table in the query.
 */
export function filtrePerimetre(p: Perimetre, alias: string): Expression<SqlBool> {
  if (p.tout) return sql<boolean>`true`;
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const ors: Expression<SqlBool>[] = [];
  if (p.siret)
    ors.push(
      sql<boolean>`${col('delegant_siret')} = ${p.siret}`,
      sql<boolean>`${col('delegataire_siret')} = ${p.siret}`,
    );
  if (p.produits.length > 0) {
    // compared on the copy normalised at write time: SQL's lower() depends on the locale, and has no accents rule
    ors.push(
      sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements_text(${col('produits_normalises')}) AS produit WHERE produit IN (${sql.join(p.produits)}))`,
    );
  }
  if (p.publiees)
    ors.push(sql<boolean>`(${col('publiee')} AND ${col('statut')} NOT IN (${sql.join([...STATUTS_NON_SIGNES])}))`);
  return ors.length ? sql<boolean>`(${sql.join(ors, sql` OR `)})` : sql<boolean>`false`;
}

function colonnes(c: ConventionSaisie) {
  const totals = totalEcheancier(c.echeancier);
  return {
    reference: c.reference,
    nature: c.nature,
    statut: c.statut,
    role_dinum: c.roleDinum,
    delegant: json(c.delegant),
    delegataire: json(c.delegataire),
    delegant_nom: c.delegant.nom,
    delegataire_nom: c.delegataire.nom,
    delegant_siret: c.delegant.siret,
    delegataire_siret: c.delegataire.siret,
    produits: json(c.produits),
    produits_texte: c.produits.join(' · '),
    produits_normalises: json(c.produits.map(nomProduitNormalise)),
    recherche: texteRecherche(c),
    objet_verbe: c.objetVerbe,
    objet: c.objet,
    phase: c.phase,
    base_juridique: c.baseJuridique,
    preambule: c.preambule,
    uo: c.uo,
    programme_bop: c.programmeBop,
    imputation: json(c.imputation),
    comptable_assignataire: c.comptableAssignataire,
    base_montants: c.baseMontants,
    total_ae_centimes: c.totalAeCentimes,
    cofinancement_fast_centimes: c.cofinancementFastCentimes,
    promotion_fast: c.promotionFast,
    date_signature: c.dateSignature,
    date_fin: c.dateFin,
    duree_mois: c.dureeMois,
    fin_effective: finEffective(c),
    preavis_mois: c.preavisMois,
    comite: json(c.comite),
    obligations: json(c.obligations),
    rgpd: json(c.rgpd),
    destinataires_copie: c.destinatairesCopie,
    publication: c.publication,
    publiee: c.publiee,
    echeancier_ae_centimes: totals.ae,
    echeancier_cp_centimes: totals.cp,
  };
}

async function ecrireEnfants(trx: Trx, id: string, c: ConventionSaisie): Promise<void> {
  await trx.deleteFrom('echeancier').where('convention_id', '=', id).execute();
  await trx.deleteFrom('tranche').where('convention_id', '=', id).execute();
  if (c.echeancier.length > 0) {
    await trx
      .insertInto('echeancier')
      .values(
        c.echeancier.map((l) => ({
          convention_id: id,
          annee: l.annee,
          ae_centimes: l.aeCentimes,
          cp_centimes: l.cpCentimes,
        })),
      )
      .execute();
  }
  if (c.tranches.length > 0) {
    await trx
      .insertInto('tranche')
      .values(
        c.tranches.map((t, i) => ({ convention_id: id, rang: i + 1, part_pct: t.partPct, condition: t.condition })),
      )
      .execute();
  }
}

export async function insererConvention(e: Ecriture, id: string, c: ConventionSaisie): Promise<void> {
  await e.trx
    .insertInto('convention')
    .values({ id, ...colonnes(c), cree_le: e.le, modifie_le: e.le })
    .execute();
  await ecrireEnfants(e.trx, id, c);
}

/** Writes a new version; false when `version` is no longer the stored one (someone saved first). */
export async function modifierConvention(
  e: Ecriture,
  id: string,
  c: ConventionSaisie,
  version: number,
): Promise<boolean> {
  const r = await e.trx
    .updateTable('convention')
    // a notice under way still ends the convention before its term
    .set({
      ...colonnes(c),
      fin_effective: sql<string | null>`LEAST(${finEffective(c)}::date, resiliation_effet)`,
      version: version + 1,
      modifie_le: e.le,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await ecrireEnfants(e.trx, id, c);
  return true;
}

/** What access rules look at: the parties' SIRETs, the products, publication and status; one query. */
export async function lirePorteeConvention(ex: Executor, id: string): Promise<PorteeConvention | null> {
  if (!estUuid(id)) return null;
  const r = await ex.selectFrom('convention').select(COLONNES_PORTEE).where('id', '=', id).executeTakeFirst();
  return r ? porteeDepuis(r) : null;
}

const COLONNES_PORTEE = ['delegant_siret', 'delegataire_siret', 'produits', 'publiee', 'statut', 'role_dinum'] as const;
type LignePortee = Pick<Selectable<ConventionTable>, (typeof COLONNES_PORTEE)[number]>;

function porteeDepuis(r: LignePortee): PorteeConvention {
  return {
    delegant: { siret: r.delegant_siret },
    delegataire: { siret: r.delegataire_siret },
    produits: r.produits,
    publiee: r.publiee,
    statut: r.statut,
    roleDinum: r.role_dinum,
  };
}

/**
 * The access scope of a convention as a column of another read (the caller's token or session): who acts
 * and what the rule needs of the convention come in one round trip.
 */
export function porteeEnColonne(id: string | null): RawBuilder<LignePortee | null> {
  if (id === null || !estUuid(id)) return sql<null>`NULL`;
  return sql<LignePortee | null>`(SELECT json_build_object(${sql.join(
    COLONNES_PORTEE.flatMap((k) => [sql.lit(k), sql.ref(`p.${k}`)]),
  )}) FROM convention p WHERE p.id = ${id})`;
}

/** The scope read by `porteeEnColonne`. */
export function porteeDeColonne(v: LignePortee | null): PorteeConvention | null {
  return v ? porteeDepuis(v) : null;
}

export function lireConvention(ex: Executor, id: string): Promise<Convention | null> {
  return lire(ex, id, false);
}

/** The convention, its row locked until the transaction ends. */
export function verrouillerConvention(trx: Trx, id: string): Promise<Convention | null> {
  return lire(trx, id, true);
}

/** A convention's schedule, as nested rows of a read of `convention as c`. */
export function echeancierImbrique(eb: ExpressionBuilder<Database & { c: ConventionTable }, 'c'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('echeancier as e')
      .select(['e.annee', 'e.ae_centimes', 'e.cp_centimes'])
      .whereRef('e.convention_id', '=', 'c.id')
      .orderBy('e.annee'),
  );
}

/** A convention's tranches, as nested rows of a read of `convention as c`. */
export function tranchesImbriquees(eb: ExpressionBuilder<Database & { c: ConventionTable }, 'c'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('tranche as t')
      .select(['t.part_pct', 't.condition'])
      .whereRef('t.convention_id', '=', 'c.id')
      .orderBy('t.rang'),
  );
}

async function lire(ex: Executor, id: string, verrou: boolean): Promise<Convention | null> {
  if (!estUuid(id)) return null;
  // the schedule and the tranches as nested rows: one round trip
  const row = await ex
    .selectFrom('convention as c')
    .selectAll('c')
    .select((eb) => [echeancierImbrique(eb).as('lignes'), tranchesImbriquees(eb).as('tranches')])
    .where('c.id', '=', id)
    .$if(verrou, (q) => q.forUpdate('c'))
    .executeTakeFirst();
  if (!row) return null;
  const { lignes, tranches } = row;
  return {
    id: row.id,
    version: row.version,
    creeLe: row.cree_le.toISOString(),
    modifieLe: row.modifie_le.toISOString(),
    reference: row.reference,
    nature: row.nature,
    statut: row.statut,
    roleDinum: row.role_dinum,
    delegant: row.delegant,
    delegataire: row.delegataire,
    produits: row.produits,
    objetVerbe: row.objet_verbe,
    objet: row.objet,
    phase: row.phase,
    baseJuridique: row.base_juridique,
    preambule: row.preambule,
    uo: row.uo,
    programmeBop: row.programme_bop,
    imputation: row.imputation,
    comptableAssignataire: row.comptable_assignataire,
    baseMontants: row.base_montants,
    echeancier: lignes.map((l) => ({ annee: l.annee, aeCentimes: l.ae_centimes, cpCentimes: l.cp_centimes })),
    totalAeCentimes: row.total_ae_centimes,
    cofinancementFastCentimes: row.cofinancement_fast_centimes,
    promotionFast: row.promotion_fast,
    tranches: tranches.map((t) => ({ partPct: t.part_pct, condition: t.condition })),
    dateSignature: row.date_signature,
    dateFin: row.date_fin,
    dureeMois: row.duree_mois,
    resiliationEffet: row.resiliation_effet,
    preavisMois: row.preavis_mois,
    comite: row.comite,
    obligations: row.obligations,
    rgpd: row.rgpd,
    destinatairesCopie: row.destinataires_copie,
    publication: row.publication,
    publiee: row.publiee,
  };
}

/** `%…%` for ILIKE, the user's own wildcards taken literally. */
export function motifContient(s: string): string {
  return `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** The partner of a convention seen from the DINUM: the other party. */
export const PARTENAIRE = sql<string>`CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END`;

/** Ended when in force past its end: the state lists show, computed on the given day. */
export const statutEffectifSql = (aujourdHui: DateIso) =>
  sql<StatutEffectif>`CASE WHEN c.fin_effective < ${aujourdHui}::date AND c.statut = 'en_vigueur' THEN 'terminee' WHEN c.fin_effective < ${aujourdHui}::date AND c.statut = 'resiliation_notifiee' THEN 'resiliee' ELSE c.statut END`;

/** One page of the register, its count and its AE/CP totals (of the year when one is chosen). */
export async function listerConventions(
  ex: Executor,
  f: FiltreConventions,
  scope: Perimetre,
  aujourdHui: DateIso,
): Promise<PageConventions> {
  const statutEffectif = statutEffectifSql(aujourdHui);
  let q = ex.selectFrom('convention as c').where(filtrePerimetre(scope, 'c'));
  if (f.q) {
    const p = motifContient(normaliserRecherche(f.q));
    q = q.where(sql<boolean>`c.recherche LIKE ${p}`);
  }
  if (f.partenaire) {
    // the partner's own line of the search text (2: délégant, 3: délégataire), so accents and case do not matter
    const ligne = sql`split_part(c.recherche, ${'\n'}, CASE WHEN c.role_dinum = 'delegant' THEN 3 ELSE 2 END)`;
    q = q.where(sql<boolean>`${ligne} LIKE ${motifContient(normaliserRecherche(f.partenaire))}`);
  }
  if (f.roleDinum) q = q.where('c.role_dinum', '=', f.roleDinum);
  if (f.phase) q = q.where('c.phase', '=', f.phase);
  if (f.statut) q = q.where(sql<boolean>`${statutEffectif} = ${f.statut}`);
  if (f.annee !== undefined) {
    const annee = f.annee;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('echeancier as e')
          .select(sql`1`.as('x'))
          .whereRef('e.convention_id', '=', 'c.id')
          .where('e.annee', '=', annee),
      ),
    );
  }

  const aeExpr =
    f.annee !== undefined
      ? sql<number>`(SELECT coalesce(e.ae_centimes, 0) FROM echeancier e WHERE e.convention_id = c.id AND e.annee = ${f.annee})`
      : sql<number>`c.echeancier_ae_centimes`;
  const cpExpr =
    f.annee !== undefined
      ? sql<number>`(SELECT coalesce(e.cp_centimes, 0) FROM echeancier e WHERE e.convention_id = c.id AND e.annee = ${f.annee})`
      : sql<number>`c.echeancier_cp_centimes`;

  // from the totals the credits' triggers keep: the page's rows only, unless sorted by them
  const engageExpr =
    f.annee !== undefined
      ? sql<number>`(SELECT ca.engage_ae FROM credit_annuel ca WHERE ca.convention_id = c.id AND ca.annee = ${f.annee})`
      : sql<number>`(SELECT cc.engage_ae FROM credit_convention cc WHERE cc.convention_id = c.id)`;
  const payeExpr =
    f.annee !== undefined
      ? sql<number>`(SELECT ca.paye_cp FROM credit_annuel ca WHERE ca.convention_id = c.id AND ca.annee = ${f.annee})`
      : sql<number>`(SELECT cc.paye_cp FROM credit_convention cc WHERE cc.convention_id = c.id)`;

  const tri = f.tri ?? '-signature';
  const desc = tri.startsWith('-');
  const key = tri.replace(/^-/, '') as CleTri;
  const dir = desc ? sql`DESC NULLS LAST` : sql`ASC NULLS LAST`;
  const ordre: Record<CleTri, RawBuilder<unknown>> = {
    service: sql`lower(c.produits_texte)`,
    partenaire: sql`lower(${PARTENAIRE})`,
    role: sql`c.role_dinum`,
    phase: sql`c.phase`,
    statut: statutEffectif,
    signature: sql`c.date_signature`,
    fin: sql`c.fin_effective`,
    montant: sql`coalesce(${aeExpr}, 0)`,
    cp: sql`coalesce(${cpExpr}, 0)`,
    engage: sql`coalesce(${engageExpr}, 0)`,
    paye: sql`coalesce(${payeExpr}, 0)`,
  };
  const orderExpr = ordre[key];

  const [rows, agg] = await Promise.all([
    q
      .select([
        'c.id',
        'c.reference',
        'c.produits',
        'c.role_dinum',
        'c.phase',
        'c.uo',
        'c.date_signature',
        'c.fin_effective',
        PARTENAIRE.as('partenaire'),
        statutEffectif.as('statut_effectif'),
        aeExpr.as('ae'),
        cpExpr.as('cp'),
        engageExpr.as('engage'),
        payeExpr.as('paye'),
      ])
      .orderBy(sql`${orderExpr} ${dir}`)
      .orderBy('c.id')
      .limit(f.taille)
      .offset((f.page - 1) * f.taille)
      .execute(),
    q
      .select([
        sql<number>`count(*)::bigint`.as('n'),
        sql<number>`coalesce(sum(${aeExpr}), 0)::bigint`.as('ae'),
        sql<number>`coalesce(sum(${cpExpr}), 0)::bigint`.as('cp'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      produits: r.produits,
      partenaire: r.partenaire,
      roleDinum: r.role_dinum,
      phase: r.phase,
      statut: r.statut_effectif,
      uo: r.uo,
      dateSignature: r.date_signature,
      finEffective: r.fin_effective,
      aeCentimes: r.ae ?? 0,
      cpCentimes: r.cp ?? 0,
      engageAeCentimes: r.engage ?? 0,
      payeCpCentimes: r.paye ?? 0,
    })),
    total: agg.n,
    totalAeCentimes: agg.ae,
    totalCpCentimes: agg.cp,
  };
}

/** Distinct partner names of the conventions in scope, for the filter's suggestions. */
export async function listerPartenaires(ex: Executor, scope: Perimetre): Promise<string[]> {
  const rows = await ex
    .selectFrom('convention as c')
    .select(sql<string>`DISTINCT ${PARTENAIRE}`.as('nom'))
    .where(filtrePerimetre(scope, 'c'))
    .execute();
  return rows.map((r) => r.nom).sort(new Intl.Collator('fr').compare);
}

/** Whether the register holds any convention (the demonstration data fill an empty one only). */
export async function existeConvention(ex: Executor): Promise<boolean> {
  const r = await ex.selectFrom('convention').select('id').limit(1).executeTakeFirst();
  return r !== undefined;
}
