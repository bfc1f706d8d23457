import { Hono, type Context } from 'hono';
import { estAffichable } from '../../domain/piece.js';
import type { z } from 'zod';
import type { Contexte } from '../../usecases/contexte.js';
import {
  cloturerConvention,
  envoyerEnSignature,
  lirePiece,
  remettreEnBrouillon,
  reprendreConvention,
  resilierConvention,
  retirerResiliation,
  signerConvention,
  type PieceJointe,
} from '../../usecases/convention-cycle.js';
import { motifEntreeApi, resiliationEntreeApi, retraitEntreeApi, signatureEntreeApi } from '../api/convention-cycle.js';
import type { Env } from '../auth.js';
import type { FormFields, TypeChamp } from '../form.js';
import { corps, lireFormulaire, traiter } from './operation.js';
import { pageConvention } from './convention.js';

/** The actions of a convention's life posted from its page: form → API schema → use case → back to the page. */

/** The PDF sent with a form (`fichier`), if any. */
export async function fichier(c: Context<Env>): Promise<PieceJointe | null> {
  const f = (await c.req.parseBody({ all: true })).fichier;
  const file = Array.isArray(f) ? f[0] : f;
  return file instanceof File && file.size > 0
    ? { nom: file.name, mediaType: file.type, contenu: new Uint8Array(await file.arrayBuffer()) }
    : null;
}

export function conventionCyclePages(ctx: Contexte) {
  const app = new Hono<Env>();

  const action = <S extends z.ZodType>(
    chemin: string,
    ok: string,
    types: Record<string, TypeChamp>,
    schema: S,
    run: (c: Context<Env>, id: string, data: z.output<S>) => Promise<unknown>,
  ) =>
    app.post(`/conventions/:id/${chemin}`, async (c) => {
      const id = c.req.param('id');
      const f: FormFields = await corps(c);
      delete f.fichier;
      const { data, erreurs } = lireFormulaire(f, types, schema);
      return traiter(
        c,
        chemin,
        f,
        erreurs,
        data &&
          (async () => {
            await run(c, id, data);
            return `/conventions/${id}?ok=${ok}#cycle`;
          }),
        (etat, status) => pageConvention(ctx, c, id, etat, status),
      );
    });

  const vide = motifEntreeApi.pick({});
  action('envoi-signature', 'envoi_signature', {}, vide, (c, id) => envoyerEnSignature(ctx, c.var.acteur, id));
  action('retour-brouillon', 'retour_brouillon', {}, vide, (c, id) => remettreEnBrouillon(ctx, c.var.acteur, id));
  action(
    'signature',
    'signature',
    { partie: 'texte', date: 'texte', signataire: 'texte' },
    signatureEntreeApi,
    async (c, id, d) => signerConvention(ctx, c.var.acteur, id, { ...d, document: await fichier(c) }),
  );
  action('reprise', 'reprise', { motif: 'texte' }, motifEntreeApi, (c, id, d) =>
    reprendreConvention(ctx, c.var.acteur, id, d.motif),
  );
  action(
    'resiliation',
    'resiliation',
    { partie: 'texte', date_notification: 'texte', motif: 'texte' },
    resiliationEntreeApi,
    async (c, id, d) =>
      resilierConvention(ctx, c.var.acteur, id, {
        partie: d.partie,
        dateNotification: d.date_notification,
        motif: d.motif,
        lettre: await fichier(c),
      }),
  );
  action(
    'resiliation/retrait',
    'retrait_resiliation',
    { date_accord: 'texte', motif: 'texte' },
    retraitEntreeApi,
    (c, id, d) => retirerResiliation(ctx, c.var.acteur, id, { dateAccord: d.date_accord, motif: d.motif }),
  );
  action('cloture', 'cloture', { motif: 'texte' }, motifEntreeApi, (c, id, d) =>
    cloturerConvention(ctx, c.var.acteur, id, d.motif),
  );

  app.get('/conventions/:id/pieces/:piece', async (c) => {
    const p = await lirePiece(ctx, c.var.acteur, c.req.param('id'), c.req.param('piece'));
    return c.body(p.contenu.slice().buffer, 200, {
      'content-type': p.mediaType,
      // office files are downloaded: only PDF and images are shown in the browser
      'content-disposition': `${estAffichable(p.mediaType) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(p.nom)}`,
    });
  });

  return app;
}
