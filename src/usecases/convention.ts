import { randomUUID } from 'node:crypto';
import { controler, type Convention, type ConventionSaisie } from '../domain/convention.js';
import { transiter, verifierStatutSaisi, type Transition } from '../domain/convention-cycle.js';
import type { FiltreConventions, PageConventions } from '../domain/convention-liste.js';
import {
  peutCreerConvention,
  peutLireConvention,
  peutLireCredits,
  peutModifierConvention,
  perimetre,
  type Acteur,
  type PorteeConvention,
} from '../domain/acces.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { today } from '../domain/dates.js';
import { differences, type LigneJournal } from '../domain/journal.js';
import { obligationsInitiales } from '../domain/obligation.js';
import type { DecisionPublication } from '../domain/publication.js';
import type { Db } from '../storage/database.js';
import * as stockage from '../storage/convention.js';
import { ecrireAvecJournal, listerJournal, type Ecriture } from '../storage/journal.js';
import { insererCatalogue } from '../storage/obligation.js';
import { ecrireDecisionPublication } from '../storage/publication.js';
import type { Contexte } from './contexte.js';
import { synchroniserOuvertures } from './credit.js';

export async function listerConventions(
  ctx: Contexte,
  acteur: Acteur,
  filtre: FiltreConventions,
): Promise<PageConventions> {
  return stockage.listerConventions(ctx.db, filtre, perimetre(acteur), today(ctx.now()));
}

/** Reads a convention the actor may see; an invisible one is reported as missing, not as forbidden. */
export async function lireConvention(ctx: Contexte, acteur: Acteur, id: string): Promise<Convention> {
  const c = await stockage.lireConvention(ctx.db, id);
  if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
  return c;
}

/** Who changed what: for the agents who may read the convention's credits, not for the public. */
export async function lireJournal(ctx: Contexte, acteur: Acteur, id: string): Promise<LigneJournal[]> {
  return journalDe(ctx, acteur, await lireConvention(ctx, acteur, id));
}

/** The journal of a convention the caller has just read: the page does not read it again. */
export async function journalDe(ctx: Contexte, acteur: Acteur, c: Convention): Promise<LigneJournal[]> {
  if (!peutLireCredits(acteur, c)) throw new NotFoundError('Convention', c.id);
  return listerJournal(ctx.db, c.id);
}

export interface Origine {
  /** journal comment, e.g. the imported document it came from */
  commentaire?: string;
  action?: string;
  /** more writes that must land with the convention and its journal line (the imported document that produced it) */
  avec?: (e: Ecriture, id: string) => Promise<void>;
}

export async function creerConvention(
  ctx: Contexte,
  acteur: Acteur,
  saisie: ConventionSaisie,
  origine: Origine = {},
): Promise<{ convention: Convention; avertissements: string[] }> {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  const { erreurs, avertissements } = controler(saisie);
  if (erreurs.length) throw new ValidationError(erreurs);
  // a convention already signed (an old one, an accepted import) is entered in force and skips the circuit
  verifierStatutSaisi(null, saisie.statut);
  const id = randomUUID();
  const sujet = {
    conventionId: id,
    objetType: 'convention',
    objetId: id,
    action: origine.action ?? 'creation',
    changements: differences(emptyLike(saisie), saisie).filter(
      (ch) => ch.apres !== null && !(Array.isArray(ch.apres) && ch.apres.length === 0),
    ),
    commentaire: origine.commentaire ?? null,
  };
  await ctx.db.transaction().execute((trx) =>
    ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
      await stockage.insererConvention(e, id, saisie);
      // a convention entered as published carries its decision, dated and signed like any other
      if (saisie.publiee) await ecrireDecisionPublication(e, id, decisionDuJour(id, acteur, ctx));
      await synchroniserOuvertures(e, id);
      // its checklist is written with it, so that reading it never writes
      await insererCatalogue(e, id, obligationsInitiales(saisie));
      if (origine.avec) await origine.avec(e, id);
    }),
  );
  const convention = await relire(ctx.db, id);
  return { convention, avertissements };
}

