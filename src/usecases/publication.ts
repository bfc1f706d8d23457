import { peutLireConvention, type Acteur } from '../domain/acces.js';
import type { Convention } from '../domain/convention.js';
import { today, type DateIso } from '../domain/dates.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { decider, peutPublier, verifierRetrait, type DecisionPublication } from '../domain/publication.js';
import * as stockage from '../storage/convention.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import { enregistrerPublication, lirePublication as lireDecision } from '../storage/publication.js';
import type { Contexte } from './contexte.js';

/** The « publiée » decision of a convention: its page, budget and open data become public, or stop being. */

export interface EtatPublication {
  publiee: boolean;
  decision: DecisionPublication | null;
  peutDecider: boolean;
}

export async function lirePublication(ctx: Contexte, acteur: Acteur, c: Convention): Promise<EtatPublication> {
  const decision = c.publiee ? await lireDecision(ctx.db, c.id) : null;
  return { publiee: c.publiee, decision, peutDecider: peutPublier(acteur) };
}

async function decision(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  faire: (c: Convention, jour: DateIso) => DecisionPublication | null,
): Promise<EtatPublication> {
  const jour = today(ctx.now());
  const apres = await ctx.db.transaction().execute(async (trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!peutPublier(acteur)) throw new ForbiddenError();
    const avant = c.publiee ? await lireDecision(trx, id) : null;
    const d = faire(c, jour);
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      {
        conventionId: id,
        objetType: 'convention',
        objetId: id,
        action: d ? 'publication' : 'retrait_publication',
        changements: [
          { champ: 'publiee', avant: c.publiee, apres: d !== null },
          { champ: 'publication.publieeLe', avant: avant?.publieeLe ?? null, apres: d?.publieeLe ?? null },
        ],
      },
      (e) => enregistrerPublication(e, id, d),
    );
    return d;
  });
  return { publiee: apres !== null, decision: apres, peutDecider: true };
}

/** Publishes a convention from `date` (today by default); the public sees it once it is signed. */
export function publierConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  date: DateIso | null,
): Promise<EtatPublication> {
  return decision(ctx, acteur, id, (c, jour) => decider(id, c.publiee, date, acteur, jour));
}

export function retirerPublication(ctx: Contexte, acteur: Acteur, id: string): Promise<EtatPublication> {
  return decision(ctx, acteur, id, (c) => {
    verifierRetrait(c.publiee);
    return null;
  });
}
