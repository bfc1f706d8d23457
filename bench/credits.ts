import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { ACTEURS_DEMO } from '../src/demo/acteurs.js';
import { conventionsDemo } from '../src/demo/conventions.js';
import { aujourdHui } from '../src/domain/horloge.js';
import { migrate, openStorage, type Storage } from '../src/storage/database.js';
import type { Contexte } from '../src/usecases/contexte.js';
import { creerConvention } from '../src/usecases/convention.js';
import { creerJeton } from '../src/usecases/acces.js';
import { createApp } from '../src/web/app.js';
import { horlogeFixe } from '../src/domain/horloge.js';
import { JOUR_TEST } from '../test/support/process.js';
import type { Section } from './section.js';
import { ms, time, timeEntrelace } from './stats.js';

/**
 * Credits on PostgreSQL, each path next to the raw SQL doing the same work in the same run:
 * - orders per second through the HTTP API (rules, ceiling, journal) against the same transaction in raw
 *   SQL (share lock on the convention, lock on the totals row, check, one write statement, commit);
 * - the credits view of one convention as movements grow from 1 000 to 100 000, against the query that
 *   fetches the same rows;
 * - the portfolio as conventions grow from 1 000 to 100 000, against the same three queries.
 */
const URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const CLIENTS = 10;
/** The day the bench runs at, whatever the real date: its server, its use cases and its raw SQL agree on it. */
const JOUR = JOUR_TEST;
const ORDRES = 2000;

async function parallele(n: number, clients: number, fn: (i: number) => Promise<void>): Promise<number> {
  let suivant = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (suivant < n) await fn(suivant++);
    }),
  );
  return (n * 1000) / (performance.now() - t);
}

/** The order transaction without the application: same locks, same check, same rows written. */
async function ordreBrut(pool: pg.Pool, conventionId: string, annee: number, i: number): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // the convention, and whether its year was closed (for it or the whole portfolio)
    const conv = await c.query(
      `SELECT statut, date_signature, fin_effective,
         EXISTS (SELECT 1 FROM exercice_cloture x WHERE x.annee = $2 AND (x.convention_id = c.id OR x.convention_id IS NULL)) AS clos
       FROM convention c WHERE id = $1 FOR SHARE`,
      [conventionId, annee],
    );
    if (conv.rows[0].statut !== 'en_vigueur') throw new Error('statut');
    if (conv.rows[0].clos) throw new Error('exercice clos');
    const t = await c.query(
      'SELECT ouvert_ae, engage_ae, nb_engagements FROM credit_annuel WHERE convention_id = $1 AND annee = $2 FOR UPDATE',
      [conventionId, annee],
    );
    const montant = 1000 + (i % 500);
    if (Number(t.rows[0].engage_ae) + montant > Number(t.rows[0].ouvert_ae)) throw new Error('plafond');
    const id = randomUUID();
    const numero = `R-${i}-${randomBytes(3).toString('hex')}`;
    await c.query(
      `WITH e AS (INSERT INTO engagement (id, convention_id, annee, numero, titulaire, objet, montant, montant_impute, base_montant, date_engagement, acteur_id, acteur_nom)
         VALUES ($1, $2, $5, $3, 'Titulaire', 'Objet', $4, $4, 'TTC', $6::date, 'bench', 'bench') RETURNING id),
       m AS (INSERT INTO mouvement (convention_id, annee, type, engagement_id, date_operation, engage_ae, reference, motif, acteur_id, acteur_nom)
         VALUES ($2, $5, 'engagement', $1, $6::date, $4, $3, 'Objet', 'bench', 'bench')),
       u AS (UPDATE credit_annuel SET engage_ae = engage_ae + $4, nb_engagements = nb_engagements + 1, dernier_effet = GREATEST(dernier_effet, $6::date), modifie_le = now() WHERE convention_id = $2 AND annee = $5),
       j AS (INSERT INTO journal (convention_id, objet_type, objet_id, action, acteur_id, acteur_nom, acteur_role, changements, commentaire)
         VALUES ($2, 'engagement', $1, 'engagement', 'bench', 'bench', 'administrateur', '[]', $3))
       SELECT id FROM e`,
      [id, conventionId, numero, montant, annee, JOUR],
    );
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
}

/**
 * The physical floor of an order: one statement that checks the ceiling on the totals row and records the
 * order, its movement and its journal line, or records nothing.
 */
