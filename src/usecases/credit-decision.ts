import { peutDeciderCredits, peutDeroger, type Acteur } from '../domain/acces.js';
import {
  anneesCredits,
  controlerMontantsAeCp,
  verifierInutilise,
  type ConventionCredits,
  type MontantsAeCp,
  type TotauxCredit,
} from '../domain/credit.js';
import { verifierPlafondConvention } from '../domain/credit-plafond.js';
import { verifierDateDansConvention, verifierExerciceOuvert } from '../domain/credit-mouvement.js';
import { formatDate, isDateIso, today, yearOf, type DateIso } from '../domain/dates.js';
import { estAnneeSuivie, verifierAnneeDeReport } from '../domain/exercice.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import { insererMouvementsCredit } from '../storage/credit-mouvement.js';
import { insererDecision } from '../storage/credit.js';
import type { Trx } from '../storage/database.js';
import { ecrireAvecJournal, type Ecriture } from '../storage/journal.js';
import { motifRequis, operation, type Contexte } from './contexte.js';
import { changementsCredits, creditAJour, depassementGrandLivre, verifierExercicesOuverts } from './credit.js';

/**
 * The DINUM's decisions on a convention's credits: releasing a tranche, recording another availability,
 * carrying over to the next year, returning to the délégant. Each one is a recorded act with its ground,
 * journalled with the availability before and after.
 */

