import { peutGererCredits, peutLireConvention, type Acteur } from '../domain/acces.js';
import type { ConventionCredits } from '../domain/credit.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { PlateformeDonnees } from '../domain/donnees.js';
import type { Horloge } from '../domain/horloge.js';
import { insererAlerte } from '../storage/alerte.js';
import { CODES_INSUFFISANCE } from '../domain/insuffisance.js';
import { insererOuJoindreInsuffisance } from '../storage/insuffisance.js';
import { verrouillerConventionCredits, verrouillerConventionEtCredit } from '../storage/credit.js';
import type { TotauxCredit } from '../domain/credit.js';
import type { Db, Trx } from '../storage/database.js';
import type { Travaux } from '../storage/travaux.js';

/** What every use case receives besides the actor: the database and the clock. */
export interface Contexte {
  db: Db;
  /** the clock port: use cases never read the system clock */
  now: Horloge;
  /** the background work queue, in a server (absent in commands and tests: the work is then run by hand) */
  travaux?: Pick<Travaux, 'signaler'>;
  /** the open data platform the server pushes to, when DATAGOUV_API_KEY and DATAGOUV_DATASET are set */
  plateformeDonnees?: PlateformeDonnees;
}

async function enregistrerRefus(ctx: Contexte, acteur: Acteur, conventionId: string, e: ConflictError): Promise<void> {
  const annee = typeof e.details.annee === 'number' ? e.details.annee : null;
  try {
    await insererAlerte(ctx.db, acteur, ctx.now(), {
      conventionId,
      annee,
      code: e.code,
      message: `Insuffisance de crédits — ${e.message}`,
      details: e.details,
      destinataire: 'delegant',
    });
  } catch {
    // the refusal stands even if its alert could not be written (the convention may not exist)
  }
  await ouvrirInsuffisance(ctx, acteur, conventionId, annee, e);
}

/** A refusal for lack of credits opens the convention's insufficiency case (Article 5), or joins the open one. */
async function ouvrirInsuffisance(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  annee: number | null,
  e: ConflictError,
): Promise<void> {
  try {
    await insererOuJoindreInsuffisance(ctx.db, acteur, ctx.now(), {
      conventionId,
      annee,
      nature: 'credits',
      details: { code: e.code, message: e.message, ...e.details },
      refus: true,
    });
  } catch {
    // as for the alert: the refusal stands
  }
}

/**
 * Runs an operation on a convention's credits in one transaction, with the convention share-locked, after
 * checking that the actor may do it. A refusal for lack of credits is recorded as an alert, outside the
 * rolled-back transaction.
 */
export async function operation<T>(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  droit: (a: Acteur, c: ConventionCredits) => boolean,
  fn: (trx: Trx, c: ConventionCredits, verrou: TotauxCredit | null) => Promise<T>,
  opts: { sansTotaux?: boolean; annee?: number } = {},
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      // the year an operation changes is locked with the convention when its totals row exists (one round trip)
      const ensemble =
        opts.annee === undefined ? null : await verrouillerConventionEtCredit(trx, conventionId, opts.annee);
      const c =
        ensemble?.convention ??
        (await verrouillerConventionCredits(trx, conventionId, { sansTotaux: opts.sansTotaux }));
      if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', conventionId);
      if (!droit(acteur, c)) throw new ForbiddenError();
      return fn(trx, c, ensemble?.totaux ?? null);
    });
  } catch (e) {
    // a refusal for lack of credits is the délégant's business (Article 5); any other is the user's error,
    // shown to them, and leaves nothing behind
    if (e instanceof ConflictError && CODES_INSUFFISANCE.has(e.code))
      await enregistrerRefus(ctx, acteur, conventionId, e);
    throw e;
  }
}

/**
 * Orders, certified work, payments: whoever may order; they lock and read only the year they change, with
 * the convention when the caller knows the year.
 */
export function operationSurUneAnnee<T>(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  fn: (trx: Trx, c: ConventionCredits, verrou: TotauxCredit | null) => Promise<T>,
  annee?: number,
): Promise<T> {
  return operation(ctx, acteur, conventionId, peutGererCredits, fn, { sansTotaux: true, annee });
}

/** A decision's ground, required and trimmed. */
export function motifRequis(motif: string): string {
  if (!motif.trim()) throw new ValidationError([{ champ: 'motif', message: 'Indiquez le motif.' }]);
  return motif.trim();
}
