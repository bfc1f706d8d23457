import { createApp } from '../../src/web/app.js';
import type { Contexte } from '../../src/usecases/conventions.js';

/** The web app over a test database, in demo mode: a `delegations_demo` cookie acts as that demo user. */
export function testApp(ctx: Contexte, kind: 'pglite' | 'postgres') {
  const app = createApp({ ctx, config: { production: false, bodyLimit: 1024 * 1024, publicUrl: 'http://localhost', databaseUrl: undefined }, storageKind: kind });
  const CSRF = 'a'.repeat(43);
  const cookie = (user?: string) => [`delegations_csrf=${CSRF}`, user ? `delegations_demo=${user}` : null].filter(Boolean).join('; ');
  return {
    app,
    csrf: CSRF,
    get: (path: string, user?: string) => app.request(path, { headers: { cookie: cookie(user) } }),
    json: (method: string, path: string, body: unknown, user?: string) =>
      app.request(path, { method, headers: { 'content-type': 'application/json', cookie: cookie(user) }, body: JSON.stringify(body) }),
    form: (path: string, fields: Record<string, string>, user?: string) =>
      app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie(user) }, body: new URLSearchParams({ _csrf: CSRF, ...fields }).toString() }),
  };
}
