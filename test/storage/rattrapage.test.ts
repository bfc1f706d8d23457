import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type KyselyPlugin } from 'kysely';
import type { Storage } from '../../src/storage/database.js';
import { lireCredits, rattraperOuvertures } from '../../src/usecases/credit.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { DATABASES, contexte, freshStorage } from '../support/db.js';

/** Signed conventions with a two-year schedule written straight in SQL: no totals rows, as an import or an old version leaves them. */
async function sansTotaux(s: Storage, prefixe: string, n: number): Promise<void> {
  await sql`INSERT INTO convention (id, reference, nature, statut, role_dinum, delegant, delegataire, delegant_nom, delegataire_nom, delegant_siret, delegataire_siret,
      produits, produits_texte, imputation, base_montants, date_signature, date_fin, fin_effective, comite, echeancier_ae_centimes, echeancier_cp_centimes)
    SELECT gen_random_uuid(), ${prefixe} || i, 'delegation_de_gestion', 'en_vigueur', 'delegataire',
      '{"nom": "Ministère"}', '{"nom": "DINUM"}', 'Ministère', 'DINUM', '11111111111111', '13002526500013',
      jsonb_build_array('Produit ' || i), 'Produit ' || i, '{"extra": {}}', 'TTC', '2025-03-01', '2027-06-30', '2027-06-30', '{}', 3000000, 2000000
    FROM generate_series(1, ${n}::int) i`.execute(s.db);
  await sql`INSERT INTO echeancier (convention_id, annee, ae_centimes, cp_centimes)
    SELECT c.id, v.y, v.ae, 1000000 FROM convention c CROSS JOIN (VALUES (2025, 1000000), (2026, 2000000)) v(y, ae)
    WHERE c.reference LIKE ${`${prefixe}%`}`.execute(s.db);
}

async function compter(s: Storage): Promise<{ totaux: number; mouvements: number; journal: number }> {
  const { rows } = await sql<{ totaux: number; mouvements: number; journal: number }>`SELECT
      (SELECT count(*) FROM credit_annuel)::int AS totaux,
      (SELECT count(*) FROM mouvement WHERE type = 'mise_a_disposition')::int AS mouvements,
      (SELECT count(*) FROM journal WHERE action = 'mise_a_disposition')::int AS journal`.execute(s.db);
  return rows[0]!;
}

/** Counts the statements a use case runs (one result each; a nested query builder is no statement of its own). */
function compteur(): { plugin: KyselyPlugin; n: () => number } {
  let n = 0;
  return {
    plugin: {
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        n++;
        return a.result;
      },
    },
    n: () => n,
  };
}

describe.each(DATABASES)('start-up catch-up of the credits, on %s', (kind) => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage(kind);
  }, 60_000);
  afterAll(async () => s?.close());

  it('opens every convention lacking its totals in a fixed number of statements, whatever their number', async () => {
    const statements: number[] = [];
    for (const [prefixe, n] of [
      ['PEU-', 3],
      ['BEAUCOUP-', 40],
    ] as const) {
      await sansTotaux(s, prefixe, n);
      const avant = await compter(s);
      const c = compteur();
      const annonces: number[] = [];
      const ouvertes = await rattraperOuvertures(contexte({ ...s, db: s.db.withPlugin(c.plugin) }), (k) =>
        annonces.push(k),
      );
      expect(ouvertes).toBe(n);
      expect(annonces).toEqual([n]);
      statements.push(c.n());
      // per convention: two totals rows, their two opening movements, one journal line
      const apres = await compter(s);
      expect(apres).toEqual({
        totaux: avant.totaux + 2 * n,
        mouvements: avant.mouvements + 2 * n,
        journal: avant.journal + n,
      });
    }
    expect(statements[1]).toBe(statements[0]);
    expect(statements[0]).toBeLessThanOrEqual(2);
  });

  it('writes what the per-convention rules write: the schedule opened, one journal line with both years', async () => {
    const { rows } = await sql<{ id: string }>`SELECT id FROM convention WHERE reference = 'PEU-1'`.execute(s.db);
    const id = rows[0]!.id;
    const ctx = contexte(s);
    const vue = await lireCredits(ctx, ACTEUR_SYSTEME, id);
    expect(vue.annees.map((a) => [a.annee, a.totaux.ouvertAe, a.totaux.ouvertCp, a.ouverture])).toEqual([
      [2025, 1000000, 1000000, '2025-03-01'],
      [2026, 2000000, 1000000, '2026-01-01'],
    ]);
    const journal = await sql<{
      changements: Array<{ champ: string }>;
      acteur_id: string;
    }>`SELECT changements, acteur_id FROM journal WHERE convention_id = ${id} AND action = 'mise_a_disposition'`.execute(
      s.db,
    );
    expect(journal.rows).toHaveLength(1);
    expect(journal.rows[0]!.acteur_id).toBe(ACTEUR_SYSTEME.id);
    expect(journal.rows[0]!.changements.map((x) => x.champ)).toEqual(
      expect.arrayContaining(['credits 2025.ouvertAe', 'credits 2026.ouvertAe']),
    );
    // the view found nothing left to catch up
    const encore = await sql<{ n: number }>`SELECT count(*)::int AS n FROM journal WHERE convention_id = ${id}`.execute(
      s.db,
    );
    expect(encore.rows[0]!.n).toBe(1);
  });

  it('is idempotent: the next start finds nothing, in one statement, and writes nothing', async () => {
    const avant = await compter(s);
    const c = compteur();
    const annonces: number[] = [];
    expect(await rattraperOuvertures(contexte({ ...s, db: s.db.withPlugin(c.plugin) }), (k) => annonces.push(k))).toBe(
      0,
    );
    expect(annonces).toEqual([]);
    expect(c.n()).toBe(1);
    expect(await compter(s)).toEqual(avant);
  });
});
