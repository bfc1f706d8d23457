import type { Acteur } from './acces.js';
import {
  statutEffectif,
  terme,
  type ConventionSaisie,
  type DatesFin,
  type PartieCle,
  type Statut,
  type StatutEffectif,
} from './convention.js';
import { addMonths, formatDate, isDateIso, type DateIso } from './dates.js';
import { ConflictError, ValidationError } from './errors.js';

/**
 * A convention's life as one state machine: each action names the states it leaves (as they stand on the
 * day it is taken, see `statutEffectif`) and the stored state it reaches. No other write changes `statut`.
 */
export type Transition =
  | 'envoi_signature'
  | 'retour_brouillon'
  | 'signature_partenaire'
  | 'signature_dinum'
  | 'acceptation'
  | 'suspension'
  | 'reprise'
  | 'resiliation'
  | 'retrait_resiliation'
  | 'cloture';

export const TRANSITIONS: Record<Transition, { de: readonly StatutEffectif[]; vers: Statut; libelle: string }> = {
  envoi_signature: { de: ['brouillon'], vers: 'en_signature', libelle: 'envoyer en signature' },
  retour_brouillon: { de: ['en_signature'], vers: 'brouillon', libelle: 'remettre en brouillon' },
  signature_partenaire: { de: ['en_signature'], vers: 'signee_partenaire', libelle: 'signer pour le partenaire' },
  signature_dinum: { de: ['signee_partenaire'], vers: 'en_vigueur', libelle: 'signer pour la DINUM' },
  // an imported convention reviewed by a person: already signed, it skips the circuit
  acceptation: { de: ['a_verifier'], vers: 'en_vigueur', libelle: 'accepter' },
  suspension: { de: ['en_vigueur'], vers: 'suspendue', libelle: 'suspendre' },
  reprise: { de: ['suspendue'], vers: 'en_vigueur', libelle: 'remettre en vigueur' },
  resiliation: { de: ['en_vigueur'], vers: 'resiliation_notifiee', libelle: 'notifier la résiliation' },
  retrait_resiliation: { de: ['resiliation_notifiee'], vers: 'en_vigueur', libelle: 'retirer la résiliation' },
  // once ended, by its term or a termination
  cloture: { de: ['terminee', 'resiliee'], vers: 'cloturee', libelle: 'clôturer' },
};

/** States a convention may be created in: a draft, an import awaiting review, or one already signed. */
export const STATUTS_CREATION: readonly Statut[] = ['brouillon', 'a_verifier', 'en_vigueur'];

const LIBELLES_STATUT_CYCLE: Record<StatutEffectif, string> = {
  a_verifier: 'à vérifier',
  brouillon: 'en brouillon',
  en_signature: 'en signature',
  signee_partenaire: 'signée par le partenaire',
  en_vigueur: 'en vigueur',
  suspendue: 'suspendue',
  resiliation_notifiee: 'en résiliation notifiée',
  resiliee: 'résiliée',
  cloturee: 'clôturée',
  terminee: 'terminée',
};

type EtatCycle = DatesFin & Pick<ConventionSaisie, 'statut'>;

/** The stored state the action reaches, or a refusal that says why from the state of the day. */
export function transiter(c: EtatCycle, t: Transition, aujourdHui: DateIso): Statut {
  const actuel = statutEffectif(c, aujourdHui);
  const regle = TRANSITIONS[t];
  if (!regle.de.includes(actuel)) {
    throw new ConflictError(
      'TRANSITION_INTERDITE',
      `Impossible de ${regle.libelle} une convention ${LIBELLES_STATUT_CYCLE[actuel]}.`,
      { statut: actuel, action: t },
    );
  }
  return regle.vers;
}

/** The actions possible on a day, for the page's buttons (rights are checked apart). */
export function transitionsPossibles(c: EtatCycle, aujourdHui: DateIso): Transition[] {
  const actuel = statutEffectif(c, aujourdHui);
  return (Object.keys(TRANSITIONS) as Transition[]).filter((t) => TRANSITIONS[t].de.includes(actuel));
}

