import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { STATUTS, type Convention } from '../../domain/convention.js';
import { TRANSITIONS, type Transition } from '../../domain/convention-cycle.js';
import { today } from '../../domain/dates.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  cloturerConvention,
  envoyerEnSignature,
  lireCycle,
  lirePiece,
  remettreEnBrouillon,
  reprendreConvention,
  resilierConvention,
  retirerResiliation,
  signerConvention,
  type PieceJointe,
} from '../../usecases/convention-cycle.js';
import { lireConvention } from '../../usecases/convention.js';
import type { Env } from '../auth.js';
import { conventionReponse } from './convention.js';
import { ajouterChemins, jsonSchema, ref, reponsesErreur, rep, uuidParam } from './openapi.js';
import { dateIso, invalide, lireJson, motif, texte, valider } from './validation.js';

/** A convention's life through its actions: signature circuit, suspension and resumption, notice, closing. */

const partie = z.enum(['delegant', 'delegataire'], { message: 'Indiquez la partie : delegant ou delegataire.' });
export const signatureEntreeApi = z.object({ partie, date: dateIso, signataire: texte(300) }).strict();
export const resiliationEntreeApi = z.object({ partie, date_notification: dateIso, motif }).strict();
export const retraitEntreeApi = z.object({ date_accord: dateIso, motif }).strict();
export const motifEntreeApi = z.object({ motif }).strict();
const videEntreeApi = z.object({}).strict();

/**
 * JSON, or a multipart form whose fields are the same and whose file field (`fichier`) is the signed PDF
 * or the letter.
 */
export async function lireCorps(c: Context<Env>): Promise<{ champs: unknown; piece: PieceJointe | null }> {
  if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? ''))
    return { champs: await lireJson(c), piece: null };
  const body = await c.req.parseBody();
  const { fichier, ...champs } = body;
  const piece =
    fichier instanceof File && fichier.size > 0
      ? { nom: fichier.name, mediaType: fichier.type, contenu: new Uint8Array(await fichier.arrayBuffer()) }
      : null;
  const texteSeul = Object.fromEntries(Object.entries(champs).filter(([, v]) => typeof v === 'string' && v !== ''));
  return { champs: texteSeul, piece };
}