function decisionDatee(date: DateIso, aujourdHui: DateIso, champ = 'date'): void {
  if (!isDateIso(date)) throw new ValidationError([{ champ, message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (date > aujourdHui)
    throw new ValidationError([
      { champ, message: 'Une décision se consigne une fois prise : la date ne peut être dans le futur.' },
    ]);
}

function montantsValides(m: MontantsAeCp): void {
  const erreurs = controlerMontantsAeCp(m);
  if (erreurs.length) throw new ValidationError(erreurs);
}

/** What leaves a year (carry-over, return) must be unused on its date and on every later one. */
async function inutiliseADate(
  e: Ecriture,
  conventionId: string,
  t: TotauxCredit,
  date: DateIso,
  m: MontantsAeCp,
  operation: 'report' | 'restitution',
): Promise<void> {
  const k = await depassementGrandLivre(e, conventionId, t, { date, ouvertAe: -m.aeCentimes, ouvertCp: -m.cpCentimes });
  if (!k) return;
  const quoi = operation === 'report' ? 'reporter' : 'restituer';
  throw new ConflictError(
    'CREDITS_NON_DISPONIBLES',
    `On ne peut ${quoi} que des crédits inutilisés à la date du mouvement : au ${formatDate(k.date)}, ${formatEuros(k.libre)} ${k.nature === 'AE' ? 'd’AE' : 'de CP'} étaient inutilisés sur ${t.annee}.`,
    { annee: t.annee, date: k.date, disponible_centimes: k.libre },
  );
}

/** Releases a tranche (2 and later; the first is released at signature) by a recorded decision. */
export async function libererTranche(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  rang: number,
  d: { date: DateIso; motif: string; decideur: string | null },
): Promise<void> {
  await operation(
    ctx,
    acteur,
    conventionId,
    (a) => peutDeciderCredits(a),
    (trx, c) => libererTrancheDans(ctx, acteur, trx, c, rang, d),
  );
}

/**
 * The release of a tranche inside a transaction already under way, on the convention it locked: a
 * committee's decision releases the tranche in its own transaction, each with its journal line.
 */
export async function libererTrancheDans(
  ctx: Contexte,
  acteur: Acteur,
  trx: Trx,
  c: ConventionCredits,
  rang: number,
  d: { date: DateIso; motif: string; decideur: string | null },
): Promise<void> {
  const aujourdHui = today(ctx.now());
  const motif = motifRequis(d.motif);
  decisionDatee(d.date, aujourdHui);
  verifierDateDansConvention(c, d.date, `La libération de la tranche ${rang}`);
  verifierExerciceOuvert(c.exercicesClos, { annee: yearOf(d.date), dateEffet: d.date, enregistreLe: ctx.now() });
  const tranche = Number.isInteger(rang) && rang >= 1 ? c.tranches[rang - 1] : undefined;
  if (!tranche) throw new ConflictError('TRANCHE_INCONNUE', `La convention n’a pas de tranche ${rang}.`);
  if (rang === 1 || c.liberations.some((l) => l.rang === rang))
    throw new ConflictError('TRANCHE_DEJA_LIBEREE', `La tranche ${rang} est déjà libérée.`);
  const sujet = {
    conventionId: c.id,
    objetType: 'credit',
    objetId: c.id,
    action: 'liberation_tranche',
    changements: [{ champ: `tranche ${rang}.liberee`, avant: null, apres: d.date }],
    commentaire: `Tranche ${rang} (${tranche.partPct} %) libérée le ${formatDate(d.date)}${d.decideur ? ` par ${d.decideur}` : ''} : ${motif}`,
  };
  await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
    await insererDecision(e, {
      conventionId: c.id,
      type: 'liberation_tranche',
      rang,
      dateEffet: d.date,
      motif,
      decideur: d.decideur,
    });
    const apres = {
      ...c,
      liberations: [...c.liberations, { rang, dateEffet: d.date, motif, decideur: d.decideur }],
    };
    const verrouilles: TotauxCredit[] = [];
    for (const annee of anneesCredits(
      apres,
      apres.decisions,
      apres.credits.map((t) => t.annee),
    ))
      verrouilles.push(await creditAJour(e, apres, annee));
    verifierExercicesOuverts(e, c, verrouilles, { annee: yearOf(d.date), dateEffet: d.date });
  });
}

/** An administrator records an availability other than the schedule for a year (date and ground). */
export async function deciderDisponibilite(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  d: DemandeDisponibilite,
): Promise<void> {
  await operation(
    ctx,
    acteur,
    conventionId,
    (a) => peutDeroger(a),
    (trx, c) => appliquerDisponibilite(ctx, trx, acteur, c, d),
  );
}

export interface DemandeDisponibilite {
  annee: number;
  aeCentimes: Centimes;
  cpCentimes: Centimes;
  date: DateIso;
  motif: string;
}

/**
 * The availability decision inside a transaction that already holds the convention locked: another act
 * that relies on it (the délégant's adjustment of an insufficiency) commits with it or not at all.
 */
export async function appliquerDisponibilite(
  ctx: Contexte,
  trx: Trx,
  acteur: Acteur,
  c: ConventionCredits,
  d: DemandeDisponibilite,
): Promise<void> {
  const aujourdHui = today(ctx.now());
  const motif = motifRequis(d.motif);
  decisionDatee(d.date, aujourdHui);
  if (!estAnneeSuivie(d.annee)) throw new ValidationError([{ champ: 'annee', message: 'Année invalide.' }]);
  verifierDateDansConvention(c, d.date, 'Une décision de mise à disposition');
  verifierExerciceOuvert(c.exercicesClos, { annee: d.annee, dateEffet: d.date, enregistreLe: ctx.now() });
  for (const [champ, v] of [
    ['aeCentimes', d.aeCentimes],
    ['cpCentimes', d.cpCentimes],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new ValidationError([{ champ, message: 'Indiquez un montant positif ou nul.' }]);
  }
  verifierPlafondConvention(c, c.credits, d.annee, { ae: d.aeCentimes, cp: d.cpCentimes });
  const precedente = c.decisions.filter((x) => x.annee === d.annee).at(-1);
  const decision = { annee: d.annee, aeCentimes: d.aeCentimes, cpCentimes: d.cpCentimes, dateEffet: d.date, motif };
  const sujet = {
    conventionId: c.id,
    objetType: 'credit',
    objetId: c.id,
    action: 'disponibilite',
    changements: [
      {
        champ: `disponibilite ${d.annee}`,
        avant: precedente
          ? {
              aeCentimes: precedente.aeCentimes,
              cpCentimes: precedente.cpCentimes,
              dateEffet: precedente.dateEffet,
            }
          : null,
        apres: { aeCentimes: d.aeCentimes, cpCentimes: d.cpCentimes, dateEffet: d.date },
      },
    ],
    commentaire: `Crédits ${d.annee} mis à disposition : ${formatEuros(d.aeCentimes)} d’AE et ${formatEuros(d.cpCentimes)} de CP à compter du ${formatDate(d.date)} : ${motif}`,
  };
  await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
    await insererDecision(e, {
      conventionId: c.id,
      type: 'disponibilite',
      annee: d.annee,
      ae: d.aeCentimes,
      cp: d.cpCentimes,
      dateEffet: d.date,
      motif,
    });
    const t = await creditAJour(e, { ...c, decisions: [...c.decisions, decision] }, d.annee);
    verifierExercicesOuverts(e, c, [t], { annee: d.annee, dateEffet: d.date });
  });
}

/** Carries unused AE/CP of a year over to the next one: two movements, out of N and into N+1. */
export async function reporterCredits(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  d: MontantsAeCp & { annee: number; motif: string; date?: DateIso },
): Promise<string[]> {
  const aujourdHui = today(ctx.now());
  const date = d.date ?? aujourdHui;
  return operation(
    ctx,
    acteur,
    conventionId,
    (a) => peutDeciderCredits(a),
    async (trx, c) => {
      const motif = motifRequis(d.motif);
      montantsValides(d);
      verifierAnneeDeReport(d.annee);
      decisionDatee(date, aujourdHui);
      verifierDateDansConvention(c, date, 'Un report');
      for (const annee of [d.annee, d.annee + 1])
        verifierExerciceOuvert(c.exercicesClos, { annee, dateEffet: date, enregistreLe: ctx.now() });
      const sujet = {
        conventionId: c.id,
        objetType: 'credit',
        objetId: c.id,
        action: 'report',
        changements: [{ champ: 'date_effet', avant: null, apres: date }],
        commentaire: `Report de ${formatEuros(d.aeCentimes)} d’AE et ${formatEuros(d.cpCentimes)} de CP de ${d.annee} sur ${d.annee + 1} : ${motif}`,
      };
      return ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => reporter(e, c, { ...d, motif }, date));
    },
  );
}

