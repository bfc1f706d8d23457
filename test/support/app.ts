import type { Hono } from 'hono';
import { cookiesSecurises } from '../../src/config.js';
import { createApp, type AppConfig } from '../../src/web/app.js';
import { jetonCsrf } from '../../src/web/csrf.js';
import { seedDemo } from '../../src/demo/seed.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { acteurDeSession, creerJeton, ouvrirSession } from '../../src/usecases/acces.js';
import type { Storage } from '../../src/storage/database.js';
import type { Contexte } from '../../src/usecases/contexte.js';
import { contexte, freshStorage, type DbKind } from './db.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  storage: Storage;
  ctx: Contexte;
  /** headers of a demo user's browser: a session opened by the login use case, and a CSRF cookie for forms */
  as(userId: string | null, extra?: Record<string, string>): Record<string, string>;
  /** headers of a program acting with a demo user's rights: an API token created by the token use case */
  api(userId: string | null, extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/**
 * The form token of tests: the value of the visitor cookie that `as` plants, and a placeholder in a form's
 * `_csrf` that the test app replaces, as a page would, by the token of the session or cookie the request sends.
 */
export const CSRF = 'a'.repeat(43);

/** The server secret of test apps: what lets `formulaires` fill in the token a page would carry. */
export const SECRET = 's'.repeat(43);

/**
 * The app as a browser uses it: a form posted with `_csrf` set to the placeholder `CSRF` carries instead the
 * token the server derives for the request's session cookie, or else for its visitor cookie. Any other value
 * (missing, wrong) is sent as is.
 */
export function formulaires<A extends { request: Hono['request'] }>(
  app: A,
  ctx: Contexte,
  opts: { secure?: boolean } = {},
): A {
  const prefixe = opts.secure ? '__Host-' : '';
  const request: Hono['request'] = async (input, init, ...rest) => {
    const body = typeof init?.body === 'string' ? new URLSearchParams(init.body) : init?.body;
    if (!(body instanceof URLSearchParams || body instanceof FormData) || body.get('_csrf') !== CSRF)
      return app.request(input, init, ...rest);
    const cookies = new Map(
      (new Headers(init!.headers).get('cookie') ?? '').split(';').map((c) => c.trim().split('=') as [string, string]),
    );
    // the page was rendered for the session only if the server knows it (a made-up or ended one is ignored)
    const session = cookies.get(`${prefixe}delegations_session`);
    const connue = session && /^[A-Za-z0-9_-]{43}$/.test(session) && (await acteurDeSession(ctx, session));
    const visiteur = cookies.get(`${prefixe}delegations_csrf`) ?? '';
    const jeton = jetonCsrf(SECRET, session && connue ? { session } : { visiteur });
    let copie: URLSearchParams | FormData;
    if (body instanceof URLSearchParams) copie = new URLSearchParams(body);
    else {
      const fd = new FormData();
      for (const [k, v] of body) fd.append(k, v);
      copie = fd;
    }
    copie.set('_csrf', jeton);
    const envoye = typeof init!.body === 'string' ? copie.toString() : copie;
    return app.request(input, { ...init, body: envoye }, ...rest);
  };
  return new Proxy(app, {
    get: (cible, nom, recepteur) => (nom === 'request' ? request : Reflect.get(cible, nom, recepteur)),
  });
}

/** The whole web app over a fresh seeded database, with real sessions and tokens for every demo user. */
export async function testApp(
  kind: DbKind,
  opts: { bodyLimit?: number; config?: Partial<AppConfig>; now?: () => Date } = {},
): Promise<TestApp> {
  const storage = await freshStorage(kind);
  const ctx = opts.now ? contexte(storage, opts.now) : contexte(storage);
  await seedDemo(ctx);
  const config: AppConfig = {
    production: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    publicUrl: 'http://localhost:3000',
    databaseUrl: undefined,
    secret: SECRET,
    ...opts.config,
  };
  const app = formulaires(createApp({ ctx, config, storageKind: kind }), ctx, {
    secure: cookiesSecurises(config.publicUrl),
  });
  const sessions = new Map<string, string>();
  const jetons = new Map<string, string>();
  for (const a of ACTEURS_DEMO) {
    sessions.set(a.id, (await ouvrirSession(ctx, a.id)).jeton);
    const { valeur } = await creerJeton(ctx, ACTEUR_SYSTEME, {
      nom: `Tests — ${a.id}`,
      role: a.role,
      organisationSiret: a.organisationSiret,
      produits: a.produits,
    });
    jetons.set(a.id, valeur);
  }
  const connu = <T>(m: Map<string, T>, id: string) => {
    if (!m.has(id)) throw new Error(`Utilisateur de démonstration inconnu : ${id}`);
    return m.get(id)!;
  };
  return {
    app,
    storage,
    ctx,
    as(userId, extra = {}) {
      const cookies = [`delegations_csrf=${CSRF}`];
      if (userId) cookies.push(`delegations_session=${connu(sessions, userId)}`);
      return { cookie: cookies.join('; '), ...extra };
    },
    api(userId, extra = {}) {
      return {
        'content-type': 'application/json',
        ...(userId ? { authorization: `Bearer ${connu(jetons, userId)}` } : {}),
        ...extra,
      };
    },
    close: () => storage.close(),
  };
}

export function form(fields: Record<string, string>, withCsrf = true): URLSearchParams {
  const p = new URLSearchParams(fields);
  if (withCsrf) p.set('_csrf', CSRF);
  return p;
}