export function conventionCycleApi(ctx: Contexte) {
  const app = new Hono<Env>();
  const repondre = (c: Context<Env>, conv: Convention) => c.json(conventionReponse(ctx, conv));

  app.get('/conventions/:id/cycle', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    const cy = await lireCycle(ctx, c.var.acteur, conv);
    return c.json({
      statut: conv.statut,
      statut_effectif: conventionReponse(ctx, conv).statut_effectif,
      date_signature: conv.dateSignature,
      fin_effective: conventionReponse(ctx, conv).fin_effective,
      actions_possibles: cy.possibles,
      signatures: cy.signatures.map((s) => ({
        partie: s.partie,
        date: s.date,
        signataire: s.signataire,
        enregistree_par: s.acteurNom,
        enregistree_le: s.le,
        document: s.pieceId ? `/api/v1/conventions/${conv.id}/pieces/${s.pieceId}` : null,
      })),
      resiliations: cy.resiliations.map((r) => ({
        partie: r.partie,
        date_notification: r.dateNotification,
        preavis_mois: r.preavisMois,
        date_effet: r.dateEffet,
        motif: r.motif,
        notifiee_par: r.acteurNom,
        lettre: r.pieceId ? `/api/v1/conventions/${conv.id}/pieces/${r.pieceId}` : null,
        retrait: r.retrait ? { date_accord: r.retrait.dateAccord, motif: r.retrait.motif, par: r.retrait.par } : null,
      })),
      aujourd_hui: today(ctx.now()),
    });
  });

  app.get('/conventions/:id/pieces/:piece', async (c) => {
    const p = await lirePiece(ctx, c.var.acteur, c.req.param('id'), c.req.param('piece'));
    return c.body(p.contenu.slice().buffer, 200, {
      'content-type': p.mediaType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(p.nom)}`,
    });
  });

  app.post('/conventions/:id/envoi-signature', async (c) => {
    const p = valider(videEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return repondre(c, await envoyerEnSignature(ctx, c.var.acteur, c.req.param('id')));
  });

  app.post('/conventions/:id/retour-brouillon', async (c) => {
    const p = valider(videEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return repondre(c, await remettreEnBrouillon(ctx, c.var.acteur, c.req.param('id')));
  });

  app.post('/conventions/:id/signature', async (c) => {
    const { champs, piece } = await lireCorps(c);
    const p = valider(signatureEntreeApi, champs);
    if (!p.ok) return invalide(c, p.erreurs);
    const conv = await signerConvention(ctx, c.var.acteur, c.req.param('id'), {
      partie: p.data.partie,
      date: p.data.date,
      signataire: p.data.signataire,
      document: piece,
    });
    return repondre(c, conv);
  });

  app.post('/conventions/:id/reprise', async (c) => {
    const p = valider(motifEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return repondre(c, await reprendreConvention(ctx, c.var.acteur, c.req.param('id'), p.data.motif));
  });

  app.post('/conventions/:id/resiliation', async (c) => {
    const { champs, piece } = await lireCorps(c);
    const p = valider(resiliationEntreeApi, champs);
    if (!p.ok) return invalide(c, p.erreurs);
    const conv = await resilierConvention(ctx, c.var.acteur, c.req.param('id'), {
      partie: p.data.partie,
      dateNotification: p.data.date_notification,
      motif: p.data.motif,
      lettre: piece,
    });
    return repondre(c, conv);
  });

  app.post('/conventions/:id/resiliation/retrait', async (c) => {
    const p = valider(retraitEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const conv = await retirerResiliation(ctx, c.var.acteur, c.req.param('id'), {
      dateAccord: p.data.date_accord,
      motif: p.data.motif,
    });
    return repondre(c, conv);
  });

  app.post('/conventions/:id/cloture', async (c) => {
    const p = valider(motifEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return repondre(c, await cloturerConvention(ctx, c.var.acteur, c.req.param('id'), p.data.motif));
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const idParam = uuidParam('id');
const convention = rep('La convention après l’action', 'Convention');
const erreurs = reponsesErreur(400, 401, 403, 404, 409, 415);
const action = (operationId: string, summary: string, schema: string, multipart = false) => ({
  post: {
    operationId,
    summary,
    parameters: [idParam],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: ref(schema) },
        ...(multipart
          ? {
              'multipart/form-data': {
                schema: {
                  allOf: [
                    ref(schema),
                    {
                      type: 'object',
                      properties: { fichier: { type: 'string', format: 'binary', description: 'PDF, 10 Mo au plus' } },
                    },
                  ],
                },
              },
            }
          : {}),
      },
    },
    responses: { '200': convention, ...erreurs },
  },
});

const transitions = Object.keys(TRANSITIONS) as Transition[];

ajouterChemins(
  {
    '/conventions/{id}/cycle': {
      get: {
        operationId: 'lireCycleConvention',
        summary: 'Statut, signatures (datées, auteur, PDF), résiliations et actions possibles ce jour',
        parameters: [idParam],
        responses: {
          '200': {
            description: 'Le cycle de vie',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    statut: { type: 'string', enum: [...STATUTS] },
                    statut_effectif: { type: 'string', enum: [...STATUTS, 'terminee'] },
                    date_signature: { type: ['string', 'null'], format: 'date' },
                    fin_effective: { type: ['string', 'null'], format: 'date' },
                    actions_possibles: { type: 'array', items: { type: 'string', enum: transitions } },
                    signatures: { type: 'array', items: { type: 'object' } },
                    resiliations: { type: 'array', items: { type: 'object' } },
                  },
                },
              },
            },
          },
          ...reponsesErreur(401, 404),
        },
      },
    },
    '/conventions/{id}/pieces/{piece}': {
      get: {
        operationId: 'lirePieceConvention',
        summary: 'Un document signé joint (PDF de signature, lettre de résiliation)',
        parameters: [idParam, uuidParam('piece')],
        responses: {
          '200': { description: 'Le PDF', content: { 'application/pdf': {} } },
          ...reponsesErreur(401, 404),
        },
      },
    },
    '/conventions/{id}/envoi-signature': action(
      'envoyerEnSignature',
      'Brouillon → en signature (gestionnaire DINUM) ; corps {}',
      'CorpsVide',
    ),
    '/conventions/{id}/retour-brouillon': action(
      'remettreEnBrouillon',
      'En signature → brouillon, avant toute signature ; corps {}',
      'CorpsVide',
    ),
    '/conventions/{id}/signature': action(
      'signerConvention',
      'Signature d’une partie, le partenaire d’abord, la DINUM en dernier ; la dernière fixe date_signature et met la convention en vigueur. Deux signatures simultanées d’une même partie en font une (409 DEJA_SIGNEE)',
      'SignatureEntree',
      true,
    ),
    '/conventions/{id}/reprise': action(
      'reprendreConvention',
      'Administrateur : remet en vigueur une convention suspendue',
      'MotifEntree',
    ),
    '/conventions/{id}/resiliation': action(
      'resilierConvention',
      'Notifie la résiliation : effet à la notification plus le préavis de la convention (3 mois par défaut), au plus tard au terme ; commandes possibles jusqu’à l’effet, service fait et paiements des commandes existantes après',
      'ResiliationEntree',
      true,
    ),
    '/conventions/{id}/resiliation/retrait': action(
      'retirerResiliation',
      'Retire la résiliation d’un commun accord des parties, avant son effet',
      'RetraitResiliationEntree',
    ),
    '/conventions/{id}/cloture': action(
      'cloturerConvention',
      'Clôture une convention terminée ou résiliée, une fois ses derniers engagements payés ou soldés (409 CLOTURE_ENGAGEMENTS_OUVERTS) et son compte rendu de fin envoyé (409 CLOTURE_SANS_RAPPORT)',
      'MotifEntree',
    ),
  },
  {
    CorpsVide: jsonSchema(videEntreeApi),
    SignatureEntree: jsonSchema(signatureEntreeApi),
    ResiliationEntree: jsonSchema(resiliationEntreeApi),
    RetraitResiliationEntree: jsonSchema(retraitEntreeApi),
    MotifEntree: jsonSchema(motifEntreeApi),
  },
);
