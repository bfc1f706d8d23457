import { Hono, type MiddlewareHandler } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { listerAFaire } from '../../usecases/a-faire.js';
import { aFaireFiltreApi } from '../api/a-faire.js';
import type { Env } from '../auth.js';
import { AFairePage } from '../pages/a-faire.js';
import { flashDe } from './operation.js';

/** The home page: « À faire » for a logged-in agent, the register for the public. */

export function aFairePages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/', async (c) => {
    const acteur = c.var.acteur;
    if (acteur.role === 'public') return c.redirect('/conventions');
    const f = aFaireFiltreApi.safeParse(c.req.query());
    const filtre: { convention_id?: string; partenaire?: string } = f.success ? f.data : {};
    const tous = await listerAFaire(ctx, acteur);
    c.set('aFaire', tous.length);
    const items = tous.filter(
      (i) =>
        (!filtre.convention_id || i.conventionId === filtre.convention_id) &&
        (!filtre.partenaire || i.partenaire === filtre.partenaire),
    );
    return c.html(
      <AFairePage
        acteur={acteur}
        csrf={c.var.csrf}
        items={items}
        tous={tous}
        filtre={{ conventionId: filtre.convention_id, partenaire: filtre.partenaire }}
        flash={flashDe(c)}
      />,
    );
  });

  return app;
}

/** Counts « À faire » for the header of every page a logged-in agent opens. */
export function compteAFaire(ctx: Contexte): MiddlewareHandler<Env> {
  return async (c, next) => {
    c.set('aFaire', null);
    if (
      c.req.method === 'GET' &&
      c.var.acteur.role !== 'public' &&
      c.req.path !== '/' &&
      !c.req.path.startsWith('/api/')
    ) {
      try {
        c.set('aFaire', (await listerAFaire(ctx, c.var.acteur)).length);
      } catch {
        // the count is a convenience: a page opens without it
      }
    }
    await next();
  };
}
