import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Config } from '../config.js';
import type { Contexte } from '../usecases/conventions.js';
import { ACTEURS_DEMO } from '../demo/acteurs.js';
import { acteurMiddleware, connecterDemo, deconnecter, type Env } from './auth.js';
import { csrfMiddleware } from './csrf.js';
import { toApiError } from './errors.js';
import { conventionApi } from './api/conventions.js';
import { creditApi } from './api/credits.js';
import { openapiDocument } from './api/openapi.js';
import { conventionPages } from './routes/conventions.js';
import { creditPages } from './routes/credits.js';
import { importPages } from './routes/imports.js';
import { ConnexionDemoPage, ErreurPage } from './pages/divers.js';

export interface AppDeps {
  ctx: Contexte;
  config: Pick<Config, 'production' | 'bodyLimit' | 'publicUrl' | 'databaseUrl'> & Partial<Pick<Config, 'connexionDemo'>>;
  storageKind: 'pglite' | 'postgres';
}

const require = createRequire(import.meta.url);
const DSFR_DIR = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

export function createApp({ ctx, config }: AppDeps) {
  const app = new Hono<Env>();
  const devLogin = !config.production && (!config.databaseUrl || config.connexionDemo === true);
  const secure = config.publicUrl.startsWith('https://');

  app.use('/dsfr/*', serveStatic({ root: path.relative(process.cwd(), DSFR_DIR), rewriteRequestPath: (p) => p.replace(/^\/dsfr/, '') }));
  app.use('/static/*', serveStatic({ root: path.relative(process.cwd(), STATIC_DIR), rewriteRequestPath: (p) => p.replace(/^\/static/, '') }));

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: config.bodyLimit,
      onError: () => {
        throw new HTTPException(413, { message: 'Le contenu envoyé est trop volumineux.' });
      },
    }),
  );
  app.use('*', acteurMiddleware({ devLogin }));
  app.use('*', csrfMiddleware({ secure }));

  app.get('/', (c) => c.redirect('/conventions'));
  app.route('/conventions', conventionPages(ctx));
  app.route('/', creditPages(ctx));
  app.route('/imports', importPages(ctx, { tailleMax: config.bodyLimit }));

  app.get('/connexion', (c) => c.html(<ConnexionDemoPage acteur={c.var.acteur} csrf={c.var.csrf} acteurs={devLogin ? ACTEURS_DEMO : []} />));
  app.post('/connexion/demo', async (c) => {
    if (!devLogin) throw new HTTPException(404, { message: 'Page introuvable.' });
    const body = await c.req.parseBody();
    if (!connecterDemo(c, String(body.utilisateur ?? ''))) {
      return c.html(<ConnexionDemoPage acteur={c.var.acteur} csrf={c.var.csrf} acteurs={ACTEURS_DEMO} erreur="Choisissez un utilisateur." />, 400);
    }
    return c.redirect('/conventions', 303);
  });
  app.post('/deconnexion', (c) => {
    deconnecter(c);
    return c.redirect('/conventions', 303);
  });

  app.get('/api/v1/openapi.json', (c) => c.json(openapiDocument()));
  app.route('/api/v1/conventions', conventionApi(ctx));
  app.route('/api/v1', creditApi(ctx));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ code: 'INTROUVABLE', message: 'Ressource introuvable.', details: {} }, 404);
    return c.html(<ErreurPage acteur={c.var.acteur} status={404} titre="Page introuvable" message="La page demandée n’existe pas ou n’est pas accessible avec votre compte." />, 404);
  });

  app.onError((err, c) => {
    const { status, body } = toApiError(err);
    if (status >= 500) console.error(err);
    if (c.req.path.startsWith('/api/')) return c.json(body, status as 400);
    const titre = status === 404 ? 'Page introuvable' : status === 403 ? 'Accès refusé' : status === 413 ? 'Envoi trop volumineux' : status >= 500 ? 'Erreur du service' : 'Requête refusée';
    const acteur = c.var.acteur ?? { id: 'public', nom: 'Public', role: 'public', organisationSiret: null, produits: [] };
    return c.html(<ErreurPage acteur={acteur} status={status} titre={titre} message={body.message} />, status as 400);
  });

  return app;
}