/** A status may only be entered at creation in one of its initial states, and never changed by an edit. */
export function verifierStatutSaisi(avant: Statut | null, saisi: Statut): void {
  if (avant === null ? STATUTS_CREATION.includes(saisi) : saisi === avant) return;
  throw new ConflictError(
    'STATUT_PAR_ACTION',
    avant === null
      ? 'Une convention se crée en brouillon, à vérifier ou déjà en vigueur ; les autres statuts s’atteignent par leur action.'
      : 'Le statut ne se modifie pas ici : utilisez l’action correspondante (signature, suspension, résiliation, clôture…).',
    { statut_actuel: avant, statut_demande: saisi },
  );
}

// ---- signature ------------------------------------------------------------------------------------

export interface Signature {
  partie: PartieCle;
  date: DateIso;
  /** who signed for the party, as written */
  signataire: string | null;
  acteurNom: string;
  le: string;
  pieceId: string | null;
}

/**
 * The order of the signatures: the partner signs first, the DINUM last (Article 6 of the conventions).
 * When the DINUM is neither party, the délégant signs first.
 */
export function ordreSignatures(c: Pick<ConventionSaisie, 'roleDinum'>): [PartieCle, PartieCle] {
  return c.roleDinum === 'delegant' ? ['delegataire', 'delegant'] : ['delegant', 'delegataire'];
}

const NOM_PARTIE: Record<PartieCle, string> = { delegant: 'le délégant', delegataire: 'le délégataire' };

/**
 * Checks one party's signature against those already given: the right order, once per party, dated no
 * later than today and no earlier than the first one. Says whether it is the last, which sets the date of
 * signature (the effect).
 */
