import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  PostgresIntrospector,
  sql,
  type Compilable,
  type CompiledQuery,
  type DatabaseIntrospector,
  type Migration,
  type MigrationProvider,
  type TableMetadata,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DomainError } from '../domain/errors.js';
import type { Database } from './schema.js';
import { lockDataFolder } from './lock.js';
import { migrations } from './migrations/index.js';

// bigint (money in cents, sums, counts) arrives as a string by default. Amounts are bounded at input so that
// sums stay below 2^53; a value beyond it anyway is refused, never returned rounded.
pg.types.setTypeParser(20, entierExact);
// numeric (tranche percentages) to number.
pg.types.setTypeParser(1700, (v) => Number(v));
// date columns stay ISO strings: calendar days, no time zone.
pg.types.setTypeParser(1082, (v) => v);

/** A bigint read from the database, as a number only when it is exactly one. */
function entierExact(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n))
    throw new DomainError(
      'MONTANT_HORS_LIMITES',
      'Un montant enregistré dépasse ce qui peut être rendu exactement (2^53 centimes) : il n’est pas affiché arrondi.',
      { valeur: v },
    );
  return n;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Reads run on the database or inside the caller's transaction. */
export type Executor = Db | Trx;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are checked before they reach a uuid column (PostgreSQL would refuse the cast). */
export function estUuid(id: string): boolean {
  return UUID.test(id);
}

export interface Storage {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** statements sent to the database since it was opened, BEGIN and COMMIT included: round trips are counted, not timed */
  instructions(): number;
  close(): Promise<void>;
}

/** SQL text → name of its prepared statement, for the few statements of the hot paths (bounded). */
const PREPAREES = new Map<string, string>();
const PREPAREES_MAX = 64;
/** Ends the text of a transaction's last statement: its COMMIT leaves with it. */
const FIN_DE_TRANSACTION = ' /* fin de transaction */';

/**
 * Runs a query of a hot path (an order, a token) as a named prepared statement: each connection parses and
 * plans it once, then only binds its parameters. When it opens a transaction, the BEGIN travels with it in
 * the same message. With `fin`, the caller states that nothing follows it in its transaction but the
 * COMMIT, which then travels with it too: a statement sent after it in that transaction is refused, and
 * the write is committed even if the caller's code fails after it, so `fin` only goes where nothing can.
 * Same statements, fewer round trips, less work for the database per call.
 */
export async function executerPreparee<O>(
  ex: Executor,
  q: Compilable<O> | CompiledQuery<O>,
  opts: { fin?: boolean } = {},
): Promise<O[]> {
  const compilee = 'compile' in q ? q.compile() : q;
  const c = opts.fin ? { ...compilee, sql: compilee.sql + FIN_DE_TRANSACTION } : compilee;
  if (!PREPAREES.has(c.sql) && PREPAREES.size < PREPAREES_MAX)
    PREPAREES.set(c.sql, `d_${createHash('sha1').update(c.sql).digest('hex').slice(0, 20)}`);
  return (await ex.executeQuery(c)).rows;
}

/**
 * A hot path's query built and compiled once. It is built with `exemples`, values that stand for its
 * arguments (each distinct from any constant of the query); each call then only puts its own values where
 * they stood.
 */
export function requeteFigee<A extends readonly (string | number)[], O>(
  exemples: A,
  construire: (...args: A) => Compilable<O>,
): (...args: A) => CompiledQuery<O> {
  let modele: { c: CompiledQuery<O>; places: number[] } | null = null;
  return (...args) => {
    if (!modele) {
      const c = construire(...exemples).compile();
      modele = { c, places: c.parameters.map((p) => exemples.indexOf(p as A[number])) };
    }
    const { c, places } = modele;
    return { ...c, parameters: places.map((i, k) => (i < 0 ? c.parameters[k] : args[i])) };
  };
}

type Requete = (...a: unknown[]) => Promise<unknown>;

