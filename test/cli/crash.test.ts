import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { demo } from '../support/demo.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { creerJeton } from '../../src/usecases/acces.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { horlogeFixe } from '../../src/domain/horloge.js';
import { recalculerTotaux } from '../../src/storage/credit-mouvement.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { DATABASES, TEST_DATABASE_URL, contexte, freshStorage } from '../support/db.js';
import {
  JOUR_TEST,
  arreter,
  budget,
  dossierDonnees,
  dossierTemporaire,
  freePort,
  run,
  waitListening,
} from '../support/process.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
/** The server runs on JOUR_TEST (DELEGATIONS_AUJOURDHUI), in a year that the convention funds, before the year-end cut-off. */
const ANNEE = Number(JOUR_TEST.slice(0, 4));
const horloge = horlogeFixe(JOUR_TEST);

/** Starts the real server process and resolves once it answers; the test's hooks kill it if the test fails. */
async function demarrer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const r = run(['serve'], { DELEGATIONS_DEMO: '0', HOST: '127.0.0.1', PORT: String(port), ...env });
  await waitListening(r, port);
  return r.child;
}

describe.each(DATABASES)('crash during a stream of orders on %s', (kind) => {
  it(
    'keeps every acknowledged order and consistent totals after SIGKILL and restart',
    async () => {
      const port = await freePort();
      // funded in ANNEE whatever the demo data says: the test does not depend on the demonstration's figures
      const base = {
        ...demo(horloge).classe,
        dateSignature: `${ANNEE}-01-05`,
        dateFin: `${ANNEE + 1}-12-31`,
        echeancier: [{ annee: ANNEE, aeCentimes: 5_000_000, cpCentimes: 5_000_000 }],
        totalAeCentimes: 5_000_000,
      };
      let env: Record<string, string>;
      let storage: Storage | null = null;
      let dir = '';
      let dossier = '';
      let conventionId: string;
      let jeton: string;
      if (kind === 'postgres') {
        storage = await freshStorage('postgres');
        const ouvert = storage;
        onTestFinished(() => ouvert.close());
        const schema = (storage as Storage & { schema: string }).schema;
        conventionId = (await creerConvention(contexte(storage, horloge), admin, { ...base, reference: 'CRASH' }))
          .convention.id;
        jeton = (await creerJeton(contexte(storage, horloge), ACTEUR_SYSTEME, { nom: 'crash', role: 'gestionnaire' }))
          .valeur;
        env = { DATABASE_URL: `${TEST_DATABASE_URL}?options=-c%20search_path%3D${schema}` };
      } else {
        dossier = dossierTemporaire('crash');
        onTestFinished(() => fs.rmSync(dossier, { recursive: true, force: true }));
        dir = dossierDonnees(inject('pgliteDataDir'), dossier);
        const s = await openStorage({ dataDir: dir });
        conventionId = (await creerConvention(contexte(s, horloge), admin, { ...base, reference: 'CRASH' })).convention
          .id;
        jeton = (await creerJeton(contexte(s, horloge), ACTEUR_SYSTEME, { nom: 'crash', role: 'gestionnaire' })).valeur;
        await s.close();
        env = { DELEGATIONS_DATA_DIR: dir };
      }
      const url = `http://127.0.0.1:${port}/api/v1/conventions/${conventionId}`;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${jeton}` };
      const annee = ANNEE;

      const serveur = await demarrer(env, port);
      const acquittes = new Map<string, number>();
      let enVol = 0;
      let tue = false;
      onTestFinished(() => {
        tue = true; // a failed or timed-out test stops its clients too
      });
      const flux = async (n: number) => {
        for (let i = 0; !tue; i++) {
          const montant = 100 + ((n * 31 + i * 17) % 900);
          enVol++;
          try {
            const r = await fetch(`${url}/engagements`, {
              method: 'POST',
              headers,
              body: JSON.stringify({
                annee,
                montant_centimes: montant,
                objet: `flux ${n}-${i}`,
                titulaire: 'Titulaire',
              }),
            });
            if (r.status === 201) {
              const e = await r.json();
              acquittes.set(e.numero, montant);
            } else expect(r.status).toBe(409); // only refusals by a rule are acceptable
          } catch {
            // connection cut by the kill: neither acknowledged nor refused
          } finally {
            enVol--;
          }
        }
      };
      const flux4 = [0, 1, 2, 3].map(flux);
      while (acquittes.size < 60 && !tue) await new Promise((r) => setTimeout(r, 20));
      expect(enVol).toBeGreaterThan(0);
      await arreter(serveur, 'SIGKILL');
      tue = true;
      await Promise.all(flux4);

      const relance = await demarrer(env, port);
      const credits = await (await fetch(`${url}/credits`, { headers })).json();
      const stockes = new Map<string, number>();
      for (let page = 1; ; page++) {
        const r = await (await fetch(`${url}/engagements?page=${page}&taille=500`, { headers })).json();
        for (const e of r.items) stockes.set(e.numero, e.montant_centimes);
        if (r.items.length < 500) break;
      }
      for (const [numero, montant] of acquittes) expect(stockes.get(numero)).toBe(montant);
      const ligne = credits.annees.find((a: { annee: number }) => a.annee === annee);
      const somme = [...stockes.values()].reduce((t, m) => t + m, 0);
      expect(ligne.ae.engage_centimes).toBe(somme);
      expect(ligne.nb_engagements).toBe(stockes.size);
      expect(ligne.ae.engage_centimes).toBeLessThanOrEqual(ligne.ae.ouvert_centimes);
      // the server takes new orders after the restart
      const apres = await fetch(`${url}/engagements`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ annee, montant_centimes: 100, objet: 'après', titulaire: 'T' }),
      });
      expect(apres.status).toBe(201);
      await arreter(relance, 'SIGTERM');

      // totals rebuilt from the movements alone agree with the totals rows
      const verif = kind === 'postgres' ? storage! : await openStorage({ dataDir: dir });
      const rebuilt = (await recalculerTotaux(verif.db, conventionId)).find((r) => r.annee === annee)!;
      expect(rebuilt.engageAe).toBe(somme + 100);
      if (kind === 'pglite') await verif.close();
    },
    budget(4),
  );
});
