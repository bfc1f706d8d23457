// Over 400 lines: a year's totals, its ceilings, what is open on a date and the projection; the cap across
// years lives in credit-plafond.ts, dated movements in credit-mouvement.ts.
import {
  estSignee,
  type ConventionSaisie,
  type LigneEcheancier,
  type Partie,
  type RoleDinum,
  type Statut,
  type Tranche,
} from './convention.js';
import { dateDansAnnee, type ParametresCalendrier } from './calendrier.js';
import { daysBetween, formatDate, isDateIso, type DateIso } from './dates.js';
import { ConflictError, type FieldError } from './errors.js';
import { depasseMontantMax, formatEuros, MESSAGE_MONTANT_MAX, part, type BaseMontant, type Centimes } from './money.js';

/**
 * Credits of one convention for one budget year. AE (autorisations d'engagement) are consumed by orders,
 * CP (crédits de paiement) by payments. `ouvert*` is what the délégant made available, net of carry-over
 * and returns; `engageAe` is net of the AE released by closing or cancelling orders.
 */
export interface TotauxCredit {
  annee: number;
  /** availability from the schedule, the tranches released and the administrators' decisions */
  baseAe: Centimes;
  baseCp: Centimes;
  reporteEntrantAe: Centimes;
  reporteEntrantCp: Centimes;
  reporteSortantAe: Centimes;
  reporteSortantCp: Centimes;
  restitueAe: Centimes;
  restitueCp: Centimes;
  ouvertAe: Centimes;
  ouvertCp: Centimes;
  engageAe: Centimes;
  libereAe: Centimes;
  /** work certified on the orders of this year */
  certifie: Centimes;
  /** payments dated in this year, whatever the year of their order */
  payeCp: Centimes;
  nbEngagements: number;
  /** date from which the year's credits are open */
  ouverture: DateIso | null;
  /** the latest effect date of the year's movements: a movement dated on or after it changes no earlier date */
  dernierEffet: DateIso | null;
  /** on the row an operation locked only: the instant the year was closed for the convention, if it was */
  closLe?: string | null;
}

export function totauxVides(annee: number): TotauxCredit {
  return {
    annee,
    baseAe: 0,
    baseCp: 0,
    reporteEntrantAe: 0,
    reporteEntrantCp: 0,
    reporteSortantAe: 0,
    reporteSortantCp: 0,
    restitueAe: 0,
    restitueCp: 0,
    ouvertAe: 0,
    ouvertCp: 0,
    engageAe: 0,
    libereAe: 0,
    certifie: 0,
    payeCp: 0,
    nbEngagements: 0,
    ouverture: null,
    dernierEffet: null,
  };
}

export const disponibleAe = (t: TotauxCredit): Centimes => t.ouvertAe - t.engageAe;
export const disponibleCp = (t: TotauxCredit): Centimes => t.ouvertCp - t.payeCp;

/**
 * A refusal for insufficient credits: says what was available, what was asked and the shortfall; with a
 * date, what was available on that date (the ledger is dated: a backdated movement only finds what was
 * open then).
 */
export class PlafondDepasseError extends ConflictError {
  constructor(
    readonly nature: 'AE' | 'CP',
    readonly annee: number,
    readonly disponible: Centimes,
    readonly demande: Centimes,
    readonly date: DateIso | null = null,
  ) {
    const manque = demande - disponible;
    const quoi = nature === 'AE' ? 'd’AE (autorisations d’engagement)' : 'de CP (crédits de paiement)';
    const quand = date ? ` au ${formatDate(date)}` : '';
    super(
      nature === 'AE' ? 'PLAFOND_AE_DEPASSE' : 'PLAFOND_CP_DEPASSE',
      `Crédits insuffisants${quand} : ${formatEuros(disponible)} ${quoi} disponibles${date ? ' à cette date' : ''} sur ${annee}, ${formatEuros(demande)} demandés ; il manque ${formatEuros(manque)}.`,
      {
        annee,
        disponible_centimes: disponible,
        demande_centimes: demande,
        manque_centimes: manque,
        ...(date ? { date } : {}),
      },
    );
  }
}

