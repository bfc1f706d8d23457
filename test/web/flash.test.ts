import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/web/auth.js';
import { poserAvertissements, prendreAvertissements } from '../../src/web/flash.js';

function app(secure: boolean, avertissements: string[]) {
  const a = new Hono<Env>();
  a.use('*', async (c, next) => {
    c.set('cookiesSecurises', secure);
    await next();
  });
  a.post('/', (c) => {
    poserAvertissements(c, 'engagement', avertissements);
    return c.redirect('/suite?ok=engagement', 303);
  });
  a.get('/suite', (c) => c.json(prendreAvertissements(c, c.req.query('ok') ?? '')));
  return a;
}

describe('warnings carried to the next page', () => {
  it('keeps the cookie under 3 KB, cutting long warnings and counting those left out', async () => {
    const longs = Array.from({ length: 30 }, (_, i) => `Point ${i} : ${'é'.repeat(900)}`);
    const r = await app(true, longs).request('/', { method: 'POST' });
    const cookie = r.headers.getSetCookie()[0]!;
    expect(cookie.startsWith('__Host-delegations_avis=')).toBe(true);
    expect(cookie).toContain('; Secure');
    expect(cookie.length).toBeLessThan(3000);
    const lus = (await (
      await app(true, []).request('/suite?ok=engagement', { headers: { cookie: cookie.split(';')[0]! } })
    ).json()) as string[];
    expect(lus.length).toBeGreaterThan(1);
    expect(lus[0]!.startsWith('Point 0 : éé')).toBe(true);
    expect(lus[0]!.endsWith('…')).toBe(true);
    expect([...lus[0]!].length).toBe(600);
    expect(lus.at(-1)).toBe(`Et ${30 - (lus.length - 1)} autres points d’attention.`);
  });

  it('reads nothing from a cookie it did not write or left for another success', async () => {
    const r = await app(false, ['Date limite proche.']).request('/', { method: 'POST' });
    const cookie = r.headers.getSetCookie()[0]!.split(';')[0]!;
    const lire = async (chemin: string, valeur: string) => {
      const p = await app(false, []).request(chemin, { headers: { cookie: valeur } });
      expect(p.headers.getSetCookie()[0]).toMatch(/^delegations_avis=; Max-Age=0/);
      return p.json();
    };
    expect(await lire('/suite?ok=engagement', cookie)).toEqual(['Date limite proche.']);
    expect(await lire('/suite?ok=paiement', cookie)).toEqual([]);
    expect(await lire('/suite?ok=engagement', 'delegations_avis=pas-du-json')).toEqual([]);
    const autre = Buffer.from(JSON.stringify({ ok: 'engagement', avertissements: [1, 'Texte'] })).toString('base64url');
    expect(await lire('/suite?ok=engagement', `delegations_avis=${autre}`)).toEqual(['Texte']);
  });
});
