/**
 * Refusals of a file (a stable code and a French message), and the bounds of reading one file: what a hostile or absurd file is refused for, before it can take the
 * memory or the time of the process. Each bound is a setting (see `limitesImport` in config.ts).
 */
import zlib from 'node:zlib';

export type CodeImport =
  | 'FICHIER_VIDE'
  | 'FICHIER_TROP_GROS'
  | 'FICHIER_BINAIRE'
  | 'FORMAT_NON_PRIS_EN_CHARGE'
  | 'PDF_SANS_TEXTE'
  | 'PDF_PROTEGE'
  | 'PDF_ILLISIBLE'
  | 'DOCX_ILLISIBLE'
  | 'FICHIER_INTROUVABLE'
  | 'DOCX_TROP_VOLUMINEUX'
  | 'PDF_TROP_VOLUMINEUX'
  | 'LECTURE_TROP_LONGUE'
  | 'MEMOIRE_DEPASSEE'
  | 'LECTURE_IMPOSSIBLE';

export class ImportError extends Error {
  constructor(
    readonly code: CodeImport,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export interface Limites {
  /** bytes of the file as sent */
  tailleMax: number;
  /** bytes of a .docx once inflated (all its parts together) */
  docxDecompresseMax: number;
  /** inflated size over compressed size, for the whole .docx */
  docxRatioMax: number;
  /** pages of a PDF */
  pdfPagesMax: number;
  /** indirect objects of a PDF */
  pdfObjetsMax: number;
  /** bytes of a PDF's streams once inflated, all together */
  pdfDecompresseMax: number;
  /** milliseconds for reading one file, before OCR */
  delaiMs: number;
  /** pages of one PDF read by OCR */
  ocrPagesMax: number;
  /** milliseconds added to the delay for each page read by OCR */
  ocrPageMs: number;
  /** megabytes of heap of the thread that reads a file */
  memoireMo: number;
}

export const LIMITES_DEFAUT: Limites = {
  tailleMax: 20 * 1024 * 1024,
  docxDecompresseMax: 50 * 1024 * 1024,
  docxRatioMax: 100,
  pdfPagesMax: 300,
  pdfObjetsMax: 200_000,
  pdfDecompresseMax: 200 * 1024 * 1024,
  delaiMs: 120_000,
  ocrPagesMax: 40,
  ocrPageMs: 15_000,
  memoireMo: 768,
};

function mo(n: number): string {
  return `${(n / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

function docxTropGros(nom: string, detail: string): ImportError {
  return new ImportError(
    'DOCX_TROP_VOLUMINEUX',
    `Le fichier Word « ${nom} » est refusé : ${detail}. Un document de convention n'a jamais cette taille ; enregistrez-le à nouveau ou importez son PDF.`,
  );
}

/**
 * A .docx is a zip: its central directory says how big each part is once inflated. The declared sizes are
 * checked first; then each part is inflated with a ceiling on its output (a zip may lie about its sizes),
 * so that nothing larger than the limit is ever held in memory.
 */
export function verifierDocx(bytes: Uint8Array, nom: string, l: Limites): void {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ImportError('DOCX_ILLISIBLE', `Le fichier Word « ${nom} » est illisible ou endommagé.`);
  const entrees = u16(bytes, eocd + 10);
  let p = u32(bytes, eocd + 16);
  let declare = 0;
  const parts: Array<{ methode: number; compresse: number; local: number }> = [];
  for (let k = 0; k < entrees; k++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== 0x02014b50)
      throw new ImportError('DOCX_ILLISIBLE', `Le fichier Word « ${nom} » est illisible ou endommagé.`);
    const methode = u16(bytes, p + 10);
    const compresse = u32(bytes, p + 20);
    const taille = u32(bytes, p + 24);
    const local = u32(bytes, p + 42);
    declare += taille;
    parts.push({ methode, compresse, local });
    p += 46 + u16(bytes, p + 28) + u16(bytes, p + 30) + u16(bytes, p + 32);
  }
  const max = l.docxDecompresseMax;
  const ratio = (n: number) => n / Math.max(1, bytes.length);
  if (declare > max) throw docxTropGros(nom, `une fois décompressé, il ferait ${mo(declare)} (au plus ${mo(max)})`);
  if (ratio(declare) > l.docxRatioMax)
    throw docxTropGros(nom, `il se décompresse ${Math.round(ratio(declare))} fois (au plus ${l.docxRatioMax} fois)`);
  let reel = 0;
  for (const part of parts) {
    const h = part.local;
    if (h + 30 > bytes.length || u32(bytes, h) !== 0x04034b50) continue;
    const debut = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
    const donnees = bytes.subarray(debut, debut + part.compresse);
    if (part.methode === 0) reel += donnees.length;
    else if (part.methode === 8) {
      try {
        reel += zlib.inflateRawSync(donnees, { maxOutputLength: Math.max(1, max - reel) }).length;
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw docxTropGros(nom, `une fois décompressé, il ferait plus de ${mo(max)}`);
        throw new ImportError('DOCX_ILLISIBLE', `Le fichier Word « ${nom} » est illisible ou endommagé.`);
      }
    }
    if (reel > max) throw docxTropGros(nom, `une fois décompressé, il ferait plus de ${mo(max)}`);
  }
  if (ratio(reel) > l.docxRatioMax)
    throw docxTropGros(nom, `il se décompresse ${Math.round(ratio(reel))} fois (au plus ${l.docxRatioMax} fois)`);
}

