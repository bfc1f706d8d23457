import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

/**
 * The page shell as a person meets it, at desktop and phone widths, with and without JavaScript: standards
 * mode, no sideways scrolling, a menu that opens and reaches logout, and the legal links in every footer.
 */
const LARGEURS = [
  { nom: 'ordinateur', width: 1280, height: 900 },
  { nom: 'téléphone', width: 375, height: 740 },
];
const PAGES_NAVIGATION = [
  '/',
  '/conventions',
  '/conventions/nouvelle',
  '/imports',
  '/credits',
  '/credits/alertes',
  '/credits/calendrier',
  '/fast/promotions',
  '/admin',
  '/mentions-legales',
  '/donnees-personnelles',
  '/cookies',
  '/accessibilite',
  '/plan-du-site',
];
const LIENS_PIED = [
  'Plan du site',
  'Accessibilité : non conforme',
  'Mentions légales',
  'Données personnelles',
  'Gestion des cookies',
];

async function connecter(page: Page, url: string, nom: string) {
  await page.goto(`${url}/connexion`);
  await page.locator('label', { hasText: nom }).click();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${url}/`);
}

describeBrowser('the page shell in a real browser', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const js of [true, false])
    for (const l of LARGEURS)
      it(`renders every page of the navigation in standards mode without sideways scrolling, ${l.nom}, JavaScript ${js ? 'on' : 'off'}`, async () => {
        const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: l.width, height: l.height } });
        try {
          const page = await ctx.newPage();
          await connecter(page, server.url, 'Camille Admin');
          const ecarts: string[] = [];
          for (const chemin of PAGES_NAVIGATION) {
            const r = await page.goto(`${server.url}${chemin}`);
            expect(r?.status(), chemin).toBe(200);
            const mesure = await page.evaluate(() => ({
              mode: document.compatMode,
              defilement: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            }));
            expect(mesure.mode, chemin).toBe('CSS1Compat');
            if (mesure.defilement > 0) ecarts.push(`${chemin} : ${mesure.defilement} px`);
            const pied = page.locator('footer');
            for (const lien of LIENS_PIED)
              expect(await pied.getByRole('link', { name: lien }).count(), `${chemin} ${lien}`).toBe(1);
          }
          expect(ecarts).toEqual([]);
        } finally {
          await ctx.close();
        }
      }, 120_000);

  for (const js of [true, false])
    it(`opens the menu on a phone and logs out from it, JavaScript ${js ? 'on' : 'off'}`, async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 375, height: 740 } });
      try {
        const page = await ctx.newPage();
        await connecter(page, server.url, 'Camille Admin');
        await page.goto(`${server.url}/conventions`);
        const deconnexion = page.getByRole('button', { name: 'Se déconnecter' });
        // on a phone, the header shows neither the navigation nor the user until the menu opens
        expect(await page.getByRole('link', { name: 'Crédits', exact: true }).isVisible()).toBe(false);
        expect(await deconnexion.isVisible()).toBe(false);
        await page
          .locator('.fr-header__navbar')
          .getByRole(js ? 'button' : 'link', { name: 'Menu', exact: true })
          .click();
        const credits = page.locator('#navigation').getByRole('link', { name: 'Crédits', exact: true });
        await credits.waitFor({ state: 'visible' });
        expect(
          await page
            .locator('.fr-header__menu-links')
            .getByText('Camille Admin (administratrice) — Administrateur')
            .isVisible(),
        ).toBe(true);
        await page.locator('.fr-header__menu-links').getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL(/\/connexion\?deconnecte=1$/);
        expect(
          await page
            .locator('.fr-header__tools-links')
            .getByRole('link', { name: 'Se connecter', includeHidden: true })
            .count(),
        ).toBe(1);
        // logged out: a page that needs a login sends to the login page
        await page.goto(`${server.url}/credits`);
        expect(new URL(page.url()).pathname).toBe('/connexion');
      } finally {
        await ctx.close();
      }
    });

  it('marks the page shown in the menu, and the site map lists what the role may open', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      await connecter(page, server.url, 'Camille Admin');
      await page.goto(`${server.url}/credits/alertes`);
      expect(await page.locator('#navigation [aria-current="page"]').textContent()).toBe('Alertes');
      await page.goto(`${server.url}/plan-du-site`);
      const liens = await page.locator('main li a').allTextContents();
      expect(liens).toContain('Administration');
      expect(liens).toContain('Mentions légales');
      await page.goto(`${server.url}/conventions`);
      await page.locator('header').getByRole('button', { name: 'Se déconnecter' }).click();
      await page.goto(`${server.url}/plan-du-site`);
      const publics = await page.locator('main li a').allTextContents();
      expect(publics).not.toContain('Administration');
      expect(publics).toContain('Se connecter');
    } finally {
      await ctx.close();
    }
  });
});
