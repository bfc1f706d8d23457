import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The portfolio's sums, kept in the same transaction as the credits rows they sum, so that the portfolio
 * page reads a few summary rows instead of aggregating every convention (832 ms at 100 000 conventions).
 *
 * - `portefeuille_somme`: one row per (year, partner, DINUM's role, FAST promotion); year 0 holds all
 *   years, its `n` counting conventions that have at least one year of credits.
 * - `credit_convention`: one row per convention, its years summed, indexed on what remains to order so
 *   that the portfolio's first page is an index read.
 *
 * Maintained by statement-level triggers on `credit_annuel`: they run after every row of a statement is
 * written and locked, so a year-end closing over many conventions takes its summary locks last, in key
 * order, and cannot deadlock with an order waiting on one of its conventions. A trigger rather than a
 * materialised view refreshed by the writes: a refresh re-reads every convention, the trigger touches three
 * rows per order.
 */
const SOMMES = ['ouvert_ae', 'engage_ae', 'certifie', 'ouvert_cp', 'paye_cp'] as const;
const PARTENAIRE = `CASE WHEN c.role_dinum = 'delegant' THEN c.delegataire_nom ELSE c.delegant_nom END`;

const liste = (prefixe: string) => SOMMES.map((s) => `${prefixe}${s}`).join(', ');
const ajout = (table: string) => SOMMES.map((s) => `${s} = ${table}.${s} + excluded.${s}`).join(', ');
const sommes = (prefixe: string) => SOMMES.map((s) => `sum(${prefixe}${s}) AS ${s}`).join(', ');

/**
 * The body of one trigger function: the net change of each (convention, year) row in the statement, from
 * the transition tables (`nouveau` counted +1, `ancien` -1), added to its convention's line and to the
 * summary rows of its key, read from the convention as it stands.
 */
function fonctionCredit(nom: string, tables: { nouveau?: true; ancien?: true }): RawBuilder<unknown> {
  const parts: string[] = [];
  if (tables.nouveau) parts.push(`SELECT convention_id, annee, 1 AS dn, ${liste('')} FROM nouveau`);
  if (tables.ancien)
    parts.push(`SELECT convention_id, annee, -1 AS dn, ${SOMMES.map((s) => `-${s} AS ${s}`).join(', ')} FROM ancien`);
  const delta = `SELECT convention_id, annee, sum(dn)::int AS dn, ${sommes('')} FROM (${parts.join(' UNION ALL ')}) x
    GROUP BY convention_id, annee`;
  const parConvention = `SELECT convention_id, sum(dn)::int AS dn, ${sommes('')} FROM (${delta}) d GROUP BY convention_id`;
  return sql.raw(`
    CREATE FUNCTION ${nom}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO credit_convention AS cc (convention_id, nb_annees, ${liste('')})
        SELECT d.convention_id, d.dn, ${liste('d.')} FROM (${parConvention}) d
        JOIN convention c ON c.id = d.convention_id
        ORDER BY d.convention_id
      ON CONFLICT (convention_id) DO UPDATE SET nb_annees = cc.nb_annees + excluded.nb_annees, ${ajout('cc')};

      INSERT INTO portefeuille_somme AS p (annee, partenaire, role_dinum, promotion_fast, n, ${liste('')})
        SELECT annee, partenaire, role_dinum, promotion_fast, sum(n), ${sommes('')} FROM (
          SELECT d.annee, ${PARTENAIRE} AS partenaire, c.role_dinum, c.promotion_fast, d.dn AS n, ${liste('d.')}
            FROM (${delta}) d JOIN convention c ON c.id = d.convention_id
          UNION ALL
          SELECT 0, ${PARTENAIRE}, c.role_dinum, c.promotion_fast,
              (cc.nb_annees > 0)::int - (cc.nb_annees - d.dn > 0)::int, ${liste('d.')}
            FROM (${parConvention}) d JOIN convention c ON c.id = d.convention_id
            JOIN credit_convention cc ON cc.convention_id = d.convention_id
        ) k
        GROUP BY annee, partenaire, role_dinum, promotion_fast
        ORDER BY annee, partenaire, role_dinum, promotion_fast
      ON CONFLICT (annee, partenaire, role_dinum, promotion_fast) DO UPDATE SET n = p.n + excluded.n, ${ajout('p')};
      ${
        tables.ancien && !tables.nouveau
          ? `DELETE FROM credit_convention WHERE nb_annees = 0 AND convention_id IN (SELECT convention_id FROM ancien);`
          : ''
      }
      RETURN NULL;
    END $$`);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE portefeuille_somme (
      annee integer NOT NULL,
      partenaire text NOT NULL,
      role_dinum text NOT NULL,
      promotion_fast text,
      n integer NOT NULL DEFAULT 0,
      ouvert_ae bigint NOT NULL DEFAULT 0,
      engage_ae bigint NOT NULL DEFAULT 0,
      certifie bigint NOT NULL DEFAULT 0,
      ouvert_cp bigint NOT NULL DEFAULT 0,
      paye_cp bigint NOT NULL DEFAULT 0
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX portefeuille_somme_cle ON portefeuille_somme (annee, partenaire, role_dinum, promotion_fast)
    NULLS NOT DISTINCT`.execute(db);
  await sql`
    CREATE TABLE credit_convention (
      convention_id uuid PRIMARY KEY REFERENCES convention(id) ON DELETE CASCADE,
      nb_annees integer NOT NULL DEFAULT 0,
      ouvert_ae bigint NOT NULL DEFAULT 0,
      engage_ae bigint NOT NULL DEFAULT 0,
      certifie bigint NOT NULL DEFAULT 0,
      ouvert_cp bigint NOT NULL DEFAULT 0,
      paye_cp bigint NOT NULL DEFAULT 0
    )`.execute(db);
  // the portfolio's lines, most left to order first, without a sort
  await sql`CREATE INDEX credit_convention_reste_idx ON credit_convention ((ouvert_ae - engage_ae) DESC, convention_id)`.execute(
    db,
  );
  await sql`CREATE INDEX credit_annuel_reste_idx ON credit_annuel (annee, (ouvert_ae - engage_ae) DESC, convention_id)`.execute(
    db,
  );

  await sql
    .raw(
      `
    INSERT INTO credit_convention (convention_id, nb_annees, ${liste('')})
      SELECT convention_id, count(*), ${sommes('')} FROM credit_annuel GROUP BY convention_id`,
    )
    .execute(db);
  await sql
    .raw(
      `
    INSERT INTO portefeuille_somme (annee, partenaire, role_dinum, promotion_fast, n, ${liste('')})
      SELECT ca.annee, ${PARTENAIRE}, c.role_dinum, c.promotion_fast, count(*), ${sommes('ca.')}
        FROM credit_annuel ca JOIN convention c ON c.id = ca.convention_id
        GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT 0, ${PARTENAIRE}, c.role_dinum, c.promotion_fast, count(*), ${sommes('cc.')}
        FROM credit_convention cc JOIN convention c ON c.id = cc.convention_id
        GROUP BY 2, 3, 4`,
    )
    .execute(db);

  await fonctionCredit('portefeuille_credit_insert', { nouveau: true }).execute(db);
  await fonctionCredit('portefeuille_credit_update', { nouveau: true, ancien: true }).execute(db);
  await fonctionCredit('portefeuille_credit_delete', { ancien: true }).execute(db);
  await sql`CREATE TRIGGER portefeuille_credit_insert AFTER INSERT ON credit_annuel
    REFERENCING NEW TABLE AS nouveau FOR EACH STATEMENT EXECUTE FUNCTION portefeuille_credit_insert()`.execute(db);
  await sql`CREATE TRIGGER portefeuille_credit_update AFTER UPDATE ON credit_annuel
    REFERENCING OLD TABLE AS ancien NEW TABLE AS nouveau FOR EACH STATEMENT EXECUTE FUNCTION portefeuille_credit_update()`.execute(
    db,
  );
  await sql`CREATE TRIGGER portefeuille_credit_delete AFTER DELETE ON credit_annuel
    REFERENCING OLD TABLE AS ancien FOR EACH STATEMENT EXECUTE FUNCTION portefeuille_credit_delete()`.execute(db);

  // A convention that changes partner, role or promotion moves its sums from its old key to its new one; one
  // that is deleted takes them away before its credits rows go (their cascade then finds no convention).
  const cle = (r: 'OLD' | 'NEW') =>
    `CASE WHEN ${r}.role_dinum = 'delegant' THEN ${r}.delegataire_nom ELSE ${r}.delegant_nom END, ${r}.role_dinum, ${r}.promotion_fast`;
  const deplacer = (r: 'OLD' | 'NEW', signe: '' | '-') => `
      INSERT INTO portefeuille_somme AS p (annee, partenaire, role_dinum, promotion_fast, n, ${liste('')})
        SELECT annee, ${cle(r)}, ${signe}1, ${SOMMES.map((s) => `${signe}${s}`).join(', ')}
          FROM credit_annuel WHERE convention_id = OLD.id
        UNION ALL
        SELECT 0, ${cle(r)}, ${signe}1, ${SOMMES.map((s) => `${signe}${s}`).join(', ')}
          FROM credit_convention WHERE convention_id = OLD.id AND nb_annees > 0
        ORDER BY 1
      ON CONFLICT (annee, partenaire, role_dinum, promotion_fast) DO UPDATE SET n = p.n + excluded.n, ${ajout('p')};`;
  await sql
    .raw(
      `
    CREATE FUNCTION portefeuille_convention() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${deplacer('OLD', '-')}
      IF TG_OP = 'DELETE' THEN
        DELETE FROM credit_convention WHERE convention_id = OLD.id;
        RETURN OLD;
      END IF;
      ${deplacer('NEW', '')}
      RETURN NULL;
    END $$`,
    )
    .execute(db);
  await sql`CREATE TRIGGER portefeuille_convention_cle AFTER UPDATE OF delegant_nom, delegataire_nom, role_dinum, promotion_fast
    ON convention FOR EACH ROW
    WHEN ((CASE WHEN OLD.role_dinum = 'delegant' THEN OLD.delegataire_nom ELSE OLD.delegant_nom END,
        OLD.role_dinum, OLD.promotion_fast) IS DISTINCT FROM
      (CASE WHEN NEW.role_dinum = 'delegant' THEN NEW.delegataire_nom ELSE NEW.delegant_nom END,
        NEW.role_dinum, NEW.promotion_fast))
    EXECUTE FUNCTION portefeuille_convention()`.execute(db);
  await sql`CREATE TRIGGER portefeuille_convention_suppression BEFORE DELETE ON convention
    FOR EACH ROW EXECUTE FUNCTION portefeuille_convention()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER portefeuille_convention_suppression ON convention`.execute(db);
  await sql`DROP TRIGGER portefeuille_convention_cle ON convention`.execute(db);
  await sql`DROP FUNCTION portefeuille_convention()`.execute(db);
  for (const op of ['insert', 'update', 'delete']) {
    await sql.raw(`DROP TRIGGER portefeuille_credit_${op} ON credit_annuel`).execute(db);
    await sql.raw(`DROP FUNCTION portefeuille_credit_${op}()`).execute(db);
  }
  await sql`DROP INDEX credit_annuel_reste_idx`.execute(db);
  await sql`DROP TABLE credit_convention`.execute(db);
  await sql`DROP TABLE portefeuille_somme`.execute(db);
}
