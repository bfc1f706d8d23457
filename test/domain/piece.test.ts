import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { estAffichable, TAILLE_MAX_PIECE, verifierPiece } from '../../src/domain/piece.js';

const octets = (...debut: number[]) => new Uint8Array([...debut, 0x0a, 0x41, 0x42]);
const PDF = octets(0x25, 0x50, 0x44, 0x46, 0x2d);
const ZIP = octets(0x50, 0x4b, 0x03, 0x04);
const PNG = octets(0x89, 0x50, 0x4e, 0x47);
const JPEG = octets(0xff, 0xd8, 0xff, 0xe0);

/** The refusal's field and message, or null when the file is accepted. */
function refus(...args: Parameters<typeof verifierPiece>) {
  try {
    verifierPiece(...args);
    return null;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.erreurs[0];
  }
}

describe('files kept with a convention', () => {
  it('takes a signed document as a PDF only, known by its name or, without an extension, by its first bytes', () => {
    expect(verifierPiece('convention signée.PDF', PDF, 'signe')).toBe('application/pdf');
    expect(verifierPiece('scan', PDF, 'signe')).toBe('application/pdf');
    expect(refus('convention.docx', ZIP, 'signe')?.message).toBe('Joignez le document signé en PDF.');
    expect(refus('scan', PNG, 'signe')?.message).toBe('Joignez le document signé en PDF.');
  });

  it('takes minutes and evidence as PDF, office documents, spreadsheets and images, with their own media type', () => {
    expect(verifierPiece('cr.docx', ZIP, 'justificatif')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(verifierPiece('suivi.ods', ZIP, 'justificatif')).toBe('application/vnd.oasis.opendocument.spreadsheet');
    expect(verifierPiece('capture.png', PNG, 'justificatif')).toBe('image/png');
    expect(verifierPiece('photo.JPG', JPEG, 'justificatif')).toBe('image/jpeg');
    expect(verifierPiece('photo', JPEG, 'justificatif')).toBe('image/jpeg');
    // a ZIP's first bytes say nothing of what it holds: without its extension it is refused
    expect(refus('compte-rendu', ZIP, 'justificatif')?.message).toMatch(/^Ce format n’est pas accepté/);
    expect(refus('page.html', octets(0x3c, 0x68), 'justificatif')?.message).toMatch(/^Ce format n’est pas accepté/);
    expect(refus('outil.exe', octets(0x4d, 0x5a), 'justificatif')?.message).toMatch(/^Ce format n’est pas accepté/);
  });

  it('refuses a file whose content is not what its name says, an empty one and one over 10 MB, on the field given', () => {
    expect(
      refus('cr.pdf', new TextEncoder().encode('<script>alert(1)</script>'), 'justificatif', 'compte_rendu'),
    ).toEqual({
      champ: 'compte_rendu',
      message: 'Le fichier « cr.pdf » n’est pas un PDF lisible : vérifiez qu’il n’est pas abîmé.',
    });
    expect(refus('cr.docx', PDF, 'justificatif')?.message).toMatch(/n’est pas un DOCX lisible/);
    expect(refus('vide.pdf', new Uint8Array(), 'signe')).toEqual({
      champ: 'document',
      message: 'Le fichier joint est vide.',
    });
    const gros = new Uint8Array(TAILLE_MAX_PIECE + 1);
    gros.set(PDF);
    expect(refus('gros.pdf', gros, 'signe')?.message).toBe('Le fichier joint dépasse 10 Mo.');
    const juste = new Uint8Array(TAILLE_MAX_PIECE);
    juste.set(PDF);
    expect(verifierPiece('juste.pdf', juste, 'signe')).toBe('application/pdf');
  });

  it('shows PDF and images in the browser and has the other files downloaded', () => {
    expect(estAffichable('application/pdf')).toBe(true);
    expect(estAffichable('image/png')).toBe(true);
    expect(estAffichable('application/vnd.oasis.opendocument.text')).toBe(false);
    expect(estAffichable('text/html')).toBe(false);
  });
});
