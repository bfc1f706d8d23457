import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { ACTEUR_SYSTEME, peutDeciderCredits, peutDeroger, peutGererCredits, peutLireConvention, peutLireCredits, peutProposerEngagement, perimetre, type Acteur } from '../domain/acces.js';
import { controlerParametres, LIBELLES_PARAMETRES, type ParametresCalendrier } from '../domain/calendrier.js';
import { finEffective, statutEffectif } from '../domain/convention.js';
import { alertesCredits, type AlerteCalculee, type AlerteEnregistree } from '../domain/alerte.js';
import {
  anneesCredits,
  controlerMontantsAeCp,
  disponibleAe,
  disponibleCp,
  ouvertureAnnee,
  projeterFinAnnee,
  totauxVides,
  verifierInutilise,
  verifierNouvelleBase,
  verifierPlafondAe,
  verifierPlafondCp,
  type ConventionCredits,
  type FiltrePortefeuille,
  type GroupePortefeuille,
  type MontantsAeCp,
  type Mouvement,
  type Ouverture,
  type PointSerie,
  type Portefeuille,
  type Projection,
  type TotauxCredit,
} from '../domain/credit.js';
import { formatDate, isDateIso, today, yearOf, type DateIso } from '../domain/dates.js';
import {
  appliquerCalendrier,
  avertissementBase,
  controlerDateOperation,
  controlerEngagement,
  liberationAnnulation,
  liberationSolde,
  montantServiceFait,
  numeroAuto,
  verifierConventionEngageable,
  verifierPaiement,
  type DemandeServiceFait,
  type Derogation,
  type Engagement,
  type EngagementSaisie,
  type FiltreEngagements,
} from '../domain/engagement.js';
import { controlerProposition, engagementDeProposition, verifierPropositionAValider, type Proposition, type PropositionSaisie } from '../domain/proposition.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import {
  chargerConventionCredits,
  conventionsSansCredits,
  ecrireMouvement,
  ecrireParametres,
  insererAlerte,
  insererDecision,
  insererEngagement,
  journalParametres,
  lireAlerte,
  lireEngagement,
  lireParametres as lireParametresStockes,
  lirePortefeuille,
  listerAlertes,
  listerEngagements,
  mouvementsDisponibilite,
  mouvementsEngagement,
  serieJournaliere,
  situationsAnnee,
  tousEngagements,
  traiterAlerte as marquerTraitee,
  verrouillerCredit,
} from '../storage/credits.js';
import { appendJournal } from '../storage/journal.js';
import { deciderProposition, insererProposition, lireProposition, listerPropositions } from '../storage/propositions.js';
import type { Database } from '../storage/schema.js';
import { changerStatut, type Contexte } from './conventions.js';

type Trx = Transaction<Database>;

/** Refusals for lack of credits: each one is recorded as an alert owed to the délégant. */
const INSUFFISANCE = new Set(['PLAFOND_AE_DEPASSE', 'PLAFOND_CP_DEPASSE', 'ANNEE_SANS_CREDITS']);

async function enregistrerRefus(ctx: Contexte, acteur: Acteur, conventionId: string, e: ConflictError): Promise<void> {
  const insuffisance = INSUFFISANCE.has(e.code);
  const annee = typeof e.details.annee === 'number' ? e.details.annee : null;
  try {
    await insererAlerte(ctx.db, acteur, {
      conventionId,
      annee,
      code: e.code,
      message: insuffisance ? `Insuffisance de crédits — ${e.message}` : e.message,
      details: e.details,
      destinataire: insuffisance ? 'delegant' : null,
    });
  } catch {
    // the refusal stands even if its alert could not be written (the convention may not exist)
  }
}

/**
 * Runs a credit operation in one transaction, with the convention share-locked, after checking that the
 * actor may manage its credits. A refusal by a rule is recorded as an alert, outside the rolled-back
 * transaction.
 */
async function operation<T>(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  droit: (a: Acteur, c: ConventionCredits) => boolean,
  fn: (trx: Trx, c: ConventionCredits) => Promise<T>,
  opts: { sansTotaux?: boolean } = {},
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const c = await chargerConventionCredits(trx, conventionId, { verrou: true, sansTotaux: opts.sansTotaux });
      if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', conventionId);
      if (!droit(acteur, c)) throw new ForbiddenError();
      return fn(trx, c);
    });
  } catch (e) {
    if (e instanceof ConflictError && e.code !== 'PROPOSITION_DEJA_TRAITEE') await enregistrerRefus(ctx, acteur, conventionId, e);
    throw e;
  }
}

