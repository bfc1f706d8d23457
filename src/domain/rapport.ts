import { peutDeciderCredits, peutGererCredits, type Acteur, type PorteeConvention } from './acces.js';
import type { Avenant } from './avenant.js';
import type { ReunionComite } from './comite.js';
import { finEffective, type DatesFin } from './convention.js';
import { formatDate, isDateIso, type DateIso } from './dates.js';
import { etatEngagement, montantNet, type Engagement, type EtatEngagement } from './engagement.js';
import { ConflictError, ValidationError, type FieldError } from './errors.js';
import { bilanExercice, type BilanExercice } from './exercice.js';
import type { Centimes } from './money.js';
import type { TotauxCredit } from './credit.js';

/**
 * The report the délégataire owes at the end of the convention (Article 5 of the conventions: « rendre
 * compte au délégant au terme de la convention des dépenses réalisées et de l'avancement des travaux, et
 * présenter les prévisions de commande et de consommation »). The figures come from the ledger; the
 * délégataire writes progress and forecasts; the DINUM's budget office reviews it; then it is sent.
 */
export interface RapportFin {
  conventionId: string;
  avancement: string;
  previsions: string;
  redigePar: string | null;
  redigeLe: string | null;
  reluPar: string | null;
  reluLe: string | null;
  /** the day it was sent to the délégant, as stated */
  envoyeLe: DateIso | null;
  destinataires: string | null;
  envoyePar: string | null;
}

export type EtatRapport = 'a_rediger' | 'redige' | 'relu' | 'envoye';

export const LIBELLES_ETATS_RAPPORT: Record<EtatRapport, string> = {
  a_rediger: 'À rédiger',
  redige: 'Rédigé, à relire',
  relu: 'Relu, à envoyer',
  envoye: 'Envoyé',
};

export const rapportVide = (conventionId: string): RapportFin => ({
  conventionId,
  avancement: '',
  previsions: '',
  redigePar: null,
  redigeLe: null,
  reluPar: null,
  reluLe: null,
  envoyeLe: null,
  destinataires: null,
  envoyePar: null,
});

export function etatRapport(r: RapportFin): EtatRapport {
  if (r.envoyeLe) return 'envoye';
  if (r.reluLe) return 'relu';
  return r.redigeLe ? 'redige' : 'a_rediger';
}

/** The report is due at the convention's end, whatever its cause (term or termination). */
export const echeanceRapport = (c: DatesFin): DateIso | null => finEffective(c);

/** The délégataire reports: whoever orders on its behalf writes the report. */
export const peutRedigerRapport = (a: Acteur, c: PorteeConvention): boolean => peutGererCredits(a, c);
/** The DINUM's budget office reviews it before it goes to the délégant. */
export const peutRelireRapport = (a: Acteur): boolean => peutDeciderCredits(a);

const LONGUEUR_MAX = 20_000;

export interface Redaction {
  avancement: string;
  previsions: string;
}

function nonEnvoye(r: RapportFin): void {
  if (r.envoyeLe)
    throw new ConflictError('RAPPORT_ENVOYE', 'Le compte rendu a déjà été envoyé : il ne se modifie plus.', {
      envoye_le: r.envoyeLe,
    });
}

/** The délégataire's sections; a change of text after the review asks for a new review. */
export function rediger(r: RapportFin, d: Redaction, auteur: string, le: string): RapportFin {
  nonEnvoye(r);
  const erreurs: FieldError[] = [];
  for (const champ of ['avancement', 'previsions'] as const)
    if (d[champ].length > LONGUEUR_MAX)
      erreurs.push({ champ, message: `Ce texte dépasse ${LONGUEUR_MAX.toLocaleString('fr-FR')} caractères.` });
  if (erreurs.length) throw new ValidationError(erreurs);
  const avancement = d.avancement.trim();
  const previsions = d.previsions.trim();
  const change = avancement !== r.avancement || previsions !== r.previsions;
  return {
    ...r,
    avancement,
    previsions,
    redigePar: auteur,
    redigeLe: le,
    reluPar: change ? null : r.reluPar,
    reluLe: change ? null : r.reluLe,
  };
}

export function relire(r: RapportFin, auteur: string, le: string): RapportFin {
  nonEnvoye(r);
  if (r.reluLe)
    throw new ConflictError('RAPPORT_DEJA_RELU', `Le compte rendu a déjà été relu par ${r.reluPar ?? '—'}.`, {
      relu_le: r.reluLe,
    });
  const erreurs: FieldError[] = [];
  if (!r.avancement) erreurs.push({ champ: 'avancement', message: 'L’avancement des travaux n’est pas rédigé.' });
  if (!r.previsions) erreurs.push({ champ: 'previsions', message: 'Les prévisions ne sont pas rédigées.' });
  if (erreurs.length) throw new ValidationError(erreurs);
  return { ...r, reluPar: auteur, reluLe: le };
}

export interface Envoi {
  date: DateIso;
  destinataires: string;
}

