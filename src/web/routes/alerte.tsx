import { Hono } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import type { Contexte } from '../../usecases/contexte.js';
import { listerAlertesCredits, traiterAlerte } from '../../usecases/alerte.js';
import type { Env } from '../auth.js';
import { AlertesPage } from '../pages/alerte.js';
import { FLASH } from './operation.js';

/** The alerts page: the year's computed alerts and the refusals recorded, which budget agents mark as handled. */

export function alertePages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/credits/alertes', async (c) => {
    const toutes = c.req.query('toutes') === '1';
    const r = await listerAlertesCredits(ctx, c.var.acteur, { toutes });
    return c.html(
      <AlertesPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        calculees={r.calculees}
        enregistrees={r.enregistrees}
        toutes={toutes}
        flash={c.req.query('ok') === 'traitee' ? { type: 'success', message: FLASH.traitee } : null}
      />,
    );
  });

  app.post('/credits/alertes/:aid/traitement', async (c) => {
    const aid = Number(c.req.param('aid'));
    if (!Number.isSafeInteger(aid)) throw new NotFoundError('Alerte', c.req.param('aid'));
    await traiterAlerte(ctx, c.var.acteur, aid);
    return c.redirect('/credits/alertes?ok=traitee', 303);
  });

  return app;
}
