import { sql } from 'kysely';
import type { Executor } from './database.js';

export interface Compteur {
  nombre: number;
  /** start of the counter's window */
  debut: Date;
}

/** The start of the current window on the database's clock: every instance shares it, skew or not. */
const debutFenetre = (fenetreMs: number) =>
  sql<Date>`to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / ${fenetreMs}) * ${fenetreMs} / 1000.0)`;

/**
 * Counts one hit for `cle` in the current fixed window, in one atomic statement: concurrent hits from any
 * number of instances are all counted, and a counter from an earlier window starts over at 1.
 */
export async function compterRequete(db: Executor, cle: string, fenetreMs: number): Promise<Compteur> {
  return db
    .insertInto('limite')
    .values({ cle, debut: debutFenetre(fenetreMs), nombre: 1 })
    .onConflict((oc) =>
      oc.column('cle').doUpdateSet({
        nombre: sql`CASE WHEN excluded.debut > limite.debut THEN 1 ELSE limite.nombre + 1 END`,
        debut: sql`GREATEST(limite.debut, excluded.debut)`,
      }),
    )
    .returning(['nombre', 'debut'])
    .executeTakeFirstOrThrow();
}

export async function decompterRequete(db: Executor, cle: string): Promise<void> {
  await db
    .updateTable('limite')
    .set({ nombre: sql`GREATEST(nombre - 1, 0)` })
    .where('cle', '=', cle)
    .execute();
}

export async function supprimerCompteur(db: Executor, cle: string): Promise<void> {
  await db.deleteFrom('limite').where('cle', '=', cle).execute();
}

/** Drops the counters of windows that have ended: what a client that stopped calling left behind. */
export async function supprimerCompteursEchus(db: Executor, fenetreMs: number): Promise<number> {
  const r = await db.deleteFrom('limite').where('debut', '<', debutFenetre(fenetreMs)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
