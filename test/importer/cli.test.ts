import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { openStorage } from '../../src/storage/database.js';
import { champs, expectContract, SEEDS_DIR, truth } from '../support/contract.js';
import { docxBombe, pdfGonfle } from '../support/documents.js';
import { JOUR_TEST, budget, dossierDonnees, dossierTemporaire, executer } from '../support/process.js';

const seedPath = (n: string) => path.join(SEEDS_DIR, n);
const S000 = '000_81a0a8a1b45d4781.txt';
const S004 = '004_dae5c40bbfeb0924.txt';

/**
 * A command's clock starts at its DELEGATIONS_AUJOURDHUI: each command starts a minute after the previous
 * one, on the test day, so that what they write is ordered as they ran.
 */
let minutes = 0;
function instantSuivant(): string {
  const m = minutes++;
  return `${JOUR_TEST}T${String(10 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const cli = (args: string[], env: Record<string, string>) =>
  executer(['import', ...args], { DELEGATIONS_AUJOURDHUI: instantSuivant(), ...env });

describe('delegations import', () => {
  // the input files, read-only; each test has its own data folder
  let dir: string;
  beforeAll(() => {
    dir = dossierTemporaire('import');
    fs.writeFileSync(path.join(dir, 'binaire.pdf'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(dir, 'vide.txt'), '');
    fs.writeFileSync(
      path.join(dir, 'incoherent.txt'),
      fs.readFileSync(seedPath(S004), 'utf8').replace('Les 50% restants', 'Les 40% restants'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    'refuses a zip bomb .docx and an inflated PDF with their codes and goes on with the next file',
    async () => {
      fs.writeFileSync(path.join(dir, 'bombe.docx'), docxBombe(120));
      fs.writeFileSync(path.join(dir, 'gonfle.pdf'), pdfGonfle(60));
      const env = { ...base(false), DELEGATIONS_IMPORT_PDF_MAX_MO: '50' };
      const fichiers = [path.join(dir, 'bombe.docx'), path.join(dir, 'gonfle.pdf'), seedPath(S000)];
      const r = await cli([...fichiers, '--json'], env);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.map((x: { error?: { code: string } }) => x.error?.code ?? null)).toEqual([
        'DOCX_TROP_VOLUMINEUX',
        'PDF_TROP_VOLUMINEUX',
        null,
      ]);
      expect(champs(out[2])).toEqual(champs(truth(S000)));
      for (const x of out) expectContract(x);
    },
    budget(1),
  );

  /** The environment of a command on a data folder of the test's own: absent, or a migrated database when `migree`. */
  function base(migree: boolean): Record<string, string> {
    const propre = dossierTemporaire('import-donnees');
    onTestFinished(() => fs.rmSync(propre, { recursive: true, force: true }));
    const dataDir = migree ? dossierDonnees(inject('pgliteDataDir'), propre) : path.join(propre, 'data');
    return { DELEGATIONS_DATA_DIR: dataDir, DATABASE_URL: '', DELEGATIONS_DEMO: '0' };
  }

  it(
    '--json prints one extraction per file in input order, an error object for a bad file, and exits 1',
    async () => {
      const env = base(false);
      const r = await cli([seedPath(S000), path.join(dir, 'vide.txt'), seedPath(S004), '--json'], env);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.map((x: { source: string }) => x.source)).toEqual([
        seedPath(S000),
        path.join(dir, 'vide.txt'),
        seedPath(S004),
      ]);
      expect(champs(out[0])).toEqual(champs(truth(S000)));
      expect(champs(out[2])).toEqual(champs(truth(S004)));
      expect(out[1].error).toEqual({ code: 'FICHIER_VIDE', message: 'Le fichier « vide.txt » est vide.' });
      for (const x of out) expectContract(x);
      expect(fs.existsSync(env.DELEGATIONS_DATA_DIR!)).toBe(false);
    },
    budget(1),
  );

  it(
    '--dry-run reads and reports, and writes nothing',
    async () => {
      const env = base(false);
      const dry = await cli([seedPath(S000), path.join(dir, 'binaire.pdf'), '--dry-run'], env);
      expect(dry.code).toBe(1);
      expect(dry.stderr).toContain('Simulation (rien n’est enregistré) — lus : 2, seraient importés : 1');
      expect(dry.stderr).toContain('refusé : ' + path.join(dir, 'binaire.pdf') + ' — PDF_ILLISIBLE');
      expect(fs.existsSync(env.DELEGATIONS_DATA_DIR!)).toBe(false);
    },
    budget(1),
  );

  it(
    'an import records conventions awaiting review; --accept refuses files with warnings unless --force',
    async () => {
      const env = base(true);
      const imp = await cli([seedPath(S000), path.join(dir, 'vide.txt'), seedPath(S004)], env);
      expect(imp.code).toBe(1);
      expect(imp.stderr).toContain('1/3');
      expect(imp.stderr).toContain('lus : 3, importés : 2 (à vérifier), refusés : 1');
      const ids = imp.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]);
      expect(ids).toHaveLength(2);

      const again = await cli([seedPath(S000)], env);
      expect(again.stderr).toContain('DEJA_IMPORTE');

      const refused = await cli([path.join(dir, 'incoherent.txt'), '--accept'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('AVERTISSEMENTS');
      expect(refused.stderr).toContain('Les tranches totalisent 90 % et non 100 %.');
      // the same convention as a file already imported, by its reference: accepted only when confirmed
      const doublon = await cli([path.join(dir, 'incoherent.txt'), '--accept', '--force'], env);
      expect(doublon.code).toBe(1);
      expect(doublon.stderr).toContain('DOUBLON_PROBABLE');
      expect(doublon.stderr).toContain('semble déjà enregistrée');
      const forced = await cli([path.join(dir, 'incoherent.txt'), '--accept', '--force', '--doublon'], env);
      expect(forced.code).toBe(0);
      const forcedId = forced.stdout.split('\t')[0];

      const s = await openStorage({ dataDir: env.DELEGATIONS_DATA_DIR! });
      try {
        // one clock for the whole command: conventions are dated in the order they were imported
        const rows = await s.db.selectFrom('convention').select(['id', 'statut']).orderBy('cree_le').execute();
        expect(rows).toEqual([
          { id: ids[0], statut: 'a_verifier' },
          { id: ids[1], statut: 'a_verifier' },
          { id: forcedId, statut: 'en_vigueur' },
        ]);
        const docs = await s.db
          .selectFrom('document')
          .select(['nom', 'convention_id', 'media_type'])
          .orderBy('importe_le')
          .execute();
        expect(docs.map((d) => d.nom)).toEqual([S000, S004, 'incoherent.txt']);
        expect(docs[0]?.convention_id).toBe(ids[0]);
        const j = await s.db
          .selectFrom('journal')
          .select(['action', 'commentaire', 'acteur_nom'])
          .where('convention_id', '=', ids[0]!)
          .execute();
        expect(j[0]?.action).toBe('import');
        expect(j[0]?.commentaire).toMatch(/^Importée depuis 000_81a0a8a1b45d4781\.txt \(sha256 [0-9a-f]{64}\)$/);
        expect(j[0]?.acteur_nom).toMatch(/^Import en ligne de commande/);
      } finally {
        await s.close();
      }
    },
    budget(4),
  );
});
