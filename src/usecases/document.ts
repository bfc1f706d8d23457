import { randomUUID } from 'node:crypto';
import type { Acteur } from '../domain/acces.js';
import { peutCreerConvention } from '../domain/acces.js';
import type { Convention, ConventionSaisie, Statut } from '../domain/convention.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Analyse } from '../importer/analyse.js';
import { versSaisie } from '../importer/saisie.js';
import {
  doublons,
  LIBELLES_RAISON_DOUBLON,
  type Doublon,
  type DocumentImporte as Document,
} from '../domain/document.js';
import type { Extraction } from '../importer/extract.js';
import {
  ecarterDocument as ecarterDocumentStocke,
  insererDocument,
  lireContenuDocument,
  lireDocument as lireDocumentStocke,
  lireDocumentParEmpreinte,
  listerConventionsSemblables,
  listerDocumentsAVerifier,
  modifierConventionDocument,
  type NouveauDocument,
} from '../storage/document.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { creerConvention, journaliserConvention, lireConvention, modifierConvention } from './convention.js';
import type { ContenuDocument } from '../domain/document.js';

export type AnalyseLue = Extract<Analyse, { ok: true }>;

/** A kept document with what the importer read off it. */
export type DocumentImporte = Document<Extraction>;

function origine(nom: string, sha256: string): string {
  return `Importée depuis ${nom} (sha256 ${sha256})`;
}

function nouveau(a: AnalyseLue, conventionId: string | null): NouveauDocument {
  return {
    id: randomUUID(),
    nom: a.document.nom,
    mediaType: a.document.mediaType,
    taille: a.document.taille,
    sha256: a.document.sha256,
    contenu: a.contenu,
    texte: a.texte,
    extraction: a.extraction,
    conventionId,
  };
}

/** Stored conventions that the one read (or entered) seems to repeat, with why; `sauf` is its own id. */
export async function doublonsPossibles(
  ctx: Contexte,
  acteur: Acteur,
  lue: Pick<ConventionSaisie, 'reference' | 'delegant' | 'delegataire' | 'dateSignature' | 'uo'>,
  sauf: string | null = null,
): Promise<Doublon[]> {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  return doublons(lue, await listerConventionsSemblables(ctx.db, lue, sauf));
}

/** « la convention 2024-DINUM-12 (même référence) » */
export function decrireDoublon(d: Doublon): string {
  return `la convention ${d.reference ?? `entre ${d.delegant} et ${d.delegataire}`} (${LIBELLES_RAISON_DOUBLON[d.raison]})`;
}

function refusDoublon(liste: Doublon[]): ConflictError {
  return new ConflictError(
    'DOUBLON_PROBABLE',
    `Cette convention semble déjà enregistrée : ${liste.map(decrireDoublon).join(' ; ')}. Vérifiez-la, puis confirmez pour l’enregistrer quand même.`,
    { conventions: liste.map((d) => ({ id: d.id, reference: d.reference, raison: d.raison })) },
  );
}

/** Has a file with these bytes been imported already? */
export async function dejaImporte(
  ctx: Contexte,
  sha256: string,
): Promise<{ id: string; conventionId: string | null } | null> {
  return lireDocumentParEmpreinte(ctx.db, sha256);
}

/**
 * Records a read document and the convention it gives, in one transaction: `a_verifier` awaits a person's
 * review, `en_vigueur` is accepted as read. The journal says which file the convention came from.
 */
export async function importerConvention(
  ctx: Contexte,
  acteur: Acteur,
  a: AnalyseLue,
  statut: Extract<Statut, 'a_verifier' | 'en_vigueur'>,
  opts: { confirmeDoublon?: boolean } = {},
): Promise<{ convention: Convention; documentId: string; avertissements: string[]; doublons: Doublon[] }> {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  const saisie = versSaisie(a.extraction, statut);
  // accepting as read what is already stored needs a confirmation; kept for review, it only warns
  const deja = await doublonsPossibles(ctx, acteur, saisie);
  if (deja.length && statut === 'en_vigueur' && !opts.confirmeDoublon) throw refusDoublon(deja);
  let documentId = '';
  const { convention, avertissements } = await creerConvention(ctx, acteur, saisie, {
    action: 'import',
    commentaire: origine(a.document.nom, a.document.sha256),
    avec: async (e, id) => {
      const d = nouveau(a, id);
      documentId = d.id;
      await insererDocument(e, d);
    },
  });
  return {
    convention,
    documentId,
    avertissements: [...new Set([...a.extraction.warnings, ...avertissements])],
    doublons: deja,
  };
}

