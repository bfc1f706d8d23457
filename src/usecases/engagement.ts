// Over 400 lines: the one path to an order and each of its movements (service fait, payment, closing,
// cancelling), each in its transaction with its journal line.
import { randomUUID } from 'node:crypto';
import type { TotauxCredit } from '../domain/credit.js';
import { peutDeroger, type Acteur } from '../domain/acces.js';
import {
  PlafondDepasseError,
  verifierPlafondAe,
  verifierPlafondCp,
  type ConventionCredits,
  type Mouvement,
} from '../domain/credit.js';
import { verifierExerciceOuvert } from '../domain/credit-mouvement.js';
import { estAnneeSuivie } from '../domain/exercice.js';
import { formatDate, today, yearOf, type DateIso } from '../domain/dates.js';
import {
  appliquerCalendrier,
  avertissementBase,
  controlerEngagement,
  montantImpute,
  numeroAuto,
  TAUX_TVA_DEFAUT,
  verifierConventionEngageable,
  verifierEnregistrementDansTerme,
  type Derogation,
  type Engagement,
  type EngagementSaisie,
  type FiltreEngagements,
} from '../domain/engagement.js';
import {
  controlerDateOperation,
  liberationAnnulation,
  liberationSolde,
  montantServiceFait,
  verifierPaiement,
  verifierPaiementADate,
  type DemandeServiceFait,
} from '../domain/engagement-execution.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import type { Trx } from '../storage/database.js';
import {
  insererEngagement,
  insererMouvementEngagement,
  lireEngagement,
  lireEngagementParNumero,
  listerEngagements,
  listerMouvementsEngagement,
  listerTousEngagements,
  verrouillerEngagement,
} from '../storage/engagement.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import { operationSurUneAnnee, type Contexte } from './contexte.js';
import {
  creditAJour,
  depassementGrandLivre,
  lireConventionCreditsLisible,
  verifierExercicesOuverts,
} from './credit.js';
import { verrouillerCredit } from '../storage/credit.js';

export interface Resultat<T> {
  valeur: T;
  avertissements: string[];
}

export const libelleMontant = (e: Pick<Engagement, 'montantCentimes' | 'baseMontant'>) =>
  `${formatEuros(e.montantCentimes)} ${e.baseMontant}`;

/** The order's amount, and what it counts against the credits when its VAT base is not the convention's. */
const libelleImpute = (
  e: Pick<Engagement, 'montantCentimes' | 'baseMontant' | 'montantImputeCentimes'>,
  base: string,
) =>
  e.montantImputeCentimes === e.montantCentimes && e.baseMontant === base
    ? libelleMontant(e)
    : `${libelleMontant(e)}, imputé ${formatEuros(e.montantImputeCentimes)} ${base}`;

export async function listerEngagementsConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  f: FiltreEngagements,
): Promise<{ items: Engagement[]; total: number }> {
  await lireConventionCreditsLisible(ctx, acteur, id, { sansTotaux: true });
  return listerEngagements(ctx.db, id, f);
}

/** Every order of a convention (of a year when given), for exports. */
export async function exporterEngagements(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  annee?: number,
): Promise<{ convention: ConventionCredits; engagements: Engagement[] }> {
  const convention = await lireConventionCreditsLisible(ctx, acteur, id);
  return { convention, engagements: await listerTousEngagements(ctx.db, id, annee) };
}

export async function lireEngagementDetail(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  engagementId: string,
): Promise<{ engagement: Engagement; mouvements: Mouvement[] }> {
  await lireConventionCreditsLisible(ctx, acteur, id, { sansTotaux: true });
  const e = await lireEngagement(ctx.db, id, engagementId);
  if (!e) throw new NotFoundError('Engagement', engagementId);
  return { engagement: e, mouvements: await listerMouvementsEngagement(ctx.db, e.id) };
}