async function ordrePlancher(pool: pg.Pool, conventionId: string, annee: number, i: number): Promise<void> {
  const montant = 1000 + (i % 500);
  const r = await pool.query(
    `WITH u AS (UPDATE credit_annuel SET engage_ae = engage_ae + $4, nb_engagements = nb_engagements + 1, dernier_effet = GREATEST(dernier_effet, $6::date), modifie_le = now()
         WHERE convention_id = $2 AND annee = $5 AND engage_ae + $4 <= ouvert_ae RETURNING convention_id),
       e AS (INSERT INTO engagement (id, convention_id, annee, numero, titulaire, objet, montant, montant_impute, base_montant, date_engagement, acteur_id, acteur_nom)
         SELECT $1, $2, $5, $3, 'Titulaire', 'Objet', $4, $4, 'TTC', $6::date, 'bench', 'bench' FROM u RETURNING id),
       m AS (INSERT INTO mouvement (convention_id, annee, type, engagement_id, date_operation, engage_ae, reference, motif, acteur_id, acteur_nom)
         SELECT $2, $5, 'engagement', id, $6::date, $4, $3, 'Objet', 'bench', 'bench' FROM e),
       j AS (INSERT INTO journal (convention_id, objet_type, objet_id, action, acteur_id, acteur_nom, acteur_role, changements, commentaire)
         SELECT $2, 'engagement', id, 'engagement', 'bench', 'bench', 'administrateur', '[]', $3 FROM e)
       SELECT count(*)::int AS n FROM e`,
    [randomUUID(), conventionId, `F-${i}-${randomBytes(3).toString('hex')}`, montant, annee, JOUR],
  );
  if (r.rows[0].n !== 1) throw new Error('plafond');
}

/** Gives a convention `n` movements (n/2 orders, each with its certified work) and the matching totals. */
async function remplirMouvements(
  s: Storage,
  conventionId: string,
  annee: number,
  deja: number,
  n: number,
): Promise<void> {
  const de = deja / 2 + 1;
  const a = n / 2;
  await sql`WITH e AS (
      INSERT INTO engagement (id, convention_id, annee, numero, titulaire, objet, montant, montant_impute, base_montant, date_engagement, acteur_id, acteur_nom, certifie)
      SELECT gen_random_uuid(), ${conventionId}, ${annee}, 'M-' || i, 'Titulaire', 'Objet', 1000, 1000, 'TTC', make_date(${annee}, 1, 2) + (i % 200), 'bench', 'bench', 1000
      FROM generate_series(${de}::int, ${a}::int) i RETURNING id, date_engagement
    )
    INSERT INTO mouvement (convention_id, annee, type, engagement_id, date_operation, engage_ae, certifie, acteur_id, acteur_nom)
    SELECT ${conventionId}, ${annee}, t.type, e.id, e.date_engagement + t.d, t.ae, t.sf, 'bench', 'bench'
    FROM e CROSS JOIN (VALUES ('engagement', 0, 1000, 0), ('service_fait', 10, 0, 1000)) t(type, d, ae, sf)`.execute(
    s.db,
  );
  const ordres = a - de + 1;
  await sql`UPDATE credit_annuel SET engage_ae = engage_ae + ${ordres * 1000}, certifie = certifie + ${ordres * 1000}, nb_engagements = nb_engagements + ${ordres}
    WHERE convention_id = ${conventionId} AND annee = ${annee}`.execute(s.db);
}

