import { Hono } from 'hono';
import { z } from 'zod';
import type { Contexte } from '../../usecases/contexte.js';
import {
  creerPromotion,
  declarerEnveloppe,
  deposerPreuveEnveloppe,
  lireEnveloppe,
  listerPromotionsFast,
  type VueEnveloppe,
  type VuePromotion,
} from '../../usecases/promotion.js';
import { apiError } from '../errors.js';
import type { Env } from '../auth.js';
import { lireCorps } from './convention-cycle.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep, uuidParam } from './openapi.js';
import { centimes, dateIso, invalide, lireJson, valider } from './validation.js';

/** FAST promotions and the matching envelopes of their laureates. */

const date = dateIso.nullable().optional().default(null);
export const promotionEntreeApi = z
  .object({
    numero: z.number().int().min(1).max(999),
    appel_ouverture: date,
    appel_cloture: date,
    comite_selection: date,
    lancement: date.describe('lancement (kick-off) de l’accélération'),
    mi_parcours: date.describe('bilan de mi-parcours, qui peut libérer la seconde tranche'),
    demo_day: date,
    plafond_laureat_centimes: centimes.nullable().optional().default(null),
  })
  .strict();
export const enveloppeEntreeApi = z
  .object({
    montant_centimes: centimes
      .nullable()
      .optional()
      .default(null)
      .describe('montant de l’enveloppe (pôle budget DINUM) ; absent : inchangé'),
    engage_centimes: centimes.describe('ce que le partenaire déclare engagé'),
    preuve_url: z
      .string()
      .trim()
      .max(1000)
      .regex(/^https?:\/\/\S+$/i, 'La preuve est un lien (http ou https).')
      .nullable()
      .optional()
      .default(null),
  })
  .strict();

const videEntreeApi = z.object({}).strict();

/** The evidence file's address in the API. */
const lienPreuve = (conventionId: string, pieceId: string | null) =>
  pieceId ? `/api/v1/conventions/${conventionId}/pieces/${pieceId}` : null;

const enveloppeVersApi = (conventionId: string, v: VueEnveloppe) => ({
  montant_centimes: v.enveloppe?.montantCentimes ?? null,
  engage_centimes: v.enveloppe?.engageCentimes ?? null,
  preuve_url: v.enveloppe?.preuveUrl ?? null,
  preuve_fichier: lienPreuve(conventionId, v.enveloppe?.preuvePieceId ?? null),
  echeance: v.echeance,
  alerte: v.alerte,
  declare_par: v.enveloppe?.declarePar ?? null,
  declare_le: v.enveloppe?.declareLe ?? null,
});

const versApi = (p: VuePromotion) => ({
  numero: p.numero,
  appel_ouverture: p.appelOuverture,
  appel_cloture: p.appelCloture,
  comite_selection: p.comiteSelection,
  lancement: p.lancement,
  mi_parcours: p.miParcours,
  demo_day: p.demoDay,
  plafond_laureat_centimes: p.plafondLaureatCentimes,
  laureats: p.laureats.map((l) => ({
    convention_id: l.conventionId,
    reference: l.reference,
    produit: l.produit,
    partenaire: l.partenaire,
    date_signature: l.dateSignature,
    cofinancement_centimes: l.cofinancementCentimes,
    engage_ae_centimes: l.engageAeCentimes,
    paye_cp_centimes: l.payeCpCentimes,
    tranches_liberees: l.tranchesLiberees,
    tranche_mi_parcours: l.trancheMiParcours && {
      rang: l.trancheMiParcours.rang,
      part_pct: l.trancheMiParcours.partPct,
      ae_centimes: l.trancheMiParcours.aeCentimes,
    },
    revue_mi_parcours: l.revue,
    enveloppe: l.enveloppe && {
      montant_centimes: l.enveloppe.montantCentimes,
      engage_centimes: l.enveloppe.engageCentimes,
      preuve_url: l.enveloppe.preuveUrl,
      preuve_fichier: lienPreuve(l.conventionId, l.enveloppe.preuvePieceId),
      echeance: l.enveloppe.echeance,
      alerte: l.enveloppe.alerte,
      declare_par: l.enveloppe.declarePar,
      declare_le: l.enveloppe.declareLe,
    },
  })),
});

