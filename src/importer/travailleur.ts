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
