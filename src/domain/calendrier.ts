import { daysBetween, formatDate, toIso, type DateIso } from './dates.js';
import type { FieldError } from './errors.js';

/**
 * Year-end calendar of the State's budget system. The dates move a little each year, so they are settings
 * (day and month, `MM-JJ`), applied to the budget year of each operation.
 */
export interface ParametresCalendrier {
  /** last day for payments of the year (about 30 November) */
  limitePaiements: string;
  /** last day for new orders of the year (about 12–15 December) */
  limiteEngagements: string;
  /** carry-over requests must be arranged with the ministry before this day (mid-November) */
  limiteReport: string;
  /** the year's orders and payments open on this day (early February) */
  reprise: string;
  /** a warning is shown this many days before a cut-off */
  avertissementJours: number;
  /** from this day, credits that the pace of consumption will leave unused raise an alert */
  debutAlertesSousConsommation: string;
}

export const PARAMETRES_DEFAUT: ParametresCalendrier = {
  limitePaiements: '11-30',
  limiteEngagements: '12-12',
  limiteReport: '11-15',
  reprise: '02-01',
  avertissementJours: 21,
  debutAlertesSousConsommation: '09-15',
};

export const LIBELLES_PARAMETRES: Record<keyof ParametresCalendrier, string> = {
  limitePaiements: 'Date limite des paiements',
  limiteEngagements: 'Date limite des engagements (bons de commande)',
  limiteReport: 'Date limite des demandes de report',
  reprise: 'Réouverture de l’exercice (engagements et paiements)',
  avertissementJours: 'Avertissement avant une date limite (jours)',
  debutAlertesSousConsommation: 'Début des alertes de sous-consommation',
};

const JOUR_MOIS = /^(\d{2})-(\d{2})$/;

/** `MM-JJ` of a day that exists every year (29 February does not). */
export function isJourMois(v: string): boolean {
  const m = JOUR_MOIS.exec(v);
  if (!m) return false;
  const mois = Number(m[1]);
  const jour = Number(m[2]);
  const longueurs = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return mois >= 1 && mois <= 12 && jour >= 1 && jour <= (longueurs[mois - 1] ?? 0);
}

export function controlerParametres(p: ParametresCalendrier): FieldError[] {
  const erreurs: FieldError[] = [];
  for (const cle of [
    'limitePaiements',
    'limiteEngagements',
    'limiteReport',
    'reprise',
    'debutAlertesSousConsommation',
  ] as const) {
    if (!isJourMois(p[cle])) erreurs.push({ champ: cle, message: 'Indiquez un jour au format MM-JJ (ex. 11-30).' });
  }
  if (!Number.isInteger(p.avertissementJours) || p.avertissementJours < 0 || p.avertissementJours > 120) {
    erreurs.push({ champ: 'avertissementJours', message: 'Indiquez un nombre de jours entre 0 et 120.' });
  }
  if (erreurs.length === 0 && p.reprise >= p.limitePaiements)
    erreurs.push({ champ: 'reprise', message: 'La réouverture doit précéder la date limite des paiements.' });
  if (erreurs.length === 0 && p.reprise >= p.limiteEngagements)
    erreurs.push({ champ: 'reprise', message: 'La réouverture doit précéder la date limite des engagements.' });
  return erreurs;
}

/** The calendar date of a setting in a given year. */
export function dateDansAnnee(jourMois: string, annee: number): DateIso {
  const [m = Number.NaN, d = Number.NaN] = jourMois.split('-').map(Number);
  return toIso(annee, m, d);
}

export type OperationCalendrier = 'engagement' | 'paiement';

export interface EtatCalendrier {
  etat: 'ouvert' | 'avertissement' | 'ferme';
  /** the cut-off that applies to this year */
  dateLimite: DateIso;
  message: string | null;
}

const NOMS: Record<OperationCalendrier, { pluriel: string; article: string }> = {
  engagement: { pluriel: 'engagements', article: 'des engagements' },
  paiement: { pluriel: 'paiements', article: 'des paiements' },
};

/**
 * Where a date stands in the year-end calendar for an operation on the credits of `annee`: open, close to
 * the cut-off (a warning), or closed (a refusal unless an administrator overrides with a reason).
 * The date's year is the budget year (annuality is checked by the caller).
 */
export function etatCalendrier(
  op: OperationCalendrier,
  annee: number,
  date: DateIso,
  p: ParametresCalendrier,
): EtatCalendrier {
  const limite = dateDansAnnee(op === 'engagement' ? p.limiteEngagements : p.limitePaiements, annee);
  const reprise = dateDansAnnee(p.reprise, annee);
  const nom = NOMS[op];
  if (date < reprise) {
    return {
      etat: 'ferme',
      dateLimite: limite,
      message: `L’exercice ${annee} n’est pas encore ouvert aux ${nom.pluriel} : réouverture le ${formatDate(reprise)}.`,
    };
  }
  if (date > limite) {
    return {
      etat: 'ferme',
      dateLimite: limite,
      message: `La date limite ${nom.article} de l’exercice ${annee} était le ${formatDate(limite)}.`,
    };
  }
  const jours = daysBetween(date, limite);
  if (jours <= p.avertissementJours) {
    const quand = jours === 0 ? 'aujourd’hui' : jours === 1 ? 'demain' : `dans ${jours} jours`;
    return {
      etat: 'avertissement',
      dateLimite: limite,
      message: `Date limite ${nom.article} de l’exercice ${annee} : ${formatDate(limite)} (${quand}).`,
    };
  }
  return { etat: 'ouvert', dateLimite: limite, message: null };
}
