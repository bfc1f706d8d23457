import type { Nature, PartieCle, RoleDinum } from './convention.js';
import { addMonths, isDateIso, type DateIso } from './dates.js';
import { ValidationError, type FieldError } from './errors.js';

/**
 * What each party owes under a convention, followed with its evidence: from a catalogue of the family's
 * obligations (one per kind of convention: a ministry's credits spent by the DINUM, or a FAST
 * co-financing), plus free ones. Each is due at signature, monthly, every six months, at the term or
 * before a date; it is done with its evidence (a link), late when its date has passed, or waived with a
 * reason.
 */

export type Echeance = 'signature' | 'mensuelle' | 'semestrielle' | 'terme' | 'avant_date';
export const LIBELLES_ECHEANCES: Record<Echeance, string> = {
  signature: 'À la signature',
  mensuelle: 'Chaque mois',
  semestrielle: 'Tous les six mois',
  terme: 'Au terme',
  avant_date: 'Avant une date',
};

/** Stored state; « late » is derived from the dates. */
export type EtatSaisi = 'a_faire' | 'faite' | 'levee';
export type EtatObligation = 'due' | 'faite' | 'en_retard' | 'levee';
export const LIBELLES_ETATS_OBLIGATION: Record<EtatObligation, string> = {
  due: 'À faire',
  faite: 'Faite',
  en_retard: 'En retard',
  levee: 'Levée',
};

/** A commitment with a measure: team effort in days per week. */
export interface Mesure {
  valeur: number;
  unite: string;
}

export interface Obligation {
  id: number;
  conventionId: string;
  partie: PartieCle;
  /** the catalogue's key, or null for a free obligation */
  code: string | null;
  libelle: string;
  echeance: Echeance;
  /** with `avant_date` */
  dateLimite: DateIso | null;
  mesure: Mesure | null;
  etat: EtatSaisi;
  /** a link to the evidence (product page, statistics page, repository, habilitation request, report) */
  preuveUrl: string | null;
  /** or the evidence as a file kept with the convention */
  preuvePieceId: string | null;
  motifLevee: string | null;
  /** the day of the last evidence (a recurring obligation is due again a period later) */
  faiteLe: DateIso | null;
  modifiePar: string | null;
}

export type ObligationCatalogue = Pick<Obligation, 'code' | 'libelle' | 'echeance' | 'mesure'> & {
  /** which side owes it: the partner or the DINUM */
  qui: 'partenaire' | 'dinum';
};

/** Obligations common to the family, owed by the partner whatever the direction of the credits. */
const COMMUNES: ObligationCatalogue[] = [
  {
    code: 'manifeste',
    libelle: 'Adhérer au manifeste beta.gouv.fr',
    echeance: 'signature',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'intrapreneur_sponsor',
    libelle: 'Désigner un intrapreneur et un sponsor de haut niveau',
    echeance: 'signature',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'habilitations_chorus',
    libelle: 'Demander les habilitations Chorus',
    echeance: 'signature',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'fiche_produit',
    libelle: 'Publier la fiche produit sur beta.gouv.fr',
    echeance: 'signature',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'code_source',
    libelle: 'Publier le code source sous licence libre',
    echeance: 'semestrielle',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'page_statistiques',
    libelle: 'Mesurer et publier l’impact sur une page de statistiques',
    echeance: 'semestrielle',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'ateliers_risques',
    libelle: 'Conduire des ateliers de risques (démarche ANSSI)',
    echeance: 'semestrielle',
    mesure: null,
    qui: 'partenaire',
  },
  {
    code: 'transfert',
    libelle: 'Remettre bases de données, documentation et dossiers de conformité au transfert',
    echeance: 'terme',
    mesure: null,
    qui: 'partenaire',
  },
];

/** The catalogue of each kind: a ministry's credits spent by the DINUM, or a FAST co-financing (DINUM délégant). */
export const CATALOGUES: Record<'ministere' | 'fast', ObligationCatalogue[]> = {
  ministere: [
    ...COMMUNES,
    {
      code: 'compte_rendu_terme',
      libelle: 'Rendre compte des dépenses, de l’avancement et des prévisions au terme',
      echeance: 'terme',
      mesure: null,
      qui: 'dinum',
    },
  ],
  fast: [
    ...COMMUNES,
    {
      code: 'effort_developpeur',
      libelle: 'Mobiliser un développeur',
      echeance: 'mensuelle',
      mesure: { valeur: 1, unite: 'jour par semaine' },
      qui: 'partenaire',
    },
    {
      code: 'effort_deploiement',
      libelle: 'Mobiliser un(e) chargé(e) de déploiement',
      echeance: 'mensuelle',
      mesure: { valeur: 2, unite: 'jours par semaine' },
      qui: 'partenaire',
    },
    {
      code: 'tableau_bord_impact',
      libelle: 'Publier un tableau de bord d’impact',
      echeance: 'semestrielle',
      mesure: null,
      qui: 'partenaire',
    },
    {
      code: 'accompagnement_fast',
      libelle: 'Accompagner l’équipe lauréate dans le programme d’accélération',
      echeance: 'terme',
      mesure: null,
      qui: 'dinum',
    },
  ],
};

