// Over 400 lines: every table of the database in one typed schema, so that Kysely types every query.
import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../domain/acces.js';
import type { TypeMouvement } from '../domain/credit.js';
import type {
  Comite,
  Imputation,
  LigneRgpd,
  Nature,
  Obligation,
  Partie,
  PartieCle,
  Phase,
  RoleDinum,
  Statut,
} from '../domain/convention.js';
import type { ElementRecapitulatif, Frequence, StatutEnvoi } from '../domain/notification.js';
import type { StatutAvenant } from '../domain/avenant.js';
import type { Echeance, EtatSaisi, Mesure } from '../domain/obligation.js';
import type { DecisionComite, DemandeEquipe, Indicateur, NatureComite, PhaseProduit } from '../domain/comite.js';
import type { StatutEngagement } from '../domain/engagement.js';
import type { BilanExercice } from '../domain/exercice.js';
import type { Changement } from '../domain/journal.js';
import type { BaseMontant } from '../domain/money.js';
import type { StatutProposition } from '../domain/proposition.js';
import type { Extraction } from '../importer/extract.js';

/** A jsonb column: read as its value, written as JSON text (pg would turn an array into a PostgreSQL array). */
type Json<T> = ColumnType<T, string, string>;
/** A timestamp the application sets: storage never reads the clock, so every insert gives it. */
type Horodatage = ColumnType<Date, Date, Date>;
/** Set once, when the row is written. */
type HorodatageFixe = ColumnType<Date, Date, never>;

/** Row types of the tables, as Kysely sees them. Only repositories use them. */
export interface ConventionTable {
  id: string;
  reference: string | null;
  nature: Nature;
  statut: Statut;
  role_dinum: RoleDinum;
  delegant: Json<Partie>;
  delegataire: Json<Partie>;
  delegant_nom: string;
  delegataire_nom: string;
  delegant_siret: string | null;
  delegataire_siret: string | null;
  produits: Json<string[]>;
  produits_texte: string;
  /** `produits` as the access scope compares them (`nomProduitNormalise`) */
  produits_normalises: Json<string[]>;
  /** the searched fields without case or accents, one per line (`texteRecherche`) */
  recherche: string;
  objet_verbe: string | null;
  objet: string | null;
  phase: Phase | null;
  base_juridique: string | null;
  preambule: string | null;
  uo: string | null;
  programme_bop: string | null;
  imputation: Json<Imputation>;
  comptable_assignataire: string | null;
  base_montants: BaseMontant;
  total_ae_centimes: number | null;
  cofinancement_fast_centimes: number | null;
  promotion_fast: string | null;
  date_signature: string | null;
  date_fin: string | null;
  duree_mois: number | null;
  fin_effective: string | null;
  resiliation_effet: ColumnType<string | null, string | null | undefined, string | null>;
  preavis_mois: number | null;
  comite: Json<Comite>;
  obligations: Json<Obligation[]>;
  rgpd: Json<LigneRgpd[]>;
  destinataires_copie: string | null;
  publication: string | null;
  publiee: boolean;
  echeancier_ae_centimes: number;
  echeancier_cp_centimes: number;
  version: ColumnType<number, number | undefined, unknown>;
  cree_le: HorodatageFixe;
  modifie_le: Horodatage;
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
  le: HorodatageFixe;
  changements: ColumnType<Changement[], string, never>;
  commentaire: string | null;
}

export interface ParametreTable {
  cle: string;
  valeur: string;
  modifie_le: Horodatage;
  modifie_par: string | null;
}

interface SommesCredit {
  ouvert_ae: number;
  engage_ae: number;
  certifie: number;
  ouvert_cp: number;
  paye_cp: number;
}

/** A convention's credits, its years summed: kept by triggers on credit_annuel (020), read-only here. */
export interface CreditConventionTable extends SommesCredit {
  convention_id: string;
  nb_annees: number;
}

/** The portfolio's sums by year (0: all years), partner, DINUM's role and FAST promotion (020), read-only. */
export interface PortefeuilleSommeTable extends SommesCredit {
  annee: number;
  partenaire: string;
  role_dinum: RoleDinum;
  promotion_fast: string | null;
  n: number;
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
  /** the latest effect date of the year's movements (007) */
  dernier_effet: string | null;
  /** the instant the year was closed for this convention, mirrored from exercice_cloture (013) */
  clos_le: ColumnType<Date | null, Date | null | undefined, Date | null>;
  modifie_le: Horodatage;
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
  base_montant: BaseMontant;
  /** VAT rate in percent (007) */
  taux_tva: ColumnType<number, number | undefined, number>;
  /** the amount counted against the credits, in the convention's base (007) */
  montant_impute: number;
  date_engagement: string;
  date_fin_prestation: string | null;
  statut: ColumnType<StatutEngagement, StatutEngagement | undefined, StatutEngagement>;
  libere: ColumnType<number, number | undefined, number>;
  certifie: ColumnType<number, number | undefined, number>;
  paye: ColumnType<number, number | undefined, number>;
  acteur_id: string;
  acteur_nom: string;
  cree_le: HorodatageFixe;
}

