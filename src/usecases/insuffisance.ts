import { ACTEUR_SYSTEME, peutGererCredits, peutLireCredits, type Acteur } from '../domain/acces.js';
import { finEffective } from '../domain/convention.js';
import { formatDate, today, type DateIso } from '../domain/dates.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { peutCloturer } from '../domain/exercice.js';
import {
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
  modifierInformation,
  modifierReponse,
  verrouillerInsuffisance,
} from '../storage/insuffisance.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { lireConventionCreditsLisible } from './credit.js';
import { deciderDisponibilite } from './credit-decision.js';

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
  droit: (c: NonNullable<Awaited<ReturnType<typeof verrouillerConventionCredits>>>) => boolean,
): Promise<CasInsuffisance> {
  const c = await verrouillerConventionCredits(trx, conventionId, { sansTotaux: true });
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
  if (!droit(c)) throw new ForbiddenError();
  const cas = Number.isSafeInteger(id) ? await verrouillerInsuffisance(trx, conventionId, id) : null;
  if (!cas) throw new NotFoundError('Insuffisance', String(id));
  return cas;
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
    const cas = await casVerrouille(trx, acteur, conventionId, id, (c) => peutGererCredits(acteur, c));
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
 * The délégant's answer. An adjustment goes through the availability decision (an administrator's, dated,
 * with its ground) before the answer is recorded; a refused decision records nothing.
 */
export async function repondreInsuffisance(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  id: number,
  r: DemandeReponse,
): Promise<void> {
  const aujourdHui = today(ctx.now());
  const verifier = async (trx: Trx) => {
    const cas = await casVerrouille(trx, acteur, conventionId, id, (c) => peutCloturer(acteur, c));
    verifierReponse(cas, r, aujourdHui);
    if (r.decision === 'ajustement' && !r.ajustement)
      throw new ValidationError([{ champ: 'annee', message: 'Indiquez l’année et les crédits de l’ajustement.' }]);
  };
  await ctx.db.transaction().execute(verifier);
  if (r.decision === 'ajustement' && r.ajustement)
    await deciderDisponibilite(ctx, acteur, conventionId, { ...r.ajustement, date: r.date, motif: r.motif.trim() });
  await ctx.db.transaction().execute(async (trx) => {
    await verifier(trx);
    const sujet = {
      conventionId,
      objetType: 'insuffisance',
      objetId: String(id),
      action: 'reponse',
      changements: [{ champ: 'reponse', avant: null, apres: { date: r.date, decision: r.decision } }],
      commentaire: `Réponse du délégant le ${formatDate(r.date)} : ${r.decision === 'ajustement' ? 'dotation ajustée' : 'ajustement refusé'} — ${r.motif.trim()}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
      modifierReponse(e, id, { date: r.date, decision: r.decision, motif: r.motif.trim() }),
    );
  });
}
