import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { DomainError } from '../../src/domain/errors.js';
import { horlogeFixe } from '../../src/domain/horloge.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { PREFIXE_JETON, acteurDeJeton, creerJeton } from '../../src/usecases/acces.js';
import { createApp } from '../../src/web/app.js';
import { DATABASES, TEST_DATABASE_URL, freshStorage, type DbKind } from '../support/db.js';
import { JOUR_TEST, budget, dossierDonnees, dossierTemporaire, executer, type Sortie } from '../support/process.js';

const SIRET = '13002526500013';
const JOUR_MS = 86_400_000;
/** The command's clock starts at JOUR_TEST, 10:00 (DELEGATIONS_AUJOURDHUI), and runs from there. */
const DEBUT = new Date(`${JOUR_TEST}T10:00`).getTime();
/** The web app and the use cases read the tokens the next day: created, not yet expired. */
const horloge = horlogeFixe(new Date(DEBUT + JOUR_MS));
/** Wall time a command may take on a loaded machine, for bounds on the instants it writes. */
const MARGE_MS = 10 * 60_000;

/** `delegations token <args>` as a real child process, the way an administrator runs it. */
const token = (args: string[], env: Record<string, string>) => executer(['token', ...args], env);

/**
 * The test's own database, seen from the test and removed when the test ends. PGlite: a migrated data
 * folder that the command opens itself and that the test opens only between two commands, since one
 * process at a time holds it. PostgreSQL: a fresh migrated schema, named to the command through the
 * search_path.
 */
interface Base {
  env: Record<string, string>;
  avec<T>(fn: (s: Storage) => Promise<T>): Promise<T>;
}

