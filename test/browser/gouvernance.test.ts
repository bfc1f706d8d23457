import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demo } from '../support/demo.js';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

describeBrowser('a committee in a real browser, without JavaScript', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  let ctx: BrowserContext;
  let page: Page;
  let id = '';

  const connecter = async (nom: string) => {
    await page.goto(`${server.url}/connexion`);
    await page.locator('label', { hasText: nom }).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
  };

  beforeAll(async () => {
    server = await startServer();
    id = (
      await server.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.msj)
        .executeTakeFirstOrThrow()
    ).id;
    browser = await launchBrowser();
    ctx = await browser.newContext({ javaScriptEnabled: false });
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.close();
  });

  it('lets the product team prepare its committee with two indicators, then the budget officer record the decision', async () => {
    await connecter('Lou Intra');
    await page.goto(`${server.url}/conventions/${id}`);
    await page.getByRole('link', { name: 'Gouvernance' }).click();
    expect(await page.locator('h1').textContent()).toContain('Gouvernance — ');
    const f = page.locator('#planifier');
    await f.getByLabel('Date du comité').fill('2026-11-20');
    await f.getByLabel('Indicateur, ligne 1').fill('Rendez-vous manqués');
    await f.getByLabel('Unité, ligne 1').fill('%');
    await f.getByLabel('Valeur, ligne 1').fill('18');
    await f.getByLabel('Objectif, ligne 1').fill('12');
    await f.getByLabel('Indicateur, ligne 2').fill('Agents utilisateurs');
    await f.getByLabel('Valeur, ligne 2').fill('240');
    await f.getByLabel('Objectif, ligne 2').fill('600');
    await f.getByLabel('Demande de l’équipe : équipe pour les six mois').fill('1 développeur, 1 chargé de déploiement');
    await f.getByLabel('Demande de l’équipe : budget (€ TTC)').fill('150 000');
    await f.getByRole('button', { name: 'Planifier le comité' }).click();
    expect(await page.locator('.fr-alert--success').textContent()).toContain('Le comité est planifié.');
    const ligne = page.locator('#comites tbody tr', { hasText: '20 novembre 2026' });
    expect(await ligne.textContent()).toMatch(/Rendez-vous manqués : 18 → 12 %.*Agents utilisateurs : 240 → 600/);
    expect(await ligne.textContent()).toMatch(/150\s000,00\s€/);
    // the team prepares; the decision is not its to record
    expect(await page.getByRole('button', { name: 'Consigner la décision' }).count()).toBe(0);
    // the header's own button: the mobile menu holds a copy of it, which may be exposed as well
    await page.locator('.fr-header__tools-links').getByRole('button', { name: 'Se déconnecter' }).click();

    await connecter('Dominique Budget');
    await page.goto(`${server.url}/conventions/${id}/gouvernance`);
    const d = page.locator('form', { hasText: 'Décision du comité du 20 novembre 2026' });
    await d.getByLabel('Décision', { exact: true }).selectOption('continue');
    await d.getByLabel('Ce que le comité a retenu').fill('Objectifs de la phase atteints');
    await d.getByLabel('Budget accordé (€ TTC)').fill('150 000');
    // the DSFR draws the box over its label
    await d.locator('label', { hasText: 'Appelle un avenant' }).click();
    await d.getByRole('button', { name: 'Consigner la décision' }).click();
    expect(await page.locator('.fr-alert--success').textContent()).toContain('La décision du comité est consignée.');
    const decide = page.locator('#comites tbody tr', { hasText: '20 novembre 2026' });
    expect(await decide.textContent()).toContain('Continuer six mois — 150');
    expect(await decide.textContent()).toContain('Objectifs de la phase atteints (Dominique Budget');
    expect(await page.getByRole('button', { name: 'Consigner la décision' }).count()).toBe(0);
    // the decision calls for an avenant: its draft opens prefilled from the committee
    await decide.getByRole('link', { name: 'Rédiger l’avenant' }).click();
    expect(await page.locator('h1').textContent()).toContain('Nouvel avenant — ');
    expect(await page.getByLabel('Objet de l’avenant').inputValue()).toContain(
      'Avenant appelé par la décision du comité d’investissement du 20 novembre 2026',
    );
  });
});
