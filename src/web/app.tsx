import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { contextStorage } from 'hono/context-storage';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { getConnInfo } from '@hono/node-server/conninfo';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import { connexionDemoActive, cookiesSecurises, type Config } from '../config.js';
import { ACTEUR_PUBLIC, LIBELLES_ROLES } from '../domain/acces.js';
import type { Contexte } from '../usecases/contexte.js';
import { compterRequete, decompterRequete, FENETRE_LIMITES_MS, oublierLimite } from '../usecases/limite.js';
import { acteurMiddleware, type Env } from './auth.js';
import { csrfMiddleware } from './csrf.js';
import { toApiError } from './errors.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import { CARACTERE_INVALIDE } from './api/validation.js';
import { autorisation, conventionDeLaRegle, REGLES, verifierRegles, type Regle } from './regles.js';
import { aFaireApi } from './api/a-faire.js';
import { alerteApi } from './api/alerte.js';
import { calendrierApi } from './api/calendrier.js';
import { conventionApi } from './api/convention.js';
import { avenantPages } from './routes/avenant.js';
import { conventionCyclePages } from './routes/convention-cycle.js';
import { rapportPages } from './routes/rapport.js';
import { publicationPages } from './routes/publication.js';
import { avenantApi } from './api/avenant.js';
import { conventionCycleApi } from './api/convention-cycle.js';
import { documentApi } from './api/document.js';
import { rapportApi } from './api/rapport.js';
import { publicationApi } from './api/publication.js';
import { creditApi } from './api/credit.js';
import { engagementApi } from './api/engagement.js';
import { exerciceApi } from './api/exercice.js';
import { insuffisanceApi } from './api/insuffisance.js';
import { comiteApi } from './api/comite.js';
import { obligationApi } from './api/obligation.js';
import { promotionApi } from './api/promotion.js';
import { portefeuilleApi } from './api/portefeuille.js';
import { propositionApi } from './api/proposition.js';
import { ajouterChemins, openapiDocument, reponsesErreur } from './api/openapi.js';
import { aFairePages, compteAFaire } from './routes/a-faire.js';
import { sitePages } from './routes/site.js';
import { donneesPages } from './routes/donnees.js';
import { donneesApi } from './api/donnees.js';
import { envoiPages } from './routes/envoi.js';
import { accesPages } from './routes/acces.js';
import { adminPages } from './routes/admin.js';
import { comptePages } from './routes/compte.js';
import { conventionPages } from './routes/convention.js';
import { alertePages } from './routes/alerte.js';
import { calendrierPages } from './routes/calendrier.js';
import { creditPages } from './routes/credit.js';
import { engagementPages } from './routes/engagement.js';
import { exercicePages } from './routes/exercice.js';
import { insuffisancePages } from './routes/insuffisance.js';
import { gouvernancePages } from './routes/gouvernance.js';
import { comitePages } from './routes/comite.js';
import { obligationPages } from './routes/obligation.js';
import { promotionPages } from './routes/promotion.js';
import { portefeuillePages } from './routes/portefeuille.js';
import { propositionPages } from './routes/proposition.js';
import { documentPages } from './routes/document.js';
import { ErreurPage } from './pages/erreur.js';

export type AppConfig = Pick<Config, 'production' | 'bodyLimit' | 'publicUrl' | 'databaseUrl'> &
  Partial<
    Pick<
      Config,
      | 'connexionDemo'
      | 'proconnect'
      | 'administrateurs'
      | 'limiteConnexion'
      | 'limiteApi'
      | 'trustProxy'
      | 'limitesImport'
      | 'smtpUrl'
      | 'secret'
    >
  >;

export interface AppDeps {
  ctx: Contexte;
  config: AppConfig;
  storageKind: 'pglite' | 'postgres';
  /** the access rule of each route; a test opens them all to check that the use cases refuse on their own */
  regles?: Record<string, Regle>;
}

const require = createRequire(import.meta.url);
const DSFR_DIR = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

/** What a client can put in X-Forwarded-For goes into a counter's key: an address is far shorter. */
const LONGUEUR_ADRESSE_MAX = 64;

/**
 * The client's address, for rate limits. Behind `proxies` trusted proxies, each one appends to
 * X-Forwarded-For the address it received the request from, and the last one is the socket's peer: the
 * client is the entry that many hops from the right. Entries to its left were written by the client itself,
 * so rotating them changes nothing.
 */
function adresseClient(c: Context, proxies: number): string {
  let pair = 'inconnue';
  try {
    pair = getConnInfo(c).remote.address ?? pair;
  } catch {
    // no socket (a request built in memory)
  }
  if (proxies === 0) return pair;
  const sauts = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  sauts.push(pair);
  return sauts[Math.max(0, sauts.length - 1 - proxies)]!.slice(0, LONGUEUR_ADRESSE_MAX);
}

