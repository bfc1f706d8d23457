import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { ouvrirSession } from '../../src/usecases/acces.js';

const FORMULAIRE = 'application/x-www-form-urlencoded';

/** The `_csrf` value of the first form of a page, as a browser would post it. */
function jetonDe(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('page sans formulaire');
  return m[1]!;
}

/** The cookies a response sets, as a `cookie` header. */
function cookiesPoses(r: Response): string {
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

describe.each(DATABASES)('form tokens bound to the session on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => t?.close());

  const nombreJetons = async () =>
    Number(
      (
        await t.storage.db
          .selectFrom('jeton')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** A browser's session and the token that its own pages carry. */
  async function navigateur(user: string): Promise<{ cookie: string; jeton: string }> {
    const cookie = `delegations_session=${(await ouvrirSession(t.ctx, user)).jeton}`;
    const page = await t.app.request('/admin/jetons', { headers: { cookie } });
    expect(page.status).toBe(200);
    return { cookie, jeton: jetonDe(await page.text()) };
  }

  const creerJeton = (cookie: string, jeton: string) =>
    t.app.request('/admin/jetons', {
      method: 'POST',
      headers: { cookie, 'content-type': FORMULAIRE },
      body: new URLSearchParams({ nom: 'Jeton forcé', role: 'administrateur', expireJours: '30', _csrf: jeton }),
    });

  it("refuses a cookie and token pair taken from one session when sent with another's session, and changes nothing", async () => {
    const attaquant = await navigateur('demo-admin');
    const victime = await navigateur('demo-admin');
    const avant = await nombreJetons();
    // the attacker's whole pair: his session's token, and every cookie his browser holds, planted beside the victim's session
    const plante = `delegations_csrf=${'c'.repeat(43)}; ${victime.cookie}`;
    const r = await creerJeton(plante, attaquant.jeton);
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('Le formulaire a expiré ou ne provient pas de Délégations');
    // the classic double submit: a planted cookie and the same value in the form
    expect((await creerJeton(plante, 'c'.repeat(43))).status).toBe(403);
    expect(await nombreJetons()).toBe(avant);
    // each browser's own token still works
    expect((await creerJeton(victime.cookie, victime.jeton)).status).toBe(201);
    expect((await creerJeton(attaquant.cookie, attaquant.jeton)).status).toBe(201);
    expect(await nombreJetons()).toBe(avant + 2);
  });

  it('binds the login form to the visitor cookie it was served with: another visitor’s pair does not log this browser in', async () => {
    const page = (cookie?: string) => t.app.request('/connexion', { headers: cookie ? { cookie } : {} });
    const premier = await page();
    const cookieA = cookiesPoses(premier);
    expect(cookieA).toMatch(/^delegations_csrf=[A-Za-z0-9_-]{43}$/);
    const jetonA = jetonDe(await premier.text());
    const second = await page();
    const cookieB = cookiesPoses(second);
    const connexion = (cookie: string, jeton: string) =>
      t.app.request('/connexion/demo', {
        method: 'POST',
        headers: { cookie, 'content-type': FORMULAIRE },
        body: new URLSearchParams({ utilisateur: 'demo-gestionnaire', _csrf: jeton }),
      });
    const forcee = await connexion(cookieB, jetonA);
    expect(forcee.status).toBe(403);
    expect(forcee.headers.getSetCookie().some((c) => c.startsWith('delegations_session='))).toBe(false);
    const normale = await connexion(cookieA, jetonA);
    expect(normale.status).toBe(303);
    expect(normale.headers.getSetCookie().some((c) => c.startsWith('delegations_session='))).toBe(true);
  });
});
