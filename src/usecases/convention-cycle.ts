import { createHash, randomUUID } from 'node:crypto';
import { peutDeroger, peutLireConvention, peutLireCredits, type Acteur } from '../domain/acces.js';
import { finEffective, type Convention, type PartieCle } from '../domain/convention.js';
import {
  peutConduireCycle,
  peutResilier,
  peutSigner,
  preparerResiliation,
  transiter,
  transitionsPossibles,
  verifierRetrait,
  verifierSignature,
  type Signature,
  type Transition,
} from '../domain/convention-cycle.js';
import { today, type DateIso } from '../domain/dates.js';
import { verifierPiece, type GenrePiece } from '../domain/piece.js';
import { verifierCloture } from '../domain/rapport.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Changement } from '../domain/journal.js';
import * as stockage from '../storage/convention.js';
import {
  insererPiece,
  insererResiliation,
  insererSignature,
  lirePiece as lirePieceStockee,
  listerResiliations,
  listerSignatures,
  modifierEtat,
  modifierResiliationRetrait,
  type Piece,
  type ResiliationStockee,
} from '../storage/convention-cycle.js';
import type { Trx } from '../storage/database.js';
import { listerTousEngagements } from '../storage/engagement.js';
import { verrouillerRapportFin } from '../storage/rapport.js';
import { ecrireAvecJournal, type Ecriture } from '../storage/journal.js';
import { motifRequis, type Contexte } from './contexte.js';
import { synchroniserOuvertures } from './credit.js';

/** A file sent with an action: a signed PDF, a notice letter, a committee's minutes, an obligation's evidence. */
export interface PieceJointe {
  nom: string;
  mediaType: string;
  contenu: Uint8Array;
}

/** The file checked (type from its name and first bytes, size), with its id and hash, ready to keep. */
export function preparerPiece(p: PieceJointe, genre: GenrePiece = 'signe', champ = 'document') {
  const mediaType = verifierPiece(p.nom, p.contenu, genre, champ);
  return {
    id: randomUUID(),
    nom: p.nom.slice(0, 300),
    mediaType,
    contenu: p.contenu,
    sha256: createHash('sha256').update(p.contenu).digest('hex'),
  };
}

/** Keeps a prepared piece, noted in the write's journal line. */
export async function deposerPiece(e: Ecriture, conventionId: string, piece: ReturnType<typeof preparerPiece>) {
  await insererPiece(e, conventionId, piece);
  e.noter({ champ: 'document', avant: null, apres: `${piece.nom} (sha256 ${piece.sha256})` });
  return piece.id;
}

/** Keeps the file sent with an action, noted in its journal line; its id, or null without one. */
export async function joindre(
  e: Ecriture,
  conventionId: string,
  p: PieceJointe | null | undefined,
  genre: GenrePiece = 'signe',
): Promise<string | null> {
  return p ? deposerPiece(e, conventionId, preparerPiece(p, genre)) : null;
}

/**
 * Runs one action of the state machine: the convention locked (two users acting at once act one after
 * the other, and the second sees the first's result), the actor's rights, the transition from the state of
 * the day, the writes and their journal line in one transaction.
 */
async function agir(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  choix: Transition | ((trx: Trx, c: Convention, jour: DateIso) => Promise<Transition>),
  droit: (c: Convention) => boolean,
  ecrire: (e: Ecriture, c: Convention, vers: Convention['statut'], jour: DateIso) => Promise<void>,
  commentaire: string | null = null,
): Promise<Convention> {
  const jour = today(ctx.now());
  await ctx.db.transaction().execute(async (trx: Trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!droit(c)) throw new ForbiddenError();
    const transition = typeof choix === 'string' ? choix : await choix(trx, c, jour);
    const vers = transiter(c, transition, jour);
    const sujet = {
      conventionId: id,
      objetType: 'convention',
      objetId: id,
      // the year-end closing is « cloture » in the journal already
      action: transition === 'cloture' ? 'cloture_convention' : transition,
      changements: vers === c.statut ? [] : [{ champ: 'statut', avant: c.statut, apres: vers } satisfies Changement],
      commentaire,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => ecrire(e, c, vers, jour));
  });
  const c = await stockage.lireConvention(ctx.db, id);
  if (!c) throw new NotFoundError('Convention', id);
  return c;
}

