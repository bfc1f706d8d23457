import { sql, type Kysely } from 'kysely';

/**
 * A product team reads the conventions that fund its products, compared without case, accents or extra
 * spaces. SQL's lower() follows the database's locale and neither database is sure to have `unaccent`:
 * the storage layer keeps the compared form of the names (`produits_normalises`), written with the
 * convention; existing rows are filled here.
 */

// as the domain writes it on the day of this migration (a later change of the rule is a new migration)
const normaliser = (s: string) =>
  s
    .normalize('NFC')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[’‘ʼ`]/g, "'")
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFC');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE convention ADD COLUMN produits_normalises jsonb NOT NULL DEFAULT '[]'::jsonb`.execute(db);
  const { rows } = await sql<{ id: string; produits: unknown }>`SELECT id, produits FROM convention`.execute(db);
  for (const r of rows) {
    const produits = (typeof r.produits === 'string' ? JSON.parse(r.produits) : r.produits) as string[];
    const normalises = JSON.stringify(produits.map(normaliser));
    await sql`UPDATE convention SET produits_normalises = ${normalises}::jsonb WHERE id = ${r.id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE convention DROP COLUMN produits_normalises`.execute(db);
}
