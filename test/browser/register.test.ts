import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

describeBrowser('register in a real browser', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in as a demo user, opens the list and a convention, edits a field, and sees the change and its journal line', async () => {
    await page.goto(`${server.url}/connexion`);
    await page.locator('label', { hasText: 'Dominique Budget' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // an agent lands on « À faire », then opens the register
    await page.waitForURL(`${server.url}/`);
    expect(await page.locator('h1').textContent()).toBe('À faire');
    await page.goto(`${server.url}/conventions`);
    expect(await page.locator('h1').textContent()).toBe('Conventions');

    await page.getByLabel('Rechercher').fill('Mon Suivi Justice');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('link', { name: 'Mon Suivi Justice' }).click();
    expect(await page.locator('h1').textContent()).toBe('Mon Suivi Justice');
    expect(await page.locator('body').textContent()).toContain('0310-SGAL-SSIC');

    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByLabel('Préavis de résiliation (mois)').fill('2');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/conventions\/[0-9a-f-]{36}\?ok=modifiee$/);

    expect(await page.locator('.fr-alert--success').textContent()).toContain('Les modifications ont été enregistrées.');
    const preavis = page.locator('dt', { hasText: 'Préavis de résiliation' }).locator('xpath=following-sibling::dd[1]');
    expect(await preavis.textContent()).toBe('2 mois');
    const firstJournalRow = page.locator('table:has(caption:text("Journal des modifications")) tbody tr').first();
    const text = (await firstJournalRow.textContent()) ?? '';
    expect(text).toContain('Dominique Budget');
    expect(text).toContain('Préavis (mois)');
    expect(text).toContain('3');
    expect(text).toContain('2');
  });

  it('shows field errors in French next to the field, without JavaScript', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(`${server.url}/connexion`);
    await p.locator('label', { hasText: 'Camille Admin' }).click();
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await p.goto(`${server.url}/conventions/nouvelle`);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    expect(await p.locator('.fr-alert--error').textContent()).toContain('La convention n’a pas été enregistrée');
    expect(await p.locator('#f-delegant-nom-err').textContent()).toBe('Indiquez le nom du délégant.');
    await ctx.close();
  });
});
