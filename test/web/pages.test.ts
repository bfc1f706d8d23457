import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { explorer, HORS_PAGES, preparerPages, routesGet } from '../support/pages.js';

describe.each(DATABASES)('the list of pages on %s', (kind) => {
  let t: TestApp;
  let routes: string[];
  const atteintes = new Map<string, { chemin: string; html: boolean; status: number }>();
  beforeAll(async () => {
    t = await testApp(kind);
    await preparerPages(t.ctx);
    routes = routesGet(t.app.routes);
    for (const profil of [...ACTEURS_DEMO.map((a) => a.id), null]) {
      const vues = await explorer(async (chemin) => {
        const r = await t.app.request(chemin, { headers: t.as(profil) });
        const type = r.headers.get('content-type') ?? '';
        return { status: r.status, type, corps: await r.text(), location: r.headers.get('location') };
      }, routes);
      for (const [route, vue] of vues) if (!atteintes.get(route)?.html) atteintes.set(route, vue);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('reaches every GET route by a link, or lists it with what it answers instead', () => {
    const orphelines = routes.filter((r) => !atteintes.has(r) && !(r in HORS_PAGES));
    expect(orphelines).toEqual([]);
  });

  it('answers an HTML page on every route reached, except the downloads it lists', () => {
    const refus = [...atteintes]
      .filter(([route, v]) => !(route in HORS_PAGES) && !(v.html && v.status === 200))
      .map(([route, v]) => `${route} (${v.chemin}) : ${v.status}`);
    expect(refus).toEqual([]);
    const pagesCachees = [...atteintes].filter(([route, v]) => route in HORS_PAGES && v.html).map(([r]) => r);
    expect(pagesCachees).toEqual([]);
  });

  it('lists only routes that exist', () => {
    expect(Object.keys(HORS_PAGES).filter((r) => !routes.includes(r))).toEqual([]);
  });
});
