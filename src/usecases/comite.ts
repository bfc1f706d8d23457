import {
  peutDeciderCredits,
  peutLireConvention,
  peutLireCredits,
  peutModifierConvention,
  peutProposerEngagement,
  type Acteur,
} from '../domain/acces.js';
import {
  aeRestantes,
  phaseApres,
  raisonsAvenant,
  resumeDecision,
  verifierCompteRendu,
  verifierDecision,
  verifierPreparation,
  type DemandeDecision,
  type PhaseProduit,
  type PreparationComite,
  type ReunionComite,
} from '../domain/comite.js';
import {
  dateEpuisementAe,
  dernierComiteTenu,
  planifierComiteProduit,
  type FinancementProduit,
  type PlanComite,
} from '../domain/comite-plan.js';
import { estSignee, finEffective, type Convention } from '../domain/convention.js';
import { disponibleAe, disponibleCp, type ConventionCredits } from '../domain/credit.js';
import { today, yearOf } from '../domain/dates.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Centimes } from '../domain/money.js';
import {
  insererComite,
  listerComites,
  listerConventionsDuProduit,
  modifierCompteRenduComite,
  modifierDecisionComite,
  verrouillerComite,
} from '../storage/comite.js';
import { lireConvention as lireConventionStockee } from '../storage/convention.js';
import { lireConventionCredits, verrouillerConventionCredits } from '../storage/credit.js';
import type { Trx } from '../storage/database.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { lireConvention } from './convention.js';
import { lireCredits } from './credit.js';
import { libererTrancheDans } from './credit-decision.js';
import { deposerPiece, preparerPiece, type PieceJointe } from './convention-cycle.js';

/** The investment committees of a convention: the next one planned, their history, preparation and decision. */

export interface CreditsRestants {
  annee: number;
  disponibleAeCentimes: Centimes;
  disponibleCpCentimes: Centimes;
}

export interface VueComites {
  convention: Convention;
  prochain: PlanComite;
  comites: ReunionComite[];
  /** the product's phase: the last decision's, or the convention's */
  phase: PhaseProduit | null;
  /** this year's credits left, shown beside the team's request */
  credits: CreditsRestants | null;
  peutPreparer: boolean;
  peutDecider: boolean;
  /** drafts the avenant a decision calls for: whoever amends the convention */
  peutRedigerAvenant: boolean;
}

const libelleFinancement = (c: Pick<ConventionCredits, 'reference' | 'produits'>) =>
  c.reference ?? (c.produits.join(' · ') || 'Convention');

/**
 * The other conventions in force that fund the same product, as their committee plan reads them: only
 * those the actor may read the credits of, so that the plan never tells of a convention they may not see.
 */
async function financementsDuProduit(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  aujourdHui: string,
): Promise<FinancementProduit[]> {
  const ids = await listerConventionsDuProduit(ctx.db, conventionId);
  if (ids.length === 0) return [];
  const conventions = (await Promise.all(ids.map((id) => lireConventionCredits(ctx.db, id)))).filter(
    (c): c is ConventionCredits => c !== null && estSignee(c.statut) && peutLireCredits(acteur, c),
  );
  const comites = await listerComites(
    ctx.db,
    conventions.map((c) => c.id),
  );
  return conventions.map((c) => {
    const totaux = c.credits.find((t) => t.annee === yearOf(aujourdHui));
    return {
      conventionId: c.id,
      libelle: libelleFinancement(c),
      dateSignature: c.dateSignature,
      fin: finEffective(c),
      epuisementAe: totaux ? dateEpuisementAe(totaux, aujourdHui) : null,
      dernierComite: dernierComiteTenu(comites.filter((x) => x.conventionId === c.id)),
    };
  });
}

