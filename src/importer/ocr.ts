/**
 * Scanned pages read by OCR, in the reading thread: each page is rendered by pdf.js onto a canvas and
 * read by tesseract (French data shipped in its npm package, nothing downloaded, nothing cached on disk).
 * Words come back with their boxes, in the PDF's units, so that the text layer's line building applies.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'tesseract.js';
import { chiffresDesCodes } from './chorus.js';

export interface Mot {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
  mot: true;
}

export interface PageOcr {
  numero: number;
  mots: Mot[];
  /** tesseract's page confidence, 0 to 100 */
  confiance: number;
}

export interface ProgressionOcr {
  /** the page being read, in the document */
  page: number;
  /** pages of the document */
  pages: number;
  /** rank of this page among the pages read by OCR, and their number */
  rang: number;
  total: number;
}

/** 200 dpi: body text of 10–11 pt is read well; more costs time without better reading. */
const ECHELLE = 200 / 72;

/** pdf.js calls ArrayBuffer.prototype.transferToFixedLength while rendering fonts, which Node 20 lacks. */
export function completerArrayBuffer(): void {
  if ('transferToFixedLength' in ArrayBuffer.prototype) return;
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, longueur?: number) {
      return this.slice(0, longueur ?? this.byteLength);
    },
  });
}

function dossierFrancais(): string {
  const require = createRequire(import.meta.url);
  // the LSTM model only (the engine's default mode), smaller and faster than the legacy one
  return path.join(path.dirname(require.resolve('@tesseract.js-data/fra/package.json')), '4.0.0_best_int');
}

/** Reads `numeros` (1-based) by OCR, one tesseract worker for the whole document, ended in every case. */
export async function lirePagesOcr(
  pdf: PDFDocumentProxy,
  numeros: number[],
  signaler?: (p: ProgressionOcr) => void,
): Promise<PageOcr[]> {
  completerArrayBuffer();
  const [{ renderPageAsImage }, { createWorker, OEM }] = await Promise.all([import('unpdf'), import('tesseract.js')]);
  const worker = await createWorker('fra', OEM.LSTM_ONLY, {
    langPath: dossierFrancais(),
    gzip: true,
    cacheMethod: 'none',
  });
  try {
    const out: PageOcr[] = [];
    for (const [i, numero] of numeros.entries()) {
      signaler?.({ page: numero, pages: pdf.numPages, rang: i + 1, total: numeros.length });
      const png = await renderPageAsImage(pdf, numero, {
        canvasImport: () => import('@napi-rs/canvas'),
        scale: ECHELLE,
      });
      const page = await pdf.getPage(numero);
      const hauteur = page.getViewport({ scale: 1 }).height;
      page.cleanup();
      const { data } = await worker.recognize(Buffer.from(png), {}, { text: false, blocks: true });
      out.push({ numero, mots: motsDe(data.blocks ?? [], hauteur), confiance: data.confidence });
    }
    return out;
  } finally {
    await worker.terminate();
  }
}

type Blocs = NonNullable<Page['blocks']>;
type PDFDocumentProxy = Awaited<ReturnType<typeof import('unpdf').getDocumentProxy>>;

/**
 * Tesseract's words as text items: pixels to PDF units, origin at the bottom, one baseline per line. A
 * line's height varies with its letters (ascenders, descenders): lines near the page's usual height get
 * that height, as a text layer gives one font size to a paragraph.
 */
function motsDe(blocs: Blocs, hauteur: number): Mot[] {
  const lignes = blocs.flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
  const tailles = lignes.map((l) => Math.max(1, (l.rowAttributes?.rowHeight || l.bbox.y1 - l.bbox.y0) / ECHELLE));
  const usuelle = [...tailles].sort((a, b) => a - b)[Math.floor(tailles.length / 2)] ?? 1;
  const mots: Mot[] = [];
  lignes.forEach((l, i) => {
    const t = tailles[i]!;
    const taille = Math.abs(t - usuelle) <= usuelle * 0.2 ? usuelle : t;
    const base = Math.max(l.baseline?.y0 ?? l.bbox.y1, l.baseline?.y1 ?? l.bbox.y1) / ECHELLE;
    for (const w of l.words) {
      // a vertical bar before small letters is an l ("|es")
      const str = w.text.trim().replace(/^\|(?=\p{Ll})/u, 'l');
      // rules and specks read as stray marks, with no letter or digit
      if (!str || (!/[\p{L}\d]/u.test(str) && w.confidence < 50)) continue;
      mots.push({
        str: chiffresDesCodes(str),
        x: w.bbox.x0 / ECHELLE,
        y: hauteur - base,
        w: (w.bbox.x1 - w.bbox.x0) / ECHELLE,
        size: taille,
        mot: true,
      });
    }
  });
  return mots;
}
