import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { demo } from '../support/demo.js';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

/**
 * A convention's life in a real browser without JavaScript, on the tests' day (23 November 2026): the budget
 * officer drafts an avenant raising this year's AE, records both parties' signatures, compares the versions,
 * sees the new availability, then gives notice and finds its effective date on the page and in the register.
 */
describeBrowser('an avenant and a notice in a real browser, without JavaScript', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  let ctx: BrowserContext;
  let page: Page;
  let id = '';
  const REFERENCE = 'DDG-2026-AVENANT-NAV';

  beforeAll(async () => {
    server = await startServer();
    const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
    const r = await creerConvention(server.ctx, admin, {
      ...demo().atelier,
      reference: REFERENCE,
      statut: 'en_vigueur',
      dateSignature: '2026-01-10',
      dateFin: null,
      dureeMois: 36,
      preavisMois: 3,
      echeancier: [
        { annee: 2026, aeCentimes: 10_000_000, cpCentimes: 10_000_000 },
        { annee: 2027, aeCentimes: 5_000_000, cpCentimes: 5_000_000 },
      ],
      totalAeCentimes: 15_000_000,
      tranches: [],
    });
    id = r.convention.id;
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

  const ligneCredits = async (annee: string) => {
    await page.goto(`${server.url}/conventions/${id}/credits`);
    return (
      (await page
        .locator('table', { hasText: 'Crédits par année' })
        .locator('tr', { hasText: annee })
        .first()
        .textContent()) ?? ''
    );
  };

  it('drafts an avenant changing the schedule, signs it as both parties, shows the diff and the new availability', async () => {
    expect(await ligneCredits('2026')).toMatch(/100\s000,00\s€/);
    await page.goto(`${server.url}/conventions/${id}`);
    await page.getByRole('link', { name: 'Rédiger un avenant' }).click();
    await page.getByLabel('Objet de l’avenant').fill('Renfort de l’équipe en fin d’année');
    await page.getByLabel('Date d’effet').fill('2026-11-23');
    await page.getByLabel('AE, ligne 1', { exact: true }).fill('120 000');
    await page.getByLabel('Montant maximum des AE (€)').fill('170 000');
    await page.getByRole('button', { name: 'Enregistrer le projet d’avenant' }).click();
    expect(page.url()).toContain(`/conventions/${id}?ok=avenant-1`);
    const section = page.locator('section', { hasText: 'Avenant n° 1 — Renfort de l’équipe en fin d’année' });
    expect(await section.textContent()).toContain('Projet');
    // not in force before both signatures
    expect(await ligneCredits('2026')).not.toMatch(/120\s000,00\s€/);

    await page.goto(`${server.url}/conventions/${id}#avenants`);
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Avenant n° 1 signé');
    await section.getByLabel('Avenant signé').setInputFiles({
      name: 'avenant-1-signe.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await pdf.save()),
    });
    await section.getByRole('button', { name: 'Enregistrer la signature' }).click();
    expect(await section.textContent()).toContain('Signé par le partenaire');
    // the signed PDF is kept with the signature
    const lien = await section.getByRole('link', { name: 'PDF signé' }).getAttribute('href');
    const telecharge = await page.request.get(`${server.url}${lien}`);
    expect(telecharge.headers()['content-type']).toBe('application/pdf');
    expect((await telecharge.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await section.getByRole('button', { name: 'Enregistrer la signature' }).click();
    expect(await section.textContent()).toMatch(/Signé · effet le 23 novembre 2026 · signé le 23 novembre 2026/);
    expect(await section.getByRole('button', { name: 'Enregistrer la signature' }).count()).toBe(0);

    await page.getByLabel('Version de gauche').selectOption({ label: 'Convention initiale' });
    await page.getByLabel('Version de droite').selectOption({ label: 'Après l’avenant n° 1' });
    await page.getByRole('button', { name: 'Comparer' }).click();
    const diff = page.locator('table', { hasText: 'Convention initiale et après l’avenant n° 1' });
    const texte = (await diff.textContent()) ?? '';
    expect(texte).toMatch(/100\s000,00\s€/);
    expect(texte).toMatch(/120\s000,00\s€/);
    expect(texte).toMatch(/170\s000,00\s€/);

    // the amended schedule from its effect date: this year's AE made available rise by 20 000 €
    const apres = await ligneCredits('2026');
    expect(apres).toMatch(/120\s000,00\s€/);
  });

  it('gives notice, and shows its effective date on the page and in the register', async () => {
    await page.goto(`${server.url}/conventions/${id}`);
    const f = page.locator('form', { hasText: 'Notifier la résiliation (préavis de 3 mois)' });
    await f.getByLabel('Partie qui résilie').selectOption({ label: 'Délégant' });
    await f.getByLabel('Date de notification').fill('2026-11-23');
    await f.getByLabel('Motif').fill('Fin du besoin exprimé par le ministère');
    await f.getByRole('button', { name: 'Notifier la résiliation' }).click();
    expect(await page.locator('body').textContent()).toContain('Résiliation notifiée — effet le 23 février 2027');
    await page.goto(`${server.url}/conventions?q=AVENANT-NAV`);
    const ligne = page.locator('tr', { hasText: REFERENCE });
    expect(await ligne.textContent()).toContain('23 février 2027');
    // and in the deadlines of « À faire »
    await page.goto(`${server.url}/`);
    expect(await page.locator('main').textContent()).toMatch(/Résiliation notifiée, effet le 23 février 2027/);
  });
});
