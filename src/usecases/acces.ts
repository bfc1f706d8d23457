import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  ACTEUR_SYSTEME,
  DUREES_SESSION,
  EXPIRATION_JETON_JOURS,
  ROLES,
  etatJeton,
  peutAdministrer,
  roleInitial,
  sessionValide,
  type Acteur,
  type Agenda,
  type Agent,
  type Jeton,
  type NouvelAgent,
  type PorteeConvention,
  type Role,
} from '../domain/acces.js';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../domain/errors.js';
import * as stockage from '../storage/acces.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

function acteurDeAgent(a: Agent): Acteur {
  const nom = [a.prenom, a.nom].filter(Boolean).join(' ') || a.email;
  return { id: a.id, nom, role: a.role, organisationSiret: a.organisationSiret, produits: a.produits };
}

// Sessions

export interface SessionOuverte {
  /** the cookie value; only its hash is stored */
  jeton: string;
  expireLe: Date;
}

/** Opens a fresh session: a new random identifier at every login, so that a planted one is never promoted. */
export async function ouvrirSession(
  ctx: Contexte,
  agentId: string,
  idToken: string | null = null,
): Promise<SessionOuverte> {
  const agent = await stockage.lireAgent(ctx.db, agentId);
  if (!agent) throw new NotFoundError('Agent', agentId);
  if (!agent.actif) throw new ForbiddenError('Votre compte est désactivé. Contactez un administrateur de Délégations.');
  const maintenant = ctx.now();
  const jeton = secret();
  const expireLe = new Date(maintenant.getTime() + DUREES_SESSION.maxMs);
  await stockage.supprimerSessionsExpirees(ctx.db, maintenant);
  await stockage.insererSession(ctx.db, { hash: hash(jeton), agentId, creeLe: maintenant, expireLe, idToken });
  return { jeton, expireLe };
}

/** Who holds this session cookie, or null when it is unknown, expired, idle too long or its agent disabled. */
/** The session's actor; with `porteeDe`, that convention's access scope, read in the same statement. */
export async function acteurDeSession(
  ctx: Contexte,
  jeton: string,
  porteeDe: string | null = null,
): Promise<{ acteur: Acteur; idToken: string | null; portee: PorteeConvention | null } | null> {
  const h = hash(jeton);
  const s = await stockage.lireSession(ctx.db, h, porteeDe);
  if (!s) return null;
  const maintenant = ctx.now();
  if (!s.agent.actif || !sessionValide(s, maintenant)) {
    await stockage.supprimerSession(ctx.db, h);
    return null;
  }
  // the idle limit slides to the minute: no write on most requests
  if (maintenant.getTime() - s.vuLe.getTime() >= 60_000) await stockage.modifierVuSession(ctx.db, h, maintenant);
  return { acteur: acteurDeAgent(s.agent), idToken: s.idToken, portee: s.portee };
}

export async function fermerSession(ctx: Contexte, jeton: string): Promise<void> {
  await stockage.supprimerSession(ctx.db, hash(jeton));
}

// ProConnect

export interface IdentiteConnexion {
  idpId: string;
  sub: string;
  email: string;
  prenom: string;
  nom: string;
  siret: string | null;
}

/** Login under way: what the callback must find again, for ten minutes. */
export async function memoriserConnexion(
  ctx: Contexte,
  c: { state: string; nonce: string; codeVerifier: string; retour: string },
): Promise<void> {
  await stockage.insererConnexion(ctx.db, { ...c, expireLe: new Date(ctx.now().getTime() + 10 * 60_000) });
}

export async function reprendreConnexion(
  ctx: Contexte,
  state: string,
): Promise<{ nonce: string; codeVerifier: string; retour: string }> {
  const c = await stockage.supprimerConnexion(ctx.db, state);
  if (!c || c.expireLe.getTime() <= ctx.now().getTime()) {
    throw new DomainError(
      'CONNEXION_REFUSEE',
      'La connexion a expiré ou a déjà été utilisée. Recommencez depuis la page de connexion.',
      { raison: 'state inconnu ou expiré' },
    );
  }
  return c;
}

/** An agent back from ProConnect: known by (idp_id, sub), attached to its organisation by SIRET. */
export async function connecterAgent(
  ctx: Contexte,
  id: IdentiteConnexion,
  idToken: string | null,
  opts: { administrateurs: readonly string[] },
): Promise<{ agent: Agent; session: SessionOuverte }> {
  const siret = id.siret && /^\d{14}$/.test(id.siret) ? id.siret : null;
  const nouvel: NouvelAgent = {
    id: randomUUID(),
    idpId: id.idpId,
    sub: id.sub,
    email: id.email,
    prenom: id.prenom,
    nom: id.nom,
    organisationSiret: siret,
    role: roleInitial(id.email, opts.administrateurs),
    produits: [],
  };
  const agent =
    (await stockage.modifierAgentConnecte(ctx.db, nouvel, ctx.now())) ?? (await creerAgentConnecte(ctx, nouvel));
  const session = await ouvrirSession(ctx, agent.id, idToken);
  return { agent, session };
}

