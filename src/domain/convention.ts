// Over 400 lines: the convention's types, its end and state on a day, and its checks, which every other rule reads.
import { addMonths, isDateIso, type DateIso } from './dates.js';
import type { FieldError } from './errors.js';
import {
  depasseMontantMax,
  formatEuros,
  isCentimes,
  MESSAGE_MONTANT_MAX,
  type BaseMontant,
  type Centimes,
} from './money.js';

/** Where the DINUM stands in the convention: it spends a ministry's credits, or lends FAST credits. */
export type RoleDinum = 'delegant' | 'delegataire' | 'autre';
export const ROLES_DINUM: readonly RoleDinum[] = ['delegant', 'delegataire', 'autre'];

/** Phases of a product (beta.gouv.fr vocabulary, without accents in code). */
export type Phase = 'investigation' | 'construction' | 'acceleration' | 'consolidation' | 'perennisation' | 'transfert';
export const PHASES: readonly Phase[] = [
  'investigation',
  'construction',
  'acceleration',
  'consolidation',
  'perennisation',
  'transfert',
];

export type Nature = 'delegation_de_gestion' | 'avenant' | 'convention_fast_subvention' | 'partenariat' | 'other';
export const NATURES: readonly Nature[] = [
  'delegation_de_gestion',
  'avenant',
  'convention_fast_subvention',
  'partenariat',
  'other',
];

/**
 * Stored life-cycle state; the transitions between them are the state machine of `convention-cycle.ts`.
 * A convention drafted in the product goes brouillon → en_signature → signee_partenaire → en_vigueur (the
 * DINUM signs last); one entered or imported as already signed starts `en_vigueur` (or `a_verifier`, for
 * a person's review). `terminee` (past its term) and `resiliee` after a notice's effect are derived from
 * the dates, see `statutEffectif`.
 */
export type Statut =
  | 'a_verifier'
  | 'brouillon'
  | 'en_signature'
  | 'signee_partenaire'
  | 'en_vigueur'
  | 'suspendue'
  | 'resiliation_notifiee'
  | 'resiliee'
  | 'cloturee';
export const STATUTS: readonly Statut[] = [
  'a_verifier',
  'brouillon',
  'en_signature',
  'signee_partenaire',
  'en_vigueur',
  'suspendue',
  'resiliation_notifiee',
  'resiliee',
  'cloturee',
];
export type StatutEffectif = Statut | 'terminee';
export const STATUTS_EFFECTIFS: readonly StatutEffectif[] = [...STATUTS, 'terminee'];

/** Not signed by both parties yet: no credits, hidden from the public. */
export const STATUTS_NON_SIGNES: readonly Statut[] = ['a_verifier', 'brouillon', 'en_signature', 'signee_partenaire'];
export const estSignee = (s: Statut): boolean => !STATUTS_NON_SIGNES.includes(s);

export type PartieCle = 'delegant' | 'delegataire';

export interface Partie {
  nom: string;
  /** short name used in the text ("la DINUM", "la DNUM") */
  nomCourt: string | null;
  adresse: string | null;
  /** person and title as written */
  representant: string | null;
  /** role label exactly as the text writes it ("le partenaire-délégataire") */
  libelleRole: string | null;
  /** attaches the party to an organisation, for access rights */
  siret: string | null;
}

export interface Imputation {
  domaineFonctionnel: string | null;
  centreFinancier: string | null;
  activite: string | null;
  centreDeCout: string | null;
  axeMinisteriel: string | null;
  /** any other labelled Chorus or purchasing value (service prescripteur, société, ...): label -> value */
  extra: Record<string, string>;
}

/** One year row of the indicative schedule. `null` is a blank cell ("not stated"), distinct from 0. */
export interface LigneEcheancier {
  annee: number;
  aeCentimes: Centimes | null;
  cpCentimes: Centimes | null;
}

export interface Tranche {
  /** share of the total, in percent (50, 33.33) */
  partPct: number;
  condition: string | null;
}

export interface Comite {
  periodiciteMois: number | null;
  presidence: string | null;
  invites: string | null;
}

export interface Obligation {
  partie: PartieCle;
  texte: string;
}

