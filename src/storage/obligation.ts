import type { Selectable } from 'kysely';
import type { ModificationObligation, Obligation, ObligationCatalogue } from '../domain/obligation.js';
import type { PartieCle } from '../domain/convention.js';
import type { DateIso } from '../domain/dates.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { ObligationTable } from './schema.js';

/** Obligations of the parties of a convention, with their evidence. */

function obligationDepuis(r: Selectable<ObligationTable>): Obligation {
  return {
    id: r.id,
    conventionId: r.convention_id,
    partie: r.partie,
    code: r.code,
    libelle: r.libelle,
    echeance: r.echeance,
    dateLimite: r.date_limite,
    mesure: r.mesure,
    etat: r.etat,
    preuveUrl: r.preuve_url,
    preuvePieceId: r.preuve_piece_id,
    motifLevee: r.motif_levee,
    faiteLe: r.faite_le,
    modifiePar: r.modifie_par,
  };
}

export async function listerObligations(ex: Executor, conventionIds: string[]): Promise<Obligation[]> {
  if (conventionIds.length === 0) return [];
  const rows = await ex
    .selectFrom('obligation')
    .selectAll()
    .where('convention_id', 'in', conventionIds)
    .orderBy('id')
    .execute();
  return rows.map(obligationDepuis);
}

/** The convention's obligations, rows locked until the transaction ends. */
export async function verrouillerObligations(trx: Trx, conventionId: string): Promise<Obligation[]> {
  const rows = await trx
    .selectFrom('obligation')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(obligationDepuis);
}

/** Starts a convention's obligations from its catalogue (once: the catalogue's codes are unique per convention). */
export async function insererCatalogue(
  e: Ecriture,
  conventionId: string,
  items: Array<ObligationCatalogue & { partie: PartieCle }>,
): Promise<void> {
  if (items.length === 0) return;
  await e.trx
    .insertInto('obligation')
    .values(
      items.map((o) => ({
        convention_id: conventionId,
        partie: o.partie,
        code: o.code,
        libelle: o.libelle,
        echeance: o.echeance,
        date_limite: null,
        mesure: o.mesure ? JSON.stringify(o.mesure) : null,
        modifie_par: e.acteur.nom,
        modifie_le: e.le,
      })),
    )
    .onConflict((oc) => oc.columns(['convention_id', 'code']).where('code', 'is not', null).doNothing())
    .execute();
}

export async function insererObligation(e: Ecriture, conventionId: string, m: ModificationObligation, jour: DateIso) {
  await e.trx
    .insertInto('obligation')
    .values({
      convention_id: conventionId,
      partie: m.partie,
      code: null,
      libelle: m.libelle,
      echeance: m.echeance,
      date_limite: m.dateLimite,
      mesure: m.mesure ? JSON.stringify(m.mesure) : null,
      etat: m.etat,
      preuve_url: m.preuveUrl,
      preuve_piece_id: m.preuvePieceId ?? null,
      motif_levee: m.motifLevee,
      faite_le: m.etat === 'faite' ? jour : null,
      modifie_par: e.acteur.nom,
      modifie_le: e.le,
    })
    .execute();
}

export async function modifierObligation(
  e: Ecriture,
  id: number,
  m: Omit<ModificationObligation, 'id'> & { faiteLe: DateIso | null },
): Promise<void> {
  await e.trx
    .updateTable('obligation')
    .set({
      partie: m.partie,
      libelle: m.libelle,
      echeance: m.echeance,
      date_limite: m.dateLimite,
      mesure: m.mesure ? JSON.stringify(m.mesure) : null,
      etat: m.etat,
      preuve_url: m.preuveUrl,
      preuve_piece_id: m.preuvePieceId ?? null,
      motif_levee: m.motifLevee,
      faite_le: m.faiteLe,
      modifie_par: e.acteur.nom,
      modifie_le: e.le,
    })
    .where('id', '=', id)
    .execute();
}
