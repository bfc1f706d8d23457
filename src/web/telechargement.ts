import type { Context } from 'hono';
import { versDocx } from '../generators/docx.js';
import type { DocumentGenere } from '../generators/modele.js';
import { versPdf } from '../generators/pdf.js';

/** A generated document sent as a download, in the format asked; its template version in a header. */
export type FormatDocument = 'docx' | 'pdf';

export async function envoyerDocument(
  c: Context,
  format: FormatDocument,
  nom: string,
  d: DocumentGenere,
): Promise<Response> {
  const docx = format === 'docx';
  const corps = docx ? await versDocx(d) : await versPdf(d);
  return c.body(corps as unknown as ArrayBuffer, 200, {
    'Content-Type': docx
      ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
      : 'application/pdf',
    'Content-Disposition': `attachment; filename="${nom}.${format}"`,
    'X-Modele-Document': d.modele,
  });
}
