import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { demo } from '../support/demo.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { lireCredits } from '../../src/usecases/credit.js';
import { recalculerTotaux } from '../../src/storage/credit-mouvement.js';
import type { Storage } from '../../src/storage/database.js';
import { TEST_DATABASE_URL, contexte, freshStorage } from '../support/db.js';
import { creerJeton } from '../../src/usecases/acces.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { createApp } from '../../src/web/app.js';
import { modifierCalendrier } from '../../src/usecases/exercice.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

// PGlite runs one transaction at a time and hides races: this test needs a real PostgreSQL server.
describe.skipIf(!TEST_DATABASE_URL)('concurrent orders on PostgreSQL', () => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage('postgres', { poolSize: 20 });
  });
  afterAll(async () => s?.close());

  it('never commits beyond the ceiling: 50 orders at once, 20 times', async () => {
    const ctx = contexte(s);
    const app = createApp({
      ctx,
      // the orders' races, not the API's limit: the counters are shared by both tests' apps on this database
      config: {
        production: false,
        bodyLimit: 1024 * 1024,
        publicUrl: 'http://localhost',
        databaseUrl: undefined,
        limiteApi: 0,
      },
      storageKind: 'postgres',
    });
    const jetons: Record<string, string> = {};
    for (const role of ['administrateur', 'gestionnaire'])
      jetons[role] = (await creerJeton(ctx, ACTEUR_SYSTEME, { nom: role, role })).valeur;
    const commander = (conventionId: string, body: unknown, role: string) =>
      app.request(`/api/v1/conventions/${conventionId}/engagements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jetons[role]}` },
        body: JSON.stringify(body),
      });
    const base = demo().classe;
    const plafond = 1_000_000;
    let acceptes = 0;
    let refuses = 0;
    for (let round = 0; round < 20; round++) {
      const id = (
        await creerConvention(ctx, admin, {
          ...base,
          reference: `CONC-${round}`,
          echeancier: [{ annee: 2026, aeCentimes: plafond, cpCentimes: plafond }],
        })
      ).convention.id;
      const montants = Array.from({ length: 50 }, (_, i) => 40_000 + ((i * 7919 + round * 104_729) % 60_000));
      const reponses = await Promise.all(
        montants.map((m, i) =>
          commander(
            id,
            { annee: 2026, montant_centimes: m, objet: `Commande ${i}`, titulaire: 'Titulaire' },
            i % 2 ? 'administrateur' : 'gestionnaire',
          ),
        ),
      );
      const corps = await Promise.all(reponses.map((r) => r.json()));
      let somme = 0;
      const numeros = new Set<string>();
      reponses.forEach((r, i) => {
        if (r.status === 201) {
          somme += montants[i]!;
          numeros.add(corps[i].numero);
          acceptes++;
        } else {
          expect(r.status).toBe(409);
          expect(corps[i].code).toBe('PLAFOND_AE_DEPASSE');
          expect(corps[i].details.demande_centimes).toBe(montants[i]);
          expect(corps[i].details.disponible_centimes).toBeLessThan(montants[i]!);
          refuses++;
        }
      });
      expect(somme).toBeLessThanOrEqual(plafond);
      expect(numeros.size).toBe(reponses.filter((r) => r.status === 201).length);
      const vue = await lireCredits(ctx, admin, id);
      expect(vue.annees[0]!.totaux.engageAe).toBe(somme);
      expect(vue.annees[0]!.totaux.nbEngagements).toBe(numeros.size);
      const stockes = await s.db
        .selectFrom('engagement')
        .select(['numero', 'montant'])
        .where('convention_id', '=', id)
        .execute();
      expect(new Set(stockes.map((e) => e.numero))).toEqual(numeros);
      expect(stockes.reduce((t, e) => t + Number(e.montant), 0)).toBe(somme);
      const rebuilt = await recalculerTotaux(s.db, id);
      expect(rebuilt[0]!.engageAe).toBe(somme);
      // the remaining AE fit no refused order: the refusals were not spurious
      const reste = plafond - somme;
      expect(montants.filter((_, i) => reponses[i]!.status === 409).every((m) => m > reste)).toBe(true);
    }
    expect(acceptes).toBeGreaterThan(0);
    expect(refuses).toBeGreaterThan(0);
  }, 120_000);

  it('accepts no order in a year after its closing committed: closings in the middle of 30 orders, 10 times', async () => {
    const ctx = contexte(s);
    const app = createApp({
      ctx,
      // the orders' races, not the API's limit: the counters are shared by both tests' apps on this database
      config: {
        production: false,
        bodyLimit: 1024 * 1024,
        publicUrl: 'http://localhost',
        databaseUrl: undefined,
        limiteApi: 0,
      },
      storageKind: 'postgres',
    });
    const jeton = (await creerJeton(ctx, ACTEUR_SYSTEME, { nom: 'clôture', role: 'administrateur' })).valeur;
    const envoyer = (path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jeton}` },
        body: JSON.stringify(body),
      });
    // the tests' day is 23 November 2026: the 2026 closing opens on the 20th for this test
    await modifierCalendrier(ctx, admin, {
      annee: 2026,
      ouvertureCloture: '2026-11-20',
      limiteReport: '2026-11-15',
      limiteCloture: '2027-01-31',
    });
    const base = demo().classe;
    let acceptes = 0;
    let refuses = 0;
    for (let round = 0; round < 10; round++) {
      const id = (
        await creerConvention(ctx, admin, {
          ...base,
          reference: `CLOT-${round}`,
          echeancier: [{ annee: 2026, aeCentimes: 100_000_000, cpCentimes: 100_000_000 }],
        })
      ).convention.id;
      const commande = (i: number) =>
        envoyer(`/api/v1/conventions/${id}/engagements`, {
          annee: 2026,
          montant_centimes: 10_000 + i,
          objet: `Commande ${i}`,
          titulaire: 'Titulaire',
        });
      const avant = Array.from({ length: 15 }, (_, i) => commande(i));
      const cloture = envoyer('/api/v1/exercices/2026/cloture', { convention_id: id });
      const apres = Array.from({ length: 15 }, (_, i) => commande(15 + i));
      const reponses = await Promise.all([...avant, ...apres]);
      const rc = await cloture;
      expect(rc.status).toBe(201);
      const bilan = (await rc.json()).conventions[0].bilan;
      let somme = 0;
      for (const [i, r] of reponses.entries()) {
        const corps = await r.json();
        if (r.status === 201) {
          somme += 10_000 + i;
          acceptes++;
        } else {
          expect(r.status).toBe(409);
          expect(corps.code).toBe('EXERCICE_CLOS');
          refuses++;
        }
      }
      // every accepted order is in the statement the closing froze: none was accepted after it committed
      expect(bilan.ae.engage_centimes).toBe(somme);
      const rebuilt = await recalculerTotaux(s.db, id);
      expect(rebuilt.find((t) => t.annee === 2026)!.engageAe).toBe(somme);
      expect(bilan.ae.restitue_centimes).toBe(100_000_000 - somme);
      // and once it has committed, nothing more
      const tard = await commande(99);
      expect((await tard.json()).code).toBe('EXERCICE_CLOS');
    }
    expect(acceptes).toBeGreaterThan(0);
    expect(refuses).toBeGreaterThan(0);
  }, 120_000);
});
