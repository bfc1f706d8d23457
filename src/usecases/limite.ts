import * as stockage from '../storage/limite.js';
import type { Contexte } from './contexte.js';

/** The window of every rate limit: requests per minute. */
export const FENETRE_LIMITES_MS = 60_000;

/** A rate limit's counter for one client, as the limiter reads it. */
export interface EtatLimite {
  nombre: number;
  /** when the window ends and the counter starts over */
  finFenetre: Date;
}

const etat = (c: stockage.Compteur, fenetreMs: number): EtatLimite => ({
  nombre: c.nombre,
  finFenetre: new Date(c.debut.getTime() + fenetreMs),
});

/** Counts a request of a client against a limit, for every instance on this database at once. */
export async function compterRequete(ctx: Contexte, cle: string, fenetreMs: number): Promise<EtatLimite> {
  return etat(await stockage.compterRequete(ctx.db, cle, fenetreMs), fenetreMs);
}

export async function decompterRequete(ctx: Contexte, cle: string): Promise<void> {
  await stockage.decompterRequete(ctx.db, cle);
}

export async function oublierLimite(ctx: Contexte, cle: string): Promise<void> {
  await stockage.supprimerCompteur(ctx.db, cle);
}

/** Drops the counters whose window has ended. */
export function purgerLimites(ctx: Contexte): Promise<number> {
  return stockage.supprimerCompteursEchus(ctx.db, FENETRE_LIMITES_MS);
}
