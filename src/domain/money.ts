/**
 * Money is held in integer cents (JavaScript safe integers), never in floats.
 * Every stored amount also says its budget nature (AE/CP), its year and its tax base.
 */
export type Centimes = number;
export type BaseMontant = 'TTC' | 'HT';

export function isCentimes(v: unknown): v is Centimes {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/**
 * The largest single amount accepted, in cents: 100 000 000 000 €. Every amount is bounded at input so that
 * any sum the product computes (a calendar, a portfolio, a year's orders) stays far below 2^53 cents and
 * is therefore exact as a JavaScript number: it takes more than 900 amounts at this maximum to reach it.
 */
export const MONTANT_MAX_CENTIMES = 10_000_000_000_000;
export const MESSAGE_MONTANT_MAX = 'Un montant ne peut pas dépasser 100 000 000 000 €.';

/** An amount beyond the documented maximum, in either direction. */
export function depasseMontantMax(v: number): boolean {
  return Math.abs(v) > MONTANT_MAX_CENTIMES;
}

function assertCentimes(v: number, what = 'montant'): Centimes {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} n'est pas un nombre entier de centimes`);
  return v;
}

/** Whole euros (as written in conventions) to cents. */
export function eurosToCentimes(euros: number): Centimes {
  return assertCentimes(Math.round(euros * 100));
}

/**
 * Parses an amount typed by a person ("200 000", "200 000,50 €", "1 234.5") into cents, exactly:
 * the decimal part is read as digits, never through a float.
 */
export function parseEuros(input: string): Centimes | null {
  const s = input.replace(/[\s\u00a0\u202f]/g, '').replace(/(€|euros?|EUR)$/i, '');
  if (s === '') return null;
  const m = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return Number.NaN;
  const cents = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  const signed = m[1] ? -cents : cents;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) return Number.NaN;
  return Number(signed);
}

const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const euroFormatRond = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

/** "200 000,00 €"; whole amounts drop the cents when `rond` is set. */
export function formatEuros(c: Centimes | null | undefined, opts: { rond?: boolean } = {}): string {
  if (c === null || c === undefined) return '—';
  const whole = c % 100 === 0;
  // Format integer and cents separately so that no float ever rounds a large amount.
  if (opts.rond && whole) return euroFormatRond.format(c / 100);
  return euroFormat.format(c / 100);
}

/** Value for an input field: "200000" or "200000,50". */
export function centimesToSaisie(c: Centimes | null | undefined): string {
  if (c === null || c === undefined) return '';
  const neg = c < 0 ? '-' : '';
  const a = Math.abs(c);
  const euros = Math.trunc(a / 100);
  const cents = a % 100;
  return cents === 0 ? `${neg}${euros}` : `${neg}${euros},${String(cents).padStart(2, '0')}`;
}

/**
 * A share of an amount, in exact cents. Percentages have at most two decimals (33,33 %); the result is
 * rounded to the nearest cent, a half cent going down, so that a share never exceeds its exact value.
 */
export function part(montant: Centimes, pct: number): Centimes {
  const pointsDeBase = Math.round(pct * 100);
  if (Math.abs(pct * 100 - pointsDeBase) > 1e-6) throw new RangeError('un pourcentage a au plus deux décimales');
  const n = BigInt(montant) * BigInt(pointsDeBase);
  const d = 10_000n;
  let q = n / d;
  const r = n % d;
  if (2n * r > d) q += 1n;
  return Number(q);
}
