import type { ReunionComite } from './comite.js';
import type { Tranche } from './convention.js';
import { addDays, addMonths, formatDate, isDateIso, type DateIso } from './dates.js';
import { ValidationError, type FieldError } from './errors.js';
import { formatEuros, part, type Centimes } from './money.js';

/**
 * FAST promotions: two a year, each with its calendar (call for applications, selection committee,
 * kick-off, mid-term review, demo day) and a ceiling per laureate. A laureate is a convention of the
 * promotion; its partner must match the co-financing with an envelope committed within six months of
 * the signature.
 */

export interface Promotion {
  numero: number;
  appelOuverture: DateIso | null;
  appelCloture: DateIso | null;
  comiteSelection: DateIso | null;
  lancement: DateIso | null;
  miParcours: DateIso | null;
  demoDay: DateIso | null;
  /** FAST co-financing ceiling per laureate (AE, TTC) */
  plafondLaureatCentimes: Centimes | null;
}

/** The convention's promotion as it writes it (« FAST 15 », « FAST15 »): its number. */
export function numeroPromotion(texte: string | null): number | null {
  const m = texte ? /FAST\s*(\d{1,3})\b/i.exec(texte) : null;
  return m ? Number(m[1]) : null;
}

export function verifierPromotion(p: Promotion): void {
  const erreurs: FieldError[] = [];
  if (!Number.isInteger(p.numero) || p.numero < 1 || p.numero > 999)
    erreurs.push({ champ: 'numero', message: 'Le numéro de promotion est un entier entre 1 et 999.' });
  const ordre: Array<[string, DateIso | null]> = [
    ['appel_ouverture', p.appelOuverture],
    ['appel_cloture', p.appelCloture],
    ['comite_selection', p.comiteSelection],
    ['lancement', p.lancement],
    ['mi_parcours', p.miParcours],
    ['demo_day', p.demoDay],
  ];
  let precedente: [string, DateIso] | null = null;
  for (const [champ, d] of ordre) {
    if (d === null) continue;
    if (!isDateIso(d)) {
      erreurs.push({ champ, message: 'Date invalide (attendu : AAAA-MM-JJ).' });
      continue;
    }
    if (precedente && d < precedente[1])
      erreurs.push({
        champ,
        message: `Cette date précède celle de « ${precedente[0]} » (${formatDate(precedente[1])}).`,
      });
    precedente = [champ, d];
  }
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** The partner's matching envelope: its amount, what it declares committed, with the evidence (a link or a file). */
export interface Enveloppe {
  conventionId: string;
  montantCentimes: Centimes;
  engageCentimes: Centimes;
  preuveUrl: string | null;
  /** the evidence as a file kept with the convention */
  preuvePieceId: string | null;
  declarePar: string | null;
  declareLe: string | null;
}

/** The envelope must be committed within six months of the signature. */
const MOIS_ENVELOPPE = 6;
/** An alert this many days before the deadline while the envelope is not committed. */
const JOURS_ALERTE_ENVELOPPE = 45;

export function echeanceEnveloppe(dateSignature: DateIso | null): DateIso | null {
  return dateSignature ? addMonths(dateSignature, MOIS_ENVELOPPE) : null;
}

export function verifierDeclaration(e: {
  montantCentimes: Centimes;
  engageCentimes: Centimes;
  preuveUrl: string | null;
  preuvePieceId?: string | null;
}): void {
  const erreurs: FieldError[] = [];
  if (e.engageCentimes > e.montantCentimes)
    erreurs.push({ champ: 'engage_centimes', message: 'L’engagé déclaré dépasse le montant de l’enveloppe.' });
  if (e.engageCentimes > 0 && !e.preuveUrl && !e.preuvePieceId)
    erreurs.push({
      champ: 'preuve_url',
      message: 'Un engagement déclaré l’est avec sa preuve : un lien ou un fichier.',
    });
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** The envelope's alert: approaching its deadline (or past it) and not fully committed; null otherwise. */
export function alerteEnveloppe(
  e: Enveloppe,
  dateSignature: DateIso | null,
  aujourdHui: DateIso,
): { niveau: 'warning' | 'error'; message: string } | null {
  const echeance = echeanceEnveloppe(dateSignature);
  const reste = e.montantCentimes - e.engageCentimes;
  if (!echeance || reste <= 0 || aujourdHui < addDays(echeance, -JOURS_ALERTE_ENVELOPPE)) return null;
  if (aujourdHui > echeance)
    return {
      niveau: 'error',
      message: `L’enveloppe de cofinancement du partenaire devait être engagée le ${formatDate(echeance)} : ${formatEuros(reste)} ne le sont pas.`,
    };
  return {
    niveau: 'warning',
    message: `L’enveloppe de cofinancement du partenaire est à engager avant le ${formatDate(echeance)} : ${formatEuros(reste)} restent à engager.`,
  };
}

/** What the mid-term review would release: the first tranche after the first not yet released. */
export function trancheMiParcours(
  tranches: Tranche[],
  liberees: number[],
  totalAeCentimes: Centimes | null,
): { rang: number; partPct: number; aeCentimes: Centimes | null } | null {
  const i = tranches.findIndex((_, k) => k > 0 && !liberees.includes(k + 1));
  if (i < 0) return null;
  const t = tranches[i]!;
  return {
    rang: i + 1,
    partPct: t.partPct,
    aeCentimes: totalAeCentimes !== null ? part(totalAeCentimes, t.partPct) : null,
  };
}

export type EtatRevue = 'a_venir' | 'due' | 'en_retard' | 'tenue';

/**
 * The laureate's mid-term review: held once a mid-term committee is decided; otherwise due from the
 * promotion's date (late past it).
 */
export function etatRevue(
  p: Pick<Promotion, 'miParcours'>,
  comites: ReunionComite[],
  aujourdHui: DateIso,
): { etat: EtatRevue; date: DateIso | null } {
  const tenue = comites.find((c) => c.nature === 'mi_parcours' && c.decision);
  if (tenue) return { etat: 'tenue', date: tenue.date };
  const prevue = comites.find((c) => c.nature === 'mi_parcours')?.date ?? p.miParcours;
  if (!prevue) return { etat: 'a_venir', date: null };
  if (prevue < aujourdHui) return { etat: 'en_retard', date: prevue };
  return { etat: prevue <= addDays(aujourdHui, 30) ? 'due' : 'a_venir', date: prevue };
}
