import { randomUUID } from 'node:crypto';
import { peutProposerEngagement, type Acteur } from '../domain/acces.js';
import { today } from '../domain/dates.js';
import { verifierConventionEngageable, type Derogation, type Engagement } from '../domain/engagement.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import {
  controlerProposition,
  engagementDeProposition,
  verifierPropositionAValider,
  type Proposition,
  type PropositionSaisie,
} from '../domain/proposition.js';
import type { Trx } from '../storage/database.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import {
  insererProposition,
  listerPropositions,
  modifierDecisionProposition,
  verrouillerProposition,
} from '../storage/proposition.js';
import { operation, operationSurUneAnnee, type Contexte } from './contexte.js';
import { lireConventionCreditsLisible } from './credit.js';
import { engager, libelleMontant, type Resultat } from './engagement.js';
import { conventionNotifiee, notifier } from './envoi.js';
import { messagesDecisionProposition, messagesPropositionADecider } from '../domain/notification.js';

/** A product team prepares an order; it binds nothing until whoever may order approves it. */
export async function proposerEngagement(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  p: PropositionSaisie,
): Promise<Proposition> {
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
      const commentaire = `Proposition — ${saisie.objet} — ${libelleMontant({ montantCentimes: saisie.montantCentimes, baseMontant: saisie.baseMontant ?? c.baseMontants })} sur ${saisie.annee}`;
      const le = ctx.now();
      await ecrireAvecJournal(
        trx,
        acteur,
        le,
        { conventionId: c.id, objetType: 'proposition', objetId: id, action: 'proposition', commentaire },
        (e) => insererProposition(e, id, c.id, saisie),
      );
      await notifier(ctx, trx, (agents) =>
        messagesPropositionADecider(
          conventionNotifiee(c),
          { ...saisie, id, proposeParId: acteur.id, proposeParNom: acteur.nom },
          agents,
        ),
      );
      return {
        ...saisie,
        id,
        conventionId: c.id,
        statut: 'a_valider',
        proposeParId: acteur.id,
        proposeParNom: acteur.nom,
        proposeLe: le.toISOString(),
        decideParNom: null,
        decideLe: null,
        motifRefus: null,
        engagementId: null,
      };
    },
    { sansTotaux: true },
  );
}

export async function listerPropositionsConvention(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
): Promise<Proposition[]> {
  await lireConventionCreditsLisible(ctx, acteur, conventionId, { sansTotaux: true });
  return listerPropositions(ctx.db, conventionId);
}

async function propositionAValider(trx: Trx, conventionId: string, propositionId: string): Promise<Proposition> {
  const p = await verrouillerProposition(trx, conventionId, propositionId);
  if (!p) throw new NotFoundError('Proposition', propositionId);
  verifierPropositionAValider(p);
  return p;
}

/**
 * Approving places the order, dated today, through every check of an order, in the same transaction that
 * closes the proposal: a refusal (ceiling, calendar…) leaves the proposal waiting, and two approvals never
 * make two orders.
 */
export async function validerProposition(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  propositionId: string,
  derogation: Derogation | null = null,
): Promise<Resultat<Engagement>> {
  return operationSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const p = await propositionAValider(trx, c.id, propositionId);
    const r = await engager(
      ctx,
      trx,
      acteur,
      c,
      engagementDeProposition(p, today(ctx.now())),
      derogation,
      `Proposé par ${p.proposeParNom}`,
    );
    const sujet = {
      conventionId: c.id,
      objetType: 'proposition',
      objetId: p.id,
      action: 'validation',
      changements: [{ champ: 'statut', avant: 'a_valider', apres: 'validee' }],
      commentaire: `Bon de commande ${r.valeur.numero}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
      modifierDecisionProposition(e, p.id, { statut: 'validee', motifRefus: null, engagementId: r.valeur.id }),
    );
    await notifier(ctx, trx, (agents) =>
      messagesDecisionProposition(
        conventionNotifiee(c),
        p,
        { validee: true, motif: null, parNom: acteur.nom, numero: r.valeur.numero },
        agents,
      ),
    );
    return r;
  });
}

export async function refuserProposition(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  propositionId: string,
  motif: string,
): Promise<void> {
  const m = motif.trim();
  if (!m)
    throw new ValidationError([{ champ: 'motif', message: 'Dites à l’équipe pourquoi la proposition est refusée.' }]);
  if (m.length > 2000)
    throw new ValidationError([{ champ: 'motif', message: 'Le motif compte au plus 2 000 caractères.' }]);
  await operationSurUneAnnee(ctx, acteur, conventionId, async (trx, c) => {
    const p = await propositionAValider(trx, c.id, propositionId);
    const sujet = {
      conventionId: c.id,
      objetType: 'proposition',
      objetId: p.id,
      action: 'refus',
      changements: [{ champ: 'statut', avant: 'a_valider', apres: 'refusee' }],
      commentaire: m,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) =>
      modifierDecisionProposition(e, p.id, { statut: 'refusee', motifRefus: m, engagementId: null }),
    );
    await notifier(ctx, trx, (agents) =>
      messagesDecisionProposition(
        conventionNotifiee(c),
        p,
        { validee: false, motif: m, parNom: acteur.nom, numero: null },
        agents,
      ),
    );
  });
}
