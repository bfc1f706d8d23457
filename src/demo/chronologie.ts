import { dateDansAnnee, PARAMETRES_DEFAUT, type ParametresCalendrier } from '../domain/calendrier.js';
import { addDays, addMonths, daysBetween, yearOf, type DateIso } from '../domain/dates.js';

/**
 * The demo's dates, computed from today so that the demo tells the same story on any day: conventions in
 * force with this year's credits and their consumption, one ending within weeks, ended ones, a FAST
 * laureate waiting for its mid-term review. Every act falls inside the year-end calendar: orders and
 * payments between the reopening of their year and its cut-offs, nothing after today. Near 1 January the
 * new year has only just begun, so the consumption is that of the year before.
 */

/** Days within which the demo's acts of a year are placed. */
export interface Fenetre {
  debut: DateIso;
  fin: DateIso;
}

/** The day at a fraction (0 to 1) of a window: the demo's acts keep their order whatever its length. */
export function jourDans(f: Fenetre, fraction: number): DateIso {
  return addDays(f.debut, Math.round(daysBetween(f.debut, f.fin) * fraction));
}

export interface ChronologieDemo {
  aujourdHui: DateIso;
  annee: number;
  /** the budget year that holds the demo's orders, certified work and payments */
  anneeActivite: number;
  /** the budget year the product team's proposal is for: this year, or next year once orders are closed */
  anneeProposition: number;
  /** the year of the ended conventions */
  anneeHistorique: number;
  atelier: { signature: DateIso; fin: DateIso; fenetre: Fenetre };
  classe: { signature: DateIso; fin: DateIso; fenetre: Fenetre; promotion: number };
  selex: { signature: DateIso; anneeAe: number; fin: DateIso; promotion: number; fenetre: Fenetre | null };
  references: { msj: string; msp: string; selex: string; atelier: string; classe: string };
}

/** A year's orders count as this year's activity once they have been open this long. */
const JOURS_ACTIVITE_MIN = 30;
/** A laureate signed closer than this to the order cut-off gets its credits on the next year. */
const JOURS_AVANT_LIMITE = 21;

/** FAST has two promotions a year; the 15th was that of the second half of 2024. */
function promotionFast(date: DateIso): number {
  return 2 * (yearOf(date) - 2017) + (Number(date.slice(5, 7)) >= 7 ? 1 : 0);
}

const min = (...d: DateIso[]) => d.reduce((a, b) => (b < a ? b : a));
const max = (...d: DateIso[]) => d.reduce((a, b) => (b > a ? b : a));

/** Where a year's orders and payments can be dated, from `debut`, up to today. */
function fenetreAnnee(annee: number, debut: DateIso, aujourdHui: DateIso, p: ParametresCalendrier): Fenetre | null {
  const f = {
    debut: max(debut, dateDansAnnee(p.reprise, annee)),
    fin: min(aujourdHui, dateDansAnnee(p.limiteEngagements, annee), dateDansAnnee(p.limitePaiements, annee)),
  };
  return f.debut <= f.fin ? f : null;
}

export function chronologieDemo(aujourdHui: DateIso, p: ParametresCalendrier = PARAMETRES_DEFAUT): ChronologieDemo {
  const annee = yearOf(aujourdHui);
  const anneeActivite =
    daysBetween(dateDansAnnee(p.reprise, annee), aujourdHui) >= JOURS_ACTIVITE_MIN ? annee : annee - 1;
  const anneeProposition = aujourdHui <= dateDansAnnee(p.limiteEngagements, annee) ? annee : annee + 1;
  const anneeHistorique = annee - 5;

  // Atelier numérique: signed about nine months ago, ends in five weeks.
  const signatureAtelier = addDays(aujourdHui, -280);
  const atelier = {
    signature: signatureAtelier,
    fin: addDays(aujourdHui, 38),
    fenetre: fenetreAnnee(anneeActivite, signatureAtelier, aujourdHui, p)!,
  };

  // Classe à 12: signed about seven months ago for a year.
  const signatureClasse = addDays(aujourdHui, -203);
  const classe = {
    signature: signatureClasse,
    fin: addDays(addMonths(signatureClasse, 12), -1),
    fenetre: fenetreAnnee(anneeActivite, signatureClasse, aujourdHui, p)!,
    promotion: promotionFast(signatureClasse),
  };

  // seLEXpert: a FAST laureate signed two months ago, its mid-term review (second tranche) still to come.
  const signatureSelex = addDays(aujourdHui, -61);
  const anneeSignature = yearOf(signatureSelex);
  const anneeAe =
    signatureSelex <= addDays(dateDansAnnee(p.limiteEngagements, anneeSignature), -JOURS_AVANT_LIMITE)
      ? anneeSignature
      : anneeSignature + 1;
  const selex = {
    signature: signatureSelex,
    anneeAe,
    fin: `${anneeAe + 1}-12-31`,
    promotion: promotionFast(signatureSelex),
    fenetre: fenetreAnnee(anneeAe, signatureSelex, aujourdHui, p),
  };

  return {
    aujourdHui,
    annee,
    anneeActivite,
    anneeProposition,
    anneeHistorique,
    atelier,
    classe,
    selex,
    references: {
      msj: `DDG-${anneeHistorique}-MSJ`,
      msp: `DDG-${anneeHistorique}-MSP`,
      selex: `FAST${selex.promotion}-SELEXPERT`,
      atelier: `DDG-${yearOf(atelier.signature)}-ATELIER`,
      classe: `DDG-${yearOf(classe.signature)}-CLASSE12`,
    },
  };
}
