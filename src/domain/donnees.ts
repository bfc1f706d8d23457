import { PHASES, ROLES_DINUM, STATUTS_EFFECTIFS } from './convention.js';
import type { Centimes } from './money.js';
import { type AnneePublique, type ConventionPublique, type DeuxBases, totauxPublics } from './publication.js';

/**
 * The open data: one definition per file of the fields published, from which both the CSV and its Table
 * Schema (schema.data.gouv.fr's rules) are written, so that the two cannot disagree.
 */

export type TypeChamp = 'string' | 'integer' | 'number' | 'date';

export interface ContraintesChamp {
  required: boolean;
  unique?: boolean;
  enum?: readonly string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export interface ChampDonnees<L> {
  name: string;
  title: string;
  type: TypeChamp;
  description: string;
  example: string;
  constraints: ContraintesChamp;
  /** the cell as written in the CSV: ISO dates, decimal point, empty when unknown */
  valeur: (l: L) => string;
}

export interface JeuDeDonnees<L> {
  name: string;
  title: string;
  description: string;
  /** file name under /donnees/ */
  fichier: string;
  version: string;
  created: string;
  lastModified: string;
  champs: ReadonlyArray<ChampDonnees<L>>;
  primaryKey: readonly string[];
}

// ---- cells -----------------------------------------------------------------------------------------

/** Integer cents as euros with a decimal point and two decimals: 20000000 → "200000.00". */
function euros(c: Centimes): string {
  const signe = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${signe}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

const texte = (v: string | null | undefined) => v ?? '';
const nombre = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
const montant = (v: Centimes | null | undefined) => (v === null || v === undefined ? '' : euros(v));

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const champ = <L>(
  name: string,
  title: string,
  type: TypeChamp,
  description: string,
  example: string,
  constraints: ContraintesChamp,
  valeur: (l: L) => string,
): ChampDonnees<L> => ({ name, title, type, description, example, constraints, valeur });

type Mesure = 'ouvertAe' | 'ouvertCp' | 'engageAe' | 'payeCp';
const MESURES: ReadonlyArray<[Mesure, string, string]> = [
  ['ouvertAe', 'mis_a_disposition_ae', 'autorisations d’engagement mises à disposition par le délégant'],
  ['ouvertCp', 'mis_a_disposition_cp', 'crédits de paiement mis à disposition par le délégant'],
  ['engageAe', 'engage_ae', 'autorisations d’engagement consommées par les bons de commande'],
  ['payeCp', 'paye_cp', 'crédits de paiement consommés par les paiements'],
];

/** The eight amounts of a budget (four measures × TTC and HT), in euros. */
function montants<L>(de: (l: L) => Record<Mesure, DeuxBases>, portee: string): Array<ChampDonnees<L>> {
  return MESURES.flatMap(([cle, nom, libelle]) =>
    (['ttc', 'ht'] as const).map((base) =>
      champ<L>(
        `${nom}_${base}`,
        `${libelle[0]!.toUpperCase()}${libelle.slice(1)}, ${base.toUpperCase()}`,
        'number',
        `Montant en euros ${base.toUpperCase()} des ${libelle}, ${portee}. La base de la convention est celle de base_montants ; l’autre est calculée au taux taux_tva.`,
        '200000.00',
        { required: true },
        (l) => euros(de(l)[cle][base]),
      ),
    ),
  );
}

const identite = <L>(c: (l: L) => ConventionPublique): Array<ChampDonnees<L>> => [
  champ<L>(
    'reference',
    'Référence',
    'string',
    'Référence de la convention, telle qu’écrite.',
    'DDG-2021-MSJ',
    { required: false },
    (l) => texte(c(l).reference),
  ),
  champ<L>(
    'produits',
    'Produits financés',
    'string',
    'Services numériques (Startups d’État) financés par la convention, séparés par « ; ».',
    'Mon Suivi Justice',
    { required: false },
    (l) => c(l).produits.join(' ; '),
  ),
];

const conventionDe = (l: ConventionPublique) => l;

export const JEU_CONVENTIONS: JeuDeDonnees<ConventionPublique> = {
  name: 'conventions-delegation-gestion',
  title: 'Conventions de délégation de gestion publiées',
  description:
    'Les conventions de délégation de gestion (décret 2004-1085) du programme beta.gouv.fr publiées par la DINUM : parties, objet, durée et budget total, une ligne par convention.',
  fichier: 'conventions.csv',
  version: '1.0.0',
  created: '2026-12-03',
  lastModified: '2026-12-03',
  primaryKey: ['id'],
  champs: [
    champ(
      'id',
      'Identifiant',
      'string',
      'Identifiant de la convention dans Délégations (UUID).',
      '0f2ae522-0887-40c4-959e-e8e5599c6ad8',
      { required: true, unique: true, pattern: UUID },
      (c) => c.id,
    ),
    ...identite(conventionDe),
    champ(
      'partenaire',
      'Ministère partenaire',
      'string',
      'Le ministère ou l’organisme partenaire de la DINUM.',
      'Le Ministère de la justice',
      { required: true },
      (c) => c.partenaire,
    ),
    champ(
      'delegant',
      'Délégant',
      'string',
      'Le service qui délègue ses crédits.',
      'Le Ministère de la justice',
      { required: true },
      (c) => c.delegant.nom,
    ),
    champ(
      'delegataire',
      'Délégataire',
      'string',
      'Le service qui engage et paie les crédits délégués.',
      'La Direction Interministérielle du Numérique (DINUM)',
      { required: true },
      (c) => c.delegataire.nom,
    ),
    champ(
      'role_dinum',
      'Rôle de la DINUM',
      'string',
      'delegant : la DINUM délègue ses crédits (FAST) ; delegataire : un ministère délègue les siens à la DINUM.',
      'delegataire',
      { required: true, enum: ROLES_DINUM },
      (c) => c.roleDinum,
    ),
    champ(
      'objet',
      'Objet',
      'string',
      'Objet de la convention : verbe et but.',
      'construire — diminuer les rendez-vous non honorés',
      { required: false },
      (c) => [c.objetVerbe, c.objet].filter(Boolean).join(' — '),
    ),
    champ(
      'phase',
      'Phase',
      'string',
      'Phase du produit que couvre la dépense.',
      'acceleration',
      { required: false, enum: PHASES },
      (c) => texte(c.phase),
    ),
    champ(
      'promotion_fast',
      'Promotion FAST',
      'string',
      'Promotion du fonds d’accélération FAST, pour un lauréat.',
      'FAST 15',
      { required: false },
      (c) => texte(c.promotionFast),
    ),
    champ(
      'statut',
      'Statut',
      'string',
      'Statut de la convention le jour de l’export.',
      'en_vigueur',
      { required: true, enum: STATUTS_EFFECTIFS },
      (c) => c.statut,
    ),
    champ(
      'date_signature',
      'Date de signature',
      'date',
      'Date de la dernière signature, qui fait entrer la convention en vigueur.',
      '2021-03-31',
      { required: false },
      (c) => texte(c.dateSignature),
    ),
    champ(
      'duree_mois',
      'Durée en mois',
      'integer',
      'Durée à compter de la signature, quand la convention la fixe ainsi.',
      '6',
      { required: false, minimum: 0 },
      (c) => nombre(c.dureeMois),
    ),
    champ(
      'date_fin',
      'Date de fin',
      'date',
      'Fin de la convention : son terme, ou l’effet de sa résiliation.',
      '2021-09-30',
      { required: false },
      (c) => texte(c.finEffective),
    ),
    champ(
      'publiee_le',
      'Publiée le',
      'date',
      'Date de la décision de publication.',
      '2026-11-23',
      { required: false },
      (c) => texte(c.publieeLe),
    ),
    champ(
      'base_montants',
      'Base des montants',
      'string',
      'Base des crédits de la convention : TTC ou HT.',
      'TTC',
      { required: true, enum: ['TTC', 'HT'] },
      (c) => c.baseMontants,
    ),
    champ(
      'taux_tva',
      'Taux de TVA',
      'number',
      'Taux de TVA en %, qui passe d’une base à l’autre.',
      '20',
      { required: true, minimum: 0, maximum: 20 },
      (c) => nombre(c.tauxTva),
    ),
    ...montants<ConventionPublique>((c) => totauxPublics(c.annees), 'toutes années confondues'),
  ],
};

/** One row per convention and budget year. */
export interface LigneCreditAnnuel {
  convention: ConventionPublique;
  annee: AnneePublique;
}

export const JEU_CREDITS_ANNUELS: JeuDeDonnees<LigneCreditAnnuel> = {
  name: 'credits-annuels-conventions-delegation-gestion',
  title: 'Crédits annuels des conventions de délégation de gestion publiées',
  description:
    'Pour chaque convention publiée et chaque année budgétaire : crédits prévus, mis à disposition, engagés et payés, en TTC et en HT.',
  fichier: 'credits-annuels.csv',
  version: '1.0.0',
  created: '2026-12-03',
  lastModified: '2026-12-03',
  primaryKey: ['convention_id', 'annee'],
  champs: [
    champ(
      'convention_id',
      'Identifiant de la convention',
      'string',
      'Identifiant de la convention, celui du fichier conventions.csv.',
      '0f2ae522-0887-40c4-959e-e8e5599c6ad8',
      { required: true, pattern: UUID },
      (l) => l.convention.id,
    ),
    champ(
      'annee',
      'Année budgétaire',
      'integer',
      'Année des crédits (annualité budgétaire).',
      '2021',
      { required: true, minimum: 2000, maximum: 2100 },
      (l) => String(l.annee.annee),
    ),
    ...identite<LigneCreditAnnuel>((l) => l.convention),
    champ(
      'base_montants',
      'Base des montants',
      'string',
      'Base des crédits de la convention : TTC ou HT.',
      'TTC',
      { required: true, enum: ['TTC', 'HT'] },
      (l) => l.convention.baseMontants,
    ),
    champ(
      'taux_tva',
      'Taux de TVA',
      'number',
      'Taux de TVA en %, qui passe d’une base à l’autre.',
      '20',
      { required: true, minimum: 0, maximum: 20 },
      (l) => nombre(l.convention.tauxTva),
    ),
    champ(
      'prevu_ae',
      'AE prévues',
      'number',
      'Autorisations d’engagement de l’échéancier indicatif, en euros dans la base de la convention ; vide si l’échéancier ne dit rien (vide n’est pas zéro).',
      '200000.00',
      { required: false },
      (l) => montant(l.annee.prevuAe),
    ),
    champ(
      'prevu_cp',
      'CP prévus',
      'number',
      'Crédits de paiement de l’échéancier indicatif, en euros dans la base de la convention ; vide si l’échéancier ne dit rien.',
      '200000.00',
      { required: false },
      (l) => montant(l.annee.prevuCp),
    ),
    ...montants<LigneCreditAnnuel>((l) => l.annee, 'pour l’année'),
  ],
};

export const lignesCreditsAnnuels = (cs: readonly ConventionPublique[]): LigneCreditAnnuel[] =>
  cs.flatMap((convention) => convention.annees.map((annee) => ({ convention, annee })));

// ---- writers ---------------------------------------------------------------------------------------

const cellule = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** RFC 4180: comma, double quotes where needed, CRLF, a header row of the field names. */
export function ecrireCsv<L>(jeu: JeuDeDonnees<L>, lignes: readonly L[]): string {
  const rangs = [jeu.champs.map((c) => c.name), ...lignes.map((l) => jeu.champs.map((c) => c.valeur(l)))];
  return rangs.map((r) => r.map(cellule).join(',')).join('\r\n') + '\r\n';
}

/** The Table Schema of a file, as schema.data.gouv.fr asks for it. */
export function schemaTable<L>(jeu: JeuDeDonnees<L>): Record<string, unknown> {
  return {
    $schema: 'https://frictionlessdata.io/schemas/table-schema.json',
    name: jeu.name,
    title: jeu.title,
    description: jeu.description,
    countryCode: 'FR',
    homepage: 'https://beta.gouv.fr',
    created: jeu.created,
    lastModified: jeu.lastModified,
    version: jeu.version,
    contributors: [{ title: 'DINUM — programme beta.gouv.fr', role: 'author' }],
    licenses: [
      {
        title: 'Licence Ouverte / Open Licence version 2.0',
        name: 'etalab-2.0',
        path: 'https://spdx.org/licenses/etalab-2.0.html',
      },
    ],
    missingValues: [''],
    fields: jeu.champs.map((c) => ({
      name: c.name,
      title: c.title,
      description: c.description,
      type: c.type,
      ...(c.type === 'date' ? { format: 'default' } : {}),
      example: c.example,
      constraints: { ...c.constraints, ...(c.constraints.enum ? { enum: [...c.constraints.enum] } : {}) },
    })),
    primaryKey: jeu.primaryKey.length === 1 ? jeu.primaryKey[0] : [...jeu.primaryKey],
  };
}

// ---- The open data platform ------------------------------------------------------------------------

/** A resource of the dataset, as the platform lists it. */
export interface Ressource {
  id: string;
  titre: string;
  url: string | null;
}

/** The open data platform's port; its adapter speaks data.gouv.fr's API (cli/datagouv.ts). */
export interface PlateformeDonnees {
  jeuDeDonnees: string;
  ressources(): Promise<Ressource[]>;
  deposer(nom: string, contenu: string): Promise<Ressource>;
  remplacer(ressourceId: string, nom: string, contenu: string): Promise<Ressource>;
}
