import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { ACTEUR_PUBLIC, type Acteur } from '../domain/acces.js';
import { ACTEURS_DEMO } from '../demo/acteurs.js';

export type Env = { Variables: { acteur: Acteur; csrf: string } };

const COOKIE = 'delegations_demo';

/**
 * Resolves who is acting. In embedded demonstration mode, a demo user picked on the login page.
 * Anyone else is the public.
 */
export function acteurMiddleware(opts: { devLogin: boolean }): MiddlewareHandler<Env> {
  return async (c, next) => {
    let acteur: Acteur = ACTEUR_PUBLIC;
    if (opts.devLogin) {
      const id = getCookie(c, COOKIE);
      acteur = ACTEURS_DEMO.find((a) => a.id === id) ?? ACTEUR_PUBLIC;
    }
    c.set('acteur', acteur);
    await next();
  };
}

export function connecterDemo(c: Context, id: string): boolean {
  const a = ACTEURS_DEMO.find((x) => x.id === id);
  if (!a) return false;
  setCookie(c, COOKIE, a.id, { httpOnly: true, sameSite: 'Lax', path: '/' });
  return true;
}

export function deconnecter(c: Context): void {
  deleteCookie(c, COOKIE, { path: '/' });
}
