import { Hono } from 'hono';
import { z } from 'zod';
import type { Contexte } from '../../usecases/contexte.js';
import { publierConvention, retirerPublication, type EtatPublication } from '../../usecases/publication.js';
import type { Env } from '../auth.js';
import { ajouterChemins, corps, jsonSchema, rep, reponsesErreur, uuidParam } from './openapi.js';
import { dateIso, invalide, lireJson, valider } from './validation.js';

/** The « publiée » decision of a convention: published from a date, or withdrawn. */

export const publicationEntreeApi = z
  .object({ date: dateIso.optional().describe('jour de la publication, aujourd’hui par défaut, pas dans le futur') })
  .strict();

const reponse = (p: EtatPublication) => ({
  publiee: p.publiee,
  publiee_le: p.decision?.publieeLe ?? null,
  decidee_par: p.decision?.decideePar ?? null,
});

export function publicationApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.post('/conventions/:id/publication', async (c) => {
    const p = valider(publicationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return c.json(reponse(await publierConvention(ctx, c.var.acteur, c.req.param('id'), p.data.date ?? null)));
  });

  app.delete('/conventions/:id/publication', async (c) =>
    c.json(reponse(await retirerPublication(ctx, c.var.acteur, c.req.param('id')))),
  );

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const idParam = uuidParam('id');
const publication = rep('La publication après la décision', 'Publication');

ajouterChemins(
  {
    '/conventions/{id}/publication': {
      post: {
        operationId: 'publierConvention',
        summary:
          'Décision « publiée » (gestionnaire DINUM) : la page, le budget et les données ouvertes de la convention deviennent publics une fois la convention signée ; 409 PUBLICATION_DEJA_DECIDEE',
        parameters: [idParam],
        requestBody: corps('PublicationEntree'),
        responses: { '200': publication, ...reponsesErreur(400, 401, 403, 404, 409, 415) },
      },
      delete: {
        operationId: 'retirerPublication',
        summary: 'Retire la publication (gestionnaire DINUM) ; 409 PUBLICATION_NON_DECIDEE',
        parameters: [idParam],
        responses: { '200': publication, ...reponsesErreur(401, 403, 404, 409) },
      },
    },
  },
  {
    PublicationEntree: jsonSchema(publicationEntreeApi),
    Publication: {
      type: 'object',
      required: ['publiee', 'publiee_le', 'decidee_par'],
      properties: {
        publiee: { type: 'boolean' },
        publiee_le: { type: ['string', 'null'], format: 'date' },
        decidee_par: { type: ['string', 'null'], description: 'l’agent qui a décidé la publication' },
      },
    },
  },
);
