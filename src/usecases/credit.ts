import { ACTEUR_SYSTEME, peutLireCredits, perimetre, type Acteur } from '../domain/acces.js';
import { alertesCredits, type AlerteCalculee, type AlerteEnregistree } from '../domain/alerte.js';
import type { ParametresCalendrier } from '../domain/calendrier.js';
import { estSignee, finEffective, statutEffectif } from '../domain/convention.js';
import {
  anneesCredits,
  disponibleAe,
  disponibleCp,
  ouvertureAnnee,
  projeterFinAnnee,
  totauxVides,
  verifierNouvelleBase,
  type ConventionCredits,
  type Mouvement,
  type Ouverture,
  type PointSerie,
  type Projection,
  type TotauxCredit,
} from '../domain/credit.js';
import type { FiltrePortefeuille, GroupePortefeuille, Portefeuille } from '../domain/portefeuille.js';
import { formatDate, today, yearOf, type DateIso } from '../domain/dates.js';
import type { Engagement } from '../domain/engagement.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Changement } from '../domain/journal.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import type { Proposition } from '../domain/proposition.js';
import { listerAlertes } from '../storage/alerte.js';
import {
  lireConventionCredits,
  ouvrirCreditsEnBloc,
  verrouillerConventionCredits,
  verrouillerConventionsSansCredits,
  verrouillerCredit,
  type OuvertureInitiale,
} from '../storage/credit.js';
import {
  historiqueNecessaire,
  premierDepassement,
  type AjoutGrandLivre,
  type DepassementADate,
} from '../domain/credit-mouvement.js';
import {
  insererMouvementsCredit,
  listerJoursGrandLivre,
  listerMouvementsDisponibilite,
  listerSerieJournaliere,
} from '../storage/credit-mouvement.js';
import { listerEngagements } from '../storage/engagement.js';
import { lirePortefeuille } from '../storage/portefeuille.js';
import { ecrireAvecJournal, type Ecriture } from '../storage/journal.js';
import { listerPropositions } from '../storage/proposition.js';
import { verifierExerciceOuvert } from '../domain/credit-mouvement.js';
import type { Contexte } from './contexte.js';

/** Before/after of a year's availability, for the journal line of the write that changes it. */
export function changementsCredits(avant: TotauxCredit, apres: TotauxCredit): Changement[] {
  return (['ouvertAe', 'ouvertCp', 'ouverture'] as const)
    .filter((k) => avant[k] !== apres[k])
    .map((k) => ({ champ: `credits ${avant.annee}.${k}`, avant: avant[k], apres: apres[k] }));
}

/**
 * Locks the totals of a year and brings their availability in line with the schedule, the released
 * tranches and the decisions (an amendment or a release changes it): the difference is one recorded
 * movement, noted on the journal line of the write that caused it.
 */
export async function creditAJour(
  e: Ecriture,
  c: ConventionCredits,
  annee: number,
  aPartirDu?: DateIso,
  /** the year's totals row, already locked by this transaction */
  verrou: TotauxCredit | null = null,
): Promise<TotauxCredit> {
  const t = verrou?.annee === annee ? verrou : await verrouillerCredit(e, c.id, annee);
  const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
  if (egales(t, base)) return t;
  verifierNouvelleBase(t, base);
  const dAe = base.ae - t.baseAe;
  const dCp = base.cp - t.baseCp;
  let dateEffet = base.dateEffet ?? `${annee}-01-01`;
  // a signed avenant changes what is available from its effect date, never before
  if (aPartirDu && aPartirDu > dateEffet) dateEffet = aPartirDu;
  // a decrease never takes back what the ledger opened later than its date (a year's schedule opens on
  // 1 January; a decision taken before that lowers it from then)
  if ((dAe < 0 || dCp < 0) && t.ouverture !== null && t.ouverture > dateEffet) dateEffet = t.ouverture;
  if (dAe < 0 || dCp < 0) {
    // less available from its date: what was committed or paid on every later date must still be covered
    const k = await depassementGrandLivre(e, c.id, t, { date: dateEffet, ouvertAe: dAe, ouvertCp: dCp });
    if (k)
      throw new ConflictError(
        'CREDITS_INFERIEURS_CONSOMMATION',
        `Les crédits ${annee} ne peuvent pas descendre sous ce qui est déjà consommé à la date de la décision : au ${formatDate(k.date)}, il ne restait que ${formatEuros(k.libre)} ${k.nature === 'AE' ? 'd’AE' : 'de CP'} inutilisés, ${formatEuros(k.nature === 'AE' ? -dAe : -dCp)} retirés.`,
        { annee, date: k.date, disponible_centimes: k.libre },
      );
  }
  await insererMouvementsCredit(e, [
    {
      conventionId: c.id,
      annee,
      type: 'mise_a_disposition',
      dateOperation: dateEffet,
      deltas: { ouvertAe: dAe, baseAe: dAe, ouvertCp: dCp, baseCp: dCp },
      motif: base.motif,
      ouverture: base.dateEffet,
    },
  ]);
  const apres = {
    ...t,
    baseAe: base.ae,
    baseCp: base.cp,
    ouvertAe: t.ouvertAe + dAe,
    ouvertCp: t.ouvertCp + dCp,
    ouverture: base.dateEffet ?? t.ouverture,
  };
  e.noter(...changementsCredits(t, apres));
  return apres;
}

