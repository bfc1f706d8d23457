import type { Acteur } from './acces.js';
import { dateDansAnnee, type ParametresCalendrier } from './calendrier.js';
import type { Partie, RoleDinum } from './convention.js';
import { disponibleAe, disponibleCp, type ExerciceClos, type MontantsAeCp, type TotauxCredit } from './credit.js';
import { addDays, formatDate, isDateIso, yearOf, type DateIso } from './dates.js';
import { ConflictError, ValidationError } from './errors.js';
import { depasseMontantMax, formatEuros, MESSAGE_MONTANT_MAX, type Centimes } from './money.js';

/**
 * The year-end closing of an exercise (« clôture de gestion »): from a date of the exercise's calendar, the
 * year is closed for one convention or the whole portfolio; nothing dated in it may then be recorded, what
 * was unused is carried over (with the délégant's agreement, given before the deadline) or returned, and
 * the year's statement is frozen.
 */

/** The budget years the product follows: a year outside them is a typing error. */
export const ANNEE_MIN = 2000;
export const ANNEE_MAX = 2100;

export function estAnneeSuivie(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= ANNEE_MIN && (n as number) <= ANNEE_MAX;
}

/** A carry-over opens the next year: the last year followed has none. */
export function verifierAnneeDeReport(annee: number): void {
  if (!estAnneeSuivie(annee)) throw new ValidationError([{ champ: 'annee', message: 'Année invalide.' }]);
  if (!estAnneeSuivie(annee + 1))
    throw new ValidationError([
      { champ: 'annee', message: `Un report ouvre l’année suivante : ${ANNEE_MAX} est la dernière année suivie.` },
    ]);
}

/** The dates of one exercise: each may be set for that year alone, else it follows the global calendar. */
export interface CalendrierExercice {
  annee: number;
  /** from this day the exercise may be closed */
  ouvertureCloture: DateIso;
  /** the délégant's agreement to a carry-over must be given and recorded by this day */
  limiteReport: DateIso;
  /** an exercise still open after this day (in N+1) raises an alert */
  limiteCloture: DateIso;
}

export type CalendrierExercicePropre = Partial<Omit<CalendrierExercice, 'annee'>>;

/**
 * By default the closing opens the day after the orders cut-off, the carry-over deadline is the global
 * one, and the closing is due by 31 January of the next year.
 */
export function calendrierExercice(
  annee: number,
  p: ParametresCalendrier,
  propre: CalendrierExercicePropre | null,
): CalendrierExercice {
  return {
    annee,
    ouvertureCloture: propre?.ouvertureCloture ?? addDays(dateDansAnnee(p.limiteEngagements, annee), 1),
    limiteReport: propre?.limiteReport ?? dateDansAnnee(p.limiteReport, annee),
    limiteCloture: propre?.limiteCloture ?? `${annee + 1}-01-31`,
  };
}

/** An exercise's own dates must be real dates around their year, in order. */
export function controlerCalendrierExercice(c: CalendrierExercice): { champ: string; message: string }[] {
  const erreurs: { champ: string; message: string }[] = [];
  for (const champ of ['ouvertureCloture', 'limiteReport', 'limiteCloture'] as const) {
    const v = c[champ];
    if (!isDateIso(v) || yearOf(v) < c.annee || yearOf(v) > c.annee + 1)
      erreurs.push({ champ, message: `Indiquez une date de ${c.annee} ou ${c.annee + 1} (AAAA-MM-JJ).` });
  }
  if (erreurs.length === 0 && c.limiteCloture < c.ouvertureCloture)
    erreurs.push({
      champ: 'limiteCloture',
      message: 'La date limite de clôture doit suivre l’ouverture de la clôture.',
    });
  if (erreurs.length === 0 && yearOf(c.limiteReport) !== c.annee)
    erreurs.push({ champ: 'limiteReport', message: `Un report se demande pendant l’exercice ${c.annee}.` });
  return erreurs;
}

