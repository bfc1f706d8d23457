import { peutAdministrer, type Acteur } from '../domain/acces.js';
import type { ConventionCredits } from '../domain/credit.js';
import { ForbiddenError } from '../domain/errors.js';
import {
  avecLien,
  prochainEssai,
  type ConventionNotifiee,
  type Destinataire,
  type EnvoiListe,
  type Message,
} from '../domain/notification.js';
import type { Trx } from '../storage/database.js';
import {
  insererEnvois,
  listerDestinataires,
  listerEnvois,
  modifierEnvoiEchec,
  modifierEnvoiTermine,
  reserverEnvois,
} from '../storage/envoi.js';
import type { Contexte } from './contexte.js';

/** The port of the mail server: the SMTP adapter in production, nothing in embedded mode (messages are kept). */
export interface Expediteur {
  envoyer(m: { a: string; sujet: string; texte: string; html: string; messageId: string }): Promise<void>;
}

export const conventionNotifiee = (c: ConventionCredits): ConventionNotifiee => ({
  id: c.id,
  libelle: c.produits.join(' · ') || c.reference || 'Convention',
  portee: c,
});

/** Queues the messages an event causes, in the transaction of the change: they exist only if it commits. */
export async function notifier(
  ctx: Contexte,
  trx: Trx,
  messages: (agents: Destinataire[]) => Message[],
): Promise<void> {
  await insererEnvois(trx, messages(await listerDestinataires(trx)), ctx.now());
}

export interface OptionsEnvoi {
  /** the site's public address, for the links */
  baseUrl: string;
  /** how many messages one pass claims */
  lot?: number;
  /** how long a claim holds before another instance may take the message over */
  bailMs?: number;
}

/**
 * One pass of the sender, run by every instance: claims the messages due, sends each after the commit that
 * queued it, marks it sent; a failure is retried later with a growing delay. Without a mail server the
 * messages are kept for the « Envois » page.
 */
export async function envoyerEnAttente(
  ctx: Contexte,
  expediteur: Expediteur | null,
  o: OptionsEnvoi,
): Promise<{ envoyes: number; echecs: number }> {
  let envoyes = 0;
  let echecs = 0;
  for (;;) {
    const lot = await reserverEnvois(ctx.db, ctx.now(), o.lot ?? 20, o.bailMs ?? 5 * 60_000);
    if (lot.length === 0) break;
    for (const e of lot) {
      if (!expediteur) {
        await modifierEnvoiTermine(ctx.db, e.id, 'conserve', ctx.now());
        continue;
      }
      const corps = avecLien(e, o.baseUrl);
      try {
        await expediteur.envoyer({
          a: e.destinataire,
          sujet: e.sujet,
          texte: corps.texte,
          html: corps.html,
          messageId: `<${e.cle.replace(/[^A-Za-z0-9.-]/g, '.')}@delegations>`,
        });
        await modifierEnvoiTermine(ctx.db, e.id, 'envoye', ctx.now());
        envoyes++;
      } catch (err) {
        echecs++;
        await modifierEnvoiEchec(
          ctx.db,
          e.id,
          err instanceof Error ? err.message : String(err),
          prochainEssai(ctx.now(), e.tentatives + 1),
        );
      }
    }
    if (echecs > 0) break;
  }
  return { envoyes, echecs };
}

/** The « Envois » page: what was sent or kept, for administrators. */
export async function listerEnvoisAdmin(ctx: Contexte, acteur: Acteur): Promise<EnvoiListe[]> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  return listerEnvois(ctx.db, 200);
}
