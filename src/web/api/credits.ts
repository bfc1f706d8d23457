import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_ETAT_ENGAGEMENT, etatEngagement, montantNet, type Engagement } from '../../domain/engagement.js';
import { LIBELLES_STATUT_PROPOSITION, type Proposition, type PropositionSaisie } from '../../domain/proposition.js';
import type { ParametresCalendrier } from '../../domain/calendrier.js';
import { today } from '../../domain/dates.js';
import type { AlerteEnregistree } from '../../domain/alerte.js';
import type { LignePortefeuille, Mouvement, SommePortefeuille } from '../../domain/credit.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  deciderDisponibilite,
  enregistrerPaiement,
  libererTranche,
  lireCredits,
  lireEngagementDetail,
  lireParametres,
  lirePortefeuilleCredits,
  listerAlertesCredits,
  listerEngagementsConvention,
  listerPropositionsConvention,
  modifierParametres,
  proposerEngagement,
  refuserProposition,
  reporterCredits,
  restituerCredits,
  solderEngagement,
  suspendreConvention,
  traiterAlerte,
  validerProposition,
  type AlerteConvention,
  type VueCredits,
} from '../../usecases/credits.js';
import type { Contexte } from '../../usecases/conventions.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { lireJson } from './conventions.js';
import { ajouterChemins, reponsesErreur } from './openapi.js';
import { zodErreurs } from './schemas.js';

/** JSON shapes of the credits API (snake_case, amounts in integer cents), shared with the forms and the OpenAPI document. */

const centimes = z.number().int('Montant en centimes entiers.').safe().min(0, 'Un montant ne peut pas être négatif.');
const centimesPositifs = z.number().int('Montant en centimes entiers.').safe().positive('Indiquez un montant positif.');
const dateIso = z.iso.date({ message: 'Date invalide (attendu : AAAA-MM-JJ).' });
const texte = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v ? v : null));
const annee = z.number().int().min(2000, 'Année invalide.').max(2100, 'Année invalide.');
const motif = z.string().trim().min(1, 'Indiquez le motif.').max(2000);
const derogation = z.object({ motif }).optional();

export const engagementEntreeApi = z
  .object({
    annee,
    montant_centimes: centimesPositifs,
    objet: z.string().trim().min(1, 'Indiquez l’objet de la commande.').max(1000),
    titulaire: z.string().trim().min(1, 'Indiquez le titulaire du marché.').max(300),
    base_montant: z.enum(['TTC', 'HT']).optional().describe('TTC ou HT ; par défaut la base des montants de la convention'),
    numero: texte(60).describe('numéro de bon de commande ou d’engagement juridique Chorus ; attribué automatiquement (BC-AAAA-N) s’il est absent'),
    marche: texte(300).describe('marché-cadre'),
    devis: texte(100).describe('référence du devis'),
    produit: texte(200).describe('produit servi, l’un de ceux de la convention'),
    date_engagement: dateIso.optional().describe('date de la commande, dans l’année budgétaire ; par défaut aujourd’hui'),
    date_fin_prestation: dateIso.nullable().optional(),
    derogation: derogation.describe('administrateur seulement : dérogation au calendrier de fin de gestion, avec son motif'),
  })
  .strict();

export const serviceFaitEntreeApi = z
  .object({
    montant_centimes: centimesPositifs.optional(),
    pourcentage: z.number().gt(0).max(100).optional().describe('part de la commande, deux décimales au plus ; arrondi au centime le plus proche, la demi-unité vers le bas'),
    total: z.literal(true).optional().describe('constate tout le reste de la commande'),
    date: dateIso.optional(),
    certificateur: texte(300),
  })
  .strict()
  .refine((v) => [v.montant_centimes, v.pourcentage, v.total].filter((x) => x !== undefined).length === 1, { message: 'Indiquez soit montant_centimes, soit pourcentage, soit total.', path: ['montant_centimes'] });

export const paiementEntreeApi = z
  .object({
    montant_centimes: centimesPositifs,
    reference: z.string().trim().min(1, 'Indiquez la référence de la facture ou de la demande de paiement.').max(200),
    date: dateIso.optional(),
    derogation,
  })
  .strict();