// the driver's own conversion of a parameter to the text it would bind
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(v: unknown): unknown };

/**
 * A parameter as an SQL literal of the very text the driver would bind, which the prepared statement's
 * parameter type then reads as it would have read the bound one; undefined for what only binds (bytes).
 */
function litteral(v: unknown): string | undefined {
  const texte = prepareValue(v);
  if (texte === null) return 'NULL';
  // a NUL would end the message's text: such a value goes bound, and is refused there as before
  if (typeof texte === 'string' && !texte.includes('\0')) return pg.escapeLiteral(texte);
  return undefined;
}

const reponseVide = (command: string) => Promise.resolve({ command, rowCount: null, rows: [], fields: [] });

/**
 * One connection's statements, as the driver sends them: counted, and the statements marked by
 * `executerPreparee` sent as `EXECUTE` of a statement prepared once per connection, in one message with
 * Kysely's BEGIN (held back until the transaction's first statement) and with the COMMIT when marked as the
 * transaction's last. A statement whose values only bind is sent bound, under its name.
 */
function instrumenter(client: pg.PoolClient, compter: () => void): void {
  const query = client.query.bind(client) as Requete;
  /** statement's name → its name on this connection, once prepared there */
  const prepares = new Map<string, string>();
  let echecs = 0;
  let enTransaction = false;
  let beginEnAttente = false;
  let commitEnvoye = false;
  const envoyer: Requete = (...a) => {
    compter();
    return query(...a);
  };
  const executer = async (texte: string, nom: string, litteraux: string[]) => {
    // prepared in the same message the first time; a statement prepared in a message that failed may exist
    // or not (PREPARE outlives a rollback), so the next try prepares it under a new name
    const prepare = prepares.get(nom);
    const nomSql = prepare ?? `s${nom}_${echecs}`;
    const fin = enTransaction && texte.endsWith(FIN_DE_TRANSACTION);
    const message = [
      beginEnAttente ? 'BEGIN' : null,
      prepare ? null : `PREPARE ${nomSql} AS ${texte}`,
      `EXECUTE ${nomSql}${litteraux.length ? `(${litteraux.join(', ')})` : ''}`,
      fin ? 'COMMIT' : null,
    ].filter((x) => x !== null);
    beginEnAttente = false;
    let r: unknown;
    try {
      r = await envoyer(message.join('; '));
    } catch (err) {
      // the rest of a failed message is skipped: its transaction stays open, aborted, for the ROLLBACK
      if (!prepare) echecs++;
      throw err;
    }
    if (!prepare) prepares.set(nom, nomSql);
    if (fin) commitEnvoye = true;
    // each statement of the message answers its own result: the statement's is the one before the COMMIT
    return Array.isArray(r) ? r[r.length - (fin ? 2 : 1)] : r;
  };
  const ouvrirPuisEnvoyer = async (a: unknown[]) => {
    beginEnAttente = false;
    await envoyer('begin');
    return envoyer(...a);
  };
  // synchronous but where this wrapper has something to do: a cursor or a callback gets what the driver returns
  (client as { query: unknown }).query = (...a: unknown[]) => {
    const texte = typeof a[0] === 'string' ? a[0] : undefined;
    const valeurs = Array.isArray(a[1]) ? (a[1] as unknown[]) : undefined;
    // Kysely sends BEGIN, COMMIT and ROLLBACK with an empty parameter list
    const controle = a.length <= 2 && !valeurs?.length;
    if (texte === 'begin' && controle && !enTransaction) {
      enTransaction = beginEnAttente = true;
      return reponseVide('BEGIN');
    }
    const finit = (texte === 'commit' || texte === 'rollback') && controle;
    if (commitEnvoye) {
      commitEnvoye = enTransaction = false;
      if (finit) return reponseVide('COMMIT');
      return Promise.reject(new Error('Instruction envoyée après la dernière de sa transaction, déjà validée.'));
    }
    if (finit) {
      enTransaction = false;
      // a transaction that sent nothing has nothing to end
      if (beginEnAttente) {
        beginEnAttente = false;
        return reponseVide(texte.toUpperCase());
      }
      return envoyer(...a);
    }
    const nom = texte !== undefined && valeurs ? PREPAREES.get(texte) : undefined;
    if (nom) {
      const litteraux = valeurs!.map(litteral);
      if (litteraux.every((l) => l !== undefined)) return executer(texte!, nom, litteraux as string[]);
    }
    const envoi = nom ? [{ name: nom, text: texte, values: valeurs }, ...a.slice(2)] : a;
    return beginEnAttente ? ouvrirPuisEnvoyer(envoi) : envoyer(...envoi);
  };
  // a connection given back with its BEGIN still held has begun nothing
  client.on('end', () => {
    enTransaction = beginEnAttente = commitEnvoye = false;
  });
}

