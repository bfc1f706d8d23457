import {
  peutCreerConvention,
  peutDeciderCredits,
  peutGererCredits,
  peutLireCredits,
  type Acteur,
  type PorteeConvention,
} from './acces.js';
import { dateDansAnnee, type ParametresCalendrier } from './calendrier.js';
import { estSignee } from './convention.js';
import { disponibleAe, disponibleCp, type TotauxCredit } from './credit.js';
import { addDays, daysBetween, formatDate, yearOf, type DateIso } from './dates.js';
import { peutCloturer, type CalendrierExercice } from './exercice.js';
import { etapeInsuffisance, type CasInsuffisance } from './insuffisance.js';
import { formatEuros, type Centimes } from './money.js';
import { peutRedigerRapport } from './rapport.js';
import {
  itemsGouvernance,
  LIBELLES_TYPES_GOUVERNANCE,
  type GouvernanceAFaire,
  type TypeGouvernance,
} from './a-faire-gouvernance.js';

/**
 * « À faire »: what needs the actor's action, from the data and today's date. The home page, the e-mails
 * and the calendar feed all read this one list, so they never disagree. Each kind of item is one small
 * function of the data (`GENERATEURS`); an aggregate adds its kind by adding its data and its function.
 */
export type TypeAFaire =
  | 'proposition_a_decider'
  | 'service_fait_attendu'
  | 'paiement_a_effectuer'
  | 'refus_a_signaler'
  | 'insuffisance_a_informer'
  | 'insuffisance_a_repondre'
  | 'date_limite_engagements'
  | 'date_limite_paiements'
  | 'exercice_a_clore'
  | 'fin_convention'
  | 'resiliation_notifiee'
  | 'rapport_fin'
  | 'alerte'
  | 'import_a_verifier'
  | TypeGouvernance;

export const LIBELLES_TYPES_A_FAIRE: Record<TypeAFaire, string> = {
  proposition_a_decider: 'Proposition à valider ou refuser',
  service_fait_attendu: 'Service fait à constater',
  paiement_a_effectuer: 'Paiement à effectuer',
  refus_a_signaler: 'Insuffisance de crédits à signaler au délégant',
  insuffisance_a_informer: 'Délégant à informer d’une insuffisance',
  insuffisance_a_repondre: 'Réponse du délégant attendue',
  date_limite_engagements: 'Date limite des engagements',
  date_limite_paiements: 'Date limite des paiements',
  exercice_a_clore: 'Exercice à clore',
  fin_convention: 'Convention qui prend fin',
  resiliation_notifiee: 'Résiliation notifiée',
  rapport_fin: 'Compte rendu de fin de convention',
  alerte: 'Alerte à traiter',
  import_a_verifier: 'Import à vérifier',
  ...LIBELLES_TYPES_GOUVERNANCE,
};

export type Urgence = 'en_retard' | 'cette_semaine' | 'ce_mois' | 'plus_tard';

export const LIBELLES_URGENCES: Record<Urgence, string> = {
  en_retard: 'En retard',
  cette_semaine: 'Cette semaine',
  ce_mois: 'Ce mois-ci',
  plus_tard: 'Plus tard',
};

export interface ItemAFaire {
  /** stable across days for the same thing to do: the e-mails and the calendar feed key on it */
  cle: string;
  type: TypeAFaire;
  /** the day it is due */
  echeance: DateIso;
  urgence: Urgence;
  conventionId: string | null;
  conventionLibelle: string | null;
  partenaire: string | null;
  libelle: string;
  actionUrl: string;
  /** a one-step action the page may offer as a button (a form posted to this address), besides the link */
  actionDirecte: { url: string; libelle: string } | null;
}

/** What the items are computed from: everything in the actor's scope, read by the use case. */
export interface ConventionAFaire {
  id: string;
  libelle: string;
  partenaire: string;
  portee: PorteeConvention;
  finEffective: DateIso | null;
  resiliationEffet: DateIso | null;
  /** an avenant is being signed (a renewal or an extension under way) */
  avenantEnCours: boolean;
  /** the end-of-term report was sent to the délégant */
  rapportEnvoye: boolean;
}

export interface PropositionAFaire {
  id: string;
  conventionId: string;
  objet: string;
  montantCentimes: Centimes;
  annee: number;
  proposeLe: DateIso;
  proposeParNom: string;
}

