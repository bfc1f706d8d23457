import { Hono } from 'hono';
import { signerAvenant } from '../../usecases/avenant.js';
import type { Contexte } from '../../usecases/contexte.js';
import { signatureEntreeApi } from '../api/convention-cycle.js';
import type { Env } from '../auth.js';
import { pageConvention } from './convention.js';
import { corps, lireFormulaire, traiter } from './operation.js';

/** An avenant's signature posted from the convention's page. */
export function avenantPages(ctx: Contexte) {
  const app = new Hono<Env>();
  app.post('/conventions/:id/avenants/:numero/signature', async (c) => {
    const id = c.req.param('id');
    const numero = /^\d{1,6}$/.test(c.req.param('numero')) ? Number(c.req.param('numero')) : -1;
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { partie: 'texte', date: 'texte' }, signatureEntreeApi);
    return traiter(
      c,
      'avenant',
      f,
      erreurs,
      data &&
        (async () => {
          await signerAvenant(ctx, c.var.acteur, id, numero, data);
          return `/conventions/${id}?ok=signature#avenants`;
        }),
      (etat, status) => pageConvention(ctx, c, id, etat, status),
    );
  });
  return app;
}
