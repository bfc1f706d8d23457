import { sql, type Selectable } from 'kysely';
import type { Acteur, Perimetre } from '../domain/acces.js';
import type { DateIso } from '../domain/dates.js';
import type { CasInsuffisance, NatureInsuffisance } from '../domain/insuffisance.js';
import { filtrePerimetre } from './convention.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { InsuffisanceTable } from './schema.js';

/** Insufficiency cases: opened or joined (never two open of a kind per convention), informed, answered. */

export function casDepuis(r: Selectable<InsuffisanceTable>): CasInsuffisance {
  return {
    id: r.id,
    conventionId: r.convention_id,
    annee: r.annee,
    nature: r.nature,
    ouvertLe: r.ouvert_le.toISOString(),
    ouvertPar: r.ouvert_par,
    nbRefus: r.nb_refus,
    details: r.details,
    information:
      r.information_date && r.information_le
        ? {
            date: r.information_date,
            moyen: r.information_moyen ?? '',
            justification: r.information_justification,
            auteur: r.information_par ?? '',
            le: r.information_le.toISOString(),
          }
        : null,
    reponse:
      r.reponse_date && r.reponse_le && r.reponse_decision
        ? {
            date: r.reponse_date,
            decision: r.reponse_decision,
            motif: r.reponse_motif ?? '',
            auteur: r.reponse_par ?? '',
            le: r.reponse_le.toISOString(),
          }
        : null,
  };
}

export async function listerInsuffisances(ex: Executor, conventionId: string): Promise<CasInsuffisance[]> {
  const rows = await ex
    .selectFrom('insuffisance')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(casDepuis);
}

/** The case, its row locked until the transaction ends: two steps on it are served one after the other. */
export async function verrouillerInsuffisance(
  trx: Trx,
  conventionId: string,
  id: number,
): Promise<CasInsuffisance | null> {
  const r = await trx
    .selectFrom('insuffisance')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r ? casDepuis(r) : null;
}

/**
 * Opens the convention's case of this kind, or joins the open one (the unique index on open cases makes
 * two refusals at once one case). Returns its id and whether it was new. Like a refusal kept as an alert,
 * the opening is its own record (who, when): no journal line, so a refused order leaves the journal as it
 * was; the steps that follow are journalled.
 */
export async function insererOuJoindreInsuffisance(
  ex: Executor,
  acteur: Acteur,
  le: Date,
  c: {
    conventionId: string;
    annee: number | null;
    nature: NatureInsuffisance;
    details: Record<string, unknown>;
    refus: boolean;
  },
): Promise<{ id: number; nouveau: boolean }> {
  const r = await ex
    .insertInto('insuffisance')
    .values({
      convention_id: c.conventionId,
      annee: c.annee,
      nature: c.nature,
      ouvert_le: le,
      ouvert_par: acteur.nom,
      nb_refus: c.refus ? 1 : 0,
      details: JSON.stringify(c.details),
    })
    .onConflict((oc) =>
      oc
        .columns(['convention_id', 'nature'])
        .where('reponse_le', 'is', null)
        .doUpdateSet({
          nb_refus: sql<number>`insuffisance.nb_refus + ${c.refus ? 1 : 0}`,
          details: JSON.stringify(c.details),
        }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('nouveau')])
    .executeTakeFirstOrThrow();
  return { id: r.id, nouveau: r.nouveau };
}

export async function modifierInformation(
  e: Ecriture,
  id: number,
  i: { date: DateIso; moyen: string; justification: string | null },
): Promise<void> {
  await e.trx
    .updateTable('insuffisance')
    .set({
      information_date: i.date,
      information_moyen: i.moyen,
      information_justification: i.justification,
      information_par: e.acteur.nom,
      information_le: e.le,
    })
    .where('id', '=', id)
    .execute();
}

export async function modifierReponse(
  e: Ecriture,
  id: number,
  r: { date: DateIso; decision: 'ajustement' | 'refus'; motif: string },
): Promise<void> {
  await e.trx
    .updateTable('insuffisance')
    .set({
      reponse_date: r.date,
      reponse_decision: r.decision,
      reponse_motif: r.motif,
      reponse_par: e.acteur.nom,
      reponse_le: e.le,
    })
    .where('id', '=', id)
    .execute();
}

/** The delay before a convention without an adjustment is proposed for suspension, from the settings. */
export async function lireDelaiInsuffisance(ex: Executor, defaut: number): Promise<number> {
  const r = await ex
    .selectFrom('parametre')
    .select('valeur')
    .where('cle', '=', 'delaiInsuffisanceJours')
    .executeTakeFirst();
  const n = Number(r?.valeur);
  return r && Number.isInteger(n) && n >= 0 ? n : defaut;
}

/** Cases not yet answered, or refused, across what the actor may see, with their convention's label. */
export async function listerInsuffisancesEnCours(
  ex: Executor,
  scope: Perimetre,
): Promise<(CasInsuffisance & { libelle: string })[]> {
  const rows = await ex
    .selectFrom('insuffisance as i')
    .innerJoin('convention as c', 'c.id', 'i.convention_id')
    .selectAll('i')
    .select(sql<string>`coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention')`.as('libelle'))
    .where((eb) => eb.or([eb('i.reponse_decision', 'is', null), eb('i.reponse_decision', '=', 'refus')]))
    .where(filtrePerimetre(scope, 'c'))
    .orderBy('i.ouvert_le')
    .orderBy('i.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...casDepuis(r), libelle: r.libelle }));
}

export async function modifierDelaiInsuffisance(e: Ecriture, jours: number): Promise<void> {
  const valeur = String(jours);
  await e.trx
    .insertInto('parametre')
    .values({ cle: 'delaiInsuffisanceJours', valeur, modifie_par: e.acteur.nom, modifie_le: e.le })
    .onConflict((oc) => oc.column('cle').doUpdateSet({ valeur, modifie_par: e.acteur.nom, modifie_le: e.le }))
    .execute();
}
