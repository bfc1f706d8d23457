import { afterAll, beforeAll, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import type { Role } from '../../src/domain/acces.js';
import { describeBrowser, launchBrowser, pagesAtteintes, seConnecter, startServer } from '../support/browser.js';
import { preparerPages } from '../support/pages.js';

/** The rules that depend on colours: the only ones whose result changes with the theme, the page being the same. */
const REGLES_COULEURS = ['color-contrast', 'link-in-text-block'];

/**
 * axe on every page each role reaches by its links (the page-list test proves no route escapes), in the light
 * theme with every rule, then in the dark theme with the colour rules.
 */
describeBrowser('accessibility of every page (axe), for each role, light and dark themes', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
    await preparerPages(server.ctx);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const roles: Array<Role> = ['administrateur', 'gestionnaire', 'partenaire', 'equipe', 'public'];
  for (const role of roles)
    it(`finds no serious or critical violation on the pages of the role ${role}`, async () => {
      const ctx = await browser.newContext({ colorScheme: 'light' });
      try {
        const page = await ctx.newPage();
        const nom = ACTEURS_DEMO.find((a) => a.role === role)?.nom;
        if (nom) await seConnecter(page, server.url, nom);
        const chemins = await pagesAtteintes(ctx, server);
        const violations: string[] = [];
        for (const chemin of chemins) {
          await page.emulateMedia({ colorScheme: 'light' });
          await page.goto(`${server.url}${chemin}`);
          for (const theme of ['light', 'dark'] as const) {
            if (theme === 'dark') {
              await page.emulateMedia({ colorScheme: 'dark' });
              await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'dark');
            }
            const axe = new AxeBuilder({ page } as never);
            const r = await (theme === 'dark' ? axe.withRules(REGLES_COULEURS) : axe).analyze();
            for (const v of r.violations)
              if (v.impact === 'serious' || v.impact === 'critical')
                violations.push(
                  `${chemin} (${theme}) : ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
                );
          }
        }
        expect(chemins.length).toBeGreaterThan(role === 'public' ? 8 : 12);
        expect(violations).toEqual([]);
      } finally {
        await ctx.close();
      }
    }, 600_000);
});
