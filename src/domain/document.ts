import type { ConventionSaisie, Statut } from './convention.js';
import type { DateIso } from './dates.js';

/**
 * A signed document kept with the convention it gave (or awaiting review, without one). `E` is what the
 * importer read off it: the domain keeps it without looking inside.
 */
export interface DocumentImporte<E> {
  id: string;
  nom: string;
  mediaType: string;
  taille: number;
  sha256: string;
  texte: string;
  extraction: E;
  conventionId: string | null;
  importePar: string;
  importeLe: string;
  /** set when a person discarded the pending import: it leaves the list to review */
  ecart: { le: string; par: string; motif: string | null } | null;
}

/** The original file, for download. */
export interface ContenuDocument {
  nom: string;
  mediaType: string;
  contenu: Uint8Array;
}

/** A stored convention an import may repeat, as storage finds it (same reference, or signed the same day). */
export interface ConventionSemblable {
  id: string;
  reference: string | null;
  statut: Statut;
  delegant: string;
  delegataire: string;
  dateSignature: DateIso | null;
  uo: string | null;
}

/** Why an import seems to repeat a stored convention. */
export type RaisonDoublon = 'reference' | 'parties';

export const LIBELLES_RAISON_DOUBLON: Record<RaisonDoublon, string> = {
  reference: 'même référence',
  parties: 'mêmes parties, même date de signature et même UO',
};

export interface Doublon extends ConventionSemblable {
  raison: RaisonDoublon;
}

// "Le Ministère de la Justice" and "ministere de la justice," are one party; so are "DINUM" and "Dinum"
function cle(s: string | null): string {
  return (s ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/^(?:l|le|la|les) /, '')
    .trim();
}

/**
 * Whether a convention read off a document is one already stored: the same reference, or the same two
 * parties in the same roles, signed the same day, on the same UO. Names are compared without case,
 * accents, punctuation or a leading article, as texts and people write them differently.
 */
export function raisonDoublon(
  lue: Pick<ConventionSaisie, 'reference' | 'delegant' | 'delegataire' | 'dateSignature' | 'uo'>,
  stockee: ConventionSemblable,
): RaisonDoublon | null {
  if (cle(lue.reference) && cle(lue.reference) === cle(stockee.reference)) return 'reference';
  const memes = (a: string | null, b: string | null) => cle(a) !== '' && cle(a) === cle(b);
  if (
    lue.dateSignature !== null &&
    lue.dateSignature === stockee.dateSignature &&
    memes(lue.uo, stockee.uo) &&
    memes(lue.delegant.nom, stockee.delegant) &&
    memes(lue.delegataire.nom, stockee.delegataire)
  )
    return 'parties';
  return null;
}

export function doublons(
  lue: Pick<ConventionSaisie, 'reference' | 'delegant' | 'delegataire' | 'dateSignature' | 'uo'>,
  semblables: readonly ConventionSemblable[],
): Doublon[] {
  return semblables.flatMap((s) => {
    const raison = raisonDoublon(lue, s);
    return raison ? [{ ...s, raison }] : [];
  });
}
