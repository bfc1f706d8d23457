/**
 * Reads one file in a thread of its own, with a memory limit and a delay: a file that would take the
 * process's memory or time is refused with a stable code, the caller (a batch on the command line, the
 * server) goes on with the next file and keeps serving others meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { Analyse } from './analyse.js';
import { LIMITES_DEFAUT, type Limites } from './limites.js';
import type { ProgressionOcr } from './ocr.js';

const SOURCE_TS = import.meta.url.endsWith('.ts');

function refus(nom: string, code: string, message: string): Analyse {
  return { ok: false, nom, erreur: { code, message } };
}

export async function analyserIsole(
  bytes: Uint8Array,
  nom: string,
  source = nom,
  opts: { limites?: Partial<Limites>; surOcr?: (p: ProgressionOcr) => void } = {},
): Promise<Analyse> {
  const limites: Limites = { ...LIMITES_DEFAUT, ...opts.limites };
  const entree = new URL(`./travailleur.${SOURCE_TS ? 'ts' : 'js'}`, import.meta.url);
  // during development the sources run through tsx, registered in the thread; the built code needs nothing
  const script = SOURCE_TS
    ? new Worker(
        `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entree.href)}); });`,
        {
          eval: true,
          resourceLimits: { maxOldGenerationSizeMb: limites.memoireMo, maxYoungGenerationSizeMb: 64 },
        },
      )
    : null;
  const worker =
    script ??
    new Worker(entree, {
      resourceLimits: { maxOldGenerationSizeMb: limites.memoireMo, maxYoungGenerationSizeMb: 64 },
    });
  return new Promise<Analyse>((resolve) => {
    let fini = false;
    const finir = (a: Analyse) => {
      if (fini) return;
      fini = true;
      clearTimeout(minuteur);
      void worker.terminate();
      resolve(a);
    };
    const debut = performance.now();
    let delai = limites.delaiMs;
    const armer = () =>
      setTimeout(
        () =>
          finir(
            refus(
              nom,
              'LECTURE_TROP_LONGUE',
              `La lecture du fichier « ${nom} » a dépassé ${Math.round(delai / 1000)} secondes : elle a été arrêtée. Vérifiez le fichier ou importez-en une version plus simple (PDF avec texte, .docx).`,
            ),
          ),
        Math.max(0, debut + delai - performance.now()),
      );
    let minuteur = armer();
    worker.on('message', (m: { type: string; analyse?: Analyse; message?: string; progression?: ProgressionOcr }) => {
      if (m.type === 'ocr' && m.progression) {
        // the delay grows by an allowance per scanned page, once their number is known (it is capped)
        if (m.progression.rang === 1) {
          delai = limites.delaiMs + m.progression.total * limites.ocrPageMs;
          clearTimeout(minuteur);
          minuteur = armer();
        }
        opts.surOcr?.(m.progression);
      } else if (m.type === 'fin' && m.analyse) {
        const a = m.analyse;
        finir(a.ok ? { ...a, contenu: bytes } : a);
      } else if (m.type === 'echec')
        finir(refus(nom, 'LECTURE_IMPOSSIBLE', `Le fichier « ${nom} » n'a pas pu être lu (${m.message ?? 'erreur'}).`));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
        finir(
          refus(
            nom,
            'MEMOIRE_DEPASSEE',
            `La lecture du fichier « ${nom} » demandait plus de ${limites.memoireMo} Mo de mémoire : elle a été arrêtée. Le fichier est trop complexe ou piégé.`,
          ),
        );
      else finir(refus(nom, 'LECTURE_IMPOSSIBLE', `Le fichier « ${nom} » n'a pas pu être lu (${e.message}).`));
    });
    worker.on('exit', () =>
      finir(refus(nom, 'LECTURE_IMPOSSIBLE', `La lecture du fichier « ${nom} » s'est arrêtée sans résultat.`)),
    );
    const copie = new Uint8Array(bytes);
    worker.postMessage({ bytes: copie, nom, source, limites }, [copie.buffer]);
  });
}
