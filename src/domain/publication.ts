import type { Acteur } from './acces.js';
import { isDateIso, type DateIso } from './dates.js';
import { ConflictError, ValidationError } from './errors.js';

/**
 * The « publiée » decision: what the public sees of a convention (its page, its budget, the open data) is
 * decided per convention, dated, by the DINUM's budget roles; a withdrawal takes it back.
 */
export interface DecisionPublication {
  conventionId: string;
  /** the day the convention became public */
  publieeLe: DateIso;
  /** the agent who decided it: shown to agents, never to the public */
  decideePar: string;
}

export function peutPublier(a: Acteur): boolean {
  return a.role === 'administrateur' || a.role === 'gestionnaire';
}

/** A decision to publish, dated `date` (today by default), not later than today. */
export function decider(
  conventionId: string,
  dejaPubliee: boolean,
  date: DateIso | null,
  acteur: Acteur,
  aujourdHui: DateIso,
): DecisionPublication {
  if (dejaPubliee)
    throw new ConflictError('PUBLICATION_DEJA_DECIDEE', 'La convention est déjà publiée.', { publiee: true });
  const jour = date ?? aujourdHui;
  if (!isDateIso(jour))
    throw new ValidationError([{ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (jour > aujourdHui)
    throw new ValidationError([{ champ: 'date', message: 'Une publication ne peut pas être datée dans le futur.' }]);
  return { conventionId, publieeLe: jour, decideePar: acteur.nom };
}

export function verifierRetrait(publiee: boolean): void {
  if (!publiee)
    throw new ConflictError('PUBLICATION_NON_DECIDEE', 'La convention n’est pas publiée : rien à retirer.', {
      publiee: false,
    });
}
