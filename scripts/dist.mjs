// The compiled code in dist/: whether it matches src/, and how to build it. Shared by `npm run build`,
// `bin/delegations.js` (which runs dist/ only when it is up to date) and the tests' global setup.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
/** Written when a build starts: any source changed after it is newer than this file. */
const TEMOIN = '.construit';
/** What the build reads. Not package-lock.json: installing or pruning packages rewrites it, and must not make dist/ stale. */
const SOURCES = [path.join(ROOT, 'src'), path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'tsconfig.build.json')];

/** Newest modification time under the given paths; directories count too (a deleted or renamed file changes its folder). */
function plusRecent(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  let t = st.mtimeMs;
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) t = Math.max(t, plusRecent(path.join(p, e)));
  return t;
}

/** dist/ exists and no source is newer than its build. Without src/ (a deployed copy of dist/ alone), dist/ is taken as is. */
export function distAJour() {
  let construit;
  try {
    construit = fs.statSync(path.join(DIST, TEMOIN)).mtimeMs;
  } catch {
    return false;
  }
  if (!fs.existsSync(path.join(DIST, 'cli/main.js'))) return false;
  if (!fs.existsSync(path.join(ROOT, 'src'))) return true;
  return Math.max(...SOURCES.map(plusRecent)) <= construit;
}

/** Copies what the code reads at run time from next to itself (styles, images…): every non-TypeScript file of src/. */
function copierRessources(de, vers) {
  for (const e of fs.readdirSync(de, { withFileTypes: true })) {
    const source = path.join(de, e.name);
    const cible = path.join(vers, e.name);
    if (e.isDirectory()) copierRessources(source, cible);
    else if (!/\.tsx?$/.test(e.name)) {
      fs.mkdirSync(vers, { recursive: true });
      fs.copyFileSync(source, cible);
    }
  }
}

/**
 * src/ → dist/ with tsc (tsconfig.build.json), then the run-time files. Built aside and swapped in at the
 * end, so that a failed build leaves the previous dist/ and a process already running keeps its files.
 * Returns false (after tsc's messages) when the code does not compile.
 */
export function construire({ silencieux = false } = {}) {
  const tmp = path.join(ROOT, `.dist-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(tmp, TEMOIN), '');
  const require = createRequire(import.meta.url);
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', tmp], {
    cwd: ROOT,
    stdio: silencieux ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (silencieux) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    return false;
  }
  copierRessources(path.join(ROOT, 'src'), tmp);
  const ancien = path.join(ROOT, `.dist-ancien-${process.pid}`);
  try {
    fs.renameSync(DIST, ancien);
  } catch {
    // no previous build, or another build is swapping it at this moment
  }
  try {
    fs.renameSync(tmp, DIST);
  } catch {
    // another build of the same sources landed first: keep it
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.rmSync(ancien, { recursive: true, force: true });
  return true;
}