export interface MouvementTable {
  id: Generated<number>;
  convention_id: string;
  annee: number;
  type: TypeMouvement;
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
  enregistre_le: HorodatageFixe;
}

export interface DecisionCreditTable {
  id: Generated<number>;
  convention_id: string;
  type: 'liberation_tranche' | 'disponibilite';
  annee: number | null;
  rang: number | null;
  ae: number | null;
  cp: number | null;
  date_effet: string;
  motif: string;
  decideur: string | null;
  acteur_id: string;
  acteur_nom: string;
  enregistre_le: HorodatageFixe;
}

export interface AlerteTable {
  id: Generated<number>;
  convention_id: string;
  annee: number | null;
  code: string;
  message: string;
  details: ColumnType<Record<string, unknown>, string, never>;
  destinataire: string | null;
  acteur_id: string;
  acteur_nom: string;
  le: HorodatageFixe;
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
  extraction: ColumnType<Extraction, string, never>;
  convention_id: string | null;
  importe_par: string;
  importe_le: HorodatageFixe;
  ecarte_le: ColumnType<Date | null, never, Date>;
  ecarte_par: ColumnType<string | null, never, string>;
  motif_ecart: ColumnType<string | null, never, string | null>;
}

export interface AgentTable {
  id: string;
  idp_id: string;
  sub: string;
  email: string;
  prenom: string;
  nom: string;
  organisation_siret: string | null;
  role: Exclude<Role, 'public'>;
  produits: Json<string[]>;
  actif: ColumnType<boolean, boolean | undefined, boolean>;
  cree_le: HorodatageFixe;
  derniere_connexion: Date | null;
  modifie_par: string | null;
  modifie_le: Date | null;
}

export interface SessionTable {
  hash: string;
  agent_id: string;
  cree_le: HorodatageFixe;
  vu_le: Horodatage;
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
  role: Role;
  organisation_siret: string | null;
  produits: Json<string[]>;
  cree_par: string;
  cree_le: HorodatageFixe;
  expire_le: Date;
  revoque_le: Date | null;
  revoque_par: string | null;
  utilise_le: Date | null;
}

/** An agent's calendar feed: the hash of its secret, never the secret. */
export interface AgendaTable {
  agent_id: string;
  hash: string;
  prefixe: string;
  cree_le: Horodatage;
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
  base_montant: BaseMontant | null;
  date_fin_prestation: string | null;
  justification: string | null;
  statut: ColumnType<StatutProposition, StatutProposition | undefined, StatutProposition>;
  propose_par_id: string;
  propose_par_nom: string;
  propose_le: HorodatageFixe;
  decide_par_nom: string | null;
  decide_le: Date | null;
  motif_refus: string | null;
  engagement_id: string | null;
}

export interface ExerciceClotureTable {
  id: Generated<number>;
  annee: number;
  convention_id: string | null;
  bilan: ColumnType<BilanExercice | null, string | null, never>;
  acteur_id: string;
  acteur_nom: string;
  clos_le: HorodatageFixe;
}

export interface AccordReportTable {
  id: Generated<number>;
  convention_id: string;
  annee: number;
  date_accord: string;
  auteur: string;
  ae: number | null;
  cp: number | null;
  acteur_id: string;
  acteur_nom: string;
  enregistre_le: HorodatageFixe;
}

export interface CalendrierExerciceTable {
  annee: number;
  ouverture_cloture: string | null;
  limite_report: string | null;
  limite_cloture: string | null;
  modifie_par: string;
  modifie_le: Horodatage;
}

export interface InsuffisanceTable {
  id: Generated<number>;
  convention_id: string;
  annee: number | null;
  nature: 'credits' | 'inutilises';
  ouvert_le: HorodatageFixe;
  ouvert_par: string;
  nb_refus: ColumnType<number, number | undefined, number>;
  details: ColumnType<Record<string, unknown>, string, string>;
  information_date: string | null;
  information_moyen: string | null;
  information_justification: string | null;
  information_par: string | null;
  information_le: Date | null;
  reponse_date: string | null;
  reponse_decision: 'ajustement' | 'refus' | null;
  reponse_motif: string | null;
  reponse_par: string | null;
  reponse_le: Date | null;
}

