import { Hono } from 'hono';
import { z } from 'zod';
import { DECISIONS_COMITE, LIBELLES_DECISIONS, PHASES_PRODUIT, type ReunionComite } from '../../domain/comite.js';
import { type PlanComite } from '../../domain/comite-plan.js';
import { deciderComite, joindreCompteRendu, lireComites, planComite, preparerComite } from '../../usecases/comite.js';
import type { Contexte } from '../../usecases/contexte.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { lireCorps } from './convention-cycle.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep, uuidParam } from './openapi.js';
import { centimes, dateIso, invalide, lireJson, texte, valider } from './validation.js';

/** Investment committees of a convention: the next one planned and the rule that set it, preparation, decision. */

const nombre = z.number().finite().min(-1e12).max(1e12).nullable().optional().default(null);
const indicateur = z
  .object({
    nom: z.string().trim().min(1, 'Indiquez le nom de l’indicateur.').max(200),
    unite: texte(50),
    valeur: nombre.describe('valeur à la fin de la phase qui s’achève'),
    cible: nombre.describe('objectif à six mois'),
    source: texte(500).describe('lien vers la source (page de statistiques, tableau de bord)'),
  })
  .strict();
export const preparationEntreeApi = z
  .object({
    nature: z.enum(['investissement', 'mi_parcours']).optional().default('investissement'),
    date: dateIso,
    presidence: texte(300).describe('par défaut, celle que la convention prévoit'),
    participants: z.array(z.string().trim().min(1).max(200)).max(50).optional().default([]),
    indicateurs: z.array(indicateur).max(50).optional().default([]),
    demande: z
      .object({
        equipe: z.string().trim().min(1, 'Indiquez l’équipe demandée.').max(2000),
        budget_centimes: centimes.nullable().optional().default(null),
        duree_mois: z.number().int().min(1).max(24).nullable().optional().default(null),
      })
      .strict()
      .nullable()
      .optional()
      .default(null)
      .describe('la demande de l’équipe pour les six mois qui viennent'),
  })
  .strict();
const videEntreeApi = z.object({}).strict();

export const decisionEntreeApi = z
  .object({
    decision: z.enum(DECISIONS_COMITE as [string, ...string[]]),
    motif: z.string().trim().min(1, 'Indiquez ce que le comité a retenu.').max(4000),
    budget_centimes: centimes.nullable().optional().default(null),
    duree_mois: z.number().int().min(1).max(24).nullable().optional().default(null),
    phase: z
      .enum(PHASES_PRODUIT as [string, ...string[]])
      .nullable()
      .optional()
      .default(null),
    tranche: z
      .number()
      .int()
      .min(2)
      .max(20)
      .nullable()
      .optional()
      .default(null)
      .describe('tranche libérée par la décision ; un bilan de mi-parcours « continue » libère la suivante'),
    appelle_avenant: z
      .boolean()
      .optional()
      .default(false)
      .describe(
        'la décision appelle un avenant ; elle l’appelle aussi d’elle-même quand le budget dépasse les AE que la convention prévoit encore, quand la période va au-delà de sa fin, pour une accélération, une pérennisation ou un transfert',
      ),
  })
  .strict();

const planVersApi = (p: PlanComite) => ({ date: p.date, regle: p.regle, explication: p.explication });

const comiteVersApi = (c: ReunionComite) => ({
  compte_rendu: c.compteRenduPieceId ? `/api/v1/conventions/${c.conventionId}/pieces/${c.compteRenduPieceId}` : null,
  id: c.id,
  nature: c.nature,
  date: c.date,
  presidence: c.presidence,
  participants: c.participants,
  indicateurs: c.indicateurs,
  demande: c.demande && {
    equipe: c.demande.equipe,
    budget_centimes: c.demande.budgetCentimes,
    duree_mois: c.demande.dureeMois,
  },
  prepare_par: c.preparePar,
  prepare_le: c.prepareLe,
  decision: c.decision && {
    decision: c.decision.decision,
    libelle: LIBELLES_DECISIONS[c.decision.decision],
    motif: c.decision.motif,
    budget_centimes: c.decision.budgetCentimes,
    duree_mois: c.decision.dureeMois,
    phase: c.decision.phase,
    tranche_liberee: c.decision.trancheLiberee,
    appelle_avenant: c.decision.appelleAvenant,
    par: c.decision.auteur,
    le: c.decision.le,
  },
  avenant_numero: c.avenantNumero,
  avenant: c.avenantNumero !== null ? `/api/v1/conventions/${c.conventionId}/avenants/${c.avenantNumero}` : null,
});

