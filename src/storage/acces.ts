import type { Selectable } from 'kysely';
import type { Agenda, Agent, Jeton, NouvelAgent, PorteeConvention } from '../domain/acces.js';
import { porteeDeColonne, porteeEnColonne } from './convention.js';
import { executerPreparee, type Executor, type Trx } from './database.js';
import type { Ecriture } from './journal.js';
import type { AgentTable, JetonTable } from './schema.js';

const json = (v: unknown) => JSON.stringify(v);

const COLONNES_AGENT = [
  'id',
  'idp_id',
  'sub',
  'email',
  'prenom',
  'nom',
  'organisation_siret',
  'role',
  'produits',
  'actif',
  'cree_le',
  'derniere_connexion',
] as const;
type LigneAgent = Pick<Selectable<AgentTable>, (typeof COLONNES_AGENT)[number]>;

const agentDepuis = (r: LigneAgent): Agent => ({
  id: r.id,
  idpId: r.idp_id,
  sub: r.sub,
  email: r.email,
  prenom: r.prenom,
  nom: r.nom,
  organisationSiret: r.organisation_siret,
  role: r.role,
  produits: r.produits,
  actif: r.actif,
  creeLe: r.cree_le,
  derniereConnexion: r.derniere_connexion,
});

export async function lireAgent(db: Executor, id: string): Promise<Agent | null> {
  const r = await db.selectFrom('agent').select(COLONNES_AGENT).where('id', '=', id).executeTakeFirst();
  return r ? agentDepuis(r) : null;
}

export async function listerAgents(db: Executor): Promise<Agent[]> {
  const rows = await db
    .selectFrom('agent')
    .select(COLONNES_AGENT)
    .orderBy('nom')
    .orderBy('prenom')
    .orderBy('email')
    .execute();
  return rows.map(agentDepuis);
}

/**
 * Records a login: creates the agent on its first visit, otherwise refreshes what ProConnect says of it
 * (name, address, organisation). The role is never taken from the login: only an administrator changes it.
 * The login is its own record (`derniere_connexion`): no journal line.
 */
/**
 * An agent back from ProConnect and already known by (idp_id, sub): what ProConnect says of them is
 * refreshed, never their role. A refresh at login is its own log (`derniere_connexion`).
 */
export async function modifierAgentConnecte(db: Executor, a: NouvelAgent, le: Date): Promise<Agent | null> {
  const r = await db
    .updateTable('agent')
    .set({
      email: a.email,
      prenom: a.prenom,
      nom: a.nom,
      organisation_siret: a.organisationSiret,
      derniere_connexion: le,
    })
    .where('idp_id', '=', a.idpId)
    .where('sub', '=', a.sub)
    .returning(COLONNES_AGENT)
    .executeTakeFirst();
  return r ? agentDepuis(r) : null;
}

const ligneAgent = (a: NouvelAgent, le: Date) => ({
  id: a.id,
  idp_id: a.idpId,
  sub: a.sub,
  email: a.email,
  prenom: a.prenom,
  nom: a.nom,
  organisation_siret: a.organisationSiret,
  role: a.role,
  produits: json(a.produits),
  cree_le: le,
});

/** Thrown when another login inserted the same (idp_id, sub) first: the caller refreshes instead. */
export class AgentDejaConnecte extends Error {}

/** An agent's first login: created with its initial role, and the journal line that says so. */
export async function insererAgentConnecte(e: Ecriture, a: NouvelAgent): Promise<Agent> {
  try {
    const r = await e.trx
      .insertInto('agent')
      .values({ ...ligneAgent(a, e.le), derniere_connexion: e.le })
      .returning(COLONNES_AGENT)
      .executeTakeFirstOrThrow();
    return agentDepuis(r);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AgentDejaConnecte();
    throw err;
  }
}

