import type { Avenant, Modifications } from '../domain/avenant.js';
import type { DateIso } from '../domain/dates.js';
import type { Executor } from './database.js';
import type { Ecriture } from './journal.js';
import { listerSignatures } from './convention-cycle.js';

/** Avenants of a convention, numbered from 1, with their signatures (kept with the convention's, by number). */

export async function insererAvenant(
  e: Ecriture,
  a: { conventionId: string; numero: number; objet: string; dateEffet: DateIso; modifications: Modifications },
): Promise<void> {
  await e.trx
    .insertInto('avenant')
    .values({
      convention_id: a.conventionId,
      numero: a.numero,
      objet: a.objet,
      date_effet: a.dateEffet,
      modifications: JSON.stringify(a.modifications),
      cree_par: e.acteur.nom,
      cree_le: e.le,
    })
    .execute();
}

/** The new state of an avenant; once signed by both, the values it replaced and its date of signature. */
export async function modifierAvenant(
  e: Ecriture,
  conventionId: string,
  numero: number,
  maj: { statut: Avenant['statut']; avant?: Modifications; dateSignature?: DateIso },
): Promise<void> {
  await e.trx
    .updateTable('avenant')
    .set({
      statut: maj.statut,
      ...(maj.avant ? { avant: JSON.stringify(maj.avant) } : {}),
      ...(maj.dateSignature ? { date_signature: maj.dateSignature } : {}),
    })
    .where('convention_id', '=', conventionId)
    .where('numero', '=', numero)
    .execute();
}

/** A copy of a signed avenant sent to a budget controller. */
export async function insererCopieAvenant(
  e: Ecriture,
  conventionId: string,
  numero: number,
  c: { destinataire: string; date: DateIso },
): Promise<void> {
  await e.trx
    .insertInto('avenant_copie')
    .values({
      convention_id: conventionId,
      avenant_numero: numero,
      destinataire: c.destinataire,
      date_envoi: c.date,
      consigne_par: e.acteur.nom,
      le: e.le,
    })
    .execute();
}

export async function listerAvenants(ex: Executor, conventionId: string): Promise<Avenant[]> {
  const [rows, signatures, copies] = await Promise.all([
    ex.selectFrom('avenant').selectAll().where('convention_id', '=', conventionId).orderBy('numero').execute(),
    ex
      .selectFrom('signature')
      .select('avenant_numero')
      .where('convention_id', '=', conventionId)
      .where('avenant_numero', '>', 0)
      .execute(),
    ex
      .selectFrom('avenant_copie')
      .selectAll()
      .where('convention_id', '=', conventionId)
      .orderBy('date_envoi')
      .orderBy('id')
      .execute(),
  ]);
  const numeros = new Set(signatures.map((s) => s.avenant_numero));
  return Promise.all(
    rows.map(async (r) => ({
      conventionId: r.convention_id,
      numero: r.numero,
      objet: r.objet,
      dateEffet: r.date_effet,
      modifications: r.modifications as Modifications,
      avant: (r.avant as Modifications | null) ?? null,
      statut: r.statut,
      dateSignature: r.date_signature,
      creePar: r.cree_par,
      creeLe: r.cree_le.toISOString(),
      signatures: numeros.has(r.numero) ? await listerSignatures(ex, conventionId, r.numero) : [],
      copies: copies
        .filter((x) => x.avenant_numero === r.numero)
        .map((x) => ({
          destinataire: x.destinataire,
          date: x.date_envoi,
          consigneePar: x.consigne_par,
          le: x.le.toISOString(),
        })),
    })),
  );
}