/** The state alone changes; the credits follow (a suspension or a closing opens nothing, a resumption reopens). */
const changerEtat = async (e: Ecriture, c: Convention, vers: Convention['statut']) => {
  await modifierEtat(e, c.id, { statut: vers, finEffective: finEffective(c) });
  await synchroniserOuvertures(e, c.id);
};

export async function envoyerEnSignature(ctx: Contexte, acteur: Acteur, id: string): Promise<Convention> {
  return agir(ctx, acteur, id, 'envoi_signature', () => peutConduireCycle(acteur), changerEtat);
}

export async function remettreEnBrouillon(ctx: Contexte, acteur: Acteur, id: string): Promise<Convention> {
  return agir(ctx, acteur, id, 'retour_brouillon', () => peutConduireCycle(acteur), changerEtat);
}

export interface DemandeSignature {
  partie: PartieCle;
  date: DateIso;
  signataire?: string | null;
  document?: PieceJointe | null;
}

/**
 * One party's signature, in the circuit's order. The last one sets the date of signature, from which the
 * convention is in force and its credits open. A second signature of the same party is refused.
 */
export async function signerConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  d: DemandeSignature,
): Promise<Convention> {
  return agir(
    ctx,
    acteur,
    id,
    // read under the lock: of two users signing at once, the second sees the first's signature
    async (trx, c, jour) => {
      const faites = await listerSignatures(trx, id);
      return verifierSignature(c, faites, d.partie, d.date, jour).derniere ? 'signature_dinum' : 'signature_partenaire';
    },
    (c) => peutSigner(acteur, c, d.partie),
    async (e, c, vers) => {
      const derniere = vers === 'en_vigueur';
      const pieceId = await joindre(e, id, d.document);
      await insererSignature(e, id, 0, { partie: d.partie, date: d.date, signataire: d.signataire ?? null, pieceId });
      e.noter({ champ: `signature.${d.partie}`, avant: null, apres: d.date });
      const dateSignature = derniere ? d.date : undefined;
      if (derniere) e.noter({ champ: 'dateSignature', avant: c.dateSignature, apres: d.date });
      await modifierEtat(e, id, {
        statut: vers,
        dateSignature,
        finEffective: finEffective({ ...c, dateSignature: dateSignature ?? c.dateSignature }),
      });
      if (derniere) await synchroniserOuvertures(e, id);
    },
  );
}

/** Suspends the convention (the conventions require it when credits are insufficient): an administrator, with the ground. */
export async function suspendreConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  motif: string,
): Promise<Convention> {
  if (!peutDeroger(acteur)) throw new ForbiddenError('Seul un administrateur peut suspendre une convention.');
  return agir(ctx, acteur, id, 'suspension', () => true, changerEtat, motifRequis(motif));
}

/** Puts a suspended convention back in force: an administrator, with the ground. */
export async function reprendreConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  motif: string,
): Promise<Convention> {
  if (!peutDeroger(acteur)) throw new ForbiddenError('Seul un administrateur peut remettre une convention en vigueur.');
  return agir(ctx, acteur, id, 'reprise', () => true, changerEtat, motifRequis(motif));
}

export interface DemandeResiliation {
  partie: PartieCle;
  dateNotification: DateIso;
  motif: string;
  lettre?: PieceJointe | null;
}

/**
 * Either party gives notice: the convention ends at the notification plus its notice (three months by
 * default), or at its term if sooner. Orders stay possible until then; certified work and payments of
 * existing orders after.
 */
