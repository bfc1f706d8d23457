import { Hono } from 'hono';
import { z } from 'zod';
import { PHASES } from '../../domain/convention.js';
import type { FiltrePubliees } from '../../domain/publication.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  lireConventionPubliee,
  lireProduitPublie,
  publierConvention,
  rechercherConventionsPubliees,
  retirerPublication,
} from '../../usecases/publication.js';
import { ConventionPubliquePage, ProduitPublicPage, PubliqueListePage } from '../pages/publication.js';
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

  // the public pages: anyone, logged in or not; only published and signed conventions exist there
  app.get('/publications', async (c) => {
    const lu = filtrePublic.safeParse(c.req.query());
    const f: FiltrePubliees = lu.success ? lu.data : {};
    const liste = await rechercherConventionsPubliees(ctx, f);
    return c.html(<PubliqueListePage acteur={c.var.acteur} liste={liste} f={f} erreur={!lu.success} />);
  });

  app.get('/publications/conventions/:id', async (c) =>
    c.html(<ConventionPubliquePage acteur={c.var.acteur} vue={await lireConventionPubliee(ctx, c.req.param('id'))} />),
  );

  app.get('/publications/produits/:produit', async (c) =>
    c.html(<ProduitPublicPage acteur={c.var.acteur} p={await lireProduitPublie(ctx, c.req.param('produit'))} />),
  );

  return app;
}

const vide = (v: unknown) => (v === '' ? undefined : v);
const filtrePublic = z.object({
  ministere: z.preprocess(vide, z.string().max(300).optional()),
  annee: z.preprocess(vide, z.coerce.number().int().min(2000).max(2100).optional()),
  phase: z.preprocess(vide, z.enum(PHASES).optional()),
  promotion: z.preprocess(vide, z.string().max(100).optional()),
});
