import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { peutDeroger } from '../../domain/acces.js';
import { today } from '../../domain/dates.js';
import { etatEngagement, LIBELLES_ETAT_ENGAGEMENT, montantNet, type Engagement } from '../../domain/engagement.js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../domain/errors.js';
import type { LignePortefeuille } from '../../domain/credit.js';
import type { Contexte } from '../../usecases/conventions.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  deciderDisponibilite,
  enregistrerPaiement,
  exporterEngagements,
  libererTranche,
  lireCredits,
  lireEngagementDetail,
  lireParametres,
  lirePageCredits,
  lirePortefeuilleCredits,
  listerAlertesCredits,
  modifierParametres,
  reporterCredits,
  restituerCredits,
  solderEngagement,
  suspendreConvention,
  traiterAlerte,
  proposerEngagement,
  refuserProposition,
  validerProposition,
} from '../../usecases/credits.js';
import {
  disponibiliteEntreeApi,
  engagementEntreeApi,
  liberationEntreeApi,
  mouvementCreditsEntreeApi,
  paiementEntreeApi,
  parametresDepuisApi,
  parametresEntreeApi,
  parametresVersApi,
  portefeuilleFiltreApi,
  serviceFaitEntreeApi,
  soldeEntreeApi,
  annulationEntreeApi,
  propositionDepuisApi,
  propositionEntreeApi,
  refusPropositionEntreeApi,
  validationPropositionEntreeApi,
  suspensionEntreeApi,
  valider,
} from '../api/credits.js';
import type { Env } from '../auth.js';
import { erreursApi } from '../errors.js';
import { envoyerExport, type Colonne } from '../export.js';
import { champsVersApi, formToObject, type FormFields, type TypeChamp } from '../form.js';
import { AlertesPage, CalendrierPage } from '../pages/alertes.js';
import { CreditsPage, EngagementPage, type EtatFormulaire } from '../pages/credits.js';
import { PortefeuillePage, type FiltrePortefeuilleSaisi } from '../pages/portefeuille.js';
import { LIBELLES_ROLE_DINUM } from '../pages/libelles.js';

const FLASH: Record<string, string> = {
  engagement: 'Le bon de commande a été enregistré.',
  service_fait: 'Le service fait a été constaté.',
  paiement: 'Le paiement a été enregistré.',
  solde: 'Le bon de commande a été soldé ; les AE non utilisées sont libérées.',
  annulation: 'Le bon de commande a été annulé ; ses AE sont libérées.',
  tranche: 'La libération de la tranche a été consignée.',
  disponibilite: 'La mise à disposition a été consignée.',
  report: 'Le report a été enregistré.',
  restitution: 'La restitution a été enregistrée.',
  suspension: 'La convention est suspendue.',
  traitee: 'L’alerte est marquée comme traitée.',
  proposition: 'La proposition est transmise : elle sera engagée quand l’ordonnateur la validera.',
  validation: 'La proposition est validée : le bon de commande est enregistré.',
  refus_proposition: 'La proposition est refusée ; l’équipe voit le motif.',
  calendrier: 'Le calendrier a été enregistré.',
};

const flashDe = (c: Context) => {
  const msg = FLASH[c.req.query('ok') ?? ''];
  return msg ? { type: 'success' as const, message: msg } : null;
};

/** Parses a form against the API schema it mirrors; field errors are named like the API's. */
function lireFormulaire<S extends z.ZodType>(f: FormFields, types: Record<string, TypeChamp>, schema: S, transformer: (o: Record<string, unknown>) => Record<string, unknown> = (o) => o): { data: z.output<S> | null; erreurs: FieldError[] } {
  const { entree, erreurs } = champsVersApi(f, types);
  const p = valider(schema, transformer(entree));
  if (!p.ok) {
    const vus = new Set(erreurs.map((e) => e.champ));
    for (const e of p.erreurs) if (!vus.has(e.champ)) erreurs.push(e);
  }
  return { data: erreurs.length === 0 && p.ok ? p.data : null, erreurs };
}

const avecDerogation = (o: Record<string, unknown>) => {
  const { derogation_motif, ...rest } = o;
  return derogation_motif ? { ...rest, derogation: { motif: derogation_motif } } : rest;
};

