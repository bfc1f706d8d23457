import { sql } from 'kysely';
import type { Perimetre } from '../domain/acces.js';
import type { Partie, RoleDinum, Statut } from '../domain/convention.js';
import type { ExerciceClos, TotauxCredit } from '../domain/credit.js';
import type { DateIso } from '../domain/dates.js';
import type { AccordReport, BilanExercice, CalendrierExercicePropre } from '../domain/exercice.js';
import { ConflictError } from '../domain/errors.js';
import type { Centimes } from '../domain/money.js';
import { COLONNES_TOTAUX, totauxDepuisLigne } from './credit.js';
import { filtrePerimetre } from './convention.js';
import type { Executor } from './database.js';
import type { Ecriture } from './journal.js';

/** Closings of exercises, the délégant's agreements to carry credits over, and each exercise's own dates. */

/**
 * The exercises closed for a convention: its own closings and the portfolio's. Read after the totals row
 * of the operation is locked, so that a closing that committed while the operation waited is seen.
 */
export async function listerExercicesClos(ex: Executor, conventionId: string): Promise<ExerciceClos[]> {
  const rows = await ex
    .selectFrom('exercice_cloture')
    .select(['annee', 'clos_le'])
    .where((eb) => eb.or([eb('convention_id', '=', conventionId), eb('convention_id', 'is', null)]))
    .orderBy('annee')
    .orderBy('clos_le')
    .execute();
  return rows.map((r) => ({ annee: r.annee, closLe: r.clos_le.toISOString() }));
}

export interface Cloture {
  annee: number;
  conventionId: string | null;
  bilan: BilanExercice | null;
  acteurNom: string;
  closLe: string;
}

/** The closing of a year for one convention (or, with null, the portfolio's). */
export async function lireCloture(ex: Executor, annee: number, conventionId: string | null): Promise<Cloture | null> {
  const r = await ex
    .selectFrom('exercice_cloture')
    .selectAll()
    .where('annee', '=', annee)
    .where('convention_id', conventionId === null ? 'is' : '=', conventionId)
    .executeTakeFirst();
  return r
    ? {
        annee: r.annee,
        conventionId: r.convention_id,
        bilan: r.bilan,
        acteurNom: r.acteur_nom,
        closLe: r.clos_le.toISOString(),
      }
    : null;
}

export async function insererCloture(
  e: Ecriture,
  c: { annee: number; conventionId: string | null; bilan: BilanExercice | null },
): Promise<void> {
  try {
    await e.trx
      .insertInto('exercice_cloture')
      .values({
        annee: c.annee,
        convention_id: c.conventionId,
        bilan: c.bilan ? JSON.stringify(c.bilan) : null,
        acteur_id: e.acteur.id,
        acteur_nom: e.acteur.nom,
        clos_le: e.le,
      })
      .execute();
    // mirrored on the year's totals row, which the movements lock (the portfolio's closing closes each
    // convention's year too; a row created later reads it with the convention)
    if (c.conventionId !== null)
      await e.trx
        .updateTable('credit_annuel')
        .set({ clos_le: e.le })
        .where('convention_id', '=', c.conventionId)
        .where('annee', '=', c.annee)
        .execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new ConflictError('EXERCICE_DEJA_CLOS', `L’exercice ${c.annee} est déjà clos.`, { annee: c.annee });
    throw err;
  }
}

/** The latest agreement of the délégant to carry a year's credits over, if any. */
export async function lireAccordReport(
  ex: Executor,
  conventionId: string,
  annee: number,
): Promise<AccordReport | null> {
  const r = await ex
    .selectFrom('accord_report')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .where('annee', '=', annee)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r
    ? {
        annee: r.annee,
        dateAccord: r.date_accord,
        auteur: r.auteur,
        aeCentimes: r.ae,
        cpCentimes: r.cp,
        enregistreLe: r.enregistre_le.toISOString(),
        acteurNom: r.acteur_nom,
      }
    : null;
}

export async function insererAccordReport(
  e: Ecriture,
  a: {
    conventionId: string;
    annee: number;
    dateAccord: DateIso;
    auteur: string;
    aeCentimes: Centimes | null;
    cpCentimes: Centimes | null;
  },
): Promise<void> {
  await e.trx
    .insertInto('accord_report')
    .values({
      convention_id: a.conventionId,
      annee: a.annee,
      date_accord: a.dateAccord,
      auteur: a.auteur,
      ae: a.aeCentimes,
      cp: a.cpCentimes,
      acteur_id: e.acteur.id,
      acteur_nom: e.acteur.nom,
      enregistre_le: e.le,
    })
    .execute();
}

/** The dates set for this exercise alone (none: the global calendar applies). */
export async function lireCalendrierExercice(ex: Executor, annee: number): Promise<CalendrierExercicePropre | null> {
  const r = await ex.selectFrom('calendrier_exercice').selectAll().where('annee', '=', annee).executeTakeFirst();
  if (!r) return null;
  return {
    ...(r.ouverture_cloture ? { ouvertureCloture: r.ouverture_cloture } : {}),
    ...(r.limite_report ? { limiteReport: r.limite_report } : {}),
    ...(r.limite_cloture ? { limiteCloture: r.limite_cloture } : {}),
  };
}

