import type PDFDocument from 'pdfkit';
import type { Bloc, DocumentGenere } from './modele.js';
import { POLICE_PDF, POLICE_PDF_GRAS, pourPdf } from './police.js';

/** The document model as a PDF with a text layer, through `pdfkit`: text flows and breaks pages by itself. */

type Pdf = InstanceType<typeof PDFDocument>;

const TAILLES = [16, 13, 11.5] as const;
const CORPS = 10.5;
const MARGE = 56;
/** a cell's inner margin: two cells' texts stay far enough apart to be read as two columns */
const RETRAIT = 9;

function largeurUtile(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function basDePage(doc: Pdf): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Rows drawn cell by cell, left to right: the text layer reads a row in the order of its columns. */
function tableau(doc: Pdf, entetes: string[], lignes: string[][], droite: number[], bordures = true): void {
  const x0 = doc.page.margins.left;
  const total = largeurUtile(doc);
  const n = entetes.length || (lignes[0]?.length ?? 1);
  // the first column holds labels: it takes a larger share
  const poids = Array.from({ length: n }, (_, i) => (i === 0 && n > 2 ? 1.6 : 1));
  const somme = poids.reduce((a, b) => a + b, 0);
  const largeurs = poids.map((p) => (total * p) / somme);
  const rangs = entetes.length ? [{ cellules: entetes, gras: true }] : [];
  rangs.push(...lignes.map((cellules) => ({ cellules, gras: false })));
  doc.fontSize(bordures ? 9.5 : CORPS);
  for (const rang of rangs) {
    doc.font(rang.gras ? POLICE_PDF_GRAS : POLICE_PDF);
    const hauteur =
      Math.max(
        ...rang.cellules.map((t, i) =>
          doc.heightOfString(aLaLigne(doc, pourPdf(t), largeurs[i]! - 2 * RETRAIT) || ' ', {
            width: largeurs[i]! - 2 * RETRAIT,
          }),
        ),
        doc.currentLineHeight(),
      ) + 6;
    if (doc.y + hauteur > basDePage(doc)) doc.addPage();
    const y = doc.y;
    let x = x0;
    rang.cellules.forEach((t, i) => {
      const w = largeurs[i]!;
      if (bordures) doc.lineWidth(0.5).rect(x, y, w, hauteur).stroke('#555555');
      if (t)
        doc.fillColor('black').text(aLaLigne(doc, pourPdf(t), w - 2 * RETRAIT), x + RETRAIT, y + 3, {
          width: w - 2 * RETRAIT,
          align: droite.includes(i) ? 'right' : 'left',
          lineBreak: true,
        });
      x += w;
    });
    doc.x = x0;
    doc.y = y + hauteur;
  }
  doc.font(POLICE_PDF).fontSize(CORPS).moveDown(0.8);
}

/**
 * Lines broken at spaces only, in the current font: the PDF layout would also break after a hyphen, which
 * splits a Chorus code or « partenaire-délégataire » across two lines of the text layer. A word wider than
 * the line is left to the layout.
 */
function aLaLigne(doc: Pdf, texte: string, largeur: number): string {
  return texte
    .split('\n')
    .map((para) => {
      const lignes: string[] = [];
      let ligne = '';
      for (const mot of para.split(' ')) {
        const essai = ligne ? `${ligne} ${mot}` : mot;
        if (ligne && doc.widthOfString(essai) > largeur - 1) {
          lignes.push(ligne);
          ligne = mot;
        } else ligne = essai;
      }
      lignes.push(ligne);
      return lignes.join('\n');
    })
    .join('\n');
}

function bloc(doc: Pdf, b: Bloc): void {
  const x0 = doc.page.margins.left;
  switch (b.type) {
    case 'titre':
      if (doc.y + 60 > basDePage(doc)) doc.addPage();
      doc
        .moveDown(b.niveau === 1 ? 0.2 : 0.6)
        .font(POLICE_PDF_GRAS)
        .fontSize(TAILLES[b.niveau - 1] ?? CORPS)
        .fillColor(b.niveau === 1 ? '#000091' : 'black')
        .text(pourPdf(b.texte), x0, doc.y, { align: b.niveau === 1 ? 'center' : 'left' })
        .moveDown(0.4);
      doc.fillColor('black');
      return;
    case 'paragraphe':
      doc
        .font(b.gras ? POLICE_PDF_GRAS : POLICE_PDF)
        .fontSize(CORPS)
        .text(aLaLigne(doc, pourPdf(b.texte), largeurUtile(doc)), x0, doc.y, { align: b.centre ? 'center' : 'left' })
        .moveDown(0.5);
      return;
    case 'liste':
      doc.font(POLICE_PDF).fontSize(CORPS);
      for (const item of b.items)
        doc
          .text(aLaLigne(doc, `•  ${pourPdf(item)}`, largeurUtile(doc) - 12), x0 + 12, doc.y, { align: 'left' })
          .moveDown(0.2);
      doc.x = x0;
      doc.moveDown(0.4);
      return;
    case 'tableau':
      tableau(doc, b.entetes, b.lignes, b.droite ?? []);
      return;
    case 'signatures':
      if (doc.y + 120 > basDePage(doc)) doc.addPage();
      doc.moveDown(1);
      tableau(
        doc,
        [],
        [b.parties.map((p) => `Pour ${p.qualite},\n${p.nom}\n${p.representant}\n\n\nSignature :`)],
        [],
        false,
      );
      return;
  }
}

export async function versPdf(d: DocumentGenere): Promise<Uint8Array> {
  // loaded on the first document, not at start-up: a quarter of a second of module loading
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGE,
    bufferPages: true,
    info: { Title: pourPdf(d.titre), Creator: 'Délégations', Subject: `Modèle ${d.modele}`, Keywords: d.modele },
    lang: 'fr-FR',
  });
  const morceaux: Buffer[] = [];
  doc.on('data', (m: Buffer) => morceaux.push(m));
  const fin = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.font(POLICE_PDF).fontSize(CORPS);
  for (const b of d.blocs) bloc(doc, b);
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    const bas = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(POLICE_PDF)
      .fontSize(7.5)
      .fillColor('#666666')
      .text(`Modèle ${d.modele} — page ${i + 1} sur ${pages.count}`, MARGE, doc.page.height - 36, {
        width: doc.page.width - 2 * MARGE,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bas;
  }
  doc.end();
  await fin;
  return new Uint8Array(Buffer.concat(morceaux));
}