/** One row of the RGPD annex: a theme and what each side is responsible for. */
export interface LigneRgpd {
  theme: string;
  dinum: string;
  partenaire: string;
}

/** What a person enters or the importer proposes; the stored convention adds identity and bookkeeping. */
export interface ConventionSaisie {
  reference: string | null;
  nature: Nature;
  statut: Statut;
  roleDinum: RoleDinum;
  delegant: Partie;
  delegataire: Partie;
  /** the digital services or programme funded (a convention may cover a portfolio) */
  produits: string[];
  objetVerbe: string | null;
  objet: string | null;
  phase: Phase | null;
  baseJuridique: string | null;
  preambule: string | null;
  uo: string | null;
  programmeBop: string | null;
  imputation: Imputation;
  comptableAssignataire: string | null;
  /** tax base of the amounts as the convention states them */
  baseMontants: BaseMontant;
  echeancier: LigneEcheancier[];
  /** total AE as stated by the text (may disagree with the schedule: a warning) */
  totalAeCentimes: Centimes | null;
  cofinancementFastCentimes: Centimes | null;
  promotionFast: string | null;
  tranches: Tranche[];
  dateSignature: DateIso | null;
  dateFin: DateIso | null;
  dureeMois: number | null;
  preavisMois: number | null;
  comite: Comite;
  obligations: Obligation[];
  rgpd: LigneRgpd[];
  destinatairesCopie: string | null;
  publication: string | null;
  publiee: boolean;
}

export interface Convention extends ConventionSaisie {
  id: string;
  /** effect date of a termination notified and not withdrawn (set by its action, never by an edit) */
  resiliationEffet: DateIso | null;
  version: number;
  creeLe: string;
  modifieLe: string;
}

function partieVide(): Partie {
  return { nom: '', nomCourt: null, adresse: null, representant: null, libelleRole: null, siret: null };
}

export function conventionVide(): ConventionSaisie {
  return {
    reference: null,
    nature: 'delegation_de_gestion',
    statut: 'brouillon',
    roleDinum: 'delegataire',
    delegant: partieVide(),
    delegataire: partieVide(),
    produits: [],
    objetVerbe: null,
    objet: null,
    phase: null,
    baseJuridique: null,
    preambule: null,
    uo: null,
    programmeBop: null,
    imputation: {
      domaineFonctionnel: null,
      centreFinancier: null,
      activite: null,
      centreDeCout: null,
      axeMinisteriel: null,
      extra: {},
    },
    comptableAssignataire: null,
    baseMontants: 'TTC',
    echeancier: [],
    totalAeCentimes: null,
    cofinancementFastCentimes: null,
    promotionFast: null,
    tranches: [],
    dateSignature: null,
    dateFin: null,
    dureeMois: null,
    preavisMois: null,
    comite: { periodiciteMois: null, presidence: null, invites: null },
    obligations: [],
    rgpd: [],
    destinatairesCopie: null,
    publication: null,
    publiee: false,
  };
}

/** The partner is the party that is not the DINUM. */
export function partenaire(c: Pick<ConventionSaisie, 'roleDinum' | 'delegant' | 'delegataire'>): Partie {
  return c.roleDinum === 'delegant' ? c.delegataire : c.delegant;
}

/** What the end of a convention depends on: its term, and a notice of termination once given. */
export type DatesFin = Pick<ConventionSaisie, 'dateFin' | 'dureeMois' | 'dateSignature'> & {
  /** effect date of a termination notified and not withdrawn */
  resiliationEffet?: DateIso | null;
};

/** The term: the stated end date, or the one the duration gives from signature. */
export function terme(c: Pick<ConventionSaisie, 'dateFin' | 'dureeMois' | 'dateSignature'>): DateIso | null {
  if (c.dateFin) return c.dateFin;
  if (c.dureeMois !== null && c.dateSignature) return addMonths(c.dateSignature, c.dureeMois);
  return null;
}

/** The « fin effective », whatever its cause: the term, or the effect of a termination when earlier. */
export function finEffective(c: DatesFin): DateIso | null {
  const t = terme(c);
  const r = c.resiliationEffet ?? null;
  if (r !== null && (t === null || r < t)) return r;
  return t;
}

