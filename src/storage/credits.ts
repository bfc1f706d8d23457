import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Acteur, Perimetre } from '../domain/acces.js';
import { PARAMETRES_DEFAUT, type ParametresCalendrier } from '../domain/calendrier.js';
import type { Partie, RoleDinum, Statut, StatutEffectif } from '../domain/convention.js';
import type { AlerteEnregistree } from '../domain/alerte.js';
import type { ConventionCredits, DecisionDisponibilite, FiltrePortefeuille, GroupePortefeuille, LignePortefeuille, LiberationTranche, Mouvement, PointSerie, SommePortefeuille, Portefeuille, TotauxCredit, TypeMouvement } from '../domain/credit.js';
import type { DateIso } from '../domain/dates.js';
import type { Engagement, EngagementSaisie, FiltreEngagements, StatutEngagement } from '../domain/engagement.js';
import { ConflictError } from '../domain/errors.js';
import type { BaseMontant, Centimes } from '../domain/money.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

type Executor = Db | Transaction<Database>;
type Trx = Transaction<Database>;

const json = (v: unknown) => JSON.stringify(v);

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

type CreditRow = Record<string, unknown>;

function totauxDepuisLigne(r: CreditRow): TotauxCredit {
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    annee: n('annee'),
    baseAe: n('base_ae'),
    baseCp: n('base_cp'),
    reporteEntrantAe: n('reporte_entrant_ae'),
    reporteEntrantCp: n('reporte_entrant_cp'),
    reporteSortantAe: n('reporte_sortant_ae'),
    reporteSortantCp: n('reporte_sortant_cp'),
    restitueAe: n('restitue_ae'),
    restitueCp: n('restitue_cp'),
    ouvertAe: n('ouvert_ae'),
    ouvertCp: n('ouvert_cp'),
    engageAe: n('engage_ae'),
    libereAe: n('libere_ae'),
    certifie: n('certifie'),
    payeCp: n('paye_cp'),
    nbEngagements: n('nb_engagements'),
    ouverture: (r.ouverture as string | null) ?? null,
  };
}

function parametresDepuis(kv: Record<string, string>): ParametresCalendrier {
  return {
    limitePaiements: kv.limitePaiements ?? PARAMETRES_DEFAUT.limitePaiements,
    limiteEngagements: kv.limiteEngagements ?? PARAMETRES_DEFAUT.limiteEngagements,
    limiteReport: kv.limiteReport ?? PARAMETRES_DEFAUT.limiteReport,
    reprise: kv.reprise ?? PARAMETRES_DEFAUT.reprise,
    avertissementJours: kv.avertissementJours !== undefined ? Number(kv.avertissementJours) : PARAMETRES_DEFAUT.avertissementJours,
    debutAlertesSousConsommation: kv.debutAlertesSousConsommation ?? PARAMETRES_DEFAUT.debutAlertesSousConsommation,
  };
}

/**
 * Reads a convention's credit context in one round trip. `verrou` takes a share lock on the convention
 * row: its status and schedule cannot change (suspension, amendment) until the operation commits.
 * `sansTotaux` leaves out the totals, for operations that lock and read the one year they change.
 */
