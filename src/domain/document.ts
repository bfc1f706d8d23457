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
}

/** The original file, for download. */
export interface ContenuDocument {
  nom: string;
  mediaType: string;
  contenu: Uint8Array;
}
