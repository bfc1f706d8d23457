import { LIBELLES_CHAMPS, type Convention, type ConventionSaisie } from './convention.js';
import type { Signature } from './convention-cycle.js';
import { formatDate, isDateIso, type DateIso } from './dates.js';
import { ConflictError, ValidationError } from './errors.js';
import { formatEuros } from './money.js';

/** States of an avenant: drafted, signed by the partner, signed by both (then it applies from its effect date). */
export type StatutAvenant = 'brouillon' | 'signee_partenaire' | 'signe';

/** What an avenant may change: the convention's own fields, never its identity, parties' names or status. */
export const CHAMPS_AVENANT = [
  'echeancier',
  'totalAeCentimes',
  'cofinancementFastCentimes',
  'tranches',
  'dateFin',
  'dureeMois',
  'preavisMois',
  'uo',
  'programmeBop',
  'imputation',
  'comptableAssignataire',
  'comite',
  'obligations',
  'destinatairesCopie',
  'objet',
] as const satisfies readonly (keyof ConventionSaisie)[];
export type ChampAvenant = (typeof CHAMPS_AVENANT)[number];
export type Modifications = Partial<Pick<ConventionSaisie, ChampAvenant>>;

export interface Avenant {
  conventionId: string;
  numero: number;
  objet: string;
  dateEffet: DateIso;
  modifications: Modifications;
  /** the values the fields had just before it was signed: reading the convention before its effect restores them */
  avant: Modifications | null;
  statut: StatutAvenant;
  dateSignature: DateIso | null;
  creePar: string;
  creeLe: string;
  signatures: Signature[];
  /** the copies sent to the budget controllers (CBCM), as the conventions require of any change */
  copies: CopieAvenant[];
}

export interface CopieAvenant {
  destinataire: string;
  /** the day it was sent, as stated */
  date: DateIso;
  consigneePar: string;
  le: string;
}

/**
 * A copy of a signed avenant sent to a budget controller: to someone, dated no later than today and no
 * earlier than the signature.
 */
