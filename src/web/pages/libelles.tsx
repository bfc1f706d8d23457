import type { Phase, RoleDinum, StatutEffectif, Nature } from '../../domain/convention.js';

/** French labels of the domain's codes, shared by pages and exports. */
export const LIBELLES_STATUT: Record<StatutEffectif, string> = {
  a_verifier: 'À vérifier',
  brouillon: 'Brouillon',
  en_vigueur: 'En vigueur',
  suspendue: 'Suspendue',
  resiliee: 'Résiliée',
  terminee: 'Terminée',
};

const BADGE_STATUT: Record<StatutEffectif, string> = {
  a_verifier: 'fr-badge--new',
  brouillon: 'fr-badge--info',
  en_vigueur: 'fr-badge--success',
  suspendue: 'fr-badge--warning',
  resiliee: 'fr-badge--error',
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
