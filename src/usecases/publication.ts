import { peutLireConvention, type Acteur } from '../domain/acces.js';
import type { Convention, Phase } from '../domain/convention.js';
import { today, type DateIso } from '../domain/dates.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { dateDansAnnee } from '../domain/calendrier.js';
import type { PointSerie } from '../domain/credit.js';
import {
  conventionPublique,
  decider,
  filtrerPubliees,
  peutPublier,
  produitPublic,
  tauxTvaPublie,
  verifierRetrait,
  type ConventionPublique,
  type DecisionPublication,
  type FiltrePubliees,
  type ProduitPublic,
} from '../domain/publication.js';
import * as stockage from '../storage/convention.js';
import { listerSerieJournaliere } from '../storage/credit-mouvement.js';
import { listerTousEngagements } from '../storage/engagement.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import { enregistrerPublication, lirePublication as lireDecision, listerIdsPublies } from '../storage/publication.js';
import type { Contexte } from './contexte.js';
import { lireCreditsPublies, type VueCredits } from './credit.js';

/** The « publiée » decision of a convention: its page, budget and open data become public, or stop being. */

export interface EtatPublication {
  publiee: boolean;
  decision: DecisionPublication | null;
  peutDecider: boolean;
}

export async function lirePublication(ctx: Contexte, acteur: Acteur, c: Convention): Promise<EtatPublication> {
  const decision = c.publiee ? await lireDecision(ctx.db, c.id) : null;
  return { publiee: c.publiee, decision, peutDecider: peutPublier(acteur) };
}

async function decision(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  faire: (c: Convention, jour: DateIso) => DecisionPublication | null,
): Promise<EtatPublication> {
  const jour = today(ctx.now());
  const apres = await ctx.db.transaction().execute(async (trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!peutPublier(acteur)) throw new ForbiddenError();
    const avant = c.publiee ? await lireDecision(trx, id) : null;
    const d = faire(c, jour);
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      {
        conventionId: id,
        objetType: 'convention',
        objetId: id,
        action: d ? 'publication' : 'retrait_publication',
        changements: [
          { champ: 'publiee', avant: c.publiee, apres: d !== null },
          { champ: 'publication.publieeLe', avant: avant?.publieeLe ?? null, apres: d?.publieeLe ?? null },
        ],
      },
      (e) => enregistrerPublication(e, id, d),
    );
    return d;
  });
  return { publiee: apres !== null, decision: apres, peutDecider: true };
}

/** Publishes a convention from `date` (today by default); the public sees it once it is signed. */
export function publierConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  date: DateIso | null,
): Promise<EtatPublication> {
  return decision(ctx, acteur, id, (c, jour) => decider(id, c.publiee, date, acteur, jour));
}

export function retirerPublication(ctx: Contexte, acteur: Acteur, id: string): Promise<EtatPublication> {
  return decision(ctx, acteur, id, (c) => {
    verifierRetrait(c.publiee);
    return null;
  });
}

// ---- What the public sees ------------------------------------------------------------------------

export interface ConventionPublieeVue {
  convention: ConventionPublique;
  /** the chart of the latest year with credits: cumulative commitments and payments */
  graphique: {
    annee: number;
    serie: PointSerie[];
    limiteAe: DateIso;
    limiteCp: DateIso;
  } | null;
  aujourdHui: DateIso;
}

/** A published and signed convention as the public sees it, its budget from the credits' own figures. */
async function publique(ctx: Contexte, id: string): Promise<{ c: ConventionPublique; vue: VueCredits }> {
  const vue = await lireCreditsPublies(ctx, id);
  const [convention, decision, engagements] = await Promise.all([
    stockage.lireConvention(ctx.db, id),
    lireDecision(ctx.db, id),
    listerTousEngagements(ctx.db, id),
  ]);
  if (!convention) throw new NotFoundError('Convention', id);
  const taux = tauxTvaPublie(engagements.filter((e) => e.statut !== 'annule').map((e) => e.tauxTva));
  return { c: conventionPublique(convention, decision, vue.annees, taux, vue.aujourdHui, engagements), vue };
}

export async function lireConventionPubliee(ctx: Contexte, id: string): Promise<ConventionPublieeVue> {
  const { c, vue } = await publique(ctx, id);
  const derniere = [...vue.annees].reverse().find((l) => l.totaux.ouvertAe > 0 || l.totaux.engageAe > 0);
  const graphique = derniere
    ? {
        annee: derniere.annee,
        serie: await listerSerieJournaliere(ctx.db, id, derniere.annee),
        limiteAe: dateDansAnnee(vue.parametres.limiteEngagements, derniere.annee),
        limiteCp: dateDansAnnee(vue.parametres.limitePaiements, derniere.annee),
      }
    : null;
  return { convention: c, graphique, aujourdHui: vue.aujourdHui };
}

/** Every published convention, in the order of the register; the source of the public pages and the open data. */
export async function listerConventionsPubliees(ctx: Contexte): Promise<ConventionPublique[]> {
  const ids = await listerIdsPublies(ctx.db);
  const out: ConventionPublique[] = [];
  for (const id of ids) out.push((await publique(ctx, id)).c);
  return out;
}

export interface ListePubliees {
  items: ConventionPublique[];
  /** the values the filters may take, from the published conventions themselves */
  choix: { ministeres: string[]; annees: number[]; phases: Phase[]; promotions: string[] };
}

export async function rechercherConventionsPubliees(ctx: Contexte, f: FiltrePubliees): Promise<ListePubliees> {
  const toutes = await listerConventionsPubliees(ctx);
  const uniques = <T>(v: T[]) => [...new Set(v)].sort((a, b) => String(a).localeCompare(String(b), 'fr'));
  return {
    items: filtrerPubliees(toutes, f),
    choix: {
      ministeres: uniques(toutes.map((c) => c.partenaire)),
      annees: uniques(toutes.flatMap((c) => c.annees.map((a) => a.annee))),
      phases: uniques(toutes.flatMap((c) => (c.phase ? [c.phase] : []))),
      promotions: uniques(toutes.flatMap((c) => (c.promotionFast ? [c.promotionFast] : []))),
    },
  };
}

export async function lireProduitPublie(ctx: Contexte, nom: string): Promise<ProduitPublic> {
  const p = produitPublic(nom, await listerConventionsPubliees(ctx));
  if (!p) throw new NotFoundError('Produit', nom);
  return p;
}
