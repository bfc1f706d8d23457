import { Hono, type Context } from 'hono';
import { appliquer } from '../../domain/avenant.js';
import type { ReunionComite } from '../../domain/comite.js';
import { terme, type Convention } from '../../domain/convention.js';
import { addMonths } from '../../domain/dates.js';
import { ConflictError, ValidationError, type FieldError } from '../../domain/errors.js';
import { consignerCopieAvenant, creerAvenant, projetAvenantComite, signerAvenant } from '../../usecases/avenant.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireConvention } from '../../usecases/convention.js';
import { copieEntreeApi, modificationsDuFormulaire } from '../api/avenant.js';
import { signatureEntreeApi } from '../api/convention-cycle.js';
import type { Env } from '../auth.js';
import { erreursApi } from '../errors.js';
import { champsDepuisConvention, conventionDepuisFormulaire, type FormFields } from '../form.js';
import { AvenantFormulairePage } from '../pages/avenant-formulaire.js';
import { pageConvention } from './convention.js';
import { fichier } from './convention-cycle.js';
import { corps, lireFormulaire, traiter } from './operation.js';

/** Drafting an avenant from the convention's page, and its signature. */
export function avenantPages(ctx: Contexte) {
  const app = new Hono<Env>();

  const formulaire = (
    c: Context<Env>,
    conv: Convention,
    f: FormFields,
    erreurs: FieldError[],
    status = 200,
    comite: ReunionComite | null = null,
  ) =>
    c.html(
      <AvenantFormulairePage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        convention={conv}
        f={f}
        erreurs={erreurs}
        comite={comite}
      />,
      status as 200,
    );

  app.get('/conventions/:id/avenants/nouveau', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    // « rédiger l'avenant » from a committee: the draft its decision calls for, prefilled
    const cid = c.req.query('comite');
    if (cid !== undefined) {
      const n = /^\d{1,15}$/.test(cid) ? Number(cid) : NaN;
      try {
        const p = await projetAvenantComite(ctx, c.var.acteur, conv.id, n);
        const f = champsDepuisConvention(appliquer(conv, p.modifications));
        f['avenant.objet'] = p.objet;
        f['avenant.date_effet'] = p.dateEffet;
        f['avenant.comite'] = String(p.comite.id);
        return formulaire(c, conv, f, [], 200, p.comite);
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        return formulaire(c, conv, champsDepuisConvention(conv), [{ champ: 'avenant.objet', message: e.message }], 409);
      }
    }
    const f = champsDepuisConvention(conv);
    // « préparer la suite » : an avenant that prolongs the convention, its end moved by the months asked
    const mois = Number(c.req.query('prolonger'));
    const fin = terme(conv);
    if (Number.isInteger(mois) && mois >= 1 && mois <= 48 && fin) {
      if (conv.dateFin) f['date_fin'] = addMonths(conv.dateFin, mois);
      if (conv.dureeMois !== null) f['duree_mois'] = String(conv.dureeMois + mois);
      f['avenant.objet'] = `Prolongation de la convention de ${mois} mois`;
      f['avenant.date_effet'] = fin;
    }
    return formulaire(c, conv, f, []);
  });

  app.post('/conventions/:id/avenants', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    const f = await corps(c);
    const { entree, erreurs } = conventionDepuisFormulaire({ ...champsDepuisConvention(conv), ...f });
    if (erreurs.length) return formulaire(c, conv, f, erreurs, 400);
    // the committee whose decision the draft answers, carried by the form that it prefilled
    const cid = (f['avenant.comite'] ?? '').trim();
    const comiteId = cid === '' ? null : /^\d{1,15}$/.test(cid) ? Number(cid) : NaN;
    const m = modificationsDuFormulaire(conv, entree as Record<string, unknown>);
    if (!m.ok) return formulaire(c, conv, f, m.erreurs.map(champDuFormulaire), 400);
    try {
      const a = await creerAvenant(ctx, c.var.acteur, conv.id, {
        objet: f['avenant.objet'] ?? '',
        dateEffet: (f['avenant.date_effet'] ?? '').trim(),
        modifications: m.m,
        comiteId,
      });
      return c.redirect(`/conventions/${conv.id}?ok=avenant-${a.numero}#avenants`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return formulaire(c, conv, f, erreursApi(e.erreurs).map(champDuFormulaire), 400);
      if (e instanceof ConflictError)
        return formulaire(c, conv, f, [{ champ: 'avenant.objet', message: e.message }], 409);
      throw e;
    }
  });
  app.post('/conventions/:id/avenants/:numero/signature', async (c) => {
    const id = c.req.param('id');
    const numero = /^\d{1,6}$/.test(c.req.param('numero')) ? Number(c.req.param('numero')) : -1;
    const f = await corps(c);
    delete f.fichier;
    const { data, erreurs } = lireFormulaire(f, { partie: 'texte', date: 'texte' }, signatureEntreeApi);
    return traiter(
      c,
      'avenant',
      f,
      erreurs,
      data &&
        (async () => {
          await signerAvenant(ctx, c.var.acteur, id, numero, { ...data, document: await fichier(c) });
          return `/conventions/${id}?ok=signature#avenants`;
        }),
      (etat, status) => pageConvention(ctx, c, id, etat, status),
    );
  });
  app.post('/conventions/:id/avenants/:numero/copies', async (c) => {
    const id = c.req.param('id');
    const numero = /^\d{1,6}$/.test(c.req.param('numero')) ? Number(c.req.param('numero')) : -1;
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { destinataire: 'texte', date: 'texte' }, copieEntreeApi);
    return traiter(
      c,
      `copie-${numero}`,
      f,
      erreurs,
      data &&
        (async () => {
          await consignerCopieAvenant(ctx, c.var.acteur, id, numero, data);
          return `/conventions/${id}?ok=copie#avenant-${numero}`;
        }),
      (etat, status) => pageConvention(ctx, c, id, etat, status),
    );
  });
  return app;
}

/** The use case's field names, as the form names them. */
function champDuFormulaire(e: FieldError): FieldError {
  if (e.champ === 'objet' || e.champ === 'date_effet') return { ...e, champ: `avenant.${e.champ}` };
  if (e.champ === 'modifications') return { ...e, champ: 'avenant.objet' };
  return { ...e, champ: e.champ.replace(/^modifications\./, '') };
}
