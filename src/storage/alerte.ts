import { sql } from 'kysely';
import type { Acteur, Perimetre } from '../domain/acces.js';
import type { AlerteEnregistree, SituationCredit } from '../domain/alerte.js';
import { COLONNES_TOTAUX, totauxDepuisLigne } from './credit.js';
import { filtrePerimetre } from './convention.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';

const LIBELLE = sql<string>`coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention')`;

export interface NouvelleAlerte {
  conventionId: string;
  annee: number | null;
  code: string;
  message: string;
  details: Record<string, unknown>;
  destinataire: string | null;
}

/**
 * Records a refusal, outside the transaction it rolled back. The alert is its own record (who was
 * refused, when, why): no journal line.
 */
export async function insererAlerte(ex: Executor, acteur: Acteur, le: Date, a: NouvelleAlerte): Promise<void> {
  await ex
    .insertInto('alerte')
    .values({
      convention_id: a.conventionId,
      annee: a.annee,
      code: a.code,
      message: a.message,
      details: JSON.stringify(a.details),
      destinataire: a.destinataire,
      acteur_id: acteur.id,
      acteur_nom: acteur.nom,
      le,
    })
    .execute();
}

export async function listerAlertes(
  ex: Executor,
  scope: Perimetre,
  opts: { conventionId?: string; ouvertes?: boolean; limite: number },
): Promise<AlerteEnregistree[]> {
  let q = ex
    .selectFrom('alerte as a')
    .innerJoin('convention as c', 'c.id', 'a.convention_id')
    .selectAll('a')
    .select(LIBELLE.as('libelle'))
    .where(filtrePerimetre(scope, 'c'));
  if (opts.conventionId) q = q.where('a.convention_id', '=', opts.conventionId);
  if (opts.ouvertes) q = q.where('a.traitee_le', 'is', null);
  const rows = await q.orderBy('a.id', 'desc').limit(opts.limite).execute();
  return rows.map((x) => ({
    id: x.id,
    conventionId: x.convention_id,
    conventionLibelle: x.libelle,
    annee: x.annee,
    code: x.code,
    message: x.message,
    details: x.details,
    destinataire: x.destinataire,
    acteurNom: x.acteur_nom,
    le: x.le.toISOString(),
    traiteeLe: x.traitee_le?.toISOString() ?? null,
    traiteePar: x.traitee_par,
  }));
}

/** The alert, its row locked until the transaction ends: two people dealing with it are served one after the other. */
export async function verrouillerAlerte(
  trx: Trx,
  id: number,
): Promise<{ conventionId: string; message: string; traiteeLe: Date | null } | null> {
  const r = await trx
    .selectFrom('alerte')
    .select(['convention_id', 'message', 'traitee_le'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r ? { conventionId: r.convention_id, message: r.message, traiteeLe: r.traitee_le } : null;
}

/** Marks an alert as dealt with by the write's author, at its instant. */
export async function modifierAlerteTraitee(e: Ecriture, id: number): Promise<void> {
  await e.trx
    .updateTable('alerte')
    .set({ traitee_le: e.le, traitee_par: e.acteur.nom })
    .where('id', '=', id)
    .where('traitee_le', 'is', null)
    .execute();
}

/** Totals rows of the year across the conventions in scope, for the alerts computed from the figures. */
export async function listerSituationsAnnee(ex: Executor, scope: Perimetre, annee: number): Promise<SituationCredit[]> {
  const rows = await ex
    .selectFrom('credit_annuel as ca')
    .innerJoin('convention as c', 'c.id', 'ca.convention_id')
    .select(COLONNES_TOTAUX.map((k) => `ca.${k}` as const))
    .select(['ca.convention_id', LIBELLE.as('libelle'), 'c.statut', 'c.fin_effective'])
    .where('ca.annee', '=', annee)
    .where(filtrePerimetre(scope, 'c'))
    .orderBy('libelle')
    .execute();
  return rows.map((x) => ({
    conventionId: x.convention_id,
    libelle: x.libelle,
    statut: x.statut,
    finEffective: x.fin_effective,
    totaux: totauxDepuisLigne(x),
  }));
}