/** The limiter's counters, in the database: every instance, and a restarted one, sees the same counts. */
function compteursPartages(ctx: Contexte, portee: string, fenetreMs: number): Store<Env> {
  const cle = (client: string) => `${portee}:${client}`;
  return {
    localKeys: false,
    prefix: `${portee}:`,
    async increment(client) {
      const e = await compterRequete(ctx, cle(client), fenetreMs);
      return { totalHits: e.nombre, resetTime: e.finFenetre };
    },
    decrement: (client) => decompterRequete(ctx, cle(client)),
    resetKey: (client) => oublierLimite(ctx, cle(client)),
  };
}

// `GET /api/v1/moi`, answered in createApp: described once, when the module loads
ajouterChemins({
  '/moi': {
    get: {
      operationId: 'lireMoi',
      summary: 'L’agent ou le jeton qui appelle : son rôle, son organisation et ses produits',
      security: [{ bearer: [] }, {}],
      responses: {
        '200': {
          description: 'L’appelant (un visiteur anonyme a le rôle public)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['id', 'nom', 'role', 'libelle_role', 'organisation_siret', 'produits'],
                properties: {
                  id: { type: 'string' },
                  nom: { type: 'string' },
                  role: {
                    type: 'string',
                    enum: ['administrateur', 'gestionnaire', 'partenaire', 'equipe', 'public'],
                  },
                  libelle_role: { type: 'string' },
                  organisation_siret: { type: ['string', 'null'] },
                  produits: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        ...reponsesErreur(401),
      },
    },
  },
});

export function createApp({ ctx, config, regles = REGLES }: AppDeps) {
  const app = new Hono<Env>();
  const proconnect = config.proconnect ?? null;
  const connexionDemo = connexionDemoActive({
    production: config.production,
    databaseUrl: config.databaseUrl,
    connexionDemo: config.connexionDemo ?? false,
    proconnect,
  });
  const secure = cookiesSecurises(config.publicUrl);
  const trustProxy = config.trustProxy ?? 0;
  // without a configured secret (tests, benchmarks), forms are valid for this app's lifetime only
  const secret = config.secret ?? randomBytes(32).toString('base64url');

  // pages read the request's actor and token while rendering; the API renders none, and skips the
  // asynchronous context it would pay for on every promise
  const contexteRequete = contextStorage();
  app.use('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : contexteRequete(c, next)));
  // a malformed percent-escape in the address is the client's error: a 400, before any route decodes it
  app.use('*', async (c, next) => {
    let chemin: string;
    const url = new URL(c.req.url);
    try {
      chemin = decodeURIComponent(url.pathname);
    } catch {
      throw new DomainError('URL_INVALIDE', 'L’adresse demandée est mal formée (séquence « % » invalide).');
    }
    if (CARACTERE_INVALIDE.test(chemin))
      throw new DomainError('URL_INVALIDE', 'L’adresse demandée contient un caractère invalide (caractère nul).');
    // a query holds text no column takes, as a JSON field would: refused, naming the parameter
    for (const [k, v] of url.searchParams)
      if (CARACTERE_INVALIDE.test(k) || CARACTERE_INVALIDE.test(v))
        throw new ValidationError([
          {
            champ: k.replace(new RegExp(CARACTERE_INVALIDE.source, 'g'), '') || '(paramètre)',
            message: 'Ce paramètre contient un caractère invalide (caractère nul ou code UTF-16 isolé).',
          },
        ]);
    await next();
  });
  app.use(
    '/dsfr/*',
    serveStatic({ root: path.relative(process.cwd(), DSFR_DIR), rewriteRequestPath: (p) => p.replace(/^\/dsfr/, '') }),
  );
  app.use(
    '/static/*',
    serveStatic({
      root: path.relative(process.cwd(), STATIC_DIR),
      rewriteRequestPath: (p) => p.replace(/^\/static/, ''),
    }),
  );

  // The DSFR needs no inline script or style; forms may post to ProConnect (login and logout redirects).
  const proconnectOrigine = proconnect ? new URL(proconnect.issuer).origin : null;
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: proconnectOrigine ? ["'self'", proconnectOrigine] : ["'self'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      strictTransportSecurity: secure ? 'max-age=31536000; includeSubDomains' : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  const tropVolumineux = () => {
    throw new HTTPException(413, { message: 'Le contenu envoyé est trop volumineux.' });
  };
  const limiteFlux = bodyLimit({ maxSize: config.bodyLimit, onError: tropVolumineux });
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // a declared length is all Node's parser lets through: checked from the header, without building the
    // web request; a body sent in chunks is counted as it arrives
    const longueur = c.req.header('content-length');
    if (longueur !== undefined && /^\d+$/.test(longueur) && c.req.header('transfer-encoding') === undefined)
      return Number(longueur) > config.bodyLimit ? tropVolumineux() : next();
    return limiteFlux(c, next);
  });
  const limite = (portee: string, n: number | undefined) =>
    rateLimiter<Env>({
      windowMs: FENETRE_LIMITES_MS,
      limit: n ?? 0,
      standardHeaders: 'draft-6',
      store: compteursPartages(ctx, portee, FENETRE_LIMITES_MS),
      keyGenerator: (c) => adresseClient(c, trustProxy),
      skip: () => !n,
      handler: () => {
        throw new HTTPException(429, { message: 'Trop de requêtes : réessayez dans une minute.' });
      },
    });
  // login attempts only: reading the login page costs nothing, and agents of one ministry often share an address
  const limiteConnexion = limite('connexion', config.limiteConnexion ?? 30);
  // a form sent back with its errors says so first, in the page's title, as screen readers announce it (RGAA 8.6)
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || ![400, 409, 422].includes(c.res.status)) return;
    if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
    const html = await c.res.text();
    c.res = new Response(html.replace('<title>', '<title>Erreur : '), c.res);
  });
  app.use('/connexion/*', (c, next) =>
    c.req.method === 'GET' && c.req.path !== '/connexion/retour' ? next() : limiteConnexion(c, next),
  );
  app.use('/api/*', limite('api', config.limiteApi ?? 1200));
  app.use('*', async (c, next) => {
    c.set('cookiesSecurises', secure);
    await next();
  });
  app.use('*', acteurMiddleware(ctx, { secure, conventionDe: conventionDeLaRegle(regles) }));
  app.use('*', csrfMiddleware({ secure, secret }));
  app.use('*', autorisation(ctx, regles));
  app.use('*', compteAFaire(ctx));

  app.route('/', aFairePages(ctx));
  app.route('/conventions', conventionPages(ctx, { urlPublique: config.publicUrl }));
  for (const pages of [
    conventionCyclePages,
    publicationPages,
    rapportPages,
    avenantPages,
    creditPages,
    engagementPages,
    propositionPages,
    portefeuillePages,
    alertePages,
    calendrierPages,
    exercicePages,
    insuffisancePages,
    gouvernancePages,
    comitePages,
    obligationPages,
    promotionPages,
  ])
    app.route('/', pages(ctx));
  app.route('/imports', documentPages(ctx, { tailleMax: config.bodyLimit, limites: config.limitesImport }));
  app.route(
    '/',
    accesPages(ctx, {
      config: { publicUrl: config.publicUrl, proconnect, administrateurs: config.administrateurs ?? [] },
      secure,
      connexionDemo,
    }),
  );
  app.route('/admin', adminPages(ctx));
  app.route('/', comptePages(ctx, { urlPublique: config.publicUrl }));
  app.route('/', envoiPages(ctx, { smtp: Boolean(config.smtpUrl) }));
  app.route('/', sitePages());
  app.route('/donnees', donneesPages(ctx));

  app.get('/api/v1/openapi.json', (c) => c.json(openapiDocument()));
  app.get('/api/v1/moi', (c) => {
    const a = c.var.acteur;
    return c.json({
      id: a.id,
      nom: a.nom,
      role: a.role,
      libelle_role: LIBELLES_ROLES[a.role],
      organisation_siret: a.organisationSiret,
      produits: a.produits,
    });
  });
  app.route('/api/v1/conventions', conventionApi(ctx, { urlPublique: config.publicUrl }));
  for (const api of [
    aFaireApi,
    conventionCycleApi,
    publicationApi,
    rapportApi,
    documentApi,
    avenantApi,
    creditApi,
    engagementApi,
    propositionApi,
    portefeuilleApi,
    alerteApi,
    calendrierApi,
    exerciceApi,
    insuffisanceApi,
    comiteApi,
    obligationApi,
    promotionApi,
    donneesApi,
  ])
    app.route('/api/v1', api(ctx));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/'))
      return c.json({ code: 'INTROUVABLE', message: 'Ressource introuvable.', details: {} }, 404);
    return c.html(
      <ErreurPage
        acteur={c.var.acteur ?? ACTEUR_PUBLIC}
        status={404}
        titre="Page introuvable"
        message="La page demandée n’existe pas ou n’est pas accessible avec votre compte."
      />,
      404,
    );
  });

  app.onError((err, c) => {
    const { status, body } = toApiError(err);
    if (status >= 500 && body.code === 'ERREUR_INTERNE') console.error(err);
    if (status === 401 && c.req.path.startsWith('/api/'))
      c.header(
        'WWW-Authenticate',
        `Bearer realm="delegations"${body.code.startsWith('JETON_') ? ', error="invalid_token"' : ''}`,
      );
    if (c.req.path.startsWith('/api/')) return c.json(body, status as 400);
    const titre =
      status === 404
        ? 'Page introuvable'
        : status === 403
          ? 'Accès refusé'
          : status === 401
            ? 'Connexion requise'
            : status === 413
              ? 'Envoi trop volumineux'
              : status === 429
                ? 'Trop de requêtes'
                : status >= 500
                  ? 'Erreur du service'
                  : 'Requête refusée';
    return c.html(
      <ErreurPage acteur={c.var.acteur ?? ACTEUR_PUBLIC} status={status} titre={titre} message={body.message} />,
      status as 400,
    );
  });

  verifierRegles(app, regles);
  return app;
}
