import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { demo } from '../support/demo.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { DATABASES, contexte } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * Round trips are counted at the driver, not timed: a change that adds a statement to an order or a read
 * fails here, whatever the machine's load. The API's per-address limit is off, as in the bench; its one
 * statement is counted apart.
 */
describe.each(DATABASES)('statements per API request on %s', (kind) => {
  let t: TestApp;
  let limitee: TestApp;
  let id: string;
  const ordre = { annee: 2026, montant_centimes: 1000, objet: 'Coaching', titulaire: 'Octo' };
  beforeAll(async () => {
    t = await testApp(kind, { config: { limiteApi: 0 } });
    id = (await creerConvention(contexte(t.storage), admin, { ...demo().classe, reference: 'AR' })).convention.id;
    limitee = await testApp(kind, { config: { limiteApi: 1000 } });
  });
  afterAll(async () => {
    await t?.close();
    await limitee?.close();
  });

  async function compter(
    a: TestApp,
    method: string,
    path: string,
    body?: unknown,
    qui = 'demo-gestionnaire',
  ): Promise<{ status: number; instructions: number }> {
    const avant = a.storage.instructions();
    const r = await a.app.request(path, {
      method,
      headers: a.api(qui),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await r.arrayBuffer();
    return { status: r.status, instructions: a.storage.instructions() - avant };
  }

  it('places an order in three round trips: the token with the access rule, BEGIN with the convention and its year locked, the writes with COMMIT', async () => {
    // the year's first order creates its totals row
    expect((await compter(t, 'POST', `/api/v1/conventions/${id}/engagements`, ordre)).status).toBe(201);
    for (let i = 0; i < 3; i++)
      expect(await compter(t, 'POST', `/api/v1/conventions/${id}/engagements`, ordre)).toEqual({
        status: 201,
        instructions: 3,
      });
  });

  it('refuses an order beyond the ceiling without more statements than it took to decide', async () => {
    const r = await compter(t, 'POST', `/api/v1/conventions/${id}/engagements`, {
      ...ordre,
      montant_centimes: 1_000_000_000,
    });
    expect(r.status).toBe(409);
    // the order's round trips up to the check, ROLLBACK, then the alert and the insufficiency case it opens
    expect(r.instructions).toBeLessThanOrEqual(9);
  });

  it('reads the credits view and one convention in two statements, and the caller in one', async () => {
    expect(await compter(t, 'GET', `/api/v1/conventions/${id}/credits`)).toEqual({ status: 200, instructions: 2 });
    expect(await compter(t, 'GET', `/api/v1/conventions/${id}`)).toEqual({ status: 200, instructions: 2 });
    expect(await compter(t, 'GET', '/api/v1/moi')).toEqual({ status: 200, instructions: 1 });
  });

  it('answers a convention the caller may not see after the one statement that says so', async () => {
    // a token's first call of the minute writes its last use
    await compter(t, 'GET', '/api/v1/moi', undefined, 'demo-partenaire-sociaux');
    const r = await compter(t, 'GET', `/api/v1/conventions/${id}/credits`, undefined, 'demo-partenaire-sociaux');
    expect(r).toEqual({ status: 404, instructions: 1 });
  });

  it('counts a call against the per-address limit in one more statement', async () => {
    await compter(limitee, 'GET', '/api/v1/moi');
    expect(await compter(limitee, 'GET', '/api/v1/moi')).toEqual({ status: 200, instructions: 2 });
  });
});
