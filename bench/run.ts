/**
 * `npm run bench`: each section measures one path of the product next to the raw SQL (or baseline) doing
 * the same work, in the same run, and prints ratios. Sections run one after another to share no CPU.
 * `npm run bench -- importer` runs only the sections whose name contains "importer".
 */
import type { Section } from './section.js';

const sections: Array<() => Promise<{ section: Section }>> = [
  () => import('./register.js'),
  () => import('./credits.js'),
  () => import('./importer.js'),
  () => import('./demarrage.js'),
];

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
console.log(`Délégations — banc d'essai (Node ${process.version}, ${new Date().toISOString()})`);
for (const load of sections) {
  const { section } = await load();
  if (only.length && !only.some((o) => section.name.includes(o))) continue;
  console.log(`\n## ${section.name}`);
  await section.run();
}