/** The state on a day: in force past its end is terminée, a notice past its effect is résiliée. */
export function statutEffectif(c: DatesFin & Pick<ConventionSaisie, 'statut'>, aujourdHui: DateIso): StatutEffectif {
  if (c.statut !== 'en_vigueur' && c.statut !== 'resiliation_notifiee') return c.statut;
  const fin = finEffective(c);
  if (fin === null || fin >= aujourdHui) return c.statut;
  return c.statut === 'en_vigueur' ? 'terminee' : 'resiliee';
}

export function totalEcheancier(e: LigneEcheancier[]): { ae: Centimes; cp: Centimes } {
  let ae = 0;
  let cp = 0;
  for (const l of e) {
    ae += l.aeCentimes ?? 0;
    cp += l.cpCentimes ?? 0;
  }
  return { ae, cp };
}

/** Normalises a UO or centre financier for comparison: "UO 0214 -ABC" and "0214-ABC" are the same code. */
export function normaliserCode(code: string): string {
  return code
    .replace(/^\s*(UO|CF)\s*[:.]?\s*/i, '')
    .replace(/\s+/g, '')
    .toUpperCase();
}

export interface Controle {
  /** refusals: the convention cannot be saved as is */
  erreurs: FieldError[];
  /** doubts for a person to review; saving is allowed */
  avertissements: string[];
}

/** Rules a convention must satisfy to be stored, and the inconsistencies worth a person's look. */
export function controler(c: ConventionSaisie): Controle {
  const erreurs: FieldError[] = [];
  const avertissements: string[] = [];
  const err = (champ: string, message: string) => erreurs.push({ champ, message });

  if (!c.delegant.nom.trim()) err('delegant.nom', 'Indiquez le nom du délégant.');
  if (!c.delegataire.nom.trim()) err('delegataire.nom', 'Indiquez le nom du délégataire.');
  for (const cle of ['delegant', 'delegataire'] as const) {
    const siret = c[cle].siret;
    if (siret !== null && !/^\d{14}$/.test(siret)) err(`${cle}.siret`, 'Le SIRET compte 14 chiffres.');
  }

  for (const [champ, v] of [
    ['dateSignature', c.dateSignature],
    ['dateFin', c.dateFin],
  ] as const) {
    if (v !== null && !isDateIso(v)) err(champ, 'Date invalide (attendu : AAAA-MM-JJ).');
  }
  if (
    c.dateFin &&
    c.dateSignature &&
    isDateIso(c.dateFin) &&
    isDateIso(c.dateSignature) &&
    c.dateFin < c.dateSignature
  ) {
    err('dateFin', 'La date de fin précède la date de signature.');
  }
  if (c.dateFin && c.dureeMois !== null && c.dateSignature && isDateIso(c.dateSignature)) {
    const parDuree = addMonths(c.dateSignature, c.dureeMois);
    if (parDuree !== c.dateFin) {
      avertissements.push(
        `La durée de ${c.dureeMois} mois donne une fin au ${parDuree}, différente de la date de fin indiquée (${c.dateFin}).`,
      );
    }
  }
  for (const [champ, v, max] of [
    ['dureeMois', c.dureeMois, 240],
    ['preavisMois', c.preavisMois, 60],
    ['comite.periodiciteMois', c.comite.periodiciteMois, 60],
  ] as const) {
    if (v !== null && (!Number.isInteger(v) || v <= 0 || v > max))
      err(champ, `Indiquez un nombre entier de mois entre 1 et ${max}.`);
  }

  const montant = (champ: string, v: Centimes | null) => {
    if (v === null) return;
    if (!isCentimes(v)) err(champ, 'Montant invalide.');
    else if (v < 0) err(champ, 'Un montant ne peut pas être négatif.');
    else if (depasseMontantMax(v)) err(champ, MESSAGE_MONTANT_MAX);
  };
  montant('totalAeCentimes', c.totalAeCentimes);
  montant('cofinancementFastCentimes', c.cofinancementFastCentimes);

  const annees = new Set<number>();
  c.echeancier.forEach((l, i) => {
    if (!Number.isInteger(l.annee) || l.annee < 2000 || l.annee > 2100) err(`echeancier.${i}.annee`, 'Année invalide.');
    else if (annees.has(l.annee))
      err(`echeancier.${i}.annee`, `L'année ${l.annee} figure deux fois dans l'échéancier.`);
    annees.add(l.annee);
    montant(`echeancier.${i}.aeCentimes`, l.aeCentimes);
    montant(`echeancier.${i}.cpCentimes`, l.cpCentimes);
  });

  let sommePct = 0;
  c.tranches.forEach((t, i) => {
    // stored with two decimals: a finer share would be rounded, 0.001 down to nothing
    if (!(t.partPct >= 0.01 && t.partPct <= 100) || Math.abs(t.partPct * 100 - Math.round(t.partPct * 100)) > 1e-6)
      err(
        `tranches.${i}.partPct`,
        'La part d’une tranche est un pourcentage entre 0,01 et 100, à deux décimales au plus.',
      );
    sommePct += t.partPct;
  });
  if (c.tranches.length > 0 && Math.abs(sommePct - 100) > 0.01) {
    avertissements.push(`Les tranches totalisent ${sommePct} % et non 100 %.`);
  }

  if (erreurs.length === 0) {
    const total = totalEcheancier(c.echeancier);
    if (c.totalAeCentimes !== null && c.echeancier.length > 0 && total.ae !== c.totalAeCentimes) {
      avertissements.push(
        `Le total AE indiqué (${formatEuros(c.totalAeCentimes)}) diffère de la somme de l'échéancier (${formatEuros(total.ae)}).`,
      );
    }
    // CP may never run ahead of AE: a payment needs an order first.
    let cumulAe = 0;
    let cumulCp = 0;
    for (const l of [...c.echeancier].sort((a, b) => a.annee - b.annee)) {
      cumulAe += l.aeCentimes ?? 0;
      cumulCp += l.cpCentimes ?? 0;
      if (cumulCp > cumulAe) {
        avertissements.push(
          `En ${l.annee}, les CP cumulés (${formatEuros(cumulCp)}) dépassent les AE cumulées (${formatEuros(cumulAe)}).`,
        );
        break;
      }
    }
    if (
      c.cofinancementFastCentimes !== null &&
      c.roleDinum === 'delegant' &&
      c.totalAeCentimes !== null &&
      c.cofinancementFastCentimes > c.totalAeCentimes
    ) {
      avertissements.push('Le cofinancement FAST dépasse le total AE de la convention.');
    }
  }

  if (c.uo && c.imputation.centreFinancier && normaliserCode(c.uo) !== normaliserCode(c.imputation.centreFinancier)) {
    avertissements.push(
      `L'UO (${c.uo}) diffère du centre financier des références Chorus (${c.imputation.centreFinancier}).`,
    );
  }
  if (c.produits.length === 0) avertissements.push('Aucun service ou produit financé n’est indiqué.');

  return { erreurs, avertissements };
}

