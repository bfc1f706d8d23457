import type { Transaction } from 'kysely';
import type { ContenuDocument, DocumentImporte as Document } from '../domain/document.js';
import type { Extraction } from '../importer/extract.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

type Executor = Db | Transaction<Database>;
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
  importePar: string;
}

export async function insertDocument(db: Executor, d: NouveauDocument): Promise<void> {
  await db
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
      importe_par: d.importePar,
    })
    .execute();
}

export async function linkDocument(db: Executor, id: string, conventionId: string): Promise<void> {
  await db.updateTable('document').set({ convention_id: conventionId }).where('id', '=', id).execute();
}

const COLONNES = ['id', 'nom', 'media_type', 'taille', 'sha256', 'texte', 'extraction', 'convention_id', 'importe_par', 'importe_le'] as const;

function versDocument(r: { id: string; nom: string; media_type: string; taille: number; sha256: string; texte: string; extraction: unknown; convention_id: string | null; importe_par: string; importe_le: Date }): DocumentImporte {
  return {
    id: r.id,
    nom: r.nom,
    mediaType: r.media_type,
    taille: Number(r.taille),
    sha256: r.sha256,
    texte: r.texte,
    extraction: r.extraction as Extraction,
    conventionId: r.convention_id,
    importePar: r.importe_par,
    importeLe: r.importe_le instanceof Date ? r.importe_le.toISOString() : String(r.importe_le),
  };
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export async function findDocument(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<DocumentImporte | null> {
  if (!isUuid(id)) return null;
  let q = db.selectFrom('document').select(COLONNES).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? versDocument(r) : null;
}

/** The original file, for download. */
export async function findContenu(db: Executor, id: string): Promise<ContenuDocument | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('document').select(['nom', 'media_type', 'contenu']).where('id', '=', id).executeTakeFirst();
  return r ? { nom: r.nom, mediaType: r.media_type, contenu: new Uint8Array(r.contenu) } : null;
}

/** Documents awaiting review: not yet attached to a convention, or attached to one still "à vérifier". */
export async function listDocumentsAVerifier(db: Executor, limit = 100): Promise<DocumentImporte[]> {
  const rows = await db
    .selectFrom('document')
    .leftJoin('convention', 'convention.id', 'document.convention_id')
    .select(COLONNES.map((c) => `document.${c}` as const))
    .where((eb) => eb.or([eb('document.convention_id', 'is', null), eb('convention.statut', '=', 'a_verifier')]))
    .orderBy('document.importe_le', 'desc')
    .limit(limit)
    .execute();
  return rows.map(versDocument);
}

export async function listDocumentsDeConvention(db: Executor, conventionId: string): Promise<DocumentImporte[]> {
  const rows = await db.selectFrom('document').select(COLONNES).where('convention_id', '=', conventionId).orderBy('importe_le', 'desc').execute();
  return rows.map(versDocument);
}
