/**
 * The typeface of generated documents. Marianne, shipped by the DSFR package, is excluded from its MIT
 * licence and reserved to the State's websites: it is not embedded. The PDF uses Helvetica, one of the
 * standard PDF fonts that every reader has (no font file shipped); the DOCX names Arial, its usual
 * equivalent.
 */
export const POLICE_DOCX = 'Arial';
export const POLICE_PDF = 'Helvetica';
export const POLICE_PDF_GRAS = 'Helvetica-Bold';

/**
 * Text for the standard PDF fonts (WinAnsi): the narrow no-break space of French number formatting
 * becomes a no-break space, which they have.
 */
export const pourPdf = (s: string): string => s.replace(/\u202f/g, '\u00a0');
