import { estSignee, type ConventionSaisie, type Partie } from './convention.js';
import { normaliserRecherche } from './convention-liste.js';

/** Roles of the people and programs that act on the data. */
export type Role = 'administrateur' | 'gestionnaire' | 'partenaire' | 'equipe' | 'public';
export const ROLES: readonly Role[] = ['administrateur', 'gestionnaire', 'partenaire', 'equipe', 'public'];

export const LIBELLES_ROLES: Record<Role, string> = {
  administrateur: 'Administrateur',
  gestionnaire: 'Gestionnaire budgétaire DINUM',
  partenaire: 'Partenaire',
  equipe: 'Équipe produit',
  public: 'Public',
};

/** Who acts. Every use case receives one; the journal records it. */
export interface Acteur {
  id: string;
  nom: string;
  role: Role;
  /** SIRET of the agent's organisation (partners, product teams) */
  organisationSiret: string | null;
  /** products the agent works on (product teams) */
  produits: string[];
}

/** An agent as known to the application: ProConnect identity, organisation and the role an administrator gave. */
export interface Agent {
  id: string;
  idpId: string;
  sub: string;
  email: string;
  prenom: string;
  nom: string;
  organisationSiret: string | null;
  role: Exclude<Role, 'public'>;
  produits: string[];
  actif: boolean;
  creeLe: Date;
  derniereConnexion: Date | null;
}

/** An agent before it first logs in (or a demonstration one): no state yet. */
export type NouvelAgent = Omit<Agent, 'actif' | 'creeLe' | 'derniereConnexion'>;

/** An API token as shown to administrators: never its secret, only its prefix. */
export interface Jeton {
  id: string;
  prefixe: string;
  nom: string;
  role: Role;
  organisationSiret: string | null;
  produits: string[];
  creePar: string;
  creeLe: Date;
  expireLe: Date;
  revoqueLe: Date | null;
  utiliseLe: Date | null;
}

/** An agent's personal calendar feed: its secret is shown once, at creation, and only its hash is kept. */
export interface Agenda {
  agentId: string;
  /** the first characters of the secret, to recognise it */
  prefixe: string;
  creeLe: Date;
}

export const ACTEUR_PUBLIC: Acteur = {
  id: 'public',
  nom: 'Public',
  role: 'public',
  organisationSiret: null,
  produits: [],
};

export const ACTEUR_SYSTEME: Acteur = {
  id: 'systeme',
  nom: 'Système',
  role: 'administrateur',
  organisationSiret: null,
  produits: [],
};

/** What the access rules read of a convention: who its parties are, what it funds, whether it is published. */
export type PorteeConvention = Pick<ConventionSaisie, 'produits' | 'publiee' | 'statut' | 'roleDinum'> & {
  delegant: Pick<Partie, 'siret'>;
  delegataire: Pick<Partie, 'siret'>;
};
type Cible = PorteeConvention;

function estPartie(a: Acteur, c: Cible): boolean {
  return (
    a.organisationSiret !== null &&
    (c.delegant.siret === a.organisationSiret || c.delegataire.siret === a.organisationSiret)
  );
}

/**
 * The one form in which product names are compared, by the access rule, the lists' SQL scope (a copy
 * written with the convention) and the orders: without case or accents, spaces collapsed and trimmed,
 * ligatures, apostrophes and dashes made plain, as the register's search reads them; then NFC, so that
 * two spellings of one name are one string. « Mon Suivi Justice » and « mon  suivi justicé » are one product.
 */
export function nomProduitNormalise(nom: string): string {
  return normaliserRecherche(nom.normalize('NFC')).normalize('NFC');
}

function financeSonProduit(a: Acteur, c: Cible): boolean {
  const mine = new Set(a.produits.map(nomProduitNormalise));
  return c.produits.some((p) => mine.has(nomProduitNormalise(p)));
}

export function peutLireConvention(a: Acteur, c: Cible): boolean {
  switch (a.role) {
    case 'administrateur':
    case 'gestionnaire':
      return true;
    case 'partenaire':
      return estPartie(a, c);
    case 'equipe':
      return financeSonProduit(a, c) || estPartie(a, c);
    case 'public':
      return c.publiee && estSignee(c.statut);
  }
}