/** Returns unused credits of a year to the délégant ("remontée"): they are no longer available. */
export async function restituerCredits(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  d: MontantsAeCp & { annee: number; motif: string; date?: DateIso },
): Promise<void> {
  const aujourdHui = today(ctx.now());
  const date = d.date ?? aujourdHui;
  await operation(
    ctx,
    acteur,
    conventionId,
    (a) => peutDeciderCredits(a),
    async (trx, c) => {
      const motif = motifRequis(d.motif);
      montantsValides(d);
      decisionDatee(date, aujourdHui);
      verifierDateDansConvention(c, date, 'Une restitution');
      verifierExerciceOuvert(c.exercicesClos, { annee: d.annee, dateEffet: date, enregistreLe: ctx.now() });
      const sujet = {
        conventionId: c.id,
        objetType: 'credit',
        objetId: c.id,
        action: 'restitution',
        changements: [{ champ: 'date_effet', avant: null, apres: date }],
        commentaire: `Restitution au délégant de ${formatEuros(d.aeCentimes)} d’AE et ${formatEuros(d.cpCentimes)} de CP ${d.annee} : ${motif}`,
      };
      await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => restituer(e, c, { ...d, motif }, date));
    },
  );
}

type MouvementDecide = MontantsAeCp & { annee: number; motif: string };

/**
 * A carry-over inside the caller's write, dated `date`: two movements, out of N and into N+1, both totals
 * rows locked (N first, then N+1). The year-end closing carries over through it too. Returns the warnings.
 */
export async function reporter(
  e: Ecriture,
  c: ConventionCredits,
  d: MouvementDecide,
  date: DateIso,
): Promise<string[]> {
  const motif = d.motif;
  const t = await creditAJour(e, c, d.annee);
  const suivante = await creditAJour(e, c, d.annee + 1);
  verifierExercicesOuverts(e, c, [t, suivante], { annee: d.annee, dateEffet: date });
  verifierExercicesOuverts(e, c, [t, suivante], { annee: d.annee + 1, dateEffet: date });
  verifierInutilise(t, d, 'report');
  await inutiliseADate(e, c.id, t, date, d, 'report');
  const limite = `${d.annee}-${c.parametres.limiteReport}`;
  await insererMouvementsCredit(e, [
    {
      conventionId: c.id,
      annee: d.annee,
      type: 'report_sortant',
      dateOperation: date,
      deltas: {
        ouvertAe: -d.aeCentimes,
        ouvertCp: -d.cpCentimes,
        reporteSortantAe: d.aeCentimes,
        reporteSortantCp: d.cpCentimes,
      },
      motif,
    },
    {
      conventionId: c.id,
      annee: d.annee + 1,
      type: 'report_entrant',
      dateOperation: date,
      deltas: {
        ouvertAe: d.aeCentimes,
        ouvertCp: d.cpCentimes,
        reporteEntrantAe: d.aeCentimes,
        reporteEntrantCp: d.cpCentimes,
      },
      motif,
    },
  ]);
  e.noter(
    ...changementsCredits(t, { ...t, ouvertAe: t.ouvertAe - d.aeCentimes, ouvertCp: t.ouvertCp - d.cpCentimes }),
    ...changementsCredits(suivante, {
      ...suivante,
      ouvertAe: suivante.ouvertAe + d.aeCentimes,
      ouvertCp: suivante.ouvertCp + d.cpCentimes,
    }),
  );
  return date > limite
    ? [
        `Le report est daté après la date des demandes de report (${formatDate(limite)}) : vérifiez l’accord du délégant.`,
      ]
    : [];
}

/** A return to the délégant inside the caller's write, dated `date`, the year's totals row locked. */
export async function restituer(e: Ecriture, c: ConventionCredits, d: MouvementDecide, date: DateIso): Promise<void> {
  const motif = d.motif;
  const t = await creditAJour(e, c, d.annee);
  verifierExercicesOuverts(e, c, [t], { annee: d.annee, dateEffet: date });
  verifierInutilise(t, d, 'restitution');
  await inutiliseADate(e, c.id, t, date, d, 'restitution');
  await insererMouvementsCredit(e, [
    {
      conventionId: c.id,
      annee: d.annee,
      type: 'restitution',
      dateOperation: date,
      deltas: {
        ouvertAe: -d.aeCentimes,
        ouvertCp: -d.cpCentimes,
        restitueAe: d.aeCentimes,
        restitueCp: d.cpCentimes,
      },
      motif,
    },
  ]);
  e.noter(...changementsCredits(t, { ...t, ouvertAe: t.ouvertAe - d.aeCentimes, ouvertCp: t.ouvertCp - d.cpCentimes }));
}
