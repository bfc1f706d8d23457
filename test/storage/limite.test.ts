import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compterRequete, supprimerCompteursEchus } from '../../src/storage/limite.js';
import type { Storage } from '../../src/storage/database.js';
import { attendreDebutFenetre, DATABASES, freshStorage } from '../support/db.js';

describe.each(DATABASES)('rate limit counters on %s', (kind) => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage(kind, { poolSize: 10 });
  });
  afterAll(async () => s?.close());

  it('counts concurrent hits exactly once each, on several connections', async () => {
    await attendreDebutFenetre(s, 60_000, 10_000);
    const n = await Promise.all(Array.from({ length: 50 }, () => compterRequete(s.db, 'test:a', 60_000)));
    expect(n.map((c) => c.nombre).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(n.map((c) => c.debut.getTime())).size).toBe(1);
  }, 20_000);

  it('starts over in the next window, and drops the counters of ended windows', async () => {
    const premier = await compterRequete(s.db, 'test:b', 400);
    await compterRequete(s.db, 'test:b', 400);
    await new Promise((r) => setTimeout(r, 450));
    const suivant = await compterRequete(s.db, 'test:b', 400);
    expect(suivant.nombre).toBe(1);
    expect(suivant.debut.getTime()).toBeGreaterThan(premier.debut.getTime());
    await new Promise((r) => setTimeout(r, 450));
    expect(await supprimerCompteursEchus(s.db, 400)).toBeGreaterThanOrEqual(1);
    expect(await s.db.selectFrom('limite').select('cle').where('cle', '=', 'test:b').execute()).toEqual([]);
  });
});
