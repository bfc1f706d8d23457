import type { RapportFin } from '../domain/rapport.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { RapportFinTable } from './schema.js';

/** The end-of-term report of a convention: one row, written as a whole at each step. */

const depuisLigne = (r: RapportFinTable): RapportFin => ({
  conventionId: r.convention_id,
  avancement: r.avancement,
  previsions: r.previsions,
  redigePar: r.redige_par,
  redigeLe: r.redige_le ? r.redige_le.toISOString() : null,
  reluPar: r.relu_par,
  reluLe: r.relu_le ? r.relu_le.toISOString() : null,
  envoyeLe: r.envoye_le,
  destinataires: r.destinataires,
  envoyePar: r.envoye_par,
});

export async function lireRapportFin(ex: Executor, conventionId: string): Promise<RapportFin | null> {
  const r = await ex.selectFrom('rapport_fin').selectAll().where('convention_id', '=', conventionId).executeTakeFirst();
  return r ? depuisLigne(r) : null;
}

/** Read under a row lock, for a step that follows from the state it reads. */
export async function verrouillerRapportFin(trx: Trx, conventionId: string): Promise<RapportFin | null> {
  const r = await trx
    .selectFrom('rapport_fin')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .forUpdate()
    .executeTakeFirst();
  return r ? depuisLigne(r) : null;
}

export async function enregistrerRapportFin(e: Ecriture, r: RapportFin): Promise<void> {
  const valeurs = {
    avancement: r.avancement,
    previsions: r.previsions,
    redige_par: r.redigePar,
    redige_le: r.redigeLe ? new Date(r.redigeLe) : null,
    relu_par: r.reluPar,
    relu_le: r.reluLe ? new Date(r.reluLe) : null,
    envoye_le: r.envoyeLe,
    destinataires: r.destinataires,
    envoye_par: r.envoyePar,
  };
  await e.trx
    .insertInto('rapport_fin')
    .values({ convention_id: r.conventionId, ...valeurs })
    .onConflict((oc) => oc.column('convention_id').doUpdateSet(valeurs))
    .execute();
}
