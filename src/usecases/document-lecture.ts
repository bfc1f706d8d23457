import { randomBytes } from 'node:crypto';
import type { Acteur } from '../domain/acces.js';
import { peutCreerConvention } from '../domain/acces.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { analyser, type Analyse } from '../importer/analyse.js';
import { analyserIsole } from '../importer/isolement.js';
import type { Limites } from '../importer/limites.js';
import type { ProgressionOcr } from '../importer/ocr.js';
import type { Contexte } from './contexte.js';
import { deposerDocument } from './document.js';

/** One uploaded file: what the importer read, the document kept for review, or the reader's refusal. */
export interface ResultatLecture {
  nom: string;
  documentId?: string;
  erreur?: { code: string; message: string };
}

/** Where a reading of uploaded files stands, as its progress page shows it. */
export interface EtatLecture {
  id: string;
  /** the files sent, and the rank (1-based) of the one being read */
  fichiers: number;
  rang: number;
  nom: string;
  /** the last page announced by the OCR of the file being read, if it has scanned pages */
  ocr: ProgressionOcr | null;
  /** once every file is read and kept: each file's result */
  resultats: ResultatLecture[] | null;
  /** the reading stopped on a failure that is not the reader's (storage): nothing more was kept */
  echec: string | null;
}

interface Lecture {
  etat: EtatLecture;
  acteurId: string;
  /** the monotonic instant (performance.now()) after which the entry is forgotten, once finished: a delay, not a date */
  expire: number;
}

/**
 * Readings under way or just finished, in the memory of this process only: a reading is lost if the
 * server restarts (the files read before are kept, the others must be sent again), and a finished one is
 * forgotten DUREE_MS after its end. Each one is the agent's who sent the files: another agent is told it
 * does not exist. Nothing of it is written to the database: each file read is kept by `deposerDocument`,
 * journalled, as a reading answered in the request is.
 */
const LECTURES = new Map<string, Lecture>();
const DUREE_MS = 15 * 60 * 1000;

function oublierExpirees(): void {
  const maintenant = performance.now();
  // a reading under way never expires: its thread's delay bounds it
  for (const [id, l] of LECTURES) if (l.expire <= maintenant) LECTURES.delete(id);
}

/**
 * Reads the uploaded files one after the other and keeps each one read for review. With `limites` (the
 * server's settings) each file is read in a thread of its own, bounded in memory and time; without them,
 * in this thread. Answers at once the reading's id, for its progress page, and the promise of its results.
 */
export function lireFichiers(
  ctx: Contexte,
  acteur: Acteur,
  fichiers: Array<{ nom: string; bytes: Uint8Array }>,
  opts: { tailleMax: number; limites?: Limites },
): { id: string; fin: Promise<ResultatLecture[]> } {
  if (!peutCreerConvention(acteur)) throw new ForbiddenError();
  oublierExpirees();
  const id = randomBytes(18).toString('base64url');
  const etat: EtatLecture = {
    id,
    fichiers: fichiers.length,
    rang: 0,
    nom: '',
    ocr: null,
    resultats: null,
    echec: null,
  };
  const lecture: Lecture = { etat, acteurId: acteur.id, expire: Infinity };
  LECTURES.set(id, lecture);
  const surOcr = (p: ProgressionOcr) => {
    etat.ocr = p;
  };
  const lire = (bytes: Uint8Array, nom: string): Promise<Analyse> =>
    opts.limites
      ? analyserIsole(bytes, nom, nom, { limites: { ...opts.limites, tailleMax: opts.tailleMax }, surOcr })
      : analyser(bytes, nom, nom, { tailleMax: opts.tailleMax, surOcr });
  const fin = (async () => {
    const resultats: ResultatLecture[] = [];
    for (const [i, f] of fichiers.entries()) {
      etat.rang = i + 1;
      etat.nom = f.nom;
      etat.ocr = null;
      const a = await lire(f.bytes, f.nom);
      if (!a.ok) resultats.push({ nom: f.nom, erreur: a.erreur });
      else resultats.push({ nom: f.nom, documentId: await deposerDocument(ctx, acteur, a) });
    }
    return resultats;
  })();
  fin.then(
    (r) => {
      etat.resultats = r;
      lecture.expire = performance.now() + DUREE_MS;
    },
    (e: unknown) => {
      etat.echec =
        'La lecture s’est arrêtée sur une erreur du serveur : envoyez de nouveau les fichiers qui ne sont pas parmi les documents à vérifier.';
      lecture.expire = performance.now() + DUREE_MS;
      console.error('lecture de fichiers importés', e);
    },
  );
  return { id, fin };
}

/** Where the agent's reading stands; another agent's, or one forgotten, is not found. */
export function etatLecture(acteur: Acteur, id: string): EtatLecture {
  oublierExpirees();
  const l = LECTURES.get(id);
  if (!l || l.acteurId !== acteur.id || !peutCreerConvention(acteur)) throw new NotFoundError('Lecture', id);
  return { ...l.etat, ocr: l.etat.ocr && { ...l.etat.ocr }, resultats: l.etat.resultats && [...l.etat.resultats] };
}

/** The reading was answered in its request: its progress page will not be asked for. */
export function oublierLecture(id: string): void {
  LECTURES.delete(id);
}