/** Fields compared for the journal, with their French labels. */
export const LIBELLES_CHAMPS: Record<string, string> = {
  reference: 'Référence',
  nature: 'Nature',
  statut: 'Statut',
  roleDinum: 'Rôle de la DINUM',
  delegant: 'Délégant',
  delegataire: 'Délégataire',
  produits: 'Services financés',
  objetVerbe: 'Verbe de l’objet',
  objet: 'Objet',
  phase: 'Phase',
  baseJuridique: 'Base juridique',
  preambule: 'Préambule',
  uo: 'UO',
  programmeBop: 'Programme / BOP',
  imputation: 'Imputation Chorus',
  comptableAssignataire: 'Comptable assignataire',
  baseMontants: 'Base des montants',
  echeancier: 'Échéancier',
  totalAeCentimes: 'Total AE',
  cofinancementFastCentimes: 'Cofinancement FAST',
  promotionFast: 'Promotion FAST',
  tranches: 'Tranches',
  dateSignature: 'Date de signature',
  dateFin: 'Date de fin',
  dureeMois: 'Durée (mois)',
  preavisMois: 'Préavis (mois)',
  comite: 'Comité d’investissement',
  obligations: 'Obligations',
  rgpd: 'Annexe RGPD',
  destinatairesCopie: 'Copies',
  publication: 'Publication',
  publiee: 'Publiée',
};
