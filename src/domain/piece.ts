import { ValidationError } from './errors.js';

/**
 * A file kept with a convention: a signed document (the convention, an avenant, a notice letter) is a PDF;
 * a committee's minutes or an obligation's evidence may also be an office document, a spreadsheet or an
 * image, as the teams produce them. The type is read from the name and checked against the file's first
 * bytes, never taken from what the browser says: the file is served back to other users.
 */
export type GenrePiece = 'signe' | 'justificatif';

interface Format {
  extensions: string[];
  mediaType: string;
  /** the file's first bytes */
  signature: number[];
  /** shown in the browser rather than downloaded */
  affichable: boolean;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];

const FORMATS: Record<string, Format> = {
  pdf: { extensions: ['pdf'], mediaType: 'application/pdf', signature: [0x25, 0x50, 0x44, 0x46], affichable: true },
  docx: {
    extensions: ['docx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    signature: ZIP,
    affichable: false,
  },
  xlsx: {
    extensions: ['xlsx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    signature: ZIP,
    affichable: false,
  },
  odt: { extensions: ['odt'], mediaType: 'application/vnd.oasis.opendocument.text', signature: ZIP, affichable: false },
  ods: {
    extensions: ['ods'],
    mediaType: 'application/vnd.oasis.opendocument.spreadsheet',
    signature: ZIP,
    affichable: false,
  },
  png: { extensions: ['png'], mediaType: 'image/png', signature: [0x89, 0x50, 0x4e, 0x47], affichable: true },
  jpeg: { extensions: ['jpg', 'jpeg'], mediaType: 'image/jpeg', signature: [0xff, 0xd8, 0xff], affichable: true },
};

const PERMIS: Record<GenrePiece, string[]> = {
  signe: ['pdf'],
  justificatif: ['pdf', 'docx', 'odt', 'xlsx', 'ods', 'png', 'jpeg'],
};

export const TAILLE_MAX_PIECE = 10 * 1024 * 1024;

/** What the upload field accepts and says, for the forms. */
export const ACCEPTE: Record<GenrePiece, { accept: string; aide: string }> = {
  signe: { accept: 'application/pdf,.pdf', aide: 'PDF, 10 Mo au plus' },
  justificatif: {
    accept: PERMIS.justificatif
      .flatMap((k) => [FORMATS[k]!.mediaType, ...FORMATS[k]!.extensions.map((x) => `.${x}`)])
      .join(','),
    aide: 'PDF, Word, OpenDocument, tableur, PNG ou JPEG, 10 Mo au plus',
  },
};

/**
 * The checked type of a file, or a refusal a budget officer understands, on the given field. A name
 * without a known extension is recognised by its first bytes when they are unambiguous (PDF, images).
 */
export function verifierPiece(nom: string, contenu: Uint8Array, genre: GenrePiece, champ = 'document'): string {
  const refus = (message: string) => new ValidationError([{ champ, message }]);
  if (contenu.byteLength === 0) throw refus('Le fichier joint est vide.');
  if (contenu.byteLength > TAILLE_MAX_PIECE) throw refus('Le fichier joint dépasse 10 Mo.');
  const commence = (f: Format) => f.signature.every((b, i) => contenu[i] === b);
  const extension = /\.([a-z0-9]+)$/i.exec(nom)?.[1]?.toLowerCase() ?? '';
  const cle =
    PERMIS[genre].find((k) => FORMATS[k]!.extensions.includes(extension)) ??
    PERMIS[genre].find((k) => FORMATS[k]!.signature !== ZIP && commence(FORMATS[k]!));
  if (!cle)
    throw refus(
      genre === 'signe'
        ? 'Joignez le document signé en PDF.'
        : 'Ce format n’est pas accepté : joignez un PDF, un document Word ou OpenDocument, un tableur, une image PNG ou JPEG.',
    );
  if (!commence(FORMATS[cle]!))
    throw refus(`Le fichier « ${nom} » n’est pas un ${cle.toUpperCase()} lisible : vérifiez qu’il n’est pas abîmé.`);
  return FORMATS[cle]!.mediaType;
}

/** Whether a kept file is shown in the browser (PDF, images) or downloaded. */
export const estAffichable = (mediaType: string) =>
  Object.values(FORMATS).some((f) => f.mediaType === mediaType && f.affichable);