/** Orders, certified work, payments: they lock and read only the year they change. */
function ecrireSurUneAnnee<T>(ctx: Contexte, acteur: Acteur, conventionId: string, fn: (trx: Trx, c: ConventionCredits) => Promise<T>): Promise<T> {
  return operation(ctx, acteur, conventionId, peutGererCredits, fn, { sansTotaux: true });
}

/**
 * Locks the totals of a year and brings their availability in line with the schedule, the released
 * tranches and the decisions (an amendment or a release changes it): the difference is one recorded
 * movement.
 */
async function creditAJour(trx: Trx, acteur: Acteur, c: ConventionCredits, annee: number): Promise<TotauxCredit> {
  const t = await verrouillerCredit(trx, c.id, annee);
  const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
  if (egales(t, base)) return t;
  verifierNouvelleBase(t, base);
  const dAe = base.ae - t.baseAe;
  const dCp = base.cp - t.baseCp;
  await ecrireMouvement(
    trx,
    acteur,
    {
      conventionId: c.id,
      annee,
      type: 'mise_a_disposition',
      dateOperation: base.dateEffet ?? `${annee}-01-01`,
      deltas: { ouvertAe: dAe, baseAe: dAe, ouvertCp: dCp, baseCp: dCp },
      motif: base.motif,
      ouverture: base.dateEffet,
    },
    null,
    null,
  );
  return { ...t, baseAe: base.ae, baseCp: base.cp, ouvertAe: t.ouvertAe + dAe, ouvertCp: t.ouvertCp + dCp, ouverture: base.dateEffet ?? t.ouverture };
}

/** Stored availability matches the expected one (the opening date matters only when something is open). */
function egales(t: TotauxCredit, base: Ouverture): boolean {
  if (t.baseAe !== base.ae || t.baseCp !== base.cp) return false;
  return base.dateEffet === null || (base.ae === 0 && base.cp === 0) || base.dateEffet === t.ouverture;
}

function aJour(c: ConventionCredits): boolean {
  const stockes = new Map(c.credits.map((t) => [t.annee,  t]));
  return anneesCredits(c, c.decisions, [...stockes.keys()]).every((annee) => {
    const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
    const t = stockes.get(annee);
    if (!t) return base.ae === 0 && base.cp === 0;
    return egales(t, base);
  });
}

/**
 * Brings every year of a convention in line with its schedule, tranches and decisions. Called in the
 * transaction that creates or changes a convention, so that an amendment that would leave less than
 * what is already committed is refused with it.
 */
export async function synchroniserOuvertures(trx: Trx, acteur: Acteur, conventionId: string): Promise<void> {
  const c = await chargerConventionCredits(trx, conventionId, { verrou: true });
  if (!c || aJour(c)) return;
  for (const annee of anneesCredits(c, c.decisions, c.credits.map((t) => t.annee))) {
    const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
    if (base.ae === 0 && base.cp === 0 && !c.credits.some((t) => t.annee === annee)) continue;
    await creditAJour(trx, acteur, c, annee);
  }
}

/**
 * Opens the credits of conventions recorded before the credits existed (or written outside the use
 * cases): run at start-up, it leaves nothing to catch up on the portfolio's hot path.
 */
export async function rattraperOuvertures(ctx: Contexte): Promise<number> {
  const ids = await conventionsSansCredits(ctx.db);
  for (const id of ids) await ctx.db.transaction().execute((trx) => synchroniserOuvertures(trx, ACTEUR_SYSTEME, id));
  return ids.length;
}

export interface LigneCredit {
  annee: number;
  /** the schedule line as written (null: not stated) */
  prevuAe: Centimes | null;
  prevuCp: Centimes | null;
  totaux: TotauxCredit;
  ouverture: DateIso | null;
  disponibleAe: Centimes;
  disponibleCp: Centimes;
  projection: Projection | null;
}

export interface VueCredits {
  convention: ConventionCredits;
  annees: LigneCredit[];
  alertes: AlerteCalculee[];
  parametres: ParametresCalendrier;
  aujourdHui: DateIso;
}

function lignes(c: ConventionCredits, aujourdHui: DateIso): LigneCredit[] {
  const stockes = new Map(c.credits.map((t) => [t.annee,  t]));
  return anneesCredits(c, c.decisions, [...stockes.keys()]).map((annee) => {
    const t = stockes.get(annee) ?? totauxVides(annee);
    const ligne = c.echeancier.find((l) => l.annee === annee);
    const enCours = yearOf(aujourdHui) === annee;
    return {
      annee,
      prevuAe: ligne ? ligne.aeCentimes : null,
      prevuCp: ligne ? ligne.cpCentimes : null,
      totaux: t,
      ouverture: t.ouverture,
      disponibleAe: disponibleAe(t),
      disponibleCp: disponibleCp(t),
      projection: enCours ? projeterFinAnnee(t, t.ouverture, aujourdHui, c.parametres) : null,
    };
  });
}

