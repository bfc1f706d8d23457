import { Hono } from 'hono';
import { z } from 'zod';
import type { ParametresCalendrier } from '../../domain/calendrier.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireParametres, modifierParametres } from '../../usecases/calendrier.js';
import type { Env } from '../auth.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep } from './openapi.js';
import { invalide, lireJson, texte, valider } from './validation.js';

/** The year-end calendar API: the MM-DD dates after which orders and payments stop, and when alerts start. */

const jourMois = z.string().regex(/^\d{2}-\d{2}$/, 'Format MM-JJ.');
export const parametresEntreeApi = z
  .object({
    limite_paiements: jourMois,
    limite_engagements: jourMois,
    limite_report: jourMois,
    reprise: jourMois,
    avertissement_jours: z.number().int().min(0).max(120),
    debut_alertes_sous_consommation: jourMois,
    motif: texte(2000),
  })
  .strict();

export function parametresVersApi(p: ParametresCalendrier) {
  return {
    limite_paiements: p.limitePaiements,
    limite_engagements: p.limiteEngagements,
    limite_report: p.limiteReport,
    reprise: p.reprise,
    avertissement_jours: p.avertissementJours,
    debut_alertes_sous_consommation: p.debutAlertesSousConsommation,
  };
}

export function parametresDepuisApi(p: z.output<typeof parametresEntreeApi>): ParametresCalendrier {
  return {
    limitePaiements: p.limite_paiements,
    limiteEngagements: p.limite_engagements,
    limiteReport: p.limite_report,
    reprise: p.reprise,
    avertissementJours: p.avertissement_jours,
    debutAlertesSousConsommation: p.debut_alertes_sous_consommation,
  };
}

export function calendrierApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/parametres/calendrier', async (c) => c.json(parametresVersApi(await lireParametres(ctx))));

  app.put('/parametres/calendrier', async (c) => {
    const p = valider(parametresEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return c.json(
      parametresVersApi(await modifierParametres(ctx, c.var.acteur, parametresDepuisApi(p.data), p.data.motif)),
    );
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

ajouterChemins(
  {
    '/parametres/calendrier': {
      get: {
        operationId: 'lireCalendrier',
        summary: 'Calendrier de fin de gestion (dates MM-JJ)',
        responses: { '200': rep('Paramètres', 'ParametresCalendrier') },
      },
      put: {
        operationId: 'modifierCalendrier',
        summary: 'Administrateur : modifie le calendrier de fin de gestion (journalisé avec son motif)',
        requestBody: corps('ParametresCalendrier'),
        responses: { '200': rep('Paramètres', 'ParametresCalendrier'), ...reponsesErreur(400, 401, 403, 415) },
      },
    },
  },
  {
    ParametresCalendrier: jsonSchema(parametresEntreeApi),
  },
);
