/**
 * File readers: the text of a .txt / .md, of a PDF's text layer, of a .docx. Each refusal carries a stable
 * code and a French message that says what to do.
 */
import { createHash } from 'node:crypto';
import {
  ImportError,
  LIMITES_DEFAUT,
  verifierDocx,
  verifierPages,
  verifierPagesOcr,
  verifierPdf,
  type Limites,
} from './limites.js';
import type { ProgressionOcr } from './ocr.js';

export type Format = 'texte' | 'markdown' | 'pdf' | 'docx';

export interface DocumentLu {
  nom: string;
  format: Format;
  mediaType: string;
  taille: number;
  sha256: string;
  /** the text as the file gives it, before normalisation */
  texte: string;
  /** the pages read by OCR, in page order, with tesseract's confidence (0–100); null for a text layer */
  ocr: Array<{ page: number; confiance: number }> | null;
}

export interface OptionsLecture {
  tailleMax?: number;
  limites?: Partial<Limites>;
  /** called before each page read by OCR */
  surOcr?: (p: ProgressionOcr) => void;
}

/** 20 MiB: far above a signed convention. */
export const TAILLE_MAX_OCTETS = LIMITES_DEFAUT.tailleMax;

const MEDIA: Record<Format, string> = {
  texte: 'text/plain',
  markdown: 'text/markdown',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

function extension(nom: string): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(nom);
  return m ? m[1]!.toLowerCase() : '';
}

function commence(bytes: Uint8Array, ...sig: number[]): boolean {
  return bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
}