export async function chargerConventionCredits(ex: Executor, id: string, opts: { verrou?: boolean; sansTotaux?: boolean } = {}): Promise<ConventionCredits | null> {
  if (!isUuid(id)) return null;
  // whole rows as JSON: cheaper to build and to plan than per-field objects
  const r = await sql<Record<string, unknown>>`
    SELECT c.id, c.reference, c.statut, c.role_dinum, c.delegant, c.delegataire, c.produits, c.publiee, c.base_montants,
      c.date_signature, c.date_fin, c.duree_mois, c.promotion_fast,
      (SELECT json_agg(e ORDER BY e.annee) FROM echeancier e WHERE e.convention_id = c.id) AS echeancier,
      (SELECT json_agg(t ORDER BY t.rang) FROM tranche t WHERE t.convention_id = c.id) AS tranches,
      (SELECT json_agg(d ORDER BY d.id) FROM decision_credit d WHERE d.convention_id = c.id) AS decisions,
      (SELECT json_object_agg(p.cle, p.valeur) FROM parametre p) AS parametres,
      ${opts.sansTotaux ? sql`NULL` : sql`(SELECT json_agg(ca ORDER BY ca.annee) FROM credit_annuel ca WHERE ca.convention_id = c.id)`} AS credits
    FROM convention c WHERE c.id = ${id}
    ${opts.verrou ? sql`FOR SHARE OF c` : sql``}`.execute(ex);
  const row = r.rows[0];
  if (!row) return null;
  const decisions = (row.decisions ?? []) as Array<Record<string, unknown>>;
  return {
    id: row.id as string,
    reference: row.reference as string | null,
    statut: row.statut as Statut,
    roleDinum: row.role_dinum as RoleDinum,
    delegant: row.delegant as Partie,
    delegataire: row.delegataire as Partie,
    produits: row.produits as string[],
    publiee: row.publiee as boolean,
    baseMontants: row.base_montants as BaseMontant,
    dateSignature: row.date_signature as string | null,
    dateFin: row.date_fin as string | null,
    dureeMois: row.duree_mois as number | null,
    promotionFast: row.promotion_fast as string | null,
    echeancier: ((row.echeancier ?? []) as Array<{ annee: number; ae_centimes: number | null; cp_centimes: number | null }>).map((l) => ({ annee: l.annee, aeCentimes: l.ae_centimes, cpCentimes: l.cp_centimes })),
    tranches: ((row.tranches ?? []) as Array<{ part_pct: number; condition: string | null }>).map((t) => ({ partPct: Number(t.part_pct), condition: t.condition })),
    liberations: decisions
      .filter((d) => d.type === 'liberation_tranche')
      .map((d) => ({ rang: Number(d.rang), dateEffet: d.date_effet as string, motif: d.motif as string, decideur: (d.decideur as string | null) ?? null })),
    decisions: decisions
      .filter((d) => d.type === 'disponibilite')
      .map((d) => ({ annee: Number(d.annee), aeCentimes: Number(d.ae), cpCentimes: Number(d.cp), dateEffet: d.date_effet as string, motif: d.motif as string })),
    parametres: parametresDepuis((row.parametres ?? {}) as Record<string, string>),
    credits: ((row.credits ?? []) as CreditRow[]).map(totauxDepuisLigne),
  };
}

/**
 * Locks the totals row of (convention, year) and returns it, creating it at zero the first time. Concurrent
 * operations on the year queue on this lock; the common case is a plain SELECT … FOR UPDATE, which writes
 * nothing.
 */
export async function verrouillerCredit(trx: Trx, conventionId: string, annee: number): Promise<TotauxCredit> {
  const verrou = () => sql<CreditRow>`SELECT * FROM credit_annuel WHERE convention_id = ${conventionId} AND annee = ${annee} FOR UPDATE`.execute(trx);
  let r = await verrou();
  if (!r.rows[0]) {
    await sql`INSERT INTO credit_annuel (convention_id, annee) VALUES (${conventionId}, ${annee}) ON CONFLICT (convention_id, annee) DO NOTHING`.execute(trx);
    r = await verrou();
  }
  return totauxDepuisLigne(r.rows[0]);
}

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

const COLONNES: Record<keyof Deltas, string> = {
  ouvertAe: 'ouvert_ae',
  ouvertCp: 'ouvert_cp',
  engageAe: 'engage_ae',
  certifie: 'certifie',
  payeCp: 'paye_cp',
  baseAe: 'base_ae',
  baseCp: 'base_cp',
  reporteEntrantAe: 'reporte_entrant_ae',
  reporteEntrantCp: 'reporte_entrant_cp',
  reporteSortantAe: 'reporte_sortant_ae',
  reporteSortantCp: 'reporte_sortant_cp',
  restitueAe: 'restitue_ae',
  restitueCp: 'restitue_cp',
  libereAe: 'libere_ae',
};

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

export interface LigneJournalCredit {
  objetType: string;
  objetId: string;
  action: string;
  changements?: Array<{ champ: string; avant: unknown; apres: unknown }>;
  commentaire?: string | null;
}

