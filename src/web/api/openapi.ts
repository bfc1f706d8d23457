import { z } from 'zod';

/**
 * The OpenAPI document of /api/v1. Request schemas come from the same zod schemas that validate requests,
 * so the document cannot drift from what the server accepts. Each aggregate's API file adds its paths and
 * schemas through `ajouterChemins`, next to the routes they describe.
 */
export type Json = Record<string, unknown>;

const erreur: Json = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: {
    code: { type: 'string', description: 'code stable, ex. DONNEES_INVALIDES, INTROUVABLE, PLAFOND_AE_DEPASSE' },
    message: { type: 'string', description: 'message en français' },
    details: { type: 'object' },
  },
};

export const reponsesErreur = (...codes: number[]): Json =>
  Object.fromEntries(
    codes.map((s) => [
      String(s),
      {
        description: DESCRIPTIONS[s] ?? 'Erreur',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Erreur' } } },
      },
    ]),
  );

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

export const jsonSchema = (s: z.ZodType): Json => {
  const j = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete j.$schema;
  return j;
};
export const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` });
export const corps = (n: string) => ({ required: true, content: { 'application/json': { schema: ref(n) } } });
export const rep = (description: string, n?: string) => ({
  description,
  ...(n ? { content: { 'application/json': { schema: ref(n) } } } : {}),
});
export const uuidParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
});

const paths: Json = {};
const schemas: Json = { Erreur: erreur };

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
        'API des conventions de délégation de gestion. Montants en centimes d’euro (entiers). Chaque montant saisi est compris entre 0 et 10 000 000 000 000 centimes (100 000 000 000 €) : toute somme renvoyée (échéancier, crédits, portefeuille) reste un entier exact, bien en deçà de 2^53 ; une somme enregistrée qui ne le serait plus est refusée (code MONTANT_HORS_LIMITES), jamais arrondie. Erreurs : {"code", "message", "details"} avec des codes stables.',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'jeton d’API créé par un administrateur' },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
