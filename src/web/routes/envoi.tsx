import { Hono } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { listerEnvoisAdmin } from '../../usecases/envoi.js';
import type { Env } from '../auth.js';
import { EnvoisPage } from '../pages/envoi.js';

/** The « Envois » page of the administrators. */
export function envoiPages(ctx: Contexte, opts: { smtp: boolean }) {
  const app = new Hono<Env>();
  app.get('/admin/envois', async (c) =>
    c.html(<EnvoisPage acteur={c.var.acteur} envois={await listerEnvoisAdmin(ctx, c.var.acteur)} smtp={opts.smtp} />),
  );
  return app;
}