export interface MajEngagement {
  id: string;
  certifie?: Centimes;
  paye?: Centimes;
  libere?: Centimes;
  statut?: StatutEngagement;
}

function journalCte(acteur: Acteur, conventionId: string, j: LigneJournalCredit): RawBuilder<unknown> {
  return sql`INSERT INTO journal (convention_id, objet_type, objet_id, action, acteur_id, acteur_nom, acteur_role, changements, commentaire)
    VALUES (${conventionId}, ${j.objetType}, ${j.objetId}, ${j.action}, ${acteur.id}, ${acteur.nom}, ${acteur.role}, ${json(j.changements ?? [])}::jsonb, ${j.commentaire ?? null})`;
}

function mouvementValues(acteur: Acteur, m: NouveauMouvement, engagementId: RawBuilder<unknown>): RawBuilder<unknown> {
  const d = m.deltas;
  return sql`(${m.conventionId}, ${m.annee}, ${m.type}, ${engagementId}, ${m.dateOperation}, ${d.ouvertAe ?? 0}, ${d.ouvertCp ?? 0}, ${d.engageAe ?? 0},
    ${d.certifie ?? 0}, ${d.payeCp ?? 0}, ${m.pourcentage ?? null}, ${m.reference ?? null}, ${m.certificateur ?? null}, ${m.motif ?? null},
    ${m.derogation ?? null}, ${acteur.id}, ${acteur.nom})`;
}

const MOUVEMENT_COLONNES = sql`(convention_id, annee, type, engagement_id, date_operation, ouvert_ae, ouvert_cp, engage_ae, certifie, paye_cp,
  pourcentage, reference, certificateur, motif, derogation, acteur_id, acteur_nom)`;

function majCredit(m: NouveauMouvement, extra: RawBuilder<unknown>[] = []): RawBuilder<unknown> {
  const sets = Object.entries(m.deltas)
    .filter(([, v]) => v)
    .map(([k, v]) => sql`${sql.ref(COLONNES[k as keyof Deltas])} = ${sql.ref(COLONNES[k as keyof Deltas])} + ${v}`);
  if (m.ouverture) sets.push(sql`ouverture = ${m.ouverture}::date`);
  sets.push(...extra, sql`modifie_le = now()`);
  return sql`UPDATE credit_annuel SET ${sql.join(sets)} WHERE convention_id = ${m.conventionId} AND annee = ${m.annee}`;
}

/** A broken CHECK is the second barrier under the use cases: it becomes the same refusal, never a 500. */
function traduire(e: unknown): never {
  const err = e as { code?: string; constraint?: string };
  if (err.code === '23514') {
    switch (err.constraint) {
      case 'plafond_ae':
        throw new ConflictError('PLAFOND_AE_DEPASSE', 'Crédits insuffisants : les AE engagées dépasseraient les AE disponibles.');
      case 'plafond_cp':
        throw new ConflictError('PLAFOND_CP_DEPASSE', 'Crédits insuffisants : les CP payés dépasseraient les CP disponibles.');
      case 'certifie_borne':
      case 'certifie_engage':
        throw new ConflictError('SERVICE_FAIT_SUPERIEUR_ENGAGEMENT', 'Le service fait ne peut dépasser la commande.');
      case 'paye_borne':
        throw new ConflictError('PAIEMENT_SUPERIEUR_SERVICE_FAIT', 'Un paiement ne peut dépasser le service fait.');
    }
  }
  if (err.code === '23505' && err.constraint === 'engagement_convention_id_numero_key') {
    throw new ConflictError('NUMERO_DEJA_UTILISE', 'Ce numéro de bon de commande est déjà utilisé sur cette convention.');
  }
  throw e;
}

/**
 * Writes a new order in one statement: the order, its movement, the new totals and the journal line.
 * The caller holds the lock on the totals row and has checked the ceiling.
 */
