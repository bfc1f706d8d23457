import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_ETAPES } from '../../domain/insuffisance.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  informerDelegant,
  lireDelai,
  listerInsuffisancesConvention,
  listerInsuffisancesEnCoursPerimetre,
  modifierDelai,
  repondreInsuffisance,
  type VueInsuffisance,
} from '../../usecases/insuffisance.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep, uuidParam } from './openapi.js';
import { annee, centimes, dateIso, invalide, lireJson, motif, texte, valider } from './validation.js';

/** The insufficiency procedure of Article 5: a convention's cases, the information of the délégant, its answer. */

export const informationEntreeApi = z
  .object({
    date: dateIso.describe('date à laquelle le délégant a été informé'),
    moyen: z.string().trim().min(1, 'Indiquez comment le délégant a été informé.').max(300),
    justification: texte(4000).describe('justification du besoin, que certaines conventions demandent'),
  })
  .strict();
export const reponseEntreeApi = z
  .object({
    date: dateIso,
    decision: z.enum(['ajustement', 'refus']),
    motif,
    ajustement: z
      .object({ annee, ae_centimes: centimes, cp_centimes: centimes })
      .strict()
      .optional()
      .describe('avec « ajustement » : la nouvelle mise à disposition de l’année, consignée comme décision datée'),
  })
  .strict();

const casVersApi = (c: VueInsuffisance) => ({
  id: c.id,
  nature: c.nature,
  annee: c.annee,
  etape: c.etape,
  libelle_etape: LIBELLES_ETAPES[c.etape],
  ouvert_le: c.ouvertLe,
  ouvert_par: c.ouvertPar,
  nb_refus: c.nbRefus,
  details: c.details,
  information: c.information && {
    date: c.information.date,
    moyen: c.information.moyen,
    justification: c.information.justification,
    par: c.information.auteur,
    le: c.information.le,
  },
  reponse: c.reponse && {
    date: c.reponse.date,
    decision: c.reponse.decision,
    motif: c.reponse.motif,
    par: c.reponse.auteur,
    le: c.reponse.le,
  },
  suspension_proposee: c.suspensionProposee,
});

export const delaiEntreeApi = z
  .object({
    delai_jours: z.number().int().min(7).max(365).describe('jours sans ajustement avant la proposition de suspension'),
    motif: texte(2000),
  })
  .strict();