export interface Database {
  convention: ConventionTable;
  echeancier: EcheancierTable;
  tranche: TrancheTable;
  journal: JournalTable;
  parametre: ParametreTable;
  credit_annuel: CreditAnnuelTable;
  credit_convention: CreditConventionTable;
  portefeuille_somme: PortefeuilleSommeTable;
  engagement: EngagementTable;
  mouvement: MouvementTable;
  decision_credit: DecisionCreditTable;
  alerte: AlerteTable;
  document: DocumentTable;
  agent: AgentTable;
  session: SessionTable;
  connexion_en_cours: ConnexionEnCoursTable;
  jeton: JetonTable;
  agenda: AgendaTable;
  proposition: PropositionTable;
  exercice_cloture: ExerciceClotureTable;
  accord_report: AccordReportTable;
  calendrier_exercice: CalendrierExerciceTable;
  insuffisance: InsuffisanceTable;
  piece: PieceTable;
  avenant: AvenantTable;
  signature: SignatureTable;
  resiliation: ResiliationTable;
  envoi: EnvoiTable;
  preference_notification: PreferenceNotificationTable;
  tache: TacheTable;
  comite: ComiteTable;
  obligation: ObligationTable;
  promotion: PromotionTable;
  enveloppe: EnveloppeTable;
  rapport_fin: RapportFinTable;
  avenant_copie: AvenantCopieTable;
  publication: PublicationTable;
  limite: LimiteTable;
  publication_donnees: PublicationDonneesTable;
}

/** A rate limit's counter for one client: hits in the fixed window that starts at `debut`. */
export interface LimiteTable {
  cle: string;
  debut: Date;
  nombre: number;
}

/** A signed piece (the PDF of a signature, a notice letter), kept with its convention. */
export interface PieceTable {
  id: string;
  convention_id: string;
  nom: string;
  media_type: string;
  taille: number;
  sha256: string;
  contenu: Buffer;
  depose_par: string;
  depose_le: HorodatageFixe;
}

export interface AvenantTable {
  convention_id: string;
  numero: number;
  objet: string;
  date_effet: string;
  modifications: Json<Record<string, unknown>>;
  avant: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  statut: ColumnType<StatutAvenant, StatutAvenant | undefined, StatutAvenant>;
  date_signature: ColumnType<string | null, string | null | undefined, string | null>;
  cree_par: string;
  cree_le: HorodatageFixe;
}

/** One party's signature of a convention (`avenant_numero` 0) or of an avenant. */
export interface SignatureTable {
  convention_id: string;
  avenant_numero: number;
  partie: PartieCle;
  date_signature: string;
  signataire: string | null;
  piece_id: string | null;
  acteur_id: string;
  acteur_nom: string;
  le: HorodatageFixe;
}