/** Adds conventions numbered [from, to] with two years of credits each, partly consumed, in bulk. */
async function remplirPortefeuille(s: Storage, annee: number, from: number, to: number): Promise<void> {
  await sql`INSERT INTO convention (id, reference, nature, statut, role_dinum, delegant, delegataire, delegant_nom, delegataire_nom, delegant_siret, delegataire_siret,
      produits, produits_texte, imputation, base_montants, promotion_fast, date_signature, date_fin, fin_effective, comite, echeancier_ae_centimes, echeancier_cp_centimes)
    SELECT gen_random_uuid(), 'P-' || i, 'delegation_de_gestion', 'en_vigueur', CASE WHEN i % 3 = 0 THEN 'delegant' ELSE 'delegataire' END,
      jsonb_build_object('nom', 'Ministère ' || (i % 40)), '{"nom": "DINUM"}', 'Ministère ' || (i % 40), 'DINUM', lpad((i % 40)::text, 14, '1'), '13002526500013',
      jsonb_build_array('Produit ' || i), 'Produit ' || i, '{"extra": {}}', 'TTC', CASE WHEN i % 4 = 0 THEN 'FAST ' || (10 + i % 8) END,
      make_date(${annee - 1}, 3, 1), make_date(${annee + 1}, 6, 30), make_date(${annee + 1}, 6, 30), '{}', 2000000, 2000000
    FROM generate_series(${from}::int, ${to}::int) i`.execute(s.db);
  await sql`INSERT INTO echeancier (convention_id, annee, ae_centimes, cp_centimes)
    SELECT c.id, y, 1000000, 1000000 FROM convention c CROSS JOIN (VALUES (${annee - 1}::int), (${annee}::int)) v(y)
    WHERE c.reference LIKE 'P-%' AND substr(c.reference, 3)::int BETWEEN ${from} AND ${to}`.execute(s.db);
  await sql`INSERT INTO credit_annuel (convention_id, annee, base_ae, base_cp, ouvert_ae, ouvert_cp, engage_ae, certifie, paye_cp, nb_engagements, ouverture)
    SELECT c.id, y, 1000000, 1000000, 1000000, 1000000, (substr(c.reference, 3)::int % 100) * 10000, (substr(c.reference, 3)::int % 50) * 10000,
      (substr(c.reference, 3)::int % 40) * 10000, 3, make_date(y, 1, 1)
    FROM convention c CROSS JOIN (VALUES (${annee - 1}::int), (${annee}::int)) v(y)
    WHERE c.reference LIKE 'P-%' AND substr(c.reference, 3)::int BETWEEN ${from} AND ${to}`.execute(s.db);
  await sql`ANALYZE`.execute(s.db);
}

const PARTENAIRE = `CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END`;
const SOMMES = `coalesce(sum(ca.ouvert_ae), 0)::bigint AS ouvert_ae, coalesce(sum(ca.engage_ae), 0)::bigint AS engage_ae, coalesce(sum(ca.certifie), 0)::bigint AS certifie,
  coalesce(sum(ca.ouvert_cp), 0)::bigint AS ouvert_cp, coalesce(sum(ca.paye_cp), 0)::bigint AS paye_cp`;

/** The portfolio's three queries, hand-written: the page, the total, the subtotals by partner. */
function portefeuilleBrut(pool: pg.Pool, annee: number) {
  const jour = JOUR;
  return Promise.all([
    pool.query(
      `SELECT c.id, c.reference, c.produits, ${PARTENAIRE} AS partenaire, c.role_dinum, c.promotion_fast, c.fin_effective,
        CASE WHEN c.statut = 'en_vigueur' AND c.fin_effective < $1::date THEN 'terminee' ELSE c.statut END AS statut, ${SOMMES}
       FROM convention c JOIN credit_annuel ca ON ca.convention_id = c.id WHERE ca.annee = $2
       GROUP BY c.id ORDER BY sum(ca.ouvert_ae) - sum(ca.engage_ae) DESC, c.id LIMIT 50`,
      [jour, annee],
    ),
    pool.query(
      `SELECT count(DISTINCT c.id)::bigint AS n, ${SOMMES} FROM convention c JOIN credit_annuel ca ON ca.convention_id = c.id WHERE ca.annee = $1`,
      [annee],
    ),
    pool.query(
      `SELECT ${PARTENAIRE} AS cle, count(DISTINCT c.id)::bigint AS n, ${SOMMES} FROM convention c JOIN credit_annuel ca ON ca.convention_id = c.id WHERE ca.annee = $1 GROUP BY 1 ORDER BY 1`,
      [annee],
    ),
  ]);
}

/**
 * The portfolio's floor: the same page, total and subtotals read from the summary rows the credits
 * triggers keep (the fewest rows that give the same figures), through the same driver.
 */