export async function insererEngagement(trx: Trx, acteur: Acteur, id: string, conventionId: string, s: Omit<EngagementSaisie, 'numero' | 'baseMontant'> & { numero: string; baseMontant: BaseMontant }, derogation: string | null, journal: LigneJournalCredit): Promise<void> {
  const m: NouveauMouvement = {
    conventionId,
    annee: s.annee,
    type: 'engagement',
    dateOperation: s.dateEngagement,
    deltas: { engageAe: s.montantCentimes },
    reference: s.numero,
    motif: s.objet,
    derogation,
  };
  try {
    await sql`
      WITH e AS (
        INSERT INTO engagement (id, convention_id, annee, numero, titulaire, marche, devis, objet, produit, montant, base_montant,
          date_engagement, date_fin_prestation, acteur_id, acteur_nom)
        VALUES (${id}, ${conventionId}, ${s.annee}, ${s.numero}, ${s.titulaire}, ${s.marche}, ${s.devis}, ${s.objet}, ${s.produit},
          ${s.montantCentimes}, ${s.baseMontant}, ${s.dateEngagement}, ${s.dateFinPrestation}, ${acteur.id}, ${acteur.nom})
        RETURNING id
      ), m AS (
        INSERT INTO mouvement ${MOUVEMENT_COLONNES} VALUES ${mouvementValues(acteur, m, sql`${id}::uuid`)}
      ), u AS (
        ${majCredit(m, [sql`nb_engagements = nb_engagements + 1`])}
      ), j AS (
        ${journalCte(acteur, conventionId, journal)}
      )
      SELECT id FROM e`.execute(trx);
  } catch (e) {
    traduire(e);
  }
}

/** Writes one movement, the totals it changes, an optional order update and the journal line, in one statement. */
export async function ecrireMouvement(trx: Trx, acteur: Acteur, m: NouveauMouvement, engagement: MajEngagement | null, journal: LigneJournalCredit | null): Promise<void> {
  const ctes: RawBuilder<unknown>[] = [
    sql`m AS (INSERT INTO mouvement ${MOUVEMENT_COLONNES} VALUES ${mouvementValues(acteur, m, sql`${m.engagementId ?? null}::uuid`)})`,
    sql`u AS (${majCredit(m)})`,
  ];
  if (engagement) {
    const sets: RawBuilder<unknown>[] = [];
    if (engagement.certifie) sets.push(sql`certifie = certifie + ${engagement.certifie}`);
    if (engagement.paye) sets.push(sql`paye = paye + ${engagement.paye}`);
    if (engagement.libere) sets.push(sql`libere = libere + ${engagement.libere}`);
    if (engagement.statut) sets.push(sql`statut = ${engagement.statut}`);
    if (sets.length) ctes.push(sql`e AS (UPDATE engagement SET ${sql.join(sets)} WHERE id = ${engagement.id})`);
  }
  if (journal) ctes.push(sql`j AS (${journalCte(acteur, m.conventionId, journal)})`);
  try {
    await sql`WITH ${sql.join(ctes)} SELECT 1`.execute(trx);
  } catch (e) {
    traduire(e);
  }
}

type EngagementRow = Record<string, unknown>;

function engagementDepuisLigne(r: EngagementRow): Engagement {
  return {
    id: r.id as string,
    conventionId: r.convention_id as string,
    numero: r.numero as string,
    annee: Number(r.annee),
    dateEngagement: r.date_engagement as string,
    dateFinPrestation: (r.date_fin_prestation as string | null) ?? null,
    titulaire: r.titulaire as string,
    marche: (r.marche as string | null) ?? null,
    devis: (r.devis as string | null) ?? null,
    objet: r.objet as string,
    produit: (r.produit as string | null) ?? null,
    montantCentimes: Number(r.montant),
    baseMontant: r.base_montant as BaseMontant,
    statut: r.statut as StatutEngagement,
    libereCentimes: Number(r.libere),
    certifieCentimes: Number(r.certifie),
    payeCentimes: Number(r.paye),
    creeLe: r.cree_le instanceof Date ? r.cree_le.toISOString() : String(r.cree_le),
    acteurNom: r.acteur_nom as string,
  };
}

