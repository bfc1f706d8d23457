import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Mouvement, PointSerie, TotauxCredit, TypeMouvement } from '../domain/credit.js';
import type { JourGrandLivre } from '../domain/credit-mouvement.js';
import type { DateIso } from '../domain/dates.js';
import { ConflictError } from '../domain/errors.js';
import type { Centimes } from '../domain/money.js';
import type { Executor } from './database.js';
import type { Ecriture } from './journal.js';
import type { CreditAnnuelTable, Database, MouvementTable } from './schema.js';

/**
 * The ledger of the credits: append-only movements and the totals rows they change, written together.
 * Orders (`engagement.ts`) and availability decisions (`credit.ts`) write through it.
 */

/** Changes of the totals row; `ouvertAe`… are also the movement's deltas, the others only the row's breakdown. */
export interface Deltas {
  ouvertAe?: Centimes;
  ouvertCp?: Centimes;
  engageAe?: Centimes;
  certifie?: Centimes;
  payeCp?: Centimes;
  baseAe?: Centimes;
  baseCp?: Centimes;
  reporteEntrantAe?: Centimes;
  reporteEntrantCp?: Centimes;
  reporteSortantAe?: Centimes;
  reporteSortantCp?: Centimes;
  restitueAe?: Centimes;
  restitueCp?: Centimes;
  libereAe?: Centimes;
}

export interface NouveauMouvement {
  conventionId: string;
  annee: number;
  type: TypeMouvement;
  engagementId?: string | null;
  dateOperation: DateIso;
  deltas: Deltas;
  pourcentage?: number | null;
  reference?: string | null;
  certificateur?: string | null;
  motif?: string | null;
  derogation?: string | null;
  /** the date from which the year's credits are open, when this movement sets it */
  ouverture?: DateIso | null;
}

/** The insertion of a movement row, by the write's author at its instant. */
export function insertionMouvement(e: Ecriture, m: NouveauMouvement) {
  const d = m.deltas;
  return e.trx.insertInto('mouvement').values({
    convention_id: m.conventionId,
    annee: m.annee,
    type: m.type,
    engagement_id: m.engagementId ?? null,
    date_operation: m.dateOperation,
    ouvert_ae: d.ouvertAe ?? 0,
    ouvert_cp: d.ouvertCp ?? 0,
    engage_ae: d.engageAe ?? 0,
    certifie: d.certifie ?? 0,
    paye_cp: d.payeCp ?? 0,
    pourcentage: m.pourcentage ?? null,
    reference: m.reference ?? null,
    certificateur: m.certificateur ?? null,
    motif: m.motif ?? null,
    derogation: m.derogation ?? null,
    acteur_id: e.acteur.id,
    acteur_nom: e.acteur.nom,
    enregistre_le: e.le,
  });
}

type ColonneTotal = Exclude<
  keyof CreditAnnuelTable,
  'convention_id' | 'annee' | 'ouverture' | 'dernier_effet' | 'clos_le' | 'modifie_le'
>;
const plus = (eb: ExpressionBuilder<Database, 'credit_annuel'>, col: ColonneTotal, v: Centimes | undefined) =>
  v ? eb(col, '+', v) : undefined;