export async function modifierCalendrierExercice(
  e: Ecriture,
  annee: number,
  c: { ouvertureCloture: DateIso; limiteReport: DateIso; limiteCloture: DateIso },
): Promise<void> {
  const valeurs = {
    ouverture_cloture: c.ouvertureCloture,
    limite_report: c.limiteReport,
    limite_cloture: c.limiteCloture,
    modifie_par: e.acteur.nom,
    modifie_le: e.le,
  };
  await e.trx
    .insertInto('calendrier_exercice')
    .values({ annee, ...valeurs })
    .onConflict((oc) => oc.column('annee').doUpdateSet(valeurs))
    .execute();
}

/** A convention of the exercise, as the closing page lists it. */
export interface ConventionExercice {
  conventionId: string;
  libelle: string;
  statut: Statut;
  roleDinum: RoleDinum;
  delegant: Pick<Partie, 'siret'>;
  /** the year's totals as stored (null: no totals row yet) */
  totaux: TotauxCredit | null;
  cloture: { closLe: string; acteurNom: string; bilan: BilanExercice | null } | null;
}

const LIBELLE = sql<string>`coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention')`;

/**
 * The conventions in scope that carry credits in a year: a totals row or a schedule line for it. Sorted by
 * id, the order in which a portfolio closing locks them (so that two closings never deadlock).
 */
export async function listerConventionsExercice(
  ex: Executor,
  annee: number,
  scope: Perimetre,
): Promise<ConventionExercice[]> {
  const rows = await ex
    .selectFrom('convention as c')
    .leftJoin('credit_annuel as ca', (j) => j.onRef('ca.convention_id', '=', 'c.id').on('ca.annee', '=', annee))
    .leftJoin('exercice_cloture as x', (j) => j.onRef('x.convention_id', '=', 'c.id').on('x.annee', '=', annee))
    .select(COLONNES_TOTAUX.map((k) => `ca.${k}` as const))
    .select([
      'c.id',
      LIBELLE.as('libelle'),
      'c.statut',
      'c.role_dinum',
      'c.delegant_siret',
      'x.clos_le',
      'x.acteur_nom as clos_par',
      'x.bilan',
    ])
    .where(filtrePerimetre(scope, 'c'))
    .where((eb) =>
      eb.or([
        eb('ca.annee', 'is not', null),
        eb.exists(
          eb
            .selectFrom('echeancier as e')
            .select(sql`1`.as('x'))
            .whereRef('e.convention_id', '=', 'c.id')
            .where('e.annee', '=', annee),
        ),
      ]),
    )
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    conventionId: r.id,
    libelle: r.libelle,
    statut: r.statut,
    roleDinum: r.role_dinum,
    delegant: { siret: r.delegant_siret },
    totaux: r.annee === null ? null : totauxDepuisLigne(r as Parameters<typeof totauxDepuisLigne>[0]),
    cloture: r.clos_le ? { closLe: r.clos_le.toISOString(), acteurNom: r.clos_par ?? '', bilan: r.bilan } : null,
  }));
}

/** Years with totals whose closing is due by now, and whether each convention closed them: for the alerts. */
export async function listerExercicesOuverts(
  ex: Executor,
  scope: Perimetre,
  avant: number,
): Promise<{ conventionId: string; libelle: string; annee: number }[]> {
  return ex
    .selectFrom('credit_annuel as ca')
    .innerJoin('convention as c', 'c.id', 'ca.convention_id')
    .select(['ca.convention_id as conventionId', LIBELLE.as('libelle'), 'ca.annee'])
    .where('ca.annee', '<', avant)
    .where((eb) => eb.or([eb('ca.ouvert_ae', '>', 0), eb('ca.ouvert_cp', '>', 0), eb('ca.engage_ae', '>', 0)]))
    .where(filtrePerimetre(scope, 'c'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('exercice_cloture as x')
            .select(sql`1`.as('x'))
            .whereRef('x.annee', '=', 'ca.annee')
            .where((eb) =>
              eb.or([eb('x.convention_id', 'is', null), eb('x.convention_id', '=', eb.ref('ca.convention_id'))]),
            ),
        ),
      ),
    )
    .orderBy('ca.annee')
    .orderBy('libelle')
    .execute();
}

/** The latest agreement to carry over of each convention for a year, by convention. */
export async function listerAccordsReport(ex: Executor, annee: number): Promise<Map<string, AccordReport>> {
  const rows = await ex.selectFrom('accord_report').selectAll().where('annee', '=', annee).orderBy('id').execute();
  return new Map(
    rows.map((r) => [
      r.convention_id,
      {
        annee: r.annee,
        dateAccord: r.date_accord,
        auteur: r.auteur,
        aeCentimes: r.ae,
        cpCentimes: r.cp,
        enregistreLe: r.enregistre_le.toISOString(),
        acteurNom: r.acteur_nom,
      },
    ]),
  );
}
