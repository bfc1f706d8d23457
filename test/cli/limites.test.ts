import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FENETRE_LIMITES_MS } from '../../src/usecases/limite.js';
import { jetonCsrf } from '../../src/web/csrf.js';
import { TEST_DATABASE_URL, freshStorage } from '../support/db.js';
import { arreter, budget, dossierTemporaire, freePort, run, waitListening } from '../support/process.js';

const SECRET = 's'.repeat(43);
/** the visitor's CSRF cookie before login; the form's token is derived from it with the shared secret */
const VISITEUR = 'v'.repeat(43);

/** Milliseconds since the start of the current limit window, on the database's clock (the limiter's). */
async function dansLaFenetre(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ ms: string }>(`SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms`);
    return Number(rows[0]!.ms) % FENETRE_LIMITES_MS;
  } finally {
    await c.end();
  }
}

// one process only holds an embedded database, by design: two servers share PostgreSQL only
describe.skipIf(!TEST_DATABASE_URL)('rate limits of two server processes on one PostgreSQL', () => {
  it(
    '40 login attempts alternating between the two: exactly 30 pass the limit of 30, 10 get 429',
    async () => {
      const s = await freshStorage('postgres');
      onTestFinished(() => s.close());
      const dir = dossierTemporaire('limites');
      onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
      const url = TEST_DATABASE_URL!;
      const options = encodeURIComponent(`-c search_path=${s.schema}`);
      const env = {
        DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=${options}`,
        DELEGATIONS_DEMO: '0',
        DELEGATIONS_CONNEXION_DEMO: '1',
        DELEGATIONS_SECRET: SECRET,
        DELEGATIONS_LIMITE_CONNEXION: '30',
        HOST: '127.0.0.1',
      };
      const ports: number[] = [];
      // one after the other: each seeds the demo users on start
      for (const n of [1, 2]) {
        const port = await freePort();
        const r = run(['serve'], { ...env, PORT: String(port), DELEGATIONS_DATA_DIR: path.join(dir, `data${n}`) });
        onTestFinished(() => arreter(r.child));
        await waitListening(r, port);
        ports.push(port);
      }

      // the counters live in fixed one-minute windows: start early in one, so that all 40 fall in it
      const ecoule = await dansLaFenetre(url);
      if (ecoule > FENETRE_LIMITES_MS / 2) await new Promise((r) => setTimeout(r, FENETRE_LIMITES_MS - ecoule + 500));
      const debut = await dansLaFenetre(url);

      const csrf = jetonCsrf(SECRET, { visiteur: VISITEUR });
      const statuts: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`http://127.0.0.1:${ports[i % 2]}/connexion/demo`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: `delegations_csrf=${VISITEUR}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ utilisateur: 'demo-gestionnaire', _csrf: csrf }),
        });
        await res.arrayBuffer();
        statuts.push(res.status);
      }
      // on the limiter's clock: a position in the window lower than at the start means a new window began
      expect(await dansLaFenetre(url), 'the attempts spilled over into the next window').toBeGreaterThan(debut);

      expect(statuts.filter((x) => x === 429)).toHaveLength(10);
      expect(statuts.filter((x) => x === 303)).toHaveLength(30);
      // the first 30 logged in, on both servers; every later one was refused, on both
      expect(statuts.slice(0, 30)).toEqual(Array(30).fill(303));
      expect(statuts.slice(30)).toEqual(Array(10).fill(429));
    },
    budget(2) + FENETRE_LIMITES_MS,
  );
});