/** The closing of a year may start only from its calendar's date. */
export function verifierClotureOuverte(cal: CalendrierExercice, aujourdHui: DateIso): void {
  if (aujourdHui < cal.ouvertureCloture) {
    throw new ConflictError(
      'CLOTURE_PREMATUREE',
      `La clôture de l’exercice ${cal.annee} n’est possible qu’à compter du ${formatDate(cal.ouvertureCloture)}.`,
      { annee: cal.annee, ouverture_cloture: cal.ouvertureCloture },
    );
  }
}

/** The closing of `annee` in the list, if any (the earliest, when both the convention and the portfolio were closed). */
export function clotureDe(clos: ExerciceClos[], annee: number): ExerciceClos | null {
  return (
    clos
      .filter((x) => x.annee === annee)
      .sort((a, b) => a.closLe.localeCompare(b.closLe))
      .at(0) ?? null
  );
}

/** The délégant's agreement to carry unused credits over, as recorded (null amounts: all that is unused). */
export interface AccordReport {
  annee: number;
  dateAccord: DateIso;
  /** who gave it, for the délégant */
  auteur: string;
  aeCentimes: Centimes | null;
  cpCentimes: Centimes | null;
  enregistreLe: string;
  acteurNom: string;
}

/**
 * An agreement counts only when given and recorded before the carry-over deadline: a later date, typed or
 * not, cannot fool it.
 */
