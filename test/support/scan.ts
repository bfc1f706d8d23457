/**
 * Scanned PDFs made at test time: a text laid out by pdfkit as the product writes its PDFs (Helvetica,
 * A4), each page rendered to an image by pdf.js, and a new PDF of those images only, without a text layer.
 */
import PDFDocument from 'pdfkit';
import { PDFDocument as PdfLib } from 'pdf-lib';
import { getDocumentProxy, renderPageAsImage } from 'unpdf';
import { completerArrayBuffer } from '../../src/importer/ocr.js';

const MARGE = 56;
const CORPS = 10.5;

/** The text in a PDF with a text layer: one paragraph per line, a table row per line with tabs. */
export async function pdfMisEnPage(texte: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGE });
  const morceaux: Buffer[] = [];
  doc.on('data', (c: Buffer) => morceaux.push(c));
  const fin = new Promise<void>((r) => doc.on('end', () => r()));
  doc.font('Helvetica').fontSize(CORPS);
  const largeur = doc.page.width - 2 * MARGE;
  for (const ligne of texte
    .replace(/\r/g, '')
    .replace(/\u202f/g, '\u00a0')
    .split('\n')) {
    if (!ligne.trim()) {
      doc.moveDown(0.5);
      continue;
    }
    // a Markdown title is drawn as a signed PDF shows it: in bold, without its marks
    const titre = /^#{1,6}\s+(.*)$/.exec(ligne);
    if (titre) {
      doc.font('Helvetica-Bold').text(titre[1]!, MARGE, doc.y, { width: largeur }).font('Helvetica').moveDown(0.6);
      continue;
    }
    if (!ligne.includes('\t')) {
      doc.text(ligne, MARGE, doc.y, { width: largeur }).moveDown(0.6);
      continue;
    }
    const cellules = ligne.split('\t');
    const colonne = largeur / cellules.length;
    const hauteur = Math.max(...cellules.map((c) => doc.heightOfString(c.trim() || ' ', { width: colonne - 12 })));
    if (doc.y + hauteur > doc.page.height - MARGE) doc.addPage();
    const y = doc.y;
    cellules.forEach((c, k) => {
      if (c.trim()) doc.text(c.trim(), MARGE + k * colonne, y, { width: colonne - 12 });
    });
    doc.x = MARGE;
    doc.y = y + hauteur + 4;
  }
  doc.end();
  await fin;
  return new Uint8Array(Buffer.concat(morceaux));
}

/** Each page of `pdf` as a PNG at `dpi`. */
async function pagesEnImages(pdf: Uint8Array, dpi = 150): Promise<Uint8Array[]> {
  completerArrayBuffer();
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  const out: Uint8Array[] = [];
  for (let p = 1; p <= proxy.numPages; p++)
    out.push(
      new Uint8Array(
        await renderPageAsImage(proxy, p, { canvasImport: () => import('@napi-rs/canvas'), scale: dpi / 72 }),
      ),
    );
  await proxy.destroy();
  return out;
}

/** A PDF of images only, one A4 page each: what a scanner gives. */
async function pdfDImages(images: Uint8Array[]): Promise<Uint8Array> {
  const doc = await PdfLib.create();
  for (const png of images) {
    const image = await doc.embedPng(png);
    const page = doc.addPage([595.28, 841.89]);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  return doc.save();
}

/** The text laid out, then scanned: a PDF without a text layer. */
export async function pdfNumerise(texte: string, dpi = 150): Promise<Uint8Array> {
  return pdfDImages(await pagesEnImages(await pdfMisEnPage(texte), dpi));
}

/** A text page then a scanned page, in one PDF. */
export async function pdfMixte(textePage: string, texteScan: string): Promise<Uint8Array> {
  const doc = await PdfLib.create();
  const [texte, scan] = await Promise.all([
    PdfLib.load(await pdfMisEnPage(textePage)),
    PdfLib.load(await pdfNumerise(texteScan)),
  ]);
  const [p1] = await doc.copyPages(texte, [0]);
  const [p2] = await doc.copyPages(scan, [0]);
  doc.addPage(p1!);
  doc.addPage(p2!);
  return doc.save();
}

/** Pages of blank images: a scan of white sheets. */
export async function pdfBlanc(pages: number): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(1240, 1754);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, 1240, 1754);
  const png = new Uint8Array(await canvas.encode('png'));
  return pdfDImages(Array.from({ length: pages }, () => png));
}