/** Reads any supported file into text, or throws an `ImportError`. */
export async function lireFichier(bytes: Uint8Array, nom: string, opts: OptionsLecture = {}): Promise<DocumentLu> {
  const limites: Limites = { ...LIMITES_DEFAUT, ...opts.limites };
  const max = opts.tailleMax ?? limites.tailleMax;
  if (bytes.length === 0) throw new ImportError('FICHIER_VIDE', `Le fichier « ${nom} » est vide.`);
  if (bytes.length > max) {
    throw new ImportError(
      'FICHIER_TROP_GROS',
      `Le fichier « ${nom} » pèse ${mo(bytes.length)} : la limite est de ${mo(max)}.`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const ext = extension(nom);
  let format: Format;
  let texte: string;
  let ocr: DocumentLu['ocr'] = null;
  if (commence(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) {
    format = 'pdf';
    verifierPdf(bytes, nom, limites);
    ({ texte, ocr } = await lirePdf(bytes, nom, limites, opts.surOcr));
  } else if (commence(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    if (ext !== 'docx' && ext !== 'docm' && ext !== '') {
      throw new ImportError(
        'FORMAT_NON_PRIS_EN_CHARGE',
        `Le fichier « ${nom} » est une archive (.${ext}) : seuls les formats .txt, .md, .pdf et .docx sont lus.`,
      );
    }
    format = 'docx';
    verifierDocx(bytes, nom, limites);
    texte = await lireDocx(bytes, nom);
  } else if (commence(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    throw new ImportError(
      'FORMAT_NON_PRIS_EN_CHARGE',
      `Le fichier « ${nom} » est au format Word 97-2003 (.doc) : enregistrez-le en .docx ou en PDF puis importez-le à nouveau.`,
    );
  } else if (
    commence(bytes, 0x89, 0x50, 0x4e, 0x47) ||
    commence(bytes, 0xff, 0xd8, 0xff) ||
    commence(bytes, 0x49, 0x49, 0x2a, 0x00) ||
    commence(bytes, 0x4d, 0x4d, 0x00, 0x2a)
  ) {
    throw new ImportError(
      'FORMAT_NON_PRIS_EN_CHARGE',
      `Le fichier « ${nom} » est une image : sans reconnaissance de caractères (OCR), son texte ne peut pas être lu. Importez le PDF ou le fichier Word d'origine.`,
    );
  } else {
    format = ext === 'md' || ext === 'markdown' ? 'markdown' : 'texte';
    texte = decoderTexte(bytes, nom);
  }
  if (texte.trim() === '') {
    if (format === 'pdf') throw pdfSansTexte(nom, ocr?.length ?? 0);
    throw new ImportError('FICHIER_VIDE', `Le fichier « ${nom} » ne contient aucun texte.`);
  }
  return { nom, format, mediaType: MEDIA[format], taille: bytes.length, sha256, texte, ocr };
}

function mo(n: number): string {
  return `${(n / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** UTF-8 (with or without BOM), else Windows-1252; a file with NUL bytes or many control bytes is binary. */
export function decoderTexte(bytes: Uint8Array, nom: string): string {
  const sample = bytes.subarray(0, 65536);
  let control = 0;
  for (const b of sample) {
    if (b === 0) throw binaire(nom);
    if (b < 9 || (b > 13 && b < 32) || b === 127) control++;
  }
  if (control > sample.length * 0.02) throw binaire(nom);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const latin = windows1252(bytes);
    // a few stray bytes in UTF-8 text are read as Windows-1252; a file full of them is not text
    let odd = 0;
    for (const c of latin.slice(0, 65536)) if (/[\u0080-\u00bf]/.test(c)) odd++;
    if (odd > Math.min(latin.length, 65536) * 0.1) throw binaire(nom);
    return latin;
  }
}

// Windows-1252's 0x80–0x9F block (the rest is Latin-1)
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function windows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk).replace(/[\u0080-\u009f]/g, (c) => CP1252.charAt(c.charCodeAt(0) - 0x80));
  }
  return out;
}

function binaire(nom: string): ImportError {
  return new ImportError(
    'FICHIER_BINAIRE',
    `Le fichier « ${nom} » n'est pas un texte lisible (contenu binaire) : importez un fichier .txt, .md, .pdf ou .docx.`,
  );
}

function pdfSansTexte(nom: string, pagesOcr: number): ImportError {
  return new ImportError(
    'PDF_SANS_TEXTE',
    `Le PDF « ${nom} » ne contient pas de texte : il n'a pas de couche texte et la reconnaissance de caractères (OCR) n'a rien lu sur ${pagesOcr > 1 ? `ses ${pagesOcr} pages` : 'sa page'}. Vérifiez que la numérisation n'est pas blanche ou illisible, ou importez le fichier Word d'origine.`,
  );
}

/** Fewer letters and digits than this in a page's text layer: the page is a scan, read by OCR. */
const SIGNES_PAGE_TEXTE = 20;

interface Item {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
  /** a whole word, as OCR gives them: always a space before the next one */
  mot?: boolean;
}

/**
 * The text layer of a PDF, page by page, rebuilt into lines: items on one baseline form a line, a wide
 * horizontal gap becomes a tab (table cell), a wide vertical gap a blank line; lines repeated at the top
 * or bottom of most pages (headers, footers) are dropped.
 */
async function lirePdf(
  bytes: Uint8Array,
  nom: string,
  limites: Limites,
  surOcr?: (p: ProgressionOcr) => void,
): Promise<{ texte: string; ocr: DocumentLu['ocr'] }> {
  const { getDocumentProxy } = await import('unpdf');
  let pdf;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      isEvalSupported: false,
      useSystemFonts: false,
      verbosity: 0,
    } as never);
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    if (name === 'PasswordException')
      throw new ImportError(
        'PDF_PROTEGE',
        `Le PDF « ${nom} » est protégé par un mot de passe : importez une version non protégée.`,
      );
    throw new ImportError('PDF_ILLISIBLE', `Le PDF « ${nom} » est illisible ou endommagé.`);
  }
  try {
    verifierPages(pdf.numPages, nom, limites);
    const parPage: Item[][] = [];
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      const items: Item[] = [];
      // a text item's transform is the 6-number matrix [a, b, c, d, e, f]
      type Transform = [number, number, number, number, number, number];
      for (const it of content.items as Array<{ str?: string; transform?: Transform; width?: number }>) {
        if (!it.str || !it.transform || it.str.trim() === '') continue;
        const [a, b, , d, e, f] = it.transform;
        items.push({ str: it.str, x: e, y: f, w: it.width ?? 0, size: Math.max(1, Math.hypot(a, b) || Math.abs(d)) });
      }
      parPage.push(items);
      page.cleanup();
    }
    // pages without usable text are scans: read by OCR, in their place among the others
    const scans = parPage.flatMap((items, i) =>
      items.reduce((n, it) => n + (it.str.match(/[\p{L}\d]/gu)?.length ?? 0), 0) < SIGNES_PAGE_TEXTE ? [i + 1] : [],
    );
    let ocr: DocumentLu['ocr'] = null;
    if (scans.length) {
      verifierPagesOcr(scans.length, nom, limites);
      const { lirePagesOcr } = await import('./ocr.js');
      const lues = await lirePagesOcr(pdf, scans, surOcr);
      for (const l of lues) parPage[l.numero - 1] = l.mots;
      ocr = lues.map((l) => ({ page: l.numero, confiance: l.confiance }));
    }
    // the text's right margin, over the whole document: a short last page does not move it
    const marge = Math.max(0, ...parPage.flat().map((it) => it.x + it.w));
    return { texte: pagesBoutABout(sansEntetes(parPage.map((items) => lignesPdf(items, marge)))).join('\n'), ocr };
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError('PDF_ILLISIBLE', `Le PDF « ${nom} » est illisible ou endommagé.`);
  } finally {
    await pdf.destroy();
  }
}

