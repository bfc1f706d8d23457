import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { PREFIXE_JETON } from '../../src/usecases/acces.js';
import { lockDataFolder } from '../../src/storage/lock.js';
import { SEEDS_DIR } from '../support/contract.js';
import {
  ROOT,
  arreter,
  budget,
  dossierDonnees,
  dossierTemporaire,
  executer,
  freePort,
  run,
  waitFor,
  waitListening,
} from '../support/process.js';

const SIRET = '13002526500013';

const token = (args: string[], env: Record<string, string>) => executer(['token', ...args], env);

/** A migrated embedded data folder of the test's own, and the environment that names it. */
function dossier(): { dataDir: string; env: Record<string, string> } {
  const dir = dossierTemporaire('serveur');
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dataDir = dossierDonnees(inject('pgliteDataDir'), dir);
  return { dataDir, env: { DATABASE_URL: '', DELEGATIONS_DATA_DIR: dataDir, DELEGATIONS_DEMO: '0' } };
}

async function demarrer(env: Record<string, string>, port: number) {
  const r = run(['serve'], { ...env, HOST: '127.0.0.1', PORT: String(port) });
  await waitListening(r, port);
  return r;
}

async function moi(port: number, valeur: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/moi`, { headers: { authorization: `Bearer ${valeur}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('delegations token beside a running server on the embedded database', () => {
  it(
    'create, list and revoke go through the server: the token works on it at once, then is refused',
    async () => {
      const { dataDir, env } = dossier();
      const port = await freePort();
      const serveur = await demarrer(env, port);
      const canal = path.join(dataDir, 'admin.sock');
      // only the folder's owner reaches the channel
      const stat = fs.statSync(canal);
      expect(stat.isSocket()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o600);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);

      const creation = await token(
        ['create', '--role', 'partenaire', '--organisation', SIRET, '--expires', '30', '--nom', 'Passerelle'],
        env,
      );
      expect(creation.code, creation.stderr).toBe(0);
      const valeur = creation.stdout.trim();
      // the same output as without a server: the value alone on stdout, the explanation on stderr
      expect(valeur.startsWith(PREFIXE_JETON)).toBe(true);
      expect(creation.stdout).toBe(`${valeur}\n`);
      expect(creation.stderr).toContain('Il ne sera plus affiché');
      expect(creation.stderr).not.toContain(valeur);
      const id = /^Jeton ([0-9a-f-]{36}) /m.exec(creation.stderr)?.[1];
      expect(id, creation.stderr).toBeDefined();

      const p = await moi(port, valeur);
      expect(p.status).toBe(200);
      expect(p.body).toMatchObject({ role: 'partenaire', organisation_siret: SIRET });

      const liste = await token(['list'], env);
      expect(liste.code, liste.stderr).toBe(0);
      const champs = liste.stdout.trim().split('\t');
      expect(champs.slice(0, 4)).toEqual([id, expect.stringMatching(/…$/), 'partenaire', SIRET]);
      expect(champs).toContain('valide');
      expect(liste.stdout).not.toContain(valeur);

      const revocation = await token(['revoke', id!], env);
      expect(revocation.code, revocation.stderr).toBe(0);
      expect(revocation.stdout).toBe('Jeton révoqué.\n');
      const r = await moi(port, valeur);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('JETON_REVOQUE');

      // refusals keep their exit codes and French messages
      const inconnu = await token(['revoke', randomUUID()], env);
      expect(inconnu.code).toBe(1);
      expect(inconnu.stderr).toBe('Jeton introuvable.\n');
      const invalide = await token(['create', '--role', 'partenaire', '--nom', 'Sans SIRET'], env);
      expect(invalide.code).toBe(2);
      expect(invalide.stderr).toContain('Un partenaire est rattaché à une organisation');

      // a stopped server removes its channel
      await arreter(serveur.child, 'SIGTERM');
      expect(fs.existsSync(canal)).toBe(false);
    },
    budget(8),
  );

  it(
    'import goes through the server too: paths from the folder of the command, the convention readable at once',
    async () => {
      const { env } = dossier();
      const port = await freePort();
      const serveur = await demarrer(env, port);
      // a path relative to the command's working folder, not the server's
      const fichier = path.relative(ROOT, path.join(SEEDS_DIR, '000_81a0a8a1b45d4781.txt'));
      const imp = run(['import', fichier], env);
      const code = await imp.exited;
      const sortie = imp.output();
      expect(code, sortie).toBe(0);
      expect(sortie).toContain('lus : 1, importés : 1 (à vérifier), refusés : 0');
      const ligne = sortie.split('\n').find((l) => l.endsWith(`\t${fichier}`));
      const id = ligne?.split('\t')[0];
      expect(id, sortie).toBeDefined();

      const creation = await token(['create', '--role', 'gestionnaire', '--nom', 'Lecture'], env);
      expect(creation.code, creation.stderr).toBe(0);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/conventions/${id}`, {
        headers: { authorization: `Bearer ${creation.stdout.trim()}` },
      });
      expect(res.status).toBe(200);

      const encore = run(['import', fichier], env);
      expect(await encore.exited).toBe(1);
      expect(encore.output()).toContain('DEJA_IMPORTE');
      await arreter(serveur.child, 'SIGTERM');
    },
    budget(4),
  );

  it(
    'a socket left by a killed server is replaced by the next one',
    async () => {
      const { dataDir, env } = dossier();
      const port = await freePort();
      const premier = await demarrer(env, port);
      await arreter(premier.child);
      const canal = path.join(dataDir, 'admin.sock');
      expect(fs.existsSync(canal)).toBe(true);
      const second = await demarrer(env, port);
      await waitFor(() => fs.existsSync(canal), 10_000, 'the channel');
      const liste = await token(['list'], env);
      expect(liste.code, liste.stderr).toBe(0);
      expect(liste.stdout).toBe('');
      await arreter(second.child, 'SIGTERM');
    },
    budget(3),
  );

  it(
    'a folder held by a process without a channel: the command says to stop the server or use the admin page',
    async () => {
      const { env, dataDir } = dossier();
      const liberer = lockDataFolder(dataDir);
      onTestFinished(liberer);
      const r = await token(['list'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`pid ${process.pid}`);
      expect(r.stderr).toContain('Arrêtez le serveur');
      expect(r.stderr).toContain('Administration');
    },
    budget(1),
  );
});

describe('request bodies read from the socket by a running server', () => {
  /** A POST sent by node:http, with its length declared or in chunks. */
  const envoyer = (port: number, jeton: string, corps: string, enMorceaux: boolean) =>
    new Promise<{ status: number; body: { code?: string } }>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        authorization: `Bearer ${jeton}`,
      };
      if (!enMorceaux) headers['content-length'] = Buffer.byteLength(corps);
      const req = http.request(
        { host: '127.0.0.1', port, path: '/api/v1/conventions', method: 'POST', headers },
        (res) => {
          const morceaux: Buffer[] = [];
          res.on('data', (b: Buffer) => morceaux.push(b));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(morceaux).toString() || '{}') }),
          );
        },
      );
      req.on('error', reject);
      if (enMorceaux) for (let i = 0; i < corps.length; i += 8192) req.write(corps.slice(i, i + 8192));
      req.end(enMorceaux ? undefined : corps);
    });

  it(
    'answers a malformed body, a body over the limit declared or in chunks, and a well-formed one, each with its code',
    async () => {
      const { env } = dossier();
      const port = await freePort();
      const limite = 64 * 1024;
      const serveur = await demarrer({ ...env, DELEGATIONS_BODY_LIMIT: String(limite) }, port);
      const creation = await token(['create', '--role', 'gestionnaire', '--nom', 'Corps'], env);
      expect(creation.code, creation.stderr).toBe(0);
      const jeton = creation.stdout.trim();
      const grand = JSON.stringify({ reference: 'x'.repeat(limite) });
      for (const enMorceaux of [false, true]) {
        const mal = await envoyer(port, jeton, '{"reference":', enMorceaux);
        expect([mal.status, mal.body.code]).toEqual([400, 'JSON_INVALIDE']);
        const trop = await envoyer(port, jeton, grand, enMorceaux);
        expect(trop.status).toBe(413);
        // read and parsed: the refusal names the fields, not the JSON
        const vide = await envoyer(port, jeton, '{}', enMorceaux);
        expect(vide.status).toBe(400);
        expect(vide.body.code).not.toBe('JSON_INVALIDE');
      }
      await arreter(serveur.child, 'SIGTERM');
    },
    budget(2),
  );
});