export async function resilierConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  d: DemandeResiliation,
): Promise<Convention> {
  return agir(
    ctx,
    acteur,
    id,
    'resiliation',
    (c) => peutResilier(acteur, c, d.partie),
    async (e, c, vers, jour) => {
      const r = preparerResiliation(c, d, jour);
      const pieceId = await joindre(e, id, d.lettre);
      await insererResiliation(e, id, { ...r, id: randomUUID(), pieceId });
      e.noter(
        { champ: 'resiliation.partie', avant: null, apres: r.partie },
        { champ: 'resiliation.dateNotification', avant: null, apres: r.dateNotification },
        { champ: 'resiliation.dateEffet', avant: null, apres: r.dateEffet },
      );
      e.commenter(r.motif);
      await modifierEtat(e, id, {
        statut: vers,
        resiliationEffet: r.dateEffet,
        finEffective: finEffective({ ...c, resiliationEffet: r.dateEffet }),
      });
    },
  );
}

/** Both parties agreed to withdraw the notice, before its effect: the convention runs to its term again. */
export async function retirerResiliation(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  d: { dateAccord: DateIso; motif: string },
): Promise<Convention> {
  return agir(
    ctx,
    acteur,
    id,
    'retrait_resiliation',
    () => peutConduireCycle(acteur),
    async (e, c, vers, jour) => {
      const r = (await listerResiliations(e.trx, id)).find((x) => x.retrait === null);
      if (!r) throw new ConflictError('TRANSITION_INTERDITE', 'Aucune résiliation en cours.');
      verifierRetrait(r, d.dateAccord, jour);
      const motif = motifRequis(d.motif);
      await modifierResiliationRetrait(e, r.id, { dateAccord: d.dateAccord, motif });
      e.noter({ champ: 'resiliation.dateEffet', avant: r.dateEffet, apres: null });
      e.commenter(`Accord des deux parties du ${d.dateAccord} : ${motif}`);
      await modifierEtat(e, id, {
        statut: vers,
        resiliationEffet: null,
        finEffective: finEffective({ ...c, resiliationEffet: null }),
      });
    },
  );
}

/** Closes a convention that has ended (term or termination): the last step of its life. */
export async function cloturerConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  motif: string,
): Promise<Convention> {
  return agir(
    ctx,
    acteur,
    id,
    // the state first (an unended convention is refused as such), then what the closing owes: its last
    // orders paid or closed and its report sent, read under the lock
    async (trx, c, jour) => {
      transiter(c, 'cloture', jour);
      verifierCloture(await verrouillerRapportFin(trx, id), await listerTousEngagements(trx, id));
      return 'cloture';
    },
    () => peutConduireCycle(acteur),
    changerEtat,
    motifRequis(motif),
  );
}

export interface Cycle {
  signatures: Signature[];
  resiliations: ResiliationStockee[];
  /** the actions the state of the day allows (the page shows those the actor may take) */
  possibles: Transition[];
}

/** The signatures, notices and next possible actions of a convention, for whoever may read its credits. */
export async function lireCycle(ctx: Contexte, acteur: Acteur, c: Convention): Promise<Cycle> {
  if (!peutLireCredits(acteur, c)) return { signatures: [], resiliations: [], possibles: [] };
  const [signatures, resiliations] = await Promise.all([
    listerSignatures(ctx.db, c.id),
    listerResiliations(ctx.db, c.id),
  ]);
  return { signatures, resiliations, possibles: transitionsPossibles(c, today(ctx.now())) };
}

/** A signed piece of a convention, for whoever may read its credits. */
export async function lirePiece(ctx: Contexte, acteur: Acteur, id: string, pieceId: string): Promise<Piece> {
  const c = await stockage.lireConvention(ctx.db, id);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
  const p = await lirePieceStockee(ctx.db, id, pieceId);
  if (!p) throw new NotFoundError('Document', pieceId);
  return p;
}