export function verifierAccordReport(
  a: { dateAccord: DateIso; auteur: string; aeCentimes: Centimes | null; cpCentimes: Centimes | null },
  cal: CalendrierExercice,
  aujourdHui: DateIso,
  clos: ExerciceClos[],
): void {
  const erreurs: { champ: string; message: string }[] = [];
  if (!isDateIso(a.dateAccord)) erreurs.push({ champ: 'dateAccord', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (a.dateAccord > aujourdHui)
    erreurs.push({
      champ: 'dateAccord',
      message: 'L’accord se consigne une fois donné : la date ne peut être dans le futur.',
    });
  else if (yearOf(a.dateAccord) !== cal.annee)
    erreurs.push({
      champ: 'dateAccord',
      message: `L’accord sur un report des crédits ${cal.annee} est donné en ${cal.annee}.`,
    });
  if (!a.auteur.trim())
    erreurs.push({ champ: 'auteur', message: 'Indiquez qui, pour le délégant, a donné son accord.' });
  for (const champ of ['aeCentimes', 'cpCentimes'] as const) {
    const v = a[champ];
    if (v !== null && (!Number.isSafeInteger(v) || v < 0))
      erreurs.push({ champ, message: 'Indiquez un montant positif ou nul, en centimes entiers.' });
    else if (v !== null && depasseMontantMax(v)) erreurs.push({ champ, message: MESSAGE_MONTANT_MAX });
  }
  if (erreurs.length) throw new ValidationError(erreurs);
  if (clotureDe(clos, cal.annee))
    throw new ConflictError(
      'EXERCICE_CLOS',
      `L’exercice ${cal.annee} est clos : son report ne peut plus être décidé.`,
      {
        annee: cal.annee,
      },
    );
  const tard = a.dateAccord > cal.limiteReport ? a.dateAccord : aujourdHui > cal.limiteReport ? aujourdHui : null;
  if (tard) {
    throw new ConflictError(
      'REPORT_HORS_DELAI',
      `Un report des crédits ${cal.annee} devait être convenu avec le délégant et consigné au plus tard le ${formatDate(cal.limiteReport)} ` +
        `(${tard === a.dateAccord ? 'accord daté' : 'consigné'} du ${formatDate(tard)}) : les crédits inutilisés seront restitués à la clôture.`,
      { annee: cal.annee, limite_report: cal.limiteReport, date: tard },
    );
  }
}

/** What the closing does with a convention's unused credits: carried over as agreed, the rest returned. */
export interface PropositionCloture {
  inutiliseAe: Centimes;
  inutiliseCp: Centimes;
  report: MontantsAeCp;
  restitution: MontantsAeCp;
}

export function propositionCloture(t: TotauxCredit, accord: AccordReport | null): PropositionCloture {
  const inutiliseAe = Math.max(0, disponibleAe(t));
  const inutiliseCp = Math.max(0, disponibleCp(t));
  const reportAe = accord ? Math.min(inutiliseAe, accord.aeCentimes ?? inutiliseAe) : 0;
  const reportCp = accord ? Math.min(inutiliseCp, accord.cpCentimes ?? inutiliseCp) : 0;
  return {
    inutiliseAe,
    inutiliseCp,
    report: { aeCentimes: reportAe, cpCentimes: reportCp },
    restitution: { aeCentimes: inutiliseAe - reportAe, cpCentimes: inutiliseCp - reportCp },
  };
}

/** The year's statement of one convention, in AE and in CP (TTC or HT as the convention's amounts). */
export interface BilanExercice {
  annee: number;
  misADispositionAe: Centimes;
  misADispositionCp: Centimes;
  engageAe: Centimes;
  certifie: Centimes;
  payeCp: Centimes;
  /** unused before the closing's carry-over and return */
  inutiliseAe: Centimes;
  inutiliseCp: Centimes;
  reporteAe: Centimes;
  reporteCp: Centimes;
  restitueAe: Centimes;
  restitueCp: Centimes;
}

/** The statement from a year's totals: made available is the base plus what was carried in. */
export function bilanExercice(t: TotauxCredit): BilanExercice {
  const misADispositionAe = t.baseAe + t.reporteEntrantAe;
  const misADispositionCp = t.baseCp + t.reporteEntrantCp;
  return {
    annee: t.annee,
    misADispositionAe,
    misADispositionCp,
    engageAe: t.engageAe,
    certifie: t.certifie,
    payeCp: t.payeCp,
    inutiliseAe: Math.max(0, misADispositionAe - t.engageAe),
    inutiliseCp: Math.max(0, misADispositionCp - t.payeCp),
    reporteAe: t.reporteSortantAe,
    reporteCp: t.reporteSortantCp,
    restitueAe: t.restitueAe,
    restitueCp: t.restitueCp,
  };
}

/** A one-line account of what the closing did, for the journal. */
export function resumeCloture(annee: number, p: PropositionCloture): string {
  const morceaux = [`Clôture de l’exercice ${annee}`];
  if (p.report.aeCentimes || p.report.cpCentimes)
    morceaux.push(
      `report sur ${annee + 1} de ${formatEuros(p.report.aeCentimes)} d’AE et ${formatEuros(p.report.cpCentimes)} de CP (accord du délégant)`,
    );
  if (p.restitution.aeCentimes || p.restitution.cpCentimes)
    morceaux.push(
      `restitution de ${formatEuros(p.restitution.aeCentimes)} d’AE et ${formatEuros(p.restitution.cpCentimes)} de CP`,
    );
  if (morceaux.length === 1) morceaux.push('aucun crédit inutilisé');
  return morceaux.join(' : ');
}

type PartiesCloture = { roleDinum: RoleDinum; delegant: Pick<Partie, 'siret'> };

/**
 * Closing and agreeing to a carry-over are the délégant's: an administrator, the DINUM's budget officers
 * where the DINUM is délégant, a partner's budget officer where its organisation is.
 */
export function peutCloturer(a: Acteur, c: PartiesCloture): boolean {
  if (a.role === 'administrateur') return true;
  if (a.role === 'gestionnaire') return c.roleDinum === 'delegant';
  return a.role === 'partenaire' && a.organisationSiret !== null && c.delegant.siret === a.organisationSiret;
}

/** The alert of an exercise still open after its closing was due. */
export function alerteExerciceNonClos(
  cal: CalendrierExercice,
  clos: ExerciceClos | null,
  aujourdHui: DateIso,
): string | null {
  if (clos || aujourdHui <= cal.limiteCloture) return null;
  return `L’exercice ${cal.annee} n’est pas clos alors que sa clôture était attendue au plus tard le ${formatDate(cal.limiteCloture)}.`;
}
