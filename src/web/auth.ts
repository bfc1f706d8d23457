import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { ACTEUR_PUBLIC, DUREES_SESSION, type Acteur, type PorteeConvention } from '../domain/acces.js';
import { DomainError } from '../domain/errors.js';
import { acteurDeSession, fermerSession, identifierJeton, type SessionOuverte } from '../usecases/acces.js';
import type { Contexte } from '../usecases/contexte.js';

export type Env = {
  Variables: {
    acteur: Acteur;
    csrf: string;
    /** whether cookies are set with Secure and the `__Host-` prefix */
    cookiesSecurises: boolean;
    /** the session cookie value, when a valid session was presented */
    session: string | null;
    /** ProConnect's ID token of the session, for the logout at the provider */
    idToken: string | null;
    /** how many items « À faire » holds for the actor, shown in the header of pages */
    aFaire: number | null;
    /** the access scope of the convention the route names, read with the actor; absent when not read */
    portee?: { id: string; valeur: PorteeConvention | null };
  };
};

/** `__Host-` binds the cookie to this exact origin, over HTTPS only. */
const nomCookieSession = (secure: boolean) => (secure ? '__Host-delegations_session' : 'delegations_session');

const UNSAFE = (m: string) => !['GET', 'HEAD', 'OPTIONS'].includes(m);

/**
 * Resolves who is acting. Pages: the server-side session named by the cookie. API: a bearer token; a
 * session cookie is accepted for reading only, so that a write always names a program or person on
 * purpose. Anyone else is the public.
 */
export function acteurMiddleware(
  ctx: Contexte,
  opts: {
    secure: boolean;
    /** the convention whose access scope the route's rule will need, read along with the actor */
    conventionDe?: (c: Context<Env>) => string | null;
  },
): MiddlewareHandler<Env> {
  const cookie = nomCookieSession(opts.secure);
  return async (c, next) => {
    let acteur: Acteur = ACTEUR_PUBLIC;
    c.set('session', null);
    c.set('idToken', null);
    const api = c.req.path.startsWith('/api/');
    const authorization = c.req.header('authorization');
    const porteeDe = opts.conventionDe?.(c) ?? null;
    if (api && authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!m) throw new DomainError('JETON_INVALIDE', 'En-tête Authorization invalide : attendu « Bearer <jeton> ».');
      const j = await identifierJeton(ctx, m[1]!, porteeDe);
      acteur = j.acteur;
      if (porteeDe !== null) c.set('portee', { id: porteeDe, valeur: j.portee });
    } else {
      const valeur = getCookie(c, cookie);
      if (valeur && /^[A-Za-z0-9_-]{43}$/.test(valeur)) {
        const s = await acteurDeSession(ctx, valeur, porteeDe);
        if (s) {
          acteur = s.acteur;
          if (porteeDe !== null) c.set('portee', { id: porteeDe, valeur: s.portee });
          c.set('session', valeur);
          c.set('idToken', s.idToken);
        } else {
          deleteCookie(c, cookie, { path: '/', secure: opts.secure });
        }
      }
      if (api && UNSAFE(c.req.method) && acteur.role !== 'public') {
        throw new DomainError(
          'NON_AUTHENTIFIE',
          'Les écritures de l’API demandent un jeton d’accès (Authorization: Bearer).',
        );
      }
    }
    c.set('acteur', acteur);
    await next();
  };
}

/**
 * The cookie lives as long as the session at most, given as a duration (Max-Age): the browser's clock may
 * differ from the server's (a server started on another day with DELEGATIONS_AUJOURDHUI), and a date in its
 * past would make it drop the cookie at once.
 */
export function poserCookieSession(c: Context, s: SessionOuverte, secure: boolean): void {
  setCookie(c, nomCookieSession(secure), s.jeton, {
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor(DUREES_SESSION.maxMs / 1000),
  });
}

/** Ends the current session, if any, on the server and in the browser. */
export async function quitterSession(ctx: Contexte, c: Context<Env>, secure: boolean): Promise<void> {
  const s = c.var.session;
  if (s) await fermerSession(ctx, s);
  deleteCookie(c, nomCookieSession(secure), { path: '/', secure });
}
