import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFinished } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { plateformeDataGouv, type OptionsDataGouv } from '../../src/cli/datagouv.js';
import { openStorage } from '../../src/storage/database.js';
import { publierDonnees } from '../../src/usecases/donnees.js';
import { testApp, type TestApp } from '../support/app.js';
import { demarrerDataGouv, type FauxDataGouv } from '../support/datagouv.js';
import { DATABASES } from '../support/db.js';
import { budget, dossierDonnees, dossierTemporaire, run } from '../support/process.js';

/**
 * `delegations publier` against a local server that answers like data.gouv.fr: both files uploaded, then
 * replaced in place; a refused key is not retried and is recorded; a server error is retried; what was
 * published, when and where is in the database and the journal.
 */
describe.each(DATABASES)('publishing the open data to data.gouv.fr, on %s', (kind) => {
  let t: TestApp;
  let dg: FauxDataGouv;
  const options = (o: Partial<OptionsDataGouv> = {}): OptionsDataGouv => ({
    url: dg.url,
    apiKey: dg.cle,
    jeuDeDonnees: dg.jeu,
    tentatives: 3,
    delaiMs: 1,
    ...o,
  });
  const enregistrees = () => t.storage.db.selectFrom('publication_donnees').selectAll().orderBy('id', 'desc').execute();

  beforeAll(async () => {
    t = await testApp(kind);
    dg = await demarrerDataGouv();
  });
  afterAll(async () => {
    await dg?.fermer();
    await t?.close();
  });
  beforeEach(() => {
    dg.requetes.length = 0;
  });

  it('uploads both files as new resources the first time, the same bytes the site serves', async () => {
    const r = await publierDonnees(t.ctx, ACTEUR_SYSTEME, plateformeDataGouv(options()));
    expect(r.ok).toBe(true);
    expect(dg.requetes).toEqual([
      `GET /api/1/datasets/${dg.jeu}/`,
      `POST /api/1/datasets/${dg.jeu}/upload/`,
      `POST /api/1/datasets/${dg.jeu}/upload/`,
    ]);
    const parTitre = new Map([...dg.fichiers.values()].map((f) => [f.titre, f.contenu]));
    expect(parTitre.get('conventions.csv')).toBe(await (await t.app.request('/donnees/conventions.csv')).text());
    expect(parTitre.get('credits-annuels.csv')).toBe(
      await (await t.app.request('/donnees/credits-annuels.csv')).text(),
    );
    const lignes = await enregistrees();
    expect(lignes.map((l) => [l.fichier, l.statut, l.message])).toEqual([
      ['credits-annuels.csv', 'publie', 'déposé'],
      ['conventions.csv', 'publie', 'déposé'],
    ]);
    expect(lignes[1]!.lignes).toBe(4);
    expect(lignes[1]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fichiers\/.+\/conventions\.csv$/);
    const journal = await t.storage.db
      .selectFrom('journal')
      .select(['action', 'objet_id', 'acteur_nom'])
      .where('objet_type', '=', 'donnees')
      .execute();
    expect(journal).toHaveLength(2);
    expect(journal[0]).toMatchObject({ action: 'publication_donnees', objet_id: `${dg.jeu}/conventions.csv` });
  });

  it('replaces the resources of the same title the next time, keeping their ids', async () => {
    const avant = [...dg.fichiers.keys()].sort();
    const r = await publierDonnees(t.ctx, ACTEUR_SYSTEME, plateformeDataGouv(options()));
    expect(r.ok).toBe(true);
    expect([...dg.fichiers.keys()].sort()).toEqual(avant);
    expect(dg.requetes.slice(1).every((q) => /\/resources\/[^/]+\/upload\/$/.test(q))).toBe(true);
    expect((await enregistrees())[0]!.message).toBe('remplacé');
  });

  it('records a refused key as a failure, without retrying it', async () => {
    const r = await publierDonnees(t.ctx, ACTEUR_SYSTEME, plateformeDataGouv(options({ apiKey: 'mauvaise-cle' })));
    expect(r.ok).toBe(false);
    expect(dg.requetes.filter((q) => q.startsWith('POST'))).toHaveLength(2);
    const [credits, conventions] = await enregistrees();
    expect([credits!.statut, conventions!.statut]).toEqual(['echec', 'echec']);
    expect(conventions!.message).toMatch(/401/);
    const journal = await t.storage.db
      .selectFrom('journal')
      .select('action')
      .where('action', '=', 'echec_publication_donnees')
      .execute();
    expect(journal).toHaveLength(2);
  });

  it('retries a server error and publishes; gives up after the attempts allowed', async () => {
    const reprises: string[] = [];
    dg.panne(2);
    const r = await publierDonnees(
      t.ctx,
      ACTEUR_SYSTEME,
      plateformeDataGouv(options({ surReprise: (m) => reprises.push(m) })),
    );
    expect(r.ok).toBe(true);
    expect(dg.requetes.slice(0, 3)).toEqual(Array(3).fill(`GET /api/1/datasets/${dg.jeu}/`));
    expect(reprises).toHaveLength(2);
    expect(reprises[0]).toMatch(/503.*nouvel essai \(2\/3\)/);
    dg.panne(100);
    const echec = await publierDonnees(t.ctx, ACTEUR_SYSTEME, plateformeDataGouv(options({ tentatives: 2 })));
    dg.panne(0);
    expect(echec.ok).toBe(false);
    expect(echec.fichiers[0]!.message).toMatch(/503.*après 2 essais/);
  });

  it('is refused to an agent outside the DINUM’s budget roles', async () => {
    const partenaire = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-justice')!;
    await expect(publierDonnees(t.ctx, partenaire, plateformeDataGouv(options()))).rejects.toThrow();
  });
});

describe('the publier command', () => {
  let dg: FauxDataGouv;
  beforeAll(async () => {
    dg = await demarrerDataGouv();
  });
  afterAll(async () => dg?.fermer());

  it(
    'pushes both files and records them, then lists what was published',
    async () => {
      const dir = dossierTemporaire('publier');
      onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
      const dataDir = dossierDonnees(inject('pgliteDataDir'), dir);
      const env = {
        DATABASE_URL: '',
        DELEGATIONS_DATA_DIR: dataDir,
        DELEGATIONS_DEMO: '0',
        DATAGOUV_URL: dg.url,
        DATAGOUV_API_KEY: dg.cle,
        DATAGOUV_DATASET: dg.jeu,
        DATAGOUV_DELAI_MS: '1',
      };
      const sans = run(['publier'], { ...env, DATAGOUV_API_KEY: '' });
      expect(await sans.exited).toBe(2);
      expect(sans.output()).toMatch(/DATAGOUV_API_KEY/);
      const p = run(['publier'], env);
      expect(await p.exited, p.output()).toBe(0);
      expect(p.output()).toMatch(/conventions\.csv : déposé, 0 lignes/);
      expect([...dg.fichiers.values()].map((f) => f.titre).sort()).toEqual(['conventions.csv', 'credits-annuels.csv']);
      const h = run(['publier', '--historique'], env);
      expect(await h.exited).toBe(0);
      expect(h.output()).toMatch(/publie\s+credits-annuels\.csv/);
      const s = await openStorage({ dataDir });
      try {
        expect(await s.db.selectFrom('publication_donnees').select('statut').execute()).toHaveLength(2);
      } finally {
        await s.close();
      }
    },
    budget(3),
  );
});
