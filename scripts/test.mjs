// `npm test`: the whole suite. Says plainly which parts run here: PostgreSQL tests need
// TEST_DATABASE_URL, browser tests need Debian's Chromium. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  const msg = `Chromium introuvable (${chromium}) : les tests navigateur sont ignorés. Installez-le avec « apt-get install -y chromium ».`;
  if (process.env.CI) {
    console.error(`${msg} En CI, ils sont obligatoires.`);
    process.exit(1);
  }
  console.log(msg);
}
console.log(
  process.env.TEST_DATABASE_URL
    ? 'Les tests de stockage tournent sur PGlite et sur PostgreSQL (TEST_DATABASE_URL).'
    : 'Les tests de stockage tournent sur PGlite ; définissez TEST_DATABASE_URL pour les lancer aussi sur PostgreSQL.',
);
const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