/**
 * Records an order. Rules, in order: valid input; a convention in force on the order date; the year-end
 * calendar (override by an administrator with a reason); committed AE ≤ AE available for the year,
 * checked on the locked totals row.
 */
export async function creerEngagement(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  s: EngagementSaisie,
  derogation: Derogation | null = null,
): Promise<Resultat<Engagement>> {
  return operationSurUneAnnee(
    ctx,
    acteur,
    conventionId,
    (trx, c, verrou) => engager(ctx, trx, acteur, c, s, derogation, null, verrou, { fin: true }),
    // a year outside the bounds is refused by the rules, with the user's other errors
    estAnneeSuivie(s.annee) ? s.annee : undefined,
  );
}

/**
 * Places an order inside the caller's transaction, after every check: the one path to an order. With
 * `fin`, the caller's transaction ends with the order's write, whose COMMIT then leaves with it.
 */
export async function engager(
  ctx: Contexte,
  trx: Trx,
  acteur: Acteur,
  c: ConventionCredits,
  s: EngagementSaisie,
  derogation: Derogation | null,
  origine: string | null = null,
  verrou: TotauxCredit | null = null,
  opts: { fin?: boolean } = {},
): Promise<Resultat<Engagement>> {
  const maintenant = ctx.now();
  const aujourdHui = today(maintenant);
  const erreurs = controlerEngagement(s, c.produits, aujourdHui);
  if (erreurs.length) throw new ValidationError(erreurs);
  verifierConventionEngageable(c, s.dateEngagement);
  verifierExerciceOuvert(c.exercicesClos, { annee: s.annee, dateEffet: s.dateEngagement, enregistreLe: maintenant });
  const avertissements = [
    ...verifierEnregistrementDansTerme(c, aujourdHui, derogation, peutDeroger(acteur)),
    ...appliquerCalendrier(
      'engagement',
      s.annee,
      s.dateEngagement,
      c.parametres,
      derogation,
      peutDeroger(acteur),
      aujourdHui,
    ),
  ];
  if (s.numero !== null) {
    // a Chorus number identifies one legal commitment: the unique index is the second barrier
    const autre = await lireEngagementParNumero(trx, s.numero);
    if (autre)
      throw new ConflictError(
        'NUMERO_DEJA_UTILISE',
        `Le numéro d’engagement juridique ${s.numero} est déjà celui du bon de commande « ${autre.objet} » (${autre.annee}) de la convention ${autre.conventionReference ?? autre.conventionId} : un numéro Chorus ne sert qu’une fois.`,
        { numero: s.numero, convention_id: autre.conventionId },
      );
  }
  const id = randomUUID();
  return ecrireAvecJournal(
    trx,
    acteur,
    ctx.now(),
    { conventionId: c.id, objetType: 'engagement', objetId: id, action: 'engagement' },
    async (e) => {
      const t = await creditAJour(e, c, s.annee, undefined, verrou);
      verifierExercicesOuverts(e, c, [t], { dateEffet: s.dateEngagement, annee: s.annee });
      const baseMontant = s.baseMontant ?? c.baseMontants;
      const tauxTva = s.tauxTva ?? TAUX_TVA_DEFAUT;
      // the ceiling compares amounts on the credits' base: an HT order counts at its TTC amount
      const impute = montantImpute(s.montantCentimes, baseMontant, c.baseMontants, tauxTva);
      verifierPlafondAe(t, impute);
      const k = await depassementGrandLivre(e, c.id, t, { date: s.dateEngagement, engageAe: impute });
      if (k) throw new PlafondDepasseError('AE', s.annee, k.libre, impute, k.date);
      const numero = s.numero ?? numeroAuto(s.annee, t.nbEngagements + 1);
      const saisie = { ...s, numero, baseMontant, tauxTva, montantImputeCentimes: impute };
      e.noter(
        { champ: 'numero', avant: null, apres: numero },
        { champ: 'date_effet', avant: null, apres: s.dateEngagement },
        { champ: 'montant', avant: null, apres: libelleImpute(saisie, c.baseMontants) },
        { champ: 'titulaire', avant: null, apres: s.titulaire },
      );
      e.commenter(
        [
          `${numero} — ${s.objet} — ${libelleImpute(saisie, c.baseMontants)} sur ${s.annee}, daté du ${formatDate(s.dateEngagement)}`,
          origine,
          derogation ? `Dérogation : ${derogation.motif}` : null,
        ]
          .filter(Boolean)
          .join('. '),
      );
      await insererEngagement(e, { ...saisie, id, conventionId: c.id }, derogation?.motif ?? null, opts);
      const engagement: Engagement = {
        ...saisie,
        id,
        conventionId: c.id,
        statut: 'actif',
        libereCentimes: 0,
        certifieCentimes: 0,
        payeCentimes: 0,
        creeLe: e.le.toISOString(),
        acteurNom: acteur.nom,
      };
      return {
        valeur: engagement,
        avertissements: [...avertissements, ...avertissementBase(saisie, c.baseMontants)],
      };
    },
  );
}

