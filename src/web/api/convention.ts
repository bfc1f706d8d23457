import { CLES_TRI } from '../../domain/convention-liste.js';
import { Hono } from 'hono';
import {
  controler,
  finEffective,
  STATUTS_EFFECTIFS,
  statutEffectif,
  type Convention,
} from '../../domain/convention.js';
import { isDateIso, today } from '../../domain/dates.js';
import { lireConventionAu } from '../../usecases/avenant.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  creerConvention,
  lireConvention,
  lireJournal,
  listerConventions,
  modifierConvention,
} from '../../usecases/convention.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { envoyerAgendaConvention } from '../telechargement.js';
import {
  conventionEntreeApi,
  conventionModificationApi,
  conventionVersApi,
  filtreApi,
  filtreDepuisApi,
  journalVersApi,
  pageVersApi,
  saisieDepuisApi,
} from './convention-json.js';
import { ajouterChemins, jsonSchema, reponsesErreur, uuidParam } from './openapi.js';
import { invalide, lireJson, valider } from './validation.js';

/** The conventions API: list, create, read, replace and the journal, with their OpenAPI paths. */

/** A convention as the API answers it, with its state and end as they stand today. */
export function conventionReponse(ctx: Contexte, c: Convention, avertissements?: string[]) {
  return conventionVersApi(c, {
    fin_effective: finEffective(c),
    statut_effectif: statutEffectif(c, today(ctx.now())),
    avertissements: avertissements ?? controler(c).avertissements,
  });
}

