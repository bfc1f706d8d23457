import type { Context, Hono, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import {
  peutDeciderCredits,
  peutDeroger,
  peutGererCredits,
  peutLireConvention,
  peutLireCredits,
  peutModifierConvention,
  peutProposerEngagement,
  type Acteur,
  type PorteeConvention,
  type Role,
} from '../domain/acces.js';
import { DomainError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { peutCloturer } from '../domain/exercice.js';
import type { Contexte } from '../usecases/contexte.js';
import { lirePorteeConvention } from '../usecases/convention.js';
import type { Env } from './auth.js';

/** What a route needs from the convention named by its `:id`. */
export type Droit = 'lire' | 'modifier' | 'lireCredits' | 'proposer' | 'credits' | 'decider' | 'deroger' | 'cloturer';

export type Regle =
  /** anyone, logged in or not */
  | { quiconque: true }
  /** any logged-in agent or token */
  | { connecte: true }
  | { roles: readonly Role[] }
  | { convention: Droit };

const quiconque: Regle = { quiconque: true };
const connecte: Regle = { connecte: true };
const roles = (...r: Role[]): Regle => ({ roles: r });
const convention = (d: Droit): Regle => ({ convention: d });
const BUDGET = roles('administrateur', 'gestionnaire');
const ADMIN = roles('administrateur');
/** the délégant's budget officers and administrators; the use case checks each convention */
const DELEGANT = roles('administrateur', 'gestionnaire', 'partenaire');

/**
 * The access rule of every route, keyed `METHOD path` as the router knows it. A route missing here stops
 * the application at start-up, and the authorisation matrix test lists each one against every role.
 */
export const REGLES: Record<string, Regle> = {
  'GET /': quiconque,
  // legal pages and site map (routes/site.tsx)
  'GET /mentions-legales': quiconque,
  'GET /donnees-personnelles': quiconque,
  'GET /cookies': quiconque,
  'GET /accessibilite': quiconque,
  'GET /plan-du-site': quiconque,
  // conventions (routes/convention.tsx)
  'GET /conventions': quiconque,
  'GET /conventions/nouvelle': BUDGET,
  'POST /conventions': BUDGET,
  'GET /conventions/:id': convention('lire'),
  // its dated events as a calendar file: whoever reads the convention, each seeing what they may (use case)
  'GET /conventions/:id/agenda.ics': convention('lire'),
  'GET /conventions/:id/modifier': convention('modifier'),
  'POST /conventions/:id/modifier': convention('modifier'),
  // a convention's life (routes/convention-cycle.tsx); a party's agent signs and gives notice for its own party
  'POST /conventions/:id/envoi-signature': convention('modifier'),
  'POST /conventions/:id/retour-brouillon': convention('modifier'),
  'POST /conventions/:id/signature': convention('lireCredits'),
  'POST /conventions/:id/reprise': convention('deroger'),
  'POST /conventions/:id/resiliation': convention('lireCredits'),
  'POST /conventions/:id/resiliation/retrait': convention('modifier'),
  'POST /conventions/:id/cloture': convention('modifier'),
  // the « publiée » decision (routes/publication.tsx): the DINUM's budget roles
  'POST /conventions/:id/publication': convention('decider'),
  'POST /conventions/:id/publication/retrait': convention('decider'),
  // the public pages of the published conventions and their budgets: the use cases show only those
  'GET /publications': quiconque,
  'GET /publications/conventions/:id': quiconque,
  'GET /publications/produits/:produit': quiconque,
  // open data (routes/donnees.tsx): the published conventions only
  'GET /donnees/conventions.csv': quiconque,
  'GET /donnees/credits-annuels.csv': quiconque,
  'GET /donnees/conventions.schema.json': quiconque,
  'GET /donnees/credits-annuels.schema.json': quiconque,
  // their pushes to data.gouv.fr, and one asked for now
  'GET /donnees/publication': BUDGET,
  'POST /donnees/publication': BUDGET,
  'GET /api/v1/donnees/publications': BUDGET,
  'POST /api/v1/donnees/publication': BUDGET,
  // the end-of-term report (routes/rapport.tsx): the délégataire writes and sends it, the DINUM reviews it
  'GET /conventions/:id/rapport': convention('lireCredits'),
  'POST /conventions/:id/rapport': convention('credits'),
  'POST /conventions/:id/rapport/relecture': convention('decider'),
  'POST /conventions/:id/rapport/envoi': convention('credits'),
  'GET /conventions/:id/pieces/:piece': convention('lireCredits'),
  'POST /conventions/:id/avenants/:numero/signature': convention('lireCredits'),
  'POST /conventions/:id/avenants/:numero/copies': convention('modifier'),
  'GET /conventions/:id/avenants/nouveau': convention('modifier'),
  'POST /conventions/:id/avenants': convention('modifier'),
  // credits of a convention and the decisions on them (routes/credit.tsx)
  'GET /conventions/:id/credits': convention('lireCredits'),
  'POST /conventions/:id/credits/tranches': convention('decider'),
  'POST /conventions/:id/credits/report': convention('decider'),
  'POST /conventions/:id/credits/restitution': convention('decider'),
  'POST /conventions/:id/credits/disponibilite': convention('deroger'),
  'POST /conventions/:id/credits/suspension': convention('deroger'),
  // orders and their movements (routes/engagement.tsx)
  'GET /conventions/:id/credits/engagements.csv': convention('lireCredits'),
  'GET /conventions/:id/credits/engagements.xlsx': convention('lireCredits'),
  'POST /conventions/:id/credits/engagements': convention('credits'),
  'GET /conventions/:id/credits/engagements/:eid': convention('lireCredits'),
  'POST /conventions/:id/credits/engagements/:eid/service-fait': convention('credits'),
  'POST /conventions/:id/credits/engagements/:eid/paiement': convention('credits'),
  'POST /conventions/:id/credits/engagements/:eid/solde': convention('credits'),
  'POST /conventions/:id/credits/engagements/:eid/annulation': convention('credits'),
  // proposals (routes/proposition.tsx)
  'POST /conventions/:id/credits/propositions': convention('proposer'),
  'POST /conventions/:id/credits/propositions/:pid/validation': convention('credits'),
  'POST /conventions/:id/credits/propositions/:pid/refus': convention('credits'),
  // portfolio (routes/portefeuille.tsx)
  'GET /credits': connecte,
  'GET /credits/portefeuille.csv': connecte,
  'GET /credits/portefeuille.xlsx': connecte,
  // alerts (routes/alerte.tsx)
  'GET /credits/alertes': connecte,
  'POST /credits/alertes/:aid/traitement': BUDGET,
  // year-end calendar (routes/calendrier.tsx)
  'GET /credits/calendrier': connecte,
  'POST /credits/calendrier': ADMIN,
  // year-end closing (routes/exercice.tsx)
  'GET /exercices/:annee': connecte,
  'POST /exercices/:annee/cloture': DELEGANT,
  'POST /exercices/:annee/calendrier': ADMIN,
  'GET /conventions/:id/exercices/:annee/bilan': convention('lireCredits'),
  'POST /conventions/:id/exercices/:annee/accord-report': convention('cloturer'),
  // insufficiency cases (routes/insuffisance.tsx)
  'GET /conventions/:id/insuffisances': convention('lireCredits'),
  'POST /conventions/:id/insuffisances/:cas/information': convention('credits'),
  'POST /conventions/:id/insuffisances/:cas/reponse': convention('cloturer'),
  'GET /insuffisances': connecte,
  'POST /insuffisances/delai': ADMIN,
  // governance (routes/gouvernance.tsx, comite.tsx, obligation.tsx); the use cases check who completes which obligation
  'GET /conventions/:id/gouvernance': convention('lireCredits'),
  'POST /conventions/:id/comites': convention('proposer'),
  'POST /conventions/:id/comites/:cid/decision': convention('decider'),
  'POST /conventions/:id/comites/:cid/compte-rendu': convention('decider'),
  'POST /conventions/:id/obligations/:oid': convention('lireCredits'),
  'POST /conventions/:id/obligations': convention('lireCredits'),
  // FAST promotions (routes/promotion.tsx): the FAST team
  'GET /fast/promotions': BUDGET,
  'POST /fast/promotions': BUDGET,
  'POST /fast/enveloppes/:id': convention('decider'),
  'POST /conventions/:id/enveloppe': convention('credits'),
  // imported documents (routes/document.tsx)
  'GET /imports': BUDGET,
  'POST /imports': BUDGET,
  // the progress of a long reading: the use case shows it to the agent who sent the files only
  'GET /imports/lectures/:id': BUDGET,
  'GET /imports/:id': BUDGET,
  'GET /imports/:id/original': BUDGET,
  'POST /imports/:id/accepter': BUDGET,
  'POST /imports/:id/ecarter': BUDGET,
  // login (routes/acces.tsx)
  'GET /connexion': quiconque,
  'POST /connexion/demo': quiconque,
  'POST /connexion/proconnect': quiconque,
  'GET /connexion/retour': quiconque,
  'POST /deconnexion': quiconque,
  // the agent's own account and calendar feed (routes/compte.tsx); the feed is read with its secret, no session
  'GET /compte': connecte,
  'POST /compte/agenda': connecte,
  'POST /compte/agenda/revocation': connecte,
  'POST /compte/notifications': connecte,
  'GET /agenda/:jeton': quiconque,
  // administration (routes/admin.tsx)
  'GET /admin': ADMIN,
  'GET /admin/agents': ADMIN,
  'GET /admin/agents/:aid': ADMIN,
  'POST /admin/agents/:aid': ADMIN,
  'GET /admin/jetons': ADMIN,
  'POST /admin/jetons': ADMIN,
  'POST /admin/jetons/:jid/revocation': ADMIN,
  'GET /admin/envois': ADMIN,
  // API
  'GET /api/v1/openapi.json': quiconque,
  'GET /api/v1/moi': quiconque,
  // API: « À faire » (api/a-faire.ts), for every role within its scope
  'GET /api/v1/a-faire': connecte,
  // API: convention (api/convention.ts)
  'GET /api/v1/conventions': quiconque,
  'POST /api/v1/conventions': BUDGET,
  'GET /api/v1/conventions/:id': convention('lire'),
  'PUT /api/v1/conventions/:id': convention('modifier'),
  'GET /api/v1/conventions/:id/journal': convention('lireCredits'),
  'GET /api/v1/conventions/:id/agenda.ics': convention('lire'),
  // API: a convention's life (api/convention-cycle.ts); signing and giving notice: a party's agent for its own party
  'GET /api/v1/conventions/:id/cycle': convention('lireCredits'),
  'GET /api/v1/conventions/:id/pieces/:piece': convention('lireCredits'),
  'POST /api/v1/conventions/:id/envoi-signature': convention('modifier'),
  'POST /api/v1/conventions/:id/retour-brouillon': convention('modifier'),
  'POST /api/v1/conventions/:id/signature': convention('lireCredits'),
  'POST /api/v1/conventions/:id/reprise': convention('deroger'),
  'POST /api/v1/conventions/:id/resiliation': convention('lireCredits'),
  'POST /api/v1/conventions/:id/resiliation/retrait': convention('modifier'),
  'POST /api/v1/conventions/:id/cloture': convention('modifier'),
  // API: publication (api/publication.ts): the DINUM's budget roles
  'POST /api/v1/conventions/:id/publication': convention('decider'),
  'DELETE /api/v1/conventions/:id/publication': convention('decider'),
  'GET /api/v1/conventions/:id/rapport': convention('lireCredits'),
  'PUT /api/v1/conventions/:id/rapport': convention('credits'),
  'POST /api/v1/conventions/:id/rapport/relecture': convention('decider'),
  'POST /api/v1/conventions/:id/rapport/envoi': convention('credits'),
  // the convention's generated text: whoever may read the convention
  'GET /api/v1/conventions/:id/document': convention('lire'),
  'GET /api/v1/conventions/:id/avenants/:numero/document': convention('lire'),
  'GET /api/v1/conventions/:id/rapport.docx': convention('lireCredits'),
  'GET /api/v1/conventions/:id/rapport.pdf': convention('lireCredits'),
  // API: avenant (api/avenant.ts); the public reads the signed ones of a published convention
  'GET /api/v1/conventions/:id/avenants': convention('lire'),
  'POST /api/v1/conventions/:id/avenants': convention('modifier'),
  'GET /api/v1/conventions/:id/avenants/:numero': convention('lire'),
  'POST /api/v1/conventions/:id/avenants/:numero/signature': convention('lireCredits'),
  'POST /api/v1/conventions/:id/avenants/:numero/copies': convention('modifier'),
  // API: credit (api/credit.ts)
  'GET /api/v1/conventions/:id/credits': convention('lireCredits'),
  'POST /api/v1/conventions/:id/credits/tranches/:rang/liberation': convention('decider'),
  'POST /api/v1/conventions/:id/credits/reports': convention('decider'),
  'POST /api/v1/conventions/:id/credits/restitutions': convention('decider'),
  'POST /api/v1/conventions/:id/credits/disponibilites': convention('deroger'),
  'POST /api/v1/conventions/:id/suspension': convention('deroger'),
  // API: engagement (api/engagement.ts)
  'GET /api/v1/conventions/:id/engagements': convention('lireCredits'),
  'POST /api/v1/conventions/:id/engagements': convention('credits'),
  'GET /api/v1/conventions/:id/engagements/:eid': convention('lireCredits'),
  'POST /api/v1/conventions/:id/engagements/:eid/services-faits': convention('credits'),
  'POST /api/v1/conventions/:id/engagements/:eid/paiements': convention('credits'),
  'POST /api/v1/conventions/:id/engagements/:eid/solde': convention('credits'),
  'POST /api/v1/conventions/:id/engagements/:eid/annulation': convention('credits'),
  // API: proposition (api/proposition.ts)
  'GET /api/v1/conventions/:id/propositions': convention('lireCredits'),
  'POST /api/v1/conventions/:id/propositions': convention('proposer'),
  'POST /api/v1/conventions/:id/propositions/:pid/validation': convention('credits'),
  'POST /api/v1/conventions/:id/propositions/:pid/refus': convention('credits'),
  // API: portefeuille (api/portefeuille.ts)
  'GET /api/v1/credits': connecte,
  // API: alerte (api/alerte.ts)
  'GET /api/v1/credits/alertes': connecte,
  'POST /api/v1/credits/alertes/:aid/traitement': BUDGET,
  // API: calendrier (api/calendrier.ts)
  'GET /api/v1/parametres/calendrier': connecte,
  'PUT /api/v1/parametres/calendrier': ADMIN,
  // API: exercice (api/exercice.ts)
  'GET /api/v1/exercices/:annee': connecte,
  'POST /api/v1/exercices/:annee/cloture': DELEGANT,
  'GET /api/v1/exercices/:annee/calendrier': connecte,
  'PUT /api/v1/exercices/:annee/calendrier': ADMIN,
  'POST /api/v1/conventions/:id/exercices/:annee/accord-report': convention('cloturer'),
  'GET /api/v1/conventions/:id/exercices/:annee/bilan': convention('lireCredits'),
  'GET /api/v1/conventions/:id/exercices/:annee/bilan.csv': convention('lireCredits'),
  'GET /api/v1/conventions/:id/exercices/:annee/bilan.xlsx': convention('lireCredits'),
  'GET /api/v1/conventions/:id/exercices/:annee/bilan.pdf': convention('lireCredits'),
  // API: insuffisance (api/insuffisance.ts); the use cases check each step's party
  'GET /api/v1/conventions/:id/insuffisances': convention('lireCredits'),
  'POST /api/v1/conventions/:id/insuffisances/:cas/information': convention('credits'),
  'POST /api/v1/conventions/:id/insuffisances/:cas/reponse': convention('cloturer'),
  'GET /api/v1/insuffisances': connecte,
  'GET /api/v1/parametres/insuffisance': connecte,
  'PUT /api/v1/parametres/insuffisance': ADMIN,
  // API: comite (api/comite.ts); the product team prepares its committee, the DINUM's budget roles record the decision
  'GET /api/v1/conventions/:id/comites': convention('lireCredits'),
  'GET /api/v1/conventions/:id/comites/prochain': convention('lireCredits'),
  'POST /api/v1/conventions/:id/comites': convention('proposer'),
  'POST /api/v1/conventions/:id/comites/:cid/decision': convention('decider'),
  'POST /api/v1/conventions/:id/comites/:cid/compte-rendu': convention('decider'),
  // API: obligation (api/obligation.ts); a partner completes its own party's, the use case checks which
  'GET /api/v1/conventions/:id/obligations': convention('lireCredits'),
  'PUT /api/v1/conventions/:id/obligations': convention('lireCredits'),
  'POST /api/v1/conventions/:id/obligations/:oid/preuve': convention('lireCredits'),
  // API: promotion (api/promotion.ts); the FAST team; the partner délégataire declares its envelope
  'GET /api/v1/fast/promotions': BUDGET,
  'POST /api/v1/fast/promotions': BUDGET,
  'GET /api/v1/conventions/:id/enveloppe': convention('lireCredits'),
  'POST /api/v1/conventions/:id/enveloppe': convention('credits'),
  'POST /api/v1/conventions/:id/enveloppe/preuve': convention('credits'),
};

const PREDICATS: Record<Exclude<Droit, 'lire'>, (a: Acteur, c: Parameters<typeof peutLireConvention>[1]) => boolean> = {
  modifier: peutModifierConvention,
  lireCredits: peutLireCredits,
  proposer: peutProposerEngagement,
  credits: peutGererCredits,
  decider: (a) => peutDeciderCredits(a),
  deroger: (a) => peutDeroger(a),
  cloturer: (a, c) => peutCloturer(a, c),
};

export type Verdict = 'autorise' | 'connexion' | 'interdit' | 'introuvable';

/** Applies a rule; the convention is read only when the rule depends on it. */
async function juger(
  ctx: Contexte,
  regle: Regle,
  acteur: Acteur,
  params: Record<string, string>,
  lue?: { id: string; valeur: PorteeConvention | null },
): Promise<Verdict> {
  const anonyme = acteur.role === 'public';
  if ('quiconque' in regle) return 'autorise';
  if ('connecte' in regle) return anonyme ? 'connexion' : 'autorise';
  if ('roles' in regle) return regle.roles.includes(acteur.role) ? 'autorise' : anonyme ? 'connexion' : 'interdit';
  const id = params.id ?? '';
  const c = lue?.id === id ? lue.valeur : await lirePorteeConvention(ctx, id);
  if (regle.convention === 'lire') return c && peutLireConvention(acteur, c) ? 'autorise' : 'introuvable';
  if (anonyme) return 'connexion';
  if (!c || !peutLireConvention(acteur, c)) return 'introuvable';
  return PREDICATS[regle.convention](acteur, c) ? 'autorise' : 'interdit';
}

/** Values of the `:name` segments of `pattern` in `path`. */
function paramsDe(pattern: string, path: string): Record<string, string> {
  const p = pattern.split('/');
  const s = path.split('/');
  const out: Record<string, string> = {};
  p.forEach((seg, i) => {
    if (seg.startsWith(':') && s[i] !== undefined) out[seg.slice(1)] = decodeURIComponent(s[i]!);
  });
  return out;
}

const cleRoute = (method: string, path: string) => `${method} ${path}`;

/** The routes that answer requests (not the middleware). */
export function routesDe(app: Hono<Env>): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => cleRoute(r.method, r.path)))];
}