/**
 * Refuses a movement in a closed exercise, on the closings read with the convention and those on the totals
 * rows the operation locked. The closing writes the same rows: one that committed while the operation
 * waited for its lock is on the row it got, which the closings read before the lock cannot promise.
 */
export function verifierExercicesOuverts(
  e: Ecriture,
  c: Pick<ConventionCredits, 'exercicesClos'>,
  verrouilles: TotauxCredit[],
  m: { dateEffet: DateIso; annee: number },
): void {
  // a closing seen on a locked row committed before this write can: it counts as closed by this write's
  // instant, even when it started after this write did (the write then waited for its lock)
  const le = e.le.toISOString();
  const surLesLignes = verrouilles.flatMap((t) =>
    t.closLe ? [{ annee: t.annee, closLe: t.closLe < le ? t.closLe : le }] : [],
  );
  verifierExerciceOuvert([...c.exercicesClos, ...surLesLignes], { ...m, enregistreLe: e.le });
}

/**
 * A new movement against the dated ledger: nothing to read when no movement of the year is dated after
 * it (the totals already checked say it all), else the year's day sums (one read). The first date where
 * the rule breaks, or null.
 */
export async function depassementGrandLivre(
  e: Ecriture,
  conventionId: string,
  t: TotauxCredit,
  ajout: AjoutGrandLivre,
): Promise<DepassementADate | null> {
  if (!historiqueNecessaire(t, ajout.date)) return null;
  return premierDepassement(await listerJoursGrandLivre(e.trx, conventionId, t.annee), ajout);
}

/** Stored availability matches the expected one (the opening date matters only when something is open). */
function egales(t: TotauxCredit, base: Ouverture): boolean {
  if (t.baseAe !== base.ae || t.baseCp !== base.cp) return false;
  return base.dateEffet === null || (base.ae === 0 && base.cp === 0) || base.dateEffet === t.ouverture;
}

function aJour(c: ConventionCredits): boolean {
  const stockes = new Map(c.credits.map((t) => [t.annee, t]));
  return anneesCredits(c, c.decisions, [...stockes.keys()]).every((annee) => {
    const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
    const t = stockes.get(annee);
    if (!t) return base.ae === 0 && base.cp === 0;
    return egales(t, base);
  });
}

async function synchroniser(e: Ecriture, c: ConventionCredits, aPartirDu?: DateIso): Promise<void> {
  for (const annee of anneesCredits(
    c,
    c.decisions,
    c.credits.map((t) => t.annee),
  )) {
    const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
    if (base.ae === 0 && base.cp === 0 && !c.credits.some((t) => t.annee === annee)) continue;
    await creditAJour(e, c, annee, aPartirDu);
  }
}

/**
 * Brings every year of a convention in line with its schedule, tranches and decisions. Called by the
 * write that creates or changes a convention, so that an amendment that would leave less than what is
 * already committed is refused with it.
 */
export async function synchroniserOuvertures(e: Ecriture, conventionId: string, aPartirDu?: DateIso): Promise<void> {
  const c = await verrouillerConventionCredits(e.trx, conventionId);
  if (c && !aJour(c)) await synchroniser(e, c, aPartirDu);
}

const SUJET_RATTRAPAGE = {
  objetType: 'credit',
  action: 'mise_a_disposition',
  commentaire: 'Crédits mis à jour selon l’échéancier, les tranches libérées et les décisions',
};

/** Catches up one convention whose availability lags behind its schedule, with its own journal line. */
async function rattraper(ctx: Contexte, id: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const c = await verrouillerConventionCredits(trx, id);
    if (!c || aJour(c)) return false;
    const sujet = { conventionId: id, objetId: id, ...SUJET_RATTRAPAGE };
    await ecrireAvecJournal(trx, ACTEUR_SYSTEME, ctx.now(), sujet, (e) => synchroniser(e, c));
    return true;
  });
}

/**
 * What the catch-up writes for a convention: the years to open that have no totals row yet, as
 * `creditAJour` would open them from zero. Null when a stored year differs from its expected availability:
 * lowering one needs the ledger's checks, in the convention's own transaction.
 */
