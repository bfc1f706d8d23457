import { LIBELLES_CHAMPS } from '../../domain/convention.js';
import { formatDate, isDateIso } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { LIBELLES_STATUT } from './libelles.js';

/**
 * How the journal says what changed, in French: actions and fields by their names, amounts in euros,
 * dates in words, codes by their labels. The line keeps the raw values; only the page translates them.
 */

const ACTIONS: Record<string, string> = {
  creation: 'Création',
  modification: 'Modification',
  import: 'Import',
  engagement: 'Bon de commande',
  service_fait: 'Service fait',
  paiement: 'Paiement',
  solde: 'Solde de l’engagement',
  annulation: 'Annulation de l’engagement',
  mise_a_disposition: 'Mise à disposition des crédits',
  disponibilite: 'Décision de mise à disposition',
  liberation_tranche: 'Libération d’une tranche',
  report: 'Report de crédits',
  restitution: 'Restitution au délégant',
  proposition: 'Proposition de bon de commande',
  validation: 'Validation de la proposition',
  refus: 'Refus de la proposition',
  statut: 'Changement de statut',
  calendrier: 'Calendrier de fin de gestion',
  parametres: 'Paramètres',
  cloture: 'Clôture de l’exercice',
  accord_report: 'Accord du délégant sur le report',
  information: 'Délégant informé d’une insuffisance de crédits',
  reponse: 'Réponse du délégant à une insuffisance de crédits',
  traitement: 'Alerte traitée',
  depot: 'Dépôt de document',
  ecart: 'Import écarté',
  revocation: 'Révocation',
  // a convention's life and its avenants
  envoi_signature: 'Envoi en signature',
  retour_brouillon: 'Retour en brouillon',
  signature_partenaire: 'Signature du partenaire',
  signature_dinum: 'Signature de la DINUM : entrée en vigueur',
  acceptation: 'Acceptation de la convention importée',
  suspension: 'Suspension',
  reprise: 'Remise en vigueur',
  resiliation: 'Résiliation notifiée',
  retrait_resiliation: 'Retrait de la résiliation',
  cloture_convention: 'Clôture de la convention',
  avenant: 'Projet d’avenant',
  signature_avenant: 'Signature d’avenant',
  avenant_signe: 'Avenant signé',
  copie_avenant: 'Copie de l’avenant aux contrôleurs budgétaires',
  rapport_fin_redaction: 'Compte rendu de fin rédigé',
  rapport_fin_relecture: 'Compte rendu de fin relu',
  rapport_fin_envoi: 'Compte rendu de fin envoyé au délégant',
  publication: 'Décision de publication',
  retrait_publication: 'Retrait de la publication',
  publication_donnees: 'Données ouvertes publiées sur data.gouv.fr',
  echec_publication_donnees: 'Échec de la publication sur data.gouv.fr',
  // governance
  preparation_comite: 'Comité préparé',
  decision_comite: 'Décision du comité',
  compte_rendu_comite: 'Compte rendu du comité',
  initialisation_obligations: 'Obligations de la convention',
  modification_obligations: 'Obligations mises à jour',
  preuve_obligation: 'Preuve d’une obligation',
  creation_promotion: 'Promotion FAST créée',
  declaration_enveloppe: 'Enveloppe de cofinancement déclarée',
};

const CHAMPS: Record<string, string> = {
  numero: 'Numéro',
  montant: 'Montant',
  titulaire: 'Titulaire',
  date_effet: 'Date d’effet',
  certifie: 'Service fait',
  paye: 'Payé',
  libere: 'AE libérées',
  statut: 'Statut',
  ouvertAe: 'AE ouvertes',
  ouvertCp: 'CP ouverts',
  ouverture: 'ouverture',
  'rapport_fin.avancement': 'Avancement des travaux',
  'rapport_fin.previsions': 'Prévisions de commande et de consommation',
  'rapport_fin.reluPar': 'Relu par',
  'rapport_fin.envoyeLe': 'Envoyé le',
  'rapport_fin.destinataires': 'Destinataires',
  'publication.publieeLe': 'Publiée le',
};

/** Fields whose values are integer cents. */
const MONTANTS = new Set(['certifie', 'paye', 'libere', 'ouvertAe', 'ouvertCp']);

const STATUTS_ENGAGEMENT: Record<string, string> = { actif: 'Actif', solde: 'Soldé', annule: 'Annulé' };

export const libelleAction = (action: string): string => ACTIONS[action] ?? action;

/** `credits 2026.ouvertAe` → « Crédits 2026 : AE ouvertes »; `tranche 2.liberee` → « Tranche 2 : libérée le ». */
export function libelleChamp(champ: string): string {
  if (LIBELLES_CHAMPS[champ]) return LIBELLES_CHAMPS[champ];
  if (CHAMPS[champ]) return CHAMPS[champ];
  const credits = /^credits (\d{4})\.(\w+)$/.exec(champ);
  if (credits) return `Crédits ${credits[1]} : ${CHAMPS[credits[2]!] ?? credits[2]}`;
  const tranche = /^tranche (\d+)\.liberee$/.exec(champ);
  if (tranche) return `Tranche ${tranche[1]} : libération`;
  const dispo = /^disponibilite (\d{4})$/.exec(champ);
  if (dispo) return `Mise à disposition ${dispo[1]}`;
  return champ;
}

const dernier = (champ: string) => champ.split('.').at(-1)!;

export function valeurLisible(champ: string, x: unknown): string {
  if (x === null || x === undefined) return '∅';
  const cle = dernier(champ);
  if (typeof x === 'number' && MONTANTS.has(cle)) return formatEuros(x);
  if (typeof x === 'string' && isDateIso(x)) return formatDate(x);
  if (typeof x === 'string' && cle === 'statut')
    return STATUTS_ENGAGEMENT[x] ?? LIBELLES_STATUT[x as keyof typeof LIBELLES_STATUT] ?? x;
  if (typeof x === 'object' && x !== null && 'aeCentimes' in x) {
    const d = x as { aeCentimes: number; cpCentimes: number; dateEffet?: string };
    return `${formatEuros(d.aeCentimes)} d’AE, ${formatEuros(d.cpCentimes)} de CP${d.dateEffet ? ` à compter du ${formatDate(d.dateEffet)}` : ''}`;
  }
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return JSON.stringify(x);
}