export function peutCreerConvention(a: Acteur): boolean {
  return a.role === 'administrateur' || a.role === 'gestionnaire';
}

export function peutModifierConvention(a: Acteur, _c: Cible): boolean {
  return a.role === 'administrateur' || a.role === 'gestionnaire';
}

/**
 * Orders, certified work and payments: the délégataire is the ordonnateur of the délégant's credits, so a
 * partner acts only on conventions where its organisation is the délégataire.
 */
export function peutGererCredits(a: Acteur, c: Cible): boolean {
  if (a.role === 'administrateur' || a.role === 'gestionnaire') return true;
  return a.role === 'partenaire' && a.organisationSiret !== null && c.delegataire.siret === a.organisationSiret;
}

/** Preparing an order for the ordonnateur's approval: the product teams the convention funds, and whoever may order. */
export function peutProposerEngagement(a: Acteur, c: Cible): boolean {
  return peutGererCredits(a, c) || (a.role === 'equipe' && peutLireConvention(a, c));
}

/**
 * SQL-side scope of a list: what the repository must restrict to. Mirrors `peutLireConvention`;
 * the authorisation matrix test checks both agree.
 */
export type Perimetre =
  | { tout: true }
  /** `produits`: the actor's product names, already in their compared form (`nomProduitNormalise`) */
  | { tout: false; siret: string | null; produits: string[]; publiees: boolean };

export function perimetre(a: Acteur): Perimetre {
  switch (a.role) {
    case 'administrateur':
    case 'gestionnaire':
      return { tout: true };
    case 'partenaire':
      return { tout: false, siret: a.organisationSiret, produits: [], publiees: false };
    case 'equipe':
      return {
        tout: false,
        siret: a.organisationSiret,
        produits: a.produits.map(nomProduitNormalise),
        publiees: false,
      };
    case 'public':
      return { tout: false, siret: null, produits: [], publiees: true };
  }
}

/** Credit figures of a convention: anyone who may read it, except the public (budgets are published apart). */
export function peutLireCredits(a: Acteur, c: Cible): boolean {
  return a.role !== 'public' && peutLireConvention(a, c);
}

/** Releasing a tranche, carrying credits over, returning them to the délégant: the DINUM's budget roles. */
export function peutDeciderCredits(a: Acteur): boolean {
  return a.role === 'administrateur' || a.role === 'gestionnaire';
}

/** Recording an availability other than the schedule, overriding a year-end cut-off, editing the calendar, suspending for lack of credits. */
export function peutDeroger(a: Acteur): boolean {
  return a.role === 'administrateur';
}

/** Managing agents, their roles and the API tokens. */
export function peutAdministrer(a: Acteur): boolean {
  return a.role === 'administrateur';
}

/** A session ends after this long without a request, and in any case after `maxMs`. */
export const DUREES_SESSION = { inactiviteMs: 2 * 3600_000, maxMs: 12 * 3600_000 };

export function sessionValide(
  s: { creeLe: Date; vuLe: Date; expireLe: Date },
  maintenant: Date,
  d = DUREES_SESSION,
): boolean {
  const t = maintenant.getTime();
  return t < s.expireLe.getTime() && t - s.vuLe.getTime() < d.inactiviteMs && t - s.creeLe.getTime() < d.maxMs;
}

export type EtatJeton = 'valide' | 'expire' | 'revoque';

export function etatJeton(j: { expireLe: Date; revoqueLe: Date | null }, maintenant: Date): EtatJeton {
  if (j.revoqueLe) return 'revoque';
  return maintenant.getTime() < j.expireLe.getTime() ? 'valide' : 'expire';
}

/** Token lifetimes an administrator may choose, in days. */
export const EXPIRATION_JETON_JOURS = { defaut: 90, max: 366 };

/**
 * Role of an agent seen for the first time. Safe by default: a partner sees only the conventions its
 * organisation signed. The addresses listed by configuration start as administrators, so that the first
 * administrator exists without touching the database.
 */
export function roleInitial(email: string, administrateurs: readonly string[]): Exclude<Role, 'public'> {
  return administrateurs.some((x) => x.toLowerCase() === email.toLowerCase()) ? 'administrateur' : 'partenaire';
}