export function verifierSignature(
  c: Pick<ConventionSaisie, 'roleDinum'>,
  faites: readonly Pick<Signature, 'partie' | 'date'>[],
  partie: PartieCle,
  date: DateIso,
  aujourdHui: DateIso,
): { derniere: boolean } {
  if (!isDateIso(date))
    throw new ValidationError([{ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (date > aujourdHui)
    throw new ValidationError([{ champ: 'date', message: 'La date de signature ne peut pas être dans le futur.' }]);
  const deja = faites.find((s) => s.partie === partie);
  if (deja)
    throw new ConflictError(
      'DEJA_SIGNEE',
      `${majuscule(NOM_PARTIE[partie])} a déjà signé, le ${formatDate(deja.date)}.`,
      {
        partie,
        date: deja.date,
      },
    );
  const [premier, dernier] = ordreSignatures(c);
  if (partie === dernier && !faites.some((s) => s.partie === premier))
    throw new ConflictError(
      'ORDRE_SIGNATURE',
      `${majuscule(NOM_PARTIE[premier])} signe en premier, ${NOM_PARTIE[dernier]} en dernier.`,
      { attendue: premier },
    );
  const precedente = faites.find((s) => s.partie === premier);
  if (partie === dernier && precedente && date < precedente.date)
    throw new ValidationError([
      {
        champ: 'date',
        message: `La dernière signature ne peut précéder la première (${formatDate(precedente.date)}).`,
      },
    ]);
  return { derniere: partie === dernier };
}

const majuscule = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- termination with notice ------------------------------------------------------------------------

/** Décret 2004-1085, art. 5: three months' notice unless the convention says otherwise. */
const PREAVIS_DEFAUT_MOIS = 3;

/**
 * The day a termination takes effect: the notification plus the notice, from date to date (30 November +
 * 3 months is the last day of February); never after the term, at which the convention ends anyway.
 */
export function dateEffetResiliation(notification: DateIso, preavisMois: number | null, fin: DateIso | null): DateIso {
  const effet = addMonths(notification, preavisMois ?? PREAVIS_DEFAUT_MOIS);
  return fin !== null && fin < effet ? fin : effet;
}

export interface Resiliation {
  partie: PartieCle;
  dateNotification: DateIso;
  preavisMois: number;
  dateEffet: DateIso;
  motif: string;
  pieceId: string | null;
  acteurNom: string;
  le: string;
}

/** A notice given on `dateNotification`: dated in the convention's life, with its reason. */
export function preparerResiliation(
  c: Pick<ConventionSaisie, 'dateFin' | 'dureeMois' | 'dateSignature' | 'preavisMois'>,
  d: { partie: PartieCle; dateNotification: DateIso; motif: string },
  aujourdHui: DateIso,
): Pick<Resiliation, 'partie' | 'dateNotification' | 'preavisMois' | 'dateEffet' | 'motif'> {
  const erreurs = [];
  if (!isDateIso(d.dateNotification))
    erreurs.push({ champ: 'date_notification', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (d.dateNotification > aujourdHui)
    erreurs.push({ champ: 'date_notification', message: 'La date de notification ne peut pas être dans le futur.' });
  else if (c.dateSignature && d.dateNotification < c.dateSignature)
    erreurs.push({ champ: 'date_notification', message: 'La notification ne peut précéder la signature.' });
  if (!d.motif.trim()) erreurs.push({ champ: 'motif', message: 'Indiquez le motif de la résiliation.' });
  if (erreurs.length) throw new ValidationError(erreurs);
  const fin = terme(c);
  if (fin !== null && d.dateNotification > fin)
    throw new ConflictError(
      'TRANSITION_INTERDITE',
      `La convention a pris fin le ${formatDate(fin)}, avant la notification.`,
    );
  const preavisMois = c.preavisMois ?? PREAVIS_DEFAUT_MOIS;
  return {
    partie: d.partie,
    dateNotification: d.dateNotification,
    preavisMois,
    dateEffet: dateEffetResiliation(d.dateNotification, preavisMois, fin),
    motif: d.motif.trim(),
  };
}

/** A withdrawal needs both parties' agreement, dated before the termination takes effect. */
export function verifierRetrait(
  r: Pick<Resiliation, 'dateEffet' | 'dateNotification'>,
  dateAccord: DateIso,
  aujourdHui: DateIso,
): void {
  if (!isDateIso(dateAccord))
    throw new ValidationError([{ champ: 'date_accord', message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (dateAccord > aujourdHui)
    throw new ValidationError([
      { champ: 'date_accord', message: 'La date de l’accord ne peut pas être dans le futur.' },
    ]);
  if (dateAccord < r.dateNotification || dateAccord > r.dateEffet)
    throw new ValidationError([
      {
        champ: 'date_accord',
        message: `L’accord des parties se date entre la notification (${formatDate(r.dateNotification)}) et l’effet (${formatDate(r.dateEffet)}).`,
      },
    ]);
}

// ---- rights --------------------------------------------------------------------------------------

type Parties = Pick<ConventionSaisie, 'delegant' | 'delegataire'>;
const budget = (a: Acteur) => a.role === 'administrateur' || a.role === 'gestionnaire';
const agentDe = (a: Acteur, c: Parties, p: PartieCle) =>
  a.role === 'partenaire' && a.organisationSiret !== null && c[p].siret === a.organisationSiret;

/** The DINUM's budget office records any party's signature; a partner's agent records its own party's. */
export function peutSigner(a: Acteur, c: Parties, partie: PartieCle): boolean {
  return budget(a) || agentDe(a, c, partie);
}

/** Notice is given by the DINUM's budget office, or by a partner's agent for its own party. */
export function peutResilier(a: Acteur, c: Parties, partie: PartieCle): boolean {
  return budget(a) || agentDe(a, c, partie);
}

/** Sending for signature, withdrawing a notice (both parties agreed), closing: the DINUM's budget office. */
export function peutConduireCycle(a: Acteur): boolean {
  return budget(a);
}

/**
 * « Préparer la suite » : the next convention drafted from one about to end — same parties, object, imputation,
 * governance and obligations; no reference, signature or amounts yet; its schedule starts the year after the
 * end and runs as long as this one did, with the amounts left for the teams to state.
 */
export function conventionDeSuite(c: ConventionSaisie): ConventionSaisie {
  const fin = terme(c);
  const debut = fin ? Number(fin.slice(0, 4)) + 1 : null;
  const annees = Math.max(1, c.echeancier.length);
  return {
    ...c,
    reference: null,
    statut: 'brouillon',
    echeancier: debut
      ? Array.from({ length: annees }, (_, i) => ({ annee: debut + i, aeCentimes: null, cpCentimes: null }))
      : [],
    totalAeCentimes: null,
    cofinancementFastCentimes: null,
    tranches: [],
    dateSignature: null,
    dateFin: null,
    preambule: c.reference
      ? `${c.preambule ? `${c.preambule}\n` : ''}La présente convention fait suite à la convention ${c.reference}.`
      : c.preambule,
    publiee: false,
  };
}
