import { afterAll, beforeAll, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_PUBLIC } from '../../src/domain/acces.js';
import { entreesMenu, PAGES_LEGALES } from '../../src/web/pages/layout.js';
import { describeBrowser, launchBrowser, startServer } from '../support/browser.js';

/** axe on every page of the menu and the footer, for the administrator and the public, in light and dark themes. */
describeBrowser('accessibility of the navigation pages (axe)', () => {
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

  const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
  for (const theme of ['light', 'dark'] as const)
    for (const profil of [admin, null])
      it(`finds no serious or critical violation, ${profil ? 'administrateur' : 'public'}, theme ${theme}`, async () => {
        const ctx = await browser.newContext({ colorScheme: theme });
        try {
          const page = await ctx.newPage();
          if (profil) {
            await page.goto(`${server.url}/connexion`);
            await page.locator('label', { hasText: profil.nom }).click();
            await page.getByRole('button', { name: 'Se connecter' }).click();
            await page.waitForURL(`${server.url}/`);
          }
          // and « Mon compte », reached from the agent's name in the header
          const chemins = [
            ...entreesMenu(profil ?? ACTEUR_PUBLIC),
            ...PAGES_LEGALES,
            ...(profil ? [{ href: '/compte' }] : []),
          ]
            .map((e) => e.href)
            .filter((h) => !h.startsWith('/api/'));
          const violations: string[] = [];
          for (const chemin of chemins) {
            await page.goto(`${server.url}${chemin}`);
            const r = await new AxeBuilder({ page } as never).analyze();
            for (const v of r.violations)
              if (v.impact === 'serious' || v.impact === 'critical')
                violations.push(
                  `${chemin} : ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
                );
          }
          expect(chemins.length).toBeGreaterThan(4);
          expect(violations).toEqual([]);
        } finally {
          await ctx.close();
        }
      }, 180_000);
});
