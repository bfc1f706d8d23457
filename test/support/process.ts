import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The compiled command line, built by the global setup: what production runs, without tsx's start-up cost. */
const CLI = path.join(ROOT, 'dist/cli/main.js');

/**
 * The day every spawned server and command starts at (DELEGATIONS_AUJOURDHUI), whatever the real date:
 * before the year-end cut-off of a year that the test conventions fund.
 */
export const JOUR_TEST = '2026-11-23';

/**
 * Time budget of a test that launches `commandes` processes (commands or server starts): measured on a
 * 2-core machine under heavy load (two CPU hogs and other test runs), a launch with its embedded database
 * took up to ~50 s; the budget leaves room for that and for the test's own work.
 */
export function budget(commandes: number): number {
  return 30_000 + commandes * 45_000;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Every process started by `run`, and those started since the current test began. The setup file kills
 * the test's own at the end of each test, and all of them at the end of the file, so that a test that
 * fails or times out leaves nothing running (its `finally` never runs when it times out).
 */
const vivants = new Set<ChildProcess>();
let duTest: Set<ChildProcess> | null = null;

/** Starts `delegations <args>` as a real process (the way users run it), on the fixed test day. */
export function run(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', DELEGATIONS_AUJOURDHUI: JOUR_TEST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  vivants.add(child);
  duTest?.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => {
    child.on('exit', (code) => {
      vivants.delete(child);
      duTest?.delete(child);
      r(code);
    });
    child.on('error', (e) => {
      out += String(e);
      vivants.delete(child);
      r(null);
    });
  });
  return { child, output: () => out, exited };
}

/** What a finished command printed, apart, and how it exited. */
export interface Sortie {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `delegations <args>` to its end, the way an administrator runs it. */
export async function executer(args: string[], env: Record<string, string>): Promise<Sortie> {
  const r = run(args, env);
  let stdout = '';
  let stderr = '';
  r.child.stdout!.on('data', (d) => (stdout += d));
  r.child.stderr!.on('data', (d) => (stderr += d));
  const code = await r.exited;
  return { code, stdout, stderr };
}

/** Stops a process and resolves once it has exited (at once if it already has). */
export function arreter(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export function debutTest(): void {
  duTest = new Set();
}

/** Kills what the test that just ended started and left running. */
export async function finTest(): Promise<void> {
  const restants = [...(duTest ?? [])];
  duTest = null;
  await Promise.all(restants.map((c) => arreter(c)));
}

/** Kills every process still running (end of a test file: those started in beforeAll too). */
export async function arreterTout(): Promise<void> {
  await Promise.all([...vivants].map((c) => arreter(c)));
}

/** A last resort if the worker itself exits: no server outlives the run. */
process.once('exit', () => {
  for (const c of vivants) c.kill('SIGKILL');
});

/** A fresh temporary folder of the test's own. */
export function dossierTemporaire(prefixe: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `delegations-${prefixe}-`));
}

/**
 * A migrated embedded data folder of the test's own: a copy of the one the global setup migrated, so that
 * a command does not pay PostgreSQL's first initialisation (seconds, tens of seconds under load).
 */
export function dossierDonnees(modele: string, parent: string): string {
  const dir = path.join(parent, 'data');
  fs.cpSync(modele, dir, { recursive: true });
  return dir;
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timeout waiting for ${what}`);
}

export async function waitListening(r: Running, port: number, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    async () => {
      if (r.child.exitCode !== null) throw new Error(`server exited: ${r.output()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
        return res.ok;
      } catch {
        return false;
      }
    },
    timeoutMs,
    `server on ${port}`,
  );
}
