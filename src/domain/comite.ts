import type { Modifications } from './avenant.js';
import type { ConventionSaisie, LigneEcheancier } from './convention.js';
import { addMonths, formatDate, isDateIso, yearOf, type DateIso } from './dates.js';
import { ConflictError, ValidationError, type FieldError } from './errors.js';
import { depasseMontantMax, formatEuros, MESSAGE_MONTANT_MAX, type Centimes } from './money.js';

/**
 * The investment committee (« comité d'investissement ») of a convention: at least every six months, and
 * 30 to 45 days before the convention ends or its AE run out, because renewing a convention and ordering
 * again take weeks. The team presents its impact indicators and its request; the committee decides what
 * comes next, and may move the product to another phase.
 */

/** Phases of a product in the beta.gouv.fr member space. */
export type PhaseProduit =
  | 'investigation'
  | 'construction'
  | 'acceleration'
  | 'consolidation'
  | 'opere'
  | 'transfere'
  | 'abandon-investigation'
  | 'abandon';
export const PHASES_PRODUIT: readonly PhaseProduit[] = [
  'investigation',
  'construction',
  'acceleration',
  'consolidation',
  'opere',
  'transfere',
  'abandon-investigation',
  'abandon',
];
export const LIBELLES_PHASES_PRODUIT: Record<PhaseProduit, string> = {
  investigation: 'Investigation',
  construction: 'Construction',
  acceleration: 'Accélération',
  consolidation: 'Consolidation',
  opere: 'Opéré',
  transfere: 'Transféré',
  'abandon-investigation': 'Abandon après investigation',
  abandon: 'Abandon',
};

export type DecisionComite = 'continue' | 'provisoire' | 'arret' | 'acceleration' | 'perennisation' | 'transfert';
export const DECISIONS_COMITE: readonly DecisionComite[] = [
  'continue',
  'provisoire',
  'arret',
  'acceleration',
  'perennisation',
  'transfert',
];
export const LIBELLES_DECISIONS: Record<DecisionComite, string> = {
  continue: 'Continuer six mois',
  provisoire: 'Prolongation provisoire (un ou deux mois)',
  arret: 'Arrêt',
  acceleration: 'Accélération',
  perennisation: 'Passage en pérennisation',
  transfert: 'Transfert',
};

/** An ordinary committee, or a FAST promotion's mid-term review, whose « continue » releases the next tranche. */
export type NatureComite = 'investissement' | 'mi_parcours';

export interface Indicateur {
  nom: string;
  unite: string | null;
  /** value at the end of the phase that ends */
  valeur: number | null;
  /** objective at six months */
  cible: number | null;
  /** where the figure comes from (statistics page, dashboard) */
  source: string | null;
}

/** What the team asks for the next six months. */
export interface DemandeEquipe {
  equipe: string;
  budgetCentimes: Centimes | null;
  dureeMois: number | null;
}

export interface DecisionEnregistree {
  decision: DecisionComite;
  motif: string;
  /** budget granted (AE, TTC) and for how long */
  budgetCentimes: Centimes | null;
  dureeMois: number | null;
  /** the product's phase after the committee, when it changes */
  phase: PhaseProduit | null;
  /** the tranche released by the decision, if any */
  trancheLiberee: number | null;
  /** the decision calls for an avenant: the decider said so, or its outcome goes beyond the convention */
  appelleAvenant: boolean;
  auteur: string;
  le: string;
}

export interface ReunionComite {
  id: number;
  conventionId: string;
  nature: NatureComite;
  date: DateIso;
  presidence: string | null;
  participants: string[];
  indicateurs: Indicateur[];
  demande: DemandeEquipe | null;
  preparePar: string;
  prepareLe: string;
  decision: DecisionEnregistree | null;
  /** the minutes, a piece kept with the convention */
  compteRenduPieceId: string | null;
  /** the number of the avenant drafted from the decision, once there is one */
  avenantNumero: number | null;
}

// ---- checks -------------------------------------------------------------------------------------

export interface PreparationComite {
  nature: NatureComite;
  date: DateIso;
  presidence: string | null;
  participants: string[];
  indicateurs: Indicateur[];
  demande: DemandeEquipe | null;
}