export const soldeEntreeApi = z.object({ montant_reel_centimes: centimes.optional(), motif: texte(2000) }).strict();
export const annulationEntreeApi = z.object({ motif: texte(2000) }).strict();
export const propositionEntreeApi = engagementEntreeApi
  .omit({ numero: true, date_engagement: true, derogation: true })
  .extend({ justification: texte(2000).describe('pourquoi l’équipe en a besoin : ce que lit l’ordonnateur avant de valider') })
  .strict();
export const validationPropositionEntreeApi = z.object({ derogation: derogation.describe('administrateur seulement : dérogation au calendrier de fin de gestion') }).strict();
export const refusPropositionEntreeApi = z.object({ motif }).strict();
export const liberationEntreeApi = z.object({ date: dateIso, motif, decideur: texte(300) }).strict();
export const disponibiliteEntreeApi = z.object({ annee, ae_centimes: centimes, cp_centimes: centimes, date: dateIso, motif }).strict();
export const mouvementCreditsEntreeApi = z.object({ annee, ae_centimes: centimes, cp_centimes: centimes, motif }).strict();
export const suspensionEntreeApi = z.object({ motif }).strict();
const jourMois = z.string().regex(/^\d{2}-\d{2}$/, 'Format MM-JJ.');
export const parametresEntreeApi = z
  .object({
    limite_paiements: jourMois,
    limite_engagements: jourMois,
    limite_report: jourMois,
    reprise: jourMois,
    avertissement_jours: z.number().int().min(0).max(120),
    debut_alertes_sous_consommation: jourMois,
    motif: texte(2000),
  })
  .strict();

