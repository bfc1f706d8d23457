import { afterAll, beforeAll, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

/**
 * The public pages as a citizen meets them: no login, JavaScript off. The list filtered by ministry, a
 * convention's page with its budget table and chart, its product's page, the open data file; axe finds no
 * serious or critical violation on them, in light and dark themes.
 */
describeBrowser('public budget pages without login nor JavaScript', () => {
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

  it('filters the list by ministry, opens a convention, its budget and its product', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Budgets publiés' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Conventions publiées et leurs budgets',
    );
    const lignes = page.locator('table tbody tr');
    expect(await lignes.count()).toBe(5); // four conventions and the total
    await page.getByLabel('Ministère').selectOption('Le Ministère de la justice');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    expect(page.url()).toContain('ministere=Le+Minist');
    expect(await lignes.count()).toBe(2);
    await page.getByRole('link', { name: 'Mon Suivi Justice' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mon Suivi Justice');
    const budget = page.locator('table', { has: page.locator('caption', { hasText: 'Budget par année' }) });
    await expect(budget.locator('tbody tr').first().locator('th').textContent()).resolves.toBe('2021');
    expect(await page.locator('figure svg').count()).toBe(1);
    await page.getByRole('link', { name: 'Mon Suivi Justice' }).last().click();
    expect(page.url()).toContain('/publications/produits/Mon%20Suivi%20Justice');
    await expect(page.locator('caption').first().textContent()).resolves.toBe('Budget de Mon Suivi Justice par année');
  });

  it('serves the open data file linked from the list', async () => {
    await page.goto(`${server.url}/publications`);
    const href = await page.getByRole('link', { name: 'données ouvertes' }).getAttribute('href');
    const r = await page.request.get(`${server.url}${href}`);
    expect(r.status()).toBe(200);
    expect((await r.text()).split('\r\n')[0]).toMatch(/^id,reference,produits,partenaire,/);
  });

  // the chart's colours are the DSFR's custom properties, written in the SVG by ECharts: they follow the theme
  const couleurs = {
    light: { ae: 'rgb(0, 0, 145)', cp: 'rgb(24, 117, 60)', texte: 'rgb(102, 102, 102)' },
    dark: { ae: 'rgb(133, 133, 246)', cp: 'rgb(39, 166, 88)', texte: 'rgb(146, 146, 146)' },
  };
  for (const theme of ['light', 'dark'] as const)
    it(`draws the chart in the colours of the theme ${theme}`, async () => {
      const c = await browser.newContext({ colorScheme: theme });
      try {
        const p = await c.newPage();
        await p.goto(`${server.url}/publications`);
        await p.getByRole('link', { name: 'Mon Suivi Justice' }).click();
        await p.waitForFunction((t) => document.documentElement.getAttribute('data-fr-theme') === t, theme);
        const graphique = p.getByRole('img', { name: /^Engagements et paiements cumulés en \d{4}$/ });
        const couleur = (selecteur: string, propriete: 'stroke' | 'fill') =>
          graphique
            .locator(selecteur)
            .first()
            .evaluate((e, q) => getComputedStyle(e)[q], propriete);
        expect({
          ae: await couleur('path[stroke^="var(--text-action-high-blue-france"]', 'stroke'),
          cp: await couleur('path[stroke^="var(--text-default-success"]', 'stroke'),
          texte: await couleur('text', 'fill'),
        }).toEqual(couleurs[theme]);
      } finally {
        await c.close();
      }
    });

  for (const theme of ['light', 'dark'] as const)
    it(`finds no serious or critical axe violation, theme ${theme}`, async () => {
      const c = await browser.newContext({ colorScheme: theme });
      try {
        const p = await c.newPage();
        await p.goto(`${server.url}/publications`);
        const convention = await p.getByRole('link', { name: 'Mon Suivi Justice' }).getAttribute('href');
        const violations: string[] = [];
        for (const chemin of ['/publications', convention!, '/publications/produits/Mon%20Suivi%20Justice']) {
          await p.goto(`${server.url}${chemin}`);
          const r = await new AxeBuilder({ page: p } as never).analyze();
          for (const v of r.violations)
            if (v.impact === 'serious' || v.impact === 'critical')
              violations.push(`${chemin} : ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
        expect(violations).toEqual([]);
      } finally {
        await c.close();
      }
    }, 120_000);
});
