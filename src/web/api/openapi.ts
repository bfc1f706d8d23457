import { z } from 'zod';
import { conventionEntreeApi, conventionModificationApi } from './schemas.js';

/**
 * The OpenAPI document of /api/v1. Request schemas come from the same zod schemas that validate requests,
 * so the document cannot drift from what the server accepts. Other features add their paths through
 * `ajouterChemins`.
 */
type Json = Record<string, unknown>;

const erreur: Json = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: { code: { type: 'string', description: 'code stable, ex. DONNEES_INVALIDES, INTROUVABLE, PLAFOND_AE_DEPASSE' }, message: { type: 'string', description: 'message en français' }, details: { type: 'object' } },
};

export const reponsesErreur = (...codes: number[]): Json =>
  Object.fromEntries(codes.map((s) => [String(s), { description: DESCRIPTIONS[s] ?? 'Erreur', content: { 'application/json': { schema: { $ref: '#/components/schemas/Erreur' } } } }]));

const DESCRIPTIONS: Record<number, string> = {
  400: 'Requête invalide (JSON mal formé, champs en erreur dans details.erreurs)',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Introuvable',
  409: 'Conflit avec l’état enregistré (version obsolète, plafond dépassé…)',
  413: 'Corps trop volumineux',
  415: 'Type de contenu non supporté',
  429: 'Trop de requêtes',
};

const jsonSchema = (s: z.ZodType) => {
  const j = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete j.$schema;
  return j;
};

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const conventionRef = { $ref: '#/components/schemas/Convention' };

const paths: Json = {
  '/conventions': {
    get: {
      operationId: 'listerConventions',
      summary: 'Liste paginée des conventions visibles par l’appelant, avec totaux AE/CP',
      parameters: [
        ['q', 'string', 'recherche plein texte (service, parties, UO, référence, objet)'],
        ['partenaire', 'string', 'nom du partenaire (contient)'],
        ['annee', 'integer', 'conventions ayant une ligne d’échéancier cette année ; totaux de cette année'],
        ['role_dinum', 'string', 'delegant | delegataire | autre'],
        ['phase', 'string', 'investigation | construction | acceleration | consolidation | perennisation | transfert'],
        ['statut', 'string', 'a_verifier | brouillon | en_vigueur | suspendue | resiliee | terminee'],
        ['tri', 'string', 'signature, fin, service, partenaire, montant ; préfixe « - » pour décroissant'],
        ['page', 'integer', 'à partir de 1'],
        ['taille', 'integer', '1 à 200, défaut 20'],
      ].map(([name, type, description]) => ({ name, in: 'query', required: false, schema: { type }, description })),
      responses: {
        '200': {
          description: 'Une page de conventions',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  items: { type: 'array', items: { type: 'object' } },
                  page: { type: 'integer' },
                  taille: { type: 'integer' },
                  total: { type: 'integer' },
                  total_ae_centimes: { type: 'integer' },
                  total_cp_centimes: { type: 'integer' },
                },
              },
            },
          },
        },
        ...reponsesErreur(400, 401, 429),
      },
    },
    post: {
      operationId: 'creerConvention',
      summary: 'Crée une convention (montants en centimes, entiers)',
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ConventionEntree' } } } },
      responses: { '201': { description: 'Créée', content: { 'application/json': { schema: conventionRef } } }, ...reponsesErreur(400, 401, 403, 413, 415) },
    },
  },
  '/conventions/{id}': {
    get: { operationId: 'lireConvention', summary: 'Lit une convention', parameters: [idParam], responses: { '200': { description: 'La convention', content: { 'application/json': { schema: conventionRef } } }, ...reponsesErreur(401, 404) } },
    put: {
      operationId: 'modifierConvention',
      summary: 'Remplace une convention ; `version` doit être la version lue (sinon 409 VERSION_OBSOLETE)',
      parameters: [idParam],
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ConventionModification' } } } },
      responses: { '200': { description: 'Modifiée', content: { 'application/json': { schema: conventionRef } } }, ...reponsesErreur(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  '/conventions/{id}/journal': {
    get: { operationId: 'journalConvention', summary: 'Journal des modifications (qui, quand, avant, après)', parameters: [idParam], responses: { '200': { description: 'Lignes du journal, les plus récentes d’abord' }, ...reponsesErreur(401, 404) } },
  },
};

const schemas: Json = {
  Erreur: erreur,
  ConventionEntree: jsonSchema(conventionEntreeApi),
  ConventionModification: jsonSchema(conventionModificationApi),
  Convention: {
    allOf: [
      { $ref: '#/components/schemas/ConventionEntree' },
      {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          version: { type: 'integer' },
          statut_effectif: { type: 'string' },
          fin_effective: { type: ['string', 'null'], format: 'date' },
          avertissements: { type: 'array', items: { type: 'string' } },
        },
      },
    ],
  },
};

export function ajouterChemins(more: Json, moreSchemas: Json = {}): void {
  Object.assign(paths, more);
  Object.assign(schemas, moreSchemas);
}

export function openapiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Délégations — API',
      version: '1.0.0',
      description:
        'API des conventions de délégation de gestion. Montants en centimes d’euro (entiers). Erreurs : {"code", "message", "details"} avec des codes stables.',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'jeton d’API créé par un administrateur' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
