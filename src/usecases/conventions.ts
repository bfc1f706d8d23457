import { randomUUID } from 'node:crypto';
import { controler, differences, type Convention, type ConventionSaisie, type FiltreConventions, type PageConventions, type Statut } from '../domain/convention.js';
import { peutCreerConvention, peutLireConvention, peutModifierConvention, perimetre, type Acteur } from '../domain/acces.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { today } from '../domain/dates.js';
import type { Horloge } from '../domain/horloge.js';
import type { Transaction } from 'kysely';
import type { Db } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import { findConvention, hasAnyConvention, insertConvention, listConventions, updateConvention, updateStatut } from '../storage/conventions.js';
import type { LigneJournal } from '../domain/journal.js';
import { appendJournal, listJournal } from '../storage/journal.js';
import { synchroniserOuvertures } from './credits.js';

export interface Contexte {
  db: Db;
  /** the clock port: use cases never read the system clock */
  now: Horloge;
}

export async function listerConventions(ctx: Contexte, acteur: Acteur, filtre: FiltreConventions): Promise<PageConventions> {
  return listConventions(ctx.db, filtre, perimetre(acteur), today(ctx.now()));
}

/** No convention recorded yet: a new database, that the demo may fill. */
export async function aucuneConvention(ctx: Contexte): Promise<boolean> {
  return !(await hasAnyConvention(ctx.db));
}

/** Reads a convention the actor may see; an invisible one is reported as missing, not as forbidden. */
export async function lireConvention(ctx: Contexte, acteur: Acteur, id: string): Promise<Convention> {
  const c = await findConvention(ctx.db, id);
  if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
  return c;
}

export async function lireJournal(ctx: Contexte, acteur: Acteur, id: string): Promise<LigneJournal[]> {
  await lireConvention(ctx, acteur, id);
  return listJournal(ctx.db, id);
}

export interface Origine {
  /** journal comment, e.g. the imported document it came from */
  commentaire?: string;
  action?: string;
  /** more writes that must land with the convention (the imported document that produced it) */
  avec?: (trx: Transaction<Database>, id: string) => Promise<void>;
}

export async function creerConvention(ctx: Contexte, acteur: Acteur, saisie: ConventionSaisie, origine: Origine = {}): Promise<{ convention: Convention; avertissements: string[] }> {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  const { erreurs, avertissements } = controler(saisie);
  if (erreurs.length) throw new ValidationError(erreurs);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertConvention(trx, id, saisie);
    await appendJournal(trx, acteur, {
      conventionId: id,
      objetType: 'convention',
      objetId: id,
      action: origine.action ?? 'creation',
      changements: differences(emptyLike(saisie), saisie).filter((ch) => ch.apres !== null && !(Array.isArray(ch.apres) && ch.apres.length === 0)),
      commentaire: origine.commentaire ?? null,
    });
    await synchroniserOuvertures(trx, acteur, id);
    if (origine.avec) await origine.avec(trx, id);
  });
  const convention = (await findConvention(ctx.db, id))!;
  return { convention, avertissements };
}

function emptyLike(s: ConventionSaisie): ConventionSaisie {
  const blank = Object.fromEntries(Object.keys(s).map((k) => [k, null]));
  return blank as unknown as ConventionSaisie;
}

/**
 * Saves a new version. `version` is the one the person edited: if someone saved in between, the save is
 * refused rather than silently overwriting their change.
 */
export async function modifierConvention(ctx: Contexte, acteur: Acteur, id: string, saisie: ConventionSaisie, version: number): Promise<{ convention: Convention; avertissements: string[] }> {
  const { erreurs, avertissements } = controler(saisie);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await findConvention(trx, id, { forUpdate: true });
    if (!avant || !peutLireConvention(acteur, avant)) throw new NotFoundError('Convention', id);
    if (!peutModifierConvention(acteur, avant)) throw new ForbiddenError();
    if (erreurs.length) throw new ValidationError(erreurs);
    if (avant.version !== version) {
      throw new ConflictError('VERSION_OBSOLETE', 'La convention a été modifiée entre-temps par quelqu’un d’autre. Rechargez la page pour voir sa version actuelle.', {
        version_attendue: version,
        version_actuelle: avant.version,
      });
    }
    const changements = differences(avant, saisie);
    if (changements.length === 0) return;
    const ok = await updateConvention(trx, id, saisie, version);
    if (!ok) throw new ConflictError('VERSION_OBSOLETE', 'La convention a été modifiée entre-temps.', { version_attendue: version });
    await appendJournal(trx, acteur, { conventionId: id, objetType: 'convention', objetId: id, action: 'modification', changements });
    await synchroniserOuvertures(trx, acteur, id);
  });
  const convention = (await findConvention(ctx.db, id))!;
  return { convention, avertissements };
}

/** Changes only the life-cycle state (suspension, resiliation, acceptance), with its journal line and ground. */
export async function changerStatut(ctx: Contexte, acteur: Acteur, id: string, statut: Statut, motif: string | null): Promise<Convention> {
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await findConvention(trx, id, { forUpdate: true });
    if (!avant || !peutLireConvention(acteur, avant)) throw new NotFoundError('Convention', id);
    if (!peutModifierConvention(acteur, avant)) throw new ForbiddenError();
    if (avant.statut === statut) return;
    await updateStatut(trx, id, statut);
    await appendJournal(trx, acteur, {
      conventionId: id,
      objetType: 'convention',
      objetId: id,
      action: 'statut',
      changements: [{ champ: 'statut', avant: avant.statut, apres: statut }],
      commentaire: motif,
    });
    await synchroniserOuvertures(trx, acteur, id);
  });
  return (await findConvention(ctx.db, id))!;
}
