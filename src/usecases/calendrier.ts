import { peutDeroger, type Acteur } from '../domain/acces.js';
import { controlerParametres, LIBELLES_PARAMETRES, type ParametresCalendrier } from '../domain/calendrier.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import * as stockage from '../storage/calendrier.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';

export async function lireParametres(ctx: Contexte): Promise<ParametresCalendrier> {
  return stockage.lireParametres(ctx.db);
}

/** An administrator moves the year-end dates; the journal keeps each date before and after. */
export async function modifierParametres(
  ctx: Contexte,
  acteur: Acteur,
  p: ParametresCalendrier,
  motif: string | null,
): Promise<ParametresCalendrier> {
  if (!peutDeroger(acteur))
    throw new ForbiddenError('Seul un administrateur peut modifier le calendrier de fin de gestion.');
  const erreurs = controlerParametres(p);
  if (erreurs.length) throw new ValidationError(erreurs);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await stockage.lireParametres(trx);
    const changements = (Object.keys(p) as Array<keyof ParametresCalendrier>)
      .filter((k) => String(avant[k]) !== String(p[k]))
      .map((k) => ({ champ: LIBELLES_PARAMETRES[k], avant: avant[k], apres: p[k] }));
    if (changements.length === 0) return;
    const sujet = {
      conventionId: null,
      objetType: 'parametre',
      objetId: 'calendrier',
      action: 'parametres',
      changements,
      commentaire: motif,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => stockage.modifierParametres(e, p));
  });
  return p;
}