async function engagementVerrouille(trx: Trx, conventionId: string, engagementId: string): Promise<Engagement> {
  const e = await verrouillerEngagement(trx, conventionId, engagementId);
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
  return operationSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const e = await engagementVerrouille(trx, c.id, engagementId);
    controlerDateOperation(e, date, aujourdHui);
    verifierExerciceOuvert(c.exercicesClos, { annee: e.annee, dateEffet: date, enregistreLe: ctx.now() });
    const montant = montantServiceFait(e, demande);
    const pourcentage = 'pourcentage' in demande ? demande.pourcentage : null;
    const certificateur = opts.certificateur?.trim() || acteur.nom;
    const sujet = {
      conventionId: c.id,
      objetType: 'engagement',
      objetId: e.id,
      action: 'service_fait',
      changements: [
        { champ: 'certifie', avant: e.certifieCentimes, apres: e.certifieCentimes + montant },
        { champ: 'date_effet', avant: null, apres: date },
      ],
      commentaire: `${e.numero} : service fait de ${formatEuros(montant)}${pourcentage !== null ? ` (${pourcentage} % de la commande)` : ''} au ${formatDate(date)}, certifié par ${certificateur}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (w) => {
      // the closing locks this row too: one that committed while this waited is read after the lock
      const t = await verrouillerCredit(w, c.id, e.annee);
      verifierExercicesOuverts(w, c, [t], { dateEffet: date, annee: e.annee });
      await insererMouvementEngagement(
        w,
        {
          conventionId: c.id,
          annee: e.annee,
          type: 'service_fait',
          engagementId: e.id,
          dateOperation: date,
          deltas: { certifie: montant },
          pourcentage,
          certificateur,
        },
        { id: e.id, certifie: montant },
      );
    });
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
  return operationSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    if (!p.reference.trim())
      throw new ValidationError([
        { champ: 'reference', message: 'Indiquez la référence de la facture ou de la demande de paiement.' },
      ]);
    const e = await engagementVerrouille(trx, c.id, engagementId);
    controlerDateOperation(e, date, aujourdHui);
    if (e.statut === 'annule') throw new ConflictError('ENGAGEMENT_ANNULE', `L’engagement ${e.numero} est annulé.`);
    verifierPaiement(e, p.montantCentimes);
    const annee = yearOf(date);
    verifierExerciceOuvert(c.exercicesClos, { annee, dateEffet: date, enregistreLe: ctx.now() });
    const avertissements = appliquerCalendrier(
      'paiement',
      annee,
      date,
      c.parametres,
      derogation,
      peutDeroger(acteur),
      aujourdHui,
    );
    if (date < aujourdHui)
      verifierPaiementADate(e, await listerMouvementsEngagement(trx, e.id), date, p.montantCentimes);
    const sujet = {
      conventionId: c.id,
      objetType: 'engagement',
      objetId: e.id,
      action: 'paiement',
      changements: [
        { champ: 'paye', avant: e.payeCentimes, apres: e.payeCentimes + p.montantCentimes },
        { champ: 'date_effet', avant: null, apres: date },
      ],
      commentaire: [
        `${e.numero} : paiement de ${formatEuros(p.montantCentimes)} au ${formatDate(date)} (${p.reference.trim()}) sur les CP ${annee}`,
        derogation ? `Dérogation : ${derogation.motif}` : null,
      ]
        .filter(Boolean)
        .join('. '),
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (w) => {
      const t = await creditAJour(w, c, annee);
      verifierExercicesOuverts(w, c, [t], { dateEffet: date, annee });
      verifierPlafondCp(t, p.montantCentimes);
      const k = await depassementGrandLivre(w, c.id, t, { date, payeCp: p.montantCentimes });
      if (k) throw new PlafondDepasseError('CP', annee, k.libre, p.montantCentimes, k.date);
      await insererMouvementEngagement(
        w,
        {
          conventionId: c.id,
          annee,
          type: 'paiement',
          engagementId: e.id,
          dateOperation: date,
          deltas: { payeCp: p.montantCentimes },
          reference: p.reference.trim(),
          derogation: derogation?.motif ?? null,
        },
        { id: e.id, paye: p.montantCentimes },
      );
    });
    return { valeur: { ...e, payeCentimes: e.payeCentimes + p.montantCentimes }, avertissements };
  });
}

async function liberer(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  engagementId: string,
  mode: 'solde' | 'annule',
  montantReel: Centimes | null,
  motif: string | null,
): Promise<Resultat<Engagement>> {
  const aujourdHui = today(ctx.now());
  return operationSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const e = await engagementVerrouille(trx, c.id, engagementId);
    const libere = mode === 'solde' ? liberationSolde(e, montantReel) : liberationAnnulation(e);
    // released AE go back to the order's year: never into a closed one
    verifierExerciceOuvert(c.exercicesClos, { annee: e.annee, dateEffet: aujourdHui, enregistreLe: ctx.now() });
    const quoi = mode === 'solde' ? `soldé à ${formatEuros(e.montantImputeCentimes - libere)}` : 'annulé';
    const sujet = {
      conventionId: c.id,
      objetType: 'engagement',
      objetId: e.id,
      action: mode === 'solde' ? 'solde' : 'annulation',
      changements: [
        { champ: 'statut', avant: e.statut, apres: mode },
        { champ: 'libere', avant: e.libereCentimes, apres: e.libereCentimes + libere },
      ],
      commentaire: `${e.numero} ${quoi} : ${formatEuros(libere)} d’AE ${e.annee} libérées${motif ? `. ${motif}` : ''}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (w) => {
      // released AE go back to the order's year: never into a closed one
      const t = await verrouillerCredit(w, c.id, e.annee);
      verifierExercicesOuverts(w, c, [t], { dateEffet: aujourdHui, annee: e.annee });
      await insererMouvementEngagement(
        w,
        {
          conventionId: c.id,
          annee: e.annee,
          type: 'liberation',
          engagementId: e.id,
          dateOperation: aujourdHui,
          deltas: { engageAe: -libere, libereAe: libere },
          motif,
        },
        { id: e.id, libere, statut: mode },
      );
    });
    return { valeur: { ...e, statut: mode, libereCentimes: libere }, avertissements: [] };
  });
}

/** Closes an order at its actual amount (by default what was certified), releasing the AE it did not use. */
export function solderEngagement(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  engagementId: string,
  montantReel: Centimes | null,
  motif: string | null = null,
) {
  return liberer(ctx, acteur, conventionId, engagementId, 'solde', montantReel, motif);
}

/** Cancels an order without certified work, releasing all its AE. */
export function annulerEngagement(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  engagementId: string,
  motif: string | null = null,
) {
  return liberer(ctx, acteur, conventionId, engagementId, 'annule', null, motif);
}
