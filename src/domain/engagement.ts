import { nomProduitNormalise } from './acces.js';
import { estSignee, finEffective, statutEffectif, type ConventionSaisie } from './convention.js';
import { etatCalendrier, type OperationCalendrier, type ParametresCalendrier } from './calendrier.js';
import { formatDate, isDateIso, yearOf, type DateIso } from './dates.js';
import { ConflictError, ForbiddenError, ValidationError, type FieldError } from './errors.js';
import { depasseMontantMax, formatEuros, MESSAGE_MONTANT_MAX, type BaseMontant, type Centimes } from './money.js';

/**
 * An order (bon de commande, "engagement juridique" in Chorus): it consumes AE of its budget year.
 * `actif` until it is closed at its actual amount (`solde`) or cancelled (`annule`); both release AE.
 */
export type StatutEngagement = 'actif' | 'solde' | 'annule';

export interface Engagement {
  id: string;
  conventionId: string;
  numero: string;
  annee: number;
  dateEngagement: DateIso;
  dateFinPrestation: DateIso | null;
  titulaire: string;
  /** framework contract the order is placed on */
  marche: string | null;
  /** quote reference */
  devis: string | null;
  objet: string;
  /** the product served, one of the convention's */
  produit: string | null;
  montantCentimes: Centimes;
  baseMontant: BaseMontant;
  /** VAT rate in percent (0, 5.5, 10, 20) */
  tauxTva: number;
  /** the amount counted against the credits, in the convention's base: what is released, certified and paid */
  montantImputeCentimes: Centimes;
  statut: StatutEngagement;
  libereCentimes: Centimes;
  certifieCentimes: Centimes;
  payeCentimes: Centimes;
  creeLe: string;
  acteurNom: string;
}

export interface EngagementSaisie {
  numero: string | null;
  annee: number;
  dateEngagement: DateIso;
  dateFinPrestation: DateIso | null;
  titulaire: string;
  marche: string | null;
  devis: string | null;
  objet: string;
  produit: string | null;
  montantCentimes: Centimes;
  /** VAT base of the amount; by default the convention's */
  baseMontant: BaseMontant | null;
  /** VAT rate in percent; 20 by default */
  tauxTva?: number | null;
}

const TAUX_TVA = [0, 5.5, 10, 20] as const;
export const TAUX_TVA_DEFAUT = 20;

/**
 * An amount converted to the convention's VAT base, to the nearest cent (half a cent up): an HT order is
 * counted against TTC credits at its TTC amount, a TTC order against HT credits at its HT amount.
 */
export function montantImpute(
  montant: Centimes,
  base: BaseMontant,
  baseConvention: BaseMontant,
  tauxTva: number,
): Centimes {
  if (base === baseConvention) return montant;
  const milliemes = BigInt(1000 + Math.round(tauxTva * 10));
  const [n, d] = base === 'HT' ? [BigInt(montant) * milliemes, 1000n] : [BigInt(montant) * 1000n, milliemes];
  return Number((2n * n + d) / (2n * d));
}

/** What the order binds now: its amount less what closing or cancelling released. */
export const montantNet = (e: Pick<Engagement, 'montantImputeCentimes' | 'libereCentimes'>): Centimes =>
  e.montantImputeCentimes - e.libereCentimes;
export const resteACertifier = (e: Engagement): Centimes => montantNet(e) - e.certifieCentimes;
export const resteAPayer = (e: Engagement): Centimes => e.certifieCentimes - e.payeCentimes;

export type EtatEngagement = 'engage' | 'service_fait_partiel' | 'service_fait_total' | 'paye' | 'solde' | 'annule';

export const LIBELLES_ETAT_ENGAGEMENT: Record<EtatEngagement, string> = {
  engage: 'Engagé',
  service_fait_partiel: 'Service fait partiel',
  service_fait_total: 'Service fait total',
  paye: 'Payé',
  solde: 'Soldé',
  annule: 'Annulé',
};

export function etatEngagement(e: Engagement): EtatEngagement {
  if (e.statut === 'annule') return 'annule';
  if (e.statut === 'solde') return 'solde';
  if (e.certifieCentimes === 0) return 'engage';
  if (e.certifieCentimes < montantNet(e)) return 'service_fait_partiel';
  return e.payeCentimes === e.certifieCentimes ? 'paye' : 'service_fait_total';
}

/** Auto numbers have this shape; a typed number may not take it, so that the two never collide. */
const NUMERO_AUTO = /^BC-\d{4}-\d+$/;
export const numeroAuto = (annee: number, rang: number) => `BC-${annee}-${String(rang).padStart(4, '0')}`;