export interface EngagementAFaire {
  id: string;
  conventionId: string;
  numero: string;
  objet: string;
  dateEngagement: DateIso;
  actif: boolean;
  certifieCentimes: Centimes;
  payeCentimes: Centimes;
  /** the order's certified work, by date */
  servicesFaits: { date: DateIso; montantCentimes: Centimes }[];
}

export interface AlerteAFaire {
  id: number;
  conventionId: string;
  code: string;
  message: string;
  destinataire: string | null;
  le: DateIso;
}

export interface ImportAFaire {
  id: string;
  nom: string;
  importeLe: DateIso;
}

export interface DonneesAFaire {
  conventions: ConventionAFaire[];
  propositions: PropositionAFaire[];
  engagements: EngagementAFaire[];
  /** the totals of the current year of each convention */
  credits: { conventionId: string; totaux: TotauxCredit }[];
  alertes: AlerteAFaire[];
  insuffisances: CasInsuffisance[];
  /** past exercises not closed, with their calendar */
  exercices: { conventionId: string; calendrier: CalendrierExercice }[];
  imports: ImportAFaire[];
  /** committees, FAST review, matching envelope and obligations of each signed convention */
  gouvernance: GouvernanceAFaire[];
}

/** The delays the items use, in days. */
export interface DelaisAFaire {
  /** a proposal waits at most this long for its decision */
  decisionProposition: number;
  /** an order without certified work after this long is a reminder */
  serviceFait: number;
  /** payment within this many days of the certified work */
  paiement: number;
  /** a convention ending within this many days without a renewal under way */
  finConvention: number;
  /** an import to review within this many days */
  revueImport: number;
  /** the délégant answers an insufficiency within this many days */
  insuffisance: number;
}

export const DELAIS_A_FAIRE: DelaisAFaire = {
  decisionProposition: 7,
  serviceFait: 60,
  paiement: 30,
  finConvention: 60,
  revueImport: 7,
  insuffisance: 30,
};

export interface ParametresAFaire {
  calendrier: ParametresCalendrier;
  delais: DelaisAFaire;
}

export interface EnvironnementAFaire {
  acteur: Acteur;
  aujourdHui: DateIso;
  parametres: ParametresAFaire;
  convention(id: string): ConventionAFaire | undefined;
}

type Brut = Omit<ItemAFaire, 'urgence' | 'conventionLibelle' | 'partenaire' | 'actionDirecte'> &
  Partial<Pick<ItemAFaire, 'actionDirecte'>>;
type Generateur = (d: DonneesAFaire, x: EnvironnementAFaire) => Brut[];

const lienCredits = (conventionId: string, ancre = '') => `/conventions/${conventionId}/credits${ancre}`;

/** Only what the actor may act on: a kind says which convention right it needs. */
const permis = (x: EnvironnementAFaire, conventionId: string, droit: (a: Acteur, c: PorteeConvention) => boolean) => {
  const c = x.convention(conventionId);
  return c !== undefined && droit(x.acteur, c.portee);
};

const propositions: Generateur = (d, x) =>
  d.propositions
    .filter((p) => permis(x, p.conventionId, peutGererCredits))
    .map((p) => ({
      cle: `proposition:${p.id}`,
      type: 'proposition_a_decider',
      echeance: addDays(p.proposeLe, x.parametres.delais.decisionProposition),
      conventionId: p.conventionId,
      libelle: `Valider ou refuser la proposition « ${p.objet} » (${formatEuros(p.montantCentimes)} d’AE ${p.annee}) de ${p.proposeParNom}`,
      actionUrl: lienCredits(p.conventionId, `?annee=${p.annee}#proposition-${p.id}`),
      actionDirecte: {
        url: lienCredits(p.conventionId, `/propositions/${p.id}/validation`),
        libelle: 'Valider et engager',
      },
    }));

/** An active order with no certified work more than `serviceFait` days after it was placed. */
const servicesFaitsAttendus: Generateur = (d, x) =>
  d.engagements
    .filter(
      (e) =>
        e.actif &&
        e.certifieCentimes === 0 &&
        daysBetween(e.dateEngagement, x.aujourdHui) > x.parametres.delais.serviceFait &&
        permis(x, e.conventionId, peutGererCredits),
    )
    .map((e) => ({
      cle: `service-fait:${e.id}`,
      type: 'service_fait_attendu',
      echeance: addDays(e.dateEngagement, x.parametres.delais.serviceFait),
      conventionId: e.conventionId,
      libelle: `Constater le service fait du bon de commande ${e.numero} (${e.objet}), passé le ${formatDate(e.dateEngagement)}`,
      actionUrl: `${lienCredits(e.conventionId)}/engagements/${e.id}`,
    }));

