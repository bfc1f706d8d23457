/**
 * File readers: the text of a .txt / .md, of a PDF's text layer, of a .docx. Each refusal carries a stable
 * code and a French message that says what to do.
 */
import { createHash } from 'node:crypto';
import { ImportError, LIMITES_DEFAUT, verifierDocx, verifierPages, verifierPdf, type Limites } from './limites.js';

export type Format = 'texte' | 'markdown' | 'pdf' | 'docx';

export interface DocumentLu {
  nom: string;
  format: Format;
  mediaType: string;
  taille: number;
  sha256: string;
  /** the text as the file gives it, before normalisation */
  texte: string;
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
export async function lireFichier(
  bytes: Uint8Array,
  nom: string,
  opts: { tailleMax?: number; limites?: Partial<Limites> } = {},
): Promise<DocumentLu> {
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
  if (commence(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) {
    format = 'pdf';
    verifierPdf(bytes, nom, limites);
    texte = await lirePdf(bytes, nom, limites);
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
    if (format === 'pdf') throw pdfSansTexte(nom);
    throw new ImportError('FICHIER_VIDE', `Le fichier « ${nom} » ne contient aucun texte.`);
  }
  return { nom, format, mediaType: MEDIA[format], taille: bytes.length, sha256, texte };
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

function pdfSansTexte(nom: string): ImportError {
  return new ImportError(
    'PDF_SANS_TEXTE',
    `Le PDF « ${nom} » ne contient pas de texte (document numérisé sans couche texte) : passez-le d'abord par une reconnaissance de caractères (OCR) ou importez le fichier Word d'origine.`,
  );
}

interface Item {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
}

/**
 * The text layer of a PDF, page by page, rebuilt into lines: items on one baseline form a line, a wide
 * horizontal gap becomes a tab (table cell), a wide vertical gap a blank line; lines repeated at the top
 * or bottom of most pages (headers, footers) are dropped.
 */
async function lirePdf(bytes: Uint8Array, nom: string, limites: Limites): Promise<string> {
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
    const pages: string[][] = [];
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
      pages.push(lignesPdf(items));
      page.cleanup();
    }
    return sansEntetes(pages).join('\n');
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

function lignesPdf(items: Item[]): string[] {
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
          gap > it.size * 0.12 && !last.text.endsWith(' ') && !it.str.startsWith(' ') ? ` ${it.str}` : it.str;
      end = it.x + it.w;
    }
    return { y: row[0].y, size: row[0].size, segs };
  });
  // rows of a table share column positions: a cell missing from a row is a blank cell, not a shift
  const cells: string[] = new Array(segmented.length);
  for (let i = 0; i < segmented.length;) {
    const first = segmented[i]!;
    if (first.segs.length < 2) {
      cells[i] = first.segs.map((s) => s.text).join(' ');
      i++;
      continue;
    }
    let j = i;
    while ((segmented[j]?.segs.length ?? 0) >= 2) j++;
    const size = first.size;
    const xs = segmented
      .slice(i, j)
      .flatMap((r) => r.segs.map((s) => s.x))
      .sort((a, b) => a - b);
    const anchors: number[] = [];
    for (const x of xs) {
      const last = anchors.at(-1);
      if (last === undefined || x - last > size * 2) anchors.push(x);
    }
    segmented.slice(i, j).forEach((r, n) => {
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
      cells[i + n] = row.join('\t').replace(/\t+$/, '');
    });
    i = j;
  }
  const out: string[] = [];
  segmented.forEach((r, k) => {
    const prev = segmented[k - 1];
    if (prev && prev.y - r.y > Math.max(prev.size, r.size) * 1.9) out.push('');
    out.push(cells[k] ?? '');
  });
  return out;
}

function sansEntetes(pages: string[][]): string[] {
  if (pages.length < 3) return pages.flat();
  const cle = (l: string) => l.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
  const count = new Map<string, number>();
  for (const p of pages) {
    const nonBlank = p.filter((l) => l.trim());
    const edges = new Set([...nonBlank.slice(0, 2), ...nonBlank.slice(-2)].map(cle));
    for (const k of edges) count.set(k, (count.get(k) ?? 0) + 1);
  }
  const repeated = new Set([...count].filter(([k, n]) => k && n >= Math.max(2, pages.length * 0.5)).map(([k]) => k));
  return pages.flatMap((p) => {
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
