import type { Selectable, Transaction } from 'kysely';
import type { Acteur } from '../domain/acces.js';
import type { Proposition, PropositionSaisie, StatutProposition } from '../domain/proposition.js';
import type { BaseMontant } from '../domain/money.js';
import type { Db } from './database.js';
import { appendJournal } from './journal.js';
import type { Database, PropositionTable } from './schema.js';

type Executor = Db | Transaction<Database>;
type Trx = Transaction<Database>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

function depuisLigne(r: Selectable<PropositionTable>): Proposition {
  return {
    id: r.id,
    conventionId: r.convention_id,
    annee: Number(r.annee),
    titulaire: r.titulaire,
    marche: r.marche,
    devis: r.devis,
    objet: r.objet,
    produit: r.produit,
    montantCentimes: Number(r.montant),
    baseMontant: r.base_montant as BaseMontant | null,
    dateFinPrestation: r.date_fin_prestation,
    justification: r.justification,
    statut: r.statut as StatutProposition,
    proposeParId: r.propose_par_id,
    proposeParNom: r.propose_par_nom,
    proposeLe: iso(r.propose_le)!,
    decideParNom: r.decide_par_nom,
    decideLe: iso(r.decide_le),
    motifRefus: r.motif_refus,
    engagementId: r.engagement_id,
  };
}

/** A new proposal and its journal line, in the caller's transaction. */
export async function insererProposition(trx: Trx, acteur: Acteur, id: string, conventionId: string, p: PropositionSaisie, le: Date, commentaire: string): Promise<void> {
  await trx
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
      propose_par_id: acteur.id,
      propose_par_nom: acteur.nom,
      propose_le: le,
    })
    .execute();
  await appendJournal(trx, acteur, { conventionId, objetType: 'proposition', objetId: id, action: 'proposition', commentaire });
}

export async function lireProposition(ex: Executor, conventionId: string, id: string, opts: { verrou?: boolean } = {}): Promise<Proposition | null> {
  if (!UUID.test(id)) return null;
  let q = ex.selectFrom('proposition').selectAll().where('id', '=', id).where('convention_id', '=', conventionId);
  if (opts.verrou) q = q.forUpdate();
  const r = await q.executeTakeFirst();
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

export async function deciderProposition(
  trx: Trx,
  acteur: Acteur,
  p: Proposition,
  d: { statut: Exclude<StatutProposition, 'a_valider'>; le: Date; motifRefus: string | null; engagementId: string | null },
  commentaire: string,
): Promise<void> {
  await trx
    .updateTable('proposition')
    .set({ statut: d.statut, decide_par_nom: acteur.nom, decide_le: d.le, motif_refus: d.motifRefus, engagement_id: d.engagementId })
    .where('id', '=', p.id)
    .where('statut', '=', 'a_valider')
    .execute();
  await appendJournal(trx, acteur, {
    conventionId: p.conventionId,
    objetType: 'proposition',
    objetId: p.id,
    action: d.statut === 'validee' ? 'validation' : 'refus',
    changements: [{ champ: 'statut', avant: 'a_valider', apres: d.statut }],
    commentaire,
  });
}