/** Demo agents are inserted as they are, once. */
export async function insererAgentSiAbsent(e: Ecriture, a: NouvelAgent): Promise<void> {
  await e.trx
    .insertInto('agent')
    .values(ligneAgent(a, e.le))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** An administrator's change of an agent, by the write's author at its instant. */
export async function modifierAgent(
  e: Ecriture,
  id: string,
  changes: { role: Agent['role']; organisationSiret: string | null; produits: string[]; actif: boolean },
): Promise<boolean> {
  const r = await e.trx
    .updateTable('agent')
    .set({
      role: changes.role,
      organisation_siret: changes.organisationSiret,
      produits: json(changes.produits),
      actif: changes.actif,
      modifie_par: e.acteur.id,
      modifie_le: e.le,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// Sessions

export async function insererSession(
  db: Executor,
  s: { hash: string; agentId: string; creeLe: Date; expireLe: Date; idToken: string | null },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      hash: s.hash,
      agent_id: s.agentId,
      cree_le: s.creeLe,
      vu_le: s.creeLe,
      expire_le: s.expireLe,
      id_token: s.idToken,
    })
    .execute();
}

export interface SessionAgent {
  creeLe: Date;
  vuLe: Date;
  expireLe: Date;
  idToken: string | null;
  agent: Agent;
}

/** The session and its agent; with `porteeDe`, that convention's access scope in the same statement. */
export async function lireSession(
  db: Executor,
  hash: string,
  porteeDe: string | null = null,
): Promise<(SessionAgent & { portee: PorteeConvention | null }) | null> {
  const r = await db
    .selectFrom('session as s')
    .innerJoin('agent as a', 'a.id', 's.agent_id')
    .select(['s.cree_le as s_cree_le', 's.vu_le', 's.expire_le', 's.id_token'])
    .select(COLONNES_AGENT.map((c) => `a.${c}` as const))
    .select(porteeEnColonne(porteeDe).as('portee'))
    .where('s.hash', '=', hash)
    .executeTakeFirst();
  if (!r) return null;
  return {
    creeLe: r.s_cree_le,
    vuLe: r.vu_le,
    expireLe: r.expire_le,
    idToken: r.id_token,
    agent: agentDepuis(r),
    portee: porteeDeColonne(r.portee),
  };
}

/** Slides the idle limit; written at most once a minute per session to keep reads cheap. */
export async function modifierVuSession(db: Executor, hash: string, le: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ vu_le: le })
    .where('hash', '=', hash)
    .where('vu_le', '<', new Date(le.getTime() - 60_000))
    .execute();
}

export async function supprimerSession(db: Executor, hash: string): Promise<void> {
  await db.deleteFrom('session').where('hash', '=', hash).execute();
}

export async function supprimerSessionsAgent(db: Executor, agentId: string): Promise<void> {
  await db.deleteFrom('session').where('agent_id', '=', agentId).execute();
}

export async function supprimerSessionsExpirees(db: Executor, avant: Date): Promise<void> {
  await db.deleteFrom('session').where('expire_le', '<', avant).execute();
  await db.deleteFrom('connexion_en_cours').where('expire_le', '<', avant).execute();
}

// Logins under way

export async function insererConnexion(
  db: Executor,
  c: { state: string; nonce: string; codeVerifier: string; retour: string; expireLe: Date },
): Promise<void> {
  await db
    .insertInto('connexion_en_cours')
    .values({ state: c.state, nonce: c.nonce, code_verifier: c.codeVerifier, retour: c.retour, expire_le: c.expireLe })
    .execute();
}

/** Takes a pending login out, so that a state can be used once only. */
export async function supprimerConnexion(
  db: Executor,
  state: string,
): Promise<{ nonce: string; codeVerifier: string; retour: string; expireLe: Date } | null> {
  const r = await db
    .deleteFrom('connexion_en_cours')
    .where('state', '=', state)
    .returning(['nonce', 'code_verifier', 'retour', 'expire_le'])
    .executeTakeFirst();
  return r ? { nonce: r.nonce, codeVerifier: r.code_verifier, retour: r.retour, expireLe: r.expire_le } : null;
}

// API tokens

const COLONNES_JETON = [
  'id',
  'prefixe',
  'nom',
  'role',
  'organisation_siret',
  'produits',
  'cree_par',
  'cree_le',
  'expire_le',
  'revoque_le',
  'utilise_le',
] as const;
const jetonDepuis = (r: Pick<Selectable<JetonTable>, (typeof COLONNES_JETON)[number]>): Jeton => ({
  id: r.id,
  prefixe: r.prefixe,
  nom: r.nom,
  role: r.role,
  organisationSiret: r.organisation_siret,
  produits: r.produits,
  creePar: r.cree_par,
  creeLe: r.cree_le,
  expireLe: r.expire_le,
  revoqueLe: r.revoque_le,
  utiliseLe: r.utilise_le,
});

/** A new token, created by the write's author at its instant. */
export async function insererJeton(
  e: Ecriture,
  j: Omit<Jeton, 'revoqueLe' | 'utiliseLe' | 'creeLe' | 'creePar'> & { hash: string },
): Promise<void> {
  await e.trx
    .insertInto('jeton')
    .values({
      id: j.id,
      hash: j.hash,
      prefixe: j.prefixe,
      nom: j.nom,
      role: j.role,
      organisation_siret: j.organisationSiret,
      produits: json(j.produits),
      cree_par: e.acteur.id,
      cree_le: e.le,
      expire_le: j.expireLe,
    })
    .execute();
}