async function chargerLisible(ctx: Contexte, acteur: Acteur, id: string): Promise<ConventionCredits> {
  let c = await chargerConventionCredits(ctx.db, id);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
  if (!aJour(c)) {
    // totals created before this convention's schedule or tranches last changed: catch up once
    await ctx.db.transaction().execute((trx) => synchroniserOuvertures(trx, acteur, id));
    c = (await chargerConventionCredits(ctx.db, id))!;
  }
  return c;
}

/** Available / committed / certified / paid / remaining, per year, with projection and alerts. One query when up to date. */
export async function lireCredits(ctx: Contexte, acteur: Acteur, id: string): Promise<VueCredits> {
  const c = await chargerLisible(ctx, acteur, id);
  const aujourdHui = today(ctx.now());
  const annees = lignes(c, aujourdHui);
  const enVigueur = statutEffectif(c, aujourdHui) === 'en_vigueur';
  const alertes = annees.flatMap((l) => alertesCredits({ totaux: l.totaux, finConvention: finEffective(c), enVigueur }, aujourdHui, c.parametres));
  return { convention: c, annees, alertes, parametres: c.parametres, aujourdHui };
}

export interface PageCredits {
  vue: VueCredits;
  annee: number;
  engagements: { items: Engagement[]; total: number };
  /** availability movements: openings, carry-over, returns */
  disponibilites: Mouvement[];
  /** the year's daily commitments and payments, for the chart */
  serie: PointSerie[];
  refus: AlerteEnregistree[];
  /** orders prepared by product teams, those waiting first */
  propositions: Proposition[];
}

/**
 * Everything the credits page of a convention shows for a year (by default the current one, or the
 * last year with credits), the convention read once.
 */
export async function lirePageCredits(ctx: Contexte, acteur: Acteur, id: string, f: { annee: number | null; page: number; taille: number }): Promise<PageCredits> {
  const vue = await lireCredits(ctx, acteur, id);
  const courante = yearOf(vue.aujourdHui);
  const annee = f.annee ?? (vue.annees.some((a) => a.annee === courante) || vue.annees.length === 0 ? courante : vue.annees.at(-1)!.annee);
  const [engagements, disponibilites, serie, refus, propositions] = await Promise.all([
    listerEngagements(ctx.db, id, { annee, page: f.page, taille: f.taille }),
    mouvementsDisponibilite(ctx.db, id),
    serieJournaliere(ctx.db, id, annee),
    listerAlertes(ctx.db, { tout: true }, { conventionId: id, ouvertes: false, limite: 50 }),
    listerPropositions(ctx.db, id),
  ]);
  return { vue, annee, engagements, disponibilites, serie, refus, propositions };
}

export async function listerEngagementsConvention(ctx: Contexte, acteur: Acteur, id: string, f: FiltreEngagements): Promise<{ items: Engagement[]; total: number }> {
  const c = await chargerConventionCredits(ctx.db, id);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
  return listerEngagements(ctx.db, id, f);
}

/** Every order of a convention (of a year when given), for exports. */
export async function exporterEngagements(ctx: Contexte, acteur: Acteur, id: string, annee?: number): Promise<{ convention: ConventionCredits; engagements: Engagement[] }> {
  const c = await chargerConventionCredits(ctx.db, id);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
  return { convention: c, engagements: await tousEngagements(ctx.db, id, annee) };
}

export async function lireEngagementDetail(ctx: Contexte, acteur: Acteur, id: string, engagementId: string): Promise<{ engagement: Engagement; mouvements: Mouvement[] }> {
  const c = await chargerConventionCredits(ctx.db, id);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
  const e = await lireEngagement(ctx.db, id, engagementId);
  if (!e) throw new NotFoundError('Engagement', engagementId);
  return { engagement: e, mouvements: await mouvementsEngagement(ctx.db, e.id) };
}

export interface Resultat<T> {
  valeur: T;
  avertissements: string[];
}

const libelleMontant = (e: Pick<Engagement, 'montantCentimes' | 'baseMontant'>) => `${formatEuros(e.montantCentimes)} ${e.baseMontant}`;

/**
 * Records an order. Rules, in order: valid input; a convention in force on the order date; the year-end
 * calendar (override by an administrator with a reason); committed AE ≤ AE available for the year,
 * checked on the locked totals row.
 */
