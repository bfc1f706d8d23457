import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { peutCreerConvention } from '../../domain/acces.js';
import { controler } from '../../domain/convention.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../domain/errors.js';
import { LIMITES_DEFAUT, type Limites } from '../../importer/limites.js';
import { TAILLE_MAX_OCTETS } from '../../importer/readers.js';
import { versSaisie } from '../../importer/saisie.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireConvention } from '../../usecases/convention.js';
import {
  accepterDocument,
  documentsAVerifier,
  doublonsPossibles,
  ecarterImport,
  lireDocument,
  lireOriginalDocument,
} from '../../usecases/document.js';
import { etatLecture, lireFichiers, oublierLecture, type ResultatLecture } from '../../usecases/document-lecture.js';
import type { Env } from '../auth.js';
import { erreursApi } from '../errors.js';
import { champsDepuisConvention, lireFormulaire } from '../form.js';
import { ImportPage, LecturePage, VerificationPage, type ResultatFichier } from '../pages/document.js';
import type { FieldError } from '../../domain/errors.js';
import type { DocumentImporte } from '../../usecases/document.js';
import type { FormFields } from '../form.js';
import type { Context } from 'hono';

/** HTTP status of a refused upload, from the reader's code. */
const STATUT_REFUS: Record<string, number> = {
  FICHIER_TROP_GROS: 413,
  FORMAT_NON_PRIS_EN_CHARGE: 415,
  FICHIER_BINAIRE: 415,
  DOCX_TROP_VOLUMINEUX: 413,
  PDF_TROP_VOLUMINEUX: 413,
};

/**
 * Upload of signed conventions, review of what was read next to the text, acceptance. With `limites`
 * (the server's settings), each file is read in a thread of its own, bounded in memory and time, so that
 * the server keeps serving others meanwhile; without them (tests of the pages), in the request. An upload
 * read within `attenteMs` (a second) is answered in its request; a longer reading (a scanned PDF, read by
 * OCR page by page) goes on in the background, and the upload is answered with its progress page.
 */
