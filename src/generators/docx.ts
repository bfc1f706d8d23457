import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Bloc, DocumentGenere } from './modele.js';
import { POLICE_DOCX } from './police.js';

/** The document model as a Word file (OOXML), through the `docx` library. */

const NIVEAUX = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;
const SANS_BORDURE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function cellule(texte: string, opts: { gras?: boolean; droite?: boolean; bordures?: boolean } = {}): TableCell {
  return new TableCell({
    children: texte.split('\n').map(
      (ligne) =>
        new Paragraph({
          alignment: opts.droite ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text: ligne, bold: opts.gras })],
        }),
    ),
    ...(opts.bordures === false
      ? { borders: { top: SANS_BORDURE, bottom: SANS_BORDURE, left: SANS_BORDURE, right: SANS_BORDURE } }
      : {}),
  });
}

function blocs(b: Bloc): (Paragraph | Table)[] {
  switch (b.type) {
    case 'titre':
      return [new Paragraph({ heading: NIVEAUX[b.niveau - 1], children: [new TextRun({ text: b.texte })] })];
    case 'paragraphe':
      return [
        new Paragraph({
          alignment: b.centre ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
          children: [new TextRun({ text: b.texte, bold: b.gras })],
        }),
      ];
    case 'liste':
      return b.items.map((t) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: t })] }));
    case 'tableau':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({
              tableHeader: true,
              children: b.entetes.map((t, i) => cellule(t, { gras: true, droite: b.droite?.includes(i) })),
            }),
            ...b.lignes.map(
              (l) => new TableRow({ children: l.map((t, i) => cellule(t, { droite: b.droite?.includes(i) })) }),
            ),
          ],
        }),
        new Paragraph({ children: [] }),
      ];
    case 'signatures':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({
              children: b.parties.map((p) =>
                cellule(`Pour ${p.qualite},\n${p.nom}\n${p.representant}\n\n\nSignature :`, { bordures: false }),
              ),
            }),
          ],
        }),
      ];
  }
}

export async function versDocx(d: DocumentGenere): Promise<Uint8Array> {
  const doc = new Document({
    title: d.titre,
    creator: 'Délégations',
    description: `Modèle ${d.modele}`,
    keywords: d.modele,
    styles: { default: { document: { run: { font: POLICE_DOCX, size: 21 } } } },
    sections: [
      {
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ text: `Modèle ${d.modele}`, size: 14, color: '666666' })],
              }),
            ],
          }),
        },
        children: d.blocs.flatMap(blocs),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
