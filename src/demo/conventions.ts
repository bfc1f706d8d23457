import { PARAMETRES_DEFAUT, type ParametresCalendrier } from '../domain/calendrier.js';
import { conventionVide, type ConventionSaisie, type Partie } from '../domain/convention.js';
import type { DateIso } from '../domain/dates.js';
import { chronologieDemo } from './chronologie.js';

/**
 * Demonstration data: the programme's reference conventions, entered by hand from their signed texts,
 * with their dates and budget years moved to around today (see `chronologieDemo`).
 */

const DINUM_SIRET = '13002526500013';
export const SIRET_JUSTICE = '11000201100044';
export const SIRET_SOCIAUX = '11000801300017';
const SIRET_AFFAIRES_ETRANGERES = '12000101100010';
const SIRET_EDUCATION = '11004301500012';

function dinum(
  representant: string,
  libelleRole: string,
  adresse = '20 avenue de Ségur – TSA 30 719 75 334 PARIS Cedex 07',
): Partie {
  return {
    nom: 'La Direction Interministérielle du Numérique (DINUM)',
    nomCourt: 'la DINUM',
    adresse,
    representant,
    libelleRole,
    siret: DINUM_SIRET,
  };
}

const OBLIGATIONS_COMMUNES = [
  'respecter le manifeste du programme beta.gouv.fr',
  'nommer un ou une agent public au rôle d’intrapreneur',
  'désigner une ou un sponsor de haut niveau',
];

const RGPD = [
  {
    theme: 'Respect de la vie privée (DPD, registre et conformité générale)',
    dinum: 'Obligation de transparence et de traçabilité et mise en œuvre des principes de privacy by design',
    partenaire: 'Mise en œuvre du cadre juridique en vigueur, désignation du DPD, tenue du registre des traitements',
  },
  {
    theme: 'Données traitées dans le cadre du téléservice',
    dinum: 'Mise en œuvre du traitement pour les seules finalités fixées par le partenaire',
    partenaire: 'Détermination des finalités, destinataires, durées de conservation ; fourniture des données',
  },
  {
    theme: 'Sécurité du traitement et confidentialité',
    dinum:
      'Obligation de confidentialité des agents et sous-traitants ; mesures de sécurité déterminées par le partenaire',
    partenaire: 'Analyse de risques et détermination des mesures à prendre',
  },
  {
    theme: 'Violation de données',
    dinum: 'Obligation d’alerte, d’assistance et de conseil, sans délai',
    partenaire: 'Procédure de notification, registre des incidents, information de la CNIL',
  },
  {
    theme: 'Sécurité des systèmes d’information',
    dinum: 'Analyse de risque et homologation RGS',
    partenaire: 'Participation à l’analyse de risque et homologation RGS',
  },
  {
    theme: 'Droits des personnes',
    dinum: 'Accompagnement à la formalisation de l’exercice des droits',
    partenaire: 'Devoir d’information ; modalités d’exercice des droits',
  },
  {
    theme: 'Transfert (ou arrêt) de la start-up',
    dinum: 'Transfert des données au partenaire, suppression des données et destruction des copies',
    partenaire: 'Sécurité du SI en interne après transfert',
  },
  {
    theme: 'Sous-traitance',
    dinum: 'Information préalable des sous-traitants ; engagement de confidentialité',
    partenaire: 'Information préalable des sous-traitants ; engagement de confidentialité',
  },
  {
    theme: 'Travaux de conformité',
    dinum: 'Fournit les informations nécessaires à la documentation',
    partenaire: 'Rédaction de l’ensemble de la documentation',
  },
  {
    theme: 'Audits',
    dinum: 'Disponibilité pour les auditeurs',
    partenaire: 'Supervision du traitement et audits (RGS, RGAA…)',
  },
  { theme: 'Territorialité', dinum: 'Traitement des données sur le territoire national ou européen', partenaire: '' },
  {
    theme: 'RH',
    dinum: 'Mobilisation des personnels pour la sécurisation du projet',
    partenaire: 'Mobilisation des personnels pour la sécurisation du projet',
  },
];