/** Committed AE (net of releases) may never exceed the AE available for the year. */
export function verifierPlafondAe(t: TotauxCredit, demande: Centimes): void {
  if (t.ouvertAe === 0 && t.engageAe === 0) {
    throw new ConflictError(
      'ANNEE_SANS_CREDITS',
      `Aucun crédit n’est ouvert sur ${t.annee} pour cette convention : aucun engagement n’est possible sur cette année.`,
      {
        annee: t.annee,
        disponible_centimes: 0,
        demande_centimes: demande,
      },
    );
  }
  if (t.engageAe + demande > t.ouvertAe) throw new PlafondDepasseError('AE', t.annee, disponibleAe(t), demande);
}

/** Paid CP in a year may never exceed the CP available that year. */
export function verifierPlafondCp(t: TotauxCredit, demande: Centimes): void {
  if (t.payeCp + demande > t.ouvertCp) throw new PlafondDepasseError('CP', t.annee, disponibleCp(t), demande);
}

export interface LiberationTranche {
  rang: number;
  dateEffet: DateIso;
  motif: string;
  decideur: string | null;
}

export interface DecisionDisponibilite {
  annee: number;
  aeCentimes: Centimes;
  cpCentimes: Centimes;
  dateEffet: DateIso;
  motif: string;
}

export interface Ouverture {
  ae: Centimes;
  cp: Centimes;
  /** from when these credits are available */
  dateEffet: DateIso | null;
  /** why, for the movement that records it */
  motif: string;
}

type ConventionOuverture = Pick<ConventionSaisie, 'statut' | 'dateSignature' | 'echeancier' | 'tranches'>;

/**
 * What the délégant made available for a year, before carry-over and returns:
 * - an administrator's recorded decision for that year replaces everything else (the latest one);
 * - otherwise nothing before the convention is signed and validated;
 * - otherwise the year's scheduled AE and CP, available from the later of the signature and 1 January;
 *   with tranches, the AE are the schedule times the shares of the released tranches (the first one at
 *   signature, the others by a recorded decision; the last released tranche takes the rounding remainder
 *   so that all tranches together give exactly the schedule). CP follow the schedule: they can only pay
 *   work certified on orders, which the AE already bound.
 */
export function ouvertureAnnee(
  c: ConventionOuverture,
  annee: number,
  liberations: LiberationTranche[],
  decisions: DecisionDisponibilite[],
): Ouverture {
  const decision = decisions.filter((d) => d.annee === annee).at(-1);
  if (decision) {
    return {
      ae: decision.aeCentimes,
      cp: decision.cpCentimes,
      dateEffet: decision.dateEffet,
      motif: `Décision du ${formatDate(decision.dateEffet)} : ${decision.motif}`,
    };
  }
  if (!c.dateSignature || !estSignee(c.statut)) {
    return { ae: 0, cp: 0, dateEffet: null, motif: 'Convention non signée ou non validée' };
  }
  const ligne = c.echeancier.find((l) => l.annee === annee);
  const debut = [c.dateSignature, `${annee}-01-01`].sort().at(-1)!;
  const ae = ligne?.aeCentimes ?? 0;
  const cp = ligne?.cpCentimes ?? 0;
  if (c.tranches.length === 0) return { ae, cp, dateEffet: debut, motif: `Échéancier ${annee}` };

  const liberees = new Map(liberations.map((l) => [l.rang, l]));
  let aeOuvert = 0;
  let pctLibere = 0;
  const morceaux: string[] = [];
  let dateEffet = debut;
  c.tranches.forEach((t, i) => {
    const rang = i + 1;
    const lib = liberees.get(rang);
    if (rang !== 1 && !lib) return;
    pctLibere += t.partPct;
    aeOuvert += part(ae, t.partPct);
    morceaux.push(
      rang === 1
        ? `tranche 1 (${t.partPct} %) à la signature`
        : `tranche ${rang} (${t.partPct} %) libérée le ${formatDate(lib!.dateEffet)}`,
    );
    if (lib && lib.dateEffet > dateEffet) dateEffet = lib.dateEffet;
  });
  if (Math.abs(pctLibere - 100) < 1e-9 || pctLibere > 100) aeOuvert = ae;
  return { ae: aeOuvert, cp, dateEffet, motif: `Échéancier ${annee} : ${morceaux.join(', ')}` };
}

