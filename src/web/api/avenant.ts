import { Hono } from 'hono';
import { z } from 'zod';
import { appliquer, CHAMPS_AVENANT, type Avenant, type Modifications } from '../../domain/avenant.js';
import type { Convention } from '../../domain/convention.js';
import {
  consignerCopieAvenant,
  creerAvenant,
  lireAvenant,
  listerAvenantsConvention,
  signerAvenant,
} from '../../usecases/avenant.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireConvention } from '../../usecases/convention.js';
import type { Env } from '../auth.js';
import { champApi } from '../errors.js';
import { carteErreurs } from '../messages.js';
import { lireCorps, signatureEntreeApi } from './convention-cycle.js';
import { conventionEntreeApi, conventionVersApi, saisieDepuisApi } from './convention-json.js';
import { ajouterChemins, corps, jsonSchema, ref, reponsesErreur, rep, uuidParam } from './openapi.js';
import { dateIso, invalide, lireJson, valider } from './validation.js';

export const copieEntreeApi = z
  .object({
    destinataire: z.string().trim().min(1, 'Indiquez à qui la copie est envoyée.').max(300),
    date: dateIso.describe('date de l’envoi, au plus tôt la signature de l’avenant'),
  })
  .strict();

/** Avenants of a convention: drafted with their changes under the convention's own field names, then signed. */

const CLES_API = Object.fromEntries(CHAMPS_AVENANT.map((k) => [champApi(k), k])) as Record<
  string,
  (typeof CHAMPS_AVENANT)[number]
>;

const modificationsApi = conventionEntreeApi
  .pick({
    echeancier: true,
    total_ae_centimes: true,
    cofinancement_fast_centimes: true,
    tranches: true,
    date_fin: true,
    duree_mois: true,
    preavis_mois: true,
    uo: true,
    programme_bop: true,
    imputation: true,
    comptable_assignataire: true,
    comite: true,
    obligations: true,
    destinataires_copie: true,
    objet: true,
  })
  .partial()
  .strict();
const avenantEntreeApi = z
  .object({
    objet: z.string().trim().min(1, 'Indiquez l’objet de l’avenant.').max(2000),
    date_effet: dateIso,
    modifications: z.record(z.string(), z.unknown()),
    comite_id: z
      .number()
      .int()
      .positive()
      .safe()
      .nullable()
      .optional()
      .default(null)
      .describe('le comité dont la décision appelle cet avenant : il en garde le numéro'),
  })
  .strict();

