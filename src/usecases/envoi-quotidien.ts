import { today } from '../domain/dates.js';
import { frequence, repartir, type TypeNotification } from '../domain/notification.js';
import { messageRecapitulatif, messagesEcheances, recapitulatifsDus } from '../domain/notification-echeance.js';
import {
  verrouillerDifferes,
  insererEnvois,
  insererRecapitulatif,
  lirePreferences,
  listerDestinataires,
  reserverTache,
  modifierTacheTerminee,
} from '../storage/envoi.js';
import { listerAFaire } from './a-faire.js';
import type { Contexte } from './contexte.js';

const TACHE = 'notifications';
const ECHEANCES: TypeNotification[] = [
  'date_limite_proche',
  'fin_convention_proche',
  'comite_a_tenir',
  'obligation_en_retard',
];

/**
 * The day's e-mails, once a day from the digest hour, by whichever instance claims the day first: what
 * falls due (from each agent's own « À faire »), then each agent's digest. Every message is keyed, so
 * an instance that dies half-way leaves the rest to the next claim without sending anything twice.
 */
export async function traiterJournee(
  ctx: Contexte,
  o: { bailMs?: number } = {},
): Promise<{ echeances: number; recapitulatifs: number } | null> {
  const maintenant = ctx.now();
  const dus = recapitulatifsDus(maintenant);
  if (!dus) return null;
  if (!(await reserverTache(ctx.db, TACHE, dus.jour, maintenant, o.bailMs ?? 15 * 60_000))) return null;
  const [agents, preferences] = await Promise.all([listerDestinataires(ctx.db), lirePreferences(ctx.db)]);
  let echeances = 0;
  let recapitulatifs = 0;
  for (const d of agents) {
    const p = preferences.get(d.id);
    const aFaireDu = (dus.frequences as string[]).includes(frequence(p, 'recapitulatif_a_faire'));
    const veutEcheances = ECHEANCES.some((t) => frequence(p, t) !== 'aucun');
    // read before the transaction: the embedded database has one connection, which the transaction holds
    const items = veutEcheances || aFaireDu ? await listerAFaire(ctx, d) : [];
    const messages = repartir(messagesEcheances(items, d, today(maintenant)), new Map([[d.id, p ?? {}]]));
    await ctx.db.transaction().execute(async (trx) => {
      await insererEnvois(trx, messages, maintenant);
      const differes = await verrouillerDifferes(trx, d.id, dus.frequences);
      const m = messageRecapitulatif(
        d,
        dus.jour,
        dus.frequences.includes('hebdomadaire'),
        differes,
        aFaireDu ? items : null,
      );
      if (m && (await insererRecapitulatif(trx, m, differes, maintenant))) recapitulatifs++;
    });
    echeances += messages.length;
  }
  await modifierTacheTerminee(ctx.db, TACHE, dus.jour, ctx.now());
  return { echeances, recapitulatifs };
}
