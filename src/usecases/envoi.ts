import { peutAdministrer, type Acteur } from '../domain/acces.js';
import type { ConventionCredits } from '../domain/credit.js';
import { ForbiddenError, ValidationError, type FieldError } from '../domain/errors.js';
import {
  avecLien,
  frequence,
  frequencesPermises,
  LIBELLES_TYPES_NOTIFICATION,
  prochainEssai,
  repartir,
  type ConventionNotifiee,
  type Destinataire,
  type EnvoiListe,
  type Frequence,
  type Message,
  type Preferences,
  type TypeNotification,
} from '../domain/notification.js';
import type { Trx } from '../storage/database.js';
import {
  insererEnvois,
  lirePreferences,
  listerDestinataires,
  listerEnvois,
  modifierEnvoiEchec,
  modifierEnvoiTermine,
  modifierPreferences,
  reserverEnvois,
} from '../storage/envoi.js';
import { ecrireAvecJournal } from '../storage/journal.js';
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

/**
 * Queues the messages an event causes, in the transaction of the change: they exist only if it commits.
 * Each recipient's choices decide whether it leaves at once, waits for a digest, or is not written.
 */
export async function notifier(
  ctx: Contexte,
  trx: Trx,
  messages: (agents: Destinataire[]) => Message[],
): Promise<void> {
  const ms = messages(await listerDestinataires(trx));
  if (ms.length === 0) return;
  const preferences = await lirePreferences(trx, [...new Set(ms.map((m) => m.agentId))]);
  const reparties = repartir(ms, preferences);
  await insererEnvois(trx, reparties, ctx.now());
  // the sending is asked for in the same transaction: it runs after the commit, never without it
  if (ctx.travaux && reparties.some((m) => m.statut === 'a_envoyer')) await ctx.travaux.signaler(trx, 'envois');
}

export interface PreferenceCompte {
  type: TypeNotification;
  libelle: string;
  frequence: Frequence;
  permises: Frequence[];
}

const TYPES = Object.keys(LIBELLES_TYPES_NOTIFICATION) as TypeNotification[];

/** « Mon compte »: what the agent receives, kind by kind, with the defaults filled in. */
export async function lirePreferencesCompte(ctx: Contexte, acteur: Acteur): Promise<PreferenceCompte[]> {
  const p = (await lirePreferences(ctx.db, [acteur.id])).get(acteur.id);
  return TYPES.map((type) => ({
    type,
    libelle: LIBELLES_TYPES_NOTIFICATION[type],
    frequence: frequence(p, type),
    permises: frequencesPermises(type),
  }));
}

/** Records the agent's choices, kind by kind (a kind not sent keeps its former choice); journalled. */
export async function modifierPreferencesCompte(
  ctx: Contexte,
  acteur: Acteur,
  saisie: Record<string, unknown>,
): Promise<PreferenceCompte[]> {
  if (acteur.role === 'public') throw new ForbiddenError();
  const erreurs: FieldError[] = [];
  const choisies: Preferences = {};
  for (const [champ, v] of Object.entries(saisie)) {
    if (!(champ in LIBELLES_TYPES_NOTIFICATION)) {
      erreurs.push({ champ, message: 'Ce type de message n’existe pas.' });
      continue;
    }
    const type = champ as TypeNotification;
    if (typeof v !== 'string' || !(frequencesPermises(type) as string[]).includes(v))
      erreurs.push({ champ, message: 'Choisissez une fréquence proposée.' });
    else choisies[type] = v as Frequence;
  }
  if (erreurs.length) throw new ValidationError(erreurs);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = (await lirePreferences(trx, [acteur.id])).get(acteur.id);
    const apres: Preferences = { ...avant, ...choisies };
    const changements = TYPES.filter((t) => frequence(avant, t) !== frequence(apres, t)).map((t) => ({
      champ: `notifications.${t}`,
      avant: frequence(avant, t),
      apres: frequence(apres, t),
    }));
    if (changements.length === 0) return;
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      {
        conventionId: null,
        objetType: 'agent',
        objetId: acteur.id,
        action: 'preferences_notification',
        changements,
        commentaire: 'Préférences de messages modifiées',
      },
      (e) => modifierPreferences(e, acteur.id, apres),
    );
  });
  return lirePreferencesCompte(ctx, acteur);
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
