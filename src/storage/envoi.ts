import { sql } from 'kysely';
import type {
  Destinataire,
  ElementRecapitulatif,
  EnvoiListe,
  Frequence,
  Message,
  MessageDiffere,
  MessageReparti,
  Preferences,
  StatutEnvoi,
  TypeNotification,
} from '../domain/notification.js';
import type { Executor, Trx } from './database.js';
import type { Ecriture } from './journal.js';

/**
 * The outbox of e-mails. Messages are queued in the caller's transaction (they exist only if the change
 * committed); any instance claims a batch with `FOR UPDATE SKIP LOCKED` and a lease, so that two instances
 * never take the same message, and one that dies leaves it to another once the lease ends.
 */

/** A digest's lines: jsonb arrives parsed from PostgreSQL and PGlite alike, a text copy is read too. */
const elementsDe = (v: unknown): ElementRecapitulatif[] | null =>
  typeof v === 'string' ? (JSON.parse(v) as ElementRecapitulatif[]) : ((v as ElementRecapitulatif[] | null) ?? null);

/** The row of a message as the outbox keeps it, queued now. */
const ligne = (m: Message, le: Date) => ({
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
  elements: m.elements ? JSON.stringify(m.elements) : null,
});

/**
 * Queues messages in the transaction of the change; an event already queued for a recipient is left as it
 * was. A message held for a digest says which one.
 */
export async function insererEnvois(trx: Trx, messages: (Message | MessageReparti)[], le: Date): Promise<void> {
  if (messages.length === 0) return;
  await trx
    .insertInto('envoi')
    .values(
      messages.map((m) => ({
        ...ligne(m, le),
        statut: 'statut' in m ? m.statut : 'a_envoyer',
        regroupement: 'regroupement' in m ? m.regroupement : null,
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
  elements: Message['elements'] | null;
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
    RETURNING id, cle, destinataire, sujet, texte, html, lien, tentatives, elements`.execute(ex);
  return r.rows.map((x) => ({
    ...x,
    id: Number(x.id),
    elements: elementsDe(x.elements),
  }));
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
      'elements',
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
    elements: elementsDe(r.elements) ?? [],
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

/** The choices of the given agents (all when omitted), by agent. */
export async function lirePreferences(ex: Executor, agentIds?: string[]): Promise<Map<string, Preferences>> {
  if (agentIds && agentIds.length === 0) return new Map();
  let q = ex.selectFrom('preference_notification').select(['agent_id', 'type', 'frequence']);
  if (agentIds) q = q.where('agent_id', 'in', agentIds);
  const m = new Map<string, Preferences>();
  for (const r of await q.execute()) {
    const p = m.get(r.agent_id) ?? {};
    p[r.type as TypeNotification] = r.frequence;
    m.set(r.agent_id, p);
  }
  return m;
}

/** Replaces an agent's choices; each change is noted on the journal line of the write. */
export async function modifierPreferences(e: Ecriture, agentId: string, preferences: Preferences): Promise<void> {
  await e.trx.deleteFrom('preference_notification').where('agent_id', '=', agentId).execute();
  const lignes = Object.entries(preferences).map(([type, frequence]) => ({
    agent_id: agentId,
    type,
    frequence: frequence as Frequence,
  }));
  if (lignes.length) await e.trx.insertInto('preference_notification').values(lignes).execute();
}

/**
 * Writes one agent's digest with the held messages it lists, or nothing if another instance wrote it
 * first (its key is the day's). The held messages are locked first: a second writer waits, then finds
 * them carried and its digest already there.
 */
export async function verrouillerDifferes(
  trx: Trx,
  agentId: string,
  regroupements: ('quotidien' | 'hebdomadaire')[],
): Promise<MessageDiffere[]> {
  if (regroupements.length === 0) return [];
  const rows = await trx
    .selectFrom('envoi')
    .select(['id', 'sujet', 'lien'])
    .where('agent_id', '=', agentId)
    .where('statut', '=', 'differe')
    .where('regroupement', 'in', regroupements)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: Number(r.id), sujet: r.sujet, lien: r.lien }));
}

/** Queues a digest and marks the messages it carries; false when its key was already taken. */
export async function insererRecapitulatif(
  trx: Trx,
  m: Message,
  differes: MessageDiffere[],
  le: Date,
): Promise<boolean> {
  const r = await trx
    .insertInto('envoi')
    .values(ligne(m, le))
    .onConflict((oc) => oc.column('cle').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!r) return false;
  if (differes.length)
    await trx
      .updateTable('envoi')
      .set({ statut: 'regroupe', recapitulatif_id: r.id, envoye_le: le })
      .where(
        'id',
        'in',
        differes.map((d) => d.id),
      )
      .execute();
  return true;
}

/**
 * Claims a day's task for `bailMs`: true for the one instance that gets it, until it is done or its claim
 * runs out (an instance that died leaves it to the next).
 */
export async function reserverTache(
  ex: Executor,
  nom: string,
  jour: string,
  maintenant: Date,
  bailMs: number,
): Promise<boolean> {
  const jusqua = new Date(maintenant.getTime() + bailMs);
  const r = await sql<{ nom: string }>`
    INSERT INTO tache (nom, jour, verrou_jusqua) VALUES (${nom}, ${jour}, ${jusqua})
    ON CONFLICT (nom, jour) DO UPDATE SET verrou_jusqua = excluded.verrou_jusqua
      WHERE tache.terminee_le IS NULL AND tache.verrou_jusqua < ${maintenant}
    RETURNING nom`.execute(ex);
  return r.rows.length === 1;
}

export async function modifierTacheTerminee(ex: Executor, nom: string, jour: string, le: Date): Promise<void> {
  await ex.updateTable('tache').set({ terminee_le: le }).where('nom', '=', nom).where('jour', '=', jour).execute();
}
