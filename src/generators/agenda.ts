import { createEvents, type DateArray, type EventAttributes } from 'ics';
import type { ItemAFaire } from '../domain/a-faire.js';
import { addDays, type DateIso } from '../domain/dates.js';

const jour = (d: DateIso): DateArray => {
  const [a, m, j] = d.split('-').map(Number) as [number, number, number];
  return [a, m, j];
};

/**
 * « À faire » as an iCalendar feed (RFC 5545): one all-day event per item on its due day, keyed by the
 * item's stable key so that a calendar updates an event instead of adding one, with the absolute address
 * of its action. DTSTAMP is the instant given, from the application's clock.
 */
export function calendrierAFaire(items: ItemAFaire[], opts: { urlPublique: string; le: Date; nom: string }): string {
  const base = opts.urlPublique.replace(/\/+$/, '');
  const evenements = items.map((i): EventAttributes & { timestamp: number } => {
    const url = `${base}${i.actionUrl}`;
    const contexte = i.conventionLibelle ? `${i.conventionLibelle}\n` : '';
    return {
      uid: i.cle,
      start: jour(i.echeance),
      end: jour(addDays(i.echeance, 1)),
      title: i.libelle,
      description: `${contexte}${url}`,
      url,
      transp: 'TRANSPARENT',
      timestamp: opts.le.getTime(),
    };
  });
  const { error, value } = createEvents(evenements, {
    productId: '-//DINUM//Délégations//FR',
    calName: `À faire — ${opts.nom} — Délégations`,
  });
  if (error || value === null) throw error ?? new Error('Agenda impossible à écrire');
  return value;
}
