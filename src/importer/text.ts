/**
 * Normalisation of a convention's extracted text, and the folded shadow the extractor matches on.
 *
 * The normalised text is what provenance offsets point into: every span `{start, end}` is a slice of it.
 * Normalisation is line-oriented and linear in the input size (no regex that can backtrack over a line).
 */

/** Characters replaced one by one: spaces, look-alike Cyrillic and Greek letters, apostrophes, invisibles. */
// prettier-ignore
const CHAR_MAP: Record<string, string> = {
  '\u00a0': ' ', '\u202f': ' ', '\u2007': ' ', '\u2009': ' ', '\u2008': ' ', '\u200a': ' ', '\u2002': ' ', '\u2003': ' ',
  '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u205f': ' ', '\u3000': ' ', '\u000b': '\n', '\u000c': '\n', '\u2028': '\n', '\u2029': '\n',
  '\u200b': '', '\u200c': '', '\u200d': '', '\u2060': '', '\ufeff': '', '\u00ad': '',
  '\u2019': "'", '\u2018': "'", '\u02bc': "'", '\u2032': "'",
  // Cyrillic letters that OCR and copy-paste put in place of Latin ones
  'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'І': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'О': 'O', 'Р': 'P', 'Ѕ': 'S',
  'Т': 'T', 'Х': 'X', 'У': 'Y', 'Ԛ': 'Q', 'Ԝ': 'W',
  'а': 'a', 'с': 'c', 'е': 'e', 'о': 'o', 'р': 'p', 'х': 'x', 'у': 'y', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h',
  'ӏ': 'l', 'ԛ': 'q', 'ԝ': 'w', 'ѐ': 'è', 'ё': 'ë', 'Ѐ': 'È', 'Ё': 'Ë',
  // Greek capitals and omicron, same story
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T',
  'Υ': 'Y', 'Χ': 'X', 'ο': 'o',
};
// written as escapes: the class holds lone joiners and control characters, each matched on its own
const CHAR_RE = new RegExp(
  `[${Object.keys(CHAR_MAP).map(unicodeEscape).join('')}\\u0000-\\u0008\\u000e-\\u001f\\u007f]`,
  'g',
);

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// prettier-ignore
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', euro: '€', rsquo: "'", lsquo: "'",
  ldquo: '“', rdquo: '”', ndash: '–', mdash: '—', hellip: '…', deg: '°', oelig: 'œ', eacute: 'é', egrave: 'è', ecirc: 'ê',
  euml: 'ë', agrave: 'à', acirc: 'â', ccedil: 'ç', icirc: 'î', iuml: 'ï', ocirc: 'ô', ugrave: 'ù', ucirc: 'û', Eacute: 'É',
  Egrave: 'È', Agrave: 'À', Ccedil: 'Ç',
};

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '';
      return String.fromCodePoint(code).replace(CHAR_RE, (c) => CHAR_MAP[c] ?? '');
    }
    return ENTITIES[e] ?? m;
  });
}

const SUPERSCRIPT_DIGITS = /[¹²³⁰⁴⁵⁶⁷⁸⁹]+/g;
/** A footnote's own line: "¹ https://…", "<sup>2</sup> …", "[^3]: …", "3 https://…". */
const FOOTNOTE_LINE =
  /^\s{0,8}(?:(?:<sup>[^<]{0,8}<\/sup>\s{0,4})+\S|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}\s{0,4}\S|\[\^[\w-]{1,10}\]:|\d{1,2}\s{1,4}<?(?:https?:|www\.))/;

/** Lines of the State's brand block ("Gouvernement / Liberté Égalité Fraternité"), a page header. */
const BLOC_MARQUE = new Set([
  'gouvernement',
  'governement',
  'republique francaise',
  'liberte',
  'egalite',
  'fraternite',
  'liberte egalite fraternite',
  'premier ministre',
]);
const PAGE_MARKER =
  /^(?:page\s{0,3}\d{1,4}(?:\s{0,3}(?:\/|sur|of)\s{0,3}\d{1,4})?|\d{1,4}\s{0,3}(?:\/|sur)\s{0,3}\d{1,4}|[-–—]\s{0,3}\d{1,4}\s{0,3}[-–—]|\d{1,3})$/i;

