import { Hono } from 'hono';
import { documentConvention } from '../../generators/convention.js';
import { lireConvention } from '../../usecases/convention.js';
import type { Contexte } from '../../usecases/contexte.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { envoyerDocument, type FormatDocument } from '../telechargement.js';
import { ajouterChemins, reponsesErreur, uuidParam } from './openapi.js';

/** The convention's text generated from its data, in the format asked: what the parties sign. */
export function documentApi(ctx: Contexte) {
  const app = new Hono<Env>();
  app.get('/conventions/:id/document', async (c) => {
    const format = c.req.query('format') ?? 'docx';
    if (format !== 'docx' && format !== 'pdf')
      return apiError(c, 'DONNEES_INVALIDES', 'Paramètre format invalide.', {
        erreurs: [{ champ: 'format', message: 'Le format doit être « docx » ou « pdf ».' }],
      });
    const convention = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    const nom = `convention-${(convention.reference ?? convention.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    return envoyerDocument(c, format as FormatDocument, nom, documentConvention(convention));
  });
  return app;
}

ajouterChemins(
  {
    '/conventions/{id}/document': {
      get: {
        operationId: 'telechargerConvention',
        summary:
          'Le texte de la convention, généré à partir de ses données selon le modèle de sa famille (DINUM délégataire, ou FAST) ; l’en-tête X-Modele-Document donne le modèle et sa version',
        parameters: [
          uuidParam('id'),
          {
            name: 'format',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['docx', 'pdf'], default: 'docx' },
          },
        ],
        responses: {
          '200': {
            description: 'Le document',
            content: {
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {},
              'application/pdf': {},
            },
          },
          ...reponsesErreur(400, 401, 404),
        },
      },
    },
  },
  {},
);
