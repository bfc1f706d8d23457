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

export interface ParametreTable {
  cle: string;
  valeur: string;
  modifie_le: ColumnType<Date, Date | string | undefined, Date | string>;
  modifie_par: string | null;
}

export interface CreditAnnuelTable {
  convention_id: string;
  annee: number;
  base_ae: ColumnType<number, number | undefined, number>;
  base_cp: ColumnType<number, number | undefined, number>;
  reporte_entrant_ae: ColumnType<number, number | undefined, number>;
  reporte_entrant_cp: ColumnType<number, number | undefined, number>;
  reporte_sortant_ae: ColumnType<number, number | undefined, number>;
  reporte_sortant_cp: ColumnType<number, number | undefined, number>;
  restitue_ae: ColumnType<number, number | undefined, number>;
  restitue_cp: ColumnType<number, number | undefined, number>;
  ouvert_ae: ColumnType<number, number | undefined, number>;
  ouvert_cp: ColumnType<number, number | undefined, number>;
  engage_ae: ColumnType<number, number | undefined, number>;
  libere_ae: ColumnType<number, number | undefined, number>;
  certifie: ColumnType<number, number | undefined, number>;
  paye_cp: ColumnType<number, number | undefined, number>;
  nb_engagements: ColumnType<number, number | undefined, number>;
  ouverture: string | null;
  modifie_le: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface EngagementTable {
  id: string;
  convention_id: string;
  annee: number;
  numero: string;
  titulaire: string;
  marche: string | null;
  devis: string | null;
  objet: string;
  produit: string | null;
  montant: number;
  base_montant: string;
  date_engagement: string;
  date_fin_prestation: string | null;
  statut: ColumnType<string, string | undefined, string>;
  libere: ColumnType<number, number | undefined, number>;
  certifie: ColumnType<number, number | undefined, number>;
  paye: ColumnType<number, number | undefined, number>;
  acteur_id: string;
  acteur_nom: string;
  cree_le: ColumnType<Date, Date | string | undefined, never>;
}

export interface MouvementTable {
  id: Generated<number>;
  convention_id: string;
  annee: number;
  type: string;
  engagement_id: string | null;
  date_operation: string;
  ouvert_ae: ColumnType<number, number | undefined, never>;
  ouvert_cp: ColumnType<number, number | undefined, never>;
  engage_ae: ColumnType<number, number | undefined, never>;
  certifie: ColumnType<number, number | undefined, never>;
  paye_cp: ColumnType<number, number | undefined, never>;
  pourcentage: number | null;
  reference: string | null;
  certificateur: string | null;
  motif: string | null;
  derogation: string | null;
  acteur_id: string;
  acteur_nom: string;
  enregistre_le: ColumnType<Date, Date | string | undefined, never>;
}

export interface DecisionCreditTable {
  id: Generated<number>;
  convention_id: string;
  type: string;
  annee: number | null;
  rang: number | null;
  ae: number | null;
  cp: number | null;
  date_effet: string;
  motif: string;
  decideur: string | null;
  acteur_id: string;
  acteur_nom: string;
  enregistre_le: ColumnType<Date, Date | string | undefined, never>;
}

export interface AlerteTable {
  id: Generated<number>;
  convention_id: string;
  annee: number | null;
  code: string;
  message: string;
  details: unknown;
  destinataire: string | null;
  acteur_id: string;
  acteur_nom: string;
  le: ColumnType<Date, Date | string | undefined, never>;
  traitee_le: Date | null;
  traitee_par: string | null;
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

export interface AgentTable {
  id: string;
  idp_id: string;
  sub: string;
  email: string;
  prenom: string;
  nom: string;
  organisation_siret: string | null;
  role: string;
  produits: ColumnType<string[], string | undefined, string>;
  actif: ColumnType<boolean, boolean | undefined, boolean>;
  cree_le: ColumnType<Date, Date | string | undefined, never>;
  derniere_connexion: Date | null;
  modifie_par: string | null;
  modifie_le: Date | null;
}

export interface SessionTable {
  hash: string;
  agent_id: string;
  cree_le: ColumnType<Date, Date | string | undefined, never>;
  vu_le: ColumnType<Date, Date | string | undefined, Date | string>;
  expire_le: Date;
  id_token: string | null;
}

export interface ConnexionEnCoursTable {
  state: string;
  nonce: string;
  code_verifier: string;
  retour: string;
  expire_le: Date;
}

export interface JetonTable {
  id: string;
  hash: string;
  prefixe: string;
  nom: string;
  role: string;
  organisation_siret: string | null;
  produits: ColumnType<string[], string | undefined, string>;
  cree_par: string;
  cree_le: ColumnType<Date, Date | string | undefined, never>;
  expire_le: Date;
  revoque_le: Date | null;
  revoque_par: string | null;
  utilise_le: Date | null;
}

export interface PropositionTable {
  id: string;
  convention_id: string;
  annee: number;
  titulaire: string;
  marche: string | null;
  devis: string | null;
  objet: string;
  produit: string | null;
  montant: number;
  base_montant: string | null;
  date_fin_prestation: string | null;
  justification: string | null;
  statut: ColumnType<string, string | undefined, string>;
  propose_par_id: string;
  propose_par_nom: string;
  propose_le: ColumnType<Date, Date, never>;
  decide_par_nom: string | null;
  decide_le: Date | null;
  motif_refus: string | null;
  engagement_id: string | null;
}

export interface Database {
  convention: ConventionTable;
  echeancier: EcheancierTable;
  tranche: TrancheTable;
  journal: JournalTable;
  parametre: ParametreTable;
  credit_annuel: CreditAnnuelTable;
  engagement: EngagementTable;
  mouvement: MouvementTable;
  decision_credit: DecisionCreditTable;
  alerte: AlerteTable;
  document: DocumentTable;
  agent: AgentTable;
  session: SessionTable;
  connexion_en_cours: ConnexionEnCoursTable;
  jeton: JetonTable;
  proposition: PropositionTable;
}