export async function creerEngagement(ctx: Contexte, acteur: Acteur, conventionId: string, s: EngagementSaisie, derogation: Derogation | null = null): Promise<Resultat<Engagement>> {
  return ecrireSurUneAnnee(ctx, acteur, conventionId, (trx, c) => engager(ctx, trx, acteur, c, s, derogation));
}

/** Places an order inside the caller's transaction, after every check: the one path to an order. */
async function engager(ctx: Contexte, trx: Trx, acteur: Acteur, c: ConventionCredits, s: EngagementSaisie, derogation: Derogation | null, origine: string | null = null): Promise<Resultat<Engagement>> {
  const aujourdHui = today(ctx.now());
  const erreurs = controlerEngagement(s, c.produits, aujourdHui);
  if (erreurs.length) throw new ValidationError(erreurs);
  verifierConventionEngageable(c, s.dateEngagement);
  const avertissements = appliquerCalendrier('engagement', s.annee, s.dateEngagement, c.parametres, derogation, peutDeroger(acteur));
  const t = await creditAJour(trx, acteur, c, s.annee);
  verifierPlafondAe(t, s.montantCentimes);
  const id = randomUUID();
  const numero = s.numero ?? numeroAuto(s.annee, t.nbEngagements + 1);
  const saisie = { ...s, numero, baseMontant: s.baseMontant ?? c.baseMontants };
  await insererEngagement(trx, acteur, id, c.id, saisie, derogation?.motif ?? null, {
    objetType: 'engagement',
    objetId: id,
    action: 'engagement',
    changements: [
      { champ: 'numero', avant: null, apres: numero },
      { champ: 'montant', avant: null, apres: libelleMontant(saisie) },
      { champ: 'titulaire', avant: null, apres: s.titulaire },
    ],
    commentaire: [`${numero} — ${s.objet} — ${libelleMontant(saisie)} sur ${s.annee}`, origine, derogation ? `Dérogation : ${derogation.motif}` : null].filter(Boolean).join('. '),
  });
  const engagement: Engagement = {
    ...saisie,
    id,
    conventionId: c.id,
    statut: 'actif',
    libereCentimes: 0,
    certifieCentimes: 0,
    payeCentimes: 0,
    creeLe: ctx.now().toISOString(),
    acteurNom: acteur.nom,
  };
  return { valeur: engagement, avertissements: [...avertissements, ...avertissementBase(saisie.baseMontant, c.baseMontants)] };
}

// Proposals of product teams

/** A product team prepares an order; it binds nothing until whoever may order approves it. */
export async function proposerEngagement(ctx: Contexte, acteur: Acteur, conventionId: string, p: PropositionSaisie): Promise<Proposition> {
  const aujourdHui = today(ctx.now());
  return operation(
    ctx,
    acteur,
    conventionId,
    peutProposerEngagement,
    async (trx, c) => {
      const erreurs = controlerProposition(p, c.produits, aujourdHui);
      if (erreurs.length) throw new ValidationError(erreurs);
      verifierConventionEngageable(c, aujourdHui);
      const id = randomUUID();
      const saisie = { ...p, titulaire: p.titulaire.trim(), objet: p.objet.trim() };
      const le = ctx.now();
      await insererProposition(trx, acteur, id, c.id, saisie, le, `Proposition — ${saisie.objet} — ${libelleMontant({ montantCentimes: saisie.montantCentimes, baseMontant: saisie.baseMontant ?? c.baseMontants })} sur ${saisie.annee}`);
      return { ...saisie, id, conventionId: c.id, statut: 'a_valider', proposeParId: acteur.id, proposeParNom: acteur.nom, proposeLe: le.toISOString(), decideParNom: null, decideLe: null, motifRefus: null, engagementId: null };
    },
    { sansTotaux: true },
  );
}

export async function listerPropositionsConvention(ctx: Contexte, acteur: Acteur, conventionId: string): Promise<Proposition[]> {
  const c = await chargerConventionCredits(ctx.db, conventionId, { sansTotaux: true });
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
  return listerPropositions(ctx.db, conventionId);
}

/**
 * Approving places the order, dated today, through every check of an order, in the same transaction that
 * closes the proposal: a refusal (ceiling, calendar…) leaves the proposal waiting, and two approvals never
 * make two orders.
 */
export async function validerProposition(ctx: Contexte, acteur: Acteur, conventionId: string, propositionId: string, derogation: Derogation | null = null): Promise<Resultat<Engagement>> {
  return ecrireSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const p = await lireProposition(trx, c.id, propositionId, { verrou: true });
    if (!p) throw new NotFoundError('Proposition', propositionId);
    verifierPropositionAValider(p);
    const r = await engager(ctx, trx, acteur, c, engagementDeProposition(p, today(ctx.now())), derogation, `Proposé par ${p.proposeParNom}`);
    await deciderProposition(trx, acteur, p, { statut: 'validee', le: ctx.now(), motifRefus: null, engagementId: r.valeur.id }, `Bon de commande ${r.valeur.numero}`);
    return r;
  });
}

