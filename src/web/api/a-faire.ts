import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_TYPES_A_FAIRE, LIBELLES_URGENCES, type ItemAFaire } from '../../domain/a-faire.js';
import type { Contexte } from '../../usecases/contexte.js';
import { listerAFaire } from '../../usecases/a-faire.js';
import type { Env } from '../auth.js';
import { ajouterChemins, reponsesErreur } from './openapi.js';
import { invalide, valider } from './validation.js';

/** « À faire »: what needs the caller's action, from the same list as the home page, the e-mails and the calendar feed. */

const vide = (v: string | undefined) => v || undefined;
export const aFaireFiltreApi = z.object({
  convention_id: z.string().trim().max(100).optional().transform(vide),
  partenaire: z.string().trim().max(200).optional().transform(vide),
});

const itemAFaireVersApi = (i: ItemAFaire) => ({
  cle: i.cle,
  type: i.type,
  type_libelle: LIBELLES_TYPES_A_FAIRE[i.type],
  echeance: i.echeance,
  urgence: i.urgence,
  urgence_libelle: LIBELLES_URGENCES[i.urgence],
  convention_id: i.conventionId,
  convention: i.conventionLibelle,
  partenaire: i.partenaire,
  libelle: i.libelle,
  action_url: i.actionUrl,
  action_directe: i.actionDirecte
    ? { methode: 'POST', url: i.actionDirecte.url, libelle: i.actionDirecte.libelle }
    : null,
});

export function aFaireApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/a-faire', async (c) => {
    const f = valider(aFaireFiltreApi, c.req.query());
    if (!f.ok) return invalide(c, f.erreurs);
    const items = await listerAFaire(ctx, c.var.acteur, {
      conventionId: f.data.convention_id,
      partenaire: f.data.partenaire,
    });
    return c.json({ items: items.map(itemAFaireVersApi), total: items.length });
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

ajouterChemins({
  '/a-faire': {
    get: {
      operationId: 'aFaire',
      summary:
        'Ce qui attend une action de l’appelant, dans son périmètre : type, échéance, convention, libellé et lien vers l’action, du plus urgent au moins urgent',
      parameters: [
        { name: 'convention_id', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'partenaire', in: 'query', required: false, schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'Éléments à faire' }, ...reponsesErreur(400, 401) },
    },
  },
});
