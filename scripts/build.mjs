// `npm run build`: compiles src/ into dist/ (what `npx delegations` and the tests run).
// `--if-stale`: only when a source is newer than the last build (`npm start`, `npm run bench`).
import { construire, distAJour } from './dist.mjs';

if (process.argv.includes('--if-stale') && distAJour()) process.exit(0);
const debut = performance.now();
if (!construire()) {
  console.error('La compilation a échoué : dist/ est inchangé.');
  process.exit(1);
}
console.log(`dist/ construit en ${((performance.now() - debut) / 1000).toFixed(1)} s.`);