/** Counts the statements a pool's connections send (whoever sends them), and instruments each connection. */
function compterInstructions(pool: pg.Pool): () => number {
  let n = 0;
  pool.on('connect', (client) => instrumenter(client, () => n++));
  return () => n;
}

export interface StorageOptions {
  /** PostgreSQL connection string; when absent, the embedded PGlite database in `dataDir` */
  databaseUrl?: string;
  dataDir?: string;
  /** a PGlite data dump to start from (tests clone a migrated database this way) */
  loadDataDir?: Blob;
  /** PostgreSQL schema to use (tests isolate themselves this way) */
  schema?: string;
  poolSize?: number;
}

/**
 * Kysely's introspection reads every column of every schema, with a function call per column that fails
 * when another connection drops a schema meanwhile (tests create and drop theirs in parallel; instances
 * may share a database, each in its schema), and it finds another schema's migration tables. The migrator
 * only asks whether its own tables exist: it is answered from the schemas on the search path.
 */
class IntrospecteurMigrations extends PostgresIntrospector {
  readonly #db: Kysely<unknown>;
  constructor(db: Kysely<unknown>) {
    super(db);
    this.#db = db;
  }
  override async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; nom: string; vue: boolean }>`
      SELECT n.nspname AS schema, c.relname AS nom, c.relkind = 'v' AS vue
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname = ANY (current_schemas(false))
    `.execute(this.#db);
    return rows.map((r) => ({ name: r.nom, schema: r.schema, isView: r.vue, columns: [] }));
  }
}

class Dialecte extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new IntrospecteurMigrations(db);
  }
}

export async function openStorage(opts: StorageOptions): Promise<Storage> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    });
    const instructions = compterInstructions(pool);
    const db = new Kysely<Database>({ dialect: new Dialecte({ pool }) });
    return { db, kind: 'postgres', instructions, close: () => db.destroy() };
  }
  let release = () => {};
  let dir: string | undefined;
  if (opts.dataDir && opts.dataDir !== 'memory://') {
    dir = path.resolve(opts.dataDir);
    release = lockDataFolder(dir);
  }
  try {
    const pgDir = dir ? path.join(dir, 'pg') : undefined;
    if (pgDir) fs.mkdirSync(path.dirname(pgDir), { recursive: true });
    const pglite = await PGlite.create({ dataDir: pgDir, loadDataDir: opts.loadDataDir });
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const instructions = compterInstructions(pool);
    const db = new Kysely<Database>({ dialect: new Dialecte({ pool }) });
    return {
      db,
      kind: 'pglite',
      instructions,
      async close() {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/**
 * Applies the pending migrations, in the first schema of the search path; `schema` names the one to create
 * the migration bookkeeping tables in when it is not on the path yet.
 */
export async function migrate(db: Db, opts: { schema?: string } = {}): Promise<string[]> {
  // Migrations written in parallel may land out of name order: a database that already has a later
  // one still receives an earlier one that arrived after it.
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    migrationTableSchema: opts.schema,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
