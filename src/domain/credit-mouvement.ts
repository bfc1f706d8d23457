import { finEffective, type ConventionSaisie } from './convention.js';
import type { ExerciceClos, TotauxCredit } from './credit.js';
import { formatDate, today, yearOf, type DateIso } from './dates.js';
import { ConflictError } from './errors.js';
import type { Centimes } from './money.js';

/**
 * The rules of the dated ledger. Every movement has two dates: the date it takes effect, stated by the
 * user (order date, date of certified work, payment date, decision date), and the instant it was
 * recorded, from the server's clock. What is available on a date is what the movements dated on or before
 * it opened, less what those consumed: a movement dated D changes every date from D on.
 */

/** The closing of year `annee` if it was closed at `instant` (its closing instant is not later), else null. */
export function exerciceClosA(exercices: ExerciceClos[], annee: number, instant: Date): ExerciceClos | null {
  return exercices.find((x) => x.annee === annee && new Date(x.closLe).getTime() <= instant.getTime()) ?? null;
}

/**
 * A movement is refused when its budget year, the year of its effect date or the year it is recorded in
 * is closed at the instant it is recorded: typing an earlier date never reopens a closed exercise.
 */
export function verifierExerciceOuvert(
  exercices: ExerciceClos[],
  m: { annee: number; dateEffet: DateIso; enregistreLe: Date },
): void {
  for (const annee of new Set([m.annee, yearOf(m.dateEffet), yearOf(today(m.enregistreLe))])) {
    const clos = exerciceClosA(exercices, annee, m.enregistreLe);
    if (!clos) continue;
    const le = today(new Date(clos.closLe));
    throw new ConflictError(
      'EXERCICE_CLOS',
      `L’exercice ${annee} est clos depuis le ${formatDate(le)} : aucun mouvement imputé sur ${annee} ou daté de ${annee} ne peut plus être enregistré, quelle que soit la date saisie.`,
      { annee, clos_le: clos.closLe, date: m.dateEffet },
    );
  }
}

/**
 * A decision on a convention's credits (tranche release, availability, carry-over, return) takes effect
 * within the convention's life: never before its signature, never after its end.
 */
export function verifierDateDansConvention(
  c: Pick<ConventionSaisie, 'dateSignature' | 'dateFin' | 'dureeMois'>,
  date: DateIso,
  quoi: string,
): void {
  if (!c.dateSignature)
    throw new ConflictError(
      'DATE_HORS_CONVENTION',
      `La convention n’a pas de date de signature : ${quoi} ne peut être daté(e) avant elle.`,
      { date },
    );
  const fin = finEffective(c);
  if (date < c.dateSignature || (fin !== null && date > fin)) {
    const borne =
      date < c.dateSignature
        ? `avant la signature de la convention (${formatDate(c.dateSignature)})`
        : `après la fin de la convention (${formatDate(fin)})`;
    throw new ConflictError('DATE_HORS_CONVENTION', `${quoi} ne peut être daté(e) du ${formatDate(date)}, ${borne}.`, {
      date,
      date_signature: c.dateSignature,
      fin_effective: fin,
    });
  }
}

/** The sums of one day of a year's movements, as the ledger holds them. */
export interface JourGrandLivre {
  date: DateIso;
  ouvertAe: Centimes;
  ouvertCp: Centimes;
  engageAe: Centimes;
  payeCp: Centimes;
}

/** A new movement of a year: its effect date and its deltas. */
export interface AjoutGrandLivre {
  date: DateIso;
  ouvertAe?: Centimes;
  ouvertCp?: Centimes;
  engageAe?: Centimes;
  payeCp?: Centimes;
}

export interface DepassementADate {
  nature: 'AE' | 'CP';
  /** the first date on which the rule would break */
  date: DateIso;
  /** what was free on that date before the new movement: AE open less committed, or CP open less paid */
  libre: Centimes;
}

/**
 * A new movement may be checked on the totals alone when no movement of the year is dated after it: the
 * figures of every date from its own are then the totals. Otherwise the year's history is needed.
 */
export const historiqueNecessaire = (t: Pick<TotauxCredit, 'dernierEffet'>, date: DateIso): boolean =>
  t.dernierEffet !== null && date < t.dernierEffet;

/**
 * The first date from the new movement's on which committed AE would exceed open AE, or paid CP open CP,
 * recomputed from the day sums of the year's movements; null when every date holds. Only what the
 * movement can break is checked (more commitments or less open AE; more payments or less open CP).
 */
export function premierDepassement(jours: JourGrandLivre[], ajout: AjoutGrandLivre): DepassementADate | null {
  const controleAe = (ajout.engageAe ?? 0) > 0 || (ajout.ouvertAe ?? 0) < 0;
  const controleCp = (ajout.payeCp ?? 0) > 0 || (ajout.ouvertCp ?? 0) < 0;
  if (!controleAe && !controleCp) return null;
  const dates = [...new Set([...jours.map((j) => j.date), ajout.date])].sort();
  const parDate = new Map<DateIso, JourGrandLivre[]>();
  for (const j of jours) parDate.set(j.date, [...(parDate.get(j.date) ?? []), j]);
  let ouvertAe = 0;
  let ouvertCp = 0;
  let engageAe = 0;
  let payeCp = 0;
  for (const d of dates) {
    for (const j of parDate.get(d) ?? []) {
      ouvertAe += j.ouvertAe;
      ouvertCp += j.ouvertCp;
      engageAe += j.engageAe;
      payeCp += j.payeCp;
    }
    if (d < ajout.date) continue;
    if (controleAe && engageAe + (ajout.engageAe ?? 0) > ouvertAe + (ajout.ouvertAe ?? 0))
      return { nature: 'AE', date: d, libre: ouvertAe - engageAe };
    if (controleCp && payeCp + (ajout.payeCp ?? 0) > ouvertCp + (ajout.ouvertCp ?? 0))
      return { nature: 'CP', date: d, libre: ouvertCp - payeCp };
  }
  return null;
}
