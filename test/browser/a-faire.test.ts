import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

describeBrowser('« À faire » in a real browser, without JavaScript', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ctx = await browser.newContext({ javaScriptEnabled: false });
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.close();
  });

  it('opens the gestionnaire on « À faire », which lists the pending proposal; approving it there removes it', async () => {
    await page.goto(`${server.url}/connexion`);
    await page.locator('label', { hasText: 'Dominique Budget' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    expect(await page.locator('h1').textContent()).toBe('À faire');
    const ligne = page.locator('tr', { hasText: 'Tests utilisateurs — six sessions en classe' });
    expect(await ligne.count()).toBe(1);
    expect(await ligne.textContent()).toContain('Classe à 12');
    const avant = Number(await page.locator('#nav-a-faire .fr-badge').textContent());
    await ligne.getByRole('button', { name: 'Valider et engager' }).click();
    expect(await page.locator('h1').textContent()).toBe('À faire');
    expect(await page.locator('.fr-alert--success').textContent()).toContain('La proposition est validée');
    expect(await page.locator('tr', { hasText: 'Tests utilisateurs — six sessions en classe' }).count()).toBe(0);
    expect(Number(await page.locator('#nav-a-faire .fr-badge').textContent())).toBe(avant - 1);
  });
});