export async function refuserProposition(ctx: Contexte, acteur: Acteur, conventionId: string, propositionId: string, motif: string): Promise<void> {
  const m = motif.trim();
  if (!m) throw new ValidationError([{ champ: 'motif', message: 'Dites à l’équipe pourquoi la proposition est refusée.' }]);
  if (m.length > 2000) throw new ValidationError([{ champ: 'motif', message: 'Le motif compte au plus 2 000 caractères.' }]);
  await ecrireSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const p = await lireProposition(trx, c.id, propositionId, { verrou: true });
    if (!p) throw new NotFoundError('Proposition', propositionId);
    verifierPropositionAValider(p);
    await deciderProposition(trx, acteur, p, { statut: 'refusee', le: ctx.now(), motifRefus: m, engagementId: null }, m);
  });
}

async function engagementVerrouille(trx: Trx, conventionId: string, engagementId: string): Promise<Engagement> {
  const e = await lireEngagement(trx, conventionId, engagementId, { verrou: true });
  if (!e) throw new NotFoundError('Engagement', engagementId);
  return e;
}

/** Certified work on an order: an amount, a percentage of the order, or the whole rest. Certified ≤ ordered. */
export async function constaterServiceFait(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  engagementId: string,
  demande: DemandeServiceFait,
  opts: { date?: DateIso; certificateur?: string | null } = {},
): Promise<Resultat<Engagement>> {
  const aujourdHui = today(ctx.now());
  const date = opts.date ?? aujourdHui;
  return ecrireSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const e = await engagementVerrouille(trx, c.id, engagementId);
    controlerDateOperation(e, date, aujourdHui);
    const montant = montantServiceFait(e, demande);
    const pourcentage = 'pourcentage' in demande ? demande.pourcentage : null;
    const certificateur = opts.certificateur?.trim() || acteur.nom;
    await ecrireMouvement(
      trx,
      acteur,
      { conventionId: c.id, annee: e.annee, type: 'service_fait', engagementId: e.id, dateOperation: date, deltas: { certifie: montant }, pourcentage, certificateur },
      { id: e.id, certifie: montant },
      {
        objetType: 'engagement',
        objetId: e.id,
        action: 'service_fait',
        changements: [{ champ: 'certifie', avant: e.certifieCentimes, apres: e.certifieCentimes + montant }],
        commentaire: `${e.numero} : service fait de ${formatEuros(montant)}${pourcentage !== null ? ` (${pourcentage} % de la commande)` : ''} au ${formatDate(date)}, certifié par ${certificateur}`,
      },
    );
    return { valeur: { ...e, certifieCentimes: e.certifieCentimes + montant }, avertissements: [] };
  });
}

/** A payment on an order: paid ≤ certified for the order, and paid CP of the payment's year ≤ CP available that year. */
export async function enregistrerPaiement(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  engagementId: string,
  p: { montantCentimes: Centimes; date?: DateIso; reference: string },
  derogation: Derogation | null = null,
): Promise<Resultat<Engagement>> {
  const aujourdHui = today(ctx.now());
  const date = p.date ?? aujourdHui;
  return ecrireSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    if (!p.reference.trim()) throw new ValidationError([{ champ: 'reference', message: 'Indiquez la référence de la facture ou de la demande de paiement.' }]);
    const e = await engagementVerrouille(trx, c.id, engagementId);
    controlerDateOperation(e, date, aujourdHui);
    verifierPaiement(e, p.montantCentimes);
    const annee = yearOf(date);
    const avertissements = appliquerCalendrier('paiement', annee, date, c.parametres, derogation, peutDeroger(acteur));
    const t = await creditAJour(trx, acteur, c, annee);
    verifierPlafondCp(t, p.montantCentimes);
    await ecrireMouvement(
      trx,
      acteur,
      { conventionId: c.id, annee, type: 'paiement', engagementId: e.id, dateOperation: date, deltas: { payeCp: p.montantCentimes }, reference: p.reference.trim(), derogation: derogation?.motif ?? null },
      { id: e.id, paye: p.montantCentimes },
      {
        objetType: 'engagement',
        objetId: e.id,
        action: 'paiement',
        changements: [{ champ: 'paye', avant: e.payeCentimes, apres: e.payeCentimes + p.montantCentimes }],
        commentaire: [`${e.numero} : paiement de ${formatEuros(p.montantCentimes)} au ${formatDate(date)} (${p.reference.trim()}) sur les CP ${annee}`, derogation ? `Dérogation : ${derogation.motif}` : null].filter(Boolean).join('. '),
      },
    );
    return { valeur: { ...e, payeCentimes: e.payeCentimes + p.montantCentimes }, avertissements };
  });
}