/** The update of the totals row a movement changes (an unchanged column is left as it is). */
export function miseAJourTotaux(e: Ecriture, m: NouveauMouvement, opts: { nouvelEngagement?: boolean } = {}) {
  const d = m.deltas;
  return e.trx
    .updateTable('credit_annuel')
    .set((eb) => ({
      ouvert_ae: plus(eb, 'ouvert_ae', d.ouvertAe),
      ouvert_cp: plus(eb, 'ouvert_cp', d.ouvertCp),
      engage_ae: plus(eb, 'engage_ae', d.engageAe),
      certifie: plus(eb, 'certifie', d.certifie),
      paye_cp: plus(eb, 'paye_cp', d.payeCp),
      base_ae: plus(eb, 'base_ae', d.baseAe),
      base_cp: plus(eb, 'base_cp', d.baseCp),
      reporte_entrant_ae: plus(eb, 'reporte_entrant_ae', d.reporteEntrantAe),
      reporte_entrant_cp: plus(eb, 'reporte_entrant_cp', d.reporteEntrantCp),
      reporte_sortant_ae: plus(eb, 'reporte_sortant_ae', d.reporteSortantAe),
      reporte_sortant_cp: plus(eb, 'reporte_sortant_cp', d.reporteSortantCp),
      restitue_ae: plus(eb, 'restitue_ae', d.restitueAe),
      restitue_cp: plus(eb, 'restitue_cp', d.restitueCp),
      libere_ae: plus(eb, 'libere_ae', d.libereAe),
      nb_engagements: opts.nouvelEngagement ? eb('nb_engagements', '+', 1) : undefined,
      ouverture: m.ouverture ?? undefined,
      // greatest() ignores NULL: the first movement sets it
      dernier_effet: sql<string>`greatest(dernier_effet, ${m.dateOperation}::date)`,
      modifie_le: e.le,
    }))
    .where('convention_id', '=', m.conventionId)
    .where('annee', '=', m.annee);
}

/** A broken CHECK is the second barrier under the use cases: it becomes the same refusal, never a 500. */
export function traduireContrainte(e: unknown): never {
  const err = e as { code?: string; constraint?: string };
  if (err.code === '23514') {
    switch (err.constraint) {
      case 'plafond_ae':
        throw new ConflictError(
          'PLAFOND_AE_DEPASSE',
          'Crédits insuffisants : les AE engagées dépasseraient les AE disponibles.',
        );
      case 'plafond_cp':
        throw new ConflictError(
          'PLAFOND_CP_DEPASSE',
          'Crédits insuffisants : les CP payés dépasseraient les CP disponibles.',
        );
      case 'certifie_borne':
      case 'certifie_engage':
        throw new ConflictError('SERVICE_FAIT_SUPERIEUR_ENGAGEMENT', 'Le service fait ne peut dépasser la commande.');
      case 'paye_borne':
        throw new ConflictError('PAIEMENT_SUPERIEUR_SERVICE_FAIT', 'Un paiement ne peut dépasser le service fait.');
    }
  }
  if (err.code === '23505' && err.constraint === 'engagement_convention_id_numero_key') {
    throw new ConflictError(
      'NUMERO_DEJA_UTILISE',
      'Ce numéro de bon de commande est déjà utilisé sur cette convention.',
    );
  }
  if (err.code === '23505' && err.constraint === 'engagement_numero_chorus_key') {
    throw new ConflictError(
      'NUMERO_DEJA_UTILISE',
      'Ce numéro d’engagement juridique Chorus est déjà celui d’un autre bon de commande : un numéro Chorus ne sert qu’une fois.',
    );
  }
  throw e;
}

/**
 * Availability movements (openings, carry-over, returns) and the totals they change, in one statement per
 * movement. The caller holds the lock on the totals rows.
 */
export async function insererMouvementsCredit(e: Ecriture, mouvements: NouveauMouvement[]): Promise<void> {
  try {
    for (const m of mouvements) {
      await e.trx
        .with('m', () => insertionMouvement(e, m))
        .with('u', () => miseAJourTotaux(e, m))
        .selectNoFrom(sql<number>`1`.as('ok'))
        .execute();
    }
  } catch (err) {
    traduireContrainte(err);
  }
}

export function mouvementDepuisLigne(r: Selectable<MouvementTable>): Mouvement {
  return {
    id: r.id,
    annee: r.annee,
    type: r.type,
    engagementId: r.engagement_id,
    dateOperation: r.date_operation,
    ouvertAe: r.ouvert_ae,
    ouvertCp: r.ouvert_cp,
    engageAe: r.engage_ae,
    certifie: r.certifie,
    payeCp: r.paye_cp,
    pourcentage: r.pourcentage,
    reference: r.reference,
    certificateur: r.certificateur,
    motif: r.motif,
    derogation: r.derogation,
    acteurNom: r.acteur_nom,
    enregistreLe: r.enregistre_le.toISOString(),
  };
}