export function insuffisanceApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/insuffisances', async (c) =>
    c.json({ items: (await listerInsuffisancesConvention(ctx, c.var.acteur, c.req.param('id'))).map(casVersApi) }),
  );

  app.post('/conventions/:id/insuffisances/:cas/information', async (c) => {
    const cas = Number(c.req.param('cas'));
    if (!Number.isSafeInteger(cas)) return apiError(c, 'INTROUVABLE', 'Cas introuvable.');
    const p = valider(informationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await informerDelegant(ctx, c.var.acteur, id, cas, p.data);
    const items = await listerInsuffisancesConvention(ctx, c.var.acteur, id);
    return c.json(casVersApi(items.find((x) => x.id === cas)!), 201);
  });

  app.post('/conventions/:id/insuffisances/:cas/reponse', async (c) => {
    const cas = Number(c.req.param('cas'));
    if (!Number.isSafeInteger(cas)) return apiError(c, 'INTROUVABLE', 'Cas introuvable.');
    const p = valider(reponseEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const a = p.data.ajustement;
    await repondreInsuffisance(ctx, c.var.acteur, id, cas, {
      date: p.data.date,
      decision: p.data.decision,
      motif: p.data.motif,
      ajustement: a ? { annee: a.annee, aeCentimes: a.ae_centimes, cpCentimes: a.cp_centimes } : null,
    });
    const items = await listerInsuffisancesConvention(ctx, c.var.acteur, id);
    return c.json(casVersApi(items.find((x) => x.id === cas)!), 201);
  });

  app.get('/insuffisances', async (c) =>
    c.json({
      items: (await listerInsuffisancesEnCoursPerimetre(ctx, c.var.acteur)).map((x) => ({
        ...casVersApi(x),
        convention_id: x.conventionId,
        libelle: x.libelle,
      })),
    }),
  );

  app.get('/parametres/insuffisance', async (c) => c.json({ delai_jours: await lireDelai(ctx) }));

  app.put('/parametres/insuffisance', async (c) => {
    const p = valider(delaiEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return c.json({ delai_jours: await modifierDelai(ctx, c.var.acteur, p.data.delai_jours, p.data.motif) });
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const casParam = { name: 'cas', in: 'path', required: true, schema: { type: 'integer' } };

ajouterChemins(
  {
    '/conventions/{id}/insuffisances': {
      get: {
        operationId: 'listerInsuffisances',
        summary:
          'Cas d’insuffisance de crédits (article 5) : ouverts par un refus faute de crédits, ou à la fin de la convention s’il reste des crédits (ouvert à la lecture) ; étape, information du délégant, réponse, proposition de suspension',
        parameters: [uuidParam('id')],
        responses: { '200': rep('Cas', 'Insuffisances'), ...reponsesErreur(401, 404) },
      },
    },
    '/conventions/{id}/insuffisances/{cas}/information': {
      post: {
        operationId: 'informerDelegant',
        summary: 'Le délégataire (ordonnateur) consigne l’information du délégant : date, moyen, justification',
        parameters: [uuidParam('id'), casParam],
        requestBody: corps('InformationEntree'),
        responses: { '201': rep('Cas', 'Insuffisance'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/insuffisances/{cas}/reponse': {
      post: {
        operationId: 'repondreInsuffisance',
        summary:
          'Réponse du délégant : ajustement de la dotation (décision de mise à disposition datée, administrateur) ou refus',
        parameters: [uuidParam('id'), casParam],
        requestBody: corps('ReponseEntree'),
        responses: { '201': rep('Cas', 'Insuffisance'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/insuffisances': {
      get: {
        operationId: 'listerInsuffisancesEnCours',
        summary:
          'Cas d’insuffisance à traiter (sans réponse, ou ajustement refusé) sur les conventions visibles, avec la proposition de suspension une fois le délai passé',
        responses: { '200': rep('Cas', 'Insuffisances'), ...reponsesErreur(401, 403) },
      },
    },
    '/parametres/insuffisance': {
      get: {
        operationId: 'lireDelaiInsuffisance',
        summary: 'Délai (jours) sans ajustement après lequel la suspension de la convention est proposée',
        responses: { '200': rep('Délai', 'DelaiInsuffisance') },
      },
      put: {
        operationId: 'modifierDelaiInsuffisance',
        summary: 'Administrateur : modifie ce délai (journalisé avec son motif)',
        requestBody: corps('DelaiInsuffisanceEntree'),
        responses: { '200': rep('Délai', 'DelaiInsuffisance'), ...reponsesErreur(400, 401, 403, 415) },
      },
    },
  },
  {
    DelaiInsuffisanceEntree: jsonSchema(delaiEntreeApi),
    DelaiInsuffisance: {
      type: 'object',
      required: ['delai_jours'],
      properties: { delai_jours: { type: 'integer' } },
    },
    InformationEntree: jsonSchema(informationEntreeApi),
    ReponseEntree: jsonSchema(reponseEntreeApi),
    Insuffisance: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        nature: { enum: ['credits', 'inutilises'] },
        annee: { type: ['integer', 'null'] },
        etape: { enum: ['a_informer', 'informe', 'ajuste', 'refuse'] },
        ouvert_le: { type: 'string', format: 'date-time' },
        nb_refus: { type: 'integer' },
        details: { type: 'object' },
        information: { type: ['object', 'null'] },
        reponse: { type: ['object', 'null'] },
        suspension_proposee: { type: 'boolean' },
      },
    },
    Insuffisances: {
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Insuffisance' } } },
    },
  },
);
