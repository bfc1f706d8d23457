import { sql, type CompiledQuery, type InferResult, type Selectable } from 'kysely';
import type { Acteur } from '../domain/acces.js';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { STATUTS_NON_SIGNES } from '../domain/convention.js';
import type { ConventionCredits, DecisionDisponibilite, LiberationTranche, TotauxCredit } from '../domain/credit.js';
import type { DateIso } from '../domain/dates.js';
import { ConflictError } from '../domain/errors.js';
import type { Changement } from '../domain/journal.js';
import type { Centimes } from '../domain/money.js';
import { lireParametresDepuis } from './calendrier.js';
import { echeancierImbrique, tranchesImbriquees } from './convention.js';
import { estUuid, executerPreparee, requeteFigee, type Executor, type Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { CreditAnnuelTable } from './schema.js';

/** The columns of a totals row that the rules read. */
export const COLONNES_TOTAUX = [
  'annee',
  'base_ae',
  'base_cp',
  'reporte_entrant_ae',
  'reporte_entrant_cp',
  'reporte_sortant_ae',
  'reporte_sortant_cp',
  'restitue_ae',
  'restitue_cp',
  'ouvert_ae',
  'ouvert_cp',
  'engage_ae',
  'libere_ae',
  'certifie',
  'paye_cp',
  'nb_engagements',
  'ouverture',
  'dernier_effet',
] as const;

type LigneTotaux = Pick<Selectable<CreditAnnuelTable>, (typeof COLONNES_TOTAUX)[number]>;

export function totauxDepuisLigne(r: LigneTotaux): TotauxCredit {
  return {
    annee: r.annee,
    baseAe: r.base_ae,
    baseCp: r.base_cp,
    reporteEntrantAe: r.reporte_entrant_ae,
    reporteEntrantCp: r.reporte_entrant_cp,
    reporteSortantAe: r.reporte_sortant_ae,
    reporteSortantCp: r.reporte_sortant_cp,
    restitueAe: r.restitue_ae,
    restitueCp: r.restitue_cp,
    ouvertAe: r.ouvert_ae,
    ouvertCp: r.ouvert_cp,
    engageAe: r.engage_ae,
    libereAe: r.libere_ae,
    certifie: r.certifie,
    payeCp: r.paye_cp,
    nbEngagements: r.nb_engagements,
    ouverture: r.ouverture,
    dernierEffet: r.dernier_effet,
  };
}

/** Conventions' credit context in one round trip: each convention, its schedule, tranches, decisions, totals and the settings. */
function requeteConventionsCredits(ex: Executor, sansTotaux: boolean) {
  // nested rows as JSON: one statement, cheaper to plan than one query per child
  return ex
    .selectFrom('convention as c')
    .select([
      'c.id',
      'c.reference',
      'c.statut',
      'c.role_dinum',
      'c.delegant',
      'c.delegataire',
      'c.produits',
      'c.publiee',
      'c.base_montants',
      'c.total_ae_centimes',
      'c.date_signature',
      'c.date_fin',
      'c.duree_mois',
      'c.resiliation_effet',
      'c.promotion_fast',
    ])
    .select((eb) => [
      echeancierImbrique(eb).as('echeancier'),
      tranchesImbriquees(eb).as('tranches'),
      jsonArrayFrom(
        eb
          .selectFrom('decision_credit as d')
          .select(['d.type', 'd.annee', 'd.rang', 'd.ae', 'd.cp', 'd.date_effet', 'd.motif', 'd.decideur'])
          .whereRef('d.convention_id', '=', 'c.id')
          .orderBy('d.id'),
      ).as('decisions'),
      sql<Record<string, string> | null>`(SELECT json_object_agg(p.cle, p.valeur) FROM parametre p)`.as('parametres'),
      jsonArrayFrom(
        eb
          .selectFrom('credit_annuel as ca')
          .select(COLONNES_TOTAUX.map((k) => `ca.${k}` as const))
          .whereRef('ca.convention_id', '=', 'c.id')
          .$if(sansTotaux, (q) => q.where(sql<boolean>`false`))
          .orderBy('ca.annee'),
      ).as('credits'),
      // the convention's own closings and the whole portfolio's
      jsonArrayFrom(
        eb
          .selectFrom('exercice_cloture as x')
          .select(['x.annee', 'x.clos_le'])
          .where((w) => w.or([w('x.convention_id', '=', w.ref('c.id')), w('x.convention_id', 'is', null)]))
          .orderBy('x.annee'),
      ).as('exercices_clos'),
    ]);
}

function requeteConventionCredits(ex: Executor, id: string, sansTotaux: boolean) {
  return requeteConventionsCredits(ex, sansTotaux).where('c.id', '=', id);
}

type LigneConventionCredits = Awaited<ReturnType<ReturnType<typeof requeteConventionCredits>['executeTakeFirst']>>;

function conventionCreditsDepuis(row: NonNullable<LigneConventionCredits>): ConventionCredits {
  const liberations: LiberationTranche[] = row.decisions.flatMap((d) =>
    d.type === 'liberation_tranche' && d.rang !== null
      ? [{ rang: d.rang, dateEffet: d.date_effet, motif: d.motif, decideur: d.decideur }]
      : [],
  );
  const decisions: DecisionDisponibilite[] = row.decisions.flatMap((d) =>
    d.type === 'disponibilite' && d.annee !== null && d.ae !== null && d.cp !== null
      ? [{ annee: d.annee, aeCentimes: d.ae, cpCentimes: d.cp, dateEffet: d.date_effet, motif: d.motif }]
      : [],
  );
  return {
    id: row.id,
    reference: row.reference,
    statut: row.statut,
    roleDinum: row.role_dinum,
    delegant: row.delegant,
    delegataire: row.delegataire,
    produits: row.produits,
    publiee: row.publiee,
    baseMontants: row.base_montants,
    totalAeCentimes: row.total_ae_centimes,
    dateSignature: row.date_signature,
    dateFin: row.date_fin,
    dureeMois: row.duree_mois,
    resiliationEffet: row.resiliation_effet,
    promotionFast: row.promotion_fast,
    echeancier: row.echeancier.map((l) => ({ annee: l.annee, aeCentimes: l.ae_centimes, cpCentimes: l.cp_centimes })),
    tranches: row.tranches.map((t) => ({ partPct: t.part_pct, condition: t.condition })),
    liberations,
    decisions,
    parametres: lireParametresDepuis(row.parametres ?? {}),
    credits: row.credits.map(totauxDepuisLigne),
    // JSON gives the instant as text
    exercicesClos: row.exercices_clos.map((x) => ({
      annee: x.annee,
      closLe: new Date(String(x.clos_le)).toISOString(),
    })),
  };
}

/** A convention's credit context; `sansTotaux` leaves out the totals, for operations that lock and read the one year they change. */
export async function lireConventionCredits(
  ex: Executor,
  id: string,
  opts: { sansTotaux?: boolean } = {},
): Promise<ConventionCredits | null> {
  if (!estUuid(id)) return null;
  const row = await requeteConventionCredits(ex, id, opts.sansTotaux ?? false).executeTakeFirst();
  return row ? conventionCreditsDepuis(row) : null;
}

/** The same, with a share lock on the convention row: its status and schedule cannot change (suspension, amendment) until the operation commits. */
export async function verrouillerConventionCredits(
  trx: Trx,
  id: string,
  opts: { sansTotaux?: boolean } = {},
): Promise<ConventionCredits | null> {
  if (!estUuid(id)) return null;
  const row = await requeteConventionCredits(trx, id, opts.sansTotaux ?? false)
    .forShare('c')
    .executeTakeFirst();
  return row ? conventionCreditsDepuis(row) : null;
}

function construireLectureVerrouillee(ex: Executor, id: string, annee: number) {
  return (
    requeteConventionCredits(ex, id, true)
      .innerJoin('credit_annuel as ca', (j) => j.onRef('ca.convention_id', '=', 'c.id').on('ca.annee', '=', annee))
      // the totals as columns, not JSON: the bigint parser refuses a sum it cannot give exactly
      .select(COLONNES_TOTAUX.map((k) => sql<unknown>`${sql.ref(`ca.${k}`)}`.as(`t_${k}`)))
      .select('ca.clos_le as t_clos_le')
      .forShare('c')
      .forUpdate('ca')
  );
}

/** The order path's read, compiled once: it is the same statement for every convention and year. */
let lectureVerrouillee:
  | ((id: string, annee: number) => CompiledQuery<InferResult<ReturnType<typeof construireLectureVerrouillee>>[number]>)
  | null = null;

/**
 * The convention share-locked and its year's totals row locked for update, in one statement: the order
 * path's read. The convention is locked first, as every other writer does. Null when the year has no totals
 * row yet (its first movement) or the convention does not exist: the caller takes the two-step path.
 */
export async function verrouillerConventionEtCredit(
  trx: Trx,
  id: string,
  annee: number,
): Promise<{ convention: ConventionCredits; totaux: TotauxCredit } | null> {
  if (!estUuid(id)) return null;
  lectureVerrouillee ??= requeteFigee(['00000000-0000-4000-8000-00000000000a', -987_654_321], (cId, cAnnee) =>
    construireLectureVerrouillee(trx, cId, cAnnee),
  );
  const [row] = await executerPreparee(trx, lectureVerrouillee(id, annee));
  if (!row) return null;
  const r = row as unknown as Record<string, unknown>;
  const ligne = Object.fromEntries(COLONNES_TOTAUX.map((k) => [k, r[`t_${k}`]])) as LigneTotaux;
  return {
    convention: conventionCreditsDepuis(row),
    totaux: { ...totauxDepuisLigne(ligne), closLe: row.t_clos_le?.toISOString() ?? null },
  };
}

/**
 * Locks the totals row of (convention, year) and returns it, creating it at zero the first time. Concurrent
 * operations on the year queue on this lock; the common case is a plain SELECT … FOR UPDATE, which writes
 * nothing.
 */
export async function verrouillerCredit(e: Ecriture, conventionId: string, annee: number): Promise<TotauxCredit> {
  const verrou = () =>
    e.trx
      .selectFrom('credit_annuel')
      .select([...COLONNES_TOTAUX, 'clos_le'])
      .where('convention_id', '=', conventionId)
      .where('annee', '=', annee)
      .forUpdate()
      .executeTakeFirst();
  let r = await verrou();
  if (!r) {
    await e.trx
      .insertInto('credit_annuel')
      .values({ convention_id: conventionId, annee, modifie_le: e.le })
      .onConflict((oc) => oc.columns(['convention_id', 'annee']).doNothing())
      .execute();
    r = await verrou();
  }
  if (!r) throw new Error(`Ligne de crédits ${annee} introuvable après sa création.`);
  // the row as locked: a closing that committed while this waited is on it
  return { ...totauxDepuisLigne(r), closLe: r.clos_le?.toISOString() ?? null };
}

export async function insererDecision(
  e: Ecriture,
  d: {
    conventionId: string;
    type: 'liberation_tranche' | 'disponibilite';
    annee?: number;
    rang?: number;
    ae?: Centimes;
    cp?: Centimes;
    dateEffet: DateIso;
    motif: string;
    decideur?: string | null;
  },
): Promise<void> {
  try {
    await e.trx
      .insertInto('decision_credit')
      .values({
        convention_id: d.conventionId,
        type: d.type,
        annee: d.annee ?? null,
        rang: d.rang ?? null,
        ae: d.ae ?? null,
        cp: d.cp ?? null,
        date_effet: d.dateEffet,
        motif: d.motif,
        decideur: d.decideur ?? null,
        acteur_id: e.acteur.id,
        acteur_nom: e.acteur.nom,
        enregistre_le: e.le,
      })
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new ConflictError('TRANCHE_DEJA_LIBEREE', `La tranche ${d.rang} est déjà libérée.`);
    throw err;
  }
}

/** Conventions whose schedule has a year without totals row yet (created before the credits existed, or imported). */
function idsSansCredits(ex: Executor) {
  return ex
    .selectFrom('echeancier as e')
    .innerJoin('convention as c', 'c.id', 'e.convention_id')
    .select('e.convention_id')
    .where('c.statut', 'not in', STATUTS_NON_SIGNES)
    .where('c.date_signature', 'is not', null)
    .where(sql<boolean>`(coalesce(e.ae_centimes, 0) > 0 OR coalesce(e.cp_centimes, 0) > 0)`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('credit_annuel as ca')
            .select(sql`1`.as('x'))
            .whereRef('ca.convention_id', '=', 'e.convention_id')
            .whereRef('ca.annee', '=', 'e.annee'),
        ),
      ),
    );
}

