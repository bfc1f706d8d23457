import { peutDeroger, peutLireConvention, peutLireCredits, perimetre, type Acteur } from '../domain/acces.js';
import { totauxVides, type ConventionCredits, type TotauxCredit } from '../domain/credit.js';
import { formatDate, today, type DateIso } from '../domain/dates.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import {
  bilanExercice,
  calendrierExercice,
  clotureDe,
  controlerCalendrierExercice,
  peutCloturer,
  estAnneeSuivie,
  propositionCloture,
  resumeCloture,
  verifierAccordReport,
  verifierClotureOuverte,
  type AccordReport,
  type BilanExercice,
  type CalendrierExercice,
  type PropositionCloture,
} from '../domain/exercice.js';
import type { Centimes } from '../domain/money.js';
import { lireParametres } from '../storage/calendrier.js';
import { lireConventionCredits, verrouillerConventionCredits, verrouillerCredit } from '../storage/credit.js';
import type { Executor, Trx } from '../storage/database.js';
import {
  insererAccordReport,
  insererCloture,
  lireAccordReport,
  lireCalendrierExercice,
  lireCloture,
  listerAccordsReport,
  listerConventionsExercice,
  listerExercicesClos,
  modifierCalendrierExercice,
  type Cloture,
} from '../storage/exercice.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { creditAJour } from './credit.js';
import { reporter, restituer } from './credit-decision.js';

/** The year-end closing of an exercise: its calendar, the closing itself, the agreements to carry over, the statements. */

function anneeValide(annee: number): void {
  if (!estAnneeSuivie(annee)) throw new ValidationError([{ champ: 'annee', message: 'Année invalide.' }]);
}

async function calendrier(ex: Executor, annee: number): Promise<CalendrierExercice> {
  const parametres = await lireParametres(ex);
  return calendrierExercice(annee, parametres, await lireCalendrierExercice(ex, annee));
}

export async function lireCalendrier(ctx: Contexte, annee: number): Promise<CalendrierExercice> {
  anneeValide(annee);
  return calendrier(ctx.db, annee);
}

/** An administrator sets the dates of one exercise (the others keep the global calendar). */
export async function modifierCalendrier(
  ctx: Contexte,
  acteur: Acteur,
  cal: CalendrierExercice,
): Promise<CalendrierExercice> {
  if (!peutDeroger(acteur))
    throw new ForbiddenError('Seul un administrateur peut modifier le calendrier d’un exercice.');
  anneeValide(cal.annee);
  const erreurs = controlerCalendrierExercice(cal);
  if (erreurs.length) throw new ValidationError(erreurs);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await calendrier(trx, cal.annee);
    const changements = (['ouvertureCloture', 'limiteReport', 'limiteCloture'] as const)
      .filter((k) => avant[k] !== cal[k])
      .map((k) => ({ champ: `exercice ${cal.annee}.${k}`, avant: avant[k], apres: cal[k] }));
    if (changements.length === 0) return;
    const sujet = {
      conventionId: null,
      objetType: 'exercice',
      objetId: String(cal.annee),
      action: 'calendrier',
      changements,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => modifierCalendrierExercice(e, cal.annee, cal));
  });
  return cal;
}

/** One convention's line of an exercise: its statement (frozen at the closing, provisional before) and what the closing will do. */
export interface LigneExercice {
  conventionId: string;
  libelle: string;
  peutCloturer: boolean;
  bilan: BilanExercice;
  /** what the closing will do with the unused credits (null once closed) */
  proposition: PropositionCloture | null;
  accord: AccordReport | null;
  cloture: { closLe: string; acteurNom: string } | null;
}

export interface VueExercice {
  calendrier: CalendrierExercice;
  aujourdHui: DateIso;
  /** the closing of the whole portfolio, if any */
  portefeuille: Cloture | null;
  conventions: LigneExercice[];
}

type ClotureLue = { closLe: string; acteurNom: string; bilan: BilanExercice | null } | null;

function ligne(
  acteur: Acteur,
  x: { conventionId: string; libelle: string; totaux: TotauxCredit; cloture: ClotureLue },
  accord: AccordReport | null,
  portee: Parameters<typeof peutCloturer>[1],
  portefeuilleClos: boolean,
): LigneExercice {
  const clos = x.cloture !== null || portefeuilleClos;
  return {
    conventionId: x.conventionId,
    libelle: x.libelle,
    peutCloturer: !clos && peutCloturer(acteur, portee),
    bilan: x.cloture?.bilan ?? bilanExercice(x.totaux),
    proposition: clos ? null : propositionCloture(x.totaux, accord),
    accord,
    cloture: x.cloture ? { closLe: x.cloture.closLe, acteurNom: x.cloture.acteurNom } : null,
  };
}

