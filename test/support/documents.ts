/** Builds small PDF and Word files from text at test time: one line per text line, a table row per tab line. */
import { Document as Docx, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import zlib from 'node:zlib';
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

/**
 * A "zip bomb" Word file: a valid .docx whose document part inflates to `mo` megabytes of XML while the
 * file itself weighs a few hundred kilobytes.
 */
export function docxBombe(mo: number): Uint8Array {
  const entrees: Array<[string, Buffer]> = [
    [
      '[Content_Types].xml',
      Buffer.from(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    ],
    [
      'word/document.xml',
      Buffer.concat([
        Buffer.from(
          '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
        ),
        Buffer.alloc(mo * 1024 * 1024, 0x20),
        Buffer.from('</w:t></w:r></w:p></w:body></w:document>'),
      ]),
    ],
  ];
  return zip(entrees, 8);
}

/** A small PDF with one content stream that inflates to `mo` megabytes. */
export function pdfGonfle(mo: number): Uint8Array {
  const flux = zlib.deflateSync(Buffer.alloc(mo * 1024 * 1024, 0x20));
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let taille = 0;
  const ajouter = (b: Buffer) => {
    parts.push(b);
    taille += b.length;
  };
  ajouter(Buffer.from('%PDF-1.7\n'));
  const objet = (n: number, corps: Buffer) => {
    offsets[n] = taille;
    ajouter(Buffer.concat([Buffer.from(`${n} 0 obj\n`), corps, Buffer.from('\nendobj\n')]));
  };
  objet(1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'));
  objet(2, Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'));
  objet(3, Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'));
  objet(
    4,
    Buffer.concat([
      Buffer.from(`<< /Length ${flux.length} /Filter /FlateDecode >>\nstream\n`),
      flux,
      Buffer.from('\nendstream'),
    ]),
  );
  const xref = taille;
  const lignes = ['xref', '0 5', '0000000000 65535 f '];
  for (let n = 1; n <= 4; n++) lignes.push(`${String(offsets[n]).padStart(10, '0')} 00000 n `);
  ajouter(Buffer.from(`${lignes.join('\n')}\ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

/** A zip of `entrees`, each part deflated (method 8) or stored as is (method 0). */
function zip(entrees: Array<[string, Buffer]>, methode: 0 | 8): Uint8Array {
  const locaux: Buffer[] = [];
  const centraux: Buffer[] = [];
  let offset = 0;
  for (const [nom, contenu] of entrees) {
    const comprime = methode === 8 ? zlib.deflateRawSync(contenu) : contenu;
    const n = Buffer.from(nom);
    const crc = zlib.crc32(contenu);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(methode, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comprime.length, 18);
    local.writeUInt32LE(contenu.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(methode, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comprime.length, 20);
    central.writeUInt32LE(contenu.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locaux.push(local, n, comprime);
    centraux.push(central, n);
    offset += 30 + n.length + comprime.length;
  }
  const dir = Buffer.concat(centraux);
  const fin = Buffer.alloc(22);
  fin.writeUInt32LE(0x06054b50, 0);
  fin.writeUInt16LE(entrees.length, 8);
  fin.writeUInt16LE(entrees.length, 10);
  fin.writeUInt32LE(dir.length, 12);
  fin.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locaux, dir, fin]));
}

/**
 * The same Word file with its parts stored instead of deflated, as some zip tools write them: a damaged
 * byte then falls in the XML itself rather than in a compressed stream.
 */
export function docxNonCompresse(docx: Uint8Array): Uint8Array {
  const b = Buffer.from(docx);
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entrees: Array<[string, Buffer]> = [];
  let p = b.readUInt32LE(eocd + 16);
  for (let k = 0; k < b.readUInt16LE(eocd + 10); k++) {
    const methode = b.readUInt16LE(p + 10);
    const compresse = b.readUInt32LE(p + 20);
    const nom = b.subarray(p + 46, p + 46 + b.readUInt16LE(p + 28)).toString();
    const local = b.readUInt32LE(p + 42);
    const debut = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const donnees = b.subarray(debut, debut + compresse);
    entrees.push([nom, methode === 8 ? zlib.inflateRawSync(donnees) : Buffer.from(donnees)]);
    p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  return zip(entrees, 0);
}
