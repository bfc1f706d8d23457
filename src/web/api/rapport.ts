import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { montantNet } from '../../domain/engagement.js';
import type { RapportFin } from '../../domain/rapport.js';
import { documentRapport } from '../../generators/rapport.js';
import type { Contexte } from '../../usecases/contexte.js';
import { envoyerRapport, lireRapport, redigerRapport, relireRapport, type VueRapport } from '../../usecases/rapport.js';
import type { Env } from '../auth.js';
import { envoyerDocument, type FormatDocument } from '../telechargement.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep, uuidParam } from './openapi.js';
import { dateIso, invalide, lireJson, valider } from './validation.js';

/** The end-of-term report of a convention: its figures, the délégataire's sections, review, sending, files. */

const section = z.string().max(20_000, 'Ce texte dépasse 20 000 caractères.');
export const rapportEntreeApi = z.object({ avancement: section, previsions: section }).strict();
export const envoiRapportEntreeApi = z
  .object({
    date: dateIso.describe('date de l’envoi au délégant, au terme de la convention ou après'),
    destinataires: z.string().trim().min(1, 'Indiquez à qui le compte rendu est envoyé.').max(1000),
  })
  .strict();

const etapes = (r: RapportFin) => ({
  avancement: r.avancement,
  previsions: r.previsions,
  redige_par: r.redigePar,
  redige_le: r.redigeLe,
  relu_par: r.reluPar,
  relu_le: r.reluLe,
  envoye_le: r.envoyeLe,
  destinataires: r.destinataires,
  envoye_par: r.envoyePar,
});

const vueVersApi = (v: VueRapport) => {
  const c = v.contenu;
  return {
    convention_id: v.convention.id,
    etat: v.etat,
    echeance: v.echeance,
    base_montants: v.convention.baseMontants,
    ...etapes(v.rapport),
    annees: c.annees.map((a) => ({
      annee: a.annee,
      ae: {
        mis_a_disposition: a.misADispositionAe,
        engage: a.engageAe,
        inutilise: a.inutiliseAe,
        reporte: a.reporteAe,
        restitue: a.restitueAe,
      },
      cp: {
        mis_a_disposition: a.misADispositionCp,
        certifie: a.certifie,
        paye: a.payeCp,
        inutilise: a.inutiliseCp,
        reporte: a.reporteCp,
        restitue: a.restitueCp,
      },
    })),
    total: {
      ae: {
        mis_a_disposition: c.total.misADispositionAe,
        engage: c.total.engageAe,
        inutilise: c.total.inutiliseAe,
        restitue: c.total.restitueAe,
      },
      cp: {
        mis_a_disposition: c.total.misADispositionCp,
        certifie: c.total.certifie,
        paye: c.total.payeCp,
        inutilise: c.total.inutiliseCp,
        restitue: c.total.restitueCp,
      },
    },
    engagements: c.engagements.map((e) => ({
      id: e.id,
      numero: e.numero,
      annee: e.annee,
      date_engagement: e.dateEngagement,
      titulaire: e.titulaire,
      objet: e.objet,
      montant_net_centimes: montantNet(e),
      certifie_centimes: e.certifieCentimes,
      paye_centimes: e.payeCentimes,
      etat: e.etat,
    })),
    avenants: c.avenants.map((a) => ({
      numero: a.numero,
      objet: a.objet,
      date_effet: a.dateEffet,
      date_signature: a.dateSignature,
    })),
    comites: c.comites.map((k) => ({
      id: k.id,
      date: k.date,
      decision: k.decision?.decision ?? null,
      budget_centimes: k.decision?.budgetCentimes ?? null,
      indicateurs: k.indicateurs,
    })),
  };
};

/** The document of the report, the same in both formats. */
function documentDeVue(v: VueRapport) {
  return documentRapport({
    reference: v.convention.reference ?? 'sans référence',
    objet: v.convention.objet,
    delegant: v.convention.delegant,
    delegataire: v.convention.delegataire,
    baseMontants: v.convention.baseMontants,
    fin: v.echeance,
    contenu: v.contenu,
    rapport: v.rapport,
    aujourdHui: v.aujourdHui,
  });
}