interface Segment {
  x: number;
  text: string;
}

/** The width of a row's first word, estimated from its first item (a proportional share of its width). */
function premierMot(it: Item): number {
  const s = it.str.trimStart();
  const mot = /^\S+/.exec(s)?.[0] ?? '';
  return s.length ? (it.w * mot.length) / s.length : 0;
}

function lignesPdf(items: Item[], marge: number): string[] {
  items.sort((p, q) => q.y - p.y || p.x - q.x);
  const rows: Array<[Item, ...Item[]]> = [];
  for (const it of items) {
    const row = rows.at(-1);
    if (row && Math.abs(row[0].y - it.y) <= row[0].size * 0.4) row.push(it);
    else rows.push([it]);
  }
  // each row as segments: text runs separated by a gap wide enough to be a table column
  const segmented = rows.map((row) => {
    row.sort((p, q) => p.x - q.x);
    const segs: Segment[] = [];
    let end: number | null = null;
    for (const it of row) {
      const gap = end === null ? Infinity : it.x - end;
      const last = segs.at(-1);
      if (gap > it.size * 1.5 || !last) segs.push({ x: it.x, text: it.str });
      else
        last.text +=
          (gap > it.size * 0.12 || it.mot) && !last.text.endsWith(' ') && !it.str.startsWith(' ')
            ? ` ${it.str}`
            : it.str;
      end = it.x + it.w;
    }
    const last = row.at(-1)!;
    return { y: row[0].y, size: row[0].size, segs, fin: last.x + last.w, mot: premierMot(row[0]) };
  });
  // rows of a table share column positions: a cell missing from a row is a blank cell, not a shift
  // a row merged into the one above it is null
  const cells: Array<string | null> = new Array(segmented.length);
  for (let i = 0; i < segmented.length;) {
    const first = segmented[i]!;
    if (first.segs.length < 2) {
      cells[i] = first.segs.map((s) => s.text).join(' ');
      i++;
      continue;
    }
    let j = i;
    // a one-cell line right under a row (at a line's distance) is that cell going on
    const suite = (k: number) => {
      const r = segmented[k];
      if (!r) return false;
      if (r.segs.length >= 2) return true;
      const p = segmented[k - 1]!;
      return k > i && r.segs.length === 1 && p.y - r.y <= r.size * 1.35 && p.y > r.y;
    };
    while (suite(j)) j++;
    while (j > i + 1 && segmented[j - 1]!.segs.length < 2) j--;
    const size = first.size;
    const xs = segmented
      .slice(i, j)
      .filter((r) => r.segs.length >= 2)
      .flatMap((r) => r.segs.map((s) => s.x))
      .sort((a, b) => a - b);
    const anchors: number[] = [];
    for (const x of xs) {
      const last = anchors.at(-1);
      if (last === undefined || x - last > size * 2) anchors.push(x);
    }
    const grille: string[][] = [];
    let debutRang = 0;
    segmented.slice(i, j).forEach((r) => {
      const row = new Array<string>(anchors.length).fill('');
      for (const s of r.segs) {
        // the nearest column, the first one on a tie
        let best = 0;
        let bestGap = Infinity;
        anchors.forEach((x, a) => {
          const gap = Math.abs(x - s.x);
          if (gap < bestGap) {
            best = a;
            bestGap = gap;
          }
        });
        row[best] = row[best] ? `${row[best]} ${s.text}` : s.text;
      }
      grille.push(row);
    });
    // a cell wrapped over several lines: its lines are closer together than the rows are (cell padding)
    const ecarts = segmented.slice(i + 1, j).map((r, n) => segmented[i + n]!.y - r.y);
    const serre = Math.min(...ecarts);
    const fusion = ecarts.length > 1 && Math.max(...ecarts) > serre * 1.35;
    grille.forEach((row, n) => {
      const cible = grille[debutRang];
      if (fusion && n > 0 && ecarts[n - 1]! <= serre * 1.2 && cible) {
        row.forEach((t, c) => {
          if (!t) return;
          const a = cible[c] ?? '';
          cible[c] = !a ? t : /[\p{Lu}\d]-$/u.test(a) ? a + t : `${a} ${t}`;
        });
        cells[i + n] = null;
      } else debutRang = n;
    });
    grille.forEach((row, n) => {
      if (cells[i + n] !== null) cells[i + n] = row.join('\t').replace(/\t+$/, '');
    });
    i = j;
  }
  const out: string[] = [];
  segmented.forEach((r, k) => {
    if (cells[k] === null) return;
    const prev = segmented[k - 1];
    const ecart = prev ? prev.y - r.y : 0;
    if (prev && ecart > Math.max(prev.size, r.size) * 1.9) {
      out.push('', cells[k] ?? '');
    } else if (prev && enSuite(prev, r, ecart, marge) && !/[.;:!?]$/.test(out.at(-1) ?? '.')) {
      // the layout wrapped this line: its first word did not fit at the end of the previous one
      const avant = out.pop()!;
      const texte = cells[k] ?? '';
      out.push(/[\p{Lu}\d]-$/u.test(avant) ? avant + texte : `${avant} ${texte}`);
    } else out.push(cells[k] ?? '');
  });
  return out;
}

