import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { Env } from './auth.js';

/** `__Host-` over HTTPS: a sibling subdomain cannot plant this cookie. */
const nomCookieCsrf = (secure: boolean) => (secure ? '__Host-delegations_csrf' : 'delegations_csrf');

/**
 * The token a form carries. With a session, it is derived from the session id: a cookie and token pair taken
 * from one session is worthless with another. Before login, it is derived from a random pre-session cookie,
 * so that the login form itself cannot be posted from another site (login CSRF).
 */
export function jetonCsrf(secret: string, lien: { session: string } | { visiteur: string }): string {
  const donnee = 'session' in lien ? `session:${lien.session}` : `visiteur:${lien.visiteur}`;
  return createHmac('sha256', secret).update(donnee).digest('base64url');
}

/**
 * Every state-changing HTML form carries `_csrf`, checked against the token of the session (or of the
 * visitor's cookie) that the request presents. It runs after the session is resolved. The JSON API is
 * exempt: a plain form cannot reach it (it requires `application/json`) and it writes only with a bearer token.
 */
export function csrfMiddleware(opts: { secure: boolean; secret: string }): MiddlewareHandler<Env> {
  const cookie = nomCookieCsrf(opts.secure);
  return async (c, next) => {
    // the API renders no form and takes writes only with a token: nothing to mint or check there
    if (c.req.path.startsWith('/api/')) {
      c.set('csrf', '');
      return next();
    }
    const session = c.var.session;
    let attendu: string;
    if (session) attendu = jetonCsrf(opts.secret, { session });
    else {
      let visiteur = getCookie(c, cookie);
      if (!visiteur || !/^[A-Za-z0-9_-]{43}$/.test(visiteur)) {
        visiteur = randomBytes(32).toString('base64url');
        setCookie(c, cookie, visiteur, { httpOnly: true, sameSite: 'Lax', path: '/', secure: opts.secure });
      }
      attendu = jetonCsrf(opts.secret, { visiteur });
    }
    c.set('csrf', attendu);
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    if (unsafe) {
      const type = c.req.header('content-type') ?? '';
      let sent: unknown;
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody({ all: true });
        sent = body._csrf;
        if (Array.isArray(sent)) sent = sent[0];
      }
      const a = Buffer.from(typeof sent === 'string' ? sent : '');
      const b = Buffer.from(attendu);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        throw new HTTPException(403, {
          message: 'Le formulaire a expiré ou ne provient pas de Délégations. Rechargez la page et recommencez.',
        });
      }
    }
    await next();
  };
}
