import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_STATUT_PROPOSITION, type Proposition, type PropositionSaisie } from '../../domain/proposition.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  listerPropositionsConvention,
  proposerEngagement,
  refuserProposition,
  validerProposition,
} from '../../usecases/proposition.js';
import type { Env } from '../auth.js';
import { engagementEntreeApi, engagementVersApi, idParam, refusPlafond } from './engagement.js';
import { ajouterChemins, corps, jsonSchema, ref, reponsesErreur, rep, uuidParam } from './openapi.js';
import { derogation, invalide, lireJson, motif, texte, valider } from './validation.js';

/** The proposals API: an order a product team asks for, which commits no AE until the authorising officer validates it. */

export const propositionEntreeApi = engagementEntreeApi
  .omit({ numero: true, date_engagement: true, derogation: true })
  .extend({
    justification: texte(2000).describe('pourquoi l’équipe en a besoin : ce que lit l’ordonnateur avant de valider'),
  })
  .strict();
export const validationPropositionEntreeApi = z
  .object({ derogation: derogation.describe('administrateur seulement : dérogation au calendrier de fin de gestion') })
  .strict();
export const refusPropositionEntreeApi = z.object({ motif }).strict();
export function propositionDepuisApi(d: z.output<typeof propositionEntreeApi>): PropositionSaisie {
  return {
    annee: d.annee,
    titulaire: d.titulaire,
    marche: d.marche,
    devis: d.devis,
    objet: d.objet,
    produit: d.produit,
    montantCentimes: d.montant_centimes,
    baseMontant: d.base_montant ?? null,
    dateFinPrestation: d.date_fin_prestation ?? null,
    justification: d.justification,
  };
}

function propositionVersApi(p: Proposition) {
  return {
    id: p.id,
    convention_id: p.conventionId,
    annee: p.annee,
    titulaire: p.titulaire,
    marche: p.marche,
    devis: p.devis,
    objet: p.objet,
    produit: p.produit,
    montant_centimes: p.montantCentimes,
    base_montant: p.baseMontant,
    date_fin_prestation: p.dateFinPrestation,
    justification: p.justification,
    statut: p.statut,
    statut_libelle: LIBELLES_STATUT_PROPOSITION[p.statut],
    propose_par: p.proposeParNom,
    propose_le: p.proposeLe,
    decide_par: p.decideParNom,
    decide_le: p.decideLe,
    motif_refus: p.motifRefus,
    engagement_id: p.engagementId,
  };
}

export function propositionApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/propositions', async (c) =>
    c.json({
      items: (await listerPropositionsConvention(ctx, c.var.acteur, c.req.param('id'))).map(propositionVersApi),
    }),
  );

  app.post('/conventions/:id/propositions', async (c) => {
    const p = valider(propositionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const r = await proposerEngagement(ctx, c.var.acteur, c.req.param('id'), propositionDepuisApi(d));
    c.header('Location', `/api/v1/conventions/${r.conventionId}/propositions`);
    return c.json(propositionVersApi(r), 201);
  });

  app.post('/conventions/:id/propositions/:pid/validation', async (c) => {
    const p = valider(validationPropositionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await validerProposition(
      ctx,
      c.var.acteur,
      c.req.param('id'),
      c.req.param('pid'),
      p.data.derogation ?? null,
    );
    c.header('Location', `/api/v1/conventions/${r.valeur.conventionId}/engagements/${r.valeur.id}`);
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.post('/conventions/:id/propositions/:pid/refus', async (c) => {
    const p = valider(refusPropositionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await refuserProposition(ctx, c.var.acteur, c.req.param('id'), c.req.param('pid'), p.data.motif);
    return c.body(null, 204);
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const pidParam = uuidParam('pid');

ajouterChemins(
  {
    '/conventions/{id}/propositions': {
      get: {
        operationId: 'listerPropositions',
        summary: 'Bons de commande proposés par les équipes produit, ceux à valider en premier',
        parameters: [idParam],
        responses: { '200': { description: 'Les propositions' }, ...reponsesErreur(401, 404) },
      },
      post: {
        operationId: 'proposerEngagement',
        summary: 'Propose un bon de commande à l’ordonnateur (équipe produit) : n’engage aucune AE avant validation',
        parameters: [idParam],
        requestBody: corps('PropositionEntree'),
        responses: {
          '201': { description: 'Proposition enregistrée, à valider' },
          ...reponsesErreur(400, 401, 403, 404, 415),
          '409': refusPlafond,
        },
      },
    },
    '/conventions/{id}/propositions/{pid}/validation': {
      post: {
        operationId: 'validerProposition',
        summary:
          'Valide une proposition : le bon de commande est enregistré ce jour, avec toutes les règles d’un engagement',
        parameters: [idParam, pidParam],
        requestBody: corps('ValidationPropositionEntree'),
        responses: {
          '201': rep('Engagement enregistré', 'Engagement'),
          ...reponsesErreur(400, 401, 403, 404),
          '409': refusPlafond,
        },
      },
    },
    '/conventions/{id}/propositions/{pid}/refus': {
      post: {
        operationId: 'refuserProposition',
        summary: 'Refuse une proposition, avec son motif pour l’équipe',
        parameters: [idParam, pidParam],
        requestBody: corps('RefusPropositionEntree'),
        responses: {
          '204': { description: 'Proposition refusée' },
          ...reponsesErreur(400, 401, 403, 404),
          '409': {
            description: 'PROPOSITION_DEJA_TRAITEE',
            content: { 'application/json': { schema: ref('Erreur') } },
          },
        },
      },
    },
  },
  {
    PropositionEntree: jsonSchema(propositionEntreeApi),
    ValidationPropositionEntree: jsonSchema(validationPropositionEntreeApi),
    RefusPropositionEntree: jsonSchema(refusPropositionEntreeApi),
  },
);
