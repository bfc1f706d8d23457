import { Hono, type Context } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { creerPromotion, declarerEnveloppe, listerPromotionsFast } from '../../usecases/promotion.js';
import { enveloppeEntreeApi, promotionEntreeApi } from '../api/promotion.js';
import type { Env } from '../auth.js';
import type { TypeChamp } from '../form.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { prefixeEnveloppe, PromotionsPage } from '../pages/promotion.js';
import { fichier } from './convention-cycle.js';
import { corps, traiter } from './operation.js';
import { lireAvecRequis, pageGouvernance, renommer, sansPrefixe } from './gouvernance.js';

/** The FAST promotions page, and its forms: a new promotion, a laureate's matching envelope. */

const FLASH_PROMOTION: Record<string, string> = {
  promotion: 'La promotion est enregistrée.',
  enveloppe: 'L’enveloppe de cofinancement est enregistrée.',
};

export function promotionPages(ctx: Contexte) {
  const app = new Hono<Env>();

  const page = async (c: Context<Env>, etat: EtatFormulaire | null = null, status = 200) => {
    const promotions = await listerPromotionsFast(ctx, c.var.acteur);
    const ok = FLASH_PROMOTION[c.req.query('ok') ?? ''];
    return c.html(
      <PromotionsPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        promotions={promotions}
        etat={etat}
        flash={!etat && ok ? { type: 'success', message: ok } : null}
      />,
      status as 200,
    );
  };

  app.get('/fast/promotions', (c) => page(c));

  app.post('/fast/promotions', async (c) => {
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      numero: 'entier',
      appel_ouverture: 'texte',
      appel_cloture: 'texte',
      comite_selection: 'texte',
      lancement: 'texte',
      mi_parcours: 'texte',
      demo_day: 'texte',
      plafond_laureat_centimes: 'euros',
    };
    const { data, erreurs } = lireAvecRequis(f, types, promotionEntreeApi, {
      numero: 'Indiquez le numéro de la promotion.',
    });
    return traiter(
      c,
      'promotion',
      f,
      erreurs,
      data &&
        (async () => {
          await creerPromotion(ctx, c.var.acteur, {
            numero: data.numero,
            appelOuverture: data.appel_ouverture,
            appelCloture: data.appel_cloture,
            comiteSelection: data.comite_selection,
            lancement: data.lancement,
            miParcours: data.mi_parcours,
            demoDay: data.demo_day,
            plafondLaureatCentimes: data.plafond_laureat_centimes,
          });
          return `/fast/promotions?ok=promotion#promotion-${data.numero}`;
        }),
      (etat, status) => page(c, etat, status),
    );
  });

  app.post('/fast/enveloppes/:id', async (c) => {
    const id = c.req.param('id');
    const prefixe = prefixeEnveloppe(id);
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      montant_centimes: 'euros',
      engage_centimes: 'euros',
      preuve_url: 'texte',
    };
    const { data, erreurs } = lireAvecRequis(sansPrefixe(f, prefixe), types, enveloppeEntreeApi, {
      engage_centimes: 'Indiquez le montant engagé (0 si rien ne l’est encore).',
    });
    return traiter(
      c,
      `enveloppe-${id}`,
      f,
      erreurs,
      data &&
        (async () => {
          await declarerEnveloppe(ctx, c.var.acteur, id, {
            montantCentimes: data.montant_centimes,
            engageCentimes: data.engage_centimes,
            preuveUrl: data.preuve_url,
          });
          return '/fast/promotions?ok=enveloppe';
        }),
      (etat, status) => page(c, { ...etat, erreurs: renommer(etat.erreurs, (x) => prefixe + x) }, status),
    );
  });

  // the laureate's own form, on its governance page: the partner délégataire declares what it committed
  app.post('/conventions/:id/enveloppe', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const preuve = await fichier(c);
    delete f.fichier;
    const types: Record<string, TypeChamp> = {
      montant_centimes: 'euros',
      engage_centimes: 'euros',
      preuve_url: 'texte',
    };
    const { data, erreurs } = lireAvecRequis(f, types, enveloppeEntreeApi, {
      engage_centimes: 'Indiquez le montant engagé (0 si rien ne l’est encore).',
    });
    return traiter(
      c,
      'enveloppe',
      f,
      erreurs,
      data &&
        (async () => {
          await declarerEnveloppe(ctx, c.var.acteur, id, {
            montantCentimes: data.montant_centimes,
            engageCentimes: data.engage_centimes,
            preuveUrl: data.preuve_url,
            fichier: preuve,
          });
          return `/conventions/${id}/gouvernance?ok=enveloppe#enveloppe`;
        }),
      (etat, status) => pageGouvernance(ctx, c, etat, status),
    );
  });

  return app;
}
