import { sql, type Selectable } from 'kysely';
import type { Perimetre } from '../domain/acces.js';
import type { DateIso } from '../domain/dates.js';
import { filtrePerimetre } from './convention.js';
import type { Enveloppe, Promotion } from '../domain/promotion.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { EnveloppeTable, PromotionTable } from './schema.js';

/** FAST promotions and the matching envelopes of their laureates. */

const promotionDepuis = (r: Selectable<PromotionTable>): Promotion => ({
  numero: r.numero,
  appelOuverture: r.appel_ouverture,
  appelCloture: r.appel_cloture,
  comiteSelection: r.comite_selection,
  lancement: r.lancement,
  miParcours: r.mi_parcours,
  demoDay: r.demo_day,
  plafondLaureatCentimes: r.plafond_laureat_centimes,
});

export async function listerPromotions(ex: Executor): Promise<Promotion[]> {
  const rows = await ex.selectFrom('promotion').selectAll().orderBy('numero', 'desc').execute();
  return rows.map(promotionDepuis);
}

export async function lirePromotion(ex: Executor, numero: number): Promise<Promotion | null> {
  const r = await ex.selectFrom('promotion').selectAll().where('numero', '=', numero).executeTakeFirst();
  return r ? promotionDepuis(r) : null;
}

export async function insererPromotion(e: Ecriture, p: Promotion): Promise<void> {
  await e.trx
    .insertInto('promotion')
    .values({
      numero: p.numero,
      appel_ouverture: p.appelOuverture,
      appel_cloture: p.appelCloture,
      comite_selection: p.comiteSelection,
      lancement: p.lancement,
      mi_parcours: p.miParcours,
      demo_day: p.demoDay,
      plafond_laureat_centimes: p.plafondLaureatCentimes,
      cree_par: e.acteur.nom,
      cree_le: e.le,
    })
    .execute();
}

const enveloppeDepuis = (r: Selectable<EnveloppeTable>): Enveloppe => ({
  conventionId: r.convention_id,
  montantCentimes: r.montant_centimes,
  engageCentimes: r.engage_centimes,
  preuveUrl: r.preuve_url,
  preuvePieceId: r.preuve_piece_id,
  declarePar: r.declare_par,
  declareLe: r.declare_le ? r.declare_le.toISOString() : null,
});

export async function listerEnveloppes(ex: Executor, conventionIds: string[]): Promise<Enveloppe[]> {
  if (conventionIds.length === 0) return [];
  const rows = await ex.selectFrom('enveloppe').selectAll().where('convention_id', 'in', conventionIds).execute();
  return rows.map(enveloppeDepuis);
}

/** The envelopes of the conventions in scope, with what their deadline and alert need. */
export async function listerEnveloppesPerimetre(
  ex: Executor,
  scope: Perimetre,
): Promise<Array<{ enveloppe: Enveloppe; libelle: string; dateSignature: DateIso | null }>> {
  const rows = await ex
    .selectFrom('enveloppe as e')
    .innerJoin('convention as c', 'c.id', 'e.convention_id')
    .selectAll('e')
    .select([
      sql<string>`coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention')`.as('libelle'),
      'c.date_signature',
    ])
    .where(filtrePerimetre(scope, 'c'))
    .execute();
  return rows.map((r) => ({ enveloppe: enveloppeDepuis(r), libelle: r.libelle, dateSignature: r.date_signature }));
}

/** The conventions that name a FAST promotion. */
export async function listerConventionsPromotion(ex: Executor): Promise<Array<{ id: string; promotion: string }>> {
  const rows = await ex
    .selectFrom('convention')
    .select(['id', 'promotion_fast'])
    .where('promotion_fast', 'is not', null)
    .orderBy('reference')
    .execute();
  return rows.map((r) => ({ id: r.id, promotion: r.promotion_fast! }));
}

export async function verrouillerEnveloppe(trx: Trx, conventionId: string): Promise<Enveloppe | null> {
  const r = await trx
    .selectFrom('enveloppe')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .forUpdate()
    .executeTakeFirst();
  return r ? enveloppeDepuis(r) : null;
}

/** Sets the envelope's amount and what is declared committed (one row per convention). */
export async function ecrireEnveloppe(
  e: Ecriture,
  conventionId: string,
  v: { montantCentimes: number; engageCentimes: number; preuveUrl: string | null; preuvePieceId?: string | null },
): Promise<void> {
  const valeurs = {
    montant_centimes: v.montantCentimes,
    engage_centimes: v.engageCentimes,
    preuve_url: v.preuveUrl,
    preuve_piece_id: v.preuvePieceId ?? null,
    declare_par: e.acteur.nom,
    declare_le: e.le,
  };
  await e.trx
    .insertInto('enveloppe')
    .values({ convention_id: conventionId, ...valeurs })
    .onConflict((oc) => oc.column('convention_id').doUpdateSet(valeurs))
    .execute();
}
