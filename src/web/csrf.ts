import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { Env } from './auth.js';

const COOKIE = 'delegations_csrf';

/**
 * Double-submit token for HTML forms: every state-changing form carries `_csrf`, equal to a random cookie
 * that another site can neither read nor set. The JSON API is exempt: it is not reachable by a plain form
 * (it requires `application/json`) and, outside demo mode, authenticates with a bearer token.
 */
export function csrfMiddleware(opts: { secure: boolean }): MiddlewareHandler<Env> {
  return async (c, next) => {
    let token = getCookie(c, COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: opts.secure });
    }
    c.set('csrf', token);
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    if (unsafe && !c.req.path.startsWith('/api/')) {
      const type = c.req.header('content-type') ?? '';
      let sent: unknown;
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody({ all: true });
        sent = body._csrf;
        if (Array.isArray(sent)) sent = sent[0];
      }
      const a = Buffer.from(typeof sent === 'string' ? sent : '');
      const b = Buffer.from(getCookie(c, COOKIE) ?? '');
      if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
        throw new HTTPException(403, {
          message: 'Le formulaire a expiré ou ne provient pas de Délégations. Rechargez la page et recommencez.',
        });
      }
    }
    await next();
  };
}