/** Movements that change availability (few per year): openings, carry-over, returns. */
export async function listerMouvementsDisponibilite(ex: Executor, conventionId: string): Promise<Mouvement[]> {
  const rows = await ex
    .selectFrom('mouvement')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .where('type', 'in', ['mise_a_disposition', 'report_entrant', 'report_sortant', 'restitution'])
    .orderBy('annee')
    .orderBy('id')
    .execute();
  return rows.map(mouvementDepuisLigne);
}

/** Daily sums of commitments (net of releases) and payments of a year, for the chart. */
export async function listerSerieJournaliere(ex: Executor, conventionId: string, annee: number): Promise<PointSerie[]> {
  const rows = await ex
    .selectFrom('mouvement')
    .select([
      'date_operation',
      sql<number>`sum(engage_ae)::bigint`.as('ae'),
      sql<number>`sum(paye_cp)::bigint`.as('cp'),
    ])
    .where('convention_id', '=', conventionId)
    .where('annee', '=', annee)
    .where('type', 'in', ['engagement', 'liberation', 'paiement'])
    .groupBy('date_operation')
    .orderBy('date_operation')
    .execute();
  return rows.map((x) => ({ date: x.date_operation, engageAe: x.ae, payeCp: x.cp }));
}

/** Totals rebuilt from the movements alone: what the totals rows must equal (audit and tests). */
export async function recalculerTotaux(
  ex: Executor,
  conventionId: string,
): Promise<Array<Pick<TotauxCredit, 'annee' | 'ouvertAe' | 'ouvertCp' | 'engageAe' | 'certifie' | 'payeCp'>>> {
  const rows = await ex
    .selectFrom('mouvement')
    .select([
      'annee',
      sql<number>`sum(ouvert_ae)::bigint`.as('ouvert_ae'),
      sql<number>`sum(ouvert_cp)::bigint`.as('ouvert_cp'),
      sql<number>`sum(engage_ae)::bigint`.as('engage_ae'),
      sql<number>`sum(certifie)::bigint`.as('certifie'),
      sql<number>`sum(paye_cp)::bigint`.as('paye_cp'),
    ])
    .where('convention_id', '=', conventionId)
    .groupBy('annee')
    .orderBy('annee')
    .execute();
  return rows.map((x) => ({
    annee: x.annee,
    ouvertAe: x.ouvert_ae,
    ouvertCp: x.ouvert_cp,
    engageAe: x.engage_ae,
    certifie: x.certifie,
    payeCp: x.paye_cp,
  }));
}

/** The day sums of a year's movements: the history a backdated movement is checked against. */
export async function listerJoursGrandLivre(
  ex: Executor,
  conventionId: string,
  annee: number,
): Promise<JourGrandLivre[]> {
  const rows = await ex
    .selectFrom('mouvement')
    .select([
      'date_operation',
      sql<number>`sum(ouvert_ae)::bigint`.as('ouvert_ae'),
      sql<number>`sum(ouvert_cp)::bigint`.as('ouvert_cp'),
      sql<number>`sum(engage_ae)::bigint`.as('engage_ae'),
      sql<number>`sum(paye_cp)::bigint`.as('paye_cp'),
    ])
    .where('convention_id', '=', conventionId)
    .where('annee', '=', annee)
    .groupBy('date_operation')
    .orderBy('date_operation')
    .execute();
  return rows.map((x) => ({
    date: x.date_operation,
    ouvertAe: x.ouvert_ae,
    ouvertCp: x.ouvert_cp,
    engageAe: x.engage_ae,
    payeCp: x.paye_cp,
  }));
}