/** Sent to the délégant at the convention's end (`fin`) or after, once reviewed. */
export function envoyer(r: RapportFin, d: Envoi, auteur: string, aujourdHui: DateIso, fin: DateIso | null): RapportFin {
  if (isDateIso(d.date) && (fin === null || d.date < fin))
    throw new ConflictError(
      'RAPPORT_AVANT_TERME',
      fin
        ? `Le compte rendu s’envoie au terme de la convention, le ${formatDate(fin)} ou après.`
        : 'La convention n’a pas de date de fin : son compte rendu ne peut pas encore être envoyé.',
      { fin_effective: fin },
    );
  nonEnvoye(r);
  if (!r.reluLe) throw new ConflictError('RAPPORT_NON_RELU', 'Le compte rendu doit être relu avant d’être envoyé.');
  const erreurs: FieldError[] = [];
  if (!isDateIso(d.date)) erreurs.push({ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (d.date > aujourdHui)
    erreurs.push({ champ: 'date', message: 'La date d’envoi ne peut pas être dans le futur.' });
  else if (d.date < r.reluLe.slice(0, 10))
    erreurs.push({ champ: 'date', message: 'La date d’envoi ne peut pas précéder la relecture.' });
  const destinataires = d.destinataires.trim();
  if (!destinataires) erreurs.push({ champ: 'destinataires', message: 'Indiquez à qui le compte rendu est envoyé.' });
  else if (destinataires.length > 1000)
    erreurs.push({ champ: 'destinataires', message: 'Ce texte dépasse 1 000 caractères.' });
  if (erreurs.length) throw new ValidationError(erreurs);
  return { ...r, envoyeLe: d.date, destinataires, envoyePar: auteur };
}

/**
 * A convention is closed only once its last orders are paid or closed and its report sent (Article 5);
 * the orders first, since closing them is what the report accounts for.
 */
export function verifierCloture(r: RapportFin | null, engagements: readonly Engagement[]): void {
  const ouverts = engagements.filter((e) => e.statut === 'actif' && e.payeCentimes < montantNet(e));
  if (ouverts.length)
    throw new ConflictError(
      'CLOTURE_ENGAGEMENTS_OUVERTS',
      `${ouverts.length === 1 ? 'Un engagement n’est' : `${ouverts.length} engagements ne sont`} ni payés ni soldés : ${ouverts
        .map((e) => e.numero)
        .join(', ')}.`,
      { engagements: ouverts.map((e) => e.numero) },
    );
  if (!r?.envoyeLe)
    throw new ConflictError(
      'CLOTURE_SANS_RAPPORT',
      'Le compte rendu de fin de convention doit être envoyé au délégant avant la clôture.',
    );
}

// ---- what the report says, drawn from the data ---------------------------------------------------

export interface TotalRapport {
  misADispositionAe: Centimes;
  misADispositionCp: Centimes;
  engageAe: Centimes;
  certifie: Centimes;
  payeCp: Centimes;
  restitueAe: Centimes;
  restitueCp: Centimes;
  /** left at the end: neither committed nor returned (AE), neither paid nor returned (CP) */
  inutiliseAe: Centimes;
  inutiliseCp: Centimes;
}

export interface ContenuRapport {
  annees: BilanExercice[];
  total: TotalRapport;
  engagements: (Engagement & { etat: EtatEngagement })[];
  avenants: Avenant[];
  comites: ReunionComite[];
}

/**
 * The figures of the report. Over the whole convention, what was made available is the sum of each year's
 * own availability: a carry-over moves credits from one year to the next and counts once.
 */
export function contenuRapport(d: {
  credits: readonly TotauxCredit[];
  engagements: readonly Engagement[];
  avenants: readonly Avenant[];
  comites: readonly ReunionComite[];
}): ContenuRapport {
  const somme = (f: (t: TotauxCredit) => Centimes) => d.credits.reduce((s, t) => s + f(t), 0);
  const misADispositionAe = somme((t) => t.baseAe);
  const misADispositionCp = somme((t) => t.baseCp);
  const engageAe = somme((t) => t.engageAe);
  const payeCp = somme((t) => t.payeCp);
  const restitueAe = somme((t) => t.restitueAe);
  const restitueCp = somme((t) => t.restitueCp);
  return {
    annees: d.credits.map(bilanExercice),
    total: {
      misADispositionAe,
      misADispositionCp,
      engageAe,
      certifie: somme((t) => t.certifie),
      payeCp,
      restitueAe,
      restitueCp,
      inutiliseAe: Math.max(0, misADispositionAe - engageAe - restitueAe),
      inutiliseCp: Math.max(0, misADispositionCp - payeCp - restitueCp),
    },
    engagements: d.engagements.map((e) => ({ ...e, etat: etatEngagement(e) })),
    avenants: d.avenants.filter((a) => a.statut === 'signe'),
    comites: d.comites.filter((c) => c.decision !== null),
  };
}