/**
 * Certified work not yet paid: due `paiement` days after the oldest certified work the payments do not
 * cover yet.
 */
function premierServiceFaitImpaye(e: Pick<EngagementAFaire, 'servicesFaits' | 'payeCentimes'>): DateIso | null {
  let cumul = 0;
  for (const s of [...e.servicesFaits].sort((a, b) => a.date.localeCompare(b.date))) {
    cumul += s.montantCentimes;
    if (cumul > e.payeCentimes) return s.date;
  }
  return null;
}

const paiements: Generateur = (d, x) =>
  d.engagements.flatMap((e) => {
    const reste = e.certifieCentimes - e.payeCentimes;
    const depuis = reste > 0 ? premierServiceFaitImpaye(e) : null;
    if (!depuis || !permis(x, e.conventionId, peutGererCredits)) return [];
    return [
      {
        cle: `paiement:${e.id}:${depuis}`,
        type: 'paiement_a_effectuer',
        echeance: addDays(depuis, x.parametres.delais.paiement),
        conventionId: e.conventionId,
        libelle: `Payer ${formatEuros(reste)} de service fait du bon de commande ${e.numero} (${e.objet}), constaté le ${formatDate(depuis)}`,
        actionUrl: `${lienCredits(e.conventionId)}/engagements/${e.id}`,
      },
    ];
  });

/** A refusal for lack of credits, to report to the délégant at once, until someone marks it dealt with. */
const refusASignaler: Generateur = (d, x) =>
  d.alertes
    .filter((a) => a.destinataire === 'delegant' && permis(x, a.conventionId, peutGererCredits))
    .map((a) => ({
      cle: `alerte:${a.id}`,
      type: 'refus_a_signaler',
      echeance: a.le,
      conventionId: a.conventionId,
      libelle: `Signaler au délégant : ${a.message}`,
      actionUrl: `/credits/alertes#alerte-${a.id}`,
    }));

/** Other recorded refusals, for the budget agents who mark them dealt with. */
const alertes: Generateur = (d, x) =>
  peutDeciderCredits(x.acteur)
    ? d.alertes
        .filter((a) => a.destinataire !== 'delegant' && x.convention(a.conventionId) !== undefined)
        .map((a) => ({
          cle: `alerte:${a.id}`,
          type: 'alerte',
          echeance: a.le,
          conventionId: a.conventionId,
          libelle: a.message,
          actionUrl: `/credits/alertes#alerte-${a.id}`,
        }))
    : [];

/** An open insufficiency case: the délégataire informs the délégant, then the délégant answers. */
const insuffisances: Generateur = (d, x) =>
  d.insuffisances.flatMap((c): Brut[] => {
    const etape = etapeInsuffisance(c);
    const lien = `/conventions/${c.conventionId}/insuffisances#cas-${c.id}`;
    const annee = c.annee ? ` ${c.annee}` : '';
    if (etape === 'a_informer' && permis(x, c.conventionId, peutGererCredits))
      return [
        {
          cle: `insuffisance:${c.id}:information`,
          type: 'insuffisance_a_informer',
          echeance: c.ouvertLe.slice(0, 10),
          conventionId: c.conventionId,
          libelle: `Informer le délégant de l’insuffisance de crédits${annee} et consigner la date et le moyen`,
          actionUrl: lien,
        },
      ];
    if (etape === 'informe' && c.information && permis(x, c.conventionId, peutCloturer))
      return [
        {
          cle: `insuffisance:${c.id}:reponse`,
          type: 'insuffisance_a_repondre',
          echeance: addDays(c.information.date, x.parametres.delais.insuffisance),
          conventionId: c.conventionId,
          libelle: `Répondre à l’insuffisance de crédits${annee} : ajustement de la dotation ou refus`,
          actionUrl: lien,
        },
      ];
    return [];
  });

