import { DomainError } from '../../domain/errors.js';
import { ANNEE_MAX, ANNEE_MIN } from '../../domain/exercice.js';
import { Hono, type Context } from 'hono';
import { today } from '../../domain/dates.js';
import { etatEngagement, LIBELLES_ETAT_ENGAGEMENT, montantNet, type Engagement } from '../../domain/engagement.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireCredits } from '../../usecases/credit.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  enregistrerPaiement,
  exporterEngagements,
  lireEngagementDetail,
  solderEngagement,
} from '../../usecases/engagement.js';
import {
  annulationEntreeApi,
  engagementEntreeApi,
  paiementEntreeApi,
  serviceFaitEntreeApi,
  soldeEntreeApi,
} from '../api/engagement.js';
import type { Env } from '../auth.js';
import { envoyerExport, type Colonne } from '../export.js';
import { anneeLue, type TypeChamp } from '../form.js';
import { EngagementPage } from '../pages/engagement.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { pageCredits } from './credit.js';
import { avecDerogation, confirmation, corps, flashDe, lireFormulaire, traiter } from './operation.js';

/** Orders from a convention's credits page: creation, the order's page, service fait, payment, closing, cancelling, exports. */

async function pageEngagement(
  ctx: Contexte,
  c: Context<Env>,
  id: string,
  eid: string,
  etat: EtatFormulaire | null,
  status = 200,
) {
  const acteur = c.var.acteur;
  const [v, d] = await Promise.all([lireCredits(ctx, acteur, id), lireEngagementDetail(ctx, acteur, id, eid)]);
  return c.html(
    <EngagementPage
      acteur={acteur}
      csrf={c.var.csrf}
      v={v}
      e={d.engagement}
      mouvements={d.mouvements}
      etat={etat}
      flash={status === 200 ? flashDe(c) : null}
    />,
    status as 200,
  );
}

const colonnesEngagements: Colonne<Engagement>[] = [
  { titre: 'Numéro', valeur: (e) => e.numero },
  { titre: 'Année', valeur: (e) => e.annee, largeur: 8 },
  { titre: 'Date de la commande', valeur: (e) => e.dateEngagement, date: 'jour', largeur: 12 },
  { titre: 'Enregistré le', valeur: (e) => e.creeLe, date: 'instant', largeur: 17 },
  { titre: 'Titulaire', valeur: (e) => e.titulaire },
  { titre: 'Marché', valeur: (e) => e.marche },
  { titre: 'Devis', valeur: (e) => e.devis },
  { titre: 'Objet', valeur: (e) => e.objet, largeur: 40 },
  { titre: 'Produit', valeur: (e) => e.produit },
  { titre: 'Base', valeur: (e) => e.baseMontant, largeur: 6 },
  { titre: 'Montant (€)', valeur: (e) => e.montantCentimes, euros: true },
  { titre: 'Taux de TVA (%)', valeur: (e) => e.tauxTva, largeur: 8 },
  { titre: 'Montant imputé (€)', valeur: (e) => e.montantImputeCentimes, euros: true },
  { titre: 'AE libérées (€)', valeur: (e) => e.libereCentimes, euros: true },
  { titre: 'Montant net (€)', valeur: (e) => montantNet(e), euros: true },
  { titre: 'Service fait (€)', valeur: (e) => e.certifieCentimes, euros: true },
  { titre: 'Payé (€)', valeur: (e) => e.payeCentimes, euros: true },
  { titre: 'État', valeur: (e) => LIBELLES_ETAT_ENGAGEMENT[etatEngagement(e)] },
];