export async function lireEngagement(ex: Executor, conventionId: string, id: string, opts: { verrou?: boolean } = {}): Promise<Engagement | null> {
  if (!isUuid(id)) return null;
  const r = await sql<EngagementRow>`SELECT * FROM engagement WHERE id = ${id} AND convention_id = ${conventionId} ${opts.verrou ? sql`FOR UPDATE` : sql``}`.execute(ex);
  return r.rows[0] ? engagementDepuisLigne(r.rows[0]) : null;
}

export async function listerEngagements(ex: Executor, conventionId: string, f: FiltreEngagements): Promise<{ items: Engagement[]; total: number }> {
  const annee = f.annee === undefined ? sql`` : sql`AND annee = ${f.annee}`;
  const [rows, count] = await Promise.all([
    sql<EngagementRow>`SELECT * FROM engagement WHERE convention_id = ${conventionId} ${annee}
      ORDER BY annee DESC, date_engagement DESC, numero DESC LIMIT ${f.taille} OFFSET ${(f.page - 1) * f.taille}`.execute(ex),
    sql<{ n: number }>`SELECT count(*)::bigint AS n FROM engagement WHERE convention_id = ${conventionId} ${annee}`.execute(ex),
  ]);
  return { items: rows.rows.map(engagementDepuisLigne), total: Number(count.rows[0].n) };
}

/** Every order of a convention, for exports (streams nothing: a convention has thousands at most). */
export async function tousEngagements(ex: Executor, conventionId: string, annee?: number): Promise<Engagement[]> {
  const r = await sql<EngagementRow>`SELECT * FROM engagement WHERE convention_id = ${conventionId} ${annee === undefined ? sql`` : sql`AND annee = ${annee}`}
    ORDER BY annee, date_engagement, numero`.execute(ex);
  return r.rows.map(engagementDepuisLigne);
}

function mouvementDepuisLigne(r: Record<string, unknown>): Mouvement {
  return {
    id: Number(r.id),
    annee: Number(r.annee),
    type: r.type as TypeMouvement,
    engagementId: (r.engagement_id as string | null) ?? null,
    dateOperation: r.date_operation as string,
    ouvertAe: Number(r.ouvert_ae),
    ouvertCp: Number(r.ouvert_cp),
    engageAe: Number(r.engage_ae),
    certifie: Number(r.certifie),
    payeCp: Number(r.paye_cp),
    pourcentage: r.pourcentage === null ? null : Number(r.pourcentage),
    reference: (r.reference as string | null) ?? null,
    certificateur: (r.certificateur as string | null) ?? null,
    motif: (r.motif as string | null) ?? null,
    derogation: (r.derogation as string | null) ?? null,
    acteurNom: r.acteur_nom as string,
    enregistreLe: r.enregistre_le instanceof Date ? r.enregistre_le.toISOString() : String(r.enregistre_le),
  };
}

export async function mouvementsEngagement(ex: Executor, engagementId: string): Promise<Mouvement[]> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM mouvement WHERE engagement_id = ${engagementId} ORDER BY id`.execute(ex);
  return r.rows.map(mouvementDepuisLigne);
}

/** Movements that change availability (few per year): openings, carry-over, returns. */
export async function mouvementsDisponibilite(ex: Executor, conventionId: string): Promise<Mouvement[]> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM mouvement WHERE convention_id = ${conventionId}
    AND type IN ('mise_a_disposition','report_entrant','report_sortant','restitution') ORDER BY annee, id`.execute(ex);
  return r.rows.map(mouvementDepuisLigne);
}

/** Daily sums of commitments (net of releases) and payments of a year, for the chart. */
export async function serieJournaliere(ex: Executor, conventionId: string, annee: number): Promise<PointSerie[]> {
  const r = await sql<{ d: string; ae: number; cp: number }>`
    SELECT date_operation AS d, sum(engage_ae)::bigint AS ae, sum(paye_cp)::bigint AS cp FROM mouvement
    WHERE convention_id = ${conventionId} AND annee = ${annee} AND type IN ('engagement','liberation','paiement')
    GROUP BY date_operation ORDER BY date_operation`.execute(ex);
  return r.rows.map((x) => ({ date: x.d, engageAe: Number(x.ae), payeCp: Number(x.cp) }));
}

