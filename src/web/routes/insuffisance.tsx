import { Hono, type Context } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireConventionCreditsLisible } from '../../usecases/credit.js';
import {
  informerDelegant,
  lireDelai,
  listerInsuffisancesConvention,
  listerInsuffisancesEnCoursPerimetre,
  modifierDelai,
  repondreInsuffisance,
} from '../../usecases/insuffisance.js';
import type { Env } from '../auth.js';
import type { TypeChamp } from '../form.js';
import { InsuffisancesEnCoursPage, InsuffisancesPage } from '../pages/insuffisance.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { corps, flashDe, lireFormulaire, traiter } from './operation.js';
import { delaiEntreeApi, informationEntreeApi, reponseEntreeApi } from '../api/insuffisance.js';

/** The insufficiency cases page of a convention, and its forms: informing the délégant, its refusal. */

export function insuffisancePages(ctx: Contexte) {
  const app = new Hono<Env>();

  const page = async (c: Context<Env>, etat: EtatFormulaire | null = null, status = 200) => {
    const id = c.req.param('id')!;
    const convention = await lireConventionCreditsLisible(ctx, c.var.acteur, id);
    const cas = await listerInsuffisancesConvention(ctx, c.var.acteur, id);
    return c.html(
      <InsuffisancesPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        convention={convention}
        cas={cas}
        etat={etat}
        flash={etat ? null : flashDe(c)}
      />,
      status as 200,
    );
  };
  const casDe = (c: Context<Env>) => {
    const n = Number(c.req.param('cas'));
    if (!Number.isSafeInteger(n)) throw new NotFoundError('Insuffisance', c.req.param('cas') ?? '');
    return n;
  };

  app.get('/conventions/:id/insuffisances', (c) => page(c));

  app.post('/conventions/:id/insuffisances/:cas/information', async (c) => {
    const id = c.req.param('id');
    const n = casDe(c);
    const f = await corps(c);
    const types: Record<string, TypeChamp> = { date: 'texte', moyen: 'texte', justification: 'texte' };
    const { data, erreurs } = lireFormulaire(f, types, informationEntreeApi);
    return traiter(
      c,
      `information-${n}`,
      f,
      erreurs,
      data &&
        (async () => {
          await informerDelegant(ctx, c.var.acteur, id, n, data);
          return `/conventions/${id}/insuffisances?ok=information`;
        }),
      (etat, status) => page(c, etat, status),
    );
  });

  app.post('/conventions/:id/insuffisances/:cas/reponse', async (c) => {
    const id = c.req.param('id');
    const n = casDe(c);
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      date: 'texte',
      decision: 'texte',
      motif: 'texte',
      annee: 'entier',
      ae_centimes: 'euros',
      cp_centimes: 'euros',
    };
    const { data, erreurs } = lireFormulaire(f, types, reponseEntreeApi, ajustementDuFormulaire);
    return traiter(
      c,
      `reponse-${n}`,
      f,
      erreurs,
      data &&
        (async () => {
          const a = data.ajustement;
          await repondreInsuffisance(ctx, c.var.acteur, id, n, {
            date: data.date,
            decision: data.decision,
            motif: data.motif,
            ajustement: a ? { annee: a.annee, aeCentimes: a.ae_centimes, cpCentimes: a.cp_centimes } : null,
          });
          return `/conventions/${id}/insuffisances?ok=reponse`;
        }),
      (etat, status) => page(c, etat, status),
    );
  });

  const pageEnCours = async (c: Context<Env>, etat: EtatFormulaire | null = null, status = 200) => {
    const [cas, delai] = await Promise.all([listerInsuffisancesEnCoursPerimetre(ctx, c.var.acteur), lireDelai(ctx)]);
    return c.html(
      <InsuffisancesEnCoursPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        cas={cas}
        delai={delai}
        etat={etat}
        flash={etat ? null : flashDe(c)}
      />,
      status as 200,
    );
  };

  app.get('/insuffisances', (c) => pageEnCours(c));

  app.post('/insuffisances/delai', async (c) => {
    const f = await corps(c);
    const types: Record<string, TypeChamp> = { delai_jours: 'entier', motif: 'texte' };
    const { data, erreurs } = lireFormulaire(f, types, delaiEntreeApi);
    return traiter(
      c,
      'delai',
      f,
      erreurs,
      data &&
        (async () => {
          await modifierDelai(ctx, c.var.acteur, data.delai_jours, data.motif);
          return '/insuffisances?ok=delai';
        }),
      (etat, status) => pageEnCours(c, etat, status),
    );
  });

  return app;
}

/** The form's flat adjustment fields, nested as the API's `ajustement` when the decision is one. */
const ajustementDuFormulaire = (o: Record<string, unknown>) => {
  const { annee, ae_centimes, cp_centimes, ...rest } = o;
  return rest.decision === 'ajustement'
    ? { ...rest, ajustement: { annee, ae_centimes: ae_centimes ?? 0, cp_centimes: cp_centimes ?? 0 } }
    : rest;
};
