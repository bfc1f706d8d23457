import { Hono } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import {
  demanderPublicationDonnees,
  listerPublicationsDonnees,
  type PublicationDonnees,
} from '../../usecases/donnees.js';
import type { Env } from '../auth.js';
import { ajouterChemins, rep, reponsesErreur } from './openapi.js';

/** The open data's pushes to data.gouv.fr: their record, and a push asked for now. */

const publication = (p: PublicationDonnees) => ({
  le: p.le,
  jeu_de_donnees: p.jeuDeDonnees,
  fichier: p.fichier,
  statut: p.statut,
  ressource_id: p.ressourceId,
  url: p.url,
  sha256: p.sha256,
  octets: p.octets,
  lignes: p.lignes,
  message: p.message,
  par: p.acteurNom,
});

export function donneesApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/donnees/publications', async (c) => {
    const l = await listerPublicationsDonnees(ctx, c.var.acteur);
    return c.json({ configuree: l.configuree, jeu_de_donnees: l.jeuDeDonnees, items: l.items.map(publication) });
  });

  app.post('/donnees/publication', async (c) => {
    const { demandeeLe } = await demanderPublicationDonnees(ctx, c.var.acteur);
    return c.json({ demandee_le: demandeeLe.toISOString() }, 202);
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

ajouterChemins(
  {
    '/donnees/publications': {
      get: {
        operationId: 'listerPublicationsDonnees',
        summary:
          'Les envois des données ouvertes (conventions.csv, credits-annuels.csv) vers data.gouv.fr, les plus récents d’abord, avec leur résultat (gestionnaire DINUM)',
        responses: { '200': rep('Les envois', 'PublicationsDonnees'), ...reponsesErreur(401, 403) },
      },
    },
    '/donnees/publication': {
      post: {
        operationId: 'demanderPublicationDonnees',
        summary:
          'Demande un envoi des données ouvertes vers data.gouv.fr maintenant, fait par les travaux en arrière-plan (gestionnaire DINUM) ; 409 PUBLICATION_NON_CONFIGUREE, TRAVAUX_INDISPONIBLES',
        responses: { '202': rep('Demande enregistrée', 'DemandePublicationDonnees'), ...reponsesErreur(401, 403, 409) },
      },
    },
  },
  {
    PublicationsDonnees: {
      type: 'object',
      required: ['configuree', 'jeu_de_donnees', 'items'],
      properties: {
        configuree: {
          type: 'boolean',
          description: 'le serveur a une clé d’API et un jeu de données (DATAGOUV_API_KEY, DATAGOUV_DATASET)',
        },
        jeu_de_donnees: { type: ['string', 'null'] },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['le', 'jeu_de_donnees', 'fichier', 'statut', 'ressource_id', 'url', 'message', 'par'],
            properties: {
              le: { type: 'string', format: 'date-time' },
              jeu_de_donnees: { type: 'string' },
              fichier: { type: 'string', enum: ['conventions.csv', 'credits-annuels.csv'] },
              statut: { type: 'string', enum: ['publie', 'echec'] },
              ressource_id: { type: ['string', 'null'] },
              url: { type: ['string', 'null'], format: 'uri' },
              sha256: { type: ['string', 'null'] },
              octets: { type: ['integer', 'null'] },
              lignes: { type: ['integer', 'null'], description: 'lignes de données, sans l’en-tête' },
              message: { type: ['string', 'null'], description: 'déposé, remplacé, ou la cause de l’échec' },
              par: { type: 'string', description: 'qui a publié (Système pour les travaux en arrière-plan)' },
            },
          },
        },
      },
    },
    DemandePublicationDonnees: {
      type: 'object',
      required: ['demandee_le'],
      properties: { demandee_le: { type: 'string', format: 'date-time' } },
    },
  },
);