/**
 * A first login creates the agent, journalled with the role it was given (and why: the administrators'
 * list). Two first logins at once make one agent: the second finds it and refreshes it.
 */
async function creerAgentConnecte(ctx: Contexte, a: NouvelAgent): Promise<Agent> {
  const le = ctx.now();
  const sujet = {
    conventionId: null,
    objetType: 'agent',
    objetId: a.id,
    action: 'creation',
    changements: [
      { champ: 'role', avant: null, apres: a.role },
      { champ: 'organisation_siret', avant: null, apres: a.organisationSiret },
    ],
    commentaire: `Première connexion ProConnect de ${`${a.prenom} ${a.nom}`.trim() || a.email}${
      a.role === 'administrateur' ? ' (adresse parmi les administrateurs configurés)' : ''
    }`,
  };
  const auteur: Acteur = {
    id: a.id,
    nom: `${a.prenom} ${a.nom}`.trim() || a.email,
    role: a.role,
    organisationSiret: a.organisationSiret,
    produits: [],
  };
  try {
    return await ctx.db
      .transaction()
      .execute((trx) => ecrireAvecJournal(trx, auteur, le, sujet, (e) => stockage.insererAgentConnecte(e, a)));
  } catch (e) {
    if (!(e instanceof stockage.AgentDejaConnecte)) throw e;
    const agent = await stockage.modifierAgentConnecte(ctx.db, a, le);
    if (!agent) throw e;
    return agent;
  }
}

// Agents

/** A demonstration agent of the development login, created once as it is. */
export async function creerAgentDemo(ctx: Contexte, a: NouvelAgent): Promise<void> {
  if (await stockage.lireAgent(ctx.db, a.id)) return;
  const sujet = {
    conventionId: null,
    objetType: 'agent',
    objetId: a.id,
    action: 'creation',
    changements: [{ champ: 'role', avant: null, apres: a.role }],
    commentaire: `Agent de démonstration ${a.prenom} ${a.nom}`.trim(),
  };
  await ctx.db
    .transaction()
    .execute((trx) =>
      ecrireAvecJournal(trx, ACTEUR_SYSTEME, ctx.now(), sujet, (e) => stockage.insererAgentSiAbsent(e, a)),
    );
}

export async function listerAgents(ctx: Contexte, acteur: Acteur): Promise<Agent[]> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  return stockage.listerAgents(ctx.db);
}

export async function lireAgent(ctx: Contexte, acteur: Acteur, id: string): Promise<Agent> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  const a = await stockage.lireAgent(ctx.db, id);
  if (!a) throw new NotFoundError('Agent', id);
  return a;
}

export interface ModificationAgent {
  role: string;
  organisationSiret: string;
  produits: string[];
  actif: boolean;
}

function verifierPortee(
  role: string,
  siret: string,
  produits: string[],
): { role: Role; siret: string | null; erreurs: FieldError[] } {
  const erreurs: FieldError[] = [];
  const s = siret.replace(/\s/g, '');
  if (!ROLES.includes(role as Role)) erreurs.push({ champ: 'role', message: 'Choisissez un rôle.' });
  if (s && !/^\d{14}$/.test(s)) erreurs.push({ champ: 'organisationSiret', message: 'Le SIRET compte 14 chiffres.' });
  if (role === 'partenaire' && !s)
    erreurs.push({
      champ: 'organisationSiret',
      message: 'Un partenaire est rattaché à une organisation : indiquez son SIRET.',
    });
  if (role === 'equipe' && !s && produits.length === 0)
    erreurs.push({
      champ: 'produits',
      message: 'Une équipe produit voit les conventions de ses produits : indiquez au moins un produit ou un SIRET.',
    });
  return { role: role as Role, siret: s || null, erreurs };
}