export function conventionsDemo(aujourdHui: DateIso, p: ParametresCalendrier = PARAMETRES_DEFAUT): ConventionSaisie[] {
  const ch = chronologieDemo(aujourdHui, p);
  const h = ch.anneeHistorique;
  const { atelier, classe, selex } = ch;
  const a = ch.anneeActivite;
  // Classe à 12 holds this year's credits even when its orders are last year's, and next year's once a proposal is for it
  const suitesClasse = [...new Set([ch.annee, ch.anneeProposition])].filter((y) => y !== a);
  const echeancierClasse = [
    { annee: a, aeCentimes: 5_000_000, cpCentimes: 5_000_000 },
    ...suitesClasse.map((annee) => ({ annee, aeCentimes: 2_000_000, cpCentimes: 2_000_000 })),
  ];
  return [
    {
      ...conventionVide(),
      reference: ch.references.msj,
      statut: 'en_vigueur',
      roleDinum: 'delegataire',
      delegant: {
        nom: 'Le Ministère de la justice',
        nomCourt: 'le délégant',
        adresse: '13 place Vendôme, 75001 Paris',
        representant: 'Anne-Florence Canton',
        libelleRole: 'le délégant',
        siret: SIRET_JUSTICE,
      },
      delegataire: dinum('Nadi Bou Hanna, Directeur interministériel du numérique', 'le délégataire'),
      produits: ['Mon Suivi Justice'],
      objetVerbe: 'construire',
      objet: 'diminuer les rendez-vous non-honorés des personnes placées sous main de justice',
      phase: 'acceleration',
      baseJuridique:
        'Décret 2004-1085 du 14 octobre 2004 ; décret 2012-1246 du 7 novembre 2012 ; décret 2019-1088 du 25 octobre 2019',
      preambule: `Investigation réalisée entre octobre et décembre ${h - 1} au sein de la juridiction de Nanterre ; résultats présentés le 16 décembre ${h - 1}.`,
      uo: '0310-SGAL-SSIC',
      imputation: {
        axeMinisteriel: 'Axe 1',
        domaineFonctionnel: '0310-09-02',
        centreFinancier: '0310-SGAL-SSIC',
        activite: '0310ACAE0602',
        centreDeCout: 'SEGSSM075',
        extra: {},
      },
      comptableAssignataire:
        'le contrôleur budgétaire et comptable ministériel (CBCM) des services du Premier ministre',
      echeancier: [{ annee: h, aeCentimes: 20_000_000, cpCentimes: 20_000_000 }],
      totalAeCentimes: 20_000_000,
      dateSignature: `${h}-03-31`,
      dureeMois: 6,
      preavisMois: 3,
      comite: { periodiciteMois: 6, presidence: 'le représentant du délégant', invites: 'la DINUM' },
      obligations: [
        ...OBLIGATIONS_COMMUNES.map((texte) => ({ partie: 'delegant' as const, texte })),
        { partie: 'delegataire', texte: 'intégrer l’équipe à la communauté beta.gouv.fr' },
        { partie: 'delegataire', texte: 'rendre compte au délégant au terme de la convention des dépenses réalisées' },
      ],
      rgpd: RGPD,
      destinatairesCopie: 'CBCM des services du Premier ministre et CBCM du délégant',
      publication: 'gouvernement.fr et data.gouv.fr',
      publiee: true,
    },
    {
      ...conventionVide(),
      reference: ch.references.msp,
      statut: 'en_vigueur',
      roleDinum: 'delegant',
      delegant: dinum('Nadi Bou Hanna, Directeur interministériel du numérique', 'le délégant'),
      delegataire: {
        nom: 'La Fabrique numérique des ministères sociaux (DNUM)',
        nomCourt: 'la DNUM',
        adresse: '39-40 quai André Citroën, 79902 Paris Cedex 15',
        representant: 'Hélène Brisset, directrice du numérique',
        libelleRole: 'le délégataire',
        siret: SIRET_SOCIAUX,
      },
      produits: ['Mon Suivi Psy'],
      objetVerbe: 'accélérer',
      objet: 'mieux cerner les symptômes des patients et améliorer l’accompagnement par un médecin',
      phase: 'acceleration',
      uo: '0352-CFSE-CFIN',
      imputation: {
        axeMinisteriel: null,
        domaineFonctionnel: '0352-01',
        centreFinancier: '0352-CFSE-CFIN',
        activite: '035200010101',
        centreDeCout: 'SGSIFAB075',
        extra: { 'Libellé activité': 'Domaine appli métier' },
      },
      comptableAssignataire: 'le contrôleur budgétaire et comptable du ministère des Affaires sociales et de la santé',
      echeancier: [{ annee: h, aeCentimes: 13_800_000, cpCentimes: 13_800_000 }],
      totalAeCentimes: 13_800_000,
      cofinancementFastCentimes: 13_800_000,
      dateSignature: `${h}-04-14`,
      dateFin: `${h}-12-31`,
      preavisMois: 3,
      comite: { periodiciteMois: 6, presidence: 'le représentant de la DNUM', invites: 'la DINUM' },
      obligations: [
        ...OBLIGATIONS_COMMUNES.map((texte) => ({ partie: 'delegataire' as const, texte })),
        { partie: 'delegataire', texte: 'mettre à jour chaque mois les fiches membres et produits sur beta.gouv.fr' },
        {
          partie: 'delegataire',
          texte: 'remonter chaque mois le montant des commandes avec le détail des UO et les risques principaux',
        },
        { partie: 'delegataire', texte: 'fournir un tableau de bord à la DINUM' },
        { partie: 'delegant', texte: 'intégrer l’équipe à la communauté beta.gouv.fr' },
      ],
      destinatairesCopie: 'CBCM des services du Premier ministre et CBCM du délégant',
      publication: 'gouvernement.fr et data.gouv.fr',
      publiee: true,
    },
    {
      ...conventionVide(),
      reference: ch.references.selex,
      statut: 'en_vigueur',
      roleDinum: 'delegant',
      delegant: dinum(
        'Stéphanie Schaer, Directrice interministérielle du numérique',
        'le délégant',
        '20 avenue de Ségur – TSA 30719 - 75334 PARIS Cedex 07',
      ),
      delegataire: {
        nom: 'La Direction du Numérique du Ministère de la Justice (DNUM du MJ)',
        nomCourt: 'DNUM du MJ',
        adresse: '13 place Vendôme 75001 PARIS',
        representant: 'Xavier ALBOUY, Directeur du Numérique',
        libelleRole: 'le partenaire-délégataire',
        siret: SIRET_JUSTICE,
      },
      produits: ['seLEXpert'],
      objet: 'mobiliser des moyens supplémentaires pour une stratégie de passage à l’échelle',
      phase: 'acceleration',
      uo: '0352-CFSE-CFIN',
      programmeBop: 'BOP 352 "innovation et transformations numériques"',
      imputation: {
        axeMinisteriel: null,
        domaineFonctionnel: '0352-01',
        centreFinancier: '0352-CFSE-CFIN',
        activite: '035200010101',
        centreDeCout: 'SEGSSMM075',
        extra: {},
      },
      comptableAssignataire: 'le CBCM du partenaire-délégataire',
      echeancier: [
        { annee: selex.anneeAe, aeCentimes: 11_000_000, cpCentimes: 5_500_000 },
        { annee: selex.anneeAe + 1, aeCentimes: null, cpCentimes: 5_500_000 },
      ],
      totalAeCentimes: 11_000_000,
      cofinancementFastCentimes: 11_000_000,
      promotionFast: `FAST ${selex.promotion}`,
      tranches: [
        { partPct: 50, condition: 'dès la signature de la convention' },
        {
          partPct: 50,
          condition:
            'suite au bilan de mi-parcours avec l’équipe FAST, sous réserve de la bonne mobilisation de l’équipe lauréate et de son sponsor',
        },
      ],
      dateSignature: selex.signature,
      dateFin: selex.fin,
      preavisMois: 3,
      comite: { periodiciteMois: 6, presidence: 'le représentant du partenaire-délégataire', invites: 'la DINUM' },
      obligations: [
        ...OBLIGATIONS_COMMUNES.map((texte) => ({ partie: 'delegataire' as const, texte })),
        {
          partie: 'delegataire',
          texte: 'prévoir une enveloppe de cofinancement de 110 000 € à engager dans les six mois suivant la signature',
        },
        {
          partie: 'delegataire',
          texte:
            'mobiliser au moins 1 jour par semaine de développeur et 2 jours par semaine de chargé(e) de déploiement',
        },
        { partie: 'delegataire', texte: 'mesurer l’impact du produit dans un tableau de bord public' },
        {
          partie: 'delegant',
          texte: 'fournir un accompagnement à l’équipe lauréate du FAST dans le cadre du programme d’accélération',
        },
      ],
      destinatairesCopie: 'CBCM des services du Premier ministre et CBCM du partenaire-délégataire',
      publication: 'gouvernement.fr et data.gouv.fr',
      publiee: true,
    },
    {
      ...conventionVide(),
      reference: ch.references.atelier,
      statut: 'en_vigueur',
      roleDinum: 'delegataire',
      delegant: {
        nom: 'Le Ministère de l’Europe et des Affaires étrangères',
        nomCourt: 'le MEAE',
        adresse: '37 quai d’Orsay, 75007 Paris',
        representant: null,
        libelleRole: 'le délégant',
        siret: SIRET_AFFAIRES_ETRANGERES,
      },
      delegataire: dinum('Directrice interministérielle du numérique', 'le délégataire'),
      produits: ['Atelier numérique', 'Startups d’État de l’atelier'],
      objetVerbe: 'accompagner',
      objet: 'financer le coaching de plusieurs Startups d’État de l’atelier numérique du ministère',
      phase: 'investigation',
      uo: '0105-CDIP-DNUM',
      imputation: {
        axeMinisteriel: null,
        domaineFonctionnel: null,
        centreFinancier: '0105-CDIP-DNUM',
        activite: null,
        centreDeCout: null,
        extra: {},
      },
      echeancier: [
        { annee: a, aeCentimes: 3_000_000, cpCentimes: 3_000_000 },
        { annee: a + 1, aeCentimes: 0, cpCentimes: 0 },
      ],
      totalAeCentimes: 3_000_000,
      dateSignature: atelier.signature,
      dateFin: atelier.fin,
      preavisMois: 3,
      comite: { periodiciteMois: 6, presidence: 'le représentant du délégant', invites: 'la DINUM' },
      obligations: [
        { partie: 'delegataire', texte: 'utiliser strictement les crédits délégués' },
        { partie: 'delegataire', texte: 'rendre compte après six mois et à la demande du délégant en fin d’année' },
        { partie: 'delegataire', texte: 'justifier toute demande de crédits supplémentaires' },
        { partie: 'delegataire', texte: 'signaler les crédits non consommés pour qu’ils soient remontés' },
      ],
      publiee: false,
    },
    {
      ...conventionVide(),
      reference: ch.references.classe,
      statut: 'en_vigueur',
      roleDinum: 'delegataire',
      delegant: {
        nom: 'Le Ministère de l’Éducation nationale',
        nomCourt: 'le MEN',
        adresse: '110 rue de Grenelle, 75007 Paris',
        representant: null,
        libelleRole: 'le délégant',
        siret: SIRET_EDUCATION,
      },
      delegataire: dinum('Directrice interministérielle du numérique', 'le délégataire'),
      produits: ['Classe à 12'],
      objetVerbe: 'accélérer',
      objet: 'aider les enseignants à partager leurs pratiques',
      phase: 'acceleration',
      uo: '0214-CDBU-DNE',
      programmeBop: 'programme 214',
      imputation: {
        axeMinisteriel: null,
        domaineFonctionnel: null,
        centreFinancier: '0214-CDBU-DNE',
        activite: '021400000000',
        centreDeCout: 'DNE0000075',
        extra: {
          'Service prescripteur': 'DINUM',
          'Organisation d’achat': 'OA SPM',
          'Groupe d’acheteurs': 'GA DINUM',
          'Code service exécutant': 'SPM0000075',
        },
      },
      comptableAssignataire: 'le CBCM des services du Premier ministre',
      echeancier: echeancierClasse,
      totalAeCentimes: echeancierClasse.reduce((t, l) => t + l.aeCentimes, 0),
      cofinancementFastCentimes: 5_000_000,
      promotionFast: `FAST ${classe.promotion}`,
      dateSignature: classe.signature,
      dateFin: classe.fin,
      preavisMois: 3,
      comite: { periodiciteMois: 6, presidence: 'le représentant du délégant', invites: 'la DINUM' },
      obligations: [{ partie: 'delegataire', texte: 'être ordonnateur des dépenses et des recettes de l’UO' }],
      publiee: true,
    },
  ];
}