export function verifierCopie(
  a: Pick<Avenant, 'numero' | 'statut' | 'dateSignature'>,
  d: { destinataire: string; date: DateIso },
  aujourdHui: DateIso,
): void {
  if (a.statut !== 'signe' || !a.dateSignature)
    throw new ConflictError(
      'AVENANT_NON_SIGNE',
      `L’avenant n° ${a.numero} n’est pas encore signé par les deux parties : sa copie aux contrôleurs budgétaires suit la signature.`,
    );
  const erreurs: { champ: string; message: string }[] = [];
  if (!d.destinataire.trim()) erreurs.push({ champ: 'destinataire', message: 'Indiquez à qui la copie est envoyée.' });
  if (!isDateIso(d.date)) erreurs.push({ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (d.date > aujourdHui)
    erreurs.push({ champ: 'date', message: 'La date d’envoi ne peut pas être dans le futur.' });
  else if (d.date < a.dateSignature)
    erreurs.push({
      champ: 'date',
      message: `La copie ne peut pas précéder la signature de l’avenant, le ${formatDate(a.dateSignature)}.`,
    });
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** A new avenant's object, effect date and changes: something to change, from the signature on. */
export function controlerAvenant(
  c: Pick<Convention, 'dateSignature'>,
  d: { objet: string; dateEffet: DateIso; modifications: Modifications },
): void {
  const erreurs = [];
  if (!d.objet.trim()) erreurs.push({ champ: 'objet', message: 'Indiquez l’objet de l’avenant.' });
  if (!isDateIso(d.dateEffet)) erreurs.push({ champ: 'date_effet', message: 'Date invalide (attendu : AAAA-MM-JJ).' });
  else if (c.dateSignature && d.dateEffet < c.dateSignature)
    erreurs.push({
      champ: 'date_effet',
      message: 'Un avenant ne peut prendre effet avant la signature de la convention.',
    });
  if (Object.keys(d.modifications).length === 0)
    erreurs.push({ champ: 'modifications', message: 'Indiquez au moins une modification.' });
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** The convention with an avenant's changes. */
export function appliquer<C extends ConventionSaisie>(c: C, m: Modifications): C {
  return { ...c, ...m };
}

/** The values an avenant replaces, read off the convention it amends (kept at its signature). */
export function valeursRemplacees(c: ConventionSaisie, m: Modifications): Modifications {
  return Object.fromEntries(Object.keys(m).map((k) => [k, c[k as ChampAvenant]])) as Modifications;
}

/**
 * The convention as it stood on a day. The stored convention carries every signed avenant; those whose
 * effect comes after the day are undone, the latest first, from the values they replaced.
 */
export function conventionAu<C extends ConventionSaisie>(c: C, avenants: readonly Avenant[], jour: DateIso): C {
  return [...avenants]
    .filter((a) => a.statut === 'signe' && a.avant && a.dateEffet > jour)
    .sort((a, b) => b.numero - a.numero)
    .reduce((x, a) => appliquer(x, a.avant!), c);
}

/**
 * Each version of the convention: the text as signed (0), then after each signed avenant (n), read off
 * the stored convention by undoing the later ones.
 */
export function versions<C extends ConventionSaisie>(
  c: C,
  avenants: readonly Avenant[],
): Array<{ numero: number; convention: C }> {
  const signes = avenants.filter((a) => a.statut === 'signe' && a.avant).sort((a, b) => b.numero - a.numero);
  const out: Array<{ numero: number; convention: C }> = [];
  let x = c;
  for (const a of signes) {
    out.unshift({ numero: a.numero, convention: x });
    x = appliquer(x, a.avant!);
  }
  out.unshift({ numero: 0, convention: x });
  return out;
}

/** The next avenant's number, and no new one while one is being signed. */
export function numeroSuivant(avenants: readonly Pick<Avenant, 'numero' | 'statut'>[]): number {
  const enCours = avenants.find((a) => a.statut !== 'signe');
  if (enCours)
    throw new ConflictError(
      'AVENANT_EN_COURS',
      `L’avenant n° ${enCours.numero} n’est pas encore signé : signez-le d’abord.`,
      {
        numero: enCours.numero,
      },
    );
  return avenants.reduce((n, a) => Math.max(n, a.numero), 0) + 1;
}

/** A field's value for a reader: euros, French dates, one schedule line per year. */
export function valeurLisible(champ: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (champ === 'echeancier' && Array.isArray(v))
    return (v as ConventionSaisie['echeancier'])
      .map(
        (l) =>
          `${l.annee} : AE ${l.aeCentimes === null ? '—' : formatEuros(l.aeCentimes)}, CP ${l.cpCentimes === null ? '—' : formatEuros(l.cpCentimes)}`,
      )
      .join(' ; ');
  if (champ === 'tranches' && Array.isArray(v))
    return (v as ConventionSaisie['tranches'])
      .map((t, i) => `tranche ${i + 1} : ${t.partPct} %${t.condition ? ` (${t.condition})` : ''}`)
      .join(' ; ');
  if (champ.endsWith('Centimes') && typeof v === 'number') return formatEuros(v);
  if (champ.startsWith('date') && typeof v === 'string') return formatDate(v);
  if (champ === 'dureeMois' || champ === 'preavisMois') return `${String(v)} mois`;
  if (champ === 'obligations' && Array.isArray(v))
    return (v as ConventionSaisie['obligations']).map((o) => o.texte).join(' ; ');
  if (typeof v === 'object')
    return (
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== null && !(typeof x === 'object' && Object.keys(x as object).length === 0))
        .map(([k, x]) => `${k} : ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
        .join(' ; ') || '—'
    );
  return String(v);
}

/** Side by side, the fields that differ between two versions, with their French labels. */
export function comparer(
  a: ConventionSaisie,
  b: ConventionSaisie,
): Array<{ champ: string; libelle: string; avant: string; apres: string }> {
  return CHAMPS_AVENANT.flatMap((k) => {
    const avant = valeurLisible(k, a[k]);
    const apres = valeurLisible(k, b[k]);
    return JSON.stringify(a[k]) === JSON.stringify(b[k])
      ? []
      : [{ champ: k, libelle: LIBELLES_CHAMPS[k] ?? k, avant, apres }];
  });
}
