import type { Phase, RoleDinum, StatutEffectif } from './convention.js';
import type { DateIso } from './dates.js';
import type { Centimes } from './money.js';

/** The register: a page of conventions as the list shows them, its filters and sort orders. */

/** The register's columns it sorts by; a leading « - » sorts in descending order. */
export const CLES_TRI = [
  'service',
  'partenaire',
  'role',
  'phase',
  'statut',
  'signature',
  'fin',
  'montant',
  'cp',
  'engage',
  'paye',
] as const;
export type CleTri = (typeof CLES_TRI)[number];
export type TriConventions = CleTri | `-${CleTri}`;
export const TRIS_CONVENTIONS: readonly TriConventions[] = CLES_TRI.flatMap((k) => [k, `-${k}` as const]);

/** The page sizes the register offers. */
export const TAILLES_PAGE = [20, 50, 100, 200] as const;

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
  /** planned on the schedule (of the year when one is chosen) */
  aeCentimes: Centimes;
  cpCentimes: Centimes;
  /** committed net of released AE, and paid, from the credits (of the year when one is chosen) */
  engageAeCentimes: Centimes;
  payeCpCentimes: Centimes;
}

export interface PageConventions {
  items: ConventionResume[];
  total: number;
  totalAeCentimes: Centimes;
  totalCpCentimes: Centimes;
}

/**
 * The form of a text that the register's search compares: without accents or case, ligatures spelled
 * out, typographic apostrophes and spaces made plain (« Classe à 12 » and « classe a 12 » are one).
 */
export function normaliserRecherche(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[’‘ʼ`]/g, "'")
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The fields the register's search looks into, one per line so that a search never spans two of them. */
export function texteRecherche(c: {
  reference: string | null;
  produits: string[];
  delegant: { nom: string };
  delegataire: { nom: string };
  uo: string | null;
  objet: string | null;
}): string {
  return [c.produits.join(' · '), c.delegant.nom, c.delegataire.nom, c.reference, c.uo, c.objet]
    .map((v) => normaliserRecherche(v ?? ''))
    .join('\n');
}
