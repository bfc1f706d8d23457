import type { TotauxCredit } from './credit.js';
import { disponibleAe, disponibleCp } from './credit.js';
import { addDays, formatDate, isDateIso, type DateIso } from './dates.js';
import { ConflictError, ValidationError, type FieldError } from './errors.js';
import type { Centimes } from './money.js';

/**
 * The insufficiency procedure of Article 5, as a tracked case: credits lacking for an order (a refusal for
 * lack of credits opens the case, later ones join it), or credits left unconsumed at the convention's end.
 * The délégataire informs the délégant (when, how, why the need); the délégant answers, by an adjustment of
 * the dotation (a dated availability decision) or a refusal. Without an adjustment after a delay, the
 * convention is proposed for suspension.
 */
export type NatureInsuffisance = 'credits' | 'inutilises';

export interface Information {
  date: DateIso;
  moyen: string;
  justification: string | null;
  auteur: string;
  le: string;
}

export interface Reponse {
  date: DateIso;
  decision: 'ajustement' | 'refus';
  motif: string;
  auteur: string;
  le: string;
}

export interface CasInsuffisance {
  id: number;
  conventionId: string;
  annee: number | null;
  nature: NatureInsuffisance;
  ouvertLe: string;
  ouvertPar: string;
  /** refusals joined to the case (credits) */
  nbRefus: number;
  /** the last refusal's figures, or what was left at the end */
  details: Record<string, unknown>;
  information: Information | null;
  reponse: Reponse | null;
}

export type EtapeInsuffisance = 'a_informer' | 'informe' | 'ajuste' | 'refuse';

export function etapeInsuffisance(c: CasInsuffisance): EtapeInsuffisance {
  if (c.reponse) return c.reponse.decision === 'ajustement' ? 'ajuste' : 'refuse';
  return c.information ? 'informe' : 'a_informer';
}

export const LIBELLES_ETAPES: Record<EtapeInsuffisance, string> = {
  a_informer: 'Délégant à informer',
  informe: 'Délégant informé, réponse attendue',
  ajuste: 'Dotation ajustée',
  refuse: 'Ajustement refusé',
};

/** No adjustment `delaiJours` after the case opened: the convention is proposed for suspension (not suspended). */
export function suspensionProposee(c: CasInsuffisance, delaiJours: number, aujourdHui: DateIso): boolean {
  if (c.nature !== 'credits' || c.reponse?.decision === 'ajustement') return false;
  return aujourdHui > addDays(c.ouvertLe.slice(0, 10), delaiJours);
}

const dateDonnee = (erreurs: FieldError[], date: DateIso, aujourdHui: DateIso, apres: DateIso) => {
  if (!isDateIso(date)) erreurs.push({ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (date > aujourdHui) erreurs.push({ champ: 'date', message: 'La date ne peut pas être dans le futur.' });
  else if (date < apres) erreurs.push({ champ: 'date', message: 'La date ne peut précéder l’ouverture du cas.' });
};

/** The délégant informed: once, dated between the case's opening and today, with how. */
export function verifierInformation(
  c: CasInsuffisance,
  i: { date: DateIso; moyen: string },
  aujourdHui: DateIso,
): void {
  if (c.reponse) throw new ConflictError('INSUFFISANCE_CLOSE', 'Le délégant a déjà répondu : le cas est clos.');
  if (c.information)
    throw new ConflictError('DELEGANT_DEJA_INFORME', 'Le délégant est déjà informé de cette insuffisance.');
  const erreurs: FieldError[] = [];
  dateDonnee(erreurs, i.date, aujourdHui, c.ouvertLe.slice(0, 10));
  if (!i.moyen.trim()) erreurs.push({ champ: 'moyen', message: 'Indiquez comment le délégant a été informé.' });
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** The délégant's answer: once, after being informed; an adjustment opens credits by a decision. */
export function verifierReponse(
  c: CasInsuffisance,
  r: { date: DateIso; decision: string; motif: string },
  aujourdHui: DateIso,
): void {
  if (c.reponse) throw new ConflictError('INSUFFISANCE_CLOSE', 'Le délégant a déjà répondu : le cas est clos.');
  if (!c.information)
    throw new ConflictError('DELEGANT_NON_INFORME', 'Le délégant doit d’abord être informé de l’insuffisance.');
  const erreurs: FieldError[] = [];
  dateDonnee(erreurs, r.date, aujourdHui, c.information.date);
  if (r.decision !== 'ajustement' && r.decision !== 'refus')
    erreurs.push({ champ: 'decision', message: 'Indiquez « ajustement » ou « refus ».' });
  if (!r.motif.trim()) erreurs.push({ champ: 'motif', message: 'Indiquez le motif.' });
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** What is left unconsumed after the end of a convention, all years together; null when nothing is. */
export function inutilisesEnFin(
  fin: DateIso | null,
  credits: TotauxCredit[],
  aujourdHui: DateIso,
): { aeCentimes: Centimes; cpCentimes: Centimes } | null {
  if (!fin || fin >= aujourdHui) return null;
  const ae = credits.reduce((s, t) => s + Math.max(0, disponibleAe(t)), 0);
  const cp = credits.reduce((s, t) => s + Math.max(0, disponibleCp(t)), 0);
  return ae > 0 || cp > 0 ? { aeCentimes: ae, cpCentimes: cp } : null;
}

/** Refusals for lack of credits: each opens or joins the convention's case. */
export const CODES_INSUFFISANCE: ReadonlySet<string> = new Set([
  'PLAFOND_AE_DEPASSE',
  'PLAFOND_CP_DEPASSE',
  'ANNEE_SANS_CREDITS',
]);

export const DELAI_INSUFFISANCE_JOURS = 30;

/** The delay of the settings: whole days, at least one week, at most a year. */
export function controlerDelaiInsuffisance(jours: number): FieldError[] {
  return Number.isInteger(jours) && jours >= 7 && jours <= 365
    ? []
    : [{ champ: 'delai_jours', message: 'Indiquez un délai entier entre 7 et 365 jours.' }];
}

/** The alert a case raises once its delay has passed without an adjustment; null before. */
export function alerteSuspension(c: CasInsuffisance, delaiJours: number, aujourdHui: DateIso): string | null {
  if (!suspensionProposee(c, delaiJours, aujourdHui)) return null;
  const echeance = addDays(c.ouvertLe.slice(0, 10), delaiJours);
  return `Insuffisance de crédits ouverte le ${formatDate(c.ouvertLe.slice(0, 10))} sans ajustement de la dotation au ${formatDate(echeance)} (délai de ${delaiJours} jours) : la suspension de la convention est proposée.`;
}
