import { disponibleAe, type TotauxCredit } from './credit.js';
import { addDays, addMonths, daysBetween, formatDate, isDateIso, type DateIso } from './dates.js';
import type { ReunionComite } from './comite.js';

/**
 * The plan of the next investment committee: at the earliest of the period, the end and the AE running
 * out, per convention or per product when several conventions fund it.
 */
export type RegleComite = 'periodicite' | 'fin' | 'epuisement_ae' | 'aucune';

export interface PlanComite {
  date: DateIso | null;
  regle: RegleComite;
  explication: string;
}

/** The committee is planned this many days before the end or the exhaustion of the AE… */
const JOURS_AVANT_ECHEANCE = 45;
/** … and held at the latest this many days before it (the programme's documentation says 30 to 45). */
const JOURS_AU_PLUS_TARD = 30;
const PERIODICITE_DEFAUT_MOIS = 6;

export interface SituationComite {
  dateSignature: DateIso | null;
  /** the « fin effective »: the term, or the effect of a termination */
  fin: DateIso | null;
  periodiciteMois: number | null;
  /** the date of the last committee held (its decision recorded) */
  dernierComite: DateIso | null;
  /** the day the AE are projected to run out at the pace of consumption, or null (no pace, or not this year) */
  epuisementAe: DateIso | null;
}

/**
 * The next committee, at the earliest of: the period after the last committee (or after the signature);
 * 45 days before the end (at the latest 30); 45 days before the AE are projected to run out (at the
 * latest 30). A committee held within the 45 days before the end, or before the exhaustion, stands for
 * that one. The plan says which rule set the date and why; a date already past means the committee is
 * late.
 */
export function planifierComite(s: SituationComite, aujourdHui: DateIso): PlanComite {
  if (!s.dateSignature) return { date: null, regle: 'aucune', explication: 'La convention n’est pas encore signée.' };
  if (s.fin && s.fin < aujourdHui)
    return {
      date: null,
      regle: 'aucune',
      explication: `La convention a pris fin le ${formatDate(s.fin)} : plus de comité à planifier.`,
    };
  const mois = s.periodiciteMois ?? PERIODICITE_DEFAUT_MOIS;
  const base = s.dernierComite ?? s.dateSignature;
  const candidats: Array<{ date: DateIso; regle: RegleComite; explication: string }> = [
    {
      date: addMonths(base, mois),
      regle: 'periodicite',
      explication: s.dernierComite
        ? `Un comité au moins tous les ${mois} mois : le dernier s’est tenu le ${formatDate(s.dernierComite)}.`
        : `Un comité au moins tous les ${mois} mois : la convention a été signée le ${formatDate(s.dateSignature)}.`,
    },
  ];
  const tientLieu = (echeance: DateIso) =>
    s.dernierComite !== null && s.dernierComite >= addDays(echeance, -JOURS_AVANT_ECHEANCE);
  if (s.fin && !tientLieu(s.fin))
    candidats.push({
      date: addDays(s.fin, -JOURS_AVANT_ECHEANCE),
      regle: 'fin',
      explication: `La convention prend fin le ${formatDate(s.fin)} : le comité se tient ${JOURS_AVANT_ECHEANCE} jours avant, au plus tard le ${formatDate(addDays(s.fin, -JOURS_AU_PLUS_TARD))}, pour laisser le temps de la renouveler.`,
    });
  if (s.epuisementAe && !tientLieu(s.epuisementAe))
    candidats.push({
      date: addDays(s.epuisementAe, -JOURS_AVANT_ECHEANCE),
      regle: 'epuisement_ae',
      explication: `Au rythme des engagements, les AE seront épuisées vers le ${formatDate(s.epuisementAe)} : le comité se tient ${JOURS_AVANT_ECHEANCE} jours avant, au plus tard le ${formatDate(addDays(s.epuisementAe, -JOURS_AU_PLUS_TARD))}, pour décider de la suite avant que l’argent ne manque.`,
    });
  const plus = candidats.reduce((a, b) => (b.date < a.date ? b : a));
  const retard = plus.date < aujourdHui ? ` La date est passée : le comité est à tenir sans attendre.` : '';
  return { ...plus, explication: plus.explication + retard };
}

/** One convention funding a product, as the product's committee plan reads it. */
export interface FinancementProduit {
  conventionId: string;
  libelle: string;
  dateSignature: DateIso | null;
  fin: DateIso | null;
  epuisementAe: DateIso | null;
  /** the last committee held on this convention */
  dernierComite: DateIso | null;
}

/**
 * A product funded by several conventions has one committee: a committee held on any of them counts for
 * all, and the next one comes at the earliest that any of its conventions in force calls for (its end, its
 * AE running out, or the period since the product's last committee). With no other convention in force,
 * the convention's own plan.
 */
export function planifierComiteProduit(
  produit: string,
  courant: FinancementProduit,
  autres: FinancementProduit[],
  periodiciteMois: number | null,
  aujourdHui: DateIso,
): PlanComite {
  const situation = (f: FinancementProduit, dernierComite: DateIso | null): SituationComite => ({
    dateSignature: f.dateSignature,
    fin: f.fin,
    periodiciteMois,
    dernierComite,
    epuisementAe: f.epuisementAe,
  });
  const enVigueur = autres.filter((f) => f.dateSignature && (f.fin === null || f.fin >= aujourdHui));
  if (enVigueur.length === 0) return planifierComite(situation(courant, courant.dernierComite), aujourdHui);
  const dernier = [courant, ...autres]
    .map((f) => f.dernierComite)
    .reduce<DateIso | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
  const plans = [courant, ...enVigueur]
    .map((f) => ({ f, plan: planifierComite(situation(f, dernier), aujourdHui) }))
    .filter((x) => x.plan.date !== null);
  const noms = enVigueur.map((f) => `« ${f.libelle} »`).join(', ');
  const commun = `Comité commun au produit « ${produit} », financé aussi par ${noms}.`;
  if (plans.length === 0) return { ...planifierComite(situation(courant, dernier), aujourdHui) };
  const { f, plan } = plans.reduce((a, b) => (b.plan.date! < a.plan.date! ? b : a));
  const source = f === courant ? '' : ` Date fixée par la convention « ${f.libelle} ».`;
  return { ...plan, explication: `${commun} ${plan.explication}${source}` };
}

/**
 * The day the year's AE run out at the pace observed since they opened (the pace the credits view
 * projects to the year end), or null: no order yet, or the pace does not exhaust them within the year.
 * Already exhausted: today.
 */
export function dateEpuisementAe(t: TotauxCredit, aujourdHui: DateIso): DateIso | null {
  const debutAnnee = `${t.annee}-01-01`;
  const debut = t.ouverture && isDateIso(t.ouverture) && t.ouverture > debutAnnee ? t.ouverture : debutAnnee;
  if (aujourdHui < debut || aujourdHui > `${t.annee}-12-31`) return null;
  if (t.ouvertAe <= 0 || t.engageAe <= 0) return null;
  const reste = disponibleAe(t);
  if (reste <= 0) return aujourdHui;
  const ecoule = Math.max(1, daysBetween(debut, aujourdHui));
  const jours = Math.ceil((reste * ecoule) / t.engageAe);
  return jours > daysBetween(aujourdHui, `${t.annee}-12-31`) ? null : addDays(aujourdHui, jours);
}

/** The date of the last committee held: its decision recorded. */
export function dernierComiteTenu(comites: ReunionComite[]): DateIso | null {
  return comites
    .filter((c) => c.decision !== null)
    .map((c) => c.date)
    .reduce<DateIso | null>((a, b) => (a === null || b > a ? b : a), null);
}
