import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FENETRE_LIMITES_MS } from '../../src/usecases/limite.js';
import { createApp, type AppConfig } from '../../src/web/app.js';
import { seedAgentsDemo } from '../../src/demo/seed.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { CSRF, formulaires, SECRET } from '../support/app.js';
import { attendreDebutFenetre, contexte, DATABASES, freshStorage, TEST_DATABASE_URL } from '../support/db.js';

const FORMULAIRE = 'application/x-www-form-urlencoded';

describe.each(DATABASES)('rate limits shared by every instance on %s', (kind) => {
  let base: Storage & { schema?: string };
  /** the second instance's own connection to the same database, on PostgreSQL as two servers would have */
  let autre: Storage | null = null;

  beforeAll(async () => {
    base = await freshStorage(kind);
    await seedAgentsDemo(contexte(base));
    if (kind === 'postgres') autre = await openStorage({ databaseUrl: TEST_DATABASE_URL, schema: base.schema });
  });
  afterAll(async () => {
    await autre?.close();
    await base?.close();
  });
  beforeEach(() => attendreDebutFenetre(base, FENETRE_LIMITES_MS, FENETRE_LIMITES_MS * 0.4), FENETRE_LIMITES_MS);

  /** Two instances of the server behind one proxy (DELEGATIONS_TRUST_PROXY=1), as deployed. */
  function instances(config: Partial<AppConfig>) {
    return [base, autre ?? base].map((s) => {
      const ctx = contexte(s);
      return formulaires(
        createApp({
          ctx,
          config: {
            production: false,
            bodyLimit: 1024 * 1024,
            publicUrl: 'http://localhost:3000',
            databaseUrl: undefined,
            secret: SECRET,
            trustProxy: 1,
            ...config,
          },
          storageKind: kind,
        }),
        ctx,
      );
    });
  }

  const connexion = (app: ReturnType<typeof instances>[number], xff: string) =>
    app.request('/connexion/demo', {
      method: 'POST',
      headers: { cookie: `delegations_csrf=${CSRF}`, 'content-type': FORMULAIRE, 'x-forwarded-for': xff },
      body: new URLSearchParams({ utilisateur: 'demo-gestionnaire', _csrf: CSRF }),
    });

  it('counts 40 login attempts spread over two instances against one limit of 30: the 31st and later are 429', async () => {
    const apps = instances({ limiteConnexion: 30 });
    const statuts: number[] = [];
    for (let i = 0; i < 40; i++) statuts.push((await connexion(apps[i % 2]!, '203.0.113.7')).status);
    expect(statuts.slice(0, 30)).toEqual(Array(30).fill(303));
    expect(statuts.slice(30)).toEqual(Array(10).fill(429));
    // another client is not affected
    expect((await connexion(apps[1]!, '203.0.113.8')).status).toBe(303);
  });

  it('counts concurrent attempts on both instances exactly: 30 pass out of 40', async () => {
    const apps = instances({ limiteConnexion: 30 });
    const statuts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        Promise.resolve(connexion(apps[i % 2]!, '203.0.113.20')).then((r) => r.status),
      ),
    );
    expect(statuts.filter((s) => s === 303)).toHaveLength(30);
    expect(statuts.filter((s) => s === 429)).toHaveLength(10);
  });

  it('takes the client from the right-most untrusted hop: rotating the left-most X-Forwarded-For entries escapes nothing', async () => {
    const [a, b] = instances({ limiteConnexion: 5 });
    const statuts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const faux = `10.${i}.${i}.${i}, 192.0.2.${i}`; // written by the client, before its real address
      statuts.push((await connexion(i % 2 ? a! : b!, `${faux}, 198.51.100.9`)).status);
    }
    expect(statuts).toEqual([303, 303, 303, 303, 303, 429, 429, 429]);
    // two proxies: the client is the second entry from the right
    const [c] = instances({ limiteConnexion: 2, trustProxy: 2 });
    const deux: number[] = [];
    for (let i = 0; i < 3; i++) deux.push((await connexion(c!, `10.0.0.${i}, 198.51.100.77, 172.16.0.1`)).status);
    expect(deux).toEqual([303, 303, 429]);
  });

  it('limits the API across instances too, and answers 429 with a stable code', async () => {
    const [a, b] = instances({ limiteApi: 4 });
    const statuts: number[] = [];
    for (let i = 0; i < 6; i++)
      statuts.push(
        (await (i % 2 ? a! : b!).request('/api/v1/openapi.json', { headers: { 'x-forwarded-for': '203.0.113.30' } }))
          .status,
      );
    expect(statuts).toEqual([200, 200, 200, 200, 429, 429]);
    const refus = await a!.request('/api/v1/openapi.json', { headers: { 'x-forwarded-for': '203.0.113.30' } });
    expect(await refus.json()).toMatchObject({ code: 'TROP_DE_REQUETES' });
    expect(refus.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
