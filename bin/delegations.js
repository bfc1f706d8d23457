#!/usr/bin/env node
// `npx delegations`: runs the compiled code in dist/ (npm run build) when it matches src/; otherwise, in a
// checkout being worked on, the TypeScript sources through tsx. Both in this same process, so that
// signals reach the server directly.
import { distAJour } from '../scripts/dist.mjs';

if (distAJour()) {
  await import('../dist/cli/main.js');
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error('dist/ est absent ou plus ancien que src/, et tsx n’est pas installé : lancez « npm run build ».');
    process.exit(1);
  }
  register();
  await import('../src/cli/main.ts');
}
