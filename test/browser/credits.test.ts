import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

describeBrowser('credits in a real browser, without JavaScript', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ctx = await browser.newContext({ javaScriptEnabled: false });
    page = await ctx.newPage();
    await page.goto(`${server.url}/connexion`);
    await page.locator('label', { hasText: 'Dominique Budget' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
  });
  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.close();
  });

  it('goes from the portfolio to a convention’s credits, orders, certifies and sees the figures move', async () => {
    await page.getByRole('link', { name: 'Crédits', exact: true }).click();
    expect(await page.locator('h1').textContent()).toBe('Crédits du portefeuille');
    await page.getByRole('link', { name: 'Classe à 12' }).click();
    expect(await page.locator('h1').textContent()).toBe('Crédits et engagements — Classe à 12');
    const pageCredits = page.url();
    const disponible = () =>
      page.locator('table:has(caption:text("Crédits par année")) tbody tr').first().locator('td').nth(4).textContent();
    expect(await disponible()).toMatch(/18\s000,00/);
    const graphique = page.getByRole('img', { name: 'Engagements et paiements cumulés en 2026', exact: true });
    expect(await graphique.count()).toBe(1);
    // the colours written as the DSFR's custom properties in the SVG are the theme's
    const courbeAe = graphique.locator('path[stroke^="var(--text-action-high-blue-france"]');
    expect(await courbeAe.evaluate((e) => getComputedStyle(e).stroke)).toBe('rgb(0, 0, 145)');

    const f = page.locator('#nouvel-engagement');
    await f.getByLabel('Titulaire du marché').fill('Octo Technology');
    await f.getByLabel('Objet').fill('Coaching de fin d’année');
    await f.getByLabel('Montant (€)').fill('3 000');
    await f.getByLabel('Année budgétaire').fill('2026');
    await f.getByLabel('Date de la commande').fill('2026-11-20');
    await f.getByRole('button', { name: 'Enregistrer le bon de commande' }).click();
    expect(await page.locator('.fr-alert--success').textContent()).toContain('Le bon de commande a été enregistré.');
    expect(await page.locator('h1').textContent()).toBe('Bon de commande BC-2026-0004');

    await page.getByLabel('Le service fait porte sur').selectOption('pourcentage');
    await page.getByLabel('Pourcentage de la commande').fill('33,33');
    await page.getByRole('button', { name: 'Constater' }).click();
    expect(await page.locator('.fr-alert--success').textContent()).toContain('Le service fait a été constaté.');
    expect(await page.locator('body').textContent()).toMatch(/999,90\s€ \(reste à certifier : 2\s000,10\s€\)/);

    await page.goto(pageCredits);
    expect(await disponible()).toMatch(/15\s000,00/);
  });

  it('refuses an order beyond the ceiling with what was available, asked and missing, keeping what was typed', async () => {
    const f = page.locator('#nouvel-engagement');
    await f.getByLabel('Titulaire du marché').fill('Beta Dev SAS');
    await f.getByLabel('Objet').fill('Sprints supplémentaires');
    await f.getByLabel('Montant (€)').fill('20 000');
    await f.getByLabel('Année budgétaire').fill('2026');
    await f.getByLabel('Date de la commande').fill('2026-11-20');
    await f.getByRole('button', { name: 'Enregistrer le bon de commande' }).click();
    const refus = (await page.locator('.fr-alert--error').textContent()) ?? '';
    expect(refus).toMatch(/15\s000,00\s€ d’AE .*20\s000,00\s€ demandés ; il manque 5\s000,00\s€/);
    expect(await f.getByLabel('Titulaire du marché').inputValue()).toBe('Beta Dev SAS');
    expect(await f.getByLabel('Montant (€)').inputValue()).toBe('20 000');
    // the refusal is announced first: in the title, and the focus is on the message
    expect(await page.title()).toMatch(/^Erreur : /);
    expect(await page.evaluate(() => document.activeElement?.closest('.fr-alert--error') !== null)).toBe(true);
    await page.getByRole('link', { name: 'Alertes', exact: true }).click();
    expect(await page.locator('body').textContent()).toContain('Insuffisance de crédits');
  });
});