export function engagementPages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.post('/conventions/:id/credits/engagements', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = {
      annee: 'entier',
      montant_centimes: 'euros',
      objet: 'texte',
      titulaire: 'texte',
      base_montant: 'texte',
      taux_tva: 'nombre',
      numero: 'texte',
      marche: 'texte',
      devis: 'texte',
      produit: 'texte',
      date_engagement: 'texte',
      date_fin_prestation: 'texte',
      derogation_motif: 'texte',
    };
    const { data, erreurs } = lireFormulaire(f, types, engagementEntreeApi, avecDerogation);
    const annee = anneeLue(f.annee);
    return traiter(
      c,
      'engagement',
      f,
      erreurs,
      data &&
        (async () => {
          const r = await creerEngagement(
            ctx,
            c.var.acteur,
            id,
            {
              numero: data.numero,
              annee: data.annee,
              dateEngagement: data.date_engagement ?? today(ctx.now()),
              dateFinPrestation: data.date_fin_prestation ?? null,
              titulaire: data.titulaire,
              marche: data.marche,
              devis: data.devis,
              objet: data.objet,
              produit: data.produit,
              montantCentimes: data.montant_centimes,
              baseMontant: data.base_montant ?? null,
              tauxTva: data.taux_tva ?? null,
            },
            data.derogation ?? null,
          );
          return {
            url: `/conventions/${id}/credits/engagements/${r.valeur.id}?ok=engagement`,
            avertissements: r.avertissements,
          };
        }),
      (etat, status) => pageCredits(ctx, c, id, annee, etat, status),
    );
  });

  app.get('/conventions/:id/credits/engagements/:eid', (c) =>
    pageEngagement(ctx, c, c.req.param('id'), c.req.param('eid'), null),
  );

  app.post('/conventions/:id/credits/engagements/:eid/service-fait', async (c) => {
    const id = c.req.param('id');
    const eid = c.req.param('eid');
    const f = await corps(c);
    const mode = f.mode;
    const types: Record<string, TypeChamp> = {
      date: 'texte',
      certificateur: 'texte',
      ...(mode === 'pourcentage' ? { pourcentage: 'nombre' } : mode === 'total' ? {} : { montant_centimes: 'euros' }),
    };
    const { data, erreurs } = lireFormulaire(f, types, serviceFaitEntreeApi, (o) =>
      mode === 'total' ? { ...o, total: true } : o,
    );
    if (erreurs.some((e) => e.champ === 'montant_centimes') && mode === 'pourcentage')
      erreurs.forEach((e) => (e.champ = e.champ === 'montant_centimes' ? 'pourcentage' : e.champ));
    return traiter(
      c,
      'service_fait',
      f,
      erreurs,
      data &&
        (async () => {
          const demande = data.total
            ? { total: true as const }
            : data.pourcentage !== undefined
              ? { pourcentage: data.pourcentage }
              : { montantCentimes: data.montant_centimes! };
          const r = await constaterServiceFait(ctx, c.var.acteur, id, eid, demande, {
            date: data.date,
            certificateur: data.certificateur,
          });
          return {
            url: `/conventions/${id}/credits/engagements/${eid}?ok=service_fait`,
            avertissements: r.avertissements,
          };
        }),
      (etat, status) => pageEngagement(ctx, c, id, eid, etat, status),
    );
  });

  app.post('/conventions/:id/credits/engagements/:eid/paiement', async (c) => {
    const id = c.req.param('id');
    const eid = c.req.param('eid');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(
      f,
      { montant_centimes: 'euros', reference: 'texte', date: 'texte', derogation_motif: 'texte' },
      paiementEntreeApi,
      avecDerogation,
    );
    return traiter(
      c,
      'paiement',
      f,
      erreurs,
      data &&
        (async () => {
          const r = await enregistrerPaiement(
            ctx,
            c.var.acteur,
            id,
            eid,
            { montantCentimes: data.montant_centimes, reference: data.reference, date: data.date },
            data.derogation ?? null,
          );
          return { url: `/conventions/${id}/credits/engagements/${eid}?ok=paiement`, avertissements: r.avertissements };
        }),
      (etat, status) => pageEngagement(ctx, c, id, eid, etat, status),
    );
  });

  app.post('/conventions/:id/credits/engagements/:eid/solde', async (c) => {
    const id = c.req.param('id');
    const eid = c.req.param('eid');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { montant_reel_centimes: 'euros', motif: 'texte' }, soldeEntreeApi);
    return traiter(
      c,
      'solde',
      f,
      confirmation(f, erreurs, 'Cochez la case pour confirmer le solde : il est définitif.'),
      data &&
        (async () => {
          const r = await solderEngagement(ctx, c.var.acteur, id, eid, data.montant_reel_centimes ?? null, data.motif);
          return { url: `/conventions/${id}/credits/engagements/${eid}?ok=solde`, avertissements: r.avertissements };
        }),
      (etat, status) => pageEngagement(ctx, c, id, eid, etat, status),
    );
  });

  app.post('/conventions/:id/credits/engagements/:eid/annulation', async (c) => {
    const id = c.req.param('id');
    const eid = c.req.param('eid');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { motif: 'texte' }, annulationEntreeApi);
    return traiter(
      c,
      'annulation',
      f,
      confirmation(f, erreurs, 'Cochez la case pour confirmer l’annulation : elle est définitive.'),
      data &&
        (async () => {
          const r = await annulerEngagement(ctx, c.var.acteur, id, eid, data.motif);
          return {
            url: `/conventions/${id}/credits/engagements/${eid}?ok=annulation`,
            avertissements: r.avertissements,
          };
        }),
      (etat, status) => pageEngagement(ctx, c, id, eid, etat, status),
    );
  });

  for (const format of ['csv', 'xlsx']) {
    app.get(`/conventions/:id/credits/engagements.${format}`, async (c) => {
      const brut = c.req.query('annee');
      const annee = anneeLue(brut);
      // an export filtered on a year nobody asked for would look complete: a wrong year is refused
      if (brut !== undefined && brut.trim() !== '' && annee === null)
        throw new DomainError(
          'DONNEES_INVALIDES',
          `« ${brut.slice(0, 20)} » n’est pas une année budgétaire : indiquez une année entre ${ANNEE_MIN} et ${ANNEE_MAX}.`,
        );
      const { convention, engagements } = await exporterEngagements(
        ctx,
        c.var.acteur,
        c.req.param('id'),
        annee ?? undefined,
      );
      const nom = `engagements-${(convention.reference ?? convention.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
      return envoyerExport(c, format, nom, colonnesEngagements, engagements);
    });
  }

  return app;
}