/** What the convention's API gives, less what only the server sets: a full entry to amend. */
function entreeDe(c: Convention): Record<string, unknown> {
  const { id, version, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } =
    conventionVersApi(c, {
      fin_effective: null,
      statut_effectif: '',
    });
  void [id, version, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
  return entree;
}

/** The changes, in the domain's names: only the fields the body names. */
function modificationsDepuisApi(
  c: Convention,
  brut: Record<string, unknown>,
): { ok: true; m: Modifications } | { ok: false; erreurs: { champ: string; message: string }[] } {
  const p = modificationsApi.safeParse(brut, { error: carteErreurs(conventionEntreeApi) });
  if (!p.success)
    return {
      ok: false,
      erreurs: p.error.issues.map((i) => ({ champ: ['modifications', ...i.path].join('.'), message: i.message })),
    };
  const complet = conventionEntreeApi.safeParse(
    { ...entreeDe(c), ...brut },
    { error: carteErreurs(conventionEntreeApi) },
  );
  if (!complet.success)
    return {
      ok: false,
      erreurs: complet.error.issues.map((i) => ({ champ: ['modifications', ...i.path].join('.'), message: i.message })),
    };
  const saisie = saisieDepuisApi(complet.data);
  const m = Object.fromEntries(Object.keys(brut).map((k) => [CLES_API[k]!, saisie[CLES_API[k]!]])) as Modifications;
  return { ok: true, m };
}

/** The fields the page's form offers to change, under the API's names. */
const CHAMPS_FORMULAIRE = [
  'echeancier',
  'total_ae_centimes',
  'tranches',
  'date_fin',
  'duree_mois',
  'preavis_mois',
  'uo',
  'programme_bop',
  'comptable_assignataire',
  'destinataires_copie',
] as const;

/** The changes typed in the page's form: the offered fields whose value differs from the current version. */
export function modificationsDuFormulaire(c: Convention, saisie: Record<string, unknown>) {
  const actuel = entreeDe(c);
  const brut = Object.fromEntries(
    CHAMPS_FORMULAIRE.filter((k) => JSON.stringify(saisie[k] ?? null) !== JSON.stringify(actuel[k] ?? null)).map(
      (k) => [k, saisie[k]],
    ),
  );
  return modificationsDepuisApi(c, brut);
}

function avenantVersApi(c: Convention, a: Avenant) {
  const json = conventionVersApi(appliquer(c, a.modifications), { fin_effective: null, statut_effectif: '' }) as Record<
    string,
    unknown
  >;
  return {
    numero: a.numero,
    objet: a.objet,
    date_effet: a.dateEffet,
    statut: a.statut,
    date_signature: a.dateSignature,
    modifications: Object.fromEntries(Object.keys(a.modifications).map((k) => [champApi(k), json[champApi(k)]])),
    signatures: a.signatures.map((s) => ({
      partie: s.partie,
      date: s.date,
      signataire: s.signataire,
      enregistree_par: s.acteurNom,
      document: s.pieceId ? `/api/v1/conventions/${a.conventionId}/pieces/${s.pieceId}` : null,
    })),
    copies: a.copies.map((x) => ({ destinataire: x.destinataire, date: x.date, consignee_par: x.consigneePar })),
    cree_par: a.creePar,
    cree_le: a.creeLe,
  };
}

export function avenantApi(ctx: Contexte) {
  const app = new Hono<Env>();
  const numero = (s: string) => (/^\d{1,6}$/.test(s) ? Number(s) : -1);

  app.get('/conventions/:id/avenants', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    const avenants = await listerAvenantsConvention(ctx, c.var.acteur, conv.id);
    return c.json({ items: avenants.map((a) => avenantVersApi(conv, a)) });
  });

  app.post('/conventions/:id/avenants', async (c) => {
    const p = valider(avenantEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    const m = modificationsDepuisApi(conv, p.data.modifications);
    if (!m.ok) return invalide(c, m.erreurs);
    const a = await creerAvenant(ctx, c.var.acteur, conv.id, {
      objet: p.data.objet,
      dateEffet: p.data.date_effet,
      modifications: m.m,
      comiteId: p.data.comite_id,
    });
    c.header('Location', `/api/v1/conventions/${conv.id}/avenants/${a.numero}`);
    return c.json(avenantVersApi(conv, a), 201);
  });

  app.get('/conventions/:id/avenants/:numero', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    return c.json(avenantVersApi(conv, await lireAvenant(ctx, c.var.acteur, conv.id, numero(c.req.param('numero')))));
  });

  app.post('/conventions/:id/avenants/:numero/signature', async (c) => {
    const { champs, piece } = await lireCorps(c);
    const p = valider(signatureEntreeApi, champs);
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const a = await signerAvenant(ctx, c.var.acteur, id, numero(c.req.param('numero')), { ...p.data, document: piece });
    return c.json(avenantVersApi(await lireConvention(ctx, c.var.acteur, id), a));
  });

  app.post('/conventions/:id/avenants/:numero/copies', async (c) => {
    const p = valider(copieEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const a = await consignerCopieAvenant(ctx, c.var.acteur, id, numero(c.req.param('numero')), p.data);
    return c.json(avenantVersApi(await lireConvention(ctx, c.var.acteur, id), a), 201);
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const params = [
  uuidParam('id'),
  { name: 'numero', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
];
const avenant = rep('L’avenant', 'Avenant');

ajouterChemins(
  {
    '/conventions/{id}/avenants': {
      get: {
        operationId: 'listerAvenants',
        summary: 'Les avenants de la convention (n° 1, 2…), projets et signés',
        parameters: [uuidParam('id')],
        responses: { '200': { description: 'Les avenants' }, ...reponsesErreur(401, 404) },
      },
      post: {
        operationId: 'creerAvenant',
        summary:
          'Projet d’avenant : `modifications` porte les champs changés sous les noms de la convention (echeancier, date_fin, duree_mois, total_ae_centimes, tranches, uo, imputation…) ; il s’applique, une fois signé, à compter de `date_effet` ; `comite_id` le rattache au comité dont la décision l’appelle (409 `COMITE_SANS_AVENANT`, `COMITE_AVENANT_REDIGE`)',
        parameters: [uuidParam('id')],
        requestBody: corps('AvenantEntree'),
        responses: { '201': avenant, ...reponsesErreur(400, 401, 403, 404, 409, 415) },
      },
    },
    '/conventions/{id}/avenants/{numero}': {
      get: {
        operationId: 'lireAvenant',
        summary: 'Un avenant',
        parameters: params,
        responses: { '200': avenant, ...reponsesErreur(401, 404) },
      },
    },
    '/conventions/{id}/avenants/{numero}/signature': {
      post: {
        operationId: 'signerAvenant',
        summary:
          'Signature d’une partie, le partenaire d’abord, la DINUM en dernier ; la dernière applique l’avenant à compter de sa date d’effet (les crédits suivent l’échéancier modifié à partir de cette date, jamais avant)',
        parameters: params,
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: ref('SignatureEntree') },
            'multipart/form-data': {
              schema: {
                allOf: [
                  ref('SignatureEntree'),
                  {
                    type: 'object',
                    properties: {
                      fichier: { type: 'string', format: 'binary', description: 'l’avenant signé, PDF, 10 Mo au plus' },
                    },
                  },
                ],
              },
            },
          },
        },
        responses: { '200': avenant, ...reponsesErreur(400, 401, 403, 404, 409, 415) },
      },
    },
    '/conventions/{id}/avenants/{numero}/copies': {
      post: {
        operationId: 'consignerCopieAvenant',
        summary:
          'Consigne l’envoi d’une copie de l’avenant signé à un contrôleur budgétaire (CBCM) : destinataire et date (409 AVENANT_NON_SIGNE avant la signature)',
        parameters: params,
        requestBody: corps('CopieAvenantEntree'),
        responses: { '201': avenant, ...reponsesErreur(400, 401, 403, 404, 409, 415) },
      },
    },
  },
  {
    CopieAvenantEntree: jsonSchema(copieEntreeApi),
    AvenantEntree: {
      ...jsonSchema(avenantEntreeApi),
      properties: {
        objet: { type: 'string' },
        date_effet: { type: 'string', format: 'date' },
        modifications: jsonSchema(modificationsApi),
      },
    },
    Avenant: {
      type: 'object',
      properties: {
        numero: { type: 'integer' },
        objet: { type: 'string' },
        date_effet: { type: 'string', format: 'date' },
        statut: { type: 'string', enum: ['brouillon', 'signee_partenaire', 'signe'] },
        date_signature: { type: ['string', 'null'], format: 'date' },
        modifications: { type: 'object' },
        signatures: { type: 'array', items: { type: 'object' } },
      },
    },
  },
);
