import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Section } from './section.js';
import { migrate, openStorage, type Storage } from '../src/storage/database.js';
import { insererConvention } from '../src/storage/convention.js';
import { ecrireAvecJournal } from '../src/storage/journal.js';
import { conventionsDemo } from '../src/demo/conventions.js';
import { createApp } from '../src/web/app.js';
import { creerJeton } from '../src/usecases/acces.js';
import { ACTEUR_SYSTEME } from '../src/domain/acces.js';
import type { ConventionSaisie } from '../src/domain/convention.js';
import { ms, ratio, time } from './stats.js';
import { freePort, run, waitListening } from '../test/support/process.js';

const N = Number(process.env.BENCH_CONVENTIONS ?? 10_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Templates only: every generated convention sets its own dates, so any day serves. */
const MODELES = conventionsDemo('2026-06-15');

/** Varied conventions: demo ones with other names, SIRETs, years and amounts. */
export function generer(i: number): ConventionSaisie {
  const base = MODELES[i % MODELES.length]!;
  const annee = 2020 + (i % 8);
  const ae = 1_000_000 + ((i * 7919) % 50_000) * 100;
  return {
    ...base,
    reference: `GEN-${i}`,
    produits: [`Service ${i}`],
    delegant: { ...base.delegant, nom: `${base.delegant.nom} ${i % 40}`, siret: String(10000000000000 + (i % 40)) },
    echeancier: [
      { annee, aeCentimes: ae, cpCentimes: ae / 2 },
      { annee: annee + 1, aeCentimes: null, cpCentimes: ae / 2 },
    ],
    totalAeCentimes: ae,
    dateSignature: `${annee}-0${1 + (i % 9)}-1${i % 10}`,
    dateFin: `${annee + 1}-12-31`,
    dureeMois: null,
  };
}

export async function remplir(s: Storage, n: number): Promise<void> {
  const batch = 500;
  for (let start = 0; start < n; start += batch) {
    await s.db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const id = randomUUID();
        const sujet = {
          conventionId: id,
          objetType: 'convention',
          objetId: id,
          action: 'creation',
          commentaire: 'Banc d’essai',
        };
        await ecrireAvecJournal(trx, ACTEUR_SYSTEME, new Date('2026-11-23T10:00:00Z'), sujet, (e) =>
          insererConvention(e, id, generer(i)),
        );
      }
    });
  }
}

async function mesurer(label: string, s: Storage, raw: (q: string, params: unknown[]) => Promise<unknown>) {
  const ctx = { db: s.db, now: () => new Date('2026-11-23T10:00:00Z') };
  const app = createApp({
    ctx,
    config: { production: false, bodyLimit: 1 << 20, publicUrl: 'http://localhost', databaseUrl: undefined },
    storageKind: s.kind,
  });
  // a program's API token, as a budget tool would call the API
  const { valeur } = await creerJeton(ctx, ACTEUR_SYSTEME, { nom: 'Mesures', role: 'gestionnaire' });
  const headers = { authorization: `Bearer ${valeur}` };
  const ids = (await s.db.selectFrom('convention').select('id').limit(200).execute()).map((r) => r.id);
  let k = 0;

  const apiList = await time(async () => {
    const r = await app.request(`/api/v1/conventions?page=${1 + (k++ % 50)}&taille=20`, { headers });
    if (r.status !== 200) throw new Error(`list ${r.status}`);
    await r.json();
  });
  k = 0;
  const rawList = await time(async () => {
    const offset = (k++ % 50) * 20;
    await raw(
      `SELECT c.id, c.reference, c.produits, c.role_dinum, c.phase, c.uo, c.date_signature, c.fin_effective,
              CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END AS partenaire,
              CASE WHEN c.statut = 'en_vigueur' AND c.fin_effective < $1::date THEN 'terminee' ELSE c.statut END AS statut,
              c.echeancier_ae_centimes, c.echeancier_cp_centimes
         FROM convention c ORDER BY c.date_signature DESC NULLS LAST, c.id LIMIT 20 OFFSET ${offset}`,
      ['2026-11-23'],
    );
    await raw(`SELECT count(*), sum(echeancier_ae_centimes), sum(echeancier_cp_centimes) FROM convention`, []);
  });
  k = 0;
  const apiRead = await time(async () => {
    const r = await app.request(`/api/v1/conventions/${ids[k++ % ids.length]}`, { headers });
    if (r.status !== 200) throw new Error(`read ${r.status}`);
    await r.json();
  });
  k = 0;
  const rawRead = await time(async () => {
    const id = ids[k++ % ids.length];
    await raw('SELECT * FROM convention WHERE id = $1', [id]);
    await raw('SELECT * FROM echeancier WHERE convention_id = $1 ORDER BY annee', [id]);
    await raw('SELECT * FROM tranche WHERE convention_id = $1 ORDER BY rang', [id]);
  });
  console.log(`${label} — ${N} conventions`);
  console.log(
    `  page de liste (20 lignes + total)  API médiane ${ms(apiList.median)} p95 ${ms(apiList.p95)} | SQL brut médiane ${ms(rawList.median)} p95 ${ms(rawList.p95)} | ratio médiane ${ratio(apiList.median, rawList.median)}, p95 ${ratio(apiList.p95, rawList.p95)}`,
  );
  console.log(
    `  lecture d'une convention           API médiane ${ms(apiRead.median)} p95 ${ms(apiRead.p95)} | SQL brut médiane ${ms(rawRead.median)} p95 ${ms(rawRead.p95)} | ratio médiane ${ratio(apiRead.median, rawRead.median)}, p95 ${ratio(apiRead.p95, rawRead.p95)}`,
  );
}

export const section: Section = {
  name: 'registre des conventions',
  async run() {
    // PGlite, the embedded default, in a real data folder (also used for the start-up measure)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-bench-'));
    try {
      let s = await openStorage({ dataDir: dir });
      await migrate(s.db);
      let t = performance.now();
      await remplir(s, N);
      console.log(`PGlite : ${N} conventions insérées en ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await s.close();
      s = await openStorage({ dataDir: dir });
      const client = s.db;
      await mesurer('PGlite', s, (q, params) =>
        sql
          .raw(q.replace(/\$(\d)/g, (_, d) => `'${String(params[Number(d) - 1]).replace(/'/g, "''")}'`))
          .execute(client),
      );
      await s.close();

      // start-up on the existing folder: process spawn to first answered request
      const port = await freePort();
      t = performance.now();
      const srv = run(['serve'], { PORT: String(port), DELEGATIONS_DATA_DIR: dir, DELEGATIONS_DEMO: '0' });
      await waitListening(srv, port);
      const startup = performance.now() - t;
      srv.child.kill('SIGTERM');
      await srv.exited;
      console.log(
        `  démarrage sur un dossier existant (${N} conventions) : ${ms(startup)} jusqu'à la première réponse HTTP`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // PostgreSQL, when reachable
    const schema = `bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    try {
      await admin.connect();
    } catch {
      console.log(`PostgreSQL injoignable (${PG_URL}) : mesure ignorée.`);
      return;
    }
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const s = await openStorage({ databaseUrl: PG_URL, schema });
      await migrate(s.db);
      const t = performance.now();
      await remplir(s, N);
      console.log(`PostgreSQL : ${N} conventions insérées en ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const pool = new pg.Pool({ connectionString: PG_URL, options: `-c search_path=${schema}`, max: 2 });
      await mesurer('PostgreSQL', s, (q, params) => pool.query(q, params));
      await pool.end();
      await s.close();
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  },
};