/**
 * The credit context of every convention lacking a totals row, share-locked, in one statement: empty (and
 * cheap, one anti-join) when there is nothing to catch up.
 */
export async function verrouillerConventionsSansCredits(trx: Trx): Promise<ConventionCredits[]> {
  const rows = await requeteConventionsCredits(trx, false)
    .where('c.id', 'in', idsSansCredits(trx))
    .orderBy('c.id')
    .forShare('c')
    .execute();
  return rows.map(conventionCreditsDepuis);
}

/** A year opened for the first time: its totals row does not exist yet. */
export interface OuvertureInitiale {
  conventionId: string;
  annee: number;
  ae: Centimes;
  cp: Centimes;
  /** the date of the movement that opens them */
  dateEffet: DateIso;
  /** the date from which the year's credits are open, when the schedule or a decision sets it */
  ouverture: DateIso | null;
  motif: string | null;
  /** this year's before/after values, for its convention's journal line */
  changements: Changement[];
}

/**
 * Opens many years at once: their totals rows, the movement that opens each, and one journal line per
 * convention with the changes of its years, in one statement. A row another write created meanwhile is
 * left to it (with its movement and line). Returns the number of conventions written.
 */
export async function ouvrirCreditsEnBloc(
  trx: Trx,
  acteur: Acteur,
  le: Date,
  sujet: { objetType: string; action: string; commentaire: string },
  lignes: OuvertureInitiale[],
): Promise<number> {
  if (!lignes.length) return 0;
  const json = JSON.stringify(
    lignes.map((l, rang) => ({
      c: l.conventionId,
      a: l.annee,
      ae: l.ae,
      cp: l.cp,
      effet: l.dateEffet,
      ouverture: l.ouverture,
      motif: l.motif,
      changements: l.changements,
      rang,
    })),
  );
  const { rows } = await sql<{ n: number }>`
    WITH l AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb)
        AS l(c uuid, a int, ae bigint, cp bigint, effet date, ouverture date, motif text, changements jsonb, rang int)
    ),
    t AS (
      INSERT INTO credit_annuel (convention_id, annee, base_ae, base_cp, ouvert_ae, ouvert_cp, ouverture, dernier_effet, modifie_le)
      SELECT c, a, ae, cp, ae, cp, ouverture, effet, ${le}::timestamptz FROM l
      ON CONFLICT (convention_id, annee) DO NOTHING
      RETURNING convention_id, annee
    ),
    ok AS (SELECT l.* FROM l JOIN t ON t.convention_id = l.c AND t.annee = l.a),
    m AS (
      INSERT INTO mouvement (convention_id, annee, type, date_operation, ouvert_ae, ouvert_cp, motif, acteur_id, acteur_nom, enregistre_le)
      SELECT c, a, 'mise_a_disposition', effet, ae, cp, motif, ${acteur.id}, ${acteur.nom}, ${le}::timestamptz FROM ok ORDER BY rang
    ),
    j AS (
      INSERT INTO journal (convention_id, objet_type, objet_id, action, acteur_id, acteur_nom, acteur_role, le, changements, commentaire)
      SELECT ok.c, ${sujet.objetType}, ok.c::text, ${sujet.action}, ${acteur.id}, ${acteur.nom}, ${acteur.role}, ${le}::timestamptz,
        coalesce(jsonb_agg(x.ch ORDER BY ok.rang, x.i) FILTER (WHERE x.ch IS NOT NULL), '[]'::jsonb), ${sujet.commentaire}
      FROM ok LEFT JOIN LATERAL jsonb_array_elements(ok.changements) WITH ORDINALITY AS x(ch, i) ON true
      GROUP BY ok.c ORDER BY min(ok.rang)
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM j`.execute(trx);
  return rows[0]?.n ?? 0;
}
