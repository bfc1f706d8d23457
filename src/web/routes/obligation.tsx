import { Hono } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireObligations, modifierObligations } from '../../usecases/obligation.js';
import { obligationsEntreeApi } from '../api/obligation.js';
import type { Env } from '../auth.js';
import type { TypeChamp } from '../form.js';
import { PREFIXE_NOUVELLE_OBLIGATION, prefixeObligation } from '../pages/obligation.js';
import { fichier } from './convention-cycle.js';
import { corps, traiter } from './operation.js';
import { lireAvecRequis, pageGouvernance, renommer, sansPrefixe } from './gouvernance.js';

/** Completing one obligation from the checklist: its state, its evidence, the reason of a waiver; adding a free one. */
export function obligationPages(ctx: Contexte) {
  const app = new Hono<Env>();

  // a free obligation, outside the family's catalogue: the DINUM's budget roles add it (the use case checks)
  app.post('/conventions/:id/obligations', async (c) => {
    const id = c.req.param('id');
    const prefixe = PREFIXE_NOUVELLE_OBLIGATION;
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      partie: 'texte',
      libelle: 'texte',
      echeance: 'texte',
      date_limite: 'texte',
    };
    const lu = lireAvecRequis(
      sansPrefixe(f, prefixe),
      types,
      obligationsEntreeApi,
      {
        partie: 'Choisissez la partie qui doit l’obligation.',
        libelle: 'Indiquez l’obligation.',
        echeance: 'Choisissez quand elle est due.',
      },
      (x) => ({
        items: [
          {
            id: null,
            partie: x.partie ?? '',
            libelle: x.libelle ?? '',
            echeance: x.echeance ?? '',
            date_limite: x.date_limite || null,
            etat: 'a_faire',
          },
        ],
      }),
    );
    // a missing field says so once: its own message, not also the schema's
    const vus = new Set<string>();
    const erreurs = lu.erreurs.filter((e) => {
      const champ = e.champ.replace(/^items\.0\./, '');
      if (vus.has(champ)) return false;
      vus.add(champ);
      return true;
    });
    const data = lu.data;
    return traiter(
      c,
      'obligation-nouvelle',
      f,
      erreurs,
      data &&
        (async () => {
          const [m] = data.items;
          await modifierObligations(ctx, c.var.acteur, id, [
            {
              id: null,
              partie: m!.partie,
              libelle: m!.libelle,
              echeance: m!.echeance,
              dateLimite: m!.date_limite,
              mesure: null,
              etat: 'a_faire',
              preuveUrl: null,
              motifLevee: null,
            },
          ]);
          return `/conventions/${id}/gouvernance?ok=obligation_ajoutee#obligations`;
        }),
      (etat, status) =>
        pageGouvernance(
          ctx,
          c,
          { ...etat, erreurs: renommer(etat.erreurs, (x) => prefixe + x.replace(/^items\.0\./, '')) },
          status,
        ),
    );
  });

  app.post('/conventions/:id/obligations/:oid', async (c) => {
    const id = c.req.param('id');
    const oid = Number(c.req.param('oid'));
    const o = Number.isSafeInteger(oid)
      ? (await lireObligations(ctx, c.var.acteur, id)).items.find((x) => x.id === oid)
      : undefined;
    if (!o) throw new NotFoundError('Obligation', c.req.param('oid'));
    const prefixe = prefixeObligation(oid);
    const f = await corps(c);
    const preuve = await fichier(c);
    delete f.fichier;
    const types: Record<string, TypeChamp> = { etat: 'texte', preuve_url: 'texte', motif_levee: 'texte' };
    // the obligation as it is defined, with what the form changes: its state, evidence and waiver
    const { data, erreurs } = lireAvecRequis(
      sansPrefixe(f, prefixe),
      types,
      obligationsEntreeApi,
      { etat: 'Choisissez l’état de l’obligation.' },
      (x) => ({
        items: [
          {
            id: o.id,
            partie: o.partie,
            libelle: o.libelle,
            echeance: o.echeance,
            date_limite: o.dateLimite,
            mesure: o.mesure,
            etat: x.etat ?? '',
            preuve_url: x.preuve_url ?? null,
            motif_levee: x.motif_levee ?? null,
          },
        ],
      }),
    );
    return traiter(
      c,
      `obligation-${oid}`,
      f,
      erreurs,
      data &&
        (async () => {
          await modifierObligations(
            ctx,
            c.var.acteur,
            id,
            data.items.map((m) => ({
              id: m.id,
              partie: m.partie,
              libelle: m.libelle,
              echeance: m.echeance,
              dateLimite: m.date_limite,
              mesure: m.mesure,
              etat: m.etat,
              preuveUrl: m.preuve_url,
              motifLevee: m.motif_levee,
              fichier: preuve,
            })),
          );
          return `/conventions/${id}/gouvernance?ok=obligation#obligation-${oid}`;
        }),
      (etat, status) =>
        pageGouvernance(
          ctx,
          c,
          { ...etat, erreurs: renommer(etat.erreurs, (x) => prefixe + x.replace(/^items\.0\./, '')) },
          status,
        ),
    );
  });

  return app;
}