export function catalogueDe(c: {
  nature: Nature;
  roleDinum: RoleDinum;
  promotionFast: string | null;
}): 'ministere' | 'fast' {
  return c.nature === 'convention_fast_subvention' || (c.roleDinum === 'delegant' && c.promotionFast)
    ? 'fast'
    : 'ministere';
}

/** The checklist a convention starts with: the catalogue of its kind, each item given to its party. */
export function obligationsInitiales(c: { nature: Nature; roleDinum: RoleDinum; promotionFast: string | null }) {
  return CATALOGUES[catalogueDe(c)].map((o) => ({ ...o, partie: partieDe(o.qui, c.roleDinum) }));
}

/** The party that is the partner, and the DINUM's, for a catalogue's « qui ». */
export function partieDe(qui: 'partenaire' | 'dinum', roleDinum: RoleDinum): PartieCle {
  const dinum: PartieCle = roleDinum === 'delegant' ? 'delegant' : 'delegataire';
  if (qui === 'dinum') return dinum;
  return dinum === 'delegant' ? 'delegataire' : 'delegant';
}

/** When it is due next: at signature a month after it, a recurring one a period after its last evidence. */
function prochaineEcheance(
  o: Pick<Obligation, 'echeance' | 'dateLimite' | 'faiteLe'>,
  dates: { signature: DateIso | null; fin: DateIso | null },
): DateIso | null {
  switch (o.echeance) {
    case 'signature':
      return dates.signature ? addMonths(dates.signature, 1) : null;
    case 'mensuelle': {
      const base = o.faiteLe ?? dates.signature;
      return base ? addMonths(base, 1) : null;
    }
    case 'semestrielle': {
      const base = o.faiteLe ?? dates.signature;
      return base ? addMonths(base, 6) : null;
    }
    case 'terme':
      return dates.fin;
    case 'avant_date':
      return o.dateLimite;
  }
}

const RECURRENTES: readonly Echeance[] = ['mensuelle', 'semestrielle'];

/** The state of the day: a recurring obligation done is due again, and late, once its period has passed. */
export function etatObligation(
  o: Obligation,
  dates: { signature: DateIso | null; fin: DateIso | null },
  aujourdHui: DateIso,
): { etat: EtatObligation; echeance: DateIso | null } {
  if (o.etat === 'levee') return { etat: 'levee', echeance: null };
  const echeance = prochaineEcheance(o, dates);
  const recurrente = RECURRENTES.includes(o.echeance);
  if (o.etat === 'faite' && !recurrente) return { etat: 'faite', echeance: null };
  if (echeance !== null && echeance < aujourdHui) return { etat: 'en_retard', echeance };
  return { etat: o.etat === 'faite' ? 'faite' : 'due', echeance };
}

export interface ModificationObligation {
  id: number | null;
  partie: PartieCle;
  libelle: string;
  echeance: Echeance;
  dateLimite: DateIso | null;
  mesure: Mesure | null;
  etat: EtatSaisi;
  preuveUrl: string | null;
  /** the evidence file kept, or being sent with the change */
  preuvePieceId?: string | null;
  motifLevee: string | null;
}

/** Done needs its evidence, waived its reason, « before a date » its date. */
export function verifierObligation(m: ModificationObligation, i: number): FieldError[] {
  const erreurs: FieldError[] = [];
  if (!m.libelle.trim()) erreurs.push({ champ: `items.${i}.libelle`, message: 'Indiquez l’obligation.' });
  if (m.echeance === 'avant_date' && !(m.dateLimite && isDateIso(m.dateLimite)))
    erreurs.push({ champ: `items.${i}.date_limite`, message: 'Indiquez la date avant laquelle elle est due.' });
  if (m.etat === 'faite' && !m.preuveUrl && !m.preuvePieceId)
    erreurs.push({
      champ: `items.${i}.preuve_url`,
      message: 'Une obligation faite l’est avec sa preuve : un lien ou un fichier.',
    });
  if (m.etat === 'levee' && !m.motifLevee?.trim())
    erreurs.push({ champ: `items.${i}.motif_levee`, message: 'Indiquez pourquoi l’obligation est levée.' });
  return erreurs;
}

export function verifierObligations(ms: ModificationObligation[]): void {
  const erreurs = ms.flatMap(verifierObligation);
  if (erreurs.length) throw new ValidationError(erreurs);
}