/** Years that carry credits for a convention: its schedule, its decisions, and any year already used. */
export function anneesCredits(
  c: Pick<ConventionSaisie, 'echeancier'>,
  decisions: DecisionDisponibilite[],
  existantes: number[],
): number[] {
  return [...new Set([...c.echeancier.map((l) => l.annee), ...decisions.map((d) => d.annee), ...existantes])].sort(
    (a, b) => a - b,
  );
}

/** An availability change may not leave less than what is already committed or paid. */
export function verifierNouvelleBase(t: TotauxCredit, base: Ouverture): void {
  const ouvertAe = t.ouvertAe - t.baseAe + base.ae;
  const ouvertCp = t.ouvertCp - t.baseCp + base.cp;
  if (ouvertAe < t.engageAe || ouvertCp < t.payeCp) {
    throw new ConflictError(
      'CREDITS_INFERIEURS_CONSOMMATION',
      `Les crédits ${t.annee} ne peuvent pas descendre sous ce qui est déjà consommé : ${formatEuros(t.engageAe)} d’AE engagées, ${formatEuros(t.payeCp)} de CP payés ` +
        `(nouvelle ouverture : ${formatEuros(ouvertAe)} d’AE, ${formatEuros(ouvertCp)} de CP).`,
      {
        annee: t.annee,
        engage_centimes: t.engageAe,
        paye_centimes: t.payeCp,
        ouvert_ae_centimes: ouvertAe,
        ouvert_cp_centimes: ouvertCp,
      },
    );
  }
}

export interface MontantsAeCp {
  aeCentimes: Centimes;
  cpCentimes: Centimes;
}

export function controlerMontantsAeCp(m: MontantsAeCp): FieldError[] {
  const erreurs: FieldError[] = [];
  for (const [champ, v] of [
    ['aeCentimes', m.aeCentimes],
    ['cpCentimes', m.cpCentimes],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) erreurs.push({ champ, message: 'Indiquez un montant positif ou nul.' });
    else if (depasseMontantMax(v)) erreurs.push({ champ, message: MESSAGE_MONTANT_MAX });
  }
  if (erreurs.length === 0 && m.aeCentimes === 0 && m.cpCentimes === 0)
    erreurs.push({ champ: 'aeCentimes', message: 'Indiquez un montant d’AE ou de CP.' });
  return erreurs;
}

/**
 * Carry-over and returns move only what is unused: AE not committed, CP not paid. A carry-over goes
 * from a year to the next one only (annuality).
 */
export function verifierInutilise(t: TotauxCredit, m: MontantsAeCp, operation: 'report' | 'restitution'): void {
  const libreAe = disponibleAe(t);
  const libreCp = disponibleCp(t);
  if (m.aeCentimes > libreAe || m.cpCentimes > libreCp) {
    const quoi = operation === 'report' ? 'reporter' : 'restituer';
    throw new ConflictError(
      'CREDITS_NON_DISPONIBLES',
      `On ne peut ${quoi} que des crédits inutilisés : sur ${t.annee}, ${formatEuros(libreAe)} d’AE et ${formatEuros(libreCp)} de CP sont inutilisés ` +
        `(demandé : ${formatEuros(m.aeCentimes)} d’AE, ${formatEuros(m.cpCentimes)} de CP).`,
      {
        annee: t.annee,
        disponible_ae_centimes: libreAe,
        disponible_cp_centimes: libreCp,
        demande_ae_centimes: m.aeCentimes,
        demande_cp_centimes: m.cpCentimes,
      },
    );
  }
}

export interface Projection {
  /** committed AE expected at the orders cut-off, at the pace observed so far */
  aeProjete: Centimes;
  /** paid CP expected at the payments cut-off */
  cpProjete: Centimes;
  /** what that pace leaves unused */
  aeInutilise: Centimes;
  cpInutilise: Centimes;
  /** false when too little time has passed to speak of a pace */
  significative: boolean;
}

/** Linear extrapolation of one consumption from its opening to the cut-off, never above what is open. */
function extrapoler(
  consomme: Centimes,
  ouvert: Centimes,
  debut: DateIso,
  aujourdHui: DateIso,
  limite: DateIso,
): Centimes {
  if (aujourdHui >= limite) return consomme;
  const ecoule = daysBetween(debut, aujourdHui);
  if (ecoule <= 0) return consomme;
  const total = daysBetween(debut, limite);
  const projete = Math.round((consomme * total) / ecoule);
  return Math.min(Math.max(projete, consomme), Math.max(ouvert, consomme));
}

