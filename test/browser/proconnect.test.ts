import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';
import { DATABASES } from '../support/db.js';
import { demarrerProConnect, type FauxProConnect } from '../support/oidc.js';
import { SIRET_JUSTICE } from '../../src/demo/conventions.js';
import { demo } from '../support/demo.js';

const AGENT = {
  sub: 'agent-justice-42',
  idp_id: 'fia1v2',
  email: 'alex.durand@justice.gouv.fr',
  given_name: 'Alex',
  usual_name: 'Durand',
  siret: SIRET_JUSTICE,
};

describeBrowser.each(DATABASES)('login with ProConnect in a real browser on %s', (kind) => {
  let browser: Browser;
  let pc: FauxProConnect;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // the provider must know our redirect URIs, which hold our port: known once the app listens
    server = await startServer(kind, {
      config: async (url) => {
        pc = await demarrerProConnect({
          comptes: [AGENT],
          redirectUris: [`${url}/connexion/retour`],
          postLogoutRedirectUris: [`${url}/connexion?deconnecte=1`],
        });
        return {
          publicUrl: url,
          proconnect: {
            issuer: pc.issuer,
            discoveryUrl: undefined,
            clientId: pc.clientId,
            clientSecret: pc.clientSecret,
          },
        };
      },
    });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await pc?.close();
  });

  it('logs an agent in through the provider, creates it as a partner of its ministry, and logs it out at the provider too', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const navigations: URL[] = [];
    page.on('request', (r) => {
      if (r.isNavigationRequest()) navigations.push(new URL(r.url()));
    });
    try {
      await page.goto(`${server.url}/credits`);
      expect(new URL(page.url()).pathname).toBe('/connexion');
      expect(new URL(page.url()).searchParams.get('retour')).toBe('/credits');

      await page.getByRole('button', { name: 'S’identifier avec ProConnect' }).click();
      await page.waitForURL((u) => u.origin === new URL(pc.issuer).origin && u.pathname.startsWith('/interaction/'));
      expect(await page.locator('h1').textContent()).toBe('ProConnect (test)');
      await page.getByLabel('Identifiant').fill(AGENT.sub);
      await page.getByRole('button', { name: 'Se connecter' }).click();

      await page.waitForURL(`${server.url}/credits`);
      expect(await page.locator('body').textContent()).toContain('Alex Durand');
      await expect(
        page.locator('.fr-header__tools-links').getByRole('button', { name: 'Se déconnecter' }).isVisible(),
      ).resolves.toBe(true);

      const cookies = await context.cookies(server.url);
      const session = cookies.find((c) => c.name === 'delegations_session');
      expect(session).toBeDefined();
      expect(session!.httpOnly).toBe(true);
      expect(session!.sameSite).toBe('Lax');
      // the cookie that bound the login under way to this browser is gone
      expect(cookies.some((c) => c.name === 'delegations_connexion')).toBe(false);

      const agents = await server.storage.db.selectFrom('agent').selectAll().where('email', '=', AGENT.email).execute();
      expect(agents).toHaveLength(1);
      expect(agents[0]).toMatchObject({
        idp_id: AGENT.idp_id,
        sub: AGENT.sub,
        prenom: 'Alex',
        nom: 'Durand',
        role: 'partenaire',
        organisation_siret: SIRET_JUSTICE,
      });

      await page.goto(`${server.url}/conventions`);
      const liste = (await page.locator('main').textContent()) ?? '';
      const { references } = demo(server.ctx.now);
      expect(liste).toContain(references.selex);
      expect(liste).not.toContain(references.msp);

      const decouverte = (await (await fetch(`${pc.issuer}/.well-known/openid-configuration`)).json()) as {
        end_session_endpoint: string;
      };
      navigations.length = 0;
      await page.locator('.fr-header__tools-links').getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(
        (u) => u.origin === server.url && u.pathname === '/connexion' && u.searchParams.get('deconnecte') === '1',
      );
      // through the provider's end-session endpoint, with the ID token of the session and our registered return
      const finSession = navigations.find((u) => u.href.startsWith(`${decouverte.end_session_endpoint}?`));
      expect(finSession, navigations.map((u) => u.href).join('\n')).toBeDefined();
      expect(finSession!.searchParams.get('id_token_hint')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(finSession!.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/connexion?deconnecte=1`);
      expect(await page.locator('.fr-alert--info').textContent()).toContain('Vous êtes déconnecté.');
      expect((await context.cookies(server.url)).some((c) => c.name === 'delegations_session')).toBe(false);
      expect(
        await server.storage.db.selectFrom('session').select('hash').where('agent_id', '=', agents[0]!.id).execute(),
      ).toEqual([]);

      await page.goto(`${server.url}/credits`);
      expect(new URL(page.url()).pathname).toBe('/connexion');
      await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(0);

      // the provider's session ended too: logging in again asks for the identifier
      await page.getByRole('button', { name: 'S’identifier avec ProConnect' }).click();
      await page.waitForURL((u) => u.origin === new URL(pc.issuer).origin && u.pathname.startsWith('/interaction/'));
      await expect(page.getByLabel('Identifiant').isVisible()).resolves.toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('brings an unknown identifier back to the login page with a French message and no session', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/credits`);
      await page.getByRole('button', { name: 'S’identifier avec ProConnect' }).click();
      await page.waitForURL((u) => u.origin === new URL(pc.issuer).origin);
      await page.getByLabel('Identifiant').fill('personne-inconnue');
      const retour = page.waitForResponse((r) => new URL(r.url()).pathname === '/connexion/retour');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      const reponse = await retour;

      const url = new URL(page.url());
      expect(url.origin).toBe(server.url);
      expect(url.pathname).toBe('/connexion/retour');
      expect(url.searchParams.get('error')).toBe('access_denied');
      expect(reponse.status()).toBe(400);
      expect(await page.locator('h1').textContent()).toBe('Connexion à Délégations');
      expect(await page.locator('.fr-alert--error').textContent()).toMatch(
        /La connexion avec ProConnect n[’']a pas abouti/,
      );
      await expect(page.getByRole('button', { name: 'S’identifier avec ProConnect' }).isVisible()).resolves.toBe(true);

      const cookies = await context.cookies(server.url);
      expect(cookies.some((c) => c.name === 'delegations_session')).toBe(false);
      expect(cookies.some((c) => c.name === 'delegations_connexion')).toBe(false);
      expect(
        await server.storage.db.selectFrom('agent').select('id').where('sub', '=', 'personne-inconnue').execute(),
      ).toEqual([]);

      await page.goto(`${server.url}/credits`);
      expect(new URL(page.url()).pathname).toBe('/connexion');
    } finally {
      await context.close();
    }
  });
});