function portefeuilleSynthese(pool: pg.Pool, annee: number) {
  const sommes = `coalesce(sum(s.n), 0)::bigint AS n, coalesce(sum(s.ouvert_ae), 0)::bigint AS ouvert_ae, coalesce(sum(s.engage_ae), 0)::bigint AS engage_ae,
    coalesce(sum(s.certifie), 0)::bigint AS certifie, coalesce(sum(s.ouvert_cp), 0)::bigint AS ouvert_cp, coalesce(sum(s.paye_cp), 0)::bigint AS paye_cp`;
  return Promise.all([
    pool.query(
      `SELECT c.id, c.reference, c.produits, ${PARTENAIRE} AS partenaire, c.role_dinum, c.promotion_fast, c.fin_effective,
        CASE WHEN c.statut = 'en_vigueur' AND c.fin_effective < $1::date THEN 'terminee' ELSE c.statut END AS statut,
        l.ouvert_ae, l.engage_ae, l.certifie, l.ouvert_cp, l.paye_cp
       FROM credit_annuel l JOIN convention c ON c.id = l.convention_id WHERE l.annee = $2
       ORDER BY l.ouvert_ae - l.engage_ae DESC, l.convention_id LIMIT 50`,
      [JOUR, annee],
    ),
    pool.query(`SELECT ${sommes} FROM portefeuille_somme s WHERE s.annee = $1`, [annee]),
    pool.query(
      `SELECT s.partenaire AS cle, ${sommes} FROM portefeuille_somme s WHERE s.annee = $1 GROUP BY 1 HAVING sum(s.n) > 0 ORDER BY 1`,
      [annee],
    ),
  ]);
}

/**
 * The rows the credits view returns, hand-written: the convention's access fields, schedule, tranches,
 * decisions, the calendar settings (for the projection) and the totals of each year.
 */
const VUE_BRUTE = `SELECT c.id, c.reference, c.statut, c.role_dinum, c.delegant, c.delegataire, c.produits, c.publiee, c.base_montants,
  c.date_signature, c.date_fin, c.duree_mois, c.promotion_fast,
  (SELECT json_agg(e ORDER BY e.annee) FROM echeancier e WHERE e.convention_id = c.id) AS echeancier,
  (SELECT json_agg(t ORDER BY t.rang) FROM tranche t WHERE t.convention_id = c.id) AS tranches,
  (SELECT json_agg(d ORDER BY d.id) FROM decision_credit d WHERE d.convention_id = c.id) AS decisions,
  (SELECT json_object_agg(p.cle, p.valeur) FROM parametre p) AS parametres,
  (SELECT json_agg(ca ORDER BY ca.annee) FROM credit_annuel ca WHERE ca.convention_id = c.id) AS credits
  FROM convention c WHERE c.id = $1`;

/** A keep-alive HTTP client (node:http), as lean on its side as pg is for the raw queries. */
function clientHttp(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          agent,
          headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
        },
        (res) => {
          const morceaux: Buffer[] = [];
          res.on('data', (b: Buffer) => morceaux.push(b));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(morceaux).toString() }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** CPU time a process has used (user + system), in ms, read from /proc; null where there is none. */
