import type { Phase, RoleDinum, StatutEffectif } from './convention.js';
import type { DateIso } from './dates.js';
import type { Centimes } from './money.js';

/** The register: a page of conventions as the list shows them, its filters and sort orders. */

export type TriConventions =
  | 'signature'
  | '-signature'
  | 'fin'
  | '-fin'
  | 'service'
  | '-service'
  | 'partenaire'
  | '-partenaire'
  | 'montant'
  | '-montant';

export interface FiltreConventions {
  q?: string;
  partenaire?: string;
  annee?: number;
  roleDinum?: RoleDinum;
  phase?: Phase;
  statut?: StatutEffectif;
  tri?: TriConventions;
  page: number;
  taille: number;
}

export interface ConventionResume {
  id: string;
  reference: string | null;
  produits: string[];
  partenaire: string;
  roleDinum: RoleDinum;
  phase: Phase | null;
  statut: StatutEffectif;
  uo: string | null;
  dateSignature: DateIso | null;
  finEffective: DateIso | null;
  aeCentimes: Centimes;
  cpCentimes: Centimes;
}

export interface PageConventions {
  items: ConventionResume[];
  total: number;
  totalAeCentimes: Centimes;
  totalCpCentimes: Centimes;
}
