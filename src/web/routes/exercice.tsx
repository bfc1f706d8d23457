import { Hono, type Context } from 'hono';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { estRefus } from '../errors.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  cloturerExercice,
  enregistrerAccordReport,
  lireBilan,
  lireExercice,
  modifierCalendrier,
} from '../../usecases/exercice.js';
import { accordReportEntreeApi, anneeDe, calendrierExerciceEntreeApi } from '../api/exercice.js';
import type { Env } from '../auth.js';
import type { TypeChamp } from '../form.js';
import { BilanPage, ExercicePage } from '../pages/exercice.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { corps, flashDe, lireFormulaire, traiter } from './operation.js';

/** Year-end closing pages: the exercise and its closing, a convention's statement and the délégant's agreement. */

function annee(c: Context<Env>): number {
  const a = anneeDe(c.req.param('annee'));
  if (a === null) throw new NotFoundError('Exercice', c.req.param('annee') ?? '');
  return a;
}

export function exercicePages(ctx: Contexte) {
  const app = new Hono<Env>();

  const pageExercice = async (c: Context<Env>, etat: EtatFormulaire | null = null, status = 200) =>
    c.html(
      <ExercicePage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        vue={await lireExercice(ctx, c.var.acteur, annee(c))}
        etat={etat}
        flash={etat ? null : flashDe(c)}
      />,
      status as 200,
    );
  const pageBilan = async (c: Context<Env>, etat: EtatFormulaire | null = null, status = 200) =>
    c.html(
      <BilanPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        b={await lireBilan(ctx, c.var.acteur, c.req.param('id')!, annee(c))}
        etat={etat}
        flash={etat ? null : flashDe(c)}
      />,
      status as 200,
    );

  app.get('/exercices/:annee', (c) => pageExercice(c));

  app.post('/exercices/:annee/cloture', async (c) => {
    const a = annee(c);
    const f = await corps(c);
    const conventionId = typeof f.convention_id === 'string' && f.convention_id ? f.convention_id : null;
    try {
      await cloturerExercice(ctx, c.var.acteur, a, conventionId);
    } catch (e) {
      if (estRefus(e))
        return pageExercice(
          c,
          { form: 'cloture', f, erreurs: [], refus: e.message },
          e instanceof ValidationError ? 400 : 409,
        );
      throw e;
    }
    return c.redirect(
      conventionId ? `/conventions/${conventionId}/exercices/${a}/bilan?ok=cloture` : `/exercices/${a}?ok=cloture`,
      303,
    );
  });

  app.post('/exercices/:annee/calendrier', async (c) => {
    const a = annee(c);
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      ouverture_cloture: 'texte',
      limite_report: 'texte',
      limite_cloture: 'texte',
    };
    const { data, erreurs } = lireFormulaire(f, types, calendrierExerciceEntreeApi);
    return traiter(
      c,
      'calendrier',
      f,
      erreurs,
      data &&
        (async () => {
          await modifierCalendrier(ctx, c.var.acteur, {
            annee: a,
            ouvertureCloture: data.ouverture_cloture,
            limiteReport: data.limite_report,
            limiteCloture: data.limite_cloture,
          });
          return `/exercices/${a}?ok=calendrier`;
        }),
      (etat, status) => pageExercice(c, etat, status),
    );
  });

  app.get('/conventions/:id/exercices/:annee/bilan', (c) => pageBilan(c));

  app.post('/conventions/:id/exercices/:annee/accord-report', async (c) => {
    const a = annee(c);
    const id = c.req.param('id');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      date_accord: 'texte',
      auteur: 'texte',
      ae_centimes: 'euros',
      cp_centimes: 'euros',
    };
    const { data, erreurs } = lireFormulaire(f, types, accordReportEntreeApi);
    return traiter(
      c,
      'accord',
      f,
      erreurs,
      data &&
        (async () => {
          await enregistrerAccordReport(ctx, c.var.acteur, id, a, {
            dateAccord: data.date_accord,
            auteur: data.auteur,
            aeCentimes: data.ae_centimes ?? null,
            cpCentimes: data.cp_centimes ?? null,
          });
          return `/conventions/${id}/exercices/${a}/bilan?ok=accord_report`;
        }),
      (etat, status) => pageBilan(c, etat, status),
    );
  });

  return app;
}