function ouverturesInitiales(c: ConventionCredits): OuvertureInitiale[] | null {
  const stockes = new Map(c.credits.map((t) => [t.annee, t]));
  const lignes: OuvertureInitiale[] = [];
  for (const annee of anneesCredits(c, c.decisions, [...stockes.keys()])) {
    const base = ouvertureAnnee(c, annee, c.liberations, c.decisions);
    const t = stockes.get(annee);
    if (t) {
      if (egales(t, base)) continue;
      return null;
    }
    if (base.ae === 0 && base.cp === 0) continue;
    const vide = totauxVides(annee);
    verifierNouvelleBase(vide, base);
    const apres = {
      ...vide,
      baseAe: base.ae,
      baseCp: base.cp,
      ouvertAe: base.ae,
      ouvertCp: base.cp,
      ouverture: base.dateEffet,
    };
    lignes.push({
      conventionId: c.id,
      annee,
      ae: base.ae,
      cp: base.cp,
      dateEffet: base.dateEffet ?? `${annee}-01-01`,
      ouverture: base.dateEffet,
      motif: base.motif,
      changements: changementsCredits(vide, apres),
    });
  }
  return lignes;
}

/**
 * Opens the credits of conventions recorded before the credits existed, imported, or written outside the
 * use cases: run at start-up, it leaves nothing to catch up on the portfolio's hot path. Set-based: one
 * statement finds and reads them all (nothing else when none lacks its totals), the rules run here, one
 * statement writes every totals row, movement and journal line; only a convention whose stored year must
 * change goes through its own transaction. `annoncer` hears how many conventions are to be written, before
 * the writing. Returns the number of conventions caught up.
 */
export async function rattraperOuvertures(ctx: Contexte, annoncer?: (conventions: number) => void): Promise<number> {
  const aPart: string[] = [];
  const enBloc = await ctx.db.transaction().execute(async (trx) => {
    const conventions = await verrouillerConventionsSansCredits(trx);
    const lignes: OuvertureInitiale[] = [];
    for (const c of conventions) {
      const l = ouverturesInitiales(c);
      if (l) lignes.push(...l);
      else aPart.push(c.id);
    }
    const aEcrire = new Set(lignes.map((l) => l.conventionId)).size + aPart.length;
    if (aEcrire) annoncer?.(aEcrire);
    return ouvrirCreditsEnBloc(trx, ACTEUR_SYSTEME, ctx.now(), SUJET_RATTRAPAGE, lignes);
  });
  let n = enBloc;
  for (const id of aPart) if (await rattraper(ctx, id)) n++;
  return n;
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
  const stockes = new Map(c.credits.map((t) => [t.annee, t]));
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
      projection: enCours ? projeterFinAnnee(t, t.ouverture, aujourdHui, c.parametres, finEffective(c)) : null,
    };
  });
}

/** A convention whose credits the actor may read; `sansTotaux` for reads that need only the convention. */
export async function lireConventionCreditsLisible(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  opts: { sansTotaux?: boolean } = {},
): Promise<ConventionCredits> {
  const c = await lireConventionCredits(ctx.db, id, opts);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
  return c;
}

/** Available / committed / certified / paid / remaining, per year, with projection and alerts. One query when up to date. */
export function lireCredits(ctx: Contexte, acteur: Acteur, id: string): Promise<VueCredits> {
  return vueCredits(ctx, id, () => lireConventionCreditsLisible(ctx, acteur, id));
}

/**
 * The same figures for a published and signed convention, whoever asks: the public budget pages and the
 * open data show what the credits page shows.
 */
export function lireCreditsPublies(ctx: Contexte, id: string): Promise<VueCredits> {
  return vueCredits(ctx, id, async () => {
    const c = await lireConventionCredits(ctx.db, id);
    if (!c || !c.publiee || !estSignee(c.statut)) throw new NotFoundError('Convention', id);
    return c;
  });
}

async function vueCredits(ctx: Contexte, id: string, lire: () => Promise<ConventionCredits>): Promise<VueCredits> {
  let c = await lire();
  if (!aJour(c)) {
    // totals created before this convention's schedule or tranches last changed: catch up once
    await rattraper(ctx, id);
    c = await lire();
  }
  const aujourdHui = today(ctx.now());
  const annees = lignes(c, aujourdHui);
  const enVigueur = ['en_vigueur', 'resiliation_notifiee'].includes(statutEffectif(c, aujourdHui));
  const alertes = annees.flatMap((l) =>
    alertesCredits({ totaux: l.totaux, finConvention: finEffective(c), enVigueur }, aujourdHui, c.parametres),
  );
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
export async function lirePageCredits(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  f: { annee: number | null; page: number; taille: number },
): Promise<PageCredits> {
  const vue = await lireCredits(ctx, acteur, id);
  const courante = yearOf(vue.aujourdHui);
  const derniere = vue.annees.at(-1);
  const annee = f.annee ?? (vue.annees.some((a) => a.annee === courante) || !derniere ? courante : derniere.annee);
  const [engagements, disponibilites, serie, refus, propositions] = await Promise.all([
    listerEngagements(ctx.db, id, { annee, page: f.page, taille: f.taille }),
    listerMouvementsDisponibilite(ctx.db, id),
    listerSerieJournaliere(ctx.db, id, annee),
    listerAlertes(ctx.db, { tout: true }, { conventionId: id, ouvertes: false, limite: 50 }),
    listerPropositions(ctx.db, id),
  ]);
  return { vue, annee, engagements, disponibilites, serie, refus, propositions };
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