/** A year-end cut-off within the warning days, with credits left to use. */
const datesLimites: Generateur = (d, x) => {
  const p = x.parametres.calendrier;
  const annee = yearOf(x.aujourdHui);
  const limiteAe = dateDansAnnee(p.limiteEngagements, annee);
  const limiteCp = dateDansAnnee(p.limitePaiements, annee);
  const proche = (limite: DateIso) => {
    const j = daysBetween(x.aujourdHui, limite);
    return j >= 0 && j <= p.avertissementJours;
  };
  return d.credits.flatMap(({ conventionId, totaux: t }): Brut[] => {
    const c = x.convention(conventionId);
    if (!c || t.annee !== annee || !peutGererCredits(x.acteur, c.portee)) return [];
    const out: Brut[] = [];
    const enVigueur =
      (c.portee.statut === 'en_vigueur' || c.portee.statut === 'resiliation_notifiee') &&
      (!c.finEffective || c.finEffective >= x.aujourdHui);
    if (enVigueur && disponibleAe(t) > 0 && proche(limiteAe))
      out.push({
        cle: `limite-engagements:${conventionId}:${annee}`,
        type: 'date_limite_engagements',
        echeance: limiteAe,
        conventionId,
        libelle: `Engager avant le ${formatDate(limiteAe)} : ${formatEuros(disponibleAe(t))} d’AE ${annee} restent disponibles`,
        actionUrl: lienCredits(conventionId, `?annee=${annee}`),
      });
    if (disponibleCp(t) > 0 && t.certifie > t.payeCp && proche(limiteCp))
      out.push({
        cle: `limite-paiements:${conventionId}:${annee}`,
        type: 'date_limite_paiements',
        echeance: limiteCp,
        conventionId,
        libelle: `Payer avant le ${formatDate(limiteCp)} : ${formatEuros(Math.min(disponibleCp(t), t.certifie - t.payeCp))} de service fait ${annee} restent à payer`,
        actionUrl: lienCredits(conventionId, `?annee=${annee}`),
      });
    return out;
  });
};

/** A past exercise still open once its closing has opened; due on its closing deadline. */
const exercices: Generateur = (d, x) =>
  d.exercices
    .filter(
      (e) => x.aujourdHui >= e.calendrier.ouvertureCloture && permis(x, e.conventionId, (a, c) => peutCloturer(a, c)),
    )
    .map((e) => ({
      cle: `exercice:${e.conventionId}:${e.calendrier.annee}`,
      type: 'exercice_a_clore',
      echeance: e.calendrier.limiteCloture,
      conventionId: e.conventionId,
      libelle: `Clore l’exercice ${e.calendrier.annee} (clôture attendue au plus tard le ${formatDate(e.calendrier.limiteCloture)})`,
      actionUrl: `/exercices/${e.calendrier.annee}`,
    }));

/** A convention in force ending within `finConvention` days, with no avenant under way. */
const finsDeConvention: Generateur = (d, x) =>
  d.conventions
    .filter(
      (c) =>
        c.portee.statut === 'en_vigueur' &&
        c.finEffective !== null &&
        !c.avenantEnCours &&
        c.finEffective >= x.aujourdHui &&
        daysBetween(x.aujourdHui, c.finEffective) <= x.parametres.delais.finConvention &&
        peutLireCredits(x.acteur, c.portee),
    )
    .map((c) => ({
      cle: `fin:${c.id}:${c.finEffective}`,
      type: 'fin_convention',
      echeance: c.finEffective!,
      conventionId: c.id,
      libelle: `La convention prend fin le ${formatDate(c.finEffective)} sans renouvellement en cours : préparer la suite (avenant ou nouvelle convention)`,
      actionUrl: `/conventions/${c.id}`,
    }));

/** A notice given: the convention ends on its effect. */
const resiliations: Generateur = (d, x) =>
  d.conventions
    .filter(
      (c) =>
        c.portee.statut === 'resiliation_notifiee' &&
        c.resiliationEffet !== null &&
        c.resiliationEffet >= x.aujourdHui &&
        peutLireCredits(x.acteur, c.portee),
    )
    .map((c) => ({
      cle: `resiliation:${c.id}:${c.resiliationEffet}`,
      type: 'resiliation_notifiee',
      echeance: c.resiliationEffet!,
      conventionId: c.id,
      libelle: `Résiliation notifiée, effet le ${formatDate(c.resiliationEffet)} : engager et payer ce qui doit l’être d’ici là`,
      actionUrl: `/conventions/${c.id}`,
    }));