export const portefeuilleFiltreApi = z.object({
  annee: z
    .union([z.literal(''), z.coerce.number().int().min(2000, 'Année invalide.').max(2100, 'Année invalide.')])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  partenaire: z.string().trim().max(200).optional().transform((v) => v || undefined),
  role_dinum: z.enum(['delegant', 'delegataire', 'autre']).optional().or(z.literal('').transform(() => undefined)),
  promotion_fast: z.string().trim().max(100).optional().transform((v) => v || undefined),
  groupe: z.enum(['partenaire', 'annee', 'role_dinum', 'promotion_fast']).default('partenaire'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  taille: z.coerce.number().int().min(1).max(500).default(50),
});

export const engagementsFiltreApi = z.object({
  annee: z.coerce.number().int().min(2000).max(2100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  taille: z.coerce.number().int().min(1).max(500).default(50),
});

export function parametresVersApi(p: ParametresCalendrier) {
  return {
    limite_paiements: p.limitePaiements,
    limite_engagements: p.limiteEngagements,
    limite_report: p.limiteReport,
    reprise: p.reprise,
    avertissement_jours: p.avertissementJours,
    debut_alertes_sous_consommation: p.debutAlertesSousConsommation,
  };
}

export function parametresDepuisApi(p: z.output<typeof parametresEntreeApi>): ParametresCalendrier {
  return {
    limitePaiements: p.limite_paiements,
    limiteEngagements: p.limite_engagements,
    limiteReport: p.limite_report,
    reprise: p.reprise,
    avertissementJours: p.avertissement_jours,
    debutAlertesSousConsommation: p.debut_alertes_sous_consommation,
  };
}

export function propositionDepuisApi(d: z.output<typeof propositionEntreeApi>): PropositionSaisie {
  return {
    annee: d.annee,
    titulaire: d.titulaire,
    marche: d.marche,
    devis: d.devis,
    objet: d.objet,
    produit: d.produit,
    montantCentimes: d.montant_centimes,
    baseMontant: d.base_montant ?? null,
    dateFinPrestation: d.date_fin_prestation ?? null,
    justification: d.justification,
  };
}

export function propositionVersApi(p: Proposition) {
  return {
    id: p.id,
    convention_id: p.conventionId,
    annee: p.annee,
    titulaire: p.titulaire,
    marche: p.marche,
    devis: p.devis,
    objet: p.objet,
    produit: p.produit,
    montant_centimes: p.montantCentimes,
    base_montant: p.baseMontant,
    date_fin_prestation: p.dateFinPrestation,
    justification: p.justification,
    statut: p.statut,
    statut_libelle: LIBELLES_STATUT_PROPOSITION[p.statut],
    propose_par: p.proposeParNom,
    propose_le: p.proposeLe,
    decide_par: p.decideParNom,
    decide_le: p.decideLe,
    motif_refus: p.motifRefus,
    engagement_id: p.engagementId,
  };
}

export function engagementVersApi(e: Engagement) {
  const etat = etatEngagement(e);
  return {
    id: e.id,
    convention_id: e.conventionId,
    numero: e.numero,
    annee: e.annee,
    date_engagement: e.dateEngagement,
    date_fin_prestation: e.dateFinPrestation,
    titulaire: e.titulaire,
    marche: e.marche,
    devis: e.devis,
    objet: e.objet,
    produit: e.produit,
    montant_centimes: e.montantCentimes,
    base_montant: e.baseMontant,
    statut: e.statut,
    etat,
    etat_libelle: LIBELLES_ETAT_ENGAGEMENT[etat],
    libere_centimes: e.libereCentimes,
    montant_net_centimes: montantNet(e),
    certifie_centimes: e.certifieCentimes,
    paye_centimes: e.payeCentimes,
    cree_le: e.creeLe,
    cree_par: e.acteurNom,
  };
}

export function mouvementVersApi(m: Mouvement) {
  return {
    id: m.id,
    type: m.type,
    annee: m.annee,
    date: m.dateOperation,
    ouvert_ae_centimes: m.ouvertAe,
    ouvert_cp_centimes: m.ouvertCp,
    engage_ae_centimes: m.engageAe,
    certifie_centimes: m.certifie,
    paye_cp_centimes: m.payeCp,
    pourcentage: m.pourcentage,
    reference: m.reference,
    certificateur: m.certificateur,
    motif: m.motif,
    derogation: m.derogation,
    acteur: m.acteurNom,
    enregistre_le: m.enregistreLe,
  };
}

export function creditsVersApi(v: VueCredits) {
  return {
    convention_id: v.convention.id,
    aujourd_hui: v.aujourdHui,
    annees: v.annees.map((l) => {
      const t = l.totaux;
      return {
        annee: l.annee,
        ouverture: l.ouverture,
        nb_engagements: t.nbEngagements,
        ae: {
          prevu_centimes: l.prevuAe,
          base_centimes: t.baseAe,
          reporte_entrant_centimes: t.reporteEntrantAe,
          reporte_sortant_centimes: t.reporteSortantAe,
          restitue_centimes: t.restitueAe,
          ouvert_centimes: t.ouvertAe,
          engage_centimes: t.engageAe,
          libere_centimes: t.libereAe,
          certifie_centimes: t.certifie,
          paye_centimes: t.payeCp,
          disponible_centimes: l.disponibleAe,
        },
        cp: {
          prevu_centimes: l.prevuCp,
          base_centimes: t.baseCp,
          reporte_entrant_centimes: t.reporteEntrantCp,
          reporte_sortant_centimes: t.reporteSortantCp,
          restitue_centimes: t.restitueCp,
          ouvert_centimes: t.ouvertCp,
          engage_centimes: t.engageAe,
          certifie_centimes: t.certifie,
          paye_centimes: t.payeCp,
          disponible_centimes: l.disponibleCp,
        },
        projection: l.projection
          ? {
              ae_projete_centimes: l.projection.aeProjete,
              cp_projete_centimes: l.projection.cpProjete,
              ae_inutilise_centimes: l.projection.aeInutilise,
              cp_inutilise_centimes: l.projection.cpInutilise,
              significative: l.projection.significative,
            }
          : null,
      };
    }),
    alertes: v.alertes.map((a) => ({ type: a.type, niveau: a.niveau, annee: a.annee, message: a.message })),
  };
}

const sommeVersApi = (s: SommePortefeuille) => ({
  cle: s.cle,
  conventions: s.n,
  ouvert_ae_centimes: s.ouvertAe,
  engage_ae_centimes: s.engageAe,
  disponible_ae_centimes: s.ouvertAe - s.engageAe,
  certifie_centimes: s.certifie,
  ouvert_cp_centimes: s.ouvertCp,
  paye_cp_centimes: s.payeCp,
  disponible_cp_centimes: s.ouvertCp - s.payeCp,
});

export const lignePortefeuilleVersApi = (l: LignePortefeuille) => ({
  convention_id: l.conventionId,
  reference: l.reference,
  produits: l.produits,
  partenaire: l.partenaire,
  role_dinum: l.roleDinum,
  promotion_fast: l.promotionFast,
  statut: l.statut,
  fin_effective: l.finEffective,
  ouvert_ae_centimes: l.ouvertAe,
  engage_ae_centimes: l.engageAe,
  disponible_ae_centimes: l.ouvertAe - l.engageAe,
  certifie_centimes: l.certifie,
  ouvert_cp_centimes: l.ouvertCp,
  paye_cp_centimes: l.payeCp,
  disponible_cp_centimes: l.ouvertCp - l.payeCp,
});

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

const alerteCalculeeVersApi = (a: AlerteConvention) => ({ convention_id: a.conventionId, convention: a.libelle, type: a.type, niveau: a.niveau, annee: a.annee, message: a.message });

type Parsed<S extends z.ZodType> = { ok: true; data: z.output<S> } | { ok: false; erreurs: ReturnType<typeof zodErreurs> };

export function valider<S extends z.ZodType>(schema: S, v: unknown): Parsed<S> {
  const r = schema.safeParse(v);
  return r.success ? { ok: true, data: r.data } : { ok: false, erreurs: zodErreurs(r.error) };
}

export function creditApi(ctx: Contexte) {
  const app = new Hono<Env>();
  const invalide = (c: Parameters<typeof apiError>[0], erreurs: ReturnType<typeof zodErreurs>) => apiError(c, 'DONNEES_INVALIDES', 'Certaines informations sont invalides.', { erreurs });

  app.get('/conventions/:id/credits', async (c) => c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, c.req.param('id')))));

  app.get('/conventions/:id/engagements', async (c) => {
    const f = valider(engagementsFiltreApi, c.req.query());
    if (!f.ok) return invalide(c, f.erreurs);
    const r = await listerEngagementsConvention(ctx, c.var.acteur, c.req.param('id'), f.data);
    return c.json({ items: r.items.map(engagementVersApi), total: r.total, page: f.data.page, taille: f.data.taille });
  });

  app.post('/conventions/:id/engagements', async (c) => {
    const p = valider(engagementEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const r = await creerEngagement(
      ctx,
      c.var.acteur,
      c.req.param('id'),
      {
        numero: d.numero,
        annee: d.annee,
        dateEngagement: d.date_engagement ?? today(ctx.now()),
        dateFinPrestation: d.date_fin_prestation ?? null,
        titulaire: d.titulaire,
        marche: d.marche,
        devis: d.devis,
        objet: d.objet,
        produit: d.produit,
        montantCentimes: d.montant_centimes,
        baseMontant: d.base_montant ?? null,
      },
      d.derogation ?? null,
    );
    c.header('Location', `/api/v1/conventions/${r.valeur.conventionId}/engagements/${r.valeur.id}`);
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.get('/conventions/:id/propositions', async (c) => c.json({ items: (await listerPropositionsConvention(ctx, c.var.acteur, c.req.param('id'))).map(propositionVersApi) }));

  app.post('/conventions/:id/propositions', async (c) => {
    const p = valider(propositionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const r = await proposerEngagement(ctx, c.var.acteur, c.req.param('id'), propositionDepuisApi(d));
    c.header('Location', `/api/v1/conventions/${r.conventionId}/propositions`);
    return c.json(propositionVersApi(r), 201);
  });

  app.post('/conventions/:id/propositions/:pid/validation', async (c) => {
    const p = valider(validationPropositionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await validerProposition(ctx, c.var.acteur, c.req.param('id'), c.req.param('pid'), p.data.derogation ?? null);
    c.header('Location', `/api/v1/conventions/${r.valeur.conventionId}/engagements/${r.valeur.id}`);
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.post('/conventions/:id/propositions/:pid/refus', async (c) => {
    const p = valider(refusPropositionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await refuserProposition(ctx, c.var.acteur, c.req.param('id'), c.req.param('pid'), p.data.motif);
    return c.body(null, 204);
  });

  app.get('/conventions/:id/engagements/:eid', async (c) => {
    const r = await lireEngagementDetail(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'));
    return c.json({ ...engagementVersApi(r.engagement), mouvements: r.mouvements.map(mouvementVersApi) });
  });

  app.post('/conventions/:id/engagements/:eid/services-faits', async (c) => {
    const p = valider(serviceFaitEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const demande = d.total ? { total: true as const } : d.pourcentage !== undefined ? { pourcentage: d.pourcentage } : { montantCentimes: d.montant_centimes! };
    const r = await constaterServiceFait(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'), demande, { date: d.date, certificateur: d.certificateur });
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.post('/conventions/:id/engagements/:eid/paiements', async (c) => {
    const p = valider(paiementEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const d = p.data;
    const r = await enregistrerPaiement(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'), { montantCentimes: d.montant_centimes, reference: d.reference, date: d.date }, d.derogation ?? null);
    return c.json({ ...engagementVersApi(r.valeur), avertissements: r.avertissements }, 201);
  });

  app.post('/conventions/:id/engagements/:eid/solde', async (c) => {
    const p = valider(soldeEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await solderEngagement(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'), p.data.montant_reel_centimes ?? null, p.data.motif);
    return c.json(engagementVersApi(r.valeur));
  });

  app.post('/conventions/:id/engagements/:eid/annulation', async (c) => {
    const p = valider(annulationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await annulerEngagement(ctx, c.var.acteur, c.req.param('id'), c.req.param('eid'), p.data.motif);
    return c.json(engagementVersApi(r.valeur));
  });

  app.post('/conventions/:id/credits/tranches/:rang/liberation', async (c) => {
    const p = valider(liberationEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await libererTranche(ctx, c.var.acteur, id, Number(c.req.param('rang')), { date: p.data.date, motif: p.data.motif, decideur: p.data.decideur });
    return c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), 201);
  });

  app.post('/conventions/:id/credits/disponibilites', async (c) => {
    const p = valider(disponibiliteEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await deciderDisponibilite(ctx, c.var.acteur, id, { annee: p.data.annee, aeCentimes: p.data.ae_centimes, cpCentimes: p.data.cp_centimes, date: p.data.date, motif: p.data.motif });
    return c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), 201);
  });

  app.post('/conventions/:id/credits/reports', async (c) => {
    const p = valider(mouvementCreditsEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    const avertissements = await reporterCredits(ctx, c.var.acteur, id, { annee: p.data.annee, aeCentimes: p.data.ae_centimes, cpCentimes: p.data.cp_centimes, motif: p.data.motif });
    return c.json({ ...creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), avertissements }, 201);
  });

  app.post('/conventions/:id/credits/restitutions', async (c) => {
    const p = valider(mouvementCreditsEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await restituerCredits(ctx, c.var.acteur, id, { annee: p.data.annee, aeCentimes: p.data.ae_centimes, cpCentimes: p.data.cp_centimes, motif: p.data.motif });
    return c.json(creditsVersApi(await lireCredits(ctx, c.var.acteur, id)), 201);
  });

  app.post('/conventions/:id/suspension', async (c) => {
    const p = valider(suspensionEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    await suspendreConvention(ctx, c.var.acteur, c.req.param('id'), p.data.motif);
    return c.json({ statut: 'suspendue' });
  });

  app.get('/credits', async (c) => {
    const f = valider(portefeuilleFiltreApi, c.req.query());
    if (!f.ok) return invalide(c, f.erreurs);
    const d = f.data;
    const r = await lirePortefeuilleCredits(ctx, c.var.acteur, { annee: d.annee, partenaire: d.partenaire, roleDinum: d.role_dinum, promotionFast: d.promotion_fast, page: d.page, taille: d.taille }, d.groupe);
    return c.json({ items: r.items.map(lignePortefeuilleVersApi), total: sommeVersApi(r.total), groupe: d.groupe, groupes: r.groupes.map(sommeVersApi), page: d.page, taille: d.taille });
  });

  app.get('/credits/alertes', async (c) => {
    const r = await listerAlertesCredits(ctx, c.var.acteur, { toutes: c.req.query('toutes') === '1' });
    return c.json({ enregistrees: r.enregistrees.map(alerteVersApi), calculees: r.calculees.map(alerteCalculeeVersApi) });
  });

  app.post('/credits/alertes/:aid/traitement', async (c) => {
    const aid = Number(c.req.param('aid'));
    if (!Number.isSafeInteger(aid)) return apiError(c, 'INTROUVABLE', 'Alerte introuvable.');
    await traiterAlerte(ctx, c.var.acteur, aid);
    return c.json({ id: aid, traitee: true });
  });

  app.get('/parametres/calendrier', async (c) => c.json(parametresVersApi(await lireParametres(ctx))));

  app.put('/parametres/calendrier', async (c) => {
    const p = valider(parametresEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    return c.json(parametresVersApi(await modifierParametres(ctx, c.var.acteur, parametresDepuisApi(p.data), p.data.motif)));
  });

  return app;
}


// ---- OpenAPI -------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const schema = (s: z.ZodType): Json => {
  const j = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete j.$schema;
  return j;
};
const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` });
const corps = (n: string) => ({ required: true, content: { 'application/json': { schema: ref(n) } } });
const rep = (description: string, n?: string) => ({ description, ...(n ? { content: { 'application/json': { schema: ref(n) } } } : {}) });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const eidParam = { name: 'eid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const pidParam = { name: 'pid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const montants = { type: 'object', additionalProperties: { type: ['integer', 'null'] } };

const refusPlafond = {
  description:
    'Refus par une règle (code stable). PLAFOND_AE_DEPASSE / PLAFOND_CP_DEPASSE : details.disponible_centimes, details.demande_centimes, details.manque_centimes ; aussi ANNEE_SANS_CREDITS, CALENDRIER_DEPASSE, CONVENTION_SUSPENDUE, CONVENTION_TERMINEE, CONVENTION_NON_SIGNEE, SERVICE_FAIT_SUPERIEUR_ENGAGEMENT, PAIEMENT_SUPERIEUR_SERVICE_FAIT, ENGAGEMENT_CLOS, ENGAGEMENT_CERTIFIE…',
  content: { 'application/json': { schema: ref('Erreur') } },
};

ajouterChemins(
  {
    '/conventions/{id}/credits': {
      get: {
        operationId: 'lireCredits',
        summary: 'AE et CP par année : prévus, ouverts, engagés, certifiés, payés, disponibles, projection de fin d’année et alertes',
        parameters: [idParam],
        responses: { '200': rep('Crédits de la convention', 'Credits'), ...reponsesErreur(401, 404) },
      },
    },
    '/conventions/{id}/engagements': {
      get: {
        operationId: 'listerEngagements',
        summary: 'Bons de commande de la convention, avec leur état',
        parameters: [idParam, ...['annee', 'page', 'taille'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'integer' } }))],
        responses: { '200': { description: 'Une page d’engagements' }, ...reponsesErreur(400, 401, 404) },
      },
      post: {
        operationId: 'creerEngagement',
        summary: 'Enregistre un bon de commande : AE engagées ≤ AE disponibles de l’année, vérifié atomiquement',
        parameters: [idParam],
        requestBody: corps('EngagementEntree'),
        responses: { '201': rep('Engagement enregistré (avec avertissements éventuels du calendrier)', 'Engagement'), ...reponsesErreur(400, 401, 403, 404, 415), '409': refusPlafond },
      },
    },
    '/conventions/{id}/propositions': {
      get: { operationId: 'listerPropositions', summary: 'Bons de commande proposés par les équipes produit, ceux à valider en premier', parameters: [idParam], responses: { '200': { description: 'Les propositions' }, ...reponsesErreur(401, 404) } },
      post: {
        operationId: 'proposerEngagement',
        summary: 'Propose un bon de commande à l’ordonnateur (équipe produit) : n’engage aucune AE avant validation',
        parameters: [idParam],
        requestBody: corps('PropositionEntree'),
        responses: { '201': { description: 'Proposition enregistrée, à valider' }, ...reponsesErreur(400, 401, 403, 404, 415), '409': refusPlafond },
      },
    },
    '/conventions/{id}/propositions/{pid}/validation': {
      post: {
        operationId: 'validerProposition',
        summary: 'Valide une proposition : le bon de commande est enregistré ce jour, avec toutes les règles d’un engagement',
        parameters: [idParam, pidParam],
        requestBody: corps('ValidationPropositionEntree'),
        responses: { '201': rep('Engagement enregistré', 'Engagement'), ...reponsesErreur(400, 401, 403, 404), '409': refusPlafond },
      },
    },
    '/conventions/{id}/propositions/{pid}/refus': {
      post: {
        operationId: 'refuserProposition',
        summary: 'Refuse une proposition, avec son motif pour l’équipe',
        parameters: [idParam, pidParam],
        requestBody: corps('RefusPropositionEntree'),
        responses: { '204': { description: 'Proposition refusée' }, ...reponsesErreur(400, 401, 403, 404), '409': { description: 'PROPOSITION_DEJA_TRAITEE', content: { 'application/json': { schema: ref('Erreur') } } } },
      },
    },
    '/conventions/{id}/engagements/{eid}': {
      get: { operationId: 'lireEngagement', summary: 'Un engagement et ses mouvements (service fait, paiements, libérations)', parameters: [idParam, eidParam], responses: { '200': rep('Engagement', 'Engagement'), ...reponsesErreur(401, 404) } },
    },
    '/conventions/{id}/engagements/{eid}/services-faits': {
      post: {
        operationId: 'constaterServiceFait',
        summary: 'Constate un service fait (montant, pourcentage de la commande ou total) : certifié ≤ commandé',
        parameters: [idParam, eidParam],
        requestBody: corps('ServiceFaitEntree'),
        responses: { '201': rep('Engagement mis à jour', 'Engagement'), ...reponsesErreur(400, 401, 403, 404), '409': refusPlafond },
      },
    },
    '/conventions/{id}/engagements/{eid}/paiements': {
      post: {
        operationId: 'enregistrerPaiement',
        summary: 'Enregistre un paiement : payé ≤ certifié, CP payés de l’année ≤ CP disponibles',
        parameters: [idParam, eidParam],
        requestBody: corps('PaiementEntree'),
        responses: { '201': rep('Engagement mis à jour', 'Engagement'), ...reponsesErreur(400, 401, 403, 404), '409': refusPlafond },
      },
    },
    '/conventions/{id}/engagements/{eid}/solde': {
      post: {
        operationId: 'solderEngagement',
        summary: 'Solde l’engagement à son montant réel (par défaut le service fait) et libère le reste des AE',
        parameters: [idParam, eidParam],
        requestBody: corps('SoldeEntree'),
        responses: { '200': rep('Engagement soldé', 'Engagement'), ...reponsesErreur(400, 401, 403, 404), '409': refusPlafond },
      },
    },
    '/conventions/{id}/engagements/{eid}/annulation': {
      post: {
        operationId: 'annulerEngagement',
        summary: 'Annule un engagement sans service fait et libère toutes ses AE',
        parameters: [idParam, eidParam],
        requestBody: corps('AnnulationEntree'),
        responses: { '200': rep('Engagement annulé', 'Engagement'), ...reponsesErreur(400, 401, 403, 404), '409': refusPlafond },
      },
    },
    '/conventions/{id}/credits/tranches/{rang}/liberation': {
      post: {
        operationId: 'libererTranche',
        summary: 'Consigne la décision de libérer une tranche (qui, quand, motif)',
        parameters: [idParam, { name: 'rang', in: 'path', required: true, schema: { type: 'integer', minimum: 2 } }],
        requestBody: corps('LiberationEntree'),
        responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/credits/disponibilites': {
      post: { operationId: 'deciderDisponibilite', summary: 'Administrateur : mise à disposition différente de l’échéancier pour une année (date, motif)', parameters: [idParam], requestBody: corps('DisponibiliteEntree'), responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) } },
    },
    '/conventions/{id}/credits/reports': {
      post: { operationId: 'reporterCredits', summary: 'Reporte des crédits inutilisés de l’année N sur N+1', parameters: [idParam], requestBody: corps('MouvementCreditsEntree'), responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) } },
    },
    '/conventions/{id}/credits/restitutions': {
      post: { operationId: 'restituerCredits', summary: 'Restitue au délégant des crédits inutilisés', parameters: [idParam], requestBody: corps('MouvementCreditsEntree'), responses: { '201': rep('Crédits à jour', 'Credits'), ...reponsesErreur(400, 401, 403, 404, 409) } },
    },
    '/conventions/{id}/suspension': {
      post: { operationId: 'suspendreConvention', summary: 'Administrateur : suspend la convention (insuffisance de crédits)', parameters: [idParam], requestBody: corps('SuspensionEntree'), responses: { '200': { description: 'Suspendue' }, ...reponsesErreur(400, 401, 403, 404) } },
    },
    '/credits': {
      get: {
        operationId: 'portefeuilleCredits',
        summary: 'Crédits du portefeuille : une ligne par convention, total et sous-totaux (partenaire, année, rôle DINUM, promotion FAST)',
        parameters: [
          ['annee', 'integer'],
          ['partenaire', 'string'],
          ['role_dinum', 'string'],
          ['promotion_fast', 'string'],
          ['groupe', 'string'],
          ['page', 'integer'],
          ['taille', 'integer'],
        ].map(([name, type]) => ({ name, in: 'query', required: false, schema: { type } })),
        responses: { '200': { description: 'Portefeuille' }, ...reponsesErreur(400, 401, 403) },
      },
    },
    '/credits/alertes': {
      get: { operationId: 'alertesCredits', summary: 'Refus enregistrés (dont insuffisances de crédits à signaler au délégant) et alertes de l’année', responses: { '200': { description: 'Alertes' }, ...reponsesErreur(401, 403) } },
    },
    '/credits/alertes/{aid}/traitement': {
      post: { operationId: 'traiterAlerte', summary: 'Marque une alerte comme traitée', parameters: [{ name: 'aid', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'Traitée' }, ...reponsesErreur(401, 403, 404) } },
    },
    '/parametres/calendrier': {
      get: { operationId: 'lireCalendrier', summary: 'Calendrier de fin de gestion (dates MM-JJ)', responses: { '200': rep('Paramètres', 'ParametresCalendrier') } },
      put: { operationId: 'modifierCalendrier', summary: 'Administrateur : modifie le calendrier de fin de gestion (journalisé avec son motif)', requestBody: corps('ParametresCalendrier'), responses: { '200': rep('Paramètres', 'ParametresCalendrier'), ...reponsesErreur(400, 401, 403, 415) } },
    },
  },
  {
    EngagementEntree: schema(engagementEntreeApi),
    ServiceFaitEntree: schema(serviceFaitEntreeApi),
    PaiementEntree: schema(paiementEntreeApi),
    SoldeEntree: schema(soldeEntreeApi),
    AnnulationEntree: schema(annulationEntreeApi),
    PropositionEntree: schema(propositionEntreeApi),
    ValidationPropositionEntree: schema(validationPropositionEntreeApi),
    RefusPropositionEntree: schema(refusPropositionEntreeApi),
    LiberationEntree: schema(liberationEntreeApi),
    DisponibiliteEntree: schema(disponibiliteEntreeApi),
    MouvementCreditsEntree: schema(mouvementCreditsEntreeApi),
    SuspensionEntree: schema(suspensionEntreeApi),
    ParametresCalendrier: schema(parametresEntreeApi),
    Engagement: {
      type: 'object',
      required: ['id', 'numero', 'annee', 'montant_centimes', 'base_montant', 'statut', 'etat', 'certifie_centimes', 'paye_centimes'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        numero: { type: 'string' },
        annee: { type: 'integer' },
        montant_centimes: { type: 'integer' },
        base_montant: { type: 'string', enum: ['TTC', 'HT'] },
        statut: { type: 'string', enum: ['actif', 'solde', 'annule'] },
        etat: { type: 'string', enum: ['engage', 'service_fait_partiel', 'service_fait_total', 'paye', 'solde', 'annule'] },
        libere_centimes: { type: 'integer' },
        montant_net_centimes: { type: 'integer' },
        certifie_centimes: { type: 'integer' },
        paye_centimes: { type: 'integer' },
        avertissements: { type: 'array', items: { type: 'string' } },
      },
    },
    Credits: {
      type: 'object',
      properties: {
        convention_id: { type: 'string', format: 'uuid' },
        annees: {
          type: 'array',
          items: {
            type: 'object',
            required: ['annee', 'ae', 'cp'],
            properties: {
              annee: { type: 'integer' },
              ae: { ...montants, description: 'prevu, ouvert, engage, libere, certifie, paye, disponible (_centimes)' },
              cp: { ...montants, description: 'prevu, ouvert, engage, certifie, paye, disponible (_centimes)' },
              projection: { type: ['object', 'null'] },
            },
          },
        },
        alertes: { type: 'array', items: { type: 'object' } },
      },
    },
  },
);