export function conventionApi(ctx: Contexte, opts: { urlPublique: string }) {
  const app = new Hono<Env>();
  const vers = (c: Convention, avertissements?: string[]) => conventionReponse(ctx, c, avertissements);

  app.get('/', async (c) => {
    const parsed = valider(filtreApi, c.req.query());
    if (!parsed.ok)
      return apiError(c, 'DONNEES_INVALIDES', 'Paramètres de filtre invalides.', { erreurs: parsed.erreurs });
    const f = parsed.data;
    const page = await listerConventions(ctx, c.var.acteur, filtreDepuisApi(f));
    return c.json(pageVersApi(page, f.page, f.taille));
  });

  app.post('/', async (c) => {
    const parsed = valider(conventionEntreeApi, await lireJson(c));
    if (!parsed.ok) return invalide(c, parsed.erreurs);
    const { convention, avertissements } = await creerConvention(ctx, c.var.acteur, saisieDepuisApi(parsed.data));
    c.header('Location', `/api/v1/conventions/${convention.id}`);
    return c.json(vers(convention, avertissements), 201);
  });

  // ?date=AAAA-MM-JJ: the convention as it stood that day, under the avenants then in effect
  app.get('/:id', async (c) => {
    const date = c.req.query('date');
    if (date === undefined) return c.json(vers(await lireConvention(ctx, c.var.acteur, c.req.param('id'))));
    if (!isDateIso(date))
      return apiError(c, 'DONNEES_INVALIDES', 'Paramètre date invalide.', {
        erreurs: [{ champ: 'date', message: 'La date n’est pas une date valide (attendu : AAAA-MM-JJ).' }],
      });
    return c.json(vers(await lireConventionAu(ctx, c.var.acteur, c.req.param('id'), date)));
  });

  app.put('/:id', async (c) => {
    const id = c.req.param('id');
    const avant = await lireConvention(ctx, c.var.acteur, id);
    const parsed = valider(conventionModificationApi, await lireJson(c));
    if (!parsed.ok) return invalide(c, parsed.erreurs);
    // `statut` may be omitted or repeated as read; a different one is refused (STATUT_PAR_ACTION)
    const { version, statut, ...rest } = parsed.data;
    const { convention, avertissements } = await modifierConvention(
      ctx,
      c.var.acteur,
      id,
      saisieDepuisApi({ ...rest, statut: statut ?? avant.statut }),
      version,
    );
    return c.json(vers(convention, avertissements));
  });

  app.get('/:id/journal', async (c) =>
    c.json({ items: (await lireJournal(ctx, c.var.acteur, c.req.param('id'))).map(journalVersApi) }),
  );

  app.get('/:id/agenda.ics', (c) => envoyerAgendaConvention(c, ctx, opts.urlPublique));

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const idParam = uuidParam('id');
const conventionRef = { $ref: '#/components/schemas/Convention' };

ajouterChemins(
  {
    '/conventions': {
      get: {
        operationId: 'listerConventions',
        summary: 'Liste paginée des conventions visibles par l’appelant, avec totaux AE/CP',
        parameters: [
          ['q', 'string', 'recherche plein texte (service, parties, UO, référence, objet)'],
          ['partenaire', 'string', 'nom du partenaire (contient)'],
          ['annee', 'integer', 'conventions ayant une ligne d’échéancier cette année ; totaux de cette année'],
          ['role_dinum', 'string', 'delegant | delegataire | autre'],
          [
            'phase',
            'string',
            'investigation | construction | acceleration | consolidation | perennisation | transfert',
          ],
          ['statut', 'string', `${STATUTS_EFFECTIFS.join(' | ')} (statut du jour : terminee, resiliee après l’effet)`],
          [
            'tri',
            'string',
            `${CLES_TRI.join(', ')} (montant : AE prévues, cp : CP prévus, engage : AE engagées, paye : CP payés) ; préfixe « - » pour décroissant`,
          ],
          ['page', 'integer', 'à partir de 1'],
          ['taille', 'integer', '1 à 200, défaut 20'],
        ].map(([name, type, description]) => ({ name, in: 'query', required: false, schema: { type }, description })),
        responses: {
          '200': {
            description: 'Une page de conventions',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: { type: 'array', items: { type: 'object' } },
                    page: { type: 'integer' },
                    taille: { type: 'integer' },
                    total: { type: 'integer' },
                    total_ae_centimes: { type: 'integer' },
                    total_cp_centimes: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...reponsesErreur(400, 401, 429),
        },
      },
      post: {
        operationId: 'creerConvention',
        summary: 'Crée une convention (montants en centimes, entiers)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ConventionEntree' } } },
        },
        responses: {
          '201': { description: 'Créée', content: { 'application/json': { schema: conventionRef } } },
          ...reponsesErreur(400, 401, 403, 413, 415),
        },
      },
    },
    '/conventions/{id}': {
      get: {
        operationId: 'lireConvention',
        summary:
          'Lit une convention ; avec `date`, telle qu’elle était ce jour-là (avenants alors en vigueur), même forme',
        parameters: [
          idParam,
          {
            name: 'date',
            in: 'query',
            required: false,
            schema: { type: 'string', format: 'date' },
            description: 'AAAA-MM-JJ : la convention à cette date',
          },
        ],
        responses: {
          '200': { description: 'La convention', content: { 'application/json': { schema: conventionRef } } },
          ...reponsesErreur(401, 404),
        },
      },
      put: {
        operationId: 'modifierConvention',
        summary:
          'Remplace une convention ; `version` doit être la version lue (sinon 409 VERSION_OBSOLETE) ; `statut` ne change que par les actions (signature, suspension, résiliation, clôture) : un statut différent est refusé (400 STATUT_PAR_ACTION)',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ConventionModification' } } },
        },
        responses: {
          '200': { description: 'Modifiée', content: { 'application/json': { schema: conventionRef } } },
          ...reponsesErreur(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    '/conventions/{id}/agenda.ics': {
      get: {
        operationId: 'agendaConvention',
        summary:
          'Les événements datés de la convention en fichier iCalendar (RFC 5545), sur la journée : les éléments « À faire » de l’appelant pour cette convention, la signature, la fin, les comités prévus et la revue FAST, les échéances des obligations et les dates limites des engagements et des paiements de l’année ; le public ne lit que la signature et la fin d’une convention publiée. UID stable (id de la convention et clé de l’événement) : importer à nouveau met à jour',
        parameters: [idParam],
        responses: {
          '200': { description: 'Le fichier iCalendar', content: { 'text/calendar': {} } },
          ...reponsesErreur(401, 404),
        },
      },
    },
    '/conventions/{id}/journal': {
      get: {
        operationId: 'journalConvention',
        summary: 'Journal des modifications (qui, quand, avant, après)',
        parameters: [idParam],
        responses: {
          '200': { description: 'Lignes du journal, les plus récentes d’abord' },
          ...reponsesErreur(401, 404),
        },
      },
    },
  },
  {
    ConventionEntree: jsonSchema(conventionEntreeApi),
    ConventionModification: jsonSchema(conventionModificationApi),
    Convention: {
      allOf: [
        { $ref: '#/components/schemas/ConventionEntree' },
        {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            version: { type: 'integer' },
            statut_effectif: { type: 'string', enum: [...STATUTS_EFFECTIFS] },
            fin_effective: { type: ['string', 'null'], format: 'date' },
            avertissements: { type: 'array', items: { type: 'string' } },
          },
        },
      ],
    },
  },
);