/**
 * The report the délégataire owes at the end (Article 5): from `finConvention` days before the end, and
 * until it is sent, for whoever writes it.
 */
const rapportsFin: Generateur = (d, x) =>
  d.conventions
    .filter(
      (c) =>
        estSignee(c.portee.statut) &&
        c.portee.statut !== 'cloturee' &&
        c.finEffective !== null &&
        !c.rapportEnvoye &&
        daysBetween(x.aujourdHui, c.finEffective) <= x.parametres.delais.finConvention &&
        peutRedigerRapport(x.acteur, c.portee),
    )
    .map((c) => ({
      cle: `rapport:${c.id}:${c.finEffective}`,
      type: 'rapport_fin',
      echeance: c.finEffective!,
      conventionId: c.id,
      libelle: `Rédiger et envoyer au délégant le compte rendu de fin (dépenses, avancement, prévisions), dû au ${formatDate(c.finEffective)}`,
      actionUrl: `/conventions/${c.id}/rapport`,
    }));

const imports: Generateur = (d, x) =>
  peutCreerConvention(x.acteur)
    ? d.imports.map((i) => ({
        cle: `import:${i.id}`,
        type: 'import_a_verifier',
        echeance: addDays(i.importeLe, x.parametres.delais.revueImport),
        conventionId: null,
        libelle: `Vérifier l’import « ${i.nom} » du ${formatDate(i.importeLe)}`,
        actionUrl: `/imports/${i.id}`,
      }))
    : [];

const gouvernance: Generateur = (d, x) =>
  d.gouvernance
    .filter((g) => permis(x, g.conventionId, peutLireCredits))
    .flatMap((g) =>
      itemsGouvernance(g, {
        aujourdHui: x.aujourdHui,
        fin: x.convention(g.conventionId)?.finEffective ?? null,
        totaux: d.credits.find((c) => c.conventionId === g.conventionId)?.totaux ?? null,
      }),
    );

/** One function per kind of item; a new aggregate appends its own. */
const GENERATEURS: readonly Generateur[] = [
  propositions,
  servicesFaitsAttendus,
  paiements,
  refusASignaler,
  insuffisances,
  datesLimites,
  exercices,
  finsDeConvention,
  resiliations,
  rapportsFin,
  alertes,
  imports,
  gouvernance,
];

function urgence(echeance: DateIso, aujourdHui: DateIso): Urgence {
  const j = daysBetween(aujourdHui, echeance);
  if (j < 0) return 'en_retard';
  if (j <= 7) return 'cette_semaine';
  if (j <= 30) return 'ce_mois';
  return 'plus_tard';
}

/** The actor's list, soonest due first. */
export function aFaire(
  d: DonneesAFaire,
  acteur: Acteur,
  aujourdHui: DateIso,
  parametres: ParametresAFaire,
): ItemAFaire[] {
  if (acteur.role === 'public') return [];
  const conventions = new Map(d.conventions.map((c) => [c.id, c]));
  const x: EnvironnementAFaire = { acteur, aujourdHui, parametres, convention: (id) => conventions.get(id) };
  const vus = new Set<string>();
  const out: ItemAFaire[] = [];
  for (const generer of GENERATEURS)
    for (const b of generer(d, x)) {
      if (vus.has(b.cle)) continue;
      vus.add(b.cle);
      const c = b.conventionId ? conventions.get(b.conventionId) : undefined;
      out.push({
        ...b,
        actionDirecte: b.actionDirecte ?? null,
        urgence: urgence(b.echeance, aujourdHui),
        conventionLibelle: c?.libelle ?? null,
        partenaire: c?.partenaire ?? null,
      });
    }
  return out.sort((a, b) => a.echeance.localeCompare(b.echeance) || a.cle.localeCompare(b.cle));
}

/** Items grouped by urgency, in order, leaving out empty groups. */
export function parUrgence(items: ItemAFaire[]): { urgence: Urgence; items: ItemAFaire[] }[] {
  return (Object.keys(LIBELLES_URGENCES) as Urgence[])
    .map((u) => ({ urgence: u, items: items.filter((i) => i.urgence === u) }))
    .filter((g) => g.items.length > 0);
}