export function controlerEngagement(
  s: EngagementSaisie,
  produitsConvention: string[],
  aujourdHui: DateIso,
): FieldError[] {
  const erreurs: FieldError[] = [];
  const err = (champ: string, message: string) => erreurs.push({ champ, message });
  if (!Number.isInteger(s.annee) || s.annee < 2000 || s.annee > 2100) err('annee', 'Année budgétaire invalide.');
  if (!Number.isSafeInteger(s.montantCentimes) || s.montantCentimes <= 0)
    err('montantCentimes', 'Indiquez un montant positif, en centimes entiers.');
  else if (depasseMontantMax(s.montantCentimes)) err('montantCentimes', MESSAGE_MONTANT_MAX);
  if (s.tauxTva !== undefined && s.tauxTva !== null && !TAUX_TVA.some((t) => t === s.tauxTva))
    err('tauxTva', 'Le taux de TVA est 0 %, 5,5 %, 10 % ou 20 %.');
  if (!s.titulaire.trim()) err('titulaire', 'Indiquez le titulaire du marché.');
  if (!s.objet.trim()) err('objet', 'Indiquez l’objet de la commande.');
  if (s.numero !== null && NUMERO_AUTO.test(s.numero))
    err(
      'numero',
      'Les numéros « BC-AAAA-N » sont attribués automatiquement : laissez le champ vide ou saisissez le numéro Chorus.',
    );
  if (!isDateIso(s.dateEngagement)) err('dateEngagement', 'Date invalide (attendu : AAAA-MM-JJ).');
  else if (s.dateEngagement > aujourdHui) err('dateEngagement', 'Un engagement ne peut pas être daté dans le futur.');
  else if (Number.isInteger(s.annee) && yearOf(s.dateEngagement) !== s.annee) {
    err('annee', `Un engagement sur les crédits ${s.annee} doit être daté de ${s.annee} (annualité des crédits).`);
  }
  if (
    s.dateFinPrestation !== null &&
    (!isDateIso(s.dateFinPrestation) || (isDateIso(s.dateEngagement) && s.dateFinPrestation < s.dateEngagement))
  ) {
    err('dateFinPrestation', 'La fin de prestation doit être une date postérieure à la commande.');
  }
  if (
    s.produit !== null &&
    produitsConvention.length > 0 &&
    !produitsConvention.some((p) => nomProduitNormalise(p) === nomProduitNormalise(s.produit!))
  ) {
    err('produit', `Le produit doit être l’un de ceux que finance la convention : ${produitsConvention.join(', ')}.`);
  }
  return erreurs;
}

/** An order on another VAT base than the convention's: say at what amount it is counted. */
export function avertissementBase(
  e: Pick<Engagement, 'montantCentimes' | 'baseMontant' | 'tauxTva' | 'montantImputeCentimes'>,
  baseConvention: BaseMontant,
): string[] {
  if (e.baseMontant === baseConvention) return [];
  return [
    `Le montant est saisi ${e.baseMontant} (${formatEuros(e.montantCentimes)}) alors que les crédits de la convention sont ${baseConvention} : il est imputé à ${formatEuros(e.montantImputeCentimes)} ${baseConvention} (TVA ${String(e.tauxTva).replace('.', ',')} %).`,
  ];
}

export interface Derogation {
  motif: string;
}

/**
 * The year-end calendar: a warning before a cut-off, a refusal after it unless an administrator
 * overrides with a recorded reason. Both dates of the operation are checked: its effect date and the day
 * it is recorded (an operation recorded after the cut-off is refused even when dated before it).
 * Returns the warnings to show.
 */
export function appliquerCalendrier(
  op: OperationCalendrier,
  annee: number,
  date: DateIso,
  p: ParametresCalendrier,
  derogation: Derogation | null,
  estAdministrateur: boolean,
  enregistrement: DateIso = date,
): string[] {
  const etat = etatCalendrier(op, annee, date, p);
  const etatEnregistrement = enregistrement > date ? etatCalendrier(op, annee, enregistrement, p) : null;
  const fermes: string[] = [];
  if (etat.etat === 'ferme') fermes.push(etat.message!);
  if (etatEnregistrement?.etat === 'ferme' && enregistrement > etat.dateLimite)
    fermes.push(
      `L’opération est enregistrée le ${formatDate(enregistrement)}, après la date limite ${op === 'engagement' ? 'des engagements' : 'des paiements'} de l’exercice ${annee} (${formatDate(etat.dateLimite)}) : la dater d’avant ne suffit pas.`,
    );
  if (fermes.length === 0) return etat.etat === 'avertissement' ? [etat.message!] : [];
  const message = fermes.join(' ');
  if (!derogation) {
    throw new ConflictError(
      'CALENDRIER_DEPASSE',
      `${message} Seul un administrateur peut déroger, en indiquant le motif.`,
      {
        annee,
        date,
        enregistre_le: enregistrement,
        date_limite: etat.dateLimite,
      },
    );
  }
  if (!estAdministrateur)
    throw new ForbiddenError('Seul un administrateur peut déroger au calendrier de fin de gestion.');
  if (!derogation.motif.trim())
    throw new ValidationError([{ champ: 'derogation.motif', message: 'Indiquez le motif de la dérogation.' }]);
  return [`Dérogation au calendrier : ${message} Motif : ${derogation.motif.trim()}`];
}

