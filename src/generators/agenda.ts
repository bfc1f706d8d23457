import { createEvents, type DateArray, type EventAttributes } from 'ics';
import type { ItemAFaire } from '../domain/a-faire.js';
import type { EvenementAgenda } from '../domain/agenda.js';
import { addDays, type DateIso } from '../domain/dates.js';

const jour = (d: DateIso): DateArray => {
  const [a, m, j] = d.split('-').map(Number) as [number, number, number];
  return [a, m, j];
};

interface Evenement {
  uid: string;
  date: DateIso;
  titre: string;
  /** relative to the application */
  url: string;
  contexte: string | null;
}

/** All-day events (RFC 5545) with the absolute address of their page, stamped by the instant given. */
function ecrire(evenements: Evenement[], opts: { urlPublique: string; le: Date; calName: string }): string {
  const base = opts.urlPublique.replace(/\/+$/, '');
  const attributs = evenements.map((e): EventAttributes & { timestamp: number } => {
    const url = `${base}${e.url}`;
    return {
      uid: e.uid,
      start: jour(e.date),
      end: jour(addDays(e.date, 1)),
      title: e.titre,
      description: `${e.contexte ? `${e.contexte}\n` : ''}${url}`,
      url,
      transp: 'TRANSPARENT',
      timestamp: opts.le.getTime(),
    };
  });
  const { error, value } = createEvents(attributs, { productId: '-//DINUM//Délégations//FR', calName: opts.calName });
  if (error || value === null) throw error ?? new Error('Agenda impossible à écrire');
  return value;
}

/**
 * « À faire » as an iCalendar feed (RFC 5545): one all-day event per item on its due day, keyed by the
 * item's stable key so that a calendar updates an event instead of adding one, with the absolute address
 * of its action. DTSTAMP is the instant given, from the application's clock.
 */
export function calendrierAFaire(items: ItemAFaire[], opts: { urlPublique: string; le: Date; nom: string }): string {
  return ecrire(
    items.map((i) => ({
      uid: i.cle,
      date: i.echeance,
      titre: i.libelle,
      url: i.actionUrl,
      contexte: i.conventionLibelle,
    })),
    { urlPublique: opts.urlPublique, le: opts.le, calName: `À faire — ${opts.nom} — Délégations` },
  );
}

/**
 * One convention's dated events as a calendar file. The UID joins the convention's id and the event's key,
 * so that importing the file again updates its events instead of adding them.
 */
export function calendrierConvention(
  c: { id: string; libelle: string; evenements: EvenementAgenda[] },
  opts: { urlPublique: string; le: Date },
): string {
  return ecrire(
    c.evenements.map((e) => ({
      uid: `convention:${c.id}:${e.cle}`,
      date: e.date,
      titre: e.libelle,
      url: e.url,
      contexte: c.libelle,
    })),
    { urlPublique: opts.urlPublique, le: opts.le, calName: `${c.libelle} — Délégations` },
  );
}