/** Totals rebuilt from the movements alone: what the totals rows must equal (audit and tests). */
export async function recalculerTotaux(ex: Executor, conventionId: string): Promise<Array<Pick<TotauxCredit, 'annee' | 'ouvertAe' | 'ouvertCp' | 'engageAe' | 'certifie' | 'payeCp'>>> {
  const r = await sql<Record<string, number>>`
    SELECT annee, sum(ouvert_ae)::bigint AS ouvert_ae, sum(ouvert_cp)::bigint AS ouvert_cp, sum(engage_ae)::bigint AS engage_ae,
      sum(certifie)::bigint AS certifie, sum(paye_cp)::bigint AS paye_cp
    FROM mouvement WHERE convention_id = ${conventionId} GROUP BY annee ORDER BY annee`.execute(ex);
  return r.rows.map((x) => ({ annee: Number(x.annee), ouvertAe: Number(x.ouvert_ae), ouvertCp: Number(x.ouvert_cp), engageAe: Number(x.engage_ae), certifie: Number(x.certifie), payeCp: Number(x.paye_cp) }));
}

export async function insererDecision(
  trx: Trx,
  acteur: Acteur,
  d: { conventionId: string; type: 'liberation_tranche' | 'disponibilite'; annee?: number; rang?: number; ae?: Centimes; cp?: Centimes; dateEffet: DateIso; motif: string; decideur?: string | null },
): Promise<void> {
  try {
    await trx
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
        acteur_id: acteur.id,
        acteur_nom: acteur.nom,
      })
      .execute();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new ConflictError('TRANCHE_DEJA_LIBEREE', `La tranche ${d.rang} est déjà libérée.`);
    throw e;
  }
}

export async function lireParametres(ex: Executor): Promise<ParametresCalendrier> {
  const rows = await ex.selectFrom('parametre').select(['cle', 'valeur']).execute();
  return parametresDepuis(Object.fromEntries(rows.map((r) => [r.cle, r.valeur])));
}

export async function ecrireParametres(trx: Trx, acteur: Acteur, p: ParametresCalendrier): Promise<void> {
  for (const [cle, valeur] of Object.entries(p)) {
    await trx
      .insertInto('parametre')
      .values({ cle, valeur: String(valeur), modifie_par: acteur.nom })
      .onConflict((oc) => oc.column('cle').doUpdateSet({ valeur: String(valeur), modifie_par: acteur.nom, modifie_le: new Date() }))
      .execute();
  }
}

export async function journalParametres(trx: Trx, acteur: Acteur, changements: Array<{ champ: string; avant: unknown; apres: unknown }>, commentaire: string | null): Promise<void> {
  await trx
    .insertInto('journal')
    .values({ convention_id: null, objet_type: 'parametre', objet_id: 'calendrier', action: 'parametres', acteur_id: acteur.id, acteur_nom: acteur.nom, acteur_role: acteur.role, changements: json(changements), commentaire })
    .execute();
}

export async function insererAlerte(ex: Executor, acteur: Acteur, a: { conventionId: string; annee: number | null; code: string; message: string; details: Record<string, unknown>; destinataire: string | null }): Promise<void> {
  await ex
    .insertInto('alerte')
    .values({ convention_id: a.conventionId, annee: a.annee, code: a.code, message: a.message, details: json(a.details), destinataire: a.destinataire, acteur_id: acteur.id, acteur_nom: acteur.nom })
    .execute();
}

function scopeSql(scope: Perimetre, alias: string): RawBuilder<boolean> {
  if (scope.tout) return sql<boolean>`true`;
  const ors: RawBuilder<boolean>[] = [];
  const a = sql.raw(alias);
  if (scope.siret) ors.push(sql<boolean>`${a}.delegant_siret = ${scope.siret}`, sql<boolean>`${a}.delegataire_siret = ${scope.siret}`);
  for (const p of scope.produits) ors.push(sql<boolean>`${a}.produits @> ${json([p])}::jsonb`);
  return ors.length ? sql<boolean>`(${sql.join(ors, sql` OR `)})` : sql<boolean>`false`;
}