/** An administrator gives a role; the agent's sessions end so that the new rights apply at once. */
export async function modifierAgent(ctx: Contexte, acteur: Acteur, id: string, m: ModificationAgent): Promise<Agent> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  const avant = await stockage.lireAgent(ctx.db, id);
  if (!avant) throw new NotFoundError('Agent', id);
  const produits = m.produits.map((p) => p.trim()).filter(Boolean);
  const { role, siret, erreurs } = verifierPortee(m.role, m.organisationSiret, produits);
  if (role === 'public')
    erreurs.push({ champ: 'role', message: 'Un agent connecté ne peut pas avoir le rôle public.' });
  if (erreurs.length) throw new ValidationError(erreurs);
  const perdAdmin = avant.role === 'administrateur' && avant.actif && (role !== 'administrateur' || !m.actif);
  const changements = [
    { champ: 'role', avant: avant.role, apres: role },
    { champ: 'organisationSiret', avant: avant.organisationSiret, apres: siret },
    { champ: 'produits', avant: avant.produits, apres: produits },
    { champ: 'actif', avant: avant.actif, apres: m.actif },
  ].filter((c) => JSON.stringify(c.avant) !== JSON.stringify(c.apres));
  if (changements.length > 0) {
    const sujet = {
      conventionId: null,
      objetType: 'agent',
      objetId: id,
      action: 'modification',
      changements,
      commentaire: `${avant.prenom} ${avant.nom} <${avant.email}>`.trim(),
    };
    await ctx.db.transaction().execute(async (trx) => {
      if (perdAdmin && (await stockage.verrouillerAdministrateursActifs(trx)).filter((a) => a !== id).length === 0) {
        throw new ConflictError('DERNIER_ADMINISTRATEUR', 'Il doit rester au moins un administrateur actif.');
      }
      await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
        await stockage.modifierAgent(e, id, {
          role: role as Agent['role'],
          organisationSiret: siret,
          produits,
          actif: m.actif,
        });
        await stockage.supprimerSessionsAgent(trx, id);
      });
    });
  }
  const apres = await stockage.lireAgent(ctx.db, id);
  if (!apres) throw new NotFoundError('Agent', id);
  return apres;
}

// API tokens

export interface DemandeJeton {
  nom: string;
  role: string;
  organisationSiret?: string | null;
  produits?: string[];
  expireJours?: number;
}

export const PREFIXE_JETON = 'dlg_';

/** Creates a token and returns its value, which is shown once and never stored. */
export async function creerJeton(
  ctx: Contexte,
  acteur: Acteur,
  d: DemandeJeton,
): Promise<{ jeton: Jeton; valeur: string }> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  const produits = (d.produits ?? []).map((p) => p.trim()).filter(Boolean);
  const { role, siret, erreurs } = verifierPortee(d.role, d.organisationSiret ?? '', produits);
  const nom = d.nom.trim();
  if (!nom) erreurs.push({ champ: 'nom', message: 'Nommez le jeton d’après le programme qui l’utilisera.' });
  if (nom.length > 200) erreurs.push({ champ: 'nom', message: 'Le nom compte au plus 200 caractères.' });
  const jours = d.expireJours ?? EXPIRATION_JETON_JOURS.defaut;
  if (!Number.isInteger(jours) || jours < 1 || jours > EXPIRATION_JETON_JOURS.max) {
    erreurs.push({
      champ: 'expireJours',
      message: `La durée de validité va de 1 à ${EXPIRATION_JETON_JOURS.max} jours.`,
    });
  }
  if (erreurs.length) throw new ValidationError(erreurs);
  const valeur = PREFIXE_JETON + secret();
  const creeLe = ctx.now();
  const jeton: Jeton = {
    id: randomUUID(),
    prefixe: valeur.slice(0, PREFIXE_JETON.length + 6),
    nom,
    role,
    organisationSiret: siret,
    produits,
    creePar: acteur.id,
    creeLe,
    expireLe: new Date(creeLe.getTime() + jours * 86_400_000),
    revoqueLe: null,
    utiliseLe: null,
  };
  const sujet = {
    conventionId: null,
    objetType: 'jeton',
    objetId: jeton.id,
    action: 'creation',
    changements: [
      { champ: 'role', avant: null, apres: role },
      { champ: 'organisationSiret', avant: null, apres: siret },
      { champ: 'expireLe', avant: null, apres: jeton.expireLe.toISOString() },
    ],
    commentaire: `${nom} (${jeton.prefixe}…)`,
  };
  await ctx.db
    .transaction()
    .execute((trx) =>
      ecrireAvecJournal(trx, acteur, creeLe, sujet, (e) => stockage.insererJeton(e, { ...jeton, hash: hash(valeur) })),
    );
  return { jeton, valeur };
}

export async function listerJetons(ctx: Contexte, acteur: Acteur): Promise<Jeton[]> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  return stockage.listerJetons(ctx.db);
}

export async function revoquerJeton(ctx: Contexte, acteur: Acteur, id: string): Promise<void> {
  if (!peutAdministrer(acteur)) throw new ForbiddenError();
  await ctx.db.transaction().execute(async (trx) => {
    const j = await stockage.verrouillerJeton(trx, id);
    if (!j) throw new NotFoundError('Jeton', id);
    if (j.revoqueLe) return;
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      { conventionId: null, objetType: 'jeton', objetId: id, action: 'revocation' },
      (e) => stockage.modifierRevocationJeton(e, id),
    );
  });
}

/** The program behind a bearer token; a stable code says why a token is refused. */
export async function acteurDeJeton(ctx: Contexte, valeur: string): Promise<Acteur> {
  return (await identifierJeton(ctx, valeur, null)).acteur;
}

