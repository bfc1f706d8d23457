import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { erreursDescripteur, lireCsv, valider, type Schema } from '../support/table-schema.js';
import { JEU_CONVENTIONS, JEU_CREDITS_ANNUELS, schemaTable } from '../../src/domain/donnees.js';

/**
 * The open data: both CSV files, served without login, validate against their own Table Schema with a
 * validator written apart from the writer; the schemas follow schema.data.gouv.fr's rules; a field whose
 * definition changes makes the old file invalid.
 */
describe.each(DATABASES)('open data files, on %s', (kind) => {
  let t: TestApp;
  const fichiers: Record<string, string> = {};
  const schemas: Record<string, Schema> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await testApp(kind);
    for (const nom of ['conventions', 'credits-annuels']) {
      const csv = await t.app.request(`/donnees/${nom}.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      fichiers[nom] = new TextDecoder('utf-8', { fatal: true }).decode(await csv.arrayBuffer());
      const schema = await t.app.request(`/donnees/${nom}.schema.json`);
      expect(schema.status).toBe(200);
      schemas[nom] = (await schema.json()) as Schema;
    }
    for (const r of await t.storage.db.selectFrom('convention').select(['id', 'reference']).execute())
      if (r.reference) ids[r.reference] = r.id;
  });
  afterAll(async () => t?.close());

  it('follow schema.data.gouv.fr’s rules for a Table Schema', () => {
    for (const nom of ['conventions', 'credits-annuels']) expect(erreursDescripteur(schemas[nom]!), nom).toEqual([]);
    expect(schemas.conventions!.$schema).toBe('https://frictionlessdata.io/schemas/table-schema.json');
    expect(schemas.conventions!.primaryKey).toBe('id');
    expect(schemas['credits-annuels']!.primaryKey).toEqual(['convention_id', 'annee']);
  });

  it('validate against their own schema: types, required fields, enums, patterns, unique primary key', () => {
    for (const nom of ['conventions', 'credits-annuels'])
      expect(valider(fichiers[nom]!, schemas[nom]!), nom).toEqual([]);
  });

  it('hold one row per published convention, and one per convention and year, with amounts in euros TTC and HT', () => {
    const d = demo();
    const [entete, ...lignes] = lireCsv(fichiers.conventions!);
    const col = (n: string) => entete!.indexOf(n);
    const publiees = [d.msj, d.msp, d.selex, d.classe].map((c) => ids[c.reference!]);
    expect(lignes.map((l) => l[col('id')]).sort()).toEqual([...publiees].sort());
    expect(fichiers.conventions).not.toContain(ids[d.atelier.reference!]);
    const msj = lignes.find((l) => l[col('id')] === ids[d.msj.reference!])!;
    expect(msj[col('mis_a_disposition_ae_ttc')]).toBe('200000.00');
    expect(msj[col('mis_a_disposition_ae_ht')]).toBe('166666.67');
    expect(msj[col('date_signature')]).toBe('2021-03-31');
    expect(msj[col('base_montants')]).toBe('TTC');
    const [e2, ...annuelles] = lireCsv(fichiers['credits-annuels']!);
    const c2 = (n: string) => e2!.indexOf(n);
    const msj2021 = annuelles.filter((l) => l[c2('convention_id')] === ids[d.msj.reference!]);
    expect(msj2021.map((l) => l[c2('annee')])).toEqual(['2021']);
    expect(msj2021[0]![c2('paye_cp_ttc')]).toBe('200000.00');
    expect(new Set(annuelles.map((l) => l[c2('convention_id')]))).toEqual(new Set(publiees));
  });

  it('no longer validate once one field’s definition changes: the schema follows the definition, not the file', () => {
    const typeChange = schemaTable({
      ...JEU_CONVENTIONS,
      champs: JEU_CONVENTIONS.champs.map((c) =>
        c.name === 'mis_a_disposition_ae_ttc' ? { ...c, type: 'integer' } : c,
      ),
    }) as Schema;
    expect(valider(fichiers.conventions!, typeChange).join('\n')).toMatch(/mis_a_disposition_ae_ttc : entier attendu/);
    const enumChange = schemaTable({
      ...JEU_CREDITS_ANNUELS,
      champs: JEU_CREDITS_ANNUELS.champs.map((c) =>
        c.name === 'base_montants' ? { ...c, constraints: { ...c.constraints, enum: ['HT'] } } : c,
      ),
    }) as Schema;
    expect(valider(fichiers['credits-annuels']!, enumChange).join('\n')).toMatch(/base_montants : « TTC » hors/);
  });

  it('are caught by the validator when a key repeats, a required cell is empty or a date is not ISO', () => {
    const s = schemas['credits-annuels']!;
    const [entete, premiere] = fichiers['credits-annuels']!.split('\r\n');
    expect(valider([entete, premiere, premiere, ''].join('\r\n'), s).join('\n')).toMatch(/clé primaire .* en double/);
    const cs = schemas.conventions!;
    const [e, l] = fichiers.conventions!.split('\r\n');
    const cells = lireCsv(`${l}\r\n`)[0]!;
    const noms = e!.split(',');
    const vide = cells.map((v, i) => (noms[i] === 'partenaire' ? '' : v));
    const date = cells.map((v, i) => (noms[i] === 'date_signature' ? '31/03/2021' : v));
    const q = (r: string[]) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
    expect(valider(`${e}\r\n${q(vide)}\r\n`, cs).join('\n')).toMatch(/partenaire : obligatoire/);
    expect(valider(`${e}\r\n${q(date)}\r\n`, cs).join('\n')).toMatch(/date_signature : date ISO attendue/);
  });
});