export async function listerAlertes(ex: Executor, scope: Perimetre, opts: { conventionId?: string; ouvertes?: boolean; limite: number }): Promise<AlerteEnregistree[]> {
  const r = await sql<Record<string, unknown>>`
    SELECT a.*, coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention') AS libelle FROM alerte a JOIN convention c ON c.id = a.convention_id
    WHERE ${scopeSql(scope, 'c')} ${opts.conventionId ? sql`AND a.convention_id = ${opts.conventionId}` : sql``}
      ${opts.ouvertes ? sql`AND a.traitee_le IS NULL` : sql``}
    ORDER BY a.id DESC LIMIT ${opts.limite}`.execute(ex);
  return r.rows.map((x) => ({
    id: Number(x.id),
    conventionId: x.convention_id as string,
    conventionLibelle: x.libelle as string,
    annee: x.annee === null ? null : Number(x.annee),
    code: x.code as string,
    message: x.message as string,
    details: x.details as Record<string, unknown>,
    destinataire: (x.destinataire as string | null) ?? null,
    acteurNom: x.acteur_nom as string,
    le: x.le instanceof Date ? x.le.toISOString() : String(x.le),
    traiteeLe: x.traitee_le instanceof Date ? x.traitee_le.toISOString() : ((x.traitee_le as string | null) ?? null),
    traiteePar: (x.traitee_par as string | null) ?? null,
  }));
}

/** Marks an alert dealt with; null when it already was. */
export async function traiterAlerte(ex: Executor, id: number, par: string, le: Date): Promise<string | null> {
  const r = await ex.updateTable('alerte').set({ traitee_le: le, traitee_par: par }).where('id', '=', id).where('traitee_le', 'is', null).returning('convention_id').executeTakeFirst();
  return r?.convention_id ?? null;
}

export async function lireAlerte(ex: Executor, id: number): Promise<{ conventionId: string; message: string } | null> {
  const r = await ex.selectFrom('alerte').select(['convention_id', 'message']).where('id', '=', id).executeTakeFirst();
  return r ? { conventionId: r.convention_id, message: r.message } : null;
}

const PARTENAIRE = sql<string>`CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END`;

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

function filtrePortefeuille(f: FiltrePortefeuille, scope: Perimetre): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [scopeSql(scope, 'c')];
  if (f.annee !== undefined) conds.push(sql`ca.annee = ${f.annee}`);
  if (f.partenaire) conds.push(sql`${PARTENAIRE} ILIKE ${likePattern(f.partenaire.trim())}`);
  if (f.roleDinum) conds.push(sql`c.role_dinum = ${f.roleDinum}`);
  if (f.promotionFast) conds.push(sql`c.promotion_fast = ${f.promotionFast}`);
  return sql.join(conds, sql` AND `);
}

const SOMMES = sql`coalesce(sum(ca.ouvert_ae), 0)::bigint AS ouvert_ae, coalesce(sum(ca.engage_ae), 0)::bigint AS engage_ae,
  coalesce(sum(ca.certifie), 0)::bigint AS certifie, coalesce(sum(ca.ouvert_cp), 0)::bigint AS ouvert_cp, coalesce(sum(ca.paye_cp), 0)::bigint AS paye_cp`;

const somme = (r: Record<string, unknown>, cle: string | null): SommePortefeuille => ({
  cle,
  n: Number(r.n ?? 0),
  ouvertAe: Number(r.ouvert_ae),
  engageAe: Number(r.engage_ae),
  certifie: Number(r.certifie),
  ouvertCp: Number(r.ouvert_cp),
  payeCp: Number(r.paye_cp),
});

/**
 * The portfolio: one line per convention (its years summed, or the chosen year), a page of them, the grand
 * total and subtotals by one dimension. Reads the totals rows only, never the movements.
 */