export async function lireComites(ctx: Contexte, acteur: Acteur, conventionId: string): Promise<VueComites> {
  const convention = await lireConvention(ctx, acteur, conventionId);
  if (!peutLireCredits(acteur, convention)) throw new NotFoundError('Convention', conventionId);
  const vue = await lireCredits(ctx, acteur, conventionId);
  const aujourdHui = today(ctx.now());
  const comites = await listerComites(ctx.db, [conventionId]);
  const annee = vue.annees.find((l) => l.annee === yearOf(aujourdHui));
  const courant: FinancementProduit = {
    conventionId,
    libelle: libelleFinancement(convention),
    dateSignature: convention.dateSignature,
    fin: finEffective(convention),
    epuisementAe: annee ? dateEpuisementAe(annee.totaux, aujourdHui) : null,
    dernierComite: dernierComiteTenu(comites),
  };
  const autres = await financementsDuProduit(ctx, acteur, conventionId, aujourdHui);
  const prochain = planifierComiteProduit(
    convention.produits[0] ?? libelleFinancement(convention),
    courant,
    autres,
    convention.comite.periodiciteMois,
    aujourdHui,
  );
  const phaseDecidee = comites
    .filter((c) => c.decision?.phase)
    .map((c) => c.decision!.phase)
    .at(-1);
  return {
    convention,
    prochain,
    comites,
    phase: phaseDecidee ?? PHASE_DEPUIS_CONVENTION[convention.phase ?? ''] ?? null,
    credits: annee
      ? {
          annee: annee.annee,
          disponibleAeCentimes: disponibleAe(annee.totaux),
          disponibleCpCentimes: disponibleCp(annee.totaux),
        }
      : null,
    peutPreparer: peutPreparer(acteur, convention),
    peutDecider: peutDeciderCredits(acteur),
    peutRedigerAvenant: peutModifierConvention(acteur, convention),
  };
}

const PHASE_DEPUIS_CONVENTION: Record<string, PhaseProduit> = {
  investigation: 'investigation',
  construction: 'construction',
  acceleration: 'acceleration',
  consolidation: 'consolidation',
  perennisation: 'consolidation',
  transfert: 'transfere',
};

/** The product team the convention funds prepares its committee; so may whoever orders on it. */
const peutPreparer = (a: Acteur, c: Convention) => peutProposerEngagement(a, c);

/**
 * A committee's write in one transaction, the convention share-locked, after checking the actor's right.
 * Unlike the credit operations, a refusal here is no alert: a committee decided twice is not a budget event.
 */
async function surConvention<T>(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  droit: (a: Acteur, c: ConventionCredits) => boolean,
  fn: (trx: Trx, c: ConventionCredits) => Promise<T>,
  opts: { sansTotaux?: boolean } = {},
): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    const c = await verrouillerConventionCredits(trx, conventionId, opts);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', conventionId);
    if (!droit(acteur, c)) throw new ForbiddenError();
    return fn(trx, c);
  });
}

export async function planComite(ctx: Contexte, acteur: Acteur, conventionId: string): Promise<PlanComite> {
  return (await lireComites(ctx, acteur, conventionId)).prochain;
}

/** The team prepares a committee: its date, indicators and request; the chair comes from the convention. */
export async function preparerComite(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  p: PreparationComite,
): Promise<number> {
  return surConvention(
    ctx,
    acteur,
    conventionId,
    (a, c) => peutProposerEngagement(a, c),
    async (trx) => {
      const convention = await lireConventionStockee(trx, conventionId);
      if (!convention) throw new NotFoundError('Convention', conventionId);
      verifierPreparation(p, convention.dateSignature);
      const prep: PreparationComite = {
        ...p,
        presidence: p.presidence?.trim() || convention.comite.presidence,
        participants: p.participants.length
          ? p.participants
          : convention.comite.invites
            ? [convention.comite.invites]
            : [],
      };
      const sujet = {
        conventionId,
        objetType: 'comite',
        objetId: conventionId,
        action: 'preparation_comite',
        changements: [{ champ: 'comite', avant: null, apres: { date: p.date, indicateurs: p.indicateurs.length } }],
        commentaire: `${p.nature === 'mi_parcours' ? 'Bilan de mi-parcours' : 'Comité d’investissement'} du ${p.date} préparé : ${p.indicateurs.length} indicateur(s)${p.demande ? `, demande : ${p.demande.equipe}` : ''}`,
      };
      return ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => insererComite(e, conventionId, prep));
    },
    { sansTotaux: true },
  );
}

export interface DecisionComiteSaisie extends DemandeDecision {
  /** a tranche the decision releases; a mid-term review's « continue » releases the next one by itself */
  tranche: number | null;
  /** the minutes, sent with the decision */
  compteRendu: PieceJointe | null;
}

/**
 * The DINUM's budget roles record the committee's decision. A mid-term review decided « continue »
 * releases the next tranche in the same transaction, through the release of tranches, each journalled.
 * The decision calls for an avenant when the decider says so, or when its outcome goes beyond the
 * convention: a budget beyond the AE it still allows this year and after, a period past its end, an
 * acceleration, a pérennisation or a transfer.
 */
