import { Hono, type Context } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { ConflictError } from '../../domain/errors.js';
import {
  demanderPublicationDonnees,
  fichiersDonnees,
  listerPublicationsDonnees,
  schemasDonnees,
  type FichierDonnees,
} from '../../usecases/donnees.js';
import type { Env } from '../auth.js';
import { DonneesPublicationPage } from '../pages/donnees.js';

/**
 * The open data: the published conventions and their yearly credits as CSV, each with its Table Schema;
 * and, for the budget officers, their pushes to data.gouv.fr.
 */
export function donneesPages(ctx: Contexte) {
  const app = new Hono<Env>();
  const csv = (c: Context<Env>, f: FichierDonnees) =>
    c.body(f.csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `inline; filename="${f.nom}"`,
    });
  const json = (c: Context<Env>, schema: Record<string, unknown>) =>
    c.body(JSON.stringify(schema, null, 2), 200, { 'content-type': 'application/schema+json; charset=utf-8' });

  app.get('/conventions.csv', async (c) => csv(c, (await fichiersDonnees(ctx)).conventions));
  app.get('/credits-annuels.csv', async (c) => csv(c, (await fichiersDonnees(ctx)).creditsAnnuels));
  app.get('/conventions.schema.json', (c) => json(c, schemasDonnees().conventions));
  app.get('/credits-annuels.schema.json', (c) => json(c, schemasDonnees().creditsAnnuels));

  const page = async (c: Context<Env>, erreur: string | null = null, status: 200 | 409 = 200) =>
    c.html(
      <DonneesPublicationPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        l={await listerPublicationsDonnees(ctx, c.var.acteur)}
        erreur={erreur}
        flash={
          c.req.query('ok') === 'demandee'
            ? {
                type: 'success',
                message:
                  'La publication est demandée : les travaux en arrière-plan envoient les fichiers dans quelques instants. Rechargez la page pour voir le résultat.',
              }
            : null
        }
      />,
      status,
    );
  app.get('/publication', (c) => page(c));
  app.post('/publication', async (c) => {
    try {
      await demanderPublicationDonnees(ctx, c.var.acteur);
    } catch (e) {
      if (e instanceof ConflictError) return page(c, e.message, 409);
      throw e;
    }
    return c.redirect('/donnees/publication?ok=demandee', 303);
  });
  return app;
}
