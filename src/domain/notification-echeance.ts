import { LIBELLES_TYPES_A_FAIRE, LIBELLES_URGENCES, type ItemAFaire, type TypeAFaire } from './a-faire.js';
import { daysBetween, formatDate, today, type DateIso } from './dates.js';
import {
  message,
  type Destinataire,
  type ElementRecapitulatif,
  type Frequence,
  type Message,
  type MessageDiffere,
  type TypeNotification,
} from './notification.js';

/**
 * The e-mails that time causes, read from the agent's own « À faire » (so they never say more than the
 * agent may see, and never disagree with the page): a cut-off in 7 days, an end in 45, a committee due,
 * an obligation late; and the morning digests. Each is keyed by its item, so that one is sent once
 * however many days and instances compute it.
 */

/**
 * An item becomes a message from `de` days before it is due to `a` days before (negative: after). An
 * obligation is told in the week it becomes late, not years later: the digest lists the older ones.
 */
const SEUILS: Partial<Record<TypeAFaire, { type: TypeNotification; de: number; a: number }>> = {
  date_limite_engagements: { type: 'date_limite_proche', de: 7, a: 0 },
  date_limite_paiements: { type: 'date_limite_proche', de: 7, a: 0 },
  fin_convention: { type: 'fin_convention_proche', de: 45, a: 0 },
  comite_a_tenir: { type: 'comite_a_tenir', de: 7, a: 0 },
  revue_mi_parcours: { type: 'comite_a_tenir', de: 7, a: 0 },
  obligation_a_remplir: { type: 'obligation_en_retard', de: -1, a: -7 },
};

const sujet = (i: ItemAFaire, type: TypeNotification) =>
  type === 'obligation_en_retard'
    ? `Obligation en retard depuis le ${formatDate(i.echeance)}`
    : `${LIBELLES_TYPES_A_FAIRE[i.type]} le ${formatDate(i.echeance)}`;

/** The messages an agent's items call for today; `aujourdHui` is the clock's day. */
export function messagesEcheances(items: ItemAFaire[], d: Destinataire, aujourdHui: DateIso): Message[] {
  return items.flatMap((i) => {
    const s = SEUILS[i.type];
    if (!s) return [];
    const jours = daysBetween(aujourdHui, i.echeance);
    if (jours > s.de || jours < s.a) return [];
    const quand =
      jours < 0
        ? `L’échéance du ${formatDate(i.echeance)} est passée de ${-jours} jour${jours < -1 ? 's' : ''}.`
        : jours === 0
          ? `L’échéance est aujourd’hui, ${formatDate(i.echeance)}.`
          : `L’échéance est le ${formatDate(i.echeance)}, dans ${jours} jour${jours > 1 ? 's' : ''}.`;
    return [
      message(
        s.type,
        `echeance:${i.cle}`,
        d,
        i.conventionId ? { id: i.conventionId } : null,
        `[Délégations] ${sujet(i, s.type)}${i.conventionLibelle ? ` — ${i.conventionLibelle}` : ''}`,
        [`${i.libelle}${i.conventionLibelle ? ` (convention « ${i.conventionLibelle} »)` : ''}.`, quand],
        i.actionUrl,
      ),
    ];
  });
}

/** The digests are written from this hour of the server's day. */
const HEURE_RECAPITULATIF = 7;

/**
 * Which digests fall on this instant: the daily one on working days, the weekly one on Mondays, from
 * 7 a.m. (server time, like every day of the product). `null` before the hour.
 */
export function recapitulatifsDus(
  maintenant: Date,
): { jour: DateIso; frequences: Exclude<Frequence, 'immediat' | 'aucun'>[] } | null {
  if (maintenant.getHours() < HEURE_RECAPITULATIF) return null;
  const semaine = maintenant.getDay();
  const jour = today(maintenant);
  if (semaine === 0 || semaine === 6) return { jour, frequences: [] };
  return { jour, frequences: semaine === 1 ? ['quotidien', 'hebdomadaire'] : ['quotidien'] };
}

/**
 * One agent's digest of the day: the messages held for it, and their « À faire » when it is due today
 * (`aFaire` null otherwise). Nothing to say: no message.
 */
export function messageRecapitulatif(
  d: Destinataire,
  jour: DateIso,
  hebdomadaire: boolean,
  differes: MessageDiffere[],
  aFaire: ItemAFaire[] | null,
): Message | null {
  if (differes.length === 0 && !aFaire?.length) return null;
  const elements: ElementRecapitulatif[] = [
    ...differes.map((m) => ({
      groupe: 'Vos notifications',
      libelle: m.sujet.replace(/^\[Délégations\] /, ''),
      lien: m.lien,
    })),
    ...(aFaire ?? []).map((i) => ({
      groupe: `À faire — ${LIBELLES_URGENCES[i.urgence].toLowerCase()}`,
      libelle: `${formatDate(i.echeance)} : ${i.libelle}${i.conventionLibelle ? ` (${i.conventionLibelle})` : ''}`,
      lien: i.actionUrl,
    })),
  ];
  const resume = [
    differes.length ? `${differes.length} notification${differes.length > 1 ? 's' : ''}` : null,
    aFaire?.length ? `${aFaire.length} élément${aFaire.length > 1 ? 's' : ''} à faire` : null,
  ]
    .filter(Boolean)
    .join(' et ');
  return {
    ...message(
      'recapitulatif',
      `recapitulatif:${jour}`,
      d,
      null,
      `[Délégations] ${hebdomadaire ? 'Votre semaine' : 'Votre récapitulatif'} du ${formatDate(jour)} : ${resume}`,
      [
        `Voici ${resume}, à la date du ${formatDate(jour)}.`,
        'Vous choisissez ce que vous recevez, et à quelle fréquence, dans « Mon compte ».',
      ],
      '/a-faire',
    ),
    elements,
  };
}
