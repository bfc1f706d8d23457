/**
 * The thread that reads one file: started by `isolement.ts` with a memory limit, ended by it after a delay.
 * It receives the bytes and answers the analysis (without the bytes, which the caller keeps); before each
 * page read by OCR it says which, so that the caller extends the delay and shows the progress.
 */
import { parentPort } from 'node:worker_threads';
import { analyser } from './analyse.js';
import type { Limites } from './limites.js';

export interface Demande {
  bytes: Uint8Array;
  nom: string;
  source: string;
  limites: Limites;
}

// pdf.js leaves some of its own promises unhandled when it refuses a damaged PDF (an "XRefEntryException"
// while it checks the pages, after `getDocument` has already rejected): by default such a rejection ends the
// thread and the file would be answered LECTURE_IMPOSSIBLE instead of PDF_ILLISIBLE. The reading's own
// failures reject `analyser` and are answered below; a reading that never ends is stopped by the delay.
if (parentPort) process.on('unhandledRejection', () => {});

parentPort?.once('message', (d: Demande) => {
  analyser(d.bytes, d.nom, d.source, {
    tailleMax: d.limites.tailleMax,
    limites: d.limites,
    surOcr: (p) => parentPort!.postMessage({ type: 'ocr', progression: p }),
  }).then(
    (a) => parentPort!.postMessage({ type: 'fin', analyse: a.ok ? { ...a, contenu: null } : a }),
    (e: unknown) => parentPort!.postMessage({ type: 'echec', message: String((e as Error)?.message ?? e) }),
  );
});