export function creditPages(ctx: Contexte) {
  const app = new Hono<Env>();

  async function pageCredits(c: Context<Env>, id: string, annee: number | null, etat: EtatFormulaire | null, status = 200) {
    const page = Math.max(1, Math.min(100_000, Number(c.req.query('page')) || 1));
    const p = await lirePageCredits(ctx, c.var.acteur, id, { annee, page, taille: 50 });
    return c.html(
      <CreditsPage acteur={c.var.acteur} csrf={c.var.csrf} v={p.vue} annee={p.annee} engagements={{ ...p.engagements, page, taille: 50 }} disponibilites={p.disponibilites} serie={p.serie} refus={p.refus} propositions={p.propositions} etat={etat} flash={status === 200 ? flashDe(c) : null} />,
      status as 200,
    );
  }

  async function pageEngagement(c: Context<Env>, id: string, eid: string, etat: EtatFormulaire | null, status = 200) {
    const acteur = c.var.acteur;
    const [v, d] = await Promise.all([lireCredits(ctx, acteur, id), lireEngagementDetail(ctx, acteur, id, eid)]);
    return c.html(<EngagementPage acteur={acteur} csrf={c.var.csrf} v={v} e={d.engagement} mouvements={d.mouvements} etat={etat} flash={status === 200 ? flashDe(c) : null} />, status as 200);
  }

  /**
   * Runs a form's operation, then redirects (POST-redirect-GET); a refusal shows the page again with the
   * typed values and the French message, with the status the API would give.
   */
  async function traiter(c: Context<Env>, form: string, f: FormFields, erreursSaisie: FieldError[], op: (() => Promise<string>) | null, reafficher: (etat: EtatFormulaire, status: number) => Promise<Response>) {
    if (!op || erreursSaisie.length) return reafficher({ form, f, erreurs: erreursSaisie }, 400);
    try {
      return c.redirect(await op(), 303);
    } catch (e) {
      if (e instanceof ValidationError) return reafficher({ form, f, erreurs: erreursApi(e.erreurs) }, 400);
      if (e instanceof DomainError && !(e instanceof NotFoundError) && !(e instanceof ForbiddenError)) {
        return reafficher({ form, f, erreurs: [], refus: e.message }, 409);
      }
      throw e;
    }
  }

  const corps = async (c: Context<Env>) => formToObject(await c.req.parseBody({ all: true }));

  app.get('/conventions/:id/credits', async (c) => {
    const a = Number(c.req.query('annee'));
    return pageCredits(c, c.req.param('id'), Number.isInteger(a) && a >= 2000 && a <= 2100 ? a : null, null);
  });

  app.post('/conventions/:id/credits/engagements', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = { annee: 'entier', montant_centimes: 'euros', objet: 'texte', titulaire: 'texte', base_montant: 'texte', numero: 'texte', marche: 'texte', devis: 'texte', produit: 'texte', date_engagement: 'texte', date_fin_prestation: 'texte', derogation_motif: 'texte' };
    const { data, erreurs } = lireFormulaire(f, types, engagementEntreeApi, avecDerogation);
    const annee = Number(f.annee) || null;
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
            },
            data.derogation ?? null,
          );
          return `/conventions/${id}/credits/engagements/${r.valeur.id}?ok=engagement`;
        }),
      (etat, status) => pageCredits(c, id, annee, etat, status),
    );
  });

  app.post('/conventions/:id/credits/propositions', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = { annee: 'entier', montant_centimes: 'euros', objet: 'texte', titulaire: 'texte', base_montant: 'texte', marche: 'texte', devis: 'texte', produit: 'texte', date_fin_prestation: 'texte', justification: 'texte' };
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
      (etat, status) => pageCredits(c, id, Number(f.annee) || null, etat, status),
    );
  });

  app.post('/conventions/:id/credits/propositions/:pid/validation', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { derogation_motif: 'texte' }, validationPropositionEntreeApi, avecDerogation);
    return traiter(
      c,
      `proposition-${c.req.param('pid')}`,
      f,
      erreurs,
      data &&
        (async () => {
          const r = await validerProposition(ctx, c.var.acteur, id, c.req.param('pid'), data.derogation ?? null);
          return `/conventions/${id}/credits/engagements/${r.valeur.id}?ok=validation`;
        }),
      (etat, status) => pageCredits(c, id, null, etat, status),
    );
  });

  app.post('/conventions/:id/credits/propositions/:pid/refus', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { motif: 'texte' }, refusPropositionEntreeApi);
    return traiter(
      c,
      `proposition-${c.req.param('pid')}`,
      f,
      erreurs,
      data &&
        (async () => {
          await refuserProposition(ctx, c.var.acteur, id, c.req.param('pid'), data.motif);
          return `/conventions/${id}/credits?ok=refus_proposition#propositions`;
        }),
      (etat, status) => pageCredits(c, id, null, etat, status),
    );
  });

  app.get('/conventions/:id/credits/engagements/:eid', (c) => pageEngagement(c, c.req.param('id'), c.req.param('eid'), null));

  app.post('/conventions/:id/credits/engagements/:eid/service-fait', async (c) => {
    const id = c.req.param('id');
    const eid = c.req.param('eid');
    const f = await corps(c);
    const mode = f.mode;
    const types: Record<string, TypeChamp> = { date: 'texte', certificateur: 'texte', ...(mode === 'pourcentage' ? { pourcentage: 'nombre' } : mode === 'total' ? {} : { montant_centimes: 'euros' }) };
    const { data, erreurs } = lireFormulaire(f, types, serviceFaitEntreeApi, (o) => (mode === 'total' ? { ...o, total: true } : o));
    if (erreurs.some((e) => e.champ === 'montant_centimes') && mode === 'pourcentage') erreurs.forEach((e) => (e.champ = e.champ === 'montant_centimes' ? 'pourcentage' : e.champ));
    return traiter(
      c,
      'service_fait',
      f,
      erreurs,
      data &&
        (async () => {
          const demande = data.total ? { total: true as const } : data.pourcentage !== undefined ? { pourcentage: data.pourcentage } : { montantCentimes: data.montant_centimes! };
          await constaterServiceFait(ctx, c.var.acteur, id, eid, demande, { date: data.date, certificateur: data.certificateur });
          return `/conventions/${id}/credits/engagements/${eid}?ok=service_fait`;
        }),
      (etat, status) => pageEngagement(c, id, eid, etat, status),
    );
  });

  app.post('/conventions/:id/credits/engagements/:eid/paiement', async (c) => {
    const id = c.req.param('id');
    const eid = c.req.param('eid');
    const f = await corps(c);
    const { data, erreurs } = lireFormulaire(f, { montant_centimes: 'euros', reference: 'texte', date: 'texte', derogation_motif: 'texte' }, paiementEntreeApi, avecDerogation);
    return traiter(
      c,
      'paiement',
      f,
      erreurs,
      data &&
        (async () => {
          await enregistrerPaiement(ctx, c.var.acteur, id, eid, { montantCentimes: data.montant_centimes, reference: data.reference, date: data.date }, data.derogation ?? null);
          return `/conventions/${id}/credits/engagements/${eid}?ok=paiement`;
        }),
      (etat, status) => pageEngagement(c, id, eid, etat, status),
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
      erreurs,
      data &&
        (async () => {
          await solderEngagement(ctx, c.var.acteur, id, eid, data.montant_reel_centimes ?? null, data.motif);
          return `/conventions/${id}/credits/engagements/${eid}?ok=solde`;
        }),
      (etat, status) => pageEngagement(c, id, eid, etat, status),
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
      erreurs,
      data &&
        (async () => {
          await annulerEngagement(ctx, c.var.acteur, id, eid, data.motif);
          return `/conventions/${id}/credits/engagements/${eid}?ok=annulation`;
        }),
      (etat, status) => pageEngagement(c, id, eid, etat, status),
    );
  });

  /** Decisions on a convention's credits share one pattern: form → API schema → use case → back to the page. */
  const decision = <S extends z.ZodType>(
    chemin: string,
    ok: string,
    types: Record<string, TypeChamp>,
    schema: S,
    run: (c: Context<Env>, id: string, data: z.output<S>, f: FormFields) => Promise<unknown>,
    transformer?: (o: Record<string, unknown>) => Record<string, unknown>,
  ) =>
    app.post(`/conventions/:id/credits/${chemin}`, async (c) => {
      const id = c.req.param('id');
      const f = await corps(c);
      const { data, erreurs } = lireFormulaire(f, types, schema, transformer);
      const annee = Number(f.annee) || null;
      return traiter(
        c,
        'decision',
        f,
        erreurs,
        data &&
          (async () => {
            await run(c, id, data, f);
            return `/conventions/${id}/credits?${annee ? `annee=${annee}&` : ''}ok=${ok}`;
          }),
        (etat, status) => pageCredits(c, id, annee, etat, status),
      );
    });

  const montantsAnnee: Record<string, TypeChamp> = { annee: 'entier', ae_centimes: 'euros', cp_centimes: 'euros', motif: 'texte' };
  // a blank amount on one side of AE/CP means none of it
  const avecZero = (o: Record<string, unknown>) => ({ ae_centimes: 0, cp_centimes: 0, ...o });
  decision('tranches', 'tranche', { date: 'texte', motif: 'texte', decideur: 'texte' }, liberationEntreeApi, (c, id, d, f) => libererTranche(ctx, c.var.acteur, id, Number(f.rang), { date: d.date, motif: d.motif, decideur: d.decideur }));
  decision('disponibilite', 'disponibilite', { ...montantsAnnee, date: 'texte' }, disponibiliteEntreeApi, (c, id, d) =>
    deciderDisponibilite(ctx, c.var.acteur, id, { annee: d.annee, aeCentimes: d.ae_centimes, cpCentimes: d.cp_centimes, date: d.date, motif: d.motif }), avecZero,
  );
  decision('report', 'report', montantsAnnee, mouvementCreditsEntreeApi, (c, id, d) =>
    reporterCredits(ctx, c.var.acteur, id, { annee: d.annee, aeCentimes: d.ae_centimes, cpCentimes: d.cp_centimes, motif: d.motif }), avecZero,
  );
  decision('restitution', 'restitution', montantsAnnee, mouvementCreditsEntreeApi, (c, id, d) =>
    restituerCredits(ctx, c.var.acteur, id, { annee: d.annee, aeCentimes: d.ae_centimes, cpCentimes: d.cp_centimes, motif: d.motif }), avecZero,
  );
  decision('suspension', 'suspension', { motif: 'texte' }, suspensionEntreeApi, (c, id, d) => suspendreConvention(ctx, c.var.acteur, id, d.motif));

  const colonnesEngagements: Colonne<Engagement>[] = [
    { titre: 'Numéro', valeur: (e) => e.numero },
    { titre: 'Année', valeur: (e) => e.annee, largeur: 8 },
    { titre: 'Date', valeur: (e) => e.dateEngagement, largeur: 12 },
    { titre: 'Titulaire', valeur: (e) => e.titulaire },
    { titre: 'Marché', valeur: (e) => e.marche },
    { titre: 'Devis', valeur: (e) => e.devis },
    { titre: 'Objet', valeur: (e) => e.objet, largeur: 40 },
    { titre: 'Produit', valeur: (e) => e.produit },
    { titre: 'Base', valeur: (e) => e.baseMontant, largeur: 6 },
    { titre: 'Montant (€)', valeur: (e) => e.montantCentimes, euros: true },
    { titre: 'AE libérées (€)', valeur: (e) => e.libereCentimes, euros: true },
    { titre: 'Montant net (€)', valeur: (e) => montantNet(e), euros: true },
    { titre: 'Service fait (€)', valeur: (e) => e.certifieCentimes, euros: true },
    { titre: 'Payé (€)', valeur: (e) => e.payeCentimes, euros: true },
    { titre: 'État', valeur: (e) => LIBELLES_ETAT_ENGAGEMENT[etatEngagement(e)] },
  ];
  const colonnesPortefeuille: Colonne<LignePortefeuille>[] = [
    { titre: 'Convention', valeur: (l) => l.produits.join(', ') || l.reference, largeur: 36 },
    { titre: 'Référence', valeur: (l) => l.reference },
    { titre: 'Partenaire', valeur: (l) => l.partenaire, largeur: 36 },
    { titre: 'Rôle de la DINUM', valeur: (l) => LIBELLES_ROLE_DINUM[l.roleDinum] },
    { titre: 'Promotion FAST', valeur: (l) => l.promotionFast },
    { titre: 'Statut', valeur: (l) => l.statut },
    { titre: 'Fin', valeur: (l) => l.finEffective, largeur: 12 },
    { titre: 'AE ouvertes (€)', valeur: (l) => l.ouvertAe, euros: true },
    { titre: 'AE engagées (€)', valeur: (l) => l.engageAe, euros: true },
    { titre: 'Service fait (€)', valeur: (l) => l.certifie, euros: true },
    { titre: 'AE disponibles (€)', valeur: (l) => l.ouvertAe - l.engageAe, euros: true },
    { titre: 'CP ouverts (€)', valeur: (l) => l.ouvertCp, euros: true },
    { titre: 'CP payés (€)', valeur: (l) => l.payeCp, euros: true },
    { titre: 'CP disponibles (€)', valeur: (l) => l.ouvertCp - l.payeCp, euros: true },
  ];

  for (const format of ['csv', 'xlsx']) {
    app.get(`/conventions/:id/credits/engagements.${format}`, async (c) => {
      const a = Number(c.req.query('annee'));
      const { convention, engagements } = await exporterEngagements(ctx, c.var.acteur, c.req.param('id'), Number.isInteger(a) && a > 0 ? a : undefined);
      const nom = `engagements-${(convention.reference ?? convention.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
      return envoyerExport(c, format, nom, colonnesEngagements, engagements);
    });
    app.get(`/credits/portefeuille.${format}`, async (c) => {
      const p = valider(portefeuilleFiltreApi, c.req.query());
      if (!p.ok) throw new ValidationError(p.erreurs);
      const d = p.data;
      const r = await lirePortefeuilleCredits(ctx, c.var.acteur, { annee: d.annee, partenaire: d.partenaire, roleDinum: d.role_dinum, promotionFast: d.promotion_fast, page: 1, taille: 1_000_000 }, d.groupe);
      return envoyerExport(c, format, `portefeuille-credits${d.annee ? `-${d.annee}` : ''}`, colonnesPortefeuille, r.items);
    });
  }

  app.get('/credits', async (c) => {
    const p = valider(portefeuilleFiltreApi, c.req.query());
    const raw = c.req.query();
    const f: FiltrePortefeuilleSaisi = p.ok ? { ...p.data } : { partenaire: raw.partenaire, groupe: 'partenaire', page: 1, taille: 50 };
    const r = await lirePortefeuilleCredits(
      ctx,
      c.var.acteur,
      { annee: typeof f.annee === 'number' ? f.annee : undefined, partenaire: f.partenaire, roleDinum: f.role_dinum as never, promotionFast: f.promotion_fast, page: f.page, taille: f.taille },
      f.groupe,
    );
    return c.html(<PortefeuillePage acteur={c.var.acteur} f={f} r={r} erreurs={p.ok ? [] : ['Certains filtres sont invalides et ont été ignorés.']} />);
  });

  app.get('/credits/alertes', async (c) => {
    const toutes = c.req.query('toutes') === '1';
    const r = await listerAlertesCredits(ctx, c.var.acteur, { toutes });
    return c.html(<AlertesPage acteur={c.var.acteur} csrf={c.var.csrf} calculees={r.calculees} enregistrees={r.enregistrees} toutes={toutes} flash={c.req.query('ok') === 'traitee' ? { type: 'success', message: FLASH.traitee } : null} />);
  });

  app.post('/credits/alertes/:aid/traitement', async (c) => {
    const aid = Number(c.req.param('aid'));
    if (!Number.isSafeInteger(aid)) throw new NotFoundError('Alerte', c.req.param('aid'));
    await traiterAlerte(ctx, c.var.acteur, aid);
    return c.redirect('/credits/alertes?ok=traitee', 303);
  });

  const champsCalendrier = (p: ReturnType<typeof parametresVersApi>): FormFields => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));

  app.get('/credits/calendrier', async (c) => {
    if (c.var.acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter le calendrier.');
    const p = await lireParametres(ctx);
    return c.html(<CalendrierPage acteur={c.var.acteur} csrf={c.var.csrf} f={champsCalendrier(parametresVersApi(p))} erreurs={[]} flash={c.req.query('ok') === 'calendrier' ? { type: 'success', message: FLASH.calendrier } : null} />);
  });

  app.post('/credits/calendrier', async (c) => {
    if (!peutDeroger(c.var.acteur)) throw new ForbiddenError('Seul un administrateur peut modifier le calendrier de fin de gestion.');
    const f = await corps(c);
    const types: Record<string, TypeChamp> = { limite_paiements: 'texte', limite_engagements: 'texte', limite_report: 'texte', reprise: 'texte', avertissement_jours: 'entier', debut_alertes_sous_consommation: 'texte', motif: 'texte' };
    const { data, erreurs } = lireFormulaire(f, types, parametresEntreeApi);
    const reafficher = (e: FieldError[]) => c.html(<CalendrierPage acteur={c.var.acteur} csrf={c.var.csrf} f={f} erreurs={e} />, 400);
    if (!data) return reafficher(erreurs);
    try {
      await modifierParametres(ctx, c.var.acteur, parametresDepuisApi(data), data.motif);
    } catch (e) {
      if (e instanceof ValidationError) {
        const noms: Record<string, string> = { limitePaiements: 'limite_paiements', limiteEngagements: 'limite_engagements', limiteReport: 'limite_report', reprise: 'reprise', avertissementJours: 'avertissement_jours', debutAlertesSousConsommation: 'debut_alertes_sous_consommation' };
        return reafficher(e.erreurs.map((x) => ({ champ: noms[x.champ] ?? x.champ, message: x.message })));
      }
      throw e;
    }
    return c.redirect('/credits/calendrier?ok=calendrier', 303);
  });

  return app;
}
