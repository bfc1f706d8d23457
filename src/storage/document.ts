import { sql } from 'kysely';
import type { ContenuDocument, ConventionSemblable, DocumentImporte as Document } from '../domain/document.js';
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
  'ecarte_le',
  'ecarte_par',
  'motif_ecart',
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
  ecarte_le: Date | null;
  ecarte_par: string | null;
  motif_ecart: string | null;
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
    ecart:
      r.ecarte_le && r.ecarte_par ? { le: r.ecarte_le.toISOString(), par: r.ecarte_par, motif: r.motif_ecart } : null,
  };
}

export async function lireDocument(ex: Executor, id: string): Promise<DocumentImporte | null> {
  if (!estUuid(id)) return null;
  const r = await ex.selectFrom('document').select(COLONNES).where('id', '=', id).executeTakeFirst();
  return r ? versDocument(r) : null;
}

/** The first document kept with these bytes and not discarded, if any. */
export async function lireDocumentParEmpreinte(
  ex: Executor,
  sha256: string,
): Promise<{ id: string; conventionId: string | null } | null> {
  const r = await ex
    .selectFrom('document')
    .select(['id', 'convention_id'])
    .where('sha256', '=', sha256)
    .where('ecarte_le', 'is', null)
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

/** Documents awaiting review (not discarded): not yet attached to a convention, or attached to one still "à vérifier". */
export async function listerDocumentsAVerifier(ex: Executor, limite = 100): Promise<DocumentImporte[]> {
  const rows = await ex
    .selectFrom('document')
    .leftJoin('convention', 'convention.id', 'document.convention_id')
    .select(COLONNES.map((c) => `document.${c}` as const))
    .where((eb) => eb.or([eb('document.convention_id', 'is', null), eb('convention.statut', '=', 'a_verifier')]))
    .where('document.ecarte_le', 'is', null)
    .orderBy('document.importe_le', 'desc')
    .limit(limite)
    .execute();
  return rows.map(versDocument);
}

/**
 * Discards a pending import: the document is marked, and the convention it gave, still « à vérifier »
 * (never signed in the application, without credits), is removed with it.
 */
export async function ecarterDocument(e: Ecriture, id: string, motif: string | null): Promise<void> {
  const d = await e.trx
    .updateTable('document')
    .set({ ecarte_le: e.le, ecarte_par: e.acteur.nom, motif_ecart: motif })
    .where('id', '=', id)
    .where('ecarte_le', 'is', null)
    .returning('convention_id')
    .executeTakeFirst();
  if (d?.convention_id)
    await e.trx.deleteFrom('convention').where('id', '=', d.convention_id).where('statut', '=', 'a_verifier').execute();
}

/**
 * Stored conventions an import may repeat: the same reference (without case or spaces), or signed the same
 * day. The domain decides which are the same convention.
 */
export async function listerConventionsSemblables(
  ex: Executor,
  lue: { reference: string | null; dateSignature: string | null },
  sauf: string | null,
): Promise<ConventionSemblable[]> {
  const reference = lue.reference?.replace(/\s+/g, '').toLowerCase() || null;
  if (!reference && !lue.dateSignature) return [];
  const rows = await ex
    .selectFrom('convention')
    .select(['id', 'reference', 'statut', 'delegant_nom', 'delegataire_nom', 'date_signature', 'uo'])
    .where((eb) =>
      eb.or([
        ...(reference ? [eb(sql<string>`lower(regexp_replace(reference, '\\s', '', 'g'))`, '=', reference)] : []),
        ...(lue.dateSignature ? [eb('date_signature', '=', lue.dateSignature)] : []),
      ]),
    )
    .$if(sauf !== null, (q) => q.where('id', '!=', sauf!))
    .orderBy('id')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    statut: r.statut,
    delegant: r.delegant_nom,
    delegataire: r.delegataire_nom,
    dateSignature: r.date_signature,
    uo: r.uo,
  }));
}