interface Rang {
  y: number;
  size: number;
  segs: Segment[];
  fin: number;
  mot: number;
}

/** One line of a paragraph wrapped onto the next: same column, same size, normal leading, no room left. */
function enSuite(prev: Rang, r: Rang, ecart: number, marge: number): boolean {
  if (prev.segs.length !== 1 || r.segs.length !== 1) return false;
  if (Math.abs(prev.size - r.size) > 0.5 || ecart > r.size * 1.6 || ecart <= 0) return false;
  if (Math.abs(prev.segs[0]!.x - r.segs[0]!.x) > r.size * 1.5) return false;
  return prev.fin + r.size * 0.3 + r.mot > marge - r.size * 0.6;
}

/**
 * The pages in one text: a sentence that a page break cut (no final punctuation, the next page going on
 * in lower case) is joined again; otherwise a page break is a paragraph break.
 */
function pagesBoutABout(pages: string[][]): string[] {
  const out: string[] = [];
  for (const page of pages) {
    const lignes = [...page];
    while (lignes.length && !lignes[0]!.trim()) lignes.shift();
    while (lignes.length && !lignes.at(-1)!.trim()) lignes.pop();
    if (!lignes.length) continue;
    while (out.length && !out.at(-1)!.trim()) out.pop();
    const fin = out.at(-1);
    if (fin !== undefined) {
      if (/[\p{L}\d,]$/u.test(fin) && !fin.includes('\t') && /^\p{Ll}/u.test(lignes[0]!)) {
        out[out.length - 1] = `${fin} ${lignes.shift()!}`;
      } else out.push('');
    }
    out.push(...lignes);
  }
  return out;
}

function sansEntetes(pages: string[][]): string[][] {
  if (pages.length < 3) return pages;
  const cle = (l: string) => l.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
  const count = new Map<string, number>();
  for (const p of pages) {
    const nonBlank = p.filter((l) => l.trim());
    const edges = new Set([...nonBlank.slice(0, 2), ...nonBlank.slice(-2)].map(cle));
    for (const k of edges) count.set(k, (count.get(k) ?? 0) + 1);
  }
  const repeated = new Set([...count].filter(([k, n]) => k && n >= Math.max(2, pages.length * 0.5)).map(([k]) => k));
  return pages.map((p) => {
    const nonBlank = p.filter((l) => l.trim());
    const edges = new Set([...nonBlank.slice(0, 2), ...nonBlank.slice(-2)]);
    return p.filter((l) => !(edges.has(l) && repeated.has(cle(l))));
  });
}

async function lireDocx(bytes: Uint8Array, nom: string): Promise<string> {
  const mammoth = (await import('mammoth')).default;
  let html: string;
  try {
    const r = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    html = r.value;
  } catch {
    throw new ImportError('DOCX_ILLISIBLE', `Le fichier Word « ${nom} » est illisible ou endommagé.`);
  }
  return htmlVersTexte(html);
}

/**
 * Word's HTML (from mammoth) to lines: a paragraph per line, a table row per line with its cells separated
 * by tabs (a paragraph inside a cell stays in the cell), list items as "- ".
 */
export function htmlVersTexte(html: string): string {
  let s = html.replace(/<table[^>]*>([^]*?)<\/table>/g, (_m, table: string) => {
    const rows = [...table.matchAll(/<tr[^>]*>([^]*?)<\/tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<t[dh][^>]*>([^]*?)<\/t[dh]>/g)]
        .map((c) =>
          c[1]!
            .replace(/<\/p>\s*<p[^>]*>/g, ' ')
            .replace(/<[^>]+>/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .join('\t'),
    );
    return `\n${rows.join('\n')}\n`;
  });
  s = s
    .replace(/<li[^>]*>/g, '\n- ')
    .replace(/<\/(?:p|h[1-6]|li|ul|ol|div)>|<br\s*\/?>/g, '\n')
    .replace(/<sup>([^<]{0,12})<\/sup>/g, (_m, inner: string) => (/^[a-zA-Zèé]{1,4}$/.test(inner) ? inner : ''))
    .replace(/<[^>]+>/g, '');
  // entities are decoded by the normaliser, after tags are gone
  return s;
}
