import { sql, type Kysely } from 'kysely';

/**
 * The register's search ignores case and accents on PGlite as on PostgreSQL, neither of which is sure to
 * have `unaccent` nor a locale that folds accented capitals: the storage layer keeps a normalised copy of
 * the searched fields (`recherche`), written with the convention; existing rows are filled here.
 */

// as the storage layer writes it on the day of this migration (a later change of the rule is a new migration)
const normaliser = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[’‘ʼ`]/g, "'")
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();

interface Ligne {
  id: string;
  produits: unknown;
  delegant_nom: string;
  delegataire_nom: string;
  reference: string | null;
  uo: string | null;
  objet: string | null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE convention ADD COLUMN recherche text NOT NULL DEFAULT ''`.execute(db);
  const { rows } = await sql<Ligne>`
    SELECT id, produits, delegant_nom, delegataire_nom, reference, uo, objet FROM convention
  `.execute(db);
  for (const r of rows) {
    const produits = (typeof r.produits === 'string' ? JSON.parse(r.produits) : r.produits) as string[];
    const recherche = [produits.join(' · '), r.delegant_nom, r.delegataire_nom, r.reference, r.uo, r.objet]
      .map((v) => normaliser(v ?? ''))
      .join('\n');
    await sql`UPDATE convention SET recherche = ${recherche} WHERE id = ${r.id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE convention DROP COLUMN recherche`.execute(db);
}