/** Markers left by inline HTML inside a table cell: a list item, a line or paragraph break. */
const ITEM = '\u0001';
const BREAK = '\u0002';

function stripInlineHtml(line: string): string {
  if (!line.includes('<')) return line;
  let s = line;
  // autolinks <https://…> keep their URL
  s = s.replace(/<((?:https?|mailto|ftp):[^<>\s]{1,2000})>/gi, '$1');
  // <sup>er</sup> is part of the word ("1er"); <sup>1</sup> is a footnote call
  s = s.replace(/<sup>([^<]{0,12})<\/sup>/gi, (_m, inner: string) => (/^[a-zA-Zèé]{1,4}$/.test(inner) ? inner : ''));
  // drop HTML comments, then every remaining tag (a link keeps its text)
  s = s.replace(/<!--[^]{0,2000}?-->/g, '');
  s = s.replace(/<\/?[a-zA-Z][a-zA-Z0-9]{0,15}(?:\s[^<>]{0,2000})?\/?>/g, (tag) => {
    const name = /^<\/?([a-zA-Z0-9]+)/.exec(tag)![1]!.toLowerCase();
    if (name === 'li' && !tag.startsWith('</')) return ITEM;
    if (
      name === 'br' ||
      name === 'p' ||
      name === 'div' ||
      name === 'ul' ||
      name === 'ol' ||
      name === 'li' ||
      name === 'tr'
    )
      return BREAK;
    if (name === 'td' || name === 'th') return tag.startsWith('</') ? '\t' : '';
    return '';
  });
  return s;
}

const ESPACE = /\s/;

/**
 * `s.replace(/\s+#{1,6}\s*$/, '')` read from the end: the regex retries at every space of a run and is
 * quadratic on a line of spaces.
 */
function sansDiesesFinaux(s: string): string {
  let i = s.length;
  while (i > 0 && ESPACE.test(s.charAt(i - 1))) i--;
  const finDieses = i;
  while (i > 0 && s.charCodeAt(i - 1) === 0x23) i--;
  const dieses = finDieses - i;
  if (dieses < 1 || dieses > 6 || i === 0 || !ESPACE.test(s.charAt(i - 1))) return s;
  while (i > 0 && ESPACE.test(s.charAt(i - 1))) i--;
  return s.slice(0, i);
}

/** `s.replace(/[ \t]+$/, '')` read from the end, for the same reason (a run of tabs). */
function sansBlancsFinaux(s: string): string {
  let i = s.length;
  while (i > 0 && (s.charCodeAt(i - 1) === 0x20 || s.charCodeAt(i - 1) === 0x09)) i--;
  return i === s.length ? s : s.slice(0, i);
}

