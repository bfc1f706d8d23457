import { yearOf, type DateIso } from './dates.js';
import { ConflictError, type FieldError } from './errors.js';
import { controlerEngagement, type EngagementSaisie } from './engagement.js';

/**
 * An order prepared by a product team for the ordonnateur. It binds no credits: approving it places the
 * order, dated the day of approval, through every check of an order.
 */
export type StatutProposition = 'a_valider' | 'validee' | 'refusee';

export const LIBELLES_STATUT_PROPOSITION: Record<StatutProposition, string> = {
  a_valider: 'À valider',
  validee: 'Validée',
  refusee: 'Refusée',
};

/** An order without its number and date, which the approval gives. */
export interface PropositionSaisie extends Omit<EngagementSaisie, 'numero' | 'dateEngagement'> {
  /** why the team needs it: what the ordonnateur reads before approving */
  justification: string | null;
}

export interface Proposition extends PropositionSaisie {
  id: string;
  conventionId: string;
  statut: StatutProposition;
  proposeParId: string;
  proposeParNom: string;
  proposeLe: string;
  decideParNom: string | null;
  decideLe: string | null;
  motifRefus: string | null;
  engagementId: string | null;
}

/** The order an approval places. */
export function engagementDeProposition(p: PropositionSaisie, dateEngagement: DateIso): EngagementSaisie {
  return {
    numero: null,
    annee: p.annee,
    dateEngagement,
    dateFinPrestation: p.dateFinPrestation,
    titulaire: p.titulaire,
    marche: p.marche,
    devis: p.devis,
    objet: p.objet,
    produit: p.produit,
    montantCentimes: p.montantCentimes,
    baseMontant: p.baseMontant,
  };
}

/** Same rules as an order, except its date, set at approval: only the budget year is checked here. */
export function controlerProposition(
  p: PropositionSaisie,
  produitsConvention: string[],
  aujourdHui: DateIso,
): FieldError[] {
  const valide = Number.isInteger(p.annee) && p.annee >= 2000 && p.annee <= 2100;
  const debut = valide ? `${p.annee}-01-01` : aujourdHui;
  const erreurs = controlerEngagement(engagementDeProposition(p, debut), produitsConvention, debut).filter(
    (e) => e.champ !== 'dateEngagement',
  );
  if (valide && p.annee < yearOf(aujourdHui)) {
    erreurs.push({
      champ: 'annee',
      message: `Les crédits ${p.annee} ne peuvent plus être engagés : proposez sur ${yearOf(aujourdHui)} ou une année suivante.`,
    });
  }
  if ((p.justification ?? '').length > 2000)
    erreurs.push({ champ: 'justification', message: 'La justification compte au plus 2 000 caractères.' });
  return erreurs;
}

export function verifierPropositionAValider(p: Proposition): void {
  if (p.statut !== 'a_valider') {
    throw new ConflictError(
      'PROPOSITION_DEJA_TRAITEE',
      `Cette proposition a déjà été ${p.statut === 'validee' ? 'validée' : 'refusée'}${p.decideParNom ? ` par ${p.decideParNom}` : ''}.`,
      { statut: p.statut },
    );
  }
}
