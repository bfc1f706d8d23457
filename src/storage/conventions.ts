import { sql, type Transaction } from 'kysely';
import {
  finEffective,
  totalEcheancier,
  type Convention,
  type ConventionSaisie,
  type Imputation,
  type Comite,
  type Partie,
  type StatutEffectif,
  type RoleDinum,
  type Phase,
  type Nature,
  type Statut,
  type FiltreConventions,
  type PageConventions,
} from '../domain/convention.js';
import type { Perimetre, PorteeConvention } from '../domain/acces.js';
import type { DateIso } from '../domain/dates.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

type Executor = Db | Transaction<Database>;

/** pg turns JS arrays into PostgreSQL arrays: jsonb values are always sent as JSON text. */
const json = (v: unknown) => JSON.stringify(v);

function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : d;
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

async function writeChildren(trx: Transaction<Database>, id: string, c: ConventionSaisie): Promise<void> {
  await trx.deleteFrom('echeancier').where('convention_id', '=', id).execute();
  await trx.deleteFrom('tranche').where('convention_id', '=', id).execute();
  if (c.echeancier.length > 0) {
    await trx
      .insertInto('echeancier')
      .values(c.echeancier.map((l) => ({ convention_id: id, annee: l.annee, ae_centimes: l.aeCentimes, cp_centimes: l.cpCentimes })))
      .execute();
  }
  if (c.tranches.length > 0) {
    await trx
      .insertInto('tranche')
      .values(c.tranches.map((t, i) => ({ convention_id: id, rang: i + 1, part_pct: t.partPct, condition: t.condition })))
      .execute();
  }
}

export async function insertConvention(trx: Transaction<Database>, id: string, c: ConventionSaisie): Promise<void> {
  await trx.insertInto('convention').values({ id, ...colonnes(c) }).execute();
  await writeChildren(trx, id, c);
}