export async function deciderComite(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  id: number,
  d: DecisionComiteSaisie,
): Promise<void> {
  const aujourdHui = today(ctx.now());
  // checked before anything is locked: a wrong file refuses the whole decision
  const compteRendu = d.compteRendu ? preparerPiece(d.compteRendu, 'justificatif', 'compte_rendu') : null;
  await surConvention(
    ctx,
    acteur,
    conventionId,
    (a) => peutDeciderCredits(a),
    async (trx, c) => {
      const comite = Number.isSafeInteger(id) ? await verrouillerComite(trx, conventionId, id) : null;
      if (!comite) throw new NotFoundError('Comité', String(id));
      verifierDecision(comite, d, aujourdHui);
      let tranche = d.tranche;
      if (tranche === null && comite.nature === 'mi_parcours' && d.decision === 'continue') {
        const rang = c.tranches.findIndex((_, i) => i > 0 && !c.liberations.some((l) => l.rang === i + 1));
        tranche = rang >= 0 ? rang + 1 : null;
      }
      if (tranche !== null && d.decision !== 'continue' && d.decision !== 'acceleration')
        throw new ConflictError(
          'DECISION_SANS_TRANCHE',
          'Seule une décision de continuer ou d’accélérer libère une tranche.',
        );
      if (tranche !== null)
        await libererTrancheDans(ctx, acteur, trx, c, tranche, {
          date: comite.date,
          motif: `Décision du ${comite.nature === 'mi_parcours' ? 'bilan de mi-parcours' : 'comité'} du ${comite.date} : ${d.motif.trim()}`,
          decideur: acteur.nom,
        });
      const phase = phaseApres(d.decision, d.phase);
      const appelleAvenant =
        raisonsAvenant(comite, d, {
          fin: finEffective(c),
          restantAeCentimes: aeRestantes(c, c.credits, yearOf(aujourdHui)),
        }).length > 0;
      const sujet = {
        conventionId,
        objetType: 'comite',
        objetId: String(id),
        action: 'decision_comite',
        changements: [
          { champ: 'decision', avant: null, apres: { decision: d.decision, phase, tranche, appelleAvenant } },
        ],
        commentaire: resumeDecision(comite, d, tranche, appelleAvenant),
      };
      await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) =>
        modifierDecisionComite(e, id, {
          decision: d.decision,
          motif: d.motif.trim(),
          budgetCentimes: d.budgetCentimes,
          dureeMois: d.dureeMois,
          phase,
          trancheLiberee: tranche,
          appelleAvenant,
          compteRenduPieceId: compteRendu ? await deposerPiece(e, conventionId, compteRendu) : null,
        }),
      );
    },
  );
}

/**
 * The minutes of a committee held, sent after its decision (they are often written a few days later) or
 * replacing earlier ones, by the DINUM's budget roles; journalled with the file's hash.
 */
export async function joindreCompteRendu(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  id: number,
  fichier: PieceJointe | null,
): Promise<void> {
  const aujourdHui = today(ctx.now());
  if (!fichier) throw new ValidationError([{ champ: 'compte_rendu', message: 'Joignez le fichier du compte rendu.' }]);
  const piece = preparerPiece(fichier, 'justificatif', 'compte_rendu');
  await surConvention(
    ctx,
    acteur,
    conventionId,
    (a) => peutDeciderCredits(a),
    async (trx) => {
      const comite = Number.isSafeInteger(id) ? await verrouillerComite(trx, conventionId, id) : null;
      if (!comite) throw new NotFoundError('Comité', String(id));
      verifierCompteRendu(comite, aujourdHui);
      const sujet = {
        conventionId,
        objetType: 'comite',
        objetId: String(id),
        action: 'compte_rendu_comite',
        changements: [{ champ: 'compte_rendu', avant: comite.compteRenduPieceId, apres: piece.id }],
        commentaire: `Compte rendu du ${comite.nature === 'mi_parcours' ? 'bilan de mi-parcours' : 'comité'} du ${comite.date} ${comite.compteRenduPieceId ? 'remplacé' : 'joint'} : ${piece.nom}`,
      };
      await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) =>
        modifierCompteRenduComite(e, id, await deposerPiece(e, conventionId, piece)),
      );
    },
    { sansTotaux: true },
  );
}