/** The state of an exercise over the conventions the actor may read. */
export async function lireExercice(ctx: Contexte, acteur: Acteur, annee: number): Promise<VueExercice> {
  anneeValide(annee);
  if (acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter les exercices.');
  const [cal, portefeuille, conventions, accords] = await Promise.all([
    calendrier(ctx.db, annee),
    lireCloture(ctx.db, annee, null),
    listerConventionsExercice(ctx.db, annee, perimetre(acteur)),
    listerAccordsReport(ctx.db, annee),
  ]);
  return {
    calendrier: cal,
    aujourdHui: today(ctx.now()),
    portefeuille,
    conventions: conventions.map((x) =>
      ligne(
        acteur,
        { ...x, totaux: x.totaux ?? totauxVides(annee) },
        accords.get(x.conventionId) ?? null,
        x,
        portefeuille !== null,
      ),
    ),
  };
}

export interface BilanConvention {
  convention: ConventionCredits;
  calendrier: CalendrierExercice;
  ligne: LigneExercice;
  /** a closing of the whole portfolio covers this convention too */
  closLe: string | null;
}

/** One convention's statement of a year, for its page and its exports. */
export async function lireBilan(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  annee: number,
): Promise<BilanConvention> {
  anneeValide(annee);
  const c = await lireConventionCredits(ctx.db, conventionId);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
  const [cal, propre, portefeuille, accord] = await Promise.all([
    calendrier(ctx.db, annee),
    lireCloture(ctx.db, annee, conventionId),
    lireCloture(ctx.db, annee, null),
    lireAccordReport(ctx.db, conventionId, annee),
  ]);
  const totaux = c.credits.find((t) => t.annee === annee) ?? totauxVides(annee);
  const l = ligne(
    acteur,
    {
      conventionId,
      libelle: c.reference ?? 'Convention',
      totaux,
      cloture: propre ? { closLe: propre.closLe, acteurNom: propre.acteurNom, bilan: propre.bilan } : null,
    },
    accord,
    c,
    portefeuille !== null,
  );
  return { convention: c, calendrier: cal, ligne: l, closLe: propre?.closLe ?? portefeuille?.closLe ?? null };
}

/** The délégant's agreement to carry a year's unused credits over, recorded before the deadline. */
export async function enregistrerAccordReport(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  annee: number,
  a: { dateAccord: DateIso; auteur: string; aeCentimes: Centimes | null; cpCentimes: Centimes | null },
): Promise<void> {
  anneeValide(annee);
  const aujourdHui = today(ctx.now());
  await ctx.db.transaction().execute(async (trx) => {
    const c = await verrouillerConventionCredits(trx, conventionId, { sansTotaux: true });
    if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
    if (!peutCloturer(acteur, c))
      throw new ForbiddenError('Seul le délégant (ou un administrateur) peut consigner son accord sur un report.');
    const cal = await calendrier(trx, annee);
    verifierAccordReport(a, cal, aujourdHui, await listerExercicesClos(trx, conventionId));
    const auteur = a.auteur.trim();
    const sujet = {
      conventionId,
      objetType: 'exercice',
      objetId: String(annee),
      action: 'accord_report',
      changements: [
        {
          champ: `accord report ${annee}`,
          avant: null,
          apres: { date: a.dateAccord, auteur, ae: a.aeCentimes, cp: a.cpCentimes },
        },
      ],
      commentaire: `Accord du délégant (${auteur}) du ${formatDate(a.dateAccord)} pour reporter sur ${annee + 1} les crédits ${annee} inutilisés`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
      insererAccordReport(e, { conventionId, annee, ...a, auteur }),
    );
  });
}

export interface ResultatCloture {
  annee: number;
  portefeuille: boolean;
  conventions: { conventionId: string; bilan: BilanExercice; proposition: PropositionCloture }[];
}

/**
 * Closes one convention's year inside the closing's transaction: its totals row is locked (the lock every
 * order of the year takes), the unused credits are carried over as the délégant agreed or returned, and
 * the statement is frozen with the closing. Journalled on the convention.
 */
async function clore(
  trx: Trx,
  acteur: Acteur,
  le: Date,
  c: ConventionCredits,
  annee: number,
  aujourdHui: DateIso,
): Promise<ResultatCloture['conventions'][number]> {
  const sujet = {
    conventionId: c.id,
    objetType: 'exercice',
    objetId: String(annee),
    action: 'cloture',
    changements: [{ champ: `exercice ${annee}`, avant: 'ouvert', apres: 'clos' }],
  };
  return ecrireAvecJournal(trx, acteur, le, sujet, async (e) => {
    const t = await creditAJour(e, c, annee);
    if (clotureDe(await listerExercicesClos(trx, c.id), annee))
      throw new ConflictError('EXERCICE_DEJA_CLOS', `L’exercice ${annee} est déjà clos pour cette convention.`, {
        annee,
      });
    const accord = await lireAccordReport(trx, c.id, annee);
    const p = propositionCloture(t, accord);
    if (p.report.aeCentimes > 0 || p.report.cpCentimes > 0) {
      const motif = `Clôture de l’exercice ${annee} : report convenu avec le délégant (${accord!.auteur}, ${formatDate(accord!.dateAccord)})`;
      await reporter(e, c, { annee, ...p.report, motif }, aujourdHui);
    }
    if (p.restitution.aeCentimes > 0 || p.restitution.cpCentimes > 0) {
      const motif = `Clôture de l’exercice ${annee} : crédits inutilisés restitués au délégant`;
      await restituer(e, c, { annee, ...p.restitution, motif }, aujourdHui);
    }
    const bilan = bilanExercice(await verrouillerCredit(e, c.id, annee));
    await insererCloture(e, { annee, conventionId: c.id, bilan });
    e.commenter(resumeCloture(annee, p));
    return { conventionId: c.id, bilan, proposition: p };
  });
}

/**
 * Closes year N for one convention, or for every convention of the actor's portfolio that they may close
 * (an administrator closes the whole portfolio, conventions entered later included), in one transaction.
 */
export async function cloturerExercice(
  ctx: Contexte,
  acteur: Acteur,
  annee: number,
  conventionId: string | null,
): Promise<ResultatCloture> {
  anneeValide(annee);
  if (acteur.role === 'public') throw new ForbiddenError();
  const aujourdHui = today(ctx.now());
  return ctx.db.transaction().execute(async (trx) => {
    verifierClotureOuverte(await calendrier(trx, annee), aujourdHui);
    const resultats: ResultatCloture['conventions'] = [];
    if (conventionId !== null) {
      const c = await verrouillerConventionCredits(trx, conventionId);
      if (!c || !peutLireConvention(acteur, c) || !peutLireCredits(acteur, c))
        throw new NotFoundError('Convention', conventionId);
      if (!peutCloturer(acteur, c))
        throw new ForbiddenError('Seul le délégant (ou un administrateur) peut clore l’exercice de cette convention.');
      resultats.push(await clore(trx, acteur, ctx.now(), c, annee, aujourdHui));
      return { annee, portefeuille: false, conventions: resultats };
    }
    const tout = acteur.role === 'administrateur';
    if (tout && (await lireCloture(trx, annee, null)))
      throw new ConflictError('EXERCICE_DEJA_CLOS', `L’exercice ${annee} est déjà clos pour tout le portefeuille.`, {
        annee,
      });
    const cibles = (await listerConventionsExercice(trx, annee, perimetre(acteur))).filter(
      (x) => x.cloture === null && peutCloturer(acteur, x),
    );
    if (!tout && cibles.length === 0)
      throw new ForbiddenError(`Aucune convention dont vous êtes le délégant n’a d’exercice ${annee} à clore.`);
    // in id order, the order of the list: two closings lock the same rows in the same order
    for (const x of cibles) {
      const c = await verrouillerConventionCredits(trx, x.conventionId);
      if (c) resultats.push(await clore(trx, acteur, ctx.now(), c, annee, aujourdHui));
    }
    if (tout) {
      const sujet = {
        conventionId: null,
        objetType: 'exercice',
        objetId: String(annee),
        action: 'cloture',
        changements: [{ champ: `exercice ${annee}`, avant: 'ouvert', apres: 'clos' }],
        commentaire: `Clôture de l’exercice ${annee} pour tout le portefeuille (${resultats.length} conventions)`,
      };
      await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
        insererCloture(e, { annee, conventionId: null, bilan: null }),
      );
    }
    return { annee, portefeuille: tout, conventions: resultats };
  });
}
