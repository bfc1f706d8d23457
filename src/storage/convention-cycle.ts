import { sql } from 'kysely';
import type { PartieCle, Statut } from '../domain/convention.js';
import type { Resiliation, Signature } from '../domain/convention-cycle.js';
import type { DateIso } from '../domain/dates.js';
import { ConflictError } from '../domain/errors.js';
import { estUuid, type Executor } from './database.js';
import type { Ecriture } from './journal.js';

/** The life of a convention in storage: its state, the parties' signatures, notices given, signed pieces. */

export interface NouvellePiece {
  id: string;
  nom: string;
  mediaType: string;
  contenu: Uint8Array;
  sha256: string;
}

export interface Piece {
  id: string;
  nom: string;
  mediaType: string;
  taille: number;
  contenu: Uint8Array;
}

/** Keeps a signed piece with its convention, deposited by the write's author at its instant. */
export async function insererPiece(e: Ecriture, conventionId: string, p: NouvellePiece): Promise<void> {
  await e.trx
    .insertInto('piece')
    .values({
      id: p.id,
      convention_id: conventionId,
      nom: p.nom,
      media_type: p.mediaType,
      taille: p.contenu.byteLength,
      sha256: p.sha256,
      contenu: Buffer.from(p.contenu),
      depose_par: e.acteur.nom,
      depose_le: e.le,
    })
    .execute();
}

export async function lirePiece(ex: Executor, conventionId: string, id: string): Promise<Piece | null> {
  if (!estUuid(id)) return null;
  const r = await ex
    .selectFrom('piece')
    .select(['id', 'nom', 'media_type', 'taille', 'contenu'])
    .where('id', '=', id)
    .where('convention_id', '=', conventionId)
    .executeTakeFirst();
  return r
    ? { id: r.id, nom: r.nom, mediaType: r.media_type, taille: r.taille, contenu: new Uint8Array(r.contenu) }
    : null;
}

/**
 * The new state and what comes with it. The use case computes the dates in the domain; `finEffective`
 * is stored for the lists (register, alerts, portfolio) that filter and sort on it.
 */
export async function modifierEtat(
  e: Ecriture,
  id: string,
  etat: {
    statut: Statut;
    dateSignature?: DateIso | null;
    resiliationEffet?: DateIso | null;
    finEffective: DateIso | null;
  },
): Promise<void> {
  await e.trx
    .updateTable('convention')
    .set({
      statut: etat.statut,
      ...(etat.dateSignature !== undefined ? { date_signature: etat.dateSignature } : {}),
      ...(etat.resiliationEffet !== undefined ? { resiliation_effet: etat.resiliationEffet } : {}),
      fin_effective: etat.finEffective,
      version: sql`version + 1`,
      modifie_le: e.le,
    })
    .where('id', '=', id)
    .execute();
}

/** The signatures of a convention (avenant 0) or of one of its avenants, first one first. */
export async function listerSignatures(ex: Executor, conventionId: string, avenant = 0): Promise<Signature[]> {
  const rows = await ex
    .selectFrom('signature')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .where('avenant_numero', '=', avenant)
    .orderBy('le')
    .execute();
  return rows.map((r) => ({
    partie: r.partie,
    date: r.date_signature,
    signataire: r.signataire,
    acteurNom: r.acteur_nom,
    le: r.le.toISOString(),
    pieceId: r.piece_id,
  }));
}

/** One party's signature; the key (convention, avenant, party) makes a second one a refusal, not a row. */
export async function insererSignature(
  e: Ecriture,
  conventionId: string,
  avenant: number,
  s: { partie: PartieCle; date: DateIso; signataire: string | null; pieceId: string | null },
): Promise<void> {
  try {
    await e.trx
      .insertInto('signature')
      .values({
        convention_id: conventionId,
        avenant_numero: avenant,
        partie: s.partie,
        date_signature: s.date,
        signataire: s.signataire,
        piece_id: s.pieceId,
        acteur_id: e.acteur.id,
        acteur_nom: e.acteur.nom,
        le: e.le,
      })
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new ConflictError('DEJA_SIGNEE', 'Cette partie a déjà signé.', { partie: s.partie });
    throw err;
  }
}

export interface ResiliationStockee extends Resiliation {
  id: string;
  retrait: { dateAccord: DateIso; motif: string; par: string; le: string } | null;
}

export async function insererResiliation(
  e: Ecriture,
  conventionId: string,
  r: Omit<Resiliation, 'acteurNom' | 'le'> & { id: string },
): Promise<void> {
  await e.trx
    .insertInto('resiliation')
    .values({
      id: r.id,
      convention_id: conventionId,
      partie: r.partie,
      date_notification: r.dateNotification,
      preavis_mois: r.preavisMois,
      date_effet: r.dateEffet,
      motif: r.motif,
      piece_id: r.pieceId,
      acteur_nom: e.acteur.nom,
      le: e.le,
    })
    .execute();
}

/** Records the withdrawal of the notice under way, agreed by both parties. */
export async function modifierResiliationRetrait(
  e: Ecriture,
  id: string,
  retrait: { dateAccord: DateIso; motif: string },
): Promise<void> {
  await e.trx
    .updateTable('resiliation')
    .set({
      retrait_date_accord: retrait.dateAccord,
      retrait_motif: retrait.motif,
      retrait_par: e.acteur.nom,
      retrait_le: e.le,
    })
    .where('id', '=', id)
    .where('retrait_le', 'is', null)
    .execute();
}

/** The notices of a convention, the latest first; at most one is not withdrawn. */
export async function listerResiliations(ex: Executor, conventionId: string): Promise<ResiliationStockee[]> {
  const rows = await ex
    .selectFrom('resiliation')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .orderBy('le', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    partie: r.partie,
    dateNotification: r.date_notification,
    preavisMois: r.preavis_mois,
    dateEffet: r.date_effet,
    motif: r.motif,
    pieceId: r.piece_id,
    acteurNom: r.acteur_nom,
    le: r.le.toISOString(),
    retrait:
      r.retrait_le && r.retrait_date_accord
        ? {
            dateAccord: r.retrait_date_accord,
            motif: r.retrait_motif ?? '',
            par: r.retrait_par ?? '',
            le: r.retrait_le.toISOString(),
          }
        : null,
  }));
}
