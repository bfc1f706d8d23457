import { sql } from 'kysely';
import type { Destinataire, EnvoiListe, Message, StatutEnvoi } from '../domain/notification.js';
import type { Executor, Trx } from './database.js';

/**
 * The outbox of e-mails. Messages are queued in the caller's transaction (they exist only if the change
 * committed); any instance claims a batch with `FOR UPDATE SKIP LOCKED` and a lease, so that two instances
 * never take the same message, and one that dies leaves it to another once the lease ends.
 */

/** Queues messages in the transaction of the change; an event already queued for a recipient is left as it was. */
export async function insererEnvois(trx: Trx, messages: Message[], le: Date): Promise<void> {
  if (messages.length === 0) return;
  await trx
    .insertInto('envoi')
    .values(
      messages.map((m) => ({
        cle: m.cle,
        type: m.type,
        agent_id: m.agentId,
        destinataire: m.destinataire,
        sujet: m.sujet,
        texte: m.texte,
        html: m.html,
        lien: m.lien,
        convention_id: m.conventionId,
        prochain_essai: le,
        cree_le: le,
      })),
    )
    .onConflict((oc) => oc.column('cle').doNothing())
    .execute();
}

export interface EnvoiReserve {
  id: number;
  cle: string;
  destinataire: string;
  sujet: string;
  texte: string;
  html: string;
  lien: string;
  tentatives: number;
}

/** Claims up to `n` messages due by `maintenant`, for `bailMs`: no other instance takes them meanwhile. */
export async function reserverEnvois(
  ex: Executor,
  maintenant: Date,
  n: number,
  bailMs: number,
): Promise<EnvoiReserve[]> {
  const jusqua = new Date(maintenant.getTime() + bailMs);
  const r = await sql<EnvoiReserve>`
    UPDATE envoi SET verrou_jusqua = ${jusqua}
    WHERE id IN (
      SELECT id FROM envoi
      WHERE statut = 'a_envoyer' AND prochain_essai <= ${maintenant}
        AND (verrou_jusqua IS NULL OR verrou_jusqua < ${maintenant})
      ORDER BY id
      LIMIT ${n}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, cle, destinataire, sujet, texte, html, lien, tentatives`.execute(ex);
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
}

/** Sent (or kept, without a mail server): never claimed again. */
export async function modifierEnvoiTermine(
  ex: Executor,
  id: number,
  statut: Extract<StatutEnvoi, 'envoye' | 'conserve'>,
  le: Date,
): Promise<void> {
  await ex
    .updateTable('envoi')
    .set({ statut, envoye_le: le, verrou_jusqua: null, erreur: null })
    .where('id', '=', id)
    .execute();
}

/** A failed try: the next one at `prochain`, or given up when there is none. */
export async function modifierEnvoiEchec(
  ex: Executor,
  id: number,
  erreur: string,
  prochain: Date | null,
): Promise<void> {
  await ex
    .updateTable('envoi')
    .set((eb) => ({
      tentatives: eb('tentatives', '+', 1),
      erreur: erreur.slice(0, 1000),
      verrou_jusqua: null,
      ...(prochain ? { prochain_essai: prochain } : { statut: 'abandonne' as const }),
    }))
    .where('id', '=', id)
    .execute();
}

export async function listerEnvois(ex: Executor, limite: number): Promise<EnvoiListe[]> {
  const rows = await ex
    .selectFrom('envoi')
    .select([
      'id',
      'type',
      'destinataire',
      'sujet',
      'texte',
      'lien',
      'statut',
      'tentatives',
      'erreur',
      'cree_le',
      'envoye_le',
    ])
    .orderBy('id', 'desc')
    .limit(limite)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    destinataire: r.destinataire,
    sujet: r.sujet,
    texte: r.texte,
    lien: r.lien,
    statut: r.statut,
    tentatives: r.tentatives,
    erreur: r.erreur,
    creeLe: r.cree_le,
    envoyeLe: r.envoye_le,
  }));
}

/** Active agents with an address: who may be told. */
export async function listerDestinataires(ex: Executor): Promise<Destinataire[]> {
  const rows = await ex
    .selectFrom('agent')
    .select(['id', 'prenom', 'nom', 'email', 'role', 'organisation_siret', 'produits'])
    .where('actif', '=', true)
    .where('email', '!=', '')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    nom: `${r.prenom} ${r.nom}`.trim(),
    email: r.email,
    role: r.role,
    organisationSiret: r.organisation_siret,
    produits: r.produits,
  }));
}