/**
 * The token's actor and, with `porteeDe`, that convention's access scope, read in one statement: the
 * request's authentication and its access rule cost one round trip.
 */
export async function identifierJeton(
  ctx: Contexte,
  valeur: string,
  porteeDe: string | null,
): Promise<{ acteur: Acteur; portee: PorteeConvention | null }> {
  const lu = valeur.startsWith(PREFIXE_JETON)
    ? await stockage.lireJetonParEmpreinte(ctx.db, hash(valeur), porteeDe)
    : null;
  const maintenant = ctx.now();
  if (!lu) throw new DomainError('JETON_INVALIDE', 'Jeton d’accès inconnu.');
  const j = lu.jeton;
  const etat = etatJeton(j, maintenant);
  if (etat === 'revoque') throw new DomainError('JETON_REVOQUE', 'Ce jeton d’accès a été révoqué.');
  if (etat === 'expire') throw new DomainError('JETON_EXPIRE', 'Ce jeton d’accès a expiré.');
  // last use to the minute: no write on most calls
  if (!j.utiliseLe || maintenant.getTime() - j.utiliseLe.getTime() >= 60_000)
    await stockage.modifierUsageJeton(ctx.db, j.id, maintenant);
  return {
    acteur: {
      id: `jeton:${j.id}`,
      nom: `Jeton « ${j.nom} »`,
      role: j.role,
      organisationSiret: j.organisationSiret,
      produits: j.produits,
    },
    portee: lu.portee,
  };
}

// Calendar feeds

const PREFIXE_AGENDA = 'agd_';
const FORME_AGENDA = /^agd_[A-Za-z0-9_-]{43}$/;

/** The logged-in agent's own account: who they are, and their calendar feed if they have one. */
export async function lireCompte(ctx: Contexte, acteur: Acteur): Promise<{ agent: Agent; agenda: Agenda | null }> {
  const [agent, agenda] = await Promise.all([
    stockage.lireAgent(ctx.db, acteur.id),
    stockage.lireAgenda(ctx.db, acteur.id),
  ]);
  if (!agent) throw new NotFoundError('Agent', acteur.id);
  return { agent, agenda };
}

/**
 * Creates the agent's calendar feed, or replaces its secret: the former address stops answering at once. The
 * new secret is returned to be shown once; only its hash is stored.
 */
export async function creerAgenda(ctx: Contexte, acteur: Acteur): Promise<{ agenda: Agenda; valeur: string }> {
  if (!(await stockage.lireAgent(ctx.db, acteur.id))) throw new NotFoundError('Agent', acteur.id);
  const valeur = PREFIXE_AGENDA + secret();
  const prefixe = valeur.slice(0, PREFIXE_AGENDA.length + 6);
  const le = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await stockage.verrouillerAgenda(trx, acteur.id);
    const sujet = {
      conventionId: null,
      objetType: 'agenda',
      objetId: acteur.id,
      action: 'creation',
      changements: [{ champ: 'prefixe', avant: avant ? avant.prefixe : null, apres: prefixe }],
      commentaire: avant ? `Adresse de l’agenda remplacée (${prefixe}…)` : `Adresse de l’agenda créée (${prefixe}…)`,
    };
    await ecrireAvecJournal(trx, acteur, le, sujet, (e) =>
      stockage.modifierAgenda(e, { agentId: acteur.id, hash: hash(valeur), prefixe }),
    );
  });
  return { agenda: { agentId: acteur.id, prefixe, creeLe: le }, valeur };
}

/** Revokes the agent's calendar feed: its address answers 404 from now on. Nothing to revoke is no error. */
export async function revoquerAgenda(ctx: Contexte, acteur: Acteur): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const avant = await stockage.verrouillerAgenda(trx, acteur.id);
    if (!avant) return;
    const sujet = {
      conventionId: null,
      objetType: 'agenda',
      objetId: acteur.id,
      action: 'revocation',
      changements: [{ champ: 'prefixe', avant: avant.prefixe, apres: null }],
      commentaire: `Adresse de l’agenda révoquée (${avant.prefixe}…)`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => stockage.supprimerAgenda(e, acteur.id));
  });
}

/**
 * The agent a calendar feed's secret belongs to, as that agent acts today; an unknown, revoked or replaced
 * secret, or a disabled agent, is not found. Reads only: fetching a feed writes nothing.
 */
export async function acteurDeAgenda(ctx: Contexte, valeur: string): Promise<Acteur> {
  const agent = FORME_AGENDA.test(valeur) ? await stockage.lireAgentParAgenda(ctx.db, hash(valeur)) : null;
  if (!agent || !agent.actif) throw new NotFoundError('Agenda', valeur.slice(0, PREFIXE_AGENDA.length + 6));
  return acteurDeAgent(agent);
}