export async function lirePortefeuille(ex: Executor, f: FiltrePortefeuille, scope: Perimetre, groupe: GroupePortefeuille, aujourdHui: DateIso): Promise<Portefeuille> {
  const where = filtrePortefeuille(f, scope);
  const cle =
    groupe === 'annee' ? sql`ca.annee::text` : groupe === 'role_dinum' ? sql`c.role_dinum` : groupe === 'promotion_fast' ? sql`c.promotion_fast` : PARTENAIRE;
  const [items, total, groupes] = await Promise.all([
    sql<Record<string, unknown>>`
      SELECT c.id, c.reference, c.produits, ${PARTENAIRE} AS partenaire, c.role_dinum, c.promotion_fast, c.fin_effective,
        CASE WHEN c.statut = 'en_vigueur' AND c.fin_effective < ${aujourdHui}::date THEN 'terminee' ELSE c.statut END AS statut, ${SOMMES}
      FROM convention c JOIN credit_annuel ca ON ca.convention_id = c.id
      WHERE ${where}
      GROUP BY c.id
      ORDER BY sum(ca.ouvert_ae) - sum(ca.engage_ae) DESC, c.id
      LIMIT ${f.taille} OFFSET ${(f.page - 1) * f.taille}`.execute(ex),
    sql<Record<string, unknown>>`
      SELECT count(DISTINCT c.id)::bigint AS n, ${SOMMES} FROM convention c JOIN credit_annuel ca ON ca.convention_id = c.id WHERE ${where}`.execute(ex),
    sql<Record<string, unknown>>`
      SELECT ${cle} AS cle, count(DISTINCT c.id)::bigint AS n, ${SOMMES} FROM convention c JOIN credit_annuel ca ON ca.convention_id = c.id
      WHERE ${where} GROUP BY 1 ORDER BY 1 NULLS LAST`.execute(ex),
  ]);
  return {
    items: items.rows.map((r) => ({
      conventionId: r.id as string,
      reference: r.reference as string | null,
      produits: r.produits as string[],
      partenaire: r.partenaire as string,
      roleDinum: r.role_dinum as RoleDinum,
      promotionFast: (r.promotion_fast as string | null) ?? null,
      statut: r.statut as StatutEffectif,
      finEffective: (r.fin_effective as string | null) ?? null,
      ouvertAe: Number(r.ouvert_ae),
      engageAe: Number(r.engage_ae),
      certifie: Number(r.certifie),
      ouvertCp: Number(r.ouvert_cp),
      payeCp: Number(r.paye_cp),
    })),
    total: somme(total.rows[0], null),
    groupes: groupes.rows.map((r) => somme(r, r.cle === null ? null : String(r.cle))),
  };
}

/** Totals rows of the year across the conventions in scope, for the alerts computed from the figures. */
export async function situationsAnnee(ex: Executor, scope: Perimetre, annee: number): Promise<Array<{ conventionId: string; libelle: string; statut: string; finEffective: DateIso | null; totaux: TotauxCredit & { ouverture: DateIso | null } }>> {
  const r = await sql<Record<string, unknown>>`
    SELECT ca.*, coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention') AS libelle, c.statut AS statut_convention, c.fin_effective
    FROM credit_annuel ca JOIN convention c ON c.id = ca.convention_id
    WHERE ca.annee = ${annee} AND ${scopeSql(scope, 'c')} ORDER BY libelle`.execute(ex);
  return r.rows.map((x) => ({
    conventionId: x.convention_id as string,
    libelle: x.libelle as string,
    statut: x.statut_convention as string,
    finEffective: (x.fin_effective as string | null) ?? null,
    totaux: totauxDepuisLigne(x),
  }));
}

/** Conventions whose schedule has a year without totals row yet (created before the credits existed). */
export async function conventionsSansCredits(ex: Executor): Promise<string[]> {
  const r = await sql<{ id: string }>`
    SELECT DISTINCT e.convention_id AS id FROM echeancier e JOIN convention c ON c.id = e.convention_id
    WHERE c.statut NOT IN ('brouillon', 'a_verifier') AND c.date_signature IS NOT NULL
      AND (coalesce(e.ae_centimes, 0) > 0 OR coalesce(e.cp_centimes, 0) > 0)
      AND NOT EXISTS (SELECT 1 FROM credit_annuel ca WHERE ca.convention_id = e.convention_id AND ca.annee = e.annee)`.execute(ex);
  return r.rows.map((x) => x.id);
}
