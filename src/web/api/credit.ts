import { Hono } from 'hono';
import { z } from 'zod';
import type { Contexte } from '../../usecases/contexte.js';
import { suspendreConvention } from '../../usecases/convention-cycle.js';
import { lireCredits, type VueCredits } from '../../usecases/credit.js';
import {
  deciderDisponibilite,
  libererTranche,
  reporterCredits,
  restituerCredits,
} from '../../usecases/credit-decision.js';
import type { Env } from '../auth.js';
import { formulaire } from '../messages.js';
import { idParam } from './engagement.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep } from './openapi.js';
import { annee, centimes, dateIso, invalide, lireJson, motif, texte, valider } from './validation.js';

/** A convention's credits by year and the decisions on them: tranche release, availability, carry-over, return, suspension. */

export const liberationEntreeApi = formulaire(
  'liberation',
  z.object({ date: dateIso, motif, decideur: texte(300) }).strict(),
);
export const disponibiliteEntreeApi = formulaire(
  'disponibilite',
  z.object({ annee, ae_centimes: centimes, cp_centimes: centimes, date: dateIso, motif }).strict(),
);
export const mouvementCreditsEntreeApi = formulaire(
  'mouvement',
  z
    .object({
      annee,
      ae_centimes: centimes,
      cp_centimes: centimes,
      motif,
      date: dateIso
        .optional()
        .describe('date d’effet, entre la signature et la fin de la convention ; par défaut aujourd’hui'),
    })
    .strict(),
);
export const suspensionEntreeApi = z.object({ motif }).strict();
function creditsVersApi(v: VueCredits) {
  return {
    convention_id: v.convention.id,
    aujourd_hui: v.aujourdHui,
    annees: v.annees.map((l) => {
      const t = l.totaux;
      return {
        annee: l.annee,
        ouverture: l.ouverture,
        nb_engagements: t.nbEngagements,
        ae: {
          prevu_centimes: l.prevuAe,
          base_centimes: t.baseAe,
          reporte_entrant_centimes: t.reporteEntrantAe,
          reporte_sortant_centimes: t.reporteSortantAe,
          restitue_centimes: t.restitueAe,
          ouvert_centimes: t.ouvertAe,
          engage_centimes: t.engageAe,
          libere_centimes: t.libereAe,
          certifie_centimes: t.certifie,
          paye_centimes: t.payeCp,
          disponible_centimes: l.disponibleAe,
        },
        cp: {
          prevu_centimes: l.prevuCp,
          base_centimes: t.baseCp,
          reporte_entrant_centimes: t.reporteEntrantCp,
          reporte_sortant_centimes: t.reporteSortantCp,
          restitue_centimes: t.restitueCp,
          ouvert_centimes: t.ouvertCp,
          engage_centimes: t.engageAe,
          certifie_centimes: t.certifie,
          paye_centimes: t.payeCp,
          disponible_centimes: l.disponibleCp,
        },
        projection: l.projection
          ? {
              ae_projete_centimes: l.projection.aeProjete,
              cp_projete_centimes: l.projection.cpProjete,
              ae_inutilise_centimes: l.projection.aeInutilise,
              cp_inutilise_centimes: l.projection.cpInutilise,
              significative: l.projection.significative,
            }
          : null,
      };
    }),
    alertes: v.alertes.map((a) => ({ type: a.type, niveau: a.niveau, annee: a.annee, message: a.message })),
  };
}

