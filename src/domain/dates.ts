/** Calendar dates are ISO strings `YYYY-MM-DD` (no time zone): conventions speak in days. */
export type DateIso = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDateIso(s: unknown): s is DateIso {
  if (typeof s !== 'string') return false;
  const m = ISO.exec(s);
  if (!m) return false;
  const [y, mo, j] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(y, mo - 1, j));
  return d.getUTCFullYear() === y && d.getUTCMonth() === mo - 1 && d.getUTCDate() === j;
}

/** Year, month (1–12) and day of an ISO date already checked by the caller. */
function parties(date: DateIso): [number, number, number] {
  const [y = Number.NaN, m = Number.NaN, d = Number.NaN] = date.split('-').map(Number);
  return [y, m, d];
}

/**
 * Adds whole months "de quantième à quantième": 31/03 + 6 months = 30/09 (the day is clamped to the
 * target month's length), which is how a term stated as a duration is read.
 */
export function addMonths(date: DateIso, months: number): DateIso {
  const [y, m, d] = parties(date);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return toIso(ty, tm + 1, Math.min(d, last));
}

export function addDays(date: DateIso, days: number): DateIso {
  const [y, m, d] = parties(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return toIso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function toIso(y: number, m: number, d: number): DateIso {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The calendar day of an instant (the server's local day); the instant comes from the clock port. */
export function today(now: Date): DateIso {
  return toIso(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

export function yearOf(date: DateIso): number {
  return Number(date.slice(0, 4));
}

export function daysBetween(a: DateIso, b: DateIso): number {
  const [ya, ma, da] = parties(a);
  const [yb, mb, db] = parties(b);
  return Math.round((Date.UTC(yb, mb - 1, db) - Date.UTC(ya, ma - 1, da)) / 86_400_000);
}

const MOIS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** "31 mars 2021" */
export function formatDate(d: DateIso | null | undefined): string {
  if (!d) return '—';
  const [y, m, day] = parties(d);
  return `${day === 1 ? '1er' : day} ${MOIS[m - 1] ?? '?'} ${y}`;
}
