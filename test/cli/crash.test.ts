import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { demo } from '../support/demo.js';
import { creerConvention } from '../../src/usecases/conventions.js';
import { creerJeton } from '../../src/usecases/acces.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { recalculerTotaux } from '../../src/storage/credits.js';
import { migrate, openStorage, type Storage } from '../../src/storage/database.js';
import { DATABASES, TEST_DATABASE_URL, contexte, freshStorage } from '../support/db.js';
import { freePort, run, waitListening } from '../support/process.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
/** Starts the real server process and resolves once it answers. */
async function demarrer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const r = run(['serve'], { DELEGATIONS_DEMO: '0', HOST: '127.0.0.1', PORT: String(port), ...env });
  await waitListening(r, port);
  return r.child;
}

function arreter(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const enfants: ChildProcess[] = [];
afterAll(async () => {
  for (const c of enfants) await arreter(c, 'SIGKILL');
});

describe.each(DATABASES)('crash during a stream of orders on %s', (kind) => {
  it('keeps every acknowledged order and consistent totals after SIGKILL and restart', async () => {
    const port = await freePort();
    const base = demo(() => new Date()).classe;
    let env: Record<string, string>;
    let storage: Storage | null = null;
    let dir = '';
    let conventionId: string;
    let jeton: string;
    if (kind === 'postgres') {
      storage = await freshStorage('postgres');
      const schema = (storage as Storage & { schema: string }).schema;
      conventionId = (await creerConvention(contexte(storage, () => new Date()), admin, { ...base, reference: 'CRASH' })).convention.id;
      jeton = (await creerJeton(contexte(storage), ACTEUR_SYSTEME, { nom: 'crash', role: 'gestionnaire' })).valeur;
      env = { DATABASE_URL: `${TEST_DATABASE_URL}?options=-c%20search_path%3D${schema}` };
    } else {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-crash-'));
      const s = await openStorage({ dataDir: dir });
      await migrate(s.db);
      conventionId = (await creerConvention(contexte(s, () => new Date()), admin, { ...base, reference: 'CRASH' })).convention.id;
      jeton = (await creerJeton(contexte(s), ACTEUR_SYSTEME, { nom: 'crash', role: 'gestionnaire' })).valeur;
      await s.close();
      env = { DELEGATIONS_DATA_DIR: dir };
    }
    const url = `http://127.0.0.1:${port}/api/v1/conventions/${conventionId}`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${jeton}` };
    const annee = new Date().getFullYear();

    const serveur = await demarrer(env, port);
    enfants.push(serveur);
    const acquittes = new Map<string, number>();
    let enVol = 0;
    let tue = false;
    const flux = async (n: number) => {
      for (let i = 0; !tue; i++) {
        const montant = 100 + ((n * 31 + i * 17) % 900);
        enVol++;
        try {
          const r = await fetch(`${url}/engagements`, { method: 'POST', headers, body: JSON.stringify({ annee, montant_centimes: montant, objet: `flux ${n}-${i}`, titulaire: 'Titulaire' }) });
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
    while (acquittes.size < 60) await new Promise((r) => setTimeout(r, 20));
    expect(enVol).toBeGreaterThan(0);
    await arreter(serveur, 'SIGKILL');
    tue = true;
    await Promise.all(flux4);

    const relance = await demarrer(env, port);
    enfants.push(relance);
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
    const apres = await fetch(`${url}/engagements`, { method: 'POST', headers, body: JSON.stringify({ annee, montant_centimes: 100, objet: 'après', titulaire: 'T' }) });
    expect(apres.status).toBe(201);
    await arreter(relance, 'SIGTERM');

    // totals rebuilt from the movements alone agree with the totals rows
    const verif = kind === 'postgres' ? storage! : await openStorage({ dataDir: dir });
    const rebuilt = (await recalculerTotaux(verif.db, conventionId)).find((r) => r.annee === annee)!;
    expect(rebuilt.engageAe).toBe(somme + 100);
    await verif.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});