/** A character some step of `stripMarkdown` needs: without one, the line is left as it is. */
const MARKDOWN = /[#>[\]\\*_]|^\s{0,8}(?:[-*+•◦▪‣●○·]|o)\s/;

function stripMarkdown(line: string): string {
  if (!MARKDOWN.test(line)) return line;
  let s = line;
  s = sansDiesesFinaux(s.replace(/^\s{0,3}#{1,6}\s+/, ''));
  s = s.replace(/^\s{0,3}>\s?/, '');
  if (s.includes('](')) {
    s = s.replace(/!\[[^\]]{0,300}\]\([^)\s]{0,2000}\)/g, '');
    s = s.replace(/\[([^\]]{0,300})\]\([^)\s]{0,2000}(?:\s"[^"]{0,200}")?\)/g, '$1');
  }
  s = s.replace(/\[\^[\w-]{1,10}\]/g, '');
  if (s.includes('\\')) s = s.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
  if (s.includes('*') || s.includes('__')) {
    s = s.replace(/\*\*|__/g, '');
    s = s.replace(/(^|[\s(«"'\t])\*(?=\S)/g, '$1').replace(/(\S)\*(?=$|[\s).,;:!?»"'\t])/g, '$1');
  }
  s = s.replace(/^(\s{0,8})(?:[-*+•◦▪‣●○·]|o(?=\s+[a-zàâçéèêëîïôûùüÿœ]))\s+/, '$1- ');
  return s;
}

const PIPE_SEPARATOR = /^\s{0,3}\|?\s{0,3}:?-{2,}:?\s{0,3}(?:\|\s{0,3}:?-{2,}:?\s{0,3}){0,40}\|?\s*$/;

function pipeCells(line: string): string {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s
    .split(/(?<!\\)\|/)
    .map((c) => c.trim())
    .join('\t');
}

function tidySpaces(line: string): string {
  let s = line.replace(/ {2,}/g, ' ');
  if (s.includes('\t')) s = s.replace(/ *\t */g, '\t');
  s = sansBlancsFinaux(s).replace(/^ +/, '');
  return /^\t+$/.test(s) ? '' : s;
}

/**
 * A line joined from hard-wrapped pieces. Only its ends decide whether the next line joins it, so it keeps
 * its pieces, its first characters and its last ones: re-testing (or re-flattening) the whole joined line
 * at every piece made a long wrapped paragraph quadratic.
 */
class LigneJointe {
  private readonly pieces: string[];
  /** the first `TETE` units of the line (all of it when shorter) */
  private tete: string;
  /** the last 4 units: a letter outside the BMP and a hyphen */
  private queue: string;
  private longueur: number;
  private readonly tabulee: boolean;

  constructor(line: string) {
    this.pieces = [line];
    this.tete = line.slice(0, TETE);
    this.queue = line.slice(-4);
    this.longueur = line.length;
    this.tabulee = line.includes('\t');
  }

  /** Ends in the middle of a sentence (no final punctuation). */
  endsOpen(): boolean {
    return /[\p{Ll}\p{Lu}\d,'’-]$/u.test(this.queue) && !/^article\s/i.test(this.tete) && !this.tabulee;
  }

  /** Ends with a hyphen after a lower-case letter: a word cut at the end of the line. */
  coupee(): boolean {
    return /\p{Ll}-$/u.test(this.queue);
  }

  /** Appends the next line, after a space, or in place of the final hyphen. */
  joindre(line: string, hyphen: boolean): void {
    if (hyphen) {
      const k = this.pieces.length - 1;
      this.pieces[k] = this.pieces[k]!.slice(0, -1);
      if (this.longueur <= TETE) this.tete = this.tete.slice(0, -1);
      this.queue = this.queue.slice(0, -1);
      this.longueur--;
    } else line = ` ${line}`;
    this.pieces.push(line);
    this.longueur += line.length;
    if (this.tete.length < TETE) this.tete = (this.tete + line).slice(0, TETE);
    this.queue = line.length >= 4 ? line.slice(-4) : (this.queue + line).slice(-4);
  }

  toString(): string {
    return this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
  }
}
const TETE = 16;

function continues(line: string): boolean {
  return /^[\p{Ll}(]/u.test(line) && !line.includes('\t');
}

/**
 * Turns the text of a PDF, Word or Markdown document into plain lines: HTML and Markdown markup removed,
 * pipe tables turned into tab-separated rows (a blank cell stays an empty cell), look-alike letters and
 * special spaces replaced, footnotes moved to the end, page headers and page numbers removed, and a
 * sentence cut by them joined again.
 */
export function normaliser(raw: string): string {
  let s = raw.replace(/\r\n?/g, '\n');
  s = s.normalize('NFC');
  s = s.replace(CHAR_RE, (c) => CHAR_MAP[c] ?? '');

  const rawLines = s.split('\n');
  const body: string[] = [];
  const notes: string[] = [];
  // lines removed between two kept lines (page header, page number): a sentence may continue across them
  const cutBefore: boolean[] = [];
  let cut = false;

  // a line outside the text is blank
  const rawLine = (i: number): string => rawLines[i] ?? '';
  const isPipeRow = (i: number): boolean => {
    const l = rawLine(i);
    if (!l.includes('|')) return false;
    const t = l.trimStart();
    if (t.startsWith('|')) return true;
    return (
      (i + 1 < rawLines.length && PIPE_SEPARATOR.test(rawLine(i + 1))) ||
      (i > 0 && PIPE_SEPARATOR.test(rawLine(i - 1)) && rawLine(i - 1).includes('|'))
    );
  };

  for (const [i, raw] of rawLines.entries()) {
    // a blank line is kept as it is, and does not end the lines removed before it
    if (raw === '') {
      body.push('');
      cutBefore.push(false);
      continue;
    }
    let line = raw;
    if (line.includes('|') && PIPE_SEPARATOR.test(line) && line.includes('-')) continue;
    const footnote = FOOTNOTE_LINE.test(line);
    if (line.includes('|') && isPipeRow(i)) line = pipeCells(line);
    const tabbed = line.includes('\t');
    line = stripInlineHtml(line);
    line = line.replace(SUPERSCRIPT_DIGITS, '');
    line = decodeEntities(line);
    // a list or paragraph break inside a table cell stays inside the cell
    const parts =
      !line.includes(ITEM) && !line.includes(BREAK)
        ? [line]
        : tabbed
          ? [line.replaceAll(ITEM, ' ').replaceAll(BREAK, ' ')]
          : line.replaceAll(ITEM, `${BREAK}- `).split(BREAK);
    for (const part of parts) {
      const l = tidySpaces(stripMarkdown(part));
      if (l === '' && parts.length > 1) continue;
      if (footnote) {
        if (l) notes.push(l);
        continue;
      }
      // page furniture is short: only short lines are worth checking
      if (l && l.length <= 40 && (BLOC_MARQUE.has(plier(l).replace(/[*_]/g, '').trim()) || PAGE_MARKER.test(l))) {
        cut = true;
        continue;
      }
      body.push(l);
      cutBefore.push(cut && l !== '');
      if (l !== '') cut = false;
    }
  }

  const out: string[] = [];
  // the last non-blank line, still open to the lines that continue it; written to `out` once closed
  let lastNonBlank = -1;
  let prev: LigneJointe | null = null;
  for (const [i, l] of body.entries()) {
    if (l === '') {
      if (out.length && out[out.length - 1] !== '') out.push('');
      continue;
    }
    const prevBlank = out.length > 0 && out[out.length - 1] === '';
    // a sentence cut by a page header, or a hard-wrapped line, goes on where it stopped
    if (prev && prev.endsOpen() && continues(l) && (cutBefore[i] || !prevBlank)) {
      out.length = lastNonBlank + 1;
      prev.joindre(l, prev.coupee());
      continue;
    }
    if (prev) out[lastNonBlank] = prev.toString();
    out.push(l);
    lastNonBlank = out.length - 1;
    prev = new LigneJointe(l);
  }
  if (prev) out[lastNonBlank] = prev.toString();
  while (out.length && out[out.length - 1] === '') out.pop();
  while (out.length && out[0] === '') out.shift();
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}

const foldCache = new Map<string, string>();
function foldChar(c: string): string {
  let f = foldCache.get(c);
  if (f === undefined) {
    const lower = c.toLowerCase();
    const base = lower.length === 1 ? lower.normalize('NFD').charAt(0) : c;
    f = base.length === 1 ? base : c;
    foldCache.set(c, f);
  }
  return f;
}

/**
 * Lower case without accents, same length as the input (one UTF-16 unit for one): patterns run on it and
 * the offsets they find are valid in the original.
 */
export function plier(s: string): string {
  const lower = s.toLowerCase();
  // toLowerCase keeps the length except for a few letters (İ): then fold one unit at a time
  if (lower.length !== s.length) return s.replace(/[A-Z\u00c0-\uffff]/g, foldChar);
  return lower.replace(/[\u00c0-\uffff]/g, foldChar);
}

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Ligne {
  /** index of the line */
  n: number;
  start: number;
  text: string;
  folded: string;
}

/** The normalised text with its lines and folded shadow, ready for the extractor. */
export class Document {
  readonly text: string;
  readonly folded: string;
  readonly lignes: Ligne[];

  constructor(normalised: string) {
    this.text = normalised;
    this.folded = plier(normalised);
    this.lignes = [];
    let start = 0;
    let n = 0;
    for (;;) {
      const end = normalised.indexOf('\n', start);
      const stop = end === -1 ? normalised.length : end;
      this.lignes.push({ n: n++, start, text: normalised.slice(start, stop), folded: this.folded.slice(start, stop) });
      if (end === -1) break;
      start = end + 1;
    }
  }

  private readonly phrasesCache = new Map<number, Array<[number, number]>>();

  /** Sentences of a line (see `phrases`), computed once. */
  phrasesDe(l: Ligne): Array<[number, number]> {
    let p = this.phrasesCache.get(l.n);
    if (!p) {
      p = phrases(l.text);
      this.phrasesCache.set(l.n, p);
    }
    return p;
  }

  span(start: number, end: number): Span {
    return { start, end, text: this.text.slice(start, end) };
  }

  /** The span of `value` inside a line, trimmed of spaces. */
  spanIn(l: Ligne, from: number, to: number): Span {
    let a = from;
    let b = to;
    while (a < b && /\s/.test(l.text.charAt(a))) a++;
    while (b > a && /\s/.test(l.text.charAt(b - 1))) b--;
    return this.span(l.start + a, l.start + b);
  }

  /** The span from `start` to `end`, without the spaces and separators at its ends. */
  spanTrim(start: number, end: number): Span {
    let a = start;
    let b = end;
    while (a < b && /[\s,;:–-]/.test(this.text.charAt(a))) a++;
    while (b > a && /[\s,;:–-]/.test(this.text.charAt(b - 1))) b--;
    return this.span(a, b);
  }

  /** Next non-blank line after `n`, within `max` lines. */
  suivante(n: number, max = 3): Ligne | null {
    for (let i = n + 1; i < this.lignes.length && i <= n + max; i++) {
      const l = this.lignes[i]!;
      if (l.text.trim() !== '') return l;
    }
    return null;
  }
}

/**
 * Sentences of a line, as [start, end) offsets in the line: a sentence ends at ".", "!" or "?" followed by
 * a capital, a quote or the end of the line ("M. Dupont" is rare in conventions; "n°" and "etc." are not
 * followed by capitals often enough to matter).
 */
export function phrases(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '.' && c !== '!' && c !== '?') continue;
    let j = i + 1;
    while (j < text.length && text[j] === ' ') j++;
    if (j === text.length || (j > i + 1 && /[\p{Lu}«"(]/u.test(text.charAt(j)))) {
      out.push([start, i + 1]);
      start = j;
      i = j - 1;
    }
  }
  if (start < text.length) out.push([start, text.length]);
  return out;
}

/** Sentences of some lines, with the line they belong to. */
export function* phrasesDe(
  doc: Document,
  lignes: Ligne[],
  mot?: string,
): Generator<{ l: Ligne; a: number; b: number; f: string }> {
  for (const l of lignes) {
    if (!l.text || l.text.length > 20000 || (mot && !l.folded.includes(mot))) continue;
    for (const [a, b] of doc.phrasesDe(l)) yield { l, a, b, f: l.folded.slice(a, b) };
  }
}