/**
 * Year-end projection from the pace of consumption: what was consumed since the credits opened,
 * extrapolated to the cut-offs of the year. Orders stop at the convention's end (`fin`): committed AE are
 * extrapolated to it, not beyond, and stay as they are after it; payments go on to their cut-off.
 */
export function projeterFinAnnee(
  t: TotauxCredit,
  ouverture: DateIso | null,
  aujourdHui: DateIso,
  p: ParametresCalendrier,
  fin: DateIso | null = null,
): Projection {
  const debut = ouverture && isDateIso(ouverture) && ouverture > `${t.annee}-01-01` ? ouverture : `${t.annee}-01-01`;
  const coupure = dateDansAnnee(p.limiteEngagements, t.annee);
  const limiteAe = fin !== null && fin < coupure ? fin : coupure;
  const limiteCp = dateDansAnnee(p.limitePaiements, t.annee);
  const jour = aujourdHui < debut ? debut : aujourdHui > `${t.annee}-12-31` ? `${t.annee}-12-31` : aujourdHui;
  const aeProjete = extrapoler(t.engageAe, t.ouvertAe, debut, jour, limiteAe);
  const cpProjete = extrapoler(t.payeCp, t.ouvertCp, debut, jour, limiteCp);
  return {
    aeProjete,
    cpProjete,
    aeInutilise: Math.max(0, t.ouvertAe - aeProjete),
    cpInutilise: Math.max(0, t.ouvertCp - cpProjete),
    significative: daysBetween(debut, jour) >= 30,
  };
}

/** What the credit rules need of a convention, read in one query with its credits and the settings. */
export interface ConventionCredits {
  id: string;
  reference: string | null;
  statut: Statut;
  roleDinum: RoleDinum;
  delegant: Partie;
  delegataire: Partie;
  produits: string[];
  publiee: boolean;
  baseMontants: BaseMontant;
  /** the total AE the text states, if it does */
  totalAeCentimes: Centimes | null;
  dateSignature: DateIso | null;
  dateFin: DateIso | null;
  dureeMois: number | null;
  /** effect date of a termination notified and not withdrawn: the convention's end if earlier than its term */
  resiliationEffet: DateIso | null;
  promotionFast: string | null;
  echeancier: LigneEcheancier[];
  tranches: Tranche[];
  liberations: LiberationTranche[];
  decisions: DecisionDisponibilite[];
  parametres: ParametresCalendrier;
  /** totals as stored (not locked), by year; empty when read without them */
  credits: TotauxCredit[];
  /** exercises closed for this convention (or the whole portfolio), with the instant of their closing */
  exercicesClos: ExerciceClos[];
}

/**
 * A closed exercise (« clôture de gestion »): from the instant `closLe` (ISO timestamp) on, nothing dated
 * in year `annee` may be recorded, whatever date is typed.
 */
export interface ExerciceClos {
  annee: number;
  closLe: string;
}

/**
 * The ledger of a year's credits, append-only: every change of the totals is one movement, and the
 * totals rebuild from the movements.
 */
export type TypeMouvement =
  | 'mise_a_disposition'
  | 'report_entrant'
  | 'report_sortant'
  | 'restitution'
  | 'engagement'
  | 'liberation'
  | 'service_fait'
  | 'paiement';

export interface Mouvement {
  id: number;
  annee: number;
  type: TypeMouvement;
  engagementId: string | null;
  dateOperation: DateIso;
  ouvertAe: Centimes;
  ouvertCp: Centimes;
  engageAe: Centimes;
  certifie: Centimes;
  payeCp: Centimes;
  pourcentage: number | null;
  reference: string | null;
  certificateur: string | null;
  motif: string | null;
  derogation: string | null;
  acteurNom: string;
  enregistreLe: string;
}

/** One day of the chart: commitments (net of releases) and payments. */
export interface PointSerie {
  date: DateIso;
  engageAe: Centimes;
  payeCp: Centimes;
}
