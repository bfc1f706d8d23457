/** Builds small PDF and Word files from text at test time: one line per text line, a table row per tab line. */
import { Document as Docx, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Splits a long line where the next word starts in lower case, as a PDF wraps a paragraph. */
function wrap(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = -1;
    for (let i = Math.min(max, rest.length - 1); i > max / 2; i--) {
      if (rest[i] === ' ' && /[a-zà-ÿ]/.test(rest[i + 1] ?? '')) {
        cut = i;
        break;
      }
    }
    if (cut < 0) break;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  out.push(rest);
  return out;
}

export async function pdfDepuisTexte(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const encodable = new Set(font.getCharacterSet());
  const clean = (s: string) => [...s].filter((c) => encodable.has(c.codePointAt(0)!)).join('');
  const size = 7;
  const [width, height] = [1190, 842];
  let page = doc.addPage([width, height]);
  let y = height - 40;
  const newLine = (gap = 1.3) => {
    y -= size * gap;
    if (y < 40) {
      page = doc.addPage([width, height]);
      y = height - 40;
    }
  };
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    if (raw.trim() === '') {
      newLine(1);
      continue;
    }
    if (raw.includes('\t')) {
      raw.split('\t').forEach((cell, k) => {
        const c = clean(cell.trim());
        if (c) page.drawText(c.slice(0, 60), { x: 40 + k * 220, y, size, font });
      });
      newLine();
      continue;
    }
    for (const part of wrap(raw, 300)) {
      const c = clean(part);
      if (c) page.drawText(c, { x: 40, y, size, font });
      newLine();
    }
  }
  return doc.save();
}

/** A "scanned" PDF: drawings only, no text layer. */
export async function pdfSansTexte(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  for (let i = 0; i < 20; i++) page.drawRectangle({ x: 40, y: 800 - i * 30, width: 400 - i * 7, height: 12 });
  return doc.save();
}

export async function docxDepuisTexte(text: string): Promise<Uint8Array> {
  const children: Array<Paragraph | Table> = [];
  let rows: TableRow[] = [];
  const flush = () => {
    if (rows.length) children.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
    rows = [];
  };
  for (const line of text.replace(/\r/g, '').split('\n')) {
    if (line.includes('\t')) {
      rows.push(
        new TableRow({ children: line.split('\t').map((c) => new TableCell({ children: [new Paragraph(c.trim())] })) }),
      );
      continue;
    }
    flush();
    children.push(new Paragraph({ children: [new TextRun(line)] }));
  }
  flush();
  const doc = new Docx({ sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}