function pdfTropGros(nom: string, detail: string): ImportError {
  return new ImportError(
    'PDF_TROP_VOLUMINEUX',
    `Le PDF « ${nom} » est refusé : ${detail}. Importez le PDF d'origine de la convention, ou scindez le document.`,
  );
}

/**
 * Counts a PDF's objects and inflates each compressed stream with a ceiling on the total, before pdf.js
 * reads it: a small file whose streams inflate to gigabytes is refused here.
 */
export function verifierPdf(bytes: Uint8Array, nom: string, l: Limites): void {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let objets = 0;
  for (const _ of s.matchAll(/\d+\s+\d+\s+obj\b/g)) {
    if (++objets > l.pdfObjetsMax)
      throw pdfTropGros(nom, `il contient plus de ${l.pdfObjetsMax.toLocaleString('fr-FR')} objets`);
  }
  let total = 0;
  const max = l.pdfDecompresseMax;
  for (const m of s.matchAll(/stream\r?\n/g)) {
    const debut = m.index + m[0].length;
    const dico = s.slice(Math.max(0, m.index - 400), m.index);
    if (!/\/FlateDecode/.test(dico.slice(dico.lastIndexOf('<<')))) continue;
    const fin = s.indexOf('endstream', debut);
    if (fin < 0) continue;
    try {
      const out = zlib.inflateSync(bytes.subarray(debut, fin), {
        maxOutputLength: Math.max(1, max - total),
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      total += out.length;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw pdfTropGros(nom, `ses contenus décompressés dépassent ${mo(max)}`);
      // a damaged stream is pdf.js's business: it skips or refuses it
    }
  }
}

/** The pages to read by OCR, checked before the first one is read. */
export function verifierPagesOcr(pages: number, nom: string, l: Limites): void {
  if (pages > l.ocrPagesMax)
    throw pdfTropGros(
      nom,
      `il a ${pages} pages numérisées à lire par reconnaissance de caractères (au plus ${l.ocrPagesMax})`,
    );
}

/** The page count, checked as soon as pdf.js knows it. */
export function verifierPages(pages: number, nom: string, l: Limites): void {
  if (pages > l.pdfPagesMax) throw pdfTropGros(nom, `il a ${pages} pages (au plus ${l.pdfPagesMax})`);
}
