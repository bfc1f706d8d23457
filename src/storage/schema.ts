import type { ColumnType, Generated } from 'kysely';

/** Row types of the tables, as Kysely sees them. Only repositories use them. */
export interface ConventionTable {
  id: string;
  reference: string | null;
  nature: string;
  statut: string;
  role_dinum: string;
  delegant: unknown;
  delegataire: unknown;
  delegant_nom: string;
  delegataire_nom: string;
  delegant_siret: string | null;
  delegataire_siret: string | null;
  produits: unknown;
  produits_texte: string;
  objet_verbe: string | null;
  objet: string | null;
  phase: string | null;
  base_juridique: string | null;
  preambule: string | null;
  uo: string | null;
  programme_bop: string | null;
  imputation: unknown;
  comptable_assignataire: string | null;
  base_montants: string;
  total_ae_centimes: number | null;
  cofinancement_fast_centimes: number | null;
  promotion_fast: string | null;
  date_signature: string | null;
  date_fin: string | null;
  duree_mois: number | null;
  fin_effective: string | null;
  preavis_mois: number | null;
  comite: unknown;
  obligations: unknown;
  rgpd: unknown;
  destinataires_copie: string | null;
  publication: string | null;
  publiee: boolean;
  echeancier_ae_centimes: number;
  echeancier_cp_centimes: number;
  version: ColumnType<number, number | undefined, unknown>;
  cree_le: ColumnType<Date, Date | string | undefined, Date | string>;
  modifie_le: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface EcheancierTable {
  convention_id: string;
  annee: number;
  ae_centimes: number | null;
  cp_centimes: number | null;
}

export interface TrancheTable {
  convention_id: string;
  rang: number;
  part_pct: number;
  condition: string | null;
}

export interface JournalTable {
  id: Generated<number>;
  convention_id: string | null;
  objet_type: string;
  objet_id: string;
  action: string;
  acteur_id: string;
  acteur_nom: string;
  acteur_role: string;
  le: ColumnType<Date, Date | string | undefined, never>;
  changements: unknown;
  commentaire: string | null;
}

export interface DocumentTable {
  id: string;
  nom: string;
  media_type: string;
  taille: number;
  sha256: string;
  contenu: Uint8Array;
  texte: string;
  extraction: unknown;
  convention_id: string | null;
  importe_par: string;
  importe_le: ColumnType<Date, Date | string | undefined, never>;
}

export interface Database {
  convention: ConventionTable;
  echeancier: EcheancierTable;
  tranche: TrancheTable;
  journal: JournalTable;
  document: DocumentTable;
}
