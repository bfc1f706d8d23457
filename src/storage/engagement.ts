import { sql, type Selectable } from 'kysely';
import type { Mouvement } from '../domain/credit.js';
import type { Engagement, EngagementSaisie, FiltreEngagements, StatutEngagement } from '../domain/engagement.js';
import type { BaseMontant, Centimes } from '../domain/money.js';
import {
  insertionMouvement,
  miseAJourTotaux,
  mouvementDepuisLigne,
  traduireContrainte,
  type NouveauMouvement,
} from './credit-mouvement.js';
import { estUuid, executerPreparee, type Executor, type Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { EngagementTable } from './schema.js';

/** What an order's movement changes on the order itself. */
export interface MajEngagement {
  id: string;
  certifie?: Centimes;
  paye?: Centimes;
  libere?: Centimes;
  statut?: StatutEngagement;
}

export type EngagementAInserer = Omit<EngagementSaisie, 'numero' | 'baseMontant' | 'tauxTva'> & {
  id: string;
  conventionId: string;
  numero: string;
  baseMontant: BaseMontant;
  tauxTva: number;
  montantImputeCentimes: Centimes;
};

/**
 * Writes a new order in one statement: the order, its movement, the new totals and the journal line of
 * the write, which it carries (orders are the hot path). The caller holds the lock on the totals row and
 * has checked the ceiling; with `fin`, it states that its transaction ends with this write.
 */
export async function insererEngagement(
  e: Ecriture,
  s: EngagementAInserer,
  derogation: string | null,
  opts: { fin?: boolean } = {},
): Promise<void> {
  const m: NouveauMouvement = {
    conventionId: s.conventionId,
    annee: s.annee,
    type: 'engagement',
    engagementId: s.id,
    dateOperation: s.dateEngagement,
    deltas: { engageAe: s.montantImputeCentimes },
    reference: s.numero,
    motif: s.objet,
    derogation,
  };
  try {
    await executerPreparee(
      e.trx,
      e.trx
        .with('e', (db) =>
          db
            .insertInto('engagement')
            .values({
              id: s.id,
              convention_id: s.conventionId,
              annee: s.annee,
              numero: s.numero,
              titulaire: s.titulaire,
              marche: s.marche,
              devis: s.devis,
              objet: s.objet,
              produit: s.produit,
              montant: s.montantCentimes,
              base_montant: s.baseMontant,
              taux_tva: s.tauxTva,
              montant_impute: s.montantImputeCentimes,
              date_engagement: s.dateEngagement,
              date_fin_prestation: s.dateFinPrestation,
              acteur_id: e.acteur.id,
              acteur_nom: e.acteur.nom,
              cree_le: e.le,
            })
            .returning('id'),
        )
        // the movement's reference to the order is checked at the end of the statement
        .with('m', () => insertionMouvement(e, m))
        .with('u', () => miseAJourTotaux(e, m, { nouvelEngagement: true }))
        .with('j', () => e.insertionJournal())
        .selectFrom('e')
        .select('id'),
      opts,
    );
  } catch (err) {
    traduireContrainte(err);
  }
}

/**
 * A movement of an order (certified work, payment, closing, cancelling), the totals it changes and the
 * order's own figures, in one statement.
 */
export async function insererMouvementEngagement(e: Ecriture, m: NouveauMouvement, maj: MajEngagement): Promise<void> {
  try {
    await e.trx
      .with('m', () => insertionMouvement(e, m))
      .with('u', () => miseAJourTotaux(e, m))
      .with('e', (db) =>
        db
          .updateTable('engagement')
          .set((eb) => ({
            certifie: maj.certifie ? eb('certifie', '+', maj.certifie) : undefined,
            paye: maj.paye ? eb('paye', '+', maj.paye) : undefined,
            libere: maj.libere ? eb('libere', '+', maj.libere) : undefined,
            statut: maj.statut,
          }))
          .where('id', '=', maj.id),
      )
      .selectNoFrom(sql<number>`1`.as('ok'))
      .execute();
  } catch (err) {
    traduireContrainte(err);
  }
}

function engagementDepuisLigne(r: Selectable<EngagementTable>): Engagement {
  return {
    id: r.id,
    conventionId: r.convention_id,
    numero: r.numero,
    annee: r.annee,
    dateEngagement: r.date_engagement,
    dateFinPrestation: r.date_fin_prestation,
    titulaire: r.titulaire,
    marche: r.marche,
    devis: r.devis,
    objet: r.objet,
    produit: r.produit,
    montantCentimes: r.montant,
    baseMontant: r.base_montant,
    tauxTva: r.taux_tva,
    montantImputeCentimes: r.montant_impute,
    statut: r.statut,
    libereCentimes: r.libere,
    certifieCentimes: r.certifie,
    payeCentimes: r.paye,
    creeLe: r.cree_le.toISOString(),
    acteurNom: r.acteur_nom,
  };
}

export async function lireEngagement(ex: Executor, conventionId: string, id: string): Promise<Engagement | null> {
  if (!estUuid(id)) return null;
  const r = await ex
    .selectFrom('engagement')
    .selectAll()
    .where('id', '=', id)
    .where('convention_id', '=', conventionId)
    .executeTakeFirst();
  return r ? engagementDepuisLigne(r) : null;
}

/** The order that carries a number, in any convention (Chorus numbers are unique), with its convention's reference. */
export async function lireEngagementParNumero(
  ex: Executor,
  numero: string,
): Promise<{ conventionId: string; conventionReference: string | null; objet: string; annee: number } | null> {
  const r = await ex
    .selectFrom('engagement as e')
    .innerJoin('convention as c', 'c.id', 'e.convention_id')
    .select(['e.convention_id', 'c.reference', 'e.objet', 'e.annee'])
    .where('e.numero', '=', numero)
    .executeTakeFirst();
  return r ? { conventionId: r.convention_id, conventionReference: r.reference, objet: r.objet, annee: r.annee } : null;
}

/** The order, its row locked until the transaction ends. */
export async function verrouillerEngagement(trx: Trx, conventionId: string, id: string): Promise<Engagement | null> {
  if (!estUuid(id)) return null;
  const r = await trx
    .selectFrom('engagement')
    .selectAll()
    .where('id', '=', id)
    .where('convention_id', '=', conventionId)
    .forUpdate()
    .executeTakeFirst();
  return r ? engagementDepuisLigne(r) : null;
}

export async function listerEngagements(
  ex: Executor,
  conventionId: string,
  f: FiltreEngagements,
): Promise<{ items: Engagement[]; total: number }> {
  let q = ex.selectFrom('engagement').where('convention_id', '=', conventionId);
  if (f.annee !== undefined) q = q.where('annee', '=', f.annee);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('annee', 'desc')
      .orderBy('date_engagement', 'desc')
      .orderBy('numero', 'desc')
      .limit(f.taille)
      .offset((f.page - 1) * f.taille)
      .execute(),
    q.select(sql<number>`count(*)::bigint`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(engagementDepuisLigne), total: count.n };
}

/** Every order of a convention, for exports (a convention has thousands at most). */
export async function listerTousEngagements(ex: Executor, conventionId: string, annee?: number): Promise<Engagement[]> {
  let q = ex.selectFrom('engagement').selectAll().where('convention_id', '=', conventionId);
  if (annee !== undefined) q = q.where('annee', '=', annee);
  const rows = await q.orderBy('annee').orderBy('date_engagement').orderBy('numero').execute();
  return rows.map(engagementDepuisLigne);
}

export async function listerMouvementsEngagement(ex: Executor, engagementId: string): Promise<Mouvement[]> {
  const rows = await ex
    .selectFrom('mouvement')
    .selectAll()
    .where('engagement_id', '=', engagementId)
    .orderBy('id')
    .execute();
  return rows.map(mouvementDepuisLigne);
}