const decisionDuJour = (id: string, acteur: Acteur, ctx: Contexte): DecisionPublication => ({
  conventionId: id,
  publieeLe: today(ctx.now()),
  decideePar: acteur.nom,
});

function emptyLike(s: ConventionSaisie): ConventionSaisie {
  const blank = Object.fromEntries(Object.keys(s).map((k) => [k, null]));
  return blank as unknown as ConventionSaisie;
}

/**
 * Saves a new version. `version` is the one the person edited: if someone saved in between, the save is
 * refused rather than silently overwriting their change. The status is never changed by an edit, except
 * by the one transition a caller names (an imported convention accepted after review).
 */
export async function modifierConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  saisie: ConventionSaisie,
  version: number,
  opts: { transition?: Transition } = {},
): Promise<{ convention: Convention; avertissements: string[] }> {
  const { erreurs, avertissements } = controler(saisie);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await stockage.verrouillerConvention(trx, id);
    if (!avant || !peutLireConvention(acteur, avant)) throw new NotFoundError('Convention', id);
    if (!peutModifierConvention(acteur, avant)) throw new ForbiddenError();
    verifierStatutSaisi(
      opts.transition ? transiter(avant, opts.transition, today(ctx.now())) : avant.statut,
      saisie.statut,
    );
    if (erreurs.length) throw new ValidationError(erreurs);
    if (avant.version !== version) {
      throw new ConflictError(
        'VERSION_OBSOLETE',
        'La convention a été modifiée entre-temps par quelqu’un d’autre. Rechargez la page pour voir sa version actuelle.',
        {
          version_attendue: version,
          version_actuelle: avant.version,
        },
      );
    }
    const changements = differences(avant, saisie);
    if (changements.length === 0) return;
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      {
        conventionId: id,
        objetType: 'convention',
        objetId: id,
        action: opts.transition ?? 'modification',
        changements,
      },
      async (e) => {
        const ok = await stockage.modifierConvention(e, id, saisie, version);
        if (!ok)
          throw new ConflictError('VERSION_OBSOLETE', 'La convention a été modifiée entre-temps.', {
            version_attendue: version,
          });
        if (avant.publiee !== saisie.publiee)
          await ecrireDecisionPublication(e, id, saisie.publiee ? decisionDuJour(id, acteur, ctx) : null);
        await synchroniserOuvertures(e, id);
      },
    );
  });
  const convention = await relire(ctx.db, id);
  return { convention, avertissements };
}

/** A journal line alone, on a convention the actor may change (a review that confirms what was stored). */
export async function journaliserConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  action: string,
  commentaire: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!peutModifierConvention(acteur, c)) throw new ForbiddenError();
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      { conventionId: id, objetType: 'convention', objetId: id, action, commentaire },
      async () => {},
    );
  });
}

/** The convention just written, which exists. */
async function relire(db: Db, id: string): Promise<Convention> {
  const c = await stockage.lireConvention(db, id);
  if (!c) throw new NotFoundError('Convention', id);
  return c;
}

/** What the access rule of a route reads of the convention it names, or null when there is none. */
export async function lirePorteeConvention(ctx: Contexte, id: string): Promise<PorteeConvention | null> {
  return stockage.lirePorteeConvention(ctx.db, id);
}

/** The partners of the conventions the actor may read, for the filter's suggestions. */
export async function listerPartenaires(ctx: Contexte, acteur: Acteur): Promise<string[]> {
  return stockage.listerPartenaires(ctx.db, perimetre(acteur));
}

/** No convention recorded yet: a new database, that the demo may fill. */
export async function aucuneConvention(ctx: Contexte): Promise<boolean> {
  return !(await stockage.existeConvention(ctx.db));
}
