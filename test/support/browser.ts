import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { createApp, type AppConfig } from '../../src/web/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import { contexte, freshStorage, type DbKind } from './db.js';
import { explorer, routesGet } from './pages.js';

/** Debian's Chromium (never a downloaded one). CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);

if (!HAS_CHROMIUM && process.env.CI) {
  throw new Error(`Chromium est introuvable (${CHROMIUM}) : en CI, les tests navigateur doivent s’exécuter.`);
}

/** `describe` for browser tests: skipped, and said so, when no Chromium is installed outside CI. */
export const describeBrowser = HAS_CHROMIUM ? describe : describe.skip;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The real app on a real socket over a fresh seeded database. `config` adds to the default configuration and
 * receives the server's URL (known once listening), e.g. to use it as `publicUrl`.
 */
export async function startServer(
  kind: DbKind = 'pglite',
  opts: { config?: (url: string) => Partial<AppConfig> | Promise<Partial<AppConfig>> } = {},
) {
  const storage = await freshStorage(kind);
  // the tests' fixed day (the demo data and the figures the tests read follow it), never the real date
  const ctx = contexte(storage);
  await seedDemo(ctx);
  let app: ReturnType<typeof createApp> | undefined;
  const server = serve({ fetch: (req, env) => app!.fetch(req, env), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let extra: Partial<AppConfig>;
  try {
    extra = (await opts.config?.(url)) ?? {};
  } catch (e) {
    await new Promise<void>((r) => server.close(() => r()));
    await storage.close();
    throw e;
  }
  app = createApp({
    ctx,
    config: {
      production: false,
      bodyLimit: 12 * 1024 * 1024,
      publicUrl: 'http://127.0.0.1',
      databaseUrl: undefined,
      ...extra,
    },
    storageKind: kind,
  });
  return {
    url,
    storage,
    ctx,
    routes: app.routes,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await storage.close();
    },
  };
}

/** Signs in on the development login page as the demo agent of that name. */
export async function seConnecter(page: Page, url: string, nom: string): Promise<void> {
  await page.goto(`${url}/connexion`);
  await page.locator('label', { hasText: nom }).click();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${url}/`);
}

/** The HTML pages the context's agent reaches by links, one path per route, read with its cookies. */
export async function pagesAtteintes(
  ctx: BrowserContext,
  server: { url: string; routes: Parameters<typeof routesGet>[0] },
): Promise<string[]> {
  const vues = await explorer(async (chemin) => {
    const r = await ctx.request.get(`${server.url}${chemin}`, { maxRedirects: 0 });
    const h = r.headers();
    return { status: r.status(), type: h['content-type'] ?? '', corps: await r.text(), location: h.location };
  }, routesGet(server.routes));
  return [...vues.values()].filter((v) => v.html && v.status === 200).map((v) => v.chemin);
}