const nomFichierRapport = (v: VueRapport) =>
  `compte-rendu-fin-${(v.convention.reference ?? v.convention.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function rapportApi(ctx: Contexte) {
  const app = new Hono<Env>();
  const repondre = async (c: Context<Env>, id: string, status: 200 | 201 = 200) =>
    c.json(vueVersApi(await lireRapport(ctx, c.var.acteur, id)), status);

  app.get('/conventions/:id/rapport', (c) => repondre(c, c.req.param('id')));

  app.put('/conventions/:id/rapport', async (c) => {
    const p = valider(rapportEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await redigerRapport(ctx, c.var.acteur, c.req.param('id'), p.data);
    return repondre(c, c.req.param('id'));
  });

  app.post('/conventions/:id/rapport/relecture', async (c) => {
    const p = valider(z.object({}).strict(), await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await relireRapport(ctx, c.var.acteur, c.req.param('id'));
    return repondre(c, c.req.param('id'), 201);
  });

  app.post('/conventions/:id/rapport/envoi', async (c) => {
    const p = valider(envoiRapportEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await envoyerRapport(ctx, c.var.acteur, c.req.param('id'), p.data);
    return repondre(c, c.req.param('id'), 201);
  });

  for (const format of ['docx', 'pdf'] as FormatDocument[]) {
    app.get(`/conventions/:id/rapport.${format}`, async (c) => {
      const v = await lireRapport(ctx, c.var.acteur, c.req.param('id'));
      return envoyerDocument(c, format, nomFichierRapport(v), documentDeVue(v));
    });
  }

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const idParam = uuidParam('id');
const montants = { type: 'object', additionalProperties: { type: 'integer' }, description: 'en centimes' };
const date = { type: ['string', 'null'], format: 'date' };
const rapportSchema = {
  type: 'object',
  description:
    'Compte rendu de fin de convention (article 5) : dépenses par année (AE et CP, en centimes), engagements avec leur n° d’EJ, avenants signés, décisions des comités, et les sections du délégataire',
  properties: {
    convention_id: { type: 'string', format: 'uuid' },
    etat: { type: 'string', enum: ['a_rediger', 'redige', 'relu', 'envoye'] },
    echeance: {
      ...date,
      description: 'fin effective de la convention (terme ou résiliation), date due du compte rendu',
    },
    base_montants: { type: 'string', enum: ['TTC', 'HT'] },
    avancement: { type: 'string' },
    previsions: { type: 'string' },
    redige_par: { type: ['string', 'null'] },
    redige_le: { type: ['string', 'null'], format: 'date-time' },
    relu_par: { type: ['string', 'null'] },
    relu_le: { type: ['string', 'null'], format: 'date-time' },
    envoye_le: date,
    destinataires: { type: ['string', 'null'] },
    envoye_par: { type: ['string', 'null'] },
    annees: {
      type: 'array',
      items: { type: 'object', properties: { annee: { type: 'integer' }, ae: montants, cp: montants } },
    },
    total: { type: 'object', properties: { ae: montants, cp: montants } },
    engagements: { type: 'array', items: { type: 'object' } },
    avenants: { type: 'array', items: { type: 'object' } },
    comites: { type: 'array', items: { type: 'object' } },
  },
};
const erreurs = reponsesErreur(400, 401, 403, 404, 409, 415);
const fichier = (format: FormatDocument, type: string) => ({
  get: {
    operationId: `telechargerRapport${format.toUpperCase()}`,
    summary: `Le compte rendu de fin en ${format.toUpperCase()} (projet tant qu’il n’est pas envoyé)`,
    parameters: [idParam],
    responses: { '200': { description: 'Le document', content: { [type]: {} } }, ...reponsesErreur(401, 404) },
  },
});

ajouterChemins(
  {
    '/conventions/{id}/rapport': {
      get: {
        operationId: 'lireRapportFin',
        summary: 'Le compte rendu de fin de convention, établi à partir des crédits et engagements',
        parameters: [idParam],
        responses: { '200': rep('Le compte rendu', 'RapportFin'), ...reponsesErreur(401, 404) },
      },
      put: {
        operationId: 'redigerRapportFin',
        summary:
          'Le délégataire rédige l’avancement des travaux et les prévisions ; un changement après relecture demande une nouvelle relecture (409 RAPPORT_ENVOYE après l’envoi)',
        parameters: [idParam],
        requestBody: corps('RapportFinEntree'),
        responses: { '200': rep('Le compte rendu', 'RapportFin'), ...erreurs },
      },
    },
    '/conventions/{id}/rapport/relecture': {
      post: {
        operationId: 'relireRapportFin',
        summary: 'Relecture par la DINUM (409 RAPPORT_DEJA_RELU) ; corps {}',
        parameters: [idParam],
        requestBody: corps('CorpsVide'),
        responses: { '201': rep('Le compte rendu relu', 'RapportFin'), ...erreurs },
      },
    },
    '/conventions/{id}/rapport/envoi': {
      post: {
        operationId: 'envoyerRapportFin',
        summary:
          'Envoi au délégant, une fois relu (409 RAPPORT_NON_RELU) et au terme de la convention (409 RAPPORT_AVANT_TERME)',
        parameters: [idParam],
        requestBody: corps('EnvoiRapportFinEntree'),
        responses: { '201': rep('Le compte rendu envoyé', 'RapportFin'), ...erreurs },
      },
    },
    '/conventions/{id}/rapport.docx': fichier(
      'docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ),
    '/conventions/{id}/rapport.pdf': fichier('pdf', 'application/pdf'),
  },
  {
    RapportFin: rapportSchema,
    RapportFinEntree: jsonSchema(rapportEntreeApi),
    EnvoiRapportFinEntree: jsonSchema(envoiRapportEntreeApi),
  },
);