export function comiteApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/comites', async (c) => {
    const v = await lireComites(ctx, c.var.acteur, c.req.param('id'));
    return c.json({
      prochain: planVersApi(v.prochain),
      phase: v.phase,
      credits: v.credits && {
        annee: v.credits.annee,
        disponible_ae_centimes: v.credits.disponibleAeCentimes,
        disponible_cp_centimes: v.credits.disponibleCpCentimes,
      },
      items: v.comites.map(comiteVersApi),
    });
  });

  app.get('/conventions/:id/comites/prochain', async (c) =>
    c.json(planVersApi(await planComite(ctx, c.var.acteur, c.req.param('id')))),
  );

  app.post('/conventions/:id/comites', async (c) => {
    const p = valider(preparationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const d = p.data;
    const cid = await preparerComite(ctx, c.var.acteur, id, {
      nature: d.nature,
      date: d.date,
      presidence: d.presidence,
      participants: d.participants,
      indicateurs: d.indicateurs,
      demande: d.demande && {
        equipe: d.demande.equipe,
        budgetCentimes: d.demande.budget_centimes,
        dureeMois: d.demande.duree_mois,
      },
    });
    const v = await lireComites(ctx, c.var.acteur, id);
    return c.json(comiteVersApi(v.comites.find((x) => x.id === cid)!), 201);
  });

  app.post('/conventions/:id/comites/:cid/decision', async (c) => {
    const cid = Number(c.req.param('cid'));
    if (!Number.isSafeInteger(cid)) return apiError(c, 'INTROUVABLE', 'Comité introuvable.');
    const p = valider(decisionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const d = p.data;
    await deciderComite(ctx, c.var.acteur, id, cid, {
      decision: d.decision as (typeof DECISIONS_COMITE)[number],
      motif: d.motif,
      budgetCentimes: d.budget_centimes,
      dureeMois: d.duree_mois,
      phase: d.phase as (typeof PHASES_PRODUIT)[number] | null,
      tranche: d.tranche,
      appelleAvenant: d.appelle_avenant,
      compteRendu: null,
    });
    const v = await lireComites(ctx, c.var.acteur, id);
    return c.json(comiteVersApi(v.comites.find((x) => x.id === cid)!), 201);
  });

  app.post('/conventions/:id/comites/:cid/compte-rendu', async (c) => {
    const cid = Number(c.req.param('cid'));
    if (!Number.isSafeInteger(cid)) return apiError(c, 'INTROUVABLE', 'Comité introuvable.');
    const { champs, piece } = await lireCorps(c);
    const p = valider(videEntreeApi, champs);
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await joindreCompteRendu(ctx, c.var.acteur, id, cid, piece);
    const v = await lireComites(ctx, c.var.acteur, id);
    return c.json(comiteVersApi(v.comites.find((x) => x.id === cid)!), 201);
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const cidParam = { name: 'cid', in: 'path', required: true, schema: { type: 'integer' } };

ajouterChemins(
  {
    '/conventions/{id}/comites': {
      get: {
        operationId: 'listerComites',
        summary:
          'Comités d’investissement de la convention : le prochain (date et règle qui l’a fixée), la phase du produit, les crédits de l’année restants, l’historique',
        parameters: [uuidParam('id')],
        responses: { '200': rep('Comités', 'Comites'), ...reponsesErreur(401, 404) },
      },
      post: {
        operationId: 'preparerComite',
        summary:
          'L’équipe produit (ou qui peut commander) prépare un comité : date, indicateurs (nom, unité, valeur, cible, source), demande (équipe, budget pour six mois)',
        parameters: [uuidParam('id')],
        requestBody: corps('PreparationComiteEntree'),
        responses: { '201': rep('Comité', 'Comite'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/comites/prochain': {
      get: {
        operationId: 'prochainComite',
        summary:
          'Le prochain comité : au plus tôt de la périodicité (6 mois après le dernier ou la signature), 45 jours avant la fin (au plus tard 30) et 45 jours avant l’épuisement projeté des AE',
        parameters: [uuidParam('id')],
        responses: { '200': rep('Plan', 'PlanComite'), ...reponsesErreur(401, 404) },
      },
    },
    '/conventions/{id}/comites/{cid}/compte-rendu': {
      post: {
        operationId: 'joindreCompteRendu',
        summary:
          'Le pôle budget DINUM joint le compte rendu d’un comité tenu (PDF, Word, OpenDocument, tableur, PNG ou JPEG, 10 Mo au plus), ou remplace le précédent',
        parameters: [uuidParam('id'), cidParam],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['fichier'],
                properties: { fichier: { type: 'string', format: 'binary', description: 'le compte rendu' } },
              },
            },
          },
        },
        responses: { '201': rep('Comité', 'Comite'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/comites/{cid}/decision': {
      post: {
        operationId: 'deciderComite',
        summary:
          'Le pôle budget DINUM consigne la décision du comité ; un bilan de mi-parcours « continue » libère la tranche suivante dans la même transaction ; `appelle_avenant` dit que la décision appelle un avenant (elle l’appelle aussi d’elle-même quand elle va au-delà de la convention)',
        parameters: [uuidParam('id'), cidParam],
        requestBody: corps('DecisionComiteEntree'),
        responses: { '201': rep('Comité', 'Comite'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
  },
  {
    PreparationComiteEntree: jsonSchema(preparationEntreeApi),
    DecisionComiteEntree: jsonSchema(decisionEntreeApi),
    PlanComite: {
      type: 'object',
      required: ['date', 'regle', 'explication'],
      properties: {
        date: { type: ['string', 'null'], format: 'date' },
        regle: { enum: ['periodicite', 'fin', 'epuisement_ae', 'aucune'] },
        explication: { type: 'string' },
      },
    },
    Comite: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        nature: { enum: ['investissement', 'mi_parcours'] },
        date: { type: 'string', format: 'date' },
        presidence: { type: ['string', 'null'] },
        participants: { type: 'array', items: { type: 'string' } },
        indicateurs: { type: 'array', items: { type: 'object' } },
        demande: { type: ['object', 'null'] },
        decision: {
          type: ['object', 'null'],
          properties: {
            decision: { enum: [...DECISIONS_COMITE] },
            libelle: { type: 'string' },
            motif: { type: 'string' },
            budget_centimes: { type: ['integer', 'null'] },
            duree_mois: { type: ['integer', 'null'] },
            phase: { type: ['string', 'null'] },
            tranche_liberee: { type: ['integer', 'null'] },
            appelle_avenant: {
              type: 'boolean',
              description: 'la décision appelle un avenant, à rédiger depuis la page « Gouvernance »',
            },
            par: { type: 'string' },
            le: { type: 'string', format: 'date-time' },
          },
        },
        compte_rendu: { type: ['string', 'null'], description: 'lien vers le compte rendu joint' },
        avenant_numero: {
          type: ['integer', 'null'],
          description: 'le numéro de l’avenant rédigé à partir de la décision (POST …/avenants avec `comite_id`)',
        },
        avenant: { type: ['string', 'null'], description: 'lien vers cet avenant' },
      },
    },
    Comites: {
      type: 'object',
      properties: {
        prochain: { $ref: '#/components/schemas/PlanComite' },
        phase: { type: ['string', 'null'] },
        credits: { type: ['object', 'null'] },
        items: { type: 'array', items: { $ref: '#/components/schemas/Comite' } },
      },
    },
  },
);