/**
 * An order dated within the convention's term but recorded after its end is refused, unless an
 * administrator overrides with a reason (a paper order entered late); one dated after the end never
 * passes (see `verifierConventionEngageable`). Returns the warnings to show.
 */
export function verifierEnregistrementDansTerme(
  c: Pick<ConventionSaisie, 'dateFin' | 'dureeMois' | 'dateSignature'>,
  enregistrement: DateIso,
  derogation: Derogation | null,
  estAdministrateur: boolean,
): string[] {
  const fin = finEffective(c);
  if (fin === null || enregistrement <= fin) return [];
  const message = `La convention a pris fin le ${formatDate(fin)} : un engagement enregistré après la fin (le ${formatDate(enregistrement)}) est refusé, même daté d’avant.`;
  if (!derogation)
    throw new ConflictError(
      'ENREGISTREMENT_APRES_FIN',
      `${message} Seul un administrateur peut déroger, en indiquant le motif.`,
      {
        fin_effective: fin,
        enregistre_le: enregistrement,
      },
    );
  if (!estAdministrateur)
    throw new ForbiddenError('Seul un administrateur peut enregistrer un engagement après la fin de la convention.');
  if (!derogation.motif.trim())
    throw new ValidationError([{ champ: 'derogation.motif', message: 'Indiquez le motif de la dérogation.' }]);
  return [`Dérogation : ${message} Motif : ${derogation.motif.trim()}`];
}

type ConventionEngagement = Pick<ConventionSaisie, 'statut' | 'dateSignature' | 'dateFin' | 'dureeMois'> & {
  resiliationEffet?: DateIso | null;
};

/**
 * A new order needs a convention in force on the order date: signed, neither suspended nor terminated,
 * and not past its end date (the end is a deadline for committing, not for spending).
 */
export function verifierConventionEngageable(c: ConventionEngagement, date: DateIso): void {
  const statut = statutEffectif(c, date);
  if (statut === 'suspendue') {
    throw new ConflictError(
      'CONVENTION_SUSPENDUE',
      'La convention est suspendue : aucun nouvel engagement n’est possible tant qu’elle n’est pas remise en vigueur.',
    );
  }
  if (statut === 'resiliee') {
    const effet = c.resiliationEffet ?? null;
    throw new ConflictError(
      'CONVENTION_RESILIEE',
      effet
        ? `La résiliation de la convention a pris effet le ${formatDate(effet)} : aucun engagement daté après n’est possible ; les engagements existants peuvent encore être certifiés et payés.`
        : 'La convention est résiliée : aucun nouvel engagement n’est possible.',
      effet ? { fin_effective: effet } : {},
    );
  }
  if (statut === 'cloturee')
    throw new ConflictError('CONVENTION_CLOTUREE', 'La convention est clôturée : aucun engagement n’est possible.');
  if (!estSignee(c.statut)) {
    throw new ConflictError(
      'CONVENTION_NON_EN_VIGUEUR',
      'La convention n’est pas encore en vigueur (brouillon, à vérifier ou en signature) : aucun engagement n’est possible.',
    );
  }
  if (!c.dateSignature || date < c.dateSignature) {
    throw new ConflictError(
      'CONVENTION_NON_SIGNEE',
      c.dateSignature
        ? `La convention n’est signée que du ${formatDate(c.dateSignature)} : un engagement ne peut la précéder.`
        : 'La date de signature de la convention n’est pas renseignée.',
    );
  }
  if (statut === 'terminee') {
    const fin = finEffective(c)!;
    throw new ConflictError(
      'CONVENTION_TERMINEE',
      `La convention a pris fin le ${formatDate(fin)} : plus aucun engagement n’est possible ; les engagements existants peuvent encore être certifiés et payés.`,
      { fin_effective: fin },
    );
  }
}

export interface FiltreEngagements {
  annee?: number;
  page: number;
  taille: number;
}