function cpuProcessus(pid: number): number | null {
  try {
    const champs = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of the line, in clock ticks (100 per second on Linux)
    return ((Number(champs[11]) + Number(champs[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Starts the real server process on the bench schema and resolves once it listens. */
function demarrerServeur(databaseUrl: string): Promise<{ port: number; pid: number; arreter(): void }> {
  return new Promise((resolve, reject) => {
    // one address sends thousands of orders a minute here: the API's per-address limit is for real clients
    // BENCH_NODE_FLAGS (say `--cpu-prof`) reaches the server's process only, to see where its time goes
    const drapeaux = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...drapeaux, 'bin/delegations.js', 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        DELEGATIONS_DEMO: '0',
        DELEGATIONS_LIMITE_API: '0',
        DELEGATIONS_AUJOURDHUI: JOUR,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const lire = (b: Buffer) => {
      out += b.toString();
      const m = /écoute sur http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), pid: child.pid!, arreter: () => child.kill('SIGTERM') });
    };
    child.stdout.on('data', lire);
    child.stderr.on('data', lire);
    child.on('exit', (code) => reject(new Error(`le serveur s’est arrêté (${code}) : ${out}`)));
  });
}

export const section: Section = {
  name: 'credits (plafonds, engagements, vues)',
  async run() {
    const schema = `bench_credits_${randomBytes(4).toString('hex')}`;
    const admin0 = new pg.Client({ connectionString: URL });
    try {
      await admin0.connect();
    } catch (e) {
      console.log(`PostgreSQL indisponible (${URL}) : ${(e as Error).message}`);
      return;
    }
    await admin0.query(`CREATE SCHEMA ${schema}`);
    const s = await openStorage({ databaseUrl: URL, schema, poolSize: CLIENTS });
    const pool = new pg.Pool({ connectionString: URL, max: CLIENTS, options: `-c search_path=${schema}` });
    let serveur: { port: number; pid: number; arreter(): void } | null = null;
    try {
      await migrate(s.db, { schema });
      // Everything runs on JOUR (the server through DELEGATIONS_AUJOURDHUI): its year, and no cut-off within the bench.
      const annee = Number(JOUR.slice(0, 4));
      const ctx: Contexte = { db: s.db, now: horlogeFixe(JOUR) };
      await sql`INSERT INTO parametre (cle, valeur) VALUES ('limiteEngagements', '12-31'), ('limitePaiements', '12-31'), ('reprise', '01-01')`.execute(
        s.db,
      );
      const conventionBench = async (reference: string) => {
        const base = conventionsDemo(aujourdHui(ctx.now)).find((c) => c.produits.includes('Classe à 12'))!;
        const { convention } = await creerConvention(ctx, admin, {
          ...base,
          reference,
          dateSignature: `${annee}-01-01`,
          dateFin: `${annee + 1}-12-31`,
          echeancier: [{ annee, aeCentimes: 1_000_000_000_000, cpCentimes: 1_000_000_000_000 }],
        });
        return convention.id;
      };
      const cApi = await conventionBench('BENCH-API');
      const cBrut = await conventionBench('BENCH-BRUT');
      const cPlancher = await conventionBench('BENCH-PLANCHER');
      const cVue = await conventionBench('BENCH-VUE');

      const sep = URL.includes('?') ? '&' : '?';
      serveur = await demarrerServeur(`${URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
      const base = '/api/v1';
      const requete = clientHttp(serveur.port);
      // a program's API token: no cookie, no CSRF
      const { valeur } = await creerJeton(ctx, admin, { nom: 'Mesures', role: 'gestionnaire' });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${valeur}` };
      // the same application in this process, reached without a socket: the view's own cost
      const app = createApp({
        ctx,
        config: { production: false, bodyLimit: 1024 * 1024, publicUrl: 'http://localhost', databaseUrl: URL },
        storageKind: 'postgres',
      });
      const version = (await admin0.query('SHOW server_version')).rows[0].server_version;
      console.log(
        `PostgreSQL ${version}, schéma ${schema} ; serveur Délégations dans son propre processus (HTTP sur 127.0.0.1), ${CLIENTS} connexions de part et d’autre.`,
      );

      // ---- orders per second ----
      const ordreApi = async (i: number) => {
        const r = await requete(
          'POST',
          `${base}/conventions/${cApi}/engagements`,
          headers,
          JSON.stringify({ annee, montant_centimes: 1000 + (i % 500), objet: 'Objet', titulaire: 'Titulaire' }),
        );
        if (r.status !== 201) throw new Error(`HTTP ${r.status} ${r.text}`);
      };
      const ordreSql = (i: number) => ordreBrut(pool, cBrut, annee, i);
      const ordreFloor = (i: number) => ordrePlancher(pool, cPlancher, annee, i);
      await parallele(200, CLIENTS, ordreApi);
      await parallele(200, CLIENTS, ordreSql);
      await parallele(200, CLIENTS, ordreFloor);
      const lignes: Array<[string, number, number, number, number | null]> = [];
      const pid = serveur.pid;
      for (const clients of [1, CLIENTS, 50]) {
        const n = clients === 1 ? ORDRES / 4 : ORDRES;
        // alternated blocks share any drift of the machine
        const mesures = { api: [] as number[], brut: [] as number[], plancher: [] as number[] };
        let cpu: number | null = 0;
        for (let bloc = 0; bloc < 4; bloc++) {
          const avant = cpuProcessus(pid);
          mesures.api.push(await parallele(n / 4, clients, ordreApi));
          const apres = cpuProcessus(pid);
          cpu = cpu === null || avant === null || apres === null ? null : cpu + apres - avant;
          mesures.brut.push(await parallele(n / 4, clients, ordreSql));
          mesures.plancher.push(await parallele(n / 4, clients, ordreFloor));
        }
        const moy = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
        lignes.push([
          `${clients} client${clients > 1 ? 's' : ''}`,
          moy(mesures.api),
          moy(mesures.brut),
          moy(mesures.plancher),
          cpu === null ? null : cpu / n,
        ]);
      }
      console.log(`\nEngagements sur une seule convention (chaque transaction verrouille sa ligne de totaux) :`);
      console.log(
        '  concurrence | API HTTP (règles + journal) | même transaction en SQL brut | plancher (1 instruction) | API / SQL brut | API / plancher (objectif ≥ 0,5 à 1 client, 0,6 à 10) | CPU du serveur par engagement',
      );
      for (const [lib, api, brut, plancher, cpu] of lignes)
        console.log(
          `  ${lib.padEnd(11)} | ${api.toFixed(0).padStart(22)} /s | ${brut.toFixed(0).padStart(23)} /s | ${plancher.toFixed(0).padStart(20)} /s | ${(api / brut).toFixed(2).padStart(14)} | ${(api / plancher).toFixed(2).padStart(52)} | ${cpu === null ? 'n/d' : `${cpu.toFixed(2)} ms`}`,
        );
      console.log(
        '  allers-retours SQL par engagement : 3 (jeton et règle d’accès ; BEGIN avec la convention et la ligne de l’année verrouillées ; écritures avec COMMIT), vérifié par test/web/aller-retours.test.ts',
      );
      const verif = (
        await sql<{
          e: number;
          n: number;
        }>`SELECT engage_ae AS e, nb_engagements AS n FROM credit_annuel WHERE convention_id = ${cApi} AND annee = ${annee}`.execute(
          s.db,
        )
      ).rows[0];
      const stockes = (
        await sql<{
          n: number;
          t: number;
        }>`SELECT count(*)::bigint AS n, coalesce(sum(montant), 0)::bigint AS t FROM engagement WHERE convention_id = ${cApi}`.execute(
          s.db,
        )
      ).rows[0];
      console.log(
        `  contrôle : ${Number(stockes!.n)} engagements stockés par l’API, totaux ${Number(verif!.e) === Number(stockes!.t) && Number(verif!.n) === Number(stockes!.n) ? 'cohérents' : 'INCOHÉRENTS'}`,
      );

      // ---- reads by token, against one statement reading the same rows ----
      const hashJeton = createHash('sha256').update(valeur).digest('hex');
      const jetonLu = await pool.query('SELECT hash FROM jeton WHERE hash = $1', [hashJeton]);
      if (jetonLu.rowCount !== 1) throw new Error('le banc ne retrouve pas son jeton par son empreinte');
      const lire = async (chemin: string) => {
        const r = await requete('GET', chemin, headers);
        if (r.status !== 200) throw new Error(`HTTP ${r.status} ${r.text}`);
        return JSON.parse(r.text);
      };
      const lireSansSocket = async (chemin: string) => {
        const r = await app.request(chemin, { headers });
        if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
        return r.json();
      };
      const moi = await timeEntrelace({
        http: () => lire(`${base}/moi`),
        local: () => lireSansSocket(`${base}/moi`),
        plancher: () =>
          pool.query(
            'SELECT id, nom, role, organisation_siret, produits, expire_le, revoque_le, utilise_le FROM jeton WHERE hash = $1',
            [hashJeton],
          ),
      });
      const uneConvention = await timeEntrelace({
        http: () => lire(`${base}/conventions/${cVue}`),
        local: () => lireSansSocket(`${base}/conventions/${cVue}`),
        plancher: () =>
          pool.query(
            `SELECT c.*, (SELECT json_agg(e ORDER BY e.annee) FROM echeancier e WHERE e.convention_id = c.id) AS echeancier,
                    (SELECT json_agg(t ORDER BY t.rang) FROM tranche t WHERE t.convention_id = c.id) AS tranches,
                    (SELECT j.role FROM jeton j WHERE j.hash = $2) AS role
               FROM convention c WHERE c.id = $1`,
            [cVue, hashJeton],
          ),
      });
      console.log(
        '\nLectures par jeton, médiane (p95), blocs alternés ; plancher : une instruction qui lit les mêmes lignes, jeton compris :',
      );
      console.log(
        '  lecture               | API HTTP            | API sans socket     | plancher            | HTTP / plancher | sans socket / plancher (objectif ≤ 1,5)',
      );
      for (const [lib, t] of [
        ['GET /api/v1/moi', moi],
        ['GET /conventions/{id}', uneConvention],
      ] as const)
        console.log(
          `  ${lib.padEnd(21)} | ${ms(t.http.median).padStart(8)} (${ms(t.http.p95).padStart(8)}) | ${ms(t.local.median).padStart(8)} (${ms(t.local.p95).padStart(8)}) | ${ms(t.plancher.median).padStart(8)} (${ms(t.plancher.p95).padStart(8)}) | ${(t.http.median / t.plancher.median).toFixed(2).padStart(15)} | ${(t.local.median / t.plancher.median).toFixed(2)}`,
        );
      // /api/v1/moi is the token's one statement and a handler that copies it: the rest is HTTP and the framework
      console.log(
        `  HTTP, Hono, intergiciels et Kysely par requête d’API (GET /api/v1/moi par HTTP − son instruction seule) : ${ms(moi.http.median - moi.plancher.median)} (objectif des intergiciels seuls ≤ 0,3 ms)`,
      );

      // `npm run bench -- credits --engagements`: the orders only
      if (process.argv.includes('--engagements')) return;
      // ---- credits view of one convention ----
      console.log(
        `\nVue des crédits d’une convention (GET /conventions/{id}/credits), médiane (p95) ; le SQL brut est la même requête que l’API :`,
      );
      console.log(
        '  mouvements | API HTTP            | API sans socket     | SQL brut            | ratio HTTP | ratio sans socket (objectif ≤ 2)',
      );
      let deja = 0;
      for (const n of [1_000, 10_000, 100_000]) {
        await remplirMouvements(s, cVue, annee, deja, n);
        deja = n;
        await sql`ANALYZE`.execute(s.db);
        const nb = Number(
          (
            await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM mouvement WHERE convention_id = ${cVue}`.execute(
              s.db,
            )
          ).rows[0]?.n,
        );
        const parHttp = await time(
          async () => JSON.parse((await requete('GET', `${base}/conventions/${cVue}/credits`, headers)).text),
          300,
          30,
        );
        const local = await time(
          async () => (await app.request(`/api/v1/conventions/${cVue}/credits`, { headers })).json(),
          300,
          30,
        );
        const brut = await time(() => pool.query(VUE_BRUTE, [cVue]), 300, 30);
        console.log(
          `  ${String(nb).padStart(10)} | ${ms(parHttp.median).padStart(8)} (${ms(parHttp.p95).padStart(8)}) | ${ms(local.median).padStart(8)} (${ms(local.p95).padStart(8)}) | ${ms(brut.median).padStart(8)} (${ms(brut.p95).padStart(8)}) | ${(parHttp.median / brut.median).toFixed(2).padStart(10)} | ${(local.median / brut.median).toFixed(2)}`,
        );
      }

      // ---- portfolio ----
      console.log(
        `\nPortefeuille (GET /credits?annee=${annee} : page de 50, total, sous-totaux par partenaire), médiane (p95) :`,
      );
      console.log(
        '  conventions | API HTTP              | plancher (synthèse)   | agrégat d’avant       | API/plancher | agrégat/plancher',
      );
      let conventions = 0;
      for (const n of [1_000, 10_000, 100_000]) {
        await remplirPortefeuille(s, annee, conventions + 1, n);
        conventions = n;
        const repetitions = n >= 100_000 ? 20 : 60;
        const parHttp = await time(
          async () => JSON.parse((await requete('GET', `${base}/credits?annee=${annee}`, headers)).text),
          repetitions,
          5,
        );
        const plancher = await time(() => portefeuilleSynthese(pool, annee), repetitions, 5);
        const brut = await time(() => portefeuilleBrut(pool, annee), repetitions, 5);
        console.log(
          `  ${String(n).padStart(11)} | ${ms(parHttp.median).padStart(9)} (${ms(parHttp.p95).padStart(9)}) | ${ms(plancher.median).padStart(9)} (${ms(plancher.p95).padStart(9)}) | ${ms(brut.median).padStart(9)} (${ms(brut.p95).padStart(9)}) | ${(parHttp.median / plancher.median).toFixed(2).padStart(12)} | ${(brut.median / plancher.median).toFixed(2)}`,
        );
      }
    } finally {
      serveur?.arreter();
      await pool.end();
      await s.close();
      await admin0.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin0.end();
    }
  },
};
