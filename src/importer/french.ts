/**
 * How French administrative texts write numbers, dates and amounts. Every function reads folded text
 * (lower case, no accents: see `plier`) so that "DÉC.", "déc" and "dec" are one month.
 */
import { isDateIso, toIso, type DateIso } from '../domain/dates.js';

// prettier-ignore
const NOMBRES = new Map<string, number>(Object.entries({
  zero: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11,
  douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30, quarante: 40,
  cinquante: 50, soixante: 60,
}));

/** "six" → 6, "dix-huit" → 18, "vingt et un" → 21, "quatre-vingt-dix" → 90, "cent vingt" → 120. */
export function nombreEnLettres(words: string): number | null {
  const tokens = words.split(/[\s-]+/).filter((t) => t && t !== 'et');
  if (tokens.length === 0 || tokens.length > 6) return null;
  let total = 0;
  let current = 0;
  let prev = '';
  for (const t of tokens) {
    if (t === 'cent' || t === 'cents') current = (current || 1) * 100;
    else if (t === 'mille') {
      total += (current || 1) * 1000;
      current = 0;
    } else {
      const v = NOMBRES.get(t);
      if (v === undefined) return null;
      if ((t === 'vingt' || t === 'vingts') && prev === 'quatre') current += 80 - 4;
      else current += v;
    }
    prev = t;
  }
  return total + current;
}

export interface Trouve<T> {
  value: T;
  /** offsets in the string searched */
  start: number;
  end: number;
}

/**
 * The number written just before `at` ("6 mois", "six mois", "douze (12) mois", "vingt-quatre mois"):
 * digits win, else the longest run of number words that parses.
 */
export function nombreAvant(folded: string, at: number): Trouve<number> | null {
  const from = Math.max(0, at - 60);
  const before = folded.slice(from, at);
  const paren = /(\d{1,3})\s{0,2}\)\s{0,2}$/.exec(before);
  if (paren) return { value: Number(paren[1]), start: from + paren.index, end: from + paren.index + paren[1]!.length };
  // "douze (12)" : the words before the parenthesis are the same number
  const digits = /(?:^|[^\d.,])(\d{1,3})\s{0,2}$/.exec(before);
  if (digits) {
    const nombre = digits[1]!;
    const s = from + digits.index + digits[0].indexOf(nombre);
    return { value: Number(nombre), start: s, end: s + nombre.length };
  }
  const words = /((?:[a-z]+[\s-]){0,4}[a-z]+)\s{1,2}$/.exec(before);
  if (!words) return null;
  const list = words[1]!.split(/(?<=\s)/);
  for (let i = 0; i < list.length; i++) {
    const candidate = list.slice(i).join('').trim();
    const v = nombreEnLettres(candidate);
    if (v !== null) {
      const start = from + words.index + list.slice(0, i).join('').length;
      return { value: v, start, end: start + candidate.length };
    }
  }
  return null;
}

const MOIS = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
];

/** "déc." "dec" "decembre" "fevr" → month number; an ambiguous prefix ("jui") gives null. */
export function moisDepuisMot(word: string): number | null {
  const w = word.replace(/\.$/, '');
  if (w.length < 3) return null;
  if (w === 'mai') return 5;
  let found = 0;
  let n = 0;
  for (const [i, mois] of MOIS.entries()) {
    if (mois.startsWith(w)) {
      found = i + 1;
      n++;
    }
  }
  return n === 1 ? found : null;
}

function annee(y: string): number {
  if (y.length === 4) return Number(y);
  return 2000 + Number(y);
}

const DATE_NUM = /(?<![\d/.])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/])/g;
const DATE_MOTS = /(?<![\d])(\d{1,2}|1er|premier)\s{0,2}(?:er\s)?([a-z]{3,9}\.?)\s{0,2}(\d{4})(?!\d)/g;
const DATE_ISO = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g;

/** Every date written in `folded`, in order: 31/03/2021, 23/09/24, 1er mars 2024, 31 déc. 2025, 2021-03-31. */
export function dates(folded: string): Array<Trouve<DateIso>> {
  const out: Array<Trouve<DateIso>> = [];
  const push = (d: string, start: number, end: number) => {
    if (isDateIso(d)) out.push({ value: d, start, end });
  };
  for (const m of folded.matchAll(DATE_NUM)) {
    push(toIso(annee(m[4]!), Number(m[3]), Number(m[1])), m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(DATE_MOTS)) {
    const mois = moisDepuisMot(m[2]!);
    if (mois === null) continue;
    const jour = m[1] === '1er' || m[1] === 'premier' ? 1 : Number(m[1]);
    push(toIso(Number(m[3]), mois, jour), m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(DATE_ISO)) push(`${m[1]}-${m[2]}-${m[3]}`, m.index, m.index + m[0].length);
  return out.sort((a, b) => a.start - b.start);
}

/** First date at or after `from` within `within` characters. */
export function dateApres(folded: string, from: number, within = 80): Trouve<DateIso> | null {
  const slice = folded.slice(from, from + within);
  const found = dates(slice)[0];
  return found ? { value: found.value, start: from + found.start, end: from + found.end } : null;
}

const MONTANT =
  /(?<![\d,.])(\d{1,3}(?:[ .]\d{3})+|\d{1,12})(?:,(\d{1,2}))?\s?(k|m|millions?\s(?:d'|de\s)?|milliers?\s(?:d'|de\s)?)?\s?(€|euros?\b|eur\b)/g;

function valeurMontant(entier: string, decimales: string | undefined, mult: string | undefined): number {
  const n = Number(entier.replace(/[ .]/g, '') + (decimales ? `.${decimales}` : ''));
  if (!mult) return n;
  if (mult.startsWith('k') || mult.startsWith('millier')) return Math.round(n * 1000);
  return Math.round(n * 1_000_000);
}

/** Amounts with a currency: "200 000€", "50 000 €", "50 000 euros", "110 000,00 €", "1,5 M€". */
export function montants(folded: string): Array<Trouve<number>> {
  const out: Array<Trouve<number>> = [];
  for (const m of folded.matchAll(MONTANT)) {
    out.push({ value: valeurMontant(m[1]!, m[2], m[3]), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export type Cellule = { kind: 'vide' } | { kind: 'montant'; value: number } | { kind: 'illisible' };

/** A schedule cell: blank is "not stated", "0" is zero, a dash is not stated either. */
export function celluleMontant(cell: string): Cellule {
  const c = cell.trim().replace(/\s+/g, ' ');
  if (c === '' || /^[-–—]+$/.test(c) || c === 'neant' || c === 'n/a') return { kind: 'vide' };
  const m = /^(\d{1,3}(?:[ .]\d{3})+|\d{1,12})(?:,(\d{1,2}))?\s?(k)?\s?(€|euros?|eur)?(?:\s?(?:ttc|ht))?$/.exec(c);
  if (!m) return { kind: 'illisible' };
  return { kind: 'montant', value: valeurMontant(m[1]!, m[2], m[3]) };
}

/** Formats whole euros the French way, for warnings: 200000 → "200 000 €". */
export function euros(n: number): string {
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(n).replace(/[\u202f\u00a0]/g, ' ')} €`;
}