/** The token; with `porteeDe`, that convention's access scope in the same statement. */
export async function lireJetonParEmpreinte(
  db: Executor,
  hash: string,
  porteeDe: string | null = null,
): Promise<{ jeton: Jeton; portee: PorteeConvention | null } | null> {
  const [r] = await executerPreparee(
    db,
    db
      .selectFrom('jeton')
      .select(COLONNES_JETON)
      .select(porteeEnColonne(porteeDe).as('portee'))
      .where('hash', '=', hash),
  );
  return r ? { jeton: jetonDepuis(r), portee: porteeDeColonne(r.portee) } : null;
}

/** The token, its row locked until the transaction ends. */
export async function verrouillerJeton(trx: Trx, id: string): Promise<Jeton | null> {
  const r = await trx.selectFrom('jeton').select(COLONNES_JETON).where('id', '=', id).forUpdate().executeTakeFirst();
  return r ? jetonDepuis(r) : null;
}

export async function listerJetons(db: Executor): Promise<Jeton[]> {
  const rows = await db.selectFrom('jeton').select(COLONNES_JETON).orderBy('cree_le', 'desc').orderBy('id').execute();
  return rows.map(jetonDepuis);
}

/** Revokes a token by the write's author at its instant (a revoked token stays revoked as it was). */
export async function modifierRevocationJeton(e: Ecriture, id: string): Promise<void> {
  await e.trx
    .updateTable('jeton')
    .set({ revoque_le: e.le, revoque_par: e.acteur.id })
    .where('id', '=', id)
    .where('revoque_le', 'is', null)
    .execute();
}

/** Last use, to the minute: lets an administrator see which tokens are alive without a write per request. */
export async function modifierUsageJeton(db: Executor, id: string, le: Date): Promise<void> {
  await db
    .updateTable('jeton')
    .set({ utilise_le: le })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('utilise_le', 'is', null), eb('utilise_le', '<', new Date(le.getTime() - 60_000))]))
    .execute();
}

/**
 * The active administrators, their rows locked until the caller's transaction ends: two administrators
 * demoting each other at the same instant are served one after the other, and the second sees the first.
 */
export async function verrouillerAdministrateursActifs(db: Trx): Promise<string[]> {
  const rows = await db
    .selectFrom('agent')
    .select('id')
    .where('role', '=', 'administrateur')
    .where('actif', '=', true)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

// Calendar feeds

export async function lireAgenda(db: Executor, agentId: string): Promise<Agenda | null> {
  const r = await db
    .selectFrom('agenda')
    .select(['agent_id', 'prefixe', 'cree_le'])
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return r ? { agentId: r.agent_id, prefixe: r.prefixe, creeLe: r.cree_le } : null;
}

/** The agent whose feed has this secret's hash; a read only, like the feed it serves. */
export async function lireAgentParAgenda(db: Executor, hash: string): Promise<Agent | null> {
  const r = await db
    .selectFrom('agenda')
    .innerJoin('agent', 'agent.id', 'agenda.agent_id')
    .select(COLONNES_AGENT.map((c) => `agent.${c}` as const))
    .where('agenda.hash', '=', hash)
    .executeTakeFirst();
  return r ? agentDepuis(r) : null;
}

/** The agent's feed, its secret created or replaced at the write's instant: the former secret stops at once. */
export async function modifierAgenda(
  e: Ecriture,
  a: { agentId: string; hash: string; prefixe: string },
): Promise<void> {
  await e.trx
    .insertInto('agenda')
    .values({ agent_id: a.agentId, hash: a.hash, prefixe: a.prefixe, cree_le: e.le })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ hash: a.hash, prefixe: a.prefixe, cree_le: e.le }))
    .execute();
}

/** The agent's feed, its row locked until the transaction ends. */
export async function verrouillerAgenda(trx: Trx, agentId: string): Promise<Agenda | null> {
  const r = await trx
    .selectFrom('agenda')
    .select(['agent_id', 'prefixe', 'cree_le'])
    .where('agent_id', '=', agentId)
    .forUpdate()
    .executeTakeFirst();
  return r ? { agentId: r.agent_id, prefixe: r.prefixe, creeLe: r.cree_le } : null;
}

export async function supprimerAgenda(e: Ecriture, agentId: string): Promise<void> {
  await e.trx.deleteFrom('agenda').where('agent_id', '=', agentId).execute();
}
