import { Hono } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { publierConvention, retirerPublication } from '../../usecases/publication.js';
import { publicationEntreeApi } from '../api/publication.js';
import type { Env } from '../auth.js';
import { corps, lireFormulaire, traiter } from './operation.js';
import { pageConvention } from './convention.js';

/** The « publiée » decision posted from a convention's page: form → API schema → use case → back to the page. */
export function publicationPages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.post('/conventions/:id/publication', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { date: 'texte' }, publicationEntreeApi);
    return traiter(
      c,
      'publication',
      f,
      erreurs,
      data &&
        (async () => {
          await publierConvention(ctx, c.var.acteur, id, data.date ?? null);
          return `/conventions/${id}?ok=publication#publication`;
        }),
      (etat, status) => pageConvention(ctx, c, id, etat, status),
    );
  });

  app.post('/conventions/:id/publication/retrait', async (c) => {
    const id = c.req.param('id');
    return traiter(
      c,
      'retrait-publication',
      await corps(c),
      [],
      async () => {
        await retirerPublication(ctx, c.var.acteur, id);
        return `/conventions/${id}?ok=retrait_publication#publication`;
      },
      (etat, status) => pageConvention(ctx, c, id, etat, status),
    );
  });

  return app;
}
