import type { Context } from 'hono';
import { calendrierConvention } from '../generators/agenda.js';
import { versDocx } from '../generators/docx.js';
import type { DocumentGenere } from '../generators/modele.js';
import { versPdf } from '../generators/pdf.js';
import { lireAgendaConvention } from '../usecases/a-faire.js';
import type { Contexte } from '../usecases/contexte.js';
import type { Env } from './auth.js';

/** A file name's part drawn from the data: letters, digits, `_` and `-` only. */
export const nomFichier = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

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

/**
 * The calendar file of the convention named by the route's `:id`, as the caller may read it: the page and the
 * API send the same one, its addresses absolute and its DTSTAMP from the application's clock.
 */
export async function envoyerAgendaConvention(c: Context<Env>, ctx: Contexte, urlPublique: string): Promise<Response> {
  const a = await lireAgendaConvention(ctx, c.var.acteur, c.req.param('id') ?? '');
  const texte = calendrierConvention(
    { id: a.convention.id, libelle: a.libelle, evenements: a.evenements },
    { urlPublique, le: ctx.now() },
  );
  return c.body(texte, 200, {
    'Content-Type': 'text/calendar; charset=utf-8',
    'Content-Disposition': `attachment; filename="convention-${nomFichier(a.convention.reference ?? a.convention.id)}.ics"`,
    'Cache-Control': 'private, no-store',
  });
}
