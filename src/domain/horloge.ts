import { today, type DateIso } from './dates.js';

/**
 * The one clock port. The domain and the use cases never read the system clock: they are given a
 * `Horloge`, so that year-end rules, tests and the demo can run on any date.
 */
export type Horloge = () => Date;

/** Today's calendar date, on the given clock (the server's local day). */
export function aujourdHui(horloge: Horloge): DateIso {
  return today(horloge());
}

/** A clock stopped at one instant: tests state the date they run at. */
export function horlogeFixe(instant: Date | string): Horloge {
  const t = typeof instant === 'string' ? new Date(instant.length === 10 ? `${instant}T10:00:00` : instant) : instant;
  if (Number.isNaN(t.getTime())) throw new RangeError(`Instant invalide : ${String(instant)}`);
  return () => new Date(t.getTime());
}

/**
 * A clock that starts at `depart` and then runs at the pace of `reference` (the system clock): a
 * server, a demo or a process test set to another day that still sees time pass (sessions, tokens).
 */
export function horlogeDecalee(depart: Date, reference: Horloge): Horloge {
  const decalage = depart.getTime() - reference().getTime();
  return () => new Date(reference().getTime() + decalage);
}
