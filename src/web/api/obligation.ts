import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_ECHEANCES, LIBELLES_ETATS_OBLIGATION } from '../../domain/obligation.js';
import type { Contexte } from '../../usecases/contexte.js';
import { deposerPreuve, lireObligations, modifierObligations, type VueObligations } from '../../usecases/obligation.js';
import { apiError } from '../errors.js';
import { lireCorps } from './convention-cycle.js';
import type { Env } from '../auth.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep, uuidParam } from './openapi.js';
import { dateIso, invalide, lireJson, texte, valider } from './validation.js';

/** The obligations of each party of a convention, with their evidence and state of the day. */

const videEntreeApi = z.object({}).strict();

const lien = z
  .string()
  .trim()
  .max(1000)
  .regex(/^https?:\/\/\S+$/i, 'La preuve est un lien (http ou https).')
  .nullable()
  .optional()
  .default(null);
const obligationEntree = z
  .object({
    id: z
      .number()
      .int()
      .positive()
      .safe()
      .nullable()
      .optional()
      .default(null)
      .describe('absent : une obligation libre ajoutée'),
    partie: z.enum(['delegant', 'delegataire']),
    libelle: z.string().trim().min(1, 'Indiquez l’obligation.').max(1000),
    echeance: z.enum(['signature', 'mensuelle', 'semestrielle', 'terme', 'avant_date']),
    date_limite: dateIso.nullable().optional().default(null),
    mesure: z
      .object({ valeur: z.number().finite().min(0).max(1000), unite: z.string().trim().min(1).max(50) })
      .strict()
      .nullable()
      .optional()
      .default(null)
      .describe('engagement mesuré, ex. 1 jour par semaine de développeur'),
    etat: z.enum(['a_faire', 'faite', 'levee']),
    preuve_url: lien.describe(
      'la preuve : fiche produit, page de statistiques, dépôt de code, demande d’habilitation, rapport',
    ),
    motif_levee: texte(2000),
  })
  .strict();
export const obligationsEntreeApi = z.object({ items: z.array(obligationEntree).min(1).max(100) }).strict();

const versApi = (v: VueObligations) => ({
  parties_completees: v.parties,
  items: v.items.map((o) => ({
    id: o.id,
    partie: o.partie,
    code: o.code,
    libelle: o.libelle,
    echeance: o.echeance,
    libelle_echeance: LIBELLES_ECHEANCES[o.echeance],
    date_limite: o.dateLimite,
    mesure: o.mesure,
    etat: o.etat,
    etat_du_jour: o.etatDuJour,
    libelle_etat: LIBELLES_ETATS_OBLIGATION[o.etatDuJour],
    echeance_du_jour: o.echeanceDuJour,
    preuve_url: o.preuveUrl,
    preuve_fichier: o.preuvePieceId ? `/api/v1/conventions/${o.conventionId}/pieces/${o.preuvePieceId}` : null,
    motif_levee: o.motifLevee,
    faite_le: o.faiteLe,
    modifie_par: o.modifiePar,
  })),
});

export function obligationApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/obligations', async (c) =>
    c.json(versApi(await lireObligations(ctx, c.var.acteur, c.req.param('id')))),
  );

  app.put('/conventions/:id/obligations', async (c) => {
    const p = valider(obligationsEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await modifierObligations(
      ctx,
      c.var.acteur,
      id,
      p.data.items.map((o) => ({
        id: o.id,
        partie: o.partie,
        libelle: o.libelle,
        echeance: o.echeance,
        dateLimite: o.date_limite,
        mesure: o.mesure,
        etat: o.etat,
        preuveUrl: o.preuve_url,
        motifLevee: o.motif_levee,
      })),
    );
    return c.json(versApi(await lireObligations(ctx, c.var.acteur, id)));
  });

  app.post('/conventions/:id/obligations/:oid/preuve', async (c) => {
    const oid = Number(c.req.param('oid'));
    if (!Number.isSafeInteger(oid)) return apiError(c, 'INTROUVABLE', 'Obligation introuvable.');
    const { champs, piece } = await lireCorps(c);
    const p = valider(videEntreeApi, champs);
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await deposerPreuve(ctx, c.var.acteur, id, oid, piece);
    return c.json(versApi(await lireObligations(ctx, c.var.acteur, id)), 201);
  });

  return app;
}

ajouterChemins(
  {
    '/conventions/{id}/obligations': {
      get: {
        operationId: 'listerObligations',
        summary:
          'Obligations de chaque partie (catalogue de la famille de la convention et obligations libres) : échéance, preuve, état du jour (à faire, faite, en retard, levée)',
        parameters: [uuidParam('id')],
        responses: { '200': rep('Obligations', 'Obligations'), ...reponsesErreur(401, 404) },
      },
      put: {
        operationId: 'modifierObligations',
        summary:
          'Complète des obligations (preuve, état) et en ajoute de libres (sans id) ; un partenaire ne complète que celles de sa partie, sans les lever ; tout ou rien',
        parameters: [uuidParam('id')],
        requestBody: corps('ObligationsEntree'),
        responses: { '200': rep('Obligations', 'Obligations'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/obligations/{oid}/preuve': {
      post: {
        operationId: 'deposerPreuveObligation',
        summary:
          'Joint la preuve d’une obligation en fichier (PDF, Word, OpenDocument, tableur, PNG ou JPEG, 10 Mo au plus) et la marque faite ; un partenaire pour celles de sa partie',
        parameters: [uuidParam('id'), { name: 'oid', in: 'path', required: true, schema: { type: 'integer' } }],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['fichier'],
                properties: { fichier: { type: 'string', format: 'binary', description: 'la preuve' } },
              },
            },
          },
        },
        responses: { '201': rep('Obligations', 'Obligations'), ...reponsesErreur(400, 401, 403, 404) },
      },
    },
  },
  {
    ObligationsEntree: jsonSchema(obligationsEntreeApi),
    Obligations: {
      type: 'object',
      properties: {
        parties_completees: {},
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              partie: { enum: ['delegant', 'delegataire'] },
              code: { type: ['string', 'null'] },
              libelle: { type: 'string' },
              echeance: { enum: ['signature', 'mensuelle', 'semestrielle', 'terme', 'avant_date'] },
              etat: { enum: ['a_faire', 'faite', 'levee'] },
              etat_du_jour: { enum: ['due', 'faite', 'en_retard', 'levee'] },
              echeance_du_jour: { type: ['string', 'null'], format: 'date' },
              preuve_url: { type: ['string', 'null'] },
              preuve_fichier: { type: ['string', 'null'], description: 'lien vers la preuve jointe en fichier' },
            },
          },
        },
      },
    },
  },
);
