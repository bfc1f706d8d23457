import { Hono } from 'hono';
import type { Contexte } from '../../usecases/contexte.js';
import { proposerEngagement, refuserProposition, validerProposition } from '../../usecases/proposition.js';
import {
  propositionDepuisApi,
  propositionEntreeApi,
  refusPropositionEntreeApi,
  validationPropositionEntreeApi,
} from '../api/proposition.js';
import type { Env } from '../auth.js';
import { anneeLue, type TypeChamp } from '../form.js';
import { pageCredits } from './credit.js';
import { avecDerogation, corps, lireFormulaire, traiter } from './operation.js';

/** Proposals from a convention's credits page: a product team proposes an order, the authorising officer validates or refuses it. */

export function propositionPages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.post('/conventions/:id/credits/propositions', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      annee: 'entier',
      montant_centimes: 'euros',
      objet: 'texte',
      titulaire: 'texte',
      base_montant: 'texte',
      marche: 'texte',
      devis: 'texte',
      produit: 'texte',
      date_fin_prestation: 'texte',
      justification: 'texte',
    };
    const { data, erreurs } = lireFormulaire(f, types, propositionEntreeApi);
    return traiter(
      c,
      'proposition',
      f,
      erreurs,
      data &&
        (async () => {
          await proposerEngagement(ctx, c.var.acteur, id, propositionDepuisApi(data));
          return `/conventions/${id}/credits?annee=${data.annee}&ok=proposition#propositions`;
        }),
      (etat, status) => pageCredits(ctx, c, id, anneeLue(f.annee), etat, status),
    );
  });

  app.post('/conventions/:id/credits/propositions/:pid/validation', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(
      f,
      { derogation_motif: 'texte' },
      validationPropositionEntreeApi,
      avecDerogation,
    );
    return traiter(
      c,
      `validation-${c.req.param('pid')}`,
      f,
      erreurs,
      data &&
        (async () => {
          const r = await validerProposition(ctx, c.var.acteur, id, c.req.param('pid'), data.derogation ?? null);
          // approved from « À faire »: back to the list, which no longer holds it
          const url =
            f.retour === 'a-faire'
              ? '/?ok=validation'
              : `/conventions/${id}/credits/engagements/${r.valeur.id}?ok=validation`;
          return { url, avertissements: r.avertissements };
        }),
      (etat, status) => pageCredits(ctx, c, id, anneeLue(f.annee), etat, status),
    );
  });

  app.post('/conventions/:id/credits/propositions/:pid/refus', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { motif: 'texte' }, refusPropositionEntreeApi);
    return traiter(
      c,
      `refus-${c.req.param('pid')}`,
      f,
      erreurs,
      data &&
        (async () => {
          await refuserProposition(ctx, c.var.acteur, id, c.req.param('pid'), data.motif);
          return `/conventions/${id}/credits?ok=refus_proposition#propositions`;
        }),
      (etat, status) => pageCredits(ctx, c, id, anneeLue(f.annee), etat, status),
    );
  });

  return app;
}
