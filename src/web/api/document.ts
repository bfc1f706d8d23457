import { Hono } from 'hono';
import type { Context } from 'hono';
import { documentAvenant } from '../../generators/avenant.js';
import { documentConvention } from '../../generators/convention.js';
import { lireAvenantEtVersions } from '../../usecases/avenant.js';
import { lireConvention } from '../../usecases/convention.js';
import type { Contexte } from '../../usecases/contexte.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { envoyerDocument, nomFichier, type FormatDocument } from '../telechargement.js';
import { ajouterChemins, reponsesErreur, uuidParam } from './openapi.js';

const FORMATS: readonly string[] = ['docx', 'pdf'];
const formatInvalide = (c: Context<Env>) =>
  apiError(c, 'DONNEES_INVALIDES', 'Paramètre format invalide.', {
    erreurs: [{ champ: 'format', message: 'Le format doit être « docx » ou « pdf ».' }],
  });

/** The texts the parties sign, generated from the data, in the format asked: the convention and its avenants. */
export function documentApi(ctx: Contexte) {
  const app = new Hono<Env>();
  app.get('/conventions/:id/document', async (c) => {
    const format = c.req.query('format') ?? 'docx';
    if (!FORMATS.includes(format)) return formatInvalide(c);
    const convention = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    const nom = `convention-${nomFichier(convention.reference ?? convention.id)}`;
    return envoyerDocument(c, format as FormatDocument, nom, documentConvention(convention));
  });
  app.get('/conventions/:id/avenants/:numero/document', async (c) => {
    const format = c.req.query('format') ?? 'docx';
    if (!FORMATS.includes(format)) return formatInvalide(c);
    const numero = Number(c.req.param('numero'));
    if (!Number.isSafeInteger(numero) || numero < 1)
      return apiError(c, 'DONNEES_INVALIDES', 'Numéro d’avenant invalide.', {
        erreurs: [{ champ: 'numero', message: 'Le numéro d’avenant est un entier positif.' }],
      });
    const { avenant, avant, apres } = await lireAvenantEtVersions(ctx, c.var.acteur, c.req.param('id'), numero);
    const nom = `avenant-${avenant.numero}-${nomFichier(avant.reference ?? avant.id)}`;
    return envoyerDocument(c, format as FormatDocument, nom, documentAvenant(avenant, avant, apres));
  });
  return app;
}

const formatParam = {
  name: 'format',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['docx', 'pdf'], default: 'docx' },
};
const documentReponse = {
  description: 'Le document',
  content: {
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {},
    'application/pdf': {},
  },
};

ajouterChemins(
  {
    '/conventions/{id}/document': {
      get: {
        operationId: 'telechargerConvention',
        summary:
          'Le texte de la convention, généré à partir de ses données selon le modèle de sa famille (DINUM délégataire, ou FAST) ; l’en-tête X-Modele-Document donne le modèle et sa version',
        parameters: [uuidParam('id'), formatParam],
        responses: { '200': documentReponse, ...reponsesErreur(400, 401, 404) },
      },
    },
    '/conventions/{id}/avenants/{numero}/document': {
      get: {
        operationId: 'telechargerAvenant',
        summary:
          'Le texte de l’avenant : la convention qu’il modifie, un article par modification (rédaction antérieure et nouvelle, le nouvel échéancier en tableau), sa date d’effet et les signatures',
        parameters: [
          uuidParam('id'),
          { name: 'numero', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          formatParam,
        ],
        responses: { '200': documentReponse, ...reponsesErreur(400, 401, 404) },
      },
    },
  },
  {},
);