export function creditApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/credits', async (c) =>
    c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, c.req.param('id')))),
  );

  app.post('/conventions/:id/credits/tranches/:rang/liberation', async (c) => {
    const p = valider(liberationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await libererTranche(ctx, c.var.acteur, id, Number(c.req.param('rang')), {
      date: p.data.date,
      motif: p.data.motif,
      decideur: p.data.decideur,
    });
    return c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), 201);
  });

  app.post('/conventions/:id/credits/disponibilites', async (c) => {
    const p = valider(disponibiliteEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await deciderDisponibilite(ctx, c.var.acteur, id, {
      annee: p.data.annee,
      aeCentimes: p.data.ae_centimes,
      cpCentimes: p.data.cp_centimes,
      date: p.data.date,
      motif: p.data.motif,
    });
    return c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), 201);
  });

  app.post('/conventions/:id/credits/reports', async (c) => {
    const p = valider(mouvementCreditsEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const avertissements = await reporterCredits(ctx, c.var.acteur, id, {
      annee: p.data.annee,
      aeCentimes: p.data.ae_centimes,
      cpCentimes: p.data.cp_centimes,
      motif: p.data.motif,
      date: p.data.date,
    });
    return c.json({ ...creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), avertissements }, 201);
  });

  app.post('/conventions/:id/credits/restitutions', async (c) => {
    const p = valider(mouvementCreditsEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await restituerCredits(ctx, c.var.acteur, id, {
      annee: p.data.annee,
      aeCentimes: p.data.ae_centimes,
      cpCentimes: p.data.cp_centimes,
      motif: p.data.motif,
      date: p.data.date,
    });
    return c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), 201);
  });

  app.post('/conventions/:id/suspension', async (c) => {
    const p = valider(suspensionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await suspendreConvention(ctx, c.var.acteur, c.req.param('id'), p.data.motif);
    return c.json({ statut: 'suspendue' });
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const montants = { type: 'object', additionalProperties: { type: ['integer', 'null'] } };

ajouterChemins(
  {
    '/conventions/{id}/credits': {
      get: {
        operationId: 'lireCredits',
        summary:
          'AE et CP par année : prévus, ouverts, engagés, certifiés, payés, disponibles, projection de fin d’année et alertes',
        parameters: [idParam],
        responses: { '200': rep('Crédits de la convention', 'Credits'), ...reponsesErreur(401, 404) },
      },
    },
    '/conventions/{id}/credits/tranches/{rang}/liberation': {
      post: {
        operationId: 'libererTranche',
        summary: 'Consigne la décision de libérer une tranche (qui, quand, motif)',
        parameters: [idParam, { name: 'rang', in: 'path', required: true, schema: { type: 'integer', minimum: 2 } }],
        requestBody: corps('LiberationEntree'),
        responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/credits/disponibilites': {
      post: {
        operationId: 'deciderDisponibilite',
        summary: 'Administrateur : mise à disposition différente de l’échéancier pour une année (date, motif)',
        parameters: [idParam],
        requestBody: corps('DisponibiliteEntree'),
        responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/credits/reports': {
      post: {
        operationId: 'reporterCredits',
        summary: 'Reporte des crédits inutilisés de l’année N sur N+1',
        parameters: [idParam],
        requestBody: corps('MouvementCreditsEntree'),
        responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/credits/restitutions': {
      post: {
        operationId: 'restituerCredits',
        summary: 'Restitue au délégant des crédits inutilisés',
        parameters: [idParam],
        requestBody: corps('MouvementCreditsEntree'),
        responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/suspension': {
      post: {
        operationId: 'suspendreConvention',
        summary: 'Administrateur : suspend la convention (insuffisance de crédits)',
        parameters: [idParam],
        requestBody: corps('SuspensionEntree'),
        responses: { '200': { description: 'Suspendue' }, ...reponsesErreur(400, 401, 403, 404) },
      },
    },
  },
  {
    LiberationEntree: jsonSchema(liberationEntreeApi),
    DisponibiliteEntree: jsonSchema(disponibiliteEntreeApi),
    MouvementCreditsEntree: jsonSchema(mouvementCreditsEntreeApi),
    SuspensionEntree: jsonSchema(suspensionEntreeApi),
    Credits: {
      type: 'object',
      properties: {
        convention_id: { type: 'string', format: 'uuid' },
        annees: {
          type: 'array',
          items: {
            type: 'object',
            required: ['annee', 'ae', 'cp'],
            properties: {
              annee: { type: 'integer' },
              ae: { ...montants, description: 'prevu, ouvert, engage, libere, certifie, paye, disponible (_centimes)' },
              cp: { ...montants, description: 'prevu, ouvert, engage, certifie, paye, disponible (_centimes)' },
              projection: { type: ['object', 'null'] },
            },
          },
        },
        alertes: { type: 'array', items: { type: 'object' } },
      },
    },
  },
);
