import { sql, type Selectable } from 'kysely';
import type { DecisionComite, PhaseProduit, PreparationComite, ReunionComite } from '../domain/comite.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { ComiteTable } from './schema.js';

/** Committees of a convention: prepared (indicators, request), then decided once. */

function comiteDepuis(r: Selectable<ComiteTable>): ReunionComite {
  return {
    id: r.id,
    conventionId: r.convention_id,
    nature: r.nature,
    date: r.date,
    presidence: r.presidence,
    participants: r.participants,
    indicateurs: r.indicateurs,
    demande: r.demande,
    preparePar: r.prepare_par,
    prepareLe: r.prepare_le.toISOString(),
    decision:
      r.decision && r.decide_le
        ? {
            decision: r.decision,
            motif: r.decision_motif ?? '',
            budgetCentimes: r.decision_budget_centimes,
            dureeMois: r.decision_duree_mois,
            phase: r.phase_apres,
            trancheLiberee: r.tranche_liberee,
            appelleAvenant: r.appelle_avenant,
            auteur: r.decide_par ?? '',
            le: r.decide_le.toISOString(),
          }
        : null,
    compteRenduPieceId: r.compte_rendu_piece_id,
    avenantNumero: r.avenant_numero,
  };
}

/** The other conventions that fund one of this convention's products (compared as the access scope does). */
export async function listerConventionsDuProduit(ex: Executor, conventionId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    SELECT autre.id FROM convention c
    JOIN convention autre ON autre.id <> c.id
      AND EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(autre.produits_normalises) AS p
        WHERE c.produits_normalises @> jsonb_build_array(p)
      )
    WHERE c.id = ${conventionId}
    ORDER BY autre.reference NULLS LAST, autre.id`.execute(ex);
  return r.rows.map((x) => x.id);
}

/** Committees of some conventions, by date. */
export async function listerComites(ex: Executor, conventionIds: string[]): Promise<ReunionComite[]> {
  if (conventionIds.length === 0) return [];
  const rows = await ex
    .selectFrom('comite')
    .selectAll()
    .where('convention_id', 'in', conventionIds)
    .orderBy('date')
    .orderBy('id')
    .execute();
  return rows.map(comiteDepuis);
}

/** The committee, its row locked until the transaction ends: one decision at a time. */
export async function verrouillerComite(trx: Trx, conventionId: string, id: number): Promise<ReunionComite | null> {
  const r = await trx
    .selectFrom('comite')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r ? comiteDepuis(r) : null;
}

export async function insererComite(e: Ecriture, conventionId: string, p: PreparationComite): Promise<number> {
  const r = await e.trx
    .insertInto('comite')
    .values({
      convention_id: conventionId,
      nature: p.nature,
      date: p.date,
      presidence: p.presidence,
      participants: JSON.stringify(p.participants),
      indicateurs: JSON.stringify(p.indicateurs),
      demande: p.demande ? JSON.stringify(p.demande) : null,
      prepare_par: e.acteur.nom,
      prepare_le: e.le,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function modifierDecisionComite(
  e: Ecriture,
  id: number,
  d: {
    decision: DecisionComite;
    motif: string;
    budgetCentimes: number | null;
    dureeMois: number | null;
    phase: PhaseProduit | null;
    trancheLiberee: number | null;
    appelleAvenant: boolean;
    compteRenduPieceId: string | null;
  },
): Promise<void> {
  await e.trx
    .updateTable('comite')
    .set({
      decision: d.decision,
      decision_motif: d.motif,
      decision_budget_centimes: d.budgetCentimes,
      decision_duree_mois: d.dureeMois,
      phase_apres: d.phase,
      tranche_liberee: d.trancheLiberee,
      appelle_avenant: d.appelleAvenant,
      decide_par: e.acteur.nom,
      decide_le: e.le,
      compte_rendu_piece_id: d.compteRenduPieceId,
    })
    .where('id', '=', id)
    .execute();
}

export async function modifierCompteRenduComite(e: Ecriture, id: number, pieceId: string): Promise<void> {
  await e.trx.updateTable('comite').set({ compte_rendu_piece_id: pieceId }).where('id', '=', id).execute();
}

/** The avenant drafted from a committee's decision. */
export async function lierAvenantComite(e: Ecriture, id: number, numero: number): Promise<void> {
  await e.trx.updateTable('comite').set({ avenant_numero: numero }).where('id', '=', id).execute();
}
