import {
  ACTEUR_SYSTEME,
  perimetre,
  peutDeroger,
  peutGererCredits,
  peutLireCredits,
  type Acteur,
} from '../domain/acces.js';
import type { ConventionCredits } from '../domain/credit.js';
import { finEffective } from '../domain/convention.js';
import { formatDate, today, type DateIso } from '../domain/dates.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { peutCloturer } from '../domain/exercice.js';
import {
  controlerDelaiInsuffisance,
  DELAI_INSUFFISANCE_JOURS,
  etapeInsuffisance,
  inutilisesEnFin,
  suspensionProposee,
  verifierInformation,
  verifierReponse,
  type CasInsuffisance,
  type EtapeInsuffisance,
} from '../domain/insuffisance.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import { verrouillerConventionCredits } from '../storage/credit.js';
import type { Trx } from '../storage/database.js';
import {
  insererOuJoindreInsuffisance,
  lireDelaiInsuffisance,
  listerInsuffisances,
  listerInsuffisancesEnCours,
  modifierDelaiInsuffisance,
  modifierInformation,
  modifierReponse,
  verrouillerInsuffisance,
} from '../storage/insuffisance.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { lireConventionCreditsLisible } from './credit.js';
import { appliquerDisponibilite } from './credit-decision.js';

/** The insufficiency procedure of Article 5 on a convention: its cases, the information of the délégant, its answer. */

export interface VueInsuffisance extends CasInsuffisance {
  etape: EtapeInsuffisance;
  /** no adjustment after the delay of the settings: the convention is proposed for suspension */
  suspensionProposee: boolean;
}

/**
 * A convention's cases. The case of credits left unconsumed at the end is opened when read, from the end
 * date on (once: an answered one is not opened again).
 */
export async function listerInsuffisancesConvention(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
): Promise<VueInsuffisance[]> {
  const c = await lireConventionCreditsLisible(ctx, acteur, conventionId);
  const aujourdHui = today(ctx.now());
  let cas = await listerInsuffisances(ctx.db, conventionId);
  const reste = inutilisesEnFin(finEffective(c), c.credits, aujourdHui);
  if (reste && !cas.some((x) => x.nature === 'inutilises')) {
    const fin = finEffective(c)!;
    const sujet = {
      commentaire: `La convention a pris fin le ${formatDate(fin)} avec ${formatEuros(reste.aeCentimes)} d’AE et ${formatEuros(reste.cpCentimes)} de CP non consommés : le délégant doit en être informé.`,
    };
    await insererOuJoindreInsuffisance(ctx.db, ACTEUR_SYSTEME, ctx.now(), {
      conventionId,
      annee: null,
      nature: 'inutilises',
      details: { fin, ae_centimes: reste.aeCentimes, cp_centimes: reste.cpCentimes, message: sujet.commentaire },
      refus: false,
    });
    cas = await listerInsuffisances(ctx.db, conventionId);
  }
  const delai = await lireDelaiInsuffisance(ctx.db, DELAI_INSUFFISANCE_JOURS);
  return cas.map((x) => ({
    ...x,
    etape: etapeInsuffisance(x),
    suspensionProposee: suspensionProposee(x, delai, aujourdHui),
  }));
}

async function casVerrouille(
  trx: Trx,
  acteur: Acteur,
  conventionId: string,
  id: number,
  droit: (c: ConventionCredits) => boolean,
  opts: { avecTotaux?: boolean } = {},
): Promise<{ cas: CasInsuffisance; convention: ConventionCredits }> {
  const c = await verrouillerConventionCredits(trx, conventionId, { sansTotaux: !opts.avecTotaux });
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
  if (!droit(c)) throw new ForbiddenError();
  const cas = Number.isSafeInteger(id) ? await verrouillerInsuffisance(trx, conventionId, id) : null;
  if (!cas) throw new NotFoundError('Insuffisance', String(id));
  return { cas, convention: c };
}

