import type { Selectable } from 'kysely';
import type { Proposition, PropositionSaisie, StatutProposition } from '../domain/proposition.js';
import { estUuid, type Executor, type Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { PropositionTable } from './schema.js';

function depuisLigne(r: Selectable<PropositionTable>): Proposition {
  return {
    id: r.id,
    conventionId: r.convention_id,
    annee: r.annee,
    titulaire: r.titulaire,
    marche: r.marche,
    devis: r.devis,
    objet: r.objet,
    produit: r.produit,
    montantCentimes: r.montant,
    baseMontant: r.base_montant,
    dateFinPrestation: r.date_fin_prestation,
    justification: r.justification,
    statut: r.statut,
    proposeParId: r.propose_par_id,
    proposeParNom: r.propose_par_nom,
    proposeLe: r.propose_le.toISOString(),
    decideParNom: r.decide_par_nom,
    decideLe: r.decide_le?.toISOString() ?? null,
    motifRefus: r.motif_refus,
    engagementId: r.engagement_id,
  };
}

/** A new proposal by the write's author, at its instant. */
export async function insererProposition(
  e: Ecriture,
  id: string,
  conventionId: string,
  p: PropositionSaisie,
): Promise<void> {
  await e.trx
    .insertInto('proposition')
    .values({
      id,
      convention_id: conventionId,
      annee: p.annee,
      titulaire: p.titulaire,
      marche: p.marche,
      devis: p.devis,
      objet: p.objet,
      produit: p.produit,
      montant: p.montantCentimes,
      base_montant: p.baseMontant,
      date_fin_prestation: p.dateFinPrestation,
      justification: p.justification,
      propose_par_id: e.acteur.id,
      propose_par_nom: e.acteur.nom,
      propose_le: e.le,
    })
    .execute();
}

/** The proposal, its row locked until the transaction ends: two decisions on it are served one after the other. */
export async function verrouillerProposition(trx: Trx, conventionId: string, id: string): Promise<Proposition | null> {
  if (!estUuid(id)) return null;
  const r = await trx
    .selectFrom('proposition')
    .selectAll()
    .where('id', '=', id)
    .where('convention_id', '=', conventionId)
    .forUpdate()
    .executeTakeFirst();
  return r ? depuisLigne(r) : null;
}

/** Proposals waiting first, then the latest decisions. */
export async function listerPropositions(ex: Executor, conventionId: string, limite = 100): Promise<Proposition[]> {
  const rows = await ex
    .selectFrom('proposition')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .orderBy((eb) => eb.case().when('statut', '=', 'a_valider').then(0).else(1).end())
    .orderBy('propose_le', 'desc')
    .orderBy('id')
    .limit(limite)
    .execute();
  return rows.map(depuisLigne);
}

/** The decision on a waiting proposal, by the write's author at its instant. */
export async function modifierDecisionProposition(
  e: Ecriture,
  id: string,
  d: { statut: Exclude<StatutProposition, 'a_valider'>; motifRefus: string | null; engagementId: string | null },
): Promise<void> {
  await e.trx
    .updateTable('proposition')
    .set({
      statut: d.statut,
      decide_par_nom: e.acteur.nom,
      decide_le: e.le,
      motif_refus: d.motifRefus,
      engagement_id: d.engagementId,
    })
    .where('id', '=', id)
    .where('statut', '=', 'a_valider')
    .execute();
}