export function documentPages(ctx: Contexte, opts: { tailleMax?: number; limites?: Limites; attenteMs?: number } = {}) {
  const app = new Hono<Env>();
  const tailleMax = Math.min(opts.tailleMax ?? TAILLE_MAX_OCTETS, TAILLE_MAX_OCTETS);
  const limites = opts.limites;
  const ocr = {
    pageS: (limites ?? LIMITES_DEFAUT).ocrPageMs / 1000,
    pagesMax: (limites ?? LIMITES_DEFAUT).ocrPagesMax,
  };
  const attenteMs = opts.attenteMs ?? 1000;
  const importPage = async (c: Context<Env>, status: number, resultats: ResultatFichier[], erreur?: string) =>
    c.html(
      <ImportPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        documents={await documentsAVerifier(ctx, c.var.acteur)}
        tailleMax={tailleMax}
        ocr={ocr}
        resultats={resultats}
        erreur={erreur}
      />,
      status as 400,
    );

  app.use('*', async (c, next) => {
    if (!peutCreerConvention(c.var.acteur))
      throw new ForbiddenError(
        'Seuls les gestionnaires peuvent importer des conventions. Connectez-vous avec un compte gestionnaire.',
      );
    await next();
  });

  app.get('/', async (c) => {
    const documents = await documentsAVerifier(ctx, c.var.acteur);
    return c.html(
      <ImportPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        documents={documents}
        tailleMax={tailleMax}
        ecarte={c.req.query('ecarte') === '1'}
        ocr={ocr}
      />,
    );
  });

  /** The answer to an upload once it is read: the review page of its one file, or each file's result. */
  const resultat = async (c: Context<Env>, resultats: ResultatLecture[]) => {
    const lus = resultats.filter((r) => r.documentId);
    if (lus.length === 1 && resultats.length === 1 && lus[0]) return c.redirect(`/imports/${lus[0].documentId}`, 303);
    const refus = resultats.filter((r) => r.erreur).at(-1)?.erreur;
    const statut = lus.length || !refus ? 200 : (STATUT_REFUS[refus.code] ?? 422);
    return importPage(
      c,
      statut,
      resultats.map((r) => ({ nom: r.nom, documentId: r.documentId, erreur: r.erreur?.message })),
    );
  };

  app.post('/', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const sent = body.fichiers;
    const files = (Array.isArray(sent) ? sent : sent === undefined ? [] : [sent]).filter(
      (x): x is File => typeof x !== 'string' && x.name !== '',
    );
    if (files.length === 0) return importPage(c, 400, [], 'Choisissez au moins un fichier à importer.');
    const fichiers = await Promise.all(
      files.slice(0, 50).map(async (f) => ({ nom: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const lecture = lireFichiers(ctx, c.var.acteur, fichiers, { tailleMax, limites });
    // a short reading (text, .docx, PDF with text) is answered in the request; a longer one goes on meanwhile
    let minuteur: ReturnType<typeof setTimeout> | undefined;
    const attente = new Promise<null>((r) => (minuteur = setTimeout(() => r(null), attenteMs)));
    const resultats = await Promise.race([lecture.fin, attente]).finally(() => clearTimeout(minuteur));
    if (!resultats) return c.redirect(`/imports/lectures/${lecture.id}`, 303);
    oublierLecture(lecture.id);
    return resultat(c, resultats);
  });

  /** The progress of a reading, reloaded by the browser until it ends, then the upload's answer. */
  app.get('/lectures/:id', async (c) => {
    const etat = etatLecture(c.var.acteur, c.req.param('id'));
    if (etat.resultats) return resultat(c, etat.resultats);
    if (etat.echec) return importPage(c, 500, [], etat.echec);
    return c.html(<LecturePage acteur={c.var.acteur} csrf={c.var.csrf} etat={etat} ocr={ocr} />);
  });

  /** The review page: the values read (or as typed), the stored conventions they seem to repeat, and errors. */
  const verification = async (
    c: Context<Env>,
    d: DocumentImporte,
    etat: {
      f?: FormFields;
      erreurs?: FieldError[];
      ecart?: { f: FormFields; erreurs: FieldError[] };
      version?: number;
    },
    status = 200,
  ) => {
    const existante = d.conventionId ? await lireConvention(ctx, c.var.acteur, d.conventionId) : null;
    const saisie = existante ?? versSaisie(d.extraction, 'a_verifier');
    const enAttente = !d.ecart && (!existante || existante.statut === 'a_verifier');
    const doublons = enAttente ? await doublonsPossibles(ctx, c.var.acteur, saisie, d.conventionId) : [];
    const avertissements = [...new Set([...d.extraction.warnings, ...controler(saisie).avertissements])];
    return c.html(
      <VerificationPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        document={d}
        f={etat.f ?? champsDepuisConvention(saisie)}
        erreurs={etat.erreurs ?? []}
        avertissements={avertissements}
        version={etat.version ?? existante?.version}
        doublons={doublons}
        enAttente={enAttente}
        ecart={etat.ecart}
      />,
      status as 200,
    );
  };

  app.get('/:id', async (c) => verification(c, await lireDocument(ctx, c.var.acteur, c.req.param('id')), {}));

  app.get('/:id/original', async (c) => {
    const d = await lireDocument(ctx, c.var.acteur, c.req.param('id'));
    const contenu = await lireOriginalDocument(ctx, c.var.acteur, d.id);
    if (!contenu) throw new HTTPException(404, { message: 'Document introuvable.' });
    c.header('Content-Type', contenu.mediaType);
    c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(contenu.nom)}`);
    return c.body(new Uint8Array(contenu.contenu));
  });

  app.post('/:id/accepter', async (c) => {
    const d = await lireDocument(ctx, c.var.acteur, c.req.param('id'));
    const body = await c.req.parseBody({ all: true });
    const { f, saisie, erreurs } = lireFormulaire(body);
    const version = f.version ? Number(f.version) : undefined;
    const confirmeDoublon = body.confirmer_doublon === 'oui';
    if (confirmeDoublon) f.confirmer_doublon = 'oui';
    const refaire = (errs: FieldError[], status: number) => verification(c, d, { f, erreurs: errs, version }, status);
    if (!saisie) return refaire(erreurs, 400);
    try {
      const { convention } = await accepterDocument(ctx, c.var.acteur, d.id, saisie, version, { confirmeDoublon });
      return c.redirect(`/conventions/${convention.id}?ok=${d.conventionId ? 'modifiee' : 'creee'}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return refaire(erreursApi(e.erreurs), 400);
      if (e instanceof ConflictError && e.code === 'DOUBLON_PROBABLE')
        return refaire([{ champ: 'confirmer_doublon', message: e.message }], 409);
      if (e instanceof ConflictError) return refaire([{ champ: '(corps)', message: e.message }], 409);
      throw e;
    }
  });

  app.post('/:id/ecarter', async (c) => {
    const d = await lireDocument(ctx, c.var.acteur, c.req.param('id'));
    const body = await c.req.parseBody();
    const f: FormFields = {
      motif: typeof body.motif === 'string' ? body.motif : '',
      confirmation: body.confirmation === 'oui' ? 'oui' : '',
    };
    const refaire = (erreurs: FieldError[], status: number) => verification(c, d, { ecart: { f, erreurs } }, status);
    if (f.motif!.length > 2000)
      return refaire([{ champ: 'motif', message: 'Le motif ne peut dépasser 2 000 caractères.' }], 400);
    if (f.confirmation !== 'oui')
      return refaire(
        [{ champ: 'confirmation', message: 'Cochez la case pour confirmer que l’import est écarté.' }],
        400,
      );
    try {
      await ecarterImport(ctx, c.var.acteur, d.id, f.motif!.trim() || null);
    } catch (e) {
      if (e instanceof ConflictError) return refaire([{ champ: 'confirmation', message: e.message }], 409);
      throw e;
    }
    return c.redirect('/imports?ecarte=1', 303);
  });

  return app;
}