async function liberer(ctx: Contexte, acteur: Acteur, conventionId: string, engagementId: string, mode: 'solde' | 'annule', montantReel: Centimes | null, motif: string | null): Promise<Resultat<Engagement>> {
  const aujourdHui = today(ctx.now());
  return ecrireSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const e = await engagementVerrouille(trx, c.id, engagementId);
    const libere = mode === 'solde' ? liberationSolde(e, montantReel) : liberationAnnulation(e);
    const quoi = mode === 'solde' ? `soldé à ${formatEuros(e.montantCentimes - libere)}` : 'annulé';
    await ecrireMouvement(
      trx,
      acteur,
      { conventionId: c.id, annee: e.annee, type: 'liberation', engagementId: e.id, dateOperation: aujourdHui, deltas: { engageAe: -libere, libereAe: libere }, motif },
      { id: e.id, libere, statut: mode },
      {
        objetType: 'engagement',
        objetId: e.id,
        action: mode === 'solde' ? 'solde' : 'annulation',
        changements: [{ champ: 'statut', avant: e.statut, apres: mode }],
        commentaire: `${e.numero} ${quoi} : ${formatEuros(libere)} d’AE ${e.annee} libérées${motif ? `. ${motif}` : ''}`,
      },
    );
    return { valeur: { ...e, statut: mode, libereCentimes: libere }, avertissements: [] };
  });
}

/** Closes an order at its actual amount (by default what was certified), releasing the AE it did not use. */
export function solderEngagement(ctx: Contexte, acteur: Acteur, conventionId: string, engagementId: string, montantReel: Centimes | null, motif: string | null = null) {
  return liberer(ctx, acteur, conventionId, engagementId, 'solde', montantReel, motif);
}

/** Cancels an order without certified work, releasing all its AE. */
export function annulerEngagement(ctx: Contexte, acteur: Acteur, conventionId: string, engagementId: string, motif: string | null = null) {
  return liberer(ctx, acteur, conventionId, engagementId, 'annule', null, motif);
}