async function nouvelleBase(kind: DbKind): Promise<Base> {
  const dir = dossierTemporaire('token');
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  if (kind === 'pglite') {
    const dataDir = dossierDonnees(inject('pgliteDataDir'), dir);
    return {
      env: { DATABASE_URL: '', DELEGATIONS_DATA_DIR: dataDir, DELEGATIONS_DEMO: '0' },
      async avec(fn) {
        const s = await openStorage({ dataDir });
        try {
          return await fn(s);
        } finally {
          await s.close();
        }
      },
    };
  }
  const s = await freshStorage('postgres');
  onTestFinished(() => s.close());
  const url = TEST_DATABASE_URL!;
  const options = encodeURIComponent(`-c search_path=${s.schema}`);
  return {
    env: {
      DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=${options}`,
      DELEGATIONS_DATA_DIR: path.join(dir, 'data'),
      DELEGATIONS_DEMO: '0',
    },
    avec: (fn) => fn(s),
  };
}

/** `token create` of a partner token of SIRET, valid 30 days: its output and the printed value. */
async function creerPartenaire(base: Base): Promise<{ creation: Sortie; valeur: string }> {
  const creation = await token(
    ['create', '--role', 'partenaire', '--organisation', SIRET, '--expires', '30', '--nom', 'Passerelle comptable'],
    base.env,
  );
  expect(creation.code, creation.stderr).toBe(0);
  return { creation, valeur: creation.stdout.trim() };
}

const lignesJeton = (s: Storage) => s.db.selectFrom('jeton').selectAll().orderBy('cree_le').execute();

/** GET /api/v1/moi on the real web app over the same database, with the token as a bearer. */
async function moi(
  s: Storage,
  kind: DbKind,
  valeur: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const app = createApp({
    ctx: { db: s.db, now: horloge },
    config: { production: false, bodyLimit: 1024 * 1024, publicUrl: 'http://localhost:3000', databaseUrl: undefined },
    storageKind: kind,
  });
  const res = await app.request('/api/v1/moi', { headers: { authorization: `Bearer ${valeur}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function refus(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => {
      throw new Error('le jeton aurait dû être refusé');
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe.each(DATABASES)('delegations token on %s', (kind) => {
  it(
    'create prints the token once, on stdout only, exits 0, and stores only a hash of it',
    async () => {
      const base = await nouvelleBase(kind);
      const { creation, valeur } = await creerPartenaire(base);
      expect(valeur.startsWith(PREFIXE_JETON)).toBe(true);
      expect(valeur.length).toBeGreaterThan(PREFIXE_JETON.length + 30);
      // stdout holds the value and nothing else; the explanation goes to stderr, without the value
      expect(creation.stdout).toBe(`${valeur}\n`);
      expect(creation.stderr).not.toContain(valeur);
      expect(creation.stderr).toContain('Il ne sera plus affiché');

      const rows = await base.avec(lignesJeton);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      const texte = JSON.stringify(rows);
      expect(texte).not.toContain(valeur);
      // the stored prefix is a few characters for recognition; the rest of the secret is never written
      expect(texte).not.toContain(valeur.slice(PREFIXE_JETON.length + 6));
      expect(row.hash).toBe(createHash('sha256').update(valeur).digest('hex'));
      expect(valeur.startsWith(row.prefixe)).toBe(true);
      expect(row.prefixe.length).toBeLessThan(valeur.length / 2);
      expect(row).toMatchObject({
        role: 'partenaire',
        organisation_siret: SIRET,
        nom: 'Passerelle comptable',
        revoque_le: null,
      });
      // 30 days from the command's own day
      const expire = new Date(row.expire_le).getTime();
      expect(expire).toBeGreaterThanOrEqual(DEBUT + 30 * JOUR_MS);
      expect(expire).toBeLessThanOrEqual(DEBUT + 30 * JOUR_MS + MARGE_MS);
    },
    budget(1),
  );

  it(
    'list shows id, prefix, role, organisation and expiry, never the full value',
    async () => {
      const base = await nouvelleBase(kind);
      const { jeton: row, valeur } = await base.avec((s) =>
        creerJeton({ db: s.db, now: horlogeFixe(new Date(DEBUT)) }, ACTEUR_SYSTEME, {
          nom: 'Passerelle comptable',
          role: 'partenaire',
          organisationSiret: SIRET,
          expireJours: 30,
        }),
      );
      const liste = await token(['list'], base.env);
      expect(liste.code, liste.stderr).toBe(0);
      expect(liste.stdout).not.toContain(valeur);
      expect(liste.stdout).not.toContain(valeur.slice(PREFIXE_JETON.length + 6));
      const lignes = liste.stdout.trim().split('\n');
      expect(lignes).toHaveLength(1);
      const champs = lignes[0]!.split('\t');
      expect(champs[0]).toBe(row.id);
      expect(champs[1]).toBe(`${row.prefixe}…`);
      expect(valeur.startsWith(row.prefixe)).toBe(true);
      expect(champs[2]).toBe('partenaire');
      expect(champs[3]).toBe(SIRET);
      expect(champs[4]).toBe(new Date(DEBUT + 30 * JOUR_MS).toISOString().slice(0, 10));
      expect(champs).toContain('valide');
      expect(champs).toContain('Passerelle comptable');
    },
    budget(1),
  );

  it(
    'the printed token is accepted by the web app and the use case as the partner of that SIRET',
    async () => {
      const base = await nouvelleBase(kind);
      const { valeur } = await creerPartenaire(base);
      await base.avec(async (s) => {
        const r = await moi(s, kind, valeur);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ role: 'partenaire', organisation_siret: SIRET, libelle_role: 'Partenaire' });
        const acteur = await acteurDeJeton({ db: s.db, now: horloge }, valeur);
        expect(acteur).toMatchObject({ role: 'partenaire', organisationSiret: SIRET });
        // a value that is not the printed one is not accepted
        const faux = await moi(s, kind, `${valeur.slice(0, -1)}${valeur.endsWith('A') ? 'B' : 'A'}`);
        expect(faux.status).toBe(401);
        expect(faux.body.code).toBe('JETON_INVALIDE');
      });
    },
    budget(1),
  );

  it(
    'revoke makes the token refused with JETON_REVOQUE and leaves the other tokens valid',
    async () => {
      const base = await nouvelleBase(kind);
      const { valeur } = await base.avec((s) =>
        creerJeton({ db: s.db, now: horlogeFixe(new Date(DEBUT)) }, ACTEUR_SYSTEME, {
          nom: 'Passerelle comptable',
          role: 'partenaire',
          organisationSiret: SIRET,
          expireJours: 30,
        }),
      );
      const autre = await token(['create', '--role', 'gestionnaire', '--nom', 'Tableau de bord'], base.env);
      expect(autre.code, autre.stderr).toBe(0);
      const valeurAutre = autre.stdout.trim();
      // the command names the token it created on stderr
      const id = /^Jeton ([0-9a-f-]{36}) /m.exec(autre.stderr)?.[1];
      expect(id, autre.stderr).toBeDefined();

      const revocation = await token(['revoke', id!], base.env);
      expect(revocation.code, revocation.stderr).toBe(0);
      expect(revocation.stdout).toContain('Jeton révoqué.');

      const liste = await token(['list'], base.env);
      const ligne = liste.stdout.split('\n').find((l) => l.startsWith(`${id}\t`));
      expect(ligne?.split('\t')).toContain('revoque');

      await base.avec(async (s) => {
        expect((await s.db.selectFrom('jeton').select('nom').where('id', '=', id!).executeTakeFirstOrThrow()).nom).toBe(
          'Tableau de bord',
        );
        const r = await moi(s, kind, valeurAutre);
        expect(r.status).toBe(401);
        expect(r.body.code).toBe('JETON_REVOQUE');
        const e = await refus(acteurDeJeton({ db: s.db, now: horloge }, valeurAutre));
        expect(e.code).toBe('JETON_REVOQUE');
        // the partner's token was not touched
        const p = await moi(s, kind, valeur);
        expect(p.status).toBe(200);
        expect(p.body.role).toBe('partenaire');
      });
    },
    budget(3),
  );

  it(
    'revoke of an unknown id exits non-zero with a French message',
    async () => {
      const base = await nouvelleBase(kind);
      const r = await token(['revoke', randomUUID()], base.env);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Jeton introuvable.');
    },
    budget(1),
  );

  const PARTENAIRE = ['--nom', 'Mauvaise saisie'];
  it.each([
    { cas: 'an unknown role', args: ['--role', 'superviseur', ...PARTENAIRE], message: 'Choisissez un rôle.' },
    {
      cas: 'a partner without --organisation',
      args: ['--role', 'partenaire', ...PARTENAIRE],
      message: 'Un partenaire est rattaché à une organisation : indiquez son SIRET.',
    },
    {
      cas: 'a SIRET of 13 digits',
      args: ['--role', 'partenaire', '--organisation', '1300252650001', ...PARTENAIRE],
      message: 'Le SIRET compte 14 chiffres.',
    },
    {
      cas: '--expires 0',
      args: ['--role', 'partenaire', '--organisation', SIRET, '--expires', '0', ...PARTENAIRE],
      message: 'La durée de validité va de 1 à 366 jours.',
    },
    {
      cas: '--expires 1000',
      args: ['--role', 'partenaire', '--organisation', SIRET, '--expires', '1000', ...PARTENAIRE],
      message: 'La durée de validité va de 1 à 366 jours.',
    },
    {
      cas: '--expires trente',
      args: ['--role', 'partenaire', '--organisation', SIRET, '--expires', 'trente', ...PARTENAIRE],
      message: 'La durée de validité va de 1 à 366 jours.',
    },
  ])(
    'create refuses $cas: non-zero exit, French message, no token written',
    async ({ args, message }) => {
      const base = await nouvelleBase(kind);
      const r = await token(['create', ...args], base.env);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toContain(message);
      expect(r.stdout).not.toContain(PREFIXE_JETON);
      expect(await base.avec(lignesJeton)).toEqual([]);
    },
    budget(1),
  );

  it(
    'create without --role is refused before the database is opened',
    async () => {
      const dir = dossierTemporaire('token');
      onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
      // a data folder that does not exist, or a server that does not answer: the command must not need it
      const dataDir = path.join(dir, 'data');
      const env =
        kind === 'pglite'
          ? { DATABASE_URL: '', DELEGATIONS_DATA_DIR: dataDir }
          : { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/aucune', DELEGATIONS_DATA_DIR: dataDir };
      const r = await token(['create', '--organisation', SIRET], env);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Indiquez le rôle du jeton');
      expect(r.stdout).toBe('');
      expect(fs.existsSync(dataDir)).toBe(false);
    },
    budget(1),
  );
});
