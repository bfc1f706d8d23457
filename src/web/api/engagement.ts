// Over 400 lines: the orders API, its input schemas and its OpenAPI entries, one section each.
import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_ETAT_ENGAGEMENT, etatEngagement, montantNet, type Engagement } from '../../domain/engagement.js';
import { today } from '../../domain/dates.js';
import type { Mouvement } from '../../domain/credit.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  enregistrerPaiement,
  lireEngagementDetail,
  listerEngagementsConvention,
  solderEngagement,
} from '../../usecases/engagement.js';
import type { Env } from '../auth.js';
import { formulaire } from '../messages.js';
import { ajouterChemins, corps, jsonSchema, ref, reponsesErreur, rep, uuidParam } from './openapi.js';
import {
  centimes,
  centimesPositifs,
  dateIso,
  derogation,
  invalide,
  lireJson,
  texte,
  annee,
  valider,
} from './validation.js';

/** The orders API (bons de commande) and their movements: service fait, payment, closing, cancelling. */

export const engagementEntreeApi = formulaire(
  'engagement',
  z
    .object({
      annee,
      montant_centimes: centimesPositifs,
      objet: z.string().trim().min(1, 'Indiquez l’objet de la commande.').max(1000),
      titulaire: z.string().trim().min(1, 'Indiquez le titulaire du marché.').max(300),
      base_montant: z
        .enum(['TTC', 'HT'])
        .optional()
        .describe('TTC ou HT ; par défaut la base des montants de la convention'),
      taux_tva: z
        .union([z.literal(0), z.literal(5.5), z.literal(10), z.literal(20)])
        .optional()
        .describe(
          'taux de TVA en %, 20 par défaut : un montant HT est imputé sur des crédits TTC à son montant TTC (et inversement)',
        ),
      numero: texte(60).describe(
        'numéro de bon de commande ou d’engagement juridique Chorus ; attribué automatiquement (BC-AAAA-N) s’il est absent',
      ),
      marche: texte(300).describe('marché-cadre'),
      devis: texte(100).describe('référence du devis'),
      produit: texte(200).describe('produit servi, l’un de ceux de la convention'),
      date_engagement: dateIso
        .optional()
        .describe('date de la commande, dans l’année budgétaire ; par défaut aujourd’hui'),
      date_fin_prestation: dateIso.nullable().optional(),
      derogation: derogation.describe(
        'administrateur seulement : dérogation au calendrier de fin de gestion, avec son motif',
      ),
    })
    .strict(),
);

export const serviceFaitEntreeApi = formulaire(
  'service_fait',
  z
    .object({
      montant_centimes: centimesPositifs.optional(),
      pourcentage: z
        .number()
        .gt(0)
        .max(100)
        .optional()
        .describe(
          'part de la commande, deux décimales au plus ; arrondi au centime le plus proche, la demi-unité vers le bas',
        ),
      total: z.literal(true).optional().describe('constate tout le reste de la commande'),
      date: dateIso.optional(),
      certificateur: texte(300),
    })
    .strict()
    .refine((v) => [v.montant_centimes, v.pourcentage, v.total].filter((x) => x !== undefined).length === 1, {
      message: 'Indiquez un montant, un pourcentage ou le reste de la commande : un seul des trois.',
      path: ['montant_centimes'],
    }),
);

export const paiementEntreeApi = formulaire(
  'paiement',
  z
    .object({
      montant_centimes: centimesPositifs,
      reference: z.string().trim().min(1, 'Indiquez la référence de la facture ou de la demande de paiement.').max(200),
      date: dateIso.optional(),
      derogation,
    })
    .strict(),
);

