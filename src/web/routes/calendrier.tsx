import { Hono } from 'hono';
import { peutDeroger } from '../../domain/acces.js';
import { ForbiddenError, ValidationError, type FieldError } from '../../domain/errors.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireParametres, modifierParametres } from '../../usecases/calendrier.js';
import { parametresDepuisApi, parametresEntreeApi, parametresVersApi } from '../api/calendrier.js';
import type { Env } from '../auth.js';
import type { FormFields, TypeChamp } from '../form.js';
import { CalendrierPage } from '../pages/calendrier.js';
import { corps, FLASH, lireFormulaire } from './operation.js';

/** The year-end calendar: read by every agent, changed by an administrator with a reason. */

const champsCalendrier = (p: ReturnType<typeof parametresVersApi>): FormFields =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));

export function calendrierPages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/credits/calendrier', async (c) => {
    if (c.var.acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter le calendrier.');
    const p = await lireParametres(ctx);
    return c.html(
      <CalendrierPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        f={champsCalendrier(parametresVersApi(p))}
        erreurs={[]}
        flash={c.req.query('ok') === 'calendrier' ? { type: 'success', message: FLASH.calendrier } : null}
      />,
    );
  });

  app.post('/credits/calendrier', async (c) => {
    if (!peutDeroger(c.var.acteur))
      throw new ForbiddenError('Seul un administrateur peut modifier le calendrier de fin de gestion.');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      limite_paiements: 'texte',
      limite_engagements: 'texte',
      limite_report: 'texte',
      reprise: 'texte',
      avertissement_jours: 'entier',
      debut_alertes_sous_consommation: 'texte',
      motif: 'texte',
    };
    const { data, erreurs } = lireFormulaire(f, types, parametresEntreeApi);
    const reafficher = (e: FieldError[]) =>
      c.html(<CalendrierPage acteur={c.var.acteur} csrf={c.var.csrf} f={f} erreurs={e} />, 400);
    if (!data) return reafficher(erreurs);
    try {
      await modifierParametres(ctx, c.var.acteur, parametresDepuisApi(data), data.motif);
    } catch (e) {
      if (e instanceof ValidationError) {
        const noms: Record<string, string> = {
          limitePaiements: 'limite_paiements',
          limiteEngagements: 'limite_engagements',
          limiteReport: 'limite_report',
          reprise: 'reprise',
          avertissementJours: 'avertissement_jours',
          debutAlertesSousConsommation: 'debut_alertes_sous_consommation',
        };
        return reafficher(e.erreurs.map((x) => ({ champ: noms[x.champ] ?? x.champ, message: x.message })));
      }
      throw e;
    }
    return c.redirect('/credits/calendrier?ok=calendrier', 303);
  });

  return app;
}