/** Keeps an uploaded document for review, without a convention yet. */
export async function deposerDocument(ctx: Contexte, acteur: Acteur, a: AnalyseLue): Promise<string> {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  const d = nouveau(a, null);
  const sujet = {
    conventionId: null,
    objetType: 'document',
    objetId: d.id,
    action: 'depot',
    commentaire: `${d.nom} (sha256 ${d.sha256})`,
  };
  await ctx.db
    .transaction()
    .execute((trx) => ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => insererDocument(e, d)));
  return d.id;
}

export async function lireDocument(ctx: Contexte, acteur: Acteur, id: string): Promise<DocumentImporte> {
  if (!peutCreerConvention(acteur)) throw new NotFoundError('Document', id);
  const d = await lireDocumentStocke(ctx.db, id);
  if (!d) throw new NotFoundError('Document', id);
  return d;
}

/** The original file of a document, for whoever may read the document. */
export async function lireOriginalDocument(ctx: Contexte, acteur: Acteur, id: string): Promise<ContenuDocument | null> {
  await lireDocument(ctx, acteur, id);
  return lireContenuDocument(ctx.db, id);
}

export async function documentsAVerifier(ctx: Contexte, acteur: Acteur): Promise<DocumentImporte[]> {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  return listerDocumentsAVerifier(ctx.db);
}

/**
 * A person reviewed the values read off a document and accepts them (as corrected): the convention is
 * created, or the one awaiting review is updated, in force, with a journal line naming the document.
 */
export async function accepterDocument(
  ctx: Contexte,
  acteur: Acteur,
  documentId: string,
  saisie: ConventionSaisie,
  version?: number,
  opts: { confirmeDoublon?: boolean } = {},
): Promise<{ convention: Convention; avertissements: string[] }> {
  const d = await lireDocument(ctx, acteur, documentId);
  if (d.ecart)
    throw new ConflictError('IMPORT_ECARTE', `L’import de « ${d.nom} » a été écarté : importez le fichier de nouveau.`);
  const deja = await doublonsPossibles(ctx, acteur, saisie, d.conventionId);
  if (deja.length && !opts.confirmeDoublon) throw refusDoublon(deja);
  const accepte: ConventionSaisie = { ...saisie, statut: 'en_vigueur' };
  const commentaire = `${origine(d.nom, d.sha256)}, vérifiée et acceptée`;
  if (d.conventionId) {
    const avant = await lireConvention(ctx, acteur, d.conventionId);
    const r = await modifierConvention(ctx, acteur, avant.id, accepte, version ?? avant.version, {
      transition: avant.statut === 'a_verifier' ? 'acceptation' : undefined,
    });
    await journaliserConvention(ctx, acteur, avant.id, 'import', commentaire);
    return r;
  }
  return creerConvention(ctx, acteur, accepte, {
    action: 'import',
    commentaire,
    avec: (e, id) => modifierConventionDocument(e, d.id, id),
  });
}

/**
 * Discards a pending import, with its reason, journalled: the document leaves the list to review (kept as
 * evidence), and the convention it gave, still « à vérifier », is removed. An accepted import cannot be.
 */
export async function ecarterImport(
  ctx: Contexte,
  acteur: Acteur,
  documentId: string,
  motif: string | null,
): Promise<void> {
  const d = await lireDocument(ctx, acteur, documentId);
  if (d.ecart) throw new ConflictError('IMPORT_ECARTE', `L’import de « ${d.nom} » est déjà écarté.`);
  const liee = d.conventionId ? await lireConvention(ctx, acteur, d.conventionId) : null;
  if (liee && liee.statut !== 'a_verifier')
    throw new ConflictError(
      'IMPORT_DEJA_ACCEPTE',
      `L’import de « ${d.nom} » a déjà été accepté : la convention est enregistrée, il ne peut plus être écarté.`,
    );
  // the line names no convention: the one removed would take its journal with it
  const sujet = {
    conventionId: null,
    objetType: 'document',
    objetId: d.id,
    action: 'ecart',
    commentaire: [
      `${d.nom} (sha256 ${d.sha256})`,
      liee ? `convention à vérifier ${liee.reference ?? liee.id} supprimée` : null,
      motif ? `motif : ${motif}` : null,
    ]
      .filter(Boolean)
      .join(' — '),
  };
  await ctx.db
    .transaction()
    .execute((trx) => ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => ecarterDocumentStocke(e, d.id, motif)));
}
