import type { RoleDinum, StatutEffectif } from './convention.js';
import type { DateIso } from './dates.js';
import type { Centimes } from './money.js';

/** The portfolio: every convention's credits, filtered, paged and summed by one dimension. */
export type GroupePortefeuille = 'partenaire' | 'annee' | 'role_dinum' | 'promotion_fast';

export interface FiltrePortefeuille {
  annee?: number;
  partenaire?: string;
  roleDinum?: RoleDinum;
  promotionFast?: string;
  page: number;
  taille: number;
}

export interface LignePortefeuille {
  conventionId: string;
  reference: string | null;
  produits: string[];
  partenaire: string;
  roleDinum: RoleDinum;
  promotionFast: string | null;
  statut: StatutEffectif;
  finEffective: DateIso | null;
  ouvertAe: Centimes;
  engageAe: Centimes;
  certifie: Centimes;
  ouvertCp: Centimes;
  payeCp: Centimes;
}

export interface SommePortefeuille {
  cle: string | null;
  n: number;
  ouvertAe: Centimes;
  engageAe: Centimes;
  certifie: Centimes;
  ouvertCp: Centimes;
  payeCp: Centimes;
}

export interface Portefeuille {
  items: LignePortefeuille[];
  total: SommePortefeuille;
  groupes: SommePortefeuille[];
}
