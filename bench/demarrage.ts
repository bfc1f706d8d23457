import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { migrate, openStorage, type Storage } from '../src/storage/database.js';
import { JOUR_TEST } from '../test/support/process.js';
import type { Section } from './section.js';

/**
 * Start-up of the real server process (`bin/delegations.js serve`, the compiled code), from its spawn to
 * the first HTTP 200, on PGlite and PostgreSQL:
 * - first start after conventions were written without their totals rows (an import, an old version):
 *   the catch-up opens their credits (its duration as the server reports it);
 * - restart of the same database: nothing to catch up;
 * - first start of a fresh embedded folder, with the demonstration data;
 * - the server's resident memory, idle after its start.
 */
const URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const JOUR = JOUR_TEST;
const ANNEE = Number(JOUR.slice(0, 4));
const TAILLES = [1_000, 10_000];
const REDEMARRAGES = 3;

/** Every server this section started: all are killed on the way out, whatever happens. */
const vivants = new Set<ChildProcess>();
const toutTuer = () => {
  for (const c of vivants) c.kill('SIGKILL');
};

interface Demarrage {
  /** spawn to first HTTP 200, in seconds */
  secondes: number;
  /** resident memory once idle, in MiB */
  rssMio: number;
  sortie: string;
  /** the catch-up's own duration as the server reports it, in seconds (null: none) */
  rattrapage: number | null;
}