/** The délégataire (the partner who must inform, or the DINUM's budget roles) records that the délégant was informed. */
export async function informerDelegant(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  id: number,
  i: { date: DateIso; moyen: string; justification: string | null },
): Promise<void> {
  const aujourdHui = today(ctx.now());
  await ctx.db.transaction().execute(async (trx) => {
    const { cas } = await casVerrouille(trx, acteur, conventionId, id, (c) => peutGererCredits(acteur, c));
    verifierInformation(cas, i, aujourdHui);
    const moyen = i.moyen.trim();
    const justification = i.justification?.trim() || null;
    const sujet = {
      conventionId,
      objetType: 'insuffisance',
      objetId: String(id),
      action: 'information',
      changements: [{ champ: 'information', avant: null, apres: { date: i.date, moyen, justification } }],
      commentaire: `Délégant informé le ${formatDate(i.date)} (${moyen})${justification ? ` : ${justification}` : ''}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
      modifierInformation(e, id, { date: i.date, moyen, justification }),
    );
  });
}

export interface DemandeReponse {
  date: DateIso;
  decision: 'ajustement' | 'refus';
  motif: string;
  /** the adjustment: the year's new availability, recorded as a dated decision */
  ajustement: { annee: number; aeCentimes: Centimes; cpCentimes: Centimes } | null;
}

/**
 * The délégant's answer. An adjustment is an availability decision (an administrator's, dated, with its
 * ground) taken in the same transaction as the answer: both are recorded, or neither.
 */
export async function repondreInsuffisance(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  id: number,
  r: DemandeReponse,
): Promise<void> {
  const aujourdHui = today(ctx.now());
  const ajuste = r.decision === 'ajustement';
  await ctx.db.transaction().execute(async (trx) => {
    const { cas, convention } = await casVerrouille(
      trx,
      acteur,
      conventionId,
      id,
      (c) => peutCloturer(acteur, c) && (!ajuste || peutDeroger(acteur)),
      { avecTotaux: ajuste },
    );
    verifierReponse(cas, r, aujourdHui);
    if (ajuste && !r.ajustement)
      throw new ValidationError([{ champ: 'annee', message: 'Indiquez l’année et les crédits de l’ajustement.' }]);
    if (ajuste && r.ajustement)
      await appliquerDisponibilite(ctx, trx, acteur, convention, {
        ...r.ajustement,
        date: r.date,
        motif: r.motif,
      });
    const sujet = {
      conventionId,
      objetType: 'insuffisance',
      objetId: String(id),
      action: 'reponse',
      changements: [{ champ: 'reponse', avant: null, apres: { date: r.date, decision: r.decision } }],
      commentaire: `Réponse du délégant le ${formatDate(r.date)} : ${ajuste ? 'dotation ajustée' : 'ajustement refusé'} — ${r.motif.trim()}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
      modifierReponse(e, id, { date: r.date, decision: r.decision, motif: r.motif.trim() }),
    );
  });
}

export type CasEnCours = VueInsuffisance & { libelle: string };

/** The cases still to act on (not answered, or refused) across the conventions the actor may see. */
export async function listerInsuffisancesEnCoursPerimetre(ctx: Contexte, acteur: Acteur): Promise<CasEnCours[]> {
  if (acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter les insuffisances.');
  const aujourdHui = today(ctx.now());
  const [cas, delai] = await Promise.all([
    listerInsuffisancesEnCours(ctx.db, perimetre(acteur)),
    lireDelaiInsuffisance(ctx.db, DELAI_INSUFFISANCE_JOURS),
  ]);
  return cas.map((x) => ({
    ...x,
    etape: etapeInsuffisance(x),
    suspensionProposee: suspensionProposee(x, delai, aujourdHui),
  }));
}

/** The delay, in days, after which a case without adjustment proposes the convention for suspension. */
export async function lireDelai(ctx: Contexte): Promise<number> {
  return lireDelaiInsuffisance(ctx.db, DELAI_INSUFFISANCE_JOURS);
}

/** An administrator sets the delay; the journal keeps it before and after, with the ground. */
export async function modifierDelai(
  ctx: Contexte,
  acteur: Acteur,
  jours: number,
  motif: string | null,
): Promise<number> {
  if (!peutDeroger(acteur)) throw new ForbiddenError('Seul un administrateur peut modifier ce délai.');
  const erreurs = controlerDelaiInsuffisance(jours);
  if (erreurs.length) throw new ValidationError(erreurs);
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await lireDelaiInsuffisance(trx, DELAI_INSUFFISANCE_JOURS);
    if (avant === jours) return;
    const sujet = {
      conventionId: null,
      objetType: 'parametre',
      objetId: 'insuffisance',
      action: 'parametres',
      changements: [{ champ: 'Délai avant proposition de suspension (jours)', avant, apres: jours }],
      commentaire: motif,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => modifierDelaiInsuffisance(e, jours));
  });
  return jours;
}
