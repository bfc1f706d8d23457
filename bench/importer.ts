/**
 * Importer: documents per second and MB/s on the seed conventions in one process, then time against
 * document size (concatenations of the seeds) to show that it grows linearly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { extraire } from '../src/importer/extract.js';
import type { Section } from './section.js';

const DIR = path.resolve(import.meta.dirname, '../test/fixtures/seeds');

function concat(textes: string[], size: number): string {
  let out = '';
  for (let i = 0; out.length < size; i++) out += `${textes[i % textes.length]}\n`;
  return out.slice(0, size);
}

export const section: Section = {
  name: 'importer',
  async run() {
    const seeds = fs
      .readdirSync(DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => fs.readFileSync(path.join(DIR, f), 'utf8'));
    for (let i = 0; i < 50; i++) for (const s of seeds) extraire(s);

    // throughput on the real documents
    const bytes = seeds.reduce((t, s) => t + Buffer.byteLength(s), 0);
    let docs = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      for (const s of seeds) extraire(s);
      docs += seeds.length;
    }
    const secs = (performance.now() - t0) / 1000;
    const rounds = docs / seeds.length;
    console.log(
      `seeds (${seeds.length} documents, ${(bytes / seeds.length / 1024).toFixed(1)} Ko en moyenne) : ${(docs / secs).toFixed(0)} documents/s, ${((rounds * bytes) / secs / 1048576).toFixed(2)} Mo/s`,
    );

    // documents of 20 KB (the target: 200 per second on one core)
    const doc20 = concat(seeds, 20 * 1024);
    let n = 0;
    const t1 = performance.now();
    while (performance.now() - t1 < 2000) {
      extraire(doc20);
      n++;
    }
    console.log(`documents de 20 Ko : ${(n / ((performance.now() - t1) / 1000)).toFixed(0)} documents/s`);

    // time against size
    console.log('taille\t\ttemps\t\tµs/Ko');
    for (const kb of [20, 200, 2048, 10240]) {
      const text = concat(seeds, kb * 1024);
      const reps = kb <= 200 ? 20 : kb <= 2048 ? 5 : 2;
      const samples: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t = performance.now();
        extraire(text);
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      const ms = samples[Math.floor(samples.length / 2)];
      const label = kb >= 1024 ? `${kb / 1024} Mo` : `${kb} Ko`;
      console.log(`${label}\t\t${ms!.toFixed(1)} ms\t\t${((ms! * 1000) / kb).toFixed(1)}`);
    }
  },
};