/** Writes a new version; returns false when `version` is no longer the stored one (someone saved first). */
export async function updateConvention(trx: Transaction<Database>, id: string, c: ConventionSaisie, version: number): Promise<boolean> {
  const r = await trx
    .updateTable('convention')
    .set({ ...colonnes(c), version: version + 1, modifie_le: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await writeChildren(trx, id, c);
  return true;
}

/** Only the stored life-cycle state (suspension, resiliation, acceptance of an import). */
export async function updateStatut(trx: Transaction<Database>, id: string, statut: Statut): Promise<void> {
  await trx
    .updateTable('convention')
    .set({ statut, version: sql`version + 1`, modifie_le: new Date() })
    .where('id', '=', id)
    .execute();
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

/** Reads a whole convention; `forUpdate` locks its row until the transaction ends. */
/** What access rules look at: the parties' SIRETs, the products, publication and status; one query. */
export async function findPorteeConvention(db: Executor, id: string): Promise<PorteeConvention | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('convention').select(['delegant_siret', 'delegataire_siret', 'produits', 'publiee', 'statut']).where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return { delegant: { siret: r.delegant_siret }, delegataire: { siret: r.delegataire_siret }, produits: r.produits as string[], publiee: r.publiee, statut: r.statut as Statut };
}

export async function findConvention(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<Convention | null> {
  if (!isUuid(id)) return null;
  let q = db.selectFrom('convention').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return null;
  const [lignes, tranches] = await Promise.all([
    db.selectFrom('echeancier').selectAll().where('convention_id', '=', id).orderBy('annee').execute(),
    db.selectFrom('tranche').selectAll().where('convention_id', '=', id).orderBy('rang').execute(),
  ]);
  return {
    id: row.id,
    version: row.version,
    creeLe: iso(row.cree_le),
    modifieLe: iso(row.modifie_le),
    reference: row.reference,
    nature: row.nature as Nature,
    statut: row.statut as Statut,
    roleDinum: row.role_dinum as RoleDinum,
    delegant: row.delegant as Partie,
    delegataire: row.delegataire as Partie,
    produits: row.produits as string[],
    objetVerbe: row.objet_verbe,
    objet: row.objet,
    phase: row.phase as Phase | null,
    baseJuridique: row.base_juridique,
    preambule: row.preambule,
    uo: row.uo,
    programmeBop: row.programme_bop,
    imputation: row.imputation as Imputation,
    comptableAssignataire: row.comptable_assignataire,
    baseMontants: row.base_montants as 'TTC' | 'HT',
    echeancier: lignes.map((l) => ({ annee: l.annee, aeCentimes: l.ae_centimes, cpCentimes: l.cp_centimes })),
    totalAeCentimes: row.total_ae_centimes,
    cofinancementFastCentimes: row.cofinancement_fast_centimes,
    promotionFast: row.promotion_fast,
    tranches: tranches.map((t) => ({ partPct: t.part_pct, condition: t.condition })),
    dateSignature: row.date_signature,
    dateFin: row.date_fin,
    dureeMois: row.duree_mois,
    preavisMois: row.preavis_mois,
    comite: row.comite as Comite,
    obligations: row.obligations as Convention['obligations'],
    rgpd: row.rgpd as Convention['rgpd'],
    destinatairesCopie: row.destinataires_copie,
    publication: row.publication,
    publiee: row.publiee,
  };
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** One page of the register, its count and its AE/CP totals (of the year when one is chosen). */
export async function listConventions(db: Db, f: FiltreConventions, scope: Perimetre, aujourdHui: DateIso): Promise<PageConventions> {
  const statutEffectif = sql<string>`CASE WHEN c.statut = 'en_vigueur' AND c.fin_effective < ${aujourdHui}::date THEN 'terminee' ELSE c.statut END`;
  const partenaire = sql<string>`CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END`;

  let q = db.selectFrom('convention as c');
  if (!scope.tout) {
    const s = scope;
    q = q.where((eb) => {
      const ors = [];
      if (s.siret) ors.push(eb('c.delegant_siret', '=', s.siret), eb('c.delegataire_siret', '=', s.siret));
      for (const p of s.produits) ors.push(sql<boolean>`c.produits @> ${json([p])}::jsonb`);
      if (s.publiees) ors.push(eb.and([eb('c.publiee', '=', true), eb('c.statut', 'not in', ['a_verifier', 'brouillon'])]));
      return ors.length ? eb.or(ors) : sql<boolean>`false`;
    });
  }
  if (f.q) {
    const p = likePattern(f.q.trim());
    q = q.where((eb) =>
      eb.or([
        eb('c.produits_texte', 'ilike', p),
        eb('c.delegant_nom', 'ilike', p),
        eb('c.delegataire_nom', 'ilike', p),
        eb('c.reference', 'ilike', p),
        eb('c.uo', 'ilike', p),
        eb('c.objet', 'ilike', p),
      ]),
    );
  }
  if (f.partenaire) q = q.where(sql<boolean>`${partenaire} ILIKE ${likePattern(f.partenaire.trim())}`);
  if (f.roleDinum) q = q.where('c.role_dinum', '=', f.roleDinum);
  if (f.phase) q = q.where('c.phase', '=', f.phase);
  if (f.statut) q = q.where(sql<boolean>`${statutEffectif} = ${f.statut}`);
  if (f.annee !== undefined) {
    const annee = f.annee;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('echeancier as e').select(sql`1`.as('x')).whereRef('e.convention_id', '=', 'c.id').where('e.annee', '=', annee)),
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

  const tri = f.tri ?? '-signature';
  const desc = tri.startsWith('-');
  const key = tri.replace(/^-/, '');
  const dir = desc ? sql`DESC NULLS LAST` : sql`ASC NULLS LAST`;
  const orderExpr =
    key === 'fin' ? sql`c.fin_effective` : key === 'service' ? sql`lower(c.produits_texte)` : key === 'partenaire' ? sql`lower(${partenaire})` : key === 'montant' ? aeExpr : sql`c.date_signature`;

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
        partenaire.as('partenaire'),
        statutEffectif.as('statut_effectif'),
        aeExpr.as('ae'),
        cpExpr.as('cp'),
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
      produits: r.produits as string[],
      partenaire: r.partenaire,
      roleDinum: r.role_dinum as RoleDinum,
      phase: r.phase as Phase | null,
      statut: r.statut_effectif as StatutEffectif,
      uo: r.uo,
      dateSignature: r.date_signature,
      finEffective: r.fin_effective,
      aeCentimes: Number(r.ae ?? 0),
      cpCentimes: Number(r.cp ?? 0),
    })),
    total: Number(agg.n),
    totalAeCentimes: Number(agg.ae),
    totalCpCentimes: Number(agg.cp),
  };
}

/** Distinct partner names, for the filter's suggestions. */
export async function listPartenaires(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('convention')
    .select(sql<string>`DISTINCT CASE WHEN role_dinum = 'delegant' THEN delegataire_nom ELSE delegant_nom END`.as('nom'))
    .execute();
  return rows.map((r) => r.nom).sort(new Intl.Collator('fr').compare);
}

export async function hasAnyConvention(db: Db): Promise<boolean> {
  const row = await db.selectFrom('convention').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
