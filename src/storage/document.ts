import type { ContenuDocument, DocumentImporte as Document } from '../domain/document.js';
import type { Extraction } from '../importer/extract.js';
import { estUuid, type Executor } from './database.js';
import type { Ecriture } from './journal.js';

type DocumentImporte = Document<Extraction>;

export interface NouveauDocument {
  id: string;
  nom: string;
  mediaType: string;
  taille: number;
  sha256: string;
  contenu: Uint8Array;
  texte: string;
  extraction: Extraction;
  conventionId: string | null;
}

/** Keeps a document, imported by the write's author at its instant. */
export async function insererDocument(e: Ecriture, d: NouveauDocument): Promise<void> {
  await e.trx
    .insertInto('document')
    .values({
      id: d.id,
      nom: d.nom,
      media_type: d.mediaType,
      taille: d.taille,
      sha256: d.sha256,
      contenu: Buffer.from(d.contenu),
      texte: d.texte,
      extraction: JSON.stringify(d.extraction),
      convention_id: d.conventionId,
      importe_par: e.acteur.nom,
      importe_le: e.le,
    })
    .execute();
}

/** Attaches a document awaiting review to the convention it gave. */
export async function modifierConventionDocument(e: Ecriture, id: string, conventionId: string): Promise<void> {
  await e.trx.updateTable('document').set({ convention_id: conventionId }).where('id', '=', id).execute();
}

const COLONNES = [
  'id',
  'nom',
  'media_type',
  'taille',
  'sha256',
  'texte',
  'extraction',
  'convention_id',
  'importe_par',
  'importe_le',
] as const;

function versDocument(r: {
  id: string;
  nom: string;
  media_type: string;
  taille: number;
  sha256: string;
  texte: string;
  extraction: Extraction;
  convention_id: string | null;
  importe_par: string;
  importe_le: Date;
}): DocumentImporte {
  return {
    id: r.id,
    nom: r.nom,
    mediaType: r.media_type,
    taille: r.taille,
    sha256: r.sha256,
    texte: r.texte,
    extraction: r.extraction,
    conventionId: r.convention_id,
    importePar: r.importe_par,
    importeLe: r.importe_le.toISOString(),
  };
}

export async function lireDocument(ex: Executor, id: string): Promise<DocumentImporte | null> {
  if (!estUuid(id)) return null;
  const r = await ex.selectFrom('document').select(COLONNES).where('id', '=', id).executeTakeFirst();
  return r ? versDocument(r) : null;
}

/** The first document kept with these bytes, if any. */
export async function lireDocumentParEmpreinte(
  ex: Executor,
  sha256: string,
): Promise<{ id: string; conventionId: string | null } | null> {
  const r = await ex
    .selectFrom('document')
    .select(['id', 'convention_id'])
    .where('sha256', '=', sha256)
    .orderBy('importe_le')
    .executeTakeFirst();
  return r ? { id: r.id, conventionId: r.convention_id } : null;
}

/** The original file, for download. */
export async function lireContenuDocument(ex: Executor, id: string): Promise<ContenuDocument | null> {
  if (!estUuid(id)) return null;
  const r = await ex
    .selectFrom('document')
    .select(['nom', 'media_type', 'contenu'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { nom: r.nom, mediaType: r.media_type, contenu: new Uint8Array(r.contenu) } : null;
}

/** Documents awaiting review: not yet attached to a convention, or attached to one still "à vérifier". */
export async function listerDocumentsAVerifier(ex: Executor, limite = 100): Promise<DocumentImporte[]> {
  const rows = await ex
    .selectFrom('document')
    .leftJoin('convention', 'convention.id', 'document.convention_id')
    .select(COLONNES.map((c) => `document.${c}` as const))
    .where((eb) => eb.or([eb('document.convention_id', 'is', null), eb('convention.statut', '=', 'a_verifier')]))
    .orderBy('document.importe_le', 'desc')
    .limit(limite)
    .execute();
  return rows.map(versDocument);
}