export interface ResiliationTable {
  id: string;
  convention_id: string;
  partie: PartieCle;
  date_notification: string;
  preavis_mois: number;
  date_effet: string;
  motif: string;
  piece_id: string | null;
  acteur_nom: string;
  le: HorodatageFixe;
  retrait_date_accord: ColumnType<string | null, string | null | undefined, string | null>;
  retrait_motif: ColumnType<string | null, string | null | undefined, string | null>;
  retrait_par: ColumnType<string | null, string | null | undefined, string | null>;
  retrait_le: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** An e-mail to send, queued with the change that causes it (migration 011). */
export interface EnvoiTable {
  id: Generated<number>;
  cle: string;
  type: string;
  agent_id: string | null;
  destinataire: string;
  sujet: string;
  texte: string;
  html: string;
  lien: string;
  convention_id: string | null;
  statut: ColumnType<StatutEnvoi, StatutEnvoi | undefined, StatutEnvoi>;
  tentatives: ColumnType<number, number | undefined, number>;
  prochain_essai: Date;
  verrou_jusqua: Date | null;
  erreur: string | null;
  cree_le: HorodatageFixe;
  envoye_le: Date | null;
  regroupement: 'quotidien' | 'hebdomadaire' | null;
  recapitulatif_id: number | null;
  /** a digest's lines (migration 022) */
  elements: ColumnType<ElementRecapitulatif[] | null, string | null, string | null>;
}

/** An agent's choice for one kind of e-mail (migration 022). */
export interface PreferenceNotificationTable {
  agent_id: string;
  type: string;
  frequence: Frequence;
}

/** A day's background work: claimed by one instance for a while, then marked done (migration 022). */
export interface TacheTable {
  nom: string;
  jour: ColumnType<string, string, string>;
  verrou_jusqua: Date;
  terminee_le: Date | null;
}

/** An investment committee or a mid-term review: prepared, then decided once. */
export interface ComiteTable {
  id: Generated<number>;
  convention_id: string;
  nature: NatureComite;
  date: string;
  presidence: string | null;
  participants: Json<string[]>;
  indicateurs: Json<Indicateur[]>;
  demande: ColumnType<DemandeEquipe | null, string | null, string | null>;
  prepare_par: string;
  prepare_le: HorodatageFixe;
  decision: ColumnType<DecisionComite | null, DecisionComite | null | undefined, DecisionComite | null>;
  decision_motif: ColumnType<string | null, string | null | undefined, string | null>;
  decision_budget_centimes: ColumnType<number | null, number | null | undefined, number | null>;
  decision_duree_mois: ColumnType<number | null, number | null | undefined, number | null>;
  phase_apres: ColumnType<PhaseProduit | null, PhaseProduit | null | undefined, PhaseProduit | null>;
  tranche_liberee: ColumnType<number | null, number | null | undefined, number | null>;
  decide_par: ColumnType<string | null, string | null | undefined, string | null>;
  decide_le: ColumnType<Date | null, Date | null | undefined, Date | null>;
  compte_rendu_piece_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** the decision calls for an avenant (migration 023) */
  appelle_avenant: ColumnType<boolean, boolean | undefined, boolean>;
  /** the avenant drafted from the decision, once there is one */
  avenant_numero: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An obligation of one party of a convention, with its evidence. */
export interface ObligationTable {
  id: Generated<number>;
  convention_id: string;
  partie: PartieCle;
  code: string | null;
  libelle: string;
  echeance: Echeance;
  date_limite: string | null;
  mesure: ColumnType<Mesure | null, string | null, string | null>;
  etat: ColumnType<EtatSaisi, EtatSaisi | undefined, EtatSaisi>;
  preuve_url: ColumnType<string | null, string | null | undefined, string | null>;
  preuve_piece_id: ColumnType<string | null, string | null | undefined, string | null>;
  motif_levee: ColumnType<string | null, string | null | undefined, string | null>;
  faite_le: ColumnType<string | null, string | null | undefined, string | null>;
  modifie_par: string | null;
  modifie_le: Date | null;
}

/** A FAST promotion and its calendar. */
export interface PromotionTable {
  numero: number;
  appel_ouverture: string | null;
  appel_cloture: string | null;
  comite_selection: string | null;
  lancement: string | null;
  mi_parcours: string | null;
  demo_day: string | null;
  plafond_laureat_centimes: number | null;
  cree_par: string;
  cree_le: HorodatageFixe;
}

/** The partner's matching envelope of a FAST laureate convention. */
export interface EnveloppeTable {
  convention_id: string;
  montant_centimes: number;
  engage_centimes: ColumnType<number, number | undefined, number>;
  preuve_url: string | null;
  declare_par: string | null;
  declare_le: Date | null;
  /** the evidence as a file (migration 023) */
  preuve_piece_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The end-of-term report of a convention (migration 014). */
export interface RapportFinTable {
  convention_id: string;
  avancement: string;
  previsions: string;
  redige_par: string | null;
  redige_le: Date | null;
  relu_par: string | null;
  relu_le: Date | null;
  envoye_le: string | null;
  destinataires: string | null;
  envoye_par: string | null;
}

/** A copy of a signed avenant sent to a budget controller (migration 015). */
export interface AvenantCopieTable {
  id: Generated<number>;
  convention_id: string;
  avenant_numero: number;
  destinataire: string;
  date_envoi: string;
  consigne_par: string;
  le: HorodatageFixe;
}

/** The « publiée » decision of a convention, while it stands (migration 016). */
export interface PublicationTable {
  convention_id: string;
  publiee_le: string;
  decidee_par: string;
  le: HorodatageFixe;
}

/** A file pushed to data.gouv.fr, or an attempt that failed (migration 016_publication_donnees). */
export interface PublicationDonneesTable {
  id: Generated<number>;
  le: HorodatageFixe;
  jeu_de_donnees: string;
  fichier: string;
  statut: 'publie' | 'echec';
  ressource_id: string | null;
  url: string | null;
  sha256: string | null;
  octets: number | null;
  lignes: number | null;
  message: string | null;
  acteur_nom: string;
}
