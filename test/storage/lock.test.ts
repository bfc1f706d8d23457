import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataFolder, DataFolderLockedError } from '../../src/storage/lock.js';
import { budget, freePort, ROOT, run, waitFor, waitListening } from '../support/process.js';

describe('embedded data folder lock', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-lock-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('refuses a second holder while the first lives, and takes over a lock left by a dead process', () => {
    const dir = tmp();
    const release = lockDataFolder(dir);
    expect(() => lockDataFolder(dir)).toThrow(DataFolderLockedError);
    release();
    fs.writeFileSync(path.join(dir, 'delegations.lock'), '999999999'); // no such process
    const again = lockDataFolder(dir);
    expect(fs.readFileSync(path.join(dir, 'delegations.lock'), 'utf8').split(' ')[0]).toBe(String(process.pid));
    again();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('takes over a stale lock whose takeover was itself left half-done by a killed process', () => {
    const dir = tmp();
    const stale = '999999999 abc\n';
    fs.writeFileSync(path.join(dir, 'delegations.lock'), stale);
    const claim = `delegations.lock.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    fs.writeFileSync(path.join(dir, claim), '999999998 def\n'); // the claim of a taker killed before it finished
    const release = lockDataFolder(dir);
    expect(fs.readFileSync(path.join(dir, 'delegations.lock'), 'utf8').split(' ')[0]).toBe(String(process.pid));
    expect(() => lockDataFolder(dir)).toThrow(DataFolderLockedError);
    release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it(
    'a second server on the same folder exits at once with a clear message; the first keeps serving, nothing lost',
    async () => {
      const dir = tmp();
      const [p1, p2] = [await freePort(), await freePort()];
      // a token made by the command line before the server holds the folder
      const jeton = run(['token', 'create', '--role', 'gestionnaire', '--nom', 'test'], { DELEGATIONS_DATA_DIR: dir });
      expect(await jeton.exited).toBe(0);
      const valeur = /dlg_[A-Za-z0-9_-]{43}/.exec(jeton.output())![0];
      const auth = { authorization: `Bearer ${valeur}` };
      const first = run(['serve'], { PORT: String(p1), DELEGATIONS_DATA_DIR: dir, DELEGATIONS_DEMO: '1' });
      try {
        await waitListening(first, p1);
        const before = await (
          await fetch(`http://127.0.0.1:${p1}/api/v1/conventions?taille=1`, { headers: auth })
        ).json();
        const second = run(['serve'], { PORT: String(p2), DELEGATIONS_DATA_DIR: dir });
        const code = await second.exited;
        expect(code).toBe(1);
        expect(second.output()).toContain('est déjà utilisé par un autre processus Délégations');
        const after = await (
          await fetch(`http://127.0.0.1:${p1}/api/v1/conventions?taille=1`, { headers: auth })
        ).json();
        expect(after.total).toBe(before.total);
        expect(after.total).toBeGreaterThan(0);
      } finally {
        first.child.kill('SIGTERM');
        await first.exited;
      }
      expect(fs.existsSync(path.join(dir, 'delegations.lock'))).toBe(false);
    },
    budget(3),
  );

  it(
    'gives the folder to exactly one of two processes that start together on a stale lock, 20 times',
    async () => {
      const script = path.join(ROOT, 'test/support/verrou.mjs');
      const enfants: ChildProcess[] = [];
      try {
        for (let essai = 0; essai < 20; essai++) {
          const dir = tmp();
          fs.writeFileSync(path.join(dir, 'delegations.lock'), '999999999'); // left by a process that no longer exists
          const depart = path.join(dir, 'depart');
          const paire = [0, 1].map(() => {
            const child = spawn(process.execPath, [script, dir, depart], {
              cwd: ROOT,
              stdio: ['pipe', 'pipe', 'inherit'],
            });
            enfants.push(child);
            let sortie = '';
            child.stdout!.on('data', (d) => (sortie += d));
            return { child, sortie: () => sortie, fin: new Promise((r) => child.on('exit', r)) };
          });
          await waitFor(() => paire.every((p) => p.sortie().includes('pret')), 60_000, 'les deux processus');
          fs.writeFileSync(depart, '');
          await waitFor(() => paire.every((p) => /gagne|refuse/.test(p.sortie())), 30_000, 'les deux réponses');
          const gagnants = paire.filter((p) => p.sortie().includes('gagne')).length;
          expect(gagnants, `essai ${essai + 1}`).toBe(1);
          for (const p of paire) p.child.stdin!.end();
          await Promise.all(paire.map((p) => p.fin));
          expect(fs.readdirSync(dir)).toEqual(['depart']); // no lock, claim or draft left behind
        }
      } finally {
        for (const c of enfants) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    },
    budget(20),
  );
});