export function promotionApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/fast/promotions', async (c) =>
    c.json({ items: (await listerPromotionsFast(ctx, c.var.acteur)).map(versApi) }),
  );

  app.post('/fast/promotions', async (c) => {
    const p = valider(promotionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    await creerPromotion(ctx, c.var.acteur, {
      numero: d.numero,
      appelOuverture: d.appel_ouverture,
      appelCloture: d.appel_cloture,
      comiteSelection: d.comite_selection,
      lancement: d.lancement,
      miParcours: d.mi_parcours,
      demoDay: d.demo_day,
      plafondLaureatCentimes: d.plafond_laureat_centimes,
    });
    const items = await listerPromotionsFast(ctx, c.var.acteur);
    return c.json(versApi(items.find((x) => x.numero === d.numero)!), 201);
  });

  app.get('/conventions/:id/enveloppe', async (c) => {
    const id = c.req.param('id');
    const v = await lireEnveloppe(ctx, c.var.acteur, id);
    if (!v) return apiError(c, 'INTROUVABLE', 'Cette convention n’a pas d’enveloppe de cofinancement.');
    return c.json(enveloppeVersApi(id, v));
  });

  app.post('/conventions/:id/enveloppe/preuve', async (c) => {
    const { champs, piece } = await lireCorps(c);
    const p = valider(videEntreeApi, champs);
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await deposerPreuveEnveloppe(ctx, c.var.acteur, id, piece);
    const v = await lireEnveloppe(ctx, c.var.acteur, id);
    return c.json(v ? enveloppeVersApi(id, v) : null, 201);
  });

  app.post('/conventions/:id/enveloppe', async (c) => {
    const p = valider(enveloppeEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await declarerEnveloppe(ctx, c.var.acteur, c.req.param('id'), {
      montantCentimes: p.data.montant_centimes,
      engageCentimes: p.data.engage_centimes,
      preuveUrl: p.data.preuve_url,
    });
    return c.body(null, 204);
  });

  return app;
}

ajouterChemins(
  {
    '/fast/promotions': {
      get: {
        operationId: 'listerPromotions',
        summary:
          'Promotions FAST : calendrier, plafond par lauréat, lauréats (produit, convention, cofinancement engagé et payé, tranches libérées, bilan de mi-parcours, enveloppe du partenaire et son échéance)',
        responses: { '200': rep('Promotions', 'Promotions'), ...reponsesErreur(401, 403) },
      },
      post: {
        operationId: 'creerPromotion',
        summary: 'Enregistre une promotion FAST et son calendrier (pôle budget DINUM)',
        requestBody: corps('PromotionEntree'),
        responses: { '201': rep('Promotion', 'Promotion'), ...reponsesErreur(400, 401, 403, 409) },
      },
    },
    '/conventions/{id}/enveloppe': {
      get: {
        operationId: 'lireEnveloppe',
        summary:
          'Enveloppe de cofinancement d’un lauréat FAST : montant, engagé déclaré, preuve, échéance (six mois après la signature), alerte ; 404 pour une convention sans enveloppe',
        parameters: [uuidParam('id')],
        responses: { '200': rep('Enveloppe', 'Enveloppe'), ...reponsesErreur(401, 404) },
      },
      post: {
        operationId: 'declarerEnveloppe',
        summary:
          'Enveloppe de cofinancement du partenaire (à engager dans les six mois de la signature) : montant (pôle budget DINUM), engagé déclaré avec sa preuve (partenaire délégataire)',
        parameters: [uuidParam('id')],
        requestBody: corps('EnveloppeEntree'),
        responses: { '204': rep('Enregistrée'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/enveloppe/preuve': {
      post: {
        operationId: 'deposerPreuveEnveloppe',
        summary:
          'Joint la preuve de l’engagé déclaré en fichier (PDF, Word, OpenDocument, tableur, PNG ou JPEG, 10 Mo au plus), qui reste inchangé ; partenaire délégataire ou pôle budget DINUM',
        parameters: [uuidParam('id')],
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
        responses: { '201': rep('Enveloppe', 'Enveloppe'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
  },
  {
    PromotionEntree: jsonSchema(promotionEntreeApi),
    EnveloppeEntree: jsonSchema(enveloppeEntreeApi),
    Enveloppe: {
      type: 'object',
      required: ['montant_centimes', 'engage_centimes', 'preuve_url', 'preuve_fichier', 'echeance', 'alerte'],
      properties: {
        montant_centimes: { type: ['integer', 'null'], description: 'AE, TTC ; null tant qu’il n’est pas fixé' },
        engage_centimes: { type: ['integer', 'null'], description: 'ce que le partenaire déclare engagé' },
        preuve_url: { type: ['string', 'null'] },
        preuve_fichier: { type: ['string', 'null'], description: 'lien vers la preuve jointe en fichier' },
        echeance: { type: ['string', 'null'], format: 'date' },
        alerte: { type: ['string', 'null'] },
        declare_par: { type: ['string', 'null'] },
        declare_le: { type: ['string', 'null'], format: 'date-time' },
      },
    },
    Promotion: {
      type: 'object',
      properties: {
        numero: { type: 'integer' },
        mi_parcours: { type: ['string', 'null'], format: 'date' },
        laureats: { type: 'array', items: { type: 'object' } },
      },
    },
    Promotions: {
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Promotion' } } },
    },
  },
);
