import { STATUTS_NON_SIGNES } from '../domain/convention.js';
import type { DecisionPublication } from '../domain/publication.js';
import type { Executor } from './database.js';
import type { Ecriture } from './journal.js';

/** The « publiée » decision of a convention: one row while it stands, the flag on the convention kept with it. */

export async function lirePublication(ex: Executor, conventionId: string): Promise<DecisionPublication | null> {
  const r = await ex.selectFrom('publication').selectAll().where('convention_id', '=', conventionId).executeTakeFirst();
  return r ? { conventionId: r.convention_id, publieeLe: r.publiee_le, decideePar: r.decidee_par } : null;
}

/** The conventions the public sees: published and signed, the latest signed first. */
export async function listerIdsPublies(ex: Executor): Promise<string[]> {
  const rows = await ex
    .selectFrom('convention')
    .select('id')
    .where('publiee', '=', true)
    .where('statut', 'not in', [...STATUTS_NON_SIGNES])
    .orderBy('date_signature', (o) => o.desc().nullsLast())
    .orderBy('reference')
    .execute();
  return rows.map((r) => r.id);
}

/** Records the decision (or its withdrawal, `null`) without touching the convention's flag. */
export async function ecrireDecisionPublication(
  e: Ecriture,
  conventionId: string,
  d: DecisionPublication | null,
): Promise<void> {
  if (!d) {
    await e.trx.deleteFrom('publication').where('convention_id', '=', conventionId).execute();
    return;
  }
  const valeurs = { publiee_le: d.publieeLe, decidee_par: d.decideePar };
  await e.trx
    .insertInto('publication')
    .values({ convention_id: conventionId, ...valeurs, le: e.le })
    .onConflict((oc) => oc.column('convention_id').doUpdateSet(valeurs))
    .execute();
}

/** The decision and the convention's flag, as a new version of the convention (an edit under way is then stale). */
export async function enregistrerPublication(
  e: Ecriture,
  conventionId: string,
  d: DecisionPublication | null,
): Promise<void> {
  await e.trx
    .updateTable('convention')
    .set((eb) => ({ publiee: d !== null, version: eb('version', '+', 1), modifie_le: e.le }))
    .where('id', '=', conventionId)
    .execute();
  await ecrireDecisionPublication(e, conventionId, d);
}