function decisionDatee(date: DateIso, aujourdHui: DateIso, champ = 'date'): void {
  if (!isDateIso(date)) throw new ValidationError([{ champ, message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (date > aujourdHui) throw new ValidationError([{ champ, message: 'Une décision se consigne une fois prise : la date ne peut être dans le futur.' }]);
}

function motifRequis(motif: string): string {
  if (!motif.trim()) throw new ValidationError([{ champ: 'motif', message: 'Indiquez le motif.' }]);
  return motif.trim();
}

/** Releases a tranche (2 and later; the first is released at signature) by a recorded decision. */
export async function libererTranche(ctx: Contexte, acteur: Acteur, conventionId: string, rang: number, d: { date: DateIso; motif: string; decideur: string | null }): Promise<void> {
  const aujourdHui = today(ctx.now());
  await operation(ctx, acteur, conventionId, (a) => peutDeciderCredits(a), async (trx, c) => {
    const motif = motifRequis(d.motif);
    decisionDatee(d.date, aujourdHui);
    if (!Number.isInteger(rang) || rang < 1 || rang > c.tranches.length) throw new ConflictError('TRANCHE_INCONNUE', `La convention n’a pas de tranche ${rang}.`);
    if (rang === 1 || c.liberations.some((l) => l.rang === rang)) throw new ConflictError('TRANCHE_DEJA_LIBEREE', `La tranche ${rang} est déjà libérée.`);
    await insererDecision(trx, acteur, { conventionId: c.id, type: 'liberation_tranche', rang, dateEffet: d.date, motif, decideur: d.decideur });
    await journal(trx, acteur, c.id, 'liberation_tranche', `Tranche ${rang} (${c.tranches[rang - 1].partPct} %) libérée le ${formatDate(d.date)}${d.decideur ? ` par ${d.decideur}` : ''} : ${motif}`);
    const apres = { ...c, liberations: [...c.liberations, { rang, dateEffet: d.date, motif, decideur: d.decideur }] };
    for (const annee of anneesCredits(apres, apres.decisions, apres.credits.map((t) => t.annee))) await creditAJour(trx, acteur, apres, annee);
  });
}

async function journal(trx: Trx, acteur: Acteur, conventionId: string, action: string, commentaire: string): Promise<void> {
  await trx
    .insertInto('journal')
    .values({ convention_id: conventionId, objet_type: 'credit', objet_id: conventionId, action, acteur_id: acteur.id, acteur_nom: acteur.nom, acteur_role: acteur.role, changements: '[]', commentaire })
    .execute();
}

function montantsValides(m: MontantsAeCp): void {
  const erreurs = controlerMontantsAeCp(m);
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** An administrator records an availability other than the schedule for a year (date and ground). */
export async function deciderDisponibilite(ctx: Contexte, acteur: Acteur, conventionId: string, d: { annee: number; aeCentimes: Centimes; cpCentimes: Centimes; date: DateIso; motif: string }): Promise<void> {
  const aujourdHui = today(ctx.now());
  await operation(ctx, acteur, conventionId, (a) => peutDeroger(a), async (trx, c) => {
    const motif = motifRequis(d.motif);
    decisionDatee(d.date, aujourdHui);
    if (!Number.isInteger(d.annee) || d.annee < 2000 || d.annee > 2100) throw new ValidationError([{ champ: 'annee', message: 'Année invalide.' }]);
    for (const [champ, v] of [['aeCentimes', d.aeCentimes], ['cpCentimes', d.cpCentimes]] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new ValidationError([{ champ, message: 'Indiquez un montant positif ou nul.' }]);
    }
    await insererDecision(trx, acteur, { conventionId: c.id, type: 'disponibilite', annee: d.annee, ae: d.aeCentimes, cp: d.cpCentimes, dateEffet: d.date, motif });
    await journal(trx, acteur, c.id, 'disponibilite', `Crédits ${d.annee} mis à disposition : ${formatEuros(d.aeCentimes)} d’AE et ${formatEuros(d.cpCentimes)} de CP à compter du ${formatDate(d.date)} : ${motif}`);
    const apres = { ...c, decisions: [...c.decisions, { annee: d.annee, aeCentimes: d.aeCentimes, cpCentimes: d.cpCentimes, dateEffet: d.date, motif }] };
    await creditAJour(trx, acteur, apres, d.annee);
  });
}

/** Carries unused AE/CP of a year over to the next one: two movements, out of N and into N+1. */
export async function reporterCredits(ctx: Contexte, acteur: Acteur, conventionId: string, d: MontantsAeCp & { annee: number; motif: string }): Promise<string[]> {
  const aujourdHui = today(ctx.now());
  return operation(ctx, acteur, conventionId, (a) => peutDeciderCredits(a), async (trx, c) => {
    const motif = motifRequis(d.motif);
    montantsValides(d);
    const t = await creditAJour(trx, acteur, c, d.annee);
    await creditAJour(trx, acteur, c, d.annee + 1);
    verifierInutilise(t, d, 'report');
    const limite = `${d.annee}-${c.parametres.limiteReport}`;
    const avertissements = aujourdHui > limite ? [`Le report est enregistré après la date des demandes de report (${formatDate(limite)}) : vérifiez l’accord du délégant.`] : [];
    await ecrireMouvement(trx, acteur, { conventionId: c.id, annee: d.annee, type: 'report_sortant', dateOperation: aujourdHui, deltas: { ouvertAe: -d.aeCentimes, ouvertCp: -d.cpCentimes, reporteSortantAe: d.aeCentimes, reporteSortantCp: d.cpCentimes }, motif }, null, null);
    await ecrireMouvement(
      trx,
      acteur,
      { conventionId: c.id, annee: d.annee + 1, type: 'report_entrant', dateOperation: aujourdHui, deltas: { ouvertAe: d.aeCentimes, ouvertCp: d.cpCentimes, reporteEntrantAe: d.aeCentimes, reporteEntrantCp: d.cpCentimes }, motif },
      null,
      { objetType: 'credit', objetId: c.id, action: 'report', commentaire: `Report de ${formatEuros(d.aeCentimes)} d’AE et ${formatEuros(d.cpCentimes)} de CP de ${d.annee} sur ${d.annee + 1} : ${motif}` },
    );
    return avertissements;
  });
}

/** Returns unused credits of a year to the délégant ("remontée"): they are no longer available. */
export async function restituerCredits(ctx: Contexte, acteur: Acteur, conventionId: string, d: MontantsAeCp & { annee: number; motif: string }): Promise<void> {
  const aujourdHui = today(ctx.now());
  await operation(ctx, acteur, conventionId, (a) => peutDeciderCredits(a), async (trx, c) => {
    const motif = motifRequis(d.motif);
    montantsValides(d);
    const t = await creditAJour(trx, acteur, c, d.annee);
    verifierInutilise(t, d, 'restitution');
    await ecrireMouvement(
      trx,
      acteur,
      { conventionId: c.id, annee: d.annee, type: 'restitution', dateOperation: aujourdHui, deltas: { ouvertAe: -d.aeCentimes, ouvertCp: -d.cpCentimes, restitueAe: d.aeCentimes, restitueCp: d.cpCentimes }, motif },
      null,
      { objetType: 'credit', objetId: c.id, action: 'restitution', commentaire: `Restitution au délégant de ${formatEuros(d.aeCentimes)} d’AE et ${formatEuros(d.cpCentimes)} de CP ${d.annee} : ${motif}` },
    );
  });
}

/** Suspends the convention (the conventions require it when credits are insufficient). */
export async function suspendreConvention(ctx: Contexte, acteur: Acteur, conventionId: string, motif: string): Promise<void> {
  if (!peutDeroger(acteur)) throw new ForbiddenError('Seul un administrateur peut suspendre une convention.');
  await changerStatut(ctx, acteur, conventionId, 'suspendue', motifRequis(motif));
}

export async function lireParametres(ctx: Contexte): Promise<ParametresCalendrier> {
  return lireParametresStockes(ctx.db);
}

export async function modifierParametres(ctx: Contexte, acteur: Acteur, p: ParametresCalendrier, motif: string | null): Promise<ParametresCalendrier> {
  if (!peutDeroger(acteur)) throw new ForbiddenError('Seul un administrateur peut modifier le calendrier de fin de gestion.');
  const erreurs = controlerParametres(p);
  if (erreurs.length) throw new ValidationError(erreurs);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await lireParametresStockes(trx);
    const changements = (Object.keys(p) as Array<keyof ParametresCalendrier>)
      .filter((k) => String(avant[k]) !== String(p[k]))
      .map((k) => ({ champ: LIBELLES_PARAMETRES[k], avant: avant[k], apres: p[k] }));
    if (changements.length === 0) return;
    await ecrireParametres(trx, acteur, p);
    await journalParametres(trx, acteur, changements, motif);
  });
  return p;
}

export async function lirePortefeuilleCredits(
  ctx: Contexte,
  acteur: Acteur,
  f: FiltrePortefeuille,
  groupe: GroupePortefeuille = 'partenaire',
): Promise<Portefeuille> {
  if (acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter les crédits.');
  return lirePortefeuille(ctx.db, f, perimetre(acteur), groupe, today(ctx.now()));
}

export interface AlerteConvention extends AlerteCalculee {
  conventionId: string;
  libelle: string;
}

/** Recorded refusals (with the insufficiencies owed to the délégant) and the alerts the figures raise this year. */
export async function listerAlertesCredits(ctx: Contexte, acteur: Acteur, opts: { toutes?: boolean } = {}): Promise<{ enregistrees: AlerteEnregistree[]; calculees: AlerteConvention[] }> {
  if (acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter les alertes.');
  const scope = perimetre(acteur);
  const aujourdHui = today(ctx.now());
  const [enregistrees, situations, parametres] = await Promise.all([
    listerAlertes(ctx.db, scope, { ouvertes: !opts.toutes, limite: 200 }),
    situationsAnnee(ctx.db, scope, yearOf(aujourdHui)),
    lireParametresStockes(ctx.db),
  ]);
  const calculees = situations.flatMap((s) =>
    alertesCredits({ totaux: s.totaux, finConvention: s.finEffective, enVigueur: s.statut === 'en_vigueur' && (!s.finEffective || s.finEffective >= aujourdHui) }, aujourdHui, parametres).map((a) => ({
      ...a,
      conventionId: s.conventionId,
      libelle: s.libelle,
    })),
  );
  return { enregistrees, calculees };
}

/** Marks a recorded alert as dealt with (the délégant was informed, credits adjusted…). */
export async function traiterAlerte(ctx: Contexte, acteur: Acteur, id: number): Promise<void> {
  const a = await lireAlerte(ctx.db, id);
  if (!a) throw new NotFoundError('Alerte', String(id));
  const c = await chargerConventionCredits(ctx.db, a.conventionId);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Alerte', String(id));
  if (!peutDeciderCredits(acteur)) throw new ForbiddenError();
  await ctx.db.transaction().execute(async (trx) => {
    // an alert already dealt with stays as it was, without a second journal line
    if (!(await marquerTraitee(trx, id, acteur.nom, ctx.now()))) return;
    await appendJournal(trx, acteur, {
      conventionId: c.id,
      objetType: 'alerte',
      objetId: String(id),
      action: 'traitement_alerte',
      changements: [{ champ: 'traitee_par', avant: null, apres: acteur.nom }],
      commentaire: `Alerte traitée : ${a.message}`,
    });
  });
}

