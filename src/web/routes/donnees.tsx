import { Hono, type Context } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { fichiersDonnees, schemasDonnees, type FichierDonnees } from '../../usecases/donnees.js';
import type { Env } from '../auth.js';

/** The open data: the published conventions and their yearly credits as CSV, each with its Table Schema. */
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
  return app;
}
