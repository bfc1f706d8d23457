import { Hono } from 'hono';
import type { AlerteEnregistree } from '../../domain/alerte.js';
import type { Contexte } from '../../usecases/contexte.js';
import { listerAlertesCredits, traiterAlerte, type AlerteConvention } from '../../usecases/alerte.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { ajouterChemins, reponsesErreur } from './openapi.js';

/** The alerts API: refusals recorded (credit shortfalls to report to the delegating party) and the year's computed alerts. */

const alerteVersApi = (a: AlerteEnregistree) => ({
  id: a.id,
  convention_id: a.conventionId,
  convention: a.conventionLibelle,
  annee: a.annee,
  code: a.code,
  message: a.message,
  details: a.details,
  destinataire: a.destinataire,
  auteur: a.acteurNom,
  le: a.le,
  traitee_le: a.traiteeLe,
  traitee_par: a.traiteePar,
});

const alerteCalculeeVersApi = (a: AlerteConvention) => ({
  convention_id: a.conventionId,
  convention: a.libelle,
  type: a.type,
  niveau: a.niveau,
  annee: a.annee,
  message: a.message,
});

export function alerteApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/credits/alertes', async (c) => {
    const r = await listerAlertesCredits(ctx, c.var.acteur, { toutes: c.req.query('toutes') === '1' });
    return c.json({
      enregistrees: r.enregistrees.map(alerteVersApi),
      calculees: r.calculees.map(alerteCalculeeVersApi),
    });
  });

  app.post('/credits/alertes/:aid/traitement', async (c) => {
    const aid = Number(c.req.param('aid'));
    if (!Number.isSafeInteger(aid)) return apiError(c, 'INTROUVABLE', 'Alerte introuvable.');
    await traiterAlerte(ctx, c.var.acteur, aid);
    return c.json({ id: aid, traitee: true });
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

ajouterChemins({
  '/credits/alertes': {
    get: {
      operationId: 'alertesCredits',
      summary: 'Refus enregistrés (dont insuffisances de crédits à signaler au délégant) et alertes de l’année',
      responses: { '200': { description: 'Alertes' }, ...reponsesErreur(401, 403) },
    },
  },
  '/credits/alertes/{aid}/traitement': {
    post: {
      operationId: 'traiterAlerte',
      summary: 'Marque une alerte comme traitée',
      parameters: [{ name: 'aid', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { '200': { description: 'Traitée' }, ...reponsesErreur(401, 403, 404) },
    },
  },
});