export const soldeEntreeApi = z.object({ montant_reel_centimes: centimes.optional(), motif: texte(2000) }).strict();
export const annulationEntreeApi = z.object({ motif: texte(2000) }).strict();
const engagementsFiltreApi = z.object({
  annee: z.coerce.number().int().min(2000).max(2100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  taille: z.coerce.number().int().min(1).max(500).default(50),
});

export function engagementVersApi(e: Engagement) {
  const etat = etatEngagement(e);
  return {
    id: e.id,
    convention_id: e.conventionId,
    numero: e.numero,
    annee: e.annee,
    date_engagement: e.dateEngagement,
    date_fin_prestation: e.dateFinPrestation,
    titulaire: e.titulaire,
    marche: e.marche,
    devis: e.devis,
    objet: e.objet,
    produit: e.produit,
    montant_centimes: e.montantCentimes,
    base_montant: e.baseMontant,
    taux_tva: e.tauxTva,
    montant_impute_centimes: e.montantImputeCentimes,
    statut: e.statut,
    etat,
    etat_libelle: LIBELLES_ETAT_ENGAGEMENT[etat],
    libere_centimes: e.libereCentimes,
    montant_net_centimes: montantNet(e),
    certifie_centimes: e.certifieCentimes,
    paye_centimes: e.payeCentimes,
    cree_le: e.creeLe,
    cree_par: e.acteurNom,
  };
}

function mouvementVersApi(m: Mouvement) {
  return {
    id: m.id,
    type: m.type,
    annee: m.annee,
    date: m.dateOperation,
    ouvert_ae_centimes: m.ouvertAe,
    ouvert_cp_centimes: m.ouvertCp,
    engage_ae_centimes: m.engageAe,
    certifie_centimes: m.certifie,
    paye_cp_centimes: m.payeCp,
    pourcentage: m.pourcentage,
    reference: m.reference,
    certificateur: m.certificateur,
    motif: m.motif,
    derogation: m.derogation,
    acteur: m.acteurNom,
    enregistre_le: m.enregistreLe,
  };
}

export function engagementApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/engagements', async (c) => {
    const f = valider(engagementsFiltreApi, c.req.query());
    if (!f.ok) return invalide(c, f.erreurs);
    const r = await listerEngagementsConvention(ctx, c.var.acteur, c.req.param('id'), f.data);
    return c.json({ items: r.items.map(engagementVersApi), total: r.total, page: f.data.page, taille: f.data.taille });
  });

  app.post('/conventions/:id/engagements', async (c) => {
    const p = valider(engagementEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const r = await creerEngagement(
      ctx,
      c.var.acteur,
      c.req.param('id'),
      {
        numero: d.numero,
        annee: d.annee,
        dateEngagement: d.date_engagement ?? today(ctx.now()),
        dateFinPrestation: d.date_fin_prestation ?? null,
        titulaire: d.titulaire,
        marche: d.marche,
        devis: d.devis,
        objet: d.objet,
        produit: d.produit,
        montantCentimes: d.montant_centimes,
        baseMontant: d.base_montant ?? null,
        tauxTva: d.taux_tva ?? null,
      },
      d.derogation ?? null,
    );
    c.header('Location', `/api/v1/conventions/${r.valeur.conventionId}/engagements/${r.valeur.id}`);
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.get('/conventions/:id/engagements/:eid', async (c) => {
    const r = await lireEngagementDetail(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'));
    return c.json({ ...engagementVersApi(r.engagement), mouvements: r.mouvements.map(mouvementVersApi) });
  });

  app.post('/conventions/:id/engagements/:eid/services-faits', async (c) => {
    const p = valider(serviceFaitEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const demande = d.total
      ? { total: true as const }
      : d.pourcentage !== undefined
        ? { pourcentage: d.pourcentage }
        : { montantCentimes: d.montant_centimes! };
    const r = await constaterServiceFait(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'), demande, {
      date: d.date,
      certificateur: d.certificateur,
    });
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.post('/conventions/:id/engagements/:eid/paiements', async (c) => {
    const p = valider(paiementEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const r = await enregistrerPaiement(
      ctx,
      c.var.acteur,
      c.req.param('id'),
      c.req.param('eid'),
      { montantCentimes: d.montant_centimes, reference: d.reference, date: d.date },
      d.derogation ?? null,
    );
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.post('/conventions/:id/engagements/:eid/solde', async (c) => {
    const p = valider(soldeEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await solderEngagement(
      ctx,
      c.var.acteur,
      c.req.param('id'),
      c.req.param('eid'),
      p.data.montant_reel_centimes ?? null,
      p.data.motif,
    );
    return c.json(engagementVersApi(r.valeur));
  });

  app.post('/conventions/:id/engagements/:eid/annulation', async (c) => {
    const p = valider(annulationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await annulerEngagement(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'), p.data.motif);
    return c.json(engagementVersApi(r.valeur));
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

export const idParam = uuidParam('id');
const eidParam = uuidParam('eid');

/** A refusal by a budget rule, shared by every write that may meet a ceiling or the calendar. */
export const refusPlafond = {
  description:
    'Refus par une règle (code stable). PLAFOND_AE_DEPASSE / PLAFOND_CP_DEPASSE : details.disponible_centimes, details.demande_centimes, details.manque_centimes ; aussi ANNEE_SANS_CREDITS, CALENDRIER_DEPASSE, CONVENTION_SUSPENDUE, CONVENTION_TERMINEE, CONVENTION_NON_SIGNEE, SERVICE_FAIT_SUPERIEUR_ENGAGEMENT, PAIEMENT_SUPERIEUR_SERVICE_FAIT, ENGAGEMENT_CLOS, ENGAGEMENT_CERTIFIE…',
  content: { 'application/json': { schema: ref('Erreur') } },
};

ajouterChemins(
  {
    '/conventions/{id}/engagements': {
      get: {
        operationId: 'listerEngagements',
        summary: 'Bons de commande de la convention, avec leur état',
        parameters: [
          idParam,
          ...['annee', 'page', 'taille'].map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'integer' },
          })),
        ],
        responses: { '200': { description: 'Une page d’engagements' }, ...reponsesErreur(400, 401, 404) },
      },
      post: {
        operationId: 'creerEngagement',
        summary: 'Enregistre un bon de commande : AE engagées ≤ AE disponibles de l’année, vérifié atomiquement',
        parameters: [idParam],
        requestBody: corps('EngagementEntree'),
        responses: {
          '201': rep('Engagement enregistré (avec avertissements éventuels du calendrier)', 'Engagement'),
          ...reponsesErreur(400, 401, 403, 404, 415),
          '409': refusPlafond,
        },
      },
    },
    '/conventions/{id}/engagements/{eid}': {
      get: {
        operationId: 'lireEngagement',
        summary: 'Un engagement et ses mouvements (service fait, paiements, libérations)',
        parameters: [idParam, eidParam],
        responses: { '200': rep('Engagement', 'Engagement'), ...reponsesErreur(401, 404) },
      },
    },
    '/conventions/{id}/engagements/{eid}/services-faits': {
      post: {
        operationId: 'constaterServiceFait',
        summary: 'Constate un service fait (montant, pourcentage de la commande ou total) : certifié ≤ commandé',
        parameters: [idParam, eidParam],
        requestBody: corps('ServiceFaitEntree'),
        responses: {
          '201': rep('Engagement mis à jour', 'Engagement'),
          ...reponsesErreur(400, 401, 403, 404),
          '409': refusPlafond,
        },
      },
    },
    '/conventions/{id}/engagements/{eid}/paiements': {
      post: {
        operationId: 'enregistrerPaiement',
        summary: 'Enregistre un paiement : payé ≤ certifié, CP payés de l’année ≤ CP disponibles',
        parameters: [idParam, eidParam],
        requestBody: corps('PaiementEntree'),
        responses: {
          '201': rep('Engagement mis à jour', 'Engagement'),
          ...reponsesErreur(400, 401, 403, 404),
          '409': refusPlafond,
        },
      },
    },
    '/conventions/{id}/engagements/{eid}/solde': {
      post: {
        operationId: 'solderEngagement',
        summary: 'Solde l’engagement à son montant réel (par défaut le service fait) et libère le reste des AE',
        parameters: [idParam, eidParam],
        requestBody: corps('SoldeEntree'),
        responses: {
          '200': rep('Engagement soldé', 'Engagement'),
          ...reponsesErreur(400, 401, 403, 404),
          '409': refusPlafond,
        },
      },
    },
    '/conventions/{id}/engagements/{eid}/annulation': {
      post: {
        operationId: 'annulerEngagement',
        summary: 'Annule un engagement sans service fait et libère toutes ses AE',
        parameters: [idParam, eidParam],
        requestBody: corps('AnnulationEntree'),
        responses: {
          '200': rep('Engagement annulé', 'Engagement'),
          ...reponsesErreur(400, 401, 403, 404),
          '409': refusPlafond,
        },
      },
    },
  },
  {
    EngagementEntree: jsonSchema(engagementEntreeApi),
    ServiceFaitEntree: jsonSchema(serviceFaitEntreeApi),
    PaiementEntree: jsonSchema(paiementEntreeApi),
    SoldeEntree: jsonSchema(soldeEntreeApi),
    AnnulationEntree: jsonSchema(annulationEntreeApi),
    Engagement: {
      type: 'object',
      required: [
        'id',
        'numero',
        'annee',
        'montant_centimes',
        'base_montant',
        'statut',
        'etat',
        'certifie_centimes',
        'paye_centimes',
      ],
      properties: {
        id: { type: 'string', format: 'uuid' },
        numero: { type: 'string' },
        annee: { type: 'integer' },
        montant_centimes: { type: 'integer' },
        base_montant: { type: 'string', enum: ['TTC', 'HT'] },
        taux_tva: { type: 'number', enum: [0, 5.5, 10, 20] },
        montant_impute_centimes: {
          type: 'integer',
          description: 'montant imputé sur les crédits, dans la base TTC/HT de la convention',
        },
        date_engagement: { type: 'string', format: 'date', description: 'date d’effet de la commande' },
        cree_le: {
          type: 'string',
          format: 'date-time',
          description: 'instant de l’enregistrement (horloge du serveur)',
        },
        statut: { type: 'string', enum: ['actif', 'solde', 'annule'] },
        etat: {
          type: 'string',
          enum: ['engage', 'service_fait_partiel', 'service_fait_total', 'paye', 'solde', 'annule'],
        },
        libere_centimes: { type: 'integer' },
        montant_net_centimes: { type: 'integer' },
        certifie_centimes: { type: 'integer' },
        paye_centimes: { type: 'integer' },
        avertissements: { type: 'array', items: { type: 'string' } },
      },
    },
  },
);