/** Refuses to build an app whose route table and rule table disagree. */
export function verifierRegles(app: Hono<Env>, regles: Record<string, Regle> = REGLES): void {
  const routes = routesDe(app);
  const sansRegle = routes.filter((r) => !(r in regles));
  const sansRoute = Object.keys(regles).filter((k) => !routes.includes(k));
  if (sansRegle.length || sansRoute.length) {
    throw new Error(
      [
        sansRegle.length ? `Routes sans règle d’accès : ${sansRegle.join(', ')}` : '',
        sansRoute.length ? `Règles sans route : ${sansRoute.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('. '),
    );
  }
}

/**
 * Checks the rule of the route that will answer, before its handler runs. Use cases check again with the
 * same domain predicates: this gate makes sure no route is left open by omission.
 */
/**
 * The convention whose scope the matched route's rule reads (its `:id`), so that the actor's lookup brings
 * it along; null when the rule needs none.
 */
export function conventionDeLaRegle(regles: Record<string, Regle> = REGLES): (c: Context<Env>) => string | null {
  return (c) => {
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
    const regle = route && regles[cleRoute(route.method, route.path)];
    if (!route || !regle || !('convention' in regle)) return null;
    return paramsDe(route.path, c.req.path).id ?? null;
  };
}

export function autorisation(ctx: Contexte, regles: Record<string, Regle> = REGLES): MiddlewareHandler<Env> {
  return async (c, next) => {
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
    if (!route) return next();
    const regle = regles[cleRoute(route.method, route.path)];
    if (!regle) throw new ForbiddenError();
    const verdict = await juger(ctx, regle, c.var.acteur, paramsDe(route.path, c.req.path), c.var.portee);
    if (verdict === 'autorise') return next();
    if (verdict === 'introuvable') throw new NotFoundError('Ressource', c.req.path);
    if (verdict === 'interdit') throw new ForbiddenError();
    if (!c.req.path.startsWith('/api/') && c.req.method === 'GET') {
      const retour = c.req.path + (new URL(c.req.url).search || '');
      return c.redirect(`/connexion?retour=${encodeURIComponent(retour)}`, 303);
    }
    throw new DomainError('NON_AUTHENTIFIE', 'Connectez-vous pour accéder à cette page.');
  };
}