function rssMio(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Starts the server, waits for its first 200, measures its memory idle, stops it (SIGTERM, then SIGKILL). */
async function demarrer(env: Record<string, string>, opts: { rattrapage?: boolean } = {}): Promise<Demarrage> {
  const debut = performance.now();
  const child = spawn(process.execPath, ['bin/delegations.js', 'serve'], {
    env: {
      ...process.env,
      PORT: '0', // the system picks a free port; the server says which
      HOST: '127.0.0.1',
      DELEGATIONS_AUJOURDHUI: JOUR,
      DELEGATIONS_SECRET: randomBytes(24).toString('hex'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  vivants.add(child);
  let sortie = '';
  const fin = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lire = (b: Buffer) => {
        sortie += b.toString();
        const m = /écoute sur http:\/\/localhost:(\d+)/.exec(sortie);
        if (m) resolve(Number(m[1]));
      };
      child.stdout.on('data', lire);
      child.stderr.on('data', lire);
      child.once('exit', (code) => reject(new Error(`le serveur s’est arrêté (${code}) : ${sortie}`)));
      child.once('error', reject);
    });
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`).catch(() => null);
      if (res?.status === 200) {
        await res.arrayBuffer();
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const secondes = (performance.now() - debut) / 1000;
    // a start without migration checks for missing totals shortly after its first answers
    const ligne = /Crédits ouverts selon l’échéancier : \d+ conventions \((\d+) ms\)/;
    const limite = performance.now() + 180_000;
    while (opts.rattrapage && !ligne.test(sortie) && performance.now() < limite)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
    const m = ligne.exec(sortie);
    return { secondes, rssMio: rssMio(child.pid!), sortie, rattrapage: m ? Number(m[1]) / 1000 : null };
  } finally {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await fin;
      clearTimeout(force);
    }
    vivants.delete(child);
  }
}

/** `n` signed conventions with a two-year schedule and no totals rows yet, as an import or an old version leaves them. */
async function remplir(s: Storage, n: number): Promise<void> {
  await sql`INSERT INTO convention (id, reference, nature, statut, role_dinum, delegant, delegataire, delegant_nom, delegataire_nom, delegant_siret, delegataire_siret,
      produits, produits_texte, imputation, base_montants, date_signature, date_fin, fin_effective, comite, echeancier_ae_centimes, echeancier_cp_centimes)
    SELECT gen_random_uuid(), 'D-' || i, 'delegation_de_gestion', 'en_vigueur', CASE WHEN i % 3 = 0 THEN 'delegant' ELSE 'delegataire' END,
      jsonb_build_object('nom', 'Ministère ' || (i % 40)), '{"nom": "DINUM"}', 'Ministère ' || (i % 40), 'DINUM', lpad((i % 40)::text, 14, '1'), '13002526500013',
      jsonb_build_array('Produit ' || i), 'Produit ' || i, '{"extra": {}}', 'TTC',
      make_date(${ANNEE - 1}, 3, 1), make_date(${ANNEE + 1}, 6, 30), make_date(${ANNEE + 1}, 6, 30), '{}', 2000000, 2000000
    FROM generate_series(1, ${n}::int) i`.execute(s.db);
  await sql`INSERT INTO echeancier (convention_id, annee, ae_centimes, cp_centimes)
    SELECT c.id, y, 1000000, 1000000 FROM convention c CROSS JOIN (VALUES (${ANNEE - 1}::int), (${ANNEE}::int)) v(y)`.execute(
    s.db,
  );
  await sql`ANALYZE`.execute(s.db);
}

async function comptes(s: Storage): Promise<{ totaux: number; journal: number }> {
  const r = await sql<{
    totaux: number;
    journal: number;
  }>`SELECT (SELECT count(*) FROM credit_annuel)::int AS totaux, (SELECT count(*) FROM journal WHERE action = 'mise_a_disposition')::int AS journal`.execute(
    s.db,
  );
  return r.rows[0]!;
}

interface Ligne {
  base: string;
  conventions: number;
  rattrapage: Demarrage;
  redemarrage: Demarrage;
  controle: string;
}

/** First start (catch-up), then restarts (best kept, median is noisier on a shared machine), on one database. */
async function mesurer(
  base: string,
  n: number,
  ouvrir: () => Promise<Storage>,
  env: Record<string, string>,
): Promise<Ligne> {
  const s = await ouvrir();
  try {
    await remplir(s, n);
  } finally {
    await s.close();
  }
  const rattrapage = await demarrer(env, { rattrapage: true });
  const redemarrages: Demarrage[] = [];
  for (let i = 0; i < REDEMARRAGES; i++) redemarrages.push(await demarrer(env));
  redemarrages.sort((a, b) => a.secondes - b.secondes);
  const s2 = await ouvrir();
  let controle: string;
  try {
    const c = await comptes(s2);
    controle =
      c.totaux === 2 * n && c.journal === n ? 'cohérent' : `INCOHÉRENT (${c.totaux} totaux, ${c.journal} lignes)`;
  } finally {
    await s2.close();
  }
  return { base, conventions: n, rattrapage, redemarrage: redemarrages[0]!, controle };
}

const s1 = (v: number) => `${v.toFixed(2)} s`;

export const section: Section = {
  name: 'demarrage (redémarrage, rattrapage, dossier neuf)',
  async run() {
    process.once('exit', toutTuer);
    const lignes: Ligne[] = [];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-demarrage-'));
    try {
      // ---- embedded database ----
      for (const n of TAILLES) {
        const dataDir = path.join(tmp, `pglite-${n}`);
        lignes.push(
          await mesurer(
            'PGlite',
            n,
            async () => {
              const s = await openStorage({ dataDir });
              await migrate(s.db);
              return s;
            },
            { DATABASE_URL: '', DELEGATIONS_DATA_DIR: dataDir, DELEGATIONS_DEMO: '0' },
          ),
        );
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      const neuf = await demarrer({
        DATABASE_URL: '',
        DELEGATIONS_DATA_DIR: path.join(tmp, 'neuf'),
        DELEGATIONS_DEMO: '1',
      });

      // ---- PostgreSQL, in a schema of its own ----
      const admin = new pg.Client({ connectionString: URL });
      let surPostgres = true;
      try {
        await admin.connect();
      } catch (e) {
        console.log(`PostgreSQL indisponible (${URL}) : ${(e as Error).message}`);
        surPostgres = false;
      }
      if (surPostgres) {
        const schema = `bench_demarrage_${randomBytes(4).toString('hex')}`;
        try {
          const sep = URL.includes('?') ? '&' : '?';
          const urlSchema = `${URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
          for (const n of TAILLES) {
            await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await admin.query(`CREATE SCHEMA ${schema}`);
            lignes.push(
              await mesurer(
                'PostgreSQL',
                n,
                async () => {
                  const s = await openStorage({ databaseUrl: URL, schema });
                  await migrate(s.db, { schema });
                  return s;
                },
                { DATABASE_URL: urlSchema, DELEGATIONS_DATA_DIR: path.join(tmp, 'pg'), DELEGATIONS_DEMO: '0' },
              ),
            );
          }
        } finally {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.end();
        }
      }

      console.log(
        `\nDu lancement de « delegations serve » (code compilé) à la première réponse HTTP 200 ; redémarrage : meilleur de ${REDEMARRAGES} :`,
      );
      console.log(
        '  base       | conventions | 1er démarrage, rattrapage à faire | durée du rattrapage | redémarrage (objectif ≤ 2 s) | RSS au repos | contrôle',
      );
      for (const l of lignes)
        console.log(
          `  ${l.base.padEnd(10)} | ${String(l.conventions).padStart(11)} | ${s1(l.rattrapage.secondes).padStart(33)} | ${(l.rattrapage.rattrapage === null ? '—' : s1(l.rattrapage.rattrapage)).padStart(19)} | ${s1(l.redemarrage.secondes).padStart(28)} | ${`${l.redemarrage.rssMio.toFixed(0)} Mio`.padStart(12)} | ${l.controle}`,
        );
      const progression = neuf.sortie
        .split('\n')
        .filter((x) => x.trim())
        .map((x) => `    ${x}`)
        .join('\n');
      console.log(
        `\nDossier embarqué neuf, avec les données de démonstration (objectif ≤ 10 s) : ${s1(neuf.secondes)}, RSS au repos ${neuf.rssMio.toFixed(0)} Mio ; sortie du serveur :\n${progression}`,
      );
    } finally {
      toutTuer();
      process.off('exit', toutTuer);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};