export function verifierPreparation(p: PreparationComite, dateSignature: DateIso | null): void {
  const erreurs: FieldError[] = [];
  if (!isDateIso(p.date)) erreurs.push({ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (dateSignature && p.date < dateSignature)
    erreurs.push({ champ: 'date', message: 'Un comité ne peut précéder la signature de la convention.' });
  p.indicateurs.forEach((i, k) => {
    if (!i.nom.trim()) erreurs.push({ champ: `indicateurs.${k}.nom`, message: 'Indiquez le nom de l’indicateur.' });
  });
  if (p.demande && p.demande.budgetCentimes !== null && p.demande.budgetCentimes < 0)
    erreurs.push({ champ: 'demande.budget_centimes', message: 'Un montant ne peut pas être négatif.' });
  else if (p.demande && p.demande.budgetCentimes !== null && depasseMontantMax(p.demande.budgetCentimes))
    erreurs.push({ champ: 'demande.budget_centimes', message: MESSAGE_MONTANT_MAX });
  if (erreurs.length) throw new ValidationError(erreurs);
}

export interface DemandeDecision {
  decision: DecisionComite;
  motif: string;
  budgetCentimes: Centimes | null;
  dureeMois: number | null;
  phase: PhaseProduit | null;
  /** the decider says the decision calls for an avenant */
  appelleAvenant: boolean;
}

/** A committee decides once, on or after its date; « provisoire » is one or two months. */
export function verifierDecision(c: ReunionComite, d: DemandeDecision, aujourdHui: DateIso): void {
  if (c.decision) throw new ConflictError('COMITE_DEJA_DECIDE', 'La décision de ce comité est déjà consignée.');
  if (c.date > aujourdHui)
    throw new ConflictError(
      'COMITE_A_VENIR',
      `Le comité est prévu le ${formatDate(c.date)} : sa décision se consigne une fois qu’il s’est tenu.`,
    );
  const erreurs: FieldError[] = [];
  if (!d.motif.trim()) erreurs.push({ champ: 'motif', message: 'Indiquez ce que le comité a retenu.' });
  if (d.decision === 'provisoire' && d.dureeMois !== null && (d.dureeMois < 1 || d.dureeMois > 2))
    erreurs.push({ champ: 'duree_mois', message: 'Une prolongation provisoire dure un ou deux mois.' });
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** Minutes are those of a committee held: attached with its decision, or afterwards, replacing earlier ones. */
export function verifierCompteRendu(c: ReunionComite, aujourdHui: DateIso): void {
  if (c.date > aujourdHui)
    throw new ConflictError(
      'COMITE_A_VENIR',
      `Le comité est prévu le ${formatDate(c.date)} : son compte rendu se joint une fois qu’il s’est tenu.`,
    );
}

/** The phase a decision leads to when none is given: stop and transfer say it themselves. */
export function phaseApres(d: DecisionComite, phase: PhaseProduit | null): PhaseProduit | null {
  if (phase) return phase;
  if (d === 'arret') return 'abandon';
  if (d === 'transfert') return 'transfere';
  if (d === 'perennisation') return 'consolidation';
  if (d === 'acceleration') return 'acceleration';
  return null;
}

/** The journal's sentence for a decision. */
export function resumeDecision(
  c: ReunionComite,
  d: DemandeDecision,
  tranche: number | null,
  appelleAvenant = d.appelleAvenant,
): string {
  const quoi = LIBELLES_DECISIONS[d.decision];
  const budget = d.budgetCentimes !== null ? `, budget ${formatEuros(d.budgetCentimes)}` : '';
  const phase = d.phase ? `, phase ${LIBELLES_PHASES_PRODUIT[d.phase]}` : '';
  const lib = tranche !== null ? `, tranche ${tranche} libérée` : '';
  const avenant = appelleAvenant ? ', appelle un avenant' : '';
  const titre = c.nature === 'mi_parcours' ? 'Bilan de mi-parcours' : 'Comité d’investissement';
  return `${titre} du ${formatDate(c.date)} : ${quoi}${budget}${phase}${lib}${avenant} — ${d.motif.trim()}`;
}

// ---- the avenant a decision calls for -------------------------------------------------------------

/**
 * Why a decision calls for an avenant: the decider said so; the decision changes what the convention is
 * for (acceleration, pérennisation, transfer); the budget it grants goes beyond the AE the convention still
 * allows; the period it funds runs past the convention's end.
 */
export type RaisonAvenant = 'demande' | 'nature' | 'budget' | 'fin';

const DECISIONS_AVENANT: readonly DecisionComite[] = ['acceleration', 'perennisation', 'transfert'];

/** What a decision is compared with: the convention's end and the AE it still allows. */
export interface SituationAvenant {
  /** the « fin effective » of the convention */
  fin: DateIso | null;
  /** the AE the convention still allows from the committee's year on, or null when it states neither schedule nor maximum */
  restantAeCentimes: Centimes | null;
}

/**
 * The AE a convention still allows from a year on: its schedule's AE of that year and the later ones,
 * less what each year engaged, within its maximum less all that was engaged; null when it states neither.
 */
export function aeRestantes(
  c: Pick<ConventionSaisie, 'echeancier' | 'totalAeCentimes'>,
  engages: ReadonlyArray<{ annee: number; engageAe: Centimes }>,
  annee: number,
): Centimes | null {
  const engage = (a: number) => engages.filter((t) => t.annee === a).reduce((s, t) => s + t.engageAe, 0);
  const lignes = c.echeancier.filter((l) => l.aeCentimes !== null);
  const parEcheancier = lignes.length
    ? lignes.filter((l) => l.annee >= annee).reduce((s, l) => s + Math.max(0, l.aeCentimes! - engage(l.annee)), 0)
    : null;
  const parMaximum =
    c.totalAeCentimes !== null ? Math.max(0, c.totalAeCentimes - engages.reduce((s, t) => s + t.engageAe, 0)) : null;
  if (parEcheancier === null) return parMaximum;
  return parMaximum === null ? parEcheancier : Math.min(parEcheancier, parMaximum);
}

/** The budget a decision grants: its own, or for a decision to go on or accelerate, the team's request. */
function budgetDecide(
  c: Pick<ReunionComite, 'demande'>,
  d: Pick<DemandeDecision, 'decision' | 'budgetCentimes'>,
): Centimes | null {
  if (d.decision === 'arret') return null;
  if (d.budgetCentimes !== null) return d.budgetCentimes;
  return d.decision === 'continue' || d.decision === 'acceleration' ? (c.demande?.budgetCentimes ?? null) : null;
}

/** The end of the period a decision funds: its duration from the committee (six months to go on), or null. */
function finPeriode(date: DateIso, d: Pick<DemandeDecision, 'decision' | 'dureeMois'>): DateIso | null {
  if (d.decision === 'arret') return null;
  const mois = d.dureeMois ?? (d.decision === 'continue' ? 6 : null);
  return mois === null ? null : addMonths(date, mois);
}

/** Why a decision calls for an avenant; none when it does not. */
export function raisonsAvenant(
  c: Pick<ReunionComite, 'date' | 'demande'>,
  d: Pick<DemandeDecision, 'decision' | 'budgetCentimes' | 'dureeMois' | 'appelleAvenant'>,
  s: SituationAvenant,
): RaisonAvenant[] {
  const raisons: RaisonAvenant[] = [];
  if (d.appelleAvenant) raisons.push('demande');
  if (DECISIONS_AVENANT.includes(d.decision)) raisons.push('nature');
  const budget = budgetDecide(c, d);
  if (budget !== null && budget > 0 && s.restantAeCentimes !== null && budget > s.restantAeCentimes)
    raisons.push('budget');
  const fin = finPeriode(c.date, d);
  if (fin && s.fin && fin > s.fin) raisons.push('fin');
  return raisons;
}

/** An avenant is drafted from a committee whose decision calls for one, once. */
export function verifierAvenantAppele(c: ReunionComite): void {
  if (!c.decision)
    throw new ConflictError('COMITE_NON_DECIDE', 'Le comité n’a pas encore de décision : l’avenant suit la décision.');
  if (!c.decision.appelleAvenant)
    throw new ConflictError(
      'COMITE_SANS_AVENANT',
      `La décision du comité du ${formatDate(c.date)} n’appelle pas d’avenant.`,
    );
  if (c.avenantNumero !== null)
    throw new ConflictError(
      'COMITE_AVENANT_REDIGE',
      `L’avenant appelé par le comité du ${formatDate(c.date)} est déjà rédigé : c’est l’avenant n° ${c.avenantNumero}.`,
      { numero: c.avenantNumero },
    );
}

export interface ProjetAvenant {
  objet: string;
  dateEffet: DateIso;
  modifications: Modifications;
}

/** The fewest whole months from a date to reach another. */
function moisJusqua(depuis: DateIso, jusqua: DateIso): number {
  let n = Math.max(
    0,
    (yearOf(jusqua) - yearOf(depuis)) * 12 + Number(jusqua.slice(5, 7)) - Number(depuis.slice(5, 7)) - 1,
  );
  while (addMonths(depuis, n) < jusqua) n++;
  return n;
}

/**
 * The avenant a decided committee calls for, to draft: its object cites the committee (date, decision,
 * what it retained); it takes effect today; a budget beyond what the convention still allows is added to
 * the schedule of that year (AE, and CP where the year states them) and to the maximum; a period running
 * past the end moves the end (and the duration, in whole months from the signature) to the period's end.
 */
export function projetAvenant(
  conv: Pick<ConventionSaisie, 'echeancier' | 'totalAeCentimes' | 'dateFin' | 'dureeMois' | 'dateSignature'>,
  c: ReunionComite & { decision: DecisionEnregistree },
  s: SituationAvenant,
  aujourdHui: DateIso,
): ProjetAvenant {
  const d = c.decision;
  const raisons = raisonsAvenant(c, d, s);
  const annee = yearOf(aujourdHui);
  const modifications: Modifications = {};
  const suites: string[] = [];
  const budget = budgetDecide(c, d);
  if (raisons.includes('budget') && budget !== null) {
    const existe = conv.echeancier.some((l) => l.annee === annee);
    const echeancier: LigneEcheancier[] = existe
      ? conv.echeancier.map((l) =>
          l.annee === annee
            ? {
                annee,
                aeCentimes: (l.aeCentimes ?? 0) + budget,
                cpCentimes: l.cpCentimes === null ? null : l.cpCentimes + budget,
              }
            : l,
        )
      : [...conv.echeancier, { annee, aeCentimes: budget, cpCentimes: budget }].sort((a, b) => a.annee - b.annee);
    modifications.echeancier = echeancier;
    if (conv.totalAeCentimes !== null) modifications.totalAeCentimes = conv.totalAeCentimes + budget;
    suites.push(`le budget accordé (${formatEuros(budget)}) s’ajoute à l’échéancier ${annee}`);
  }
  const fin = finPeriode(c.date, d);
  if (raisons.includes('fin') && fin) {
    let nouvelleFin = fin;
    if (conv.dureeMois !== null && conv.dateSignature) {
      const mois = moisJusqua(conv.dateSignature, fin);
      modifications.dureeMois = mois;
      nouvelleFin = addMonths(conv.dateSignature, mois);
    }
    if (conv.dateFin !== null || conv.dureeMois === null || !conv.dateSignature) modifications.dateFin = nouvelleFin;
    suites.push(`la convention est prolongée jusqu’au ${formatDate(nouvelleFin)}`);
  }
  const titre = c.nature === 'mi_parcours' ? 'bilan de mi-parcours' : 'comité d’investissement';
  const detail = [
    LIBELLES_DECISIONS[d.decision],
    d.budgetCentimes !== null ? `budget ${formatEuros(d.budgetCentimes)}` : null,
    d.dureeMois !== null ? `${d.dureeMois} mois` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const suite = suites.length ? ` En conséquence, ${suites.join(' ; ')}.` : '';
  return {
    objet: `Avenant appelé par la décision du ${titre} du ${formatDate(c.date)} (${detail}) : ${d.motif.trim().replace(/[\s.]+$/, '')}.${suite}`,
    dateEffet: aujourdHui,
    modifications,
  };
}
