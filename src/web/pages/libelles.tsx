import type { Phase, RoleDinum, StatutEffectif, Nature } from '../../domain/convention.js';

/** French labels of the domain's codes, shared by pages and exports. */
export const LIBELLES_STATUT: Record<StatutEffectif, string> = {
  a_verifier: 'À vérifier',
  brouillon: 'Brouillon',
  en_signature: 'En signature',
  signee_partenaire: 'Signée par le partenaire',
  en_vigueur: 'En vigueur',
  suspendue: 'Suspendue',
  resiliation_notifiee: 'Résiliation notifiée',
  resiliee: 'Résiliée',
  cloturee: 'Clôturée',
  terminee: 'Terminée',
};

const BADGE_STATUT: Record<StatutEffectif, string> = {
  a_verifier: 'fr-badge--new',
  brouillon: 'fr-badge--info',
  en_signature: 'fr-badge--info',
  signee_partenaire: 'fr-badge--info',
  en_vigueur: 'fr-badge--success',
  suspendue: 'fr-badge--warning',
  resiliation_notifiee: 'fr-badge--warning',
  resiliee: 'fr-badge--error',
  cloturee: '',
  terminee: '',
};

export const LIBELLES_PHASE: Record<Phase, string> = {
  investigation: 'Investigation',
  construction: 'Construction',
  acceleration: 'Accélération',
  consolidation: 'Consolidation',
  perennisation: 'Pérennisation',
  transfert: 'Transfert',
};

export const LIBELLES_ROLE_DINUM: Record<RoleDinum, string> = {
  delegant: 'DINUM délégante',
  delegataire: 'DINUM délégataire',
  autre: 'Autre',
};

export const LIBELLES_NATURE: Record<Nature, string> = {
  delegation_de_gestion: 'Délégation de gestion',
  avenant: 'Avenant',
  convention_fast_subvention: 'Convention FAST (subvention)',
  partenariat: 'Partenariat',
  other: 'Autre',
};

export function BadgeStatut({ statut }: { statut: StatutEffectif }) {
  return <p class={`fr-badge fr-badge--sm ${BADGE_STATUT[statut]}`}>{LIBELLES_STATUT[statut]}</p>;
}

/** Movements on a convention's credits and on an order, as the history tables name them. */
export const TYPES_MOUVEMENT: Record<string, string> = {
  mise_a_disposition: 'Mise à disposition',
  report_entrant: 'Report entrant',
  report_sortant: 'Report sortant',
  restitution: 'Restitution au délégant',
  engagement: 'Engagement',
  liberation: 'Libération d’AE',
  service_fait: 'Service fait',
  paiement: 'Paiement',
};

/** How the credits pages name a convention: its products, else its reference. */
export const titreConvention = (c: { produits: string[]; reference: string | null }) =>
  c.produits.join(', ') || c.reference || 'Convention';

/** Badge colour of an order's state. */
export const BADGE_ETAT: Record<string, string> = {
  engage: 'fr-badge--info',
  service_fait_partiel: 'fr-badge--new',
  service_fait_total: 'fr-badge--new',
  paye: 'fr-badge--success',
  solde: '',
  annule: 'fr-badge--error',
};

/** A recorded instant as people write it: « 6 décembre 2026 à 10:00 », Paris time whatever the server's zone. */
export const instantEnMots = (le: string | Date) =>
  (typeof le === 'string' ? new Date(le) : le).toLocaleString('fr-FR', {
    timeZone: 'Europe/Paris',
    dateStyle: 'long',
    timeStyle: 'short',
  });
