import { insererOuJoindreInsuffisance } from '../../src/storage/insuffisance.js';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, formulaires, SECRET, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { seed } from '../support/contract.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { SIRET_JUSTICE } from '../../src/demo/conventions.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { REGLES, routesDe, verifierRegles } from '../../src/web/regles.js';
import { createApp } from '../../src/web/app.js';
import { creerAgenda, creerJeton, ouvrirSession } from '../../src/usecases/acces.js';
import { creerAgentDemo } from '../../src/usecases/acces.js';
import { lireFichiers } from '../../src/usecases/document-lecture.js';
import { ecrireAvecJournal } from '../../src/storage/journal.js';
import { insererProposition } from '../../src/storage/proposition.js';
import { insererPiece } from '../../src/storage/convention-cycle.js';
import { insererComite } from '../../src/storage/comite.js';
import { analyser } from '../../src/importer/analyse.js';
import { versSaisie } from '../../src/importer/saisie.js';
import { champsDepuisConvention } from '../../src/web/form.js';
import { randomUUID } from 'node:crypto';
import { demarrerProConnect, type FauxProConnect } from '../support/oidc.js';

/**
 * The authorisation matrix: every route of the application × every profile × a convention where the
 * partner's organisation is délégant (Mon Suivi Justice, also the product team's) and one where it is
 * délégataire (seLEXpert). The expected answers are written here, apart from the application's rule table,
 * as a budget office would state them.
 *
 * Every request carries a valid body, so that an allowed one gets past the input checks to the use case:
 * its answer is then a success or a refusal by a business rule (409), never an invalid input.
 *
 * One letter per profile, in the order of PROFILS:
 *   + the request reaches its use case (a success, or a refusal by a business rule)
 *   F refused: 403
 *   N hidden: 404, the convention is not theirs to see
 *   L login required: 303 to the login page for a page, 401 for the API or a form
 * Two letters are never expected: V, the input was refused (400) before any rule was applied, and
 * X, a server error (5xx).
 */
const PROFILS = [
  'demo-admin',
  'demo-gestionnaire',
  'demo-partenaire-justice',
  'demo-partenaire-sociaux',
  'demo-equipe',
  null,
] as const;
const NOMS = [
  'administrateur',
  'gestionnaire',
  'partenaire (Justice)',
  'partenaire (ministères sociaux)',
  'équipe produit',
  'public',
];

type Ligne = string | { MSJ: string; SELEX: string };

const TOUS = '++++++';
const CONNECTES = '+++++L';
const BUDGET = '++FFFL';
const ADMIN = '+FFFFL';
// on a convention: Justice is délégant of Mon Suivi Justice, délégataire of seLEXpert; both are published
const LIRE = { MSJ: '+++N++', SELEX: '+++NN+' };
const MODIFIER = { MSJ: '++FNFL', SELEX: '++FNNL' };
const LIRE_CREDITS = { MSJ: '+++N+L', SELEX: '+++NNL' };
/** orders, certified work, payments: the délégataire is the ordonnateur */
const ORDONNER = { MSJ: '++FNFL', SELEX: '+++NNL' };
/** preparing an order for approval: also the product team the convention funds */
const PROPOSER = { MSJ: '++FN+L', SELEX: '+++NNL' };
/** tranches, carry-over, return of credits: DINUM's budget roles */
const DECIDER = { MSJ: '++FNFL', SELEX: '++FNNL' };
/** availability off the schedule, suspension: administrators */
const DEROGER = { MSJ: '+FFNFL', SELEX: '+FFNNL' };
/** closing a year, agreeing to a carry-over: the délégant (Justice for Mon Suivi Justice, the DINUM for seLEXpert) */
const CLOTURER = { MSJ: '+F+NFL', SELEX: '++FNNL' };
/** signing, giving notice: the DINUM's budget roles, and a party's agent for its own party (Justice, on both) */
const PARTIE = { MSJ: '+++NFL', SELEX: '+++NNL' };

const ATTENDU: Record<string, Ligne> = {
  'GET /': TOUS,
  'GET /mentions-legales': TOUS,
  'GET /donnees-personnelles': TOUS,
  'GET /cookies': TOUS,
  'GET /accessibilite': TOUS,
  'GET /plan-du-site': TOUS,
  'GET /conventions': TOUS,
  'GET /conventions/nouvelle': BUDGET,
  'POST /conventions': BUDGET,
  'GET /conventions/:id': LIRE,
  // its calendar file: whoever reads the convention (the public, a published one's page dates)
  'GET /conventions/:id/agenda.ics': LIRE,
  'GET /conventions/:id/modifier': MODIFIER,
  'POST /conventions/:id/modifier': MODIFIER,
  'GET /conventions/:id/credits': LIRE_CREDITS,
  'GET /conventions/:id/credits/engagements.csv': LIRE_CREDITS,
  'GET /conventions/:id/credits/engagements.xlsx': LIRE_CREDITS,
  'POST /conventions/:id/credits/engagements': ORDONNER,
  'GET /conventions/:id/credits/engagements/:eid': LIRE_CREDITS,
  'POST /conventions/:id/credits/engagements/:eid/service-fait': ORDONNER,
  'POST /conventions/:id/credits/engagements/:eid/paiement': ORDONNER,
  'POST /conventions/:id/credits/engagements/:eid/solde': ORDONNER,
  'POST /conventions/:id/credits/engagements/:eid/annulation': ORDONNER,
  'POST /conventions/:id/credits/propositions': PROPOSER,
  'POST /conventions/:id/credits/propositions/:pid/validation': ORDONNER,
  'POST /conventions/:id/credits/propositions/:pid/refus': ORDONNER,
  'POST /conventions/:id/credits/tranches': DECIDER,
  'POST /conventions/:id/credits/report': DECIDER,
  'POST /conventions/:id/credits/restitution': DECIDER,
  'POST /conventions/:id/credits/disponibilite': DEROGER,
  'POST /conventions/:id/credits/suspension': DEROGER,
  'GET /credits': CONNECTES,
  'GET /credits/portefeuille.csv': CONNECTES,
  'GET /credits/portefeuille.xlsx': CONNECTES,
  'GET /credits/alertes': CONNECTES,
  'POST /credits/alertes/:aid/traitement': BUDGET,
  'GET /credits/calendrier': CONNECTES,
  'POST /credits/calendrier': ADMIN,
  'GET /exercices/:annee': CONNECTES,
  'POST /exercices/:annee/cloture': '++++FL',
  'POST /exercices/:annee/calendrier': ADMIN,
  'GET /conventions/:id/exercices/:annee/bilan': LIRE_CREDITS,
  'POST /conventions/:id/exercices/:annee/accord-report': CLOTURER,
  'GET /conventions/:id/insuffisances': LIRE_CREDITS,
  'POST /conventions/:id/insuffisances/:cas/information': ORDONNER,
  'POST /conventions/:id/insuffisances/:cas/reponse': CLOTURER,
  'GET /insuffisances': CONNECTES,
  'POST /insuffisances/delai': ADMIN,
  'GET /imports': BUDGET,
  'POST /imports': BUDGET,
  // the progress of a long reading: the agent's who sent the files (the administrator's here), hidden from others
  'GET /imports/lectures/:id': '+NFFFL',
  'GET /imports/:id': BUDGET,
  'GET /imports/:id/original': BUDGET,
  'POST /imports/:id/accepter': BUDGET,
  'POST /imports/:id/ecarter': BUDGET,
  'GET /connexion': TOUS,
  'POST /connexion/demo': TOUS,
  'POST /connexion/proconnect': TOUS,
  'GET /connexion/retour': TOUS,
  'POST /deconnexion': TOUS,
  'GET /admin': ADMIN,
  'GET /admin/agents': ADMIN,
  'GET /admin/agents/:aid': ADMIN,
  'POST /admin/agents/:aid': ADMIN,
  'GET /admin/jetons': ADMIN,
  'POST /admin/jetons': ADMIN,
  'POST /admin/jetons/:jid/revocation': ADMIN,
  'GET /admin/envois': ADMIN,
  // one's own account and calendar feed; the feed answers whoever holds its secret, with no session
  'GET /compte': CONNECTES,
  'POST /compte/agenda': CONNECTES,
  'POST /compte/agenda/revocation': CONNECTES,
  'POST /compte/notifications': CONNECTES,
  'GET /agenda/:jeton': TOUS,
  // the « publiée » decision: withdrawn, then published again, so that the rest of the matrix sees it published
  'DELETE /api/v1/conventions/:id/publication': DECIDER,
  'POST /conventions/:id/publication/retrait': DECIDER,
  'POST /api/v1/conventions/:id/publication': DECIDER,
  'POST /conventions/:id/publication': DECIDER,
  'GET /publications': TOUS,
  'GET /publications/conventions/:id': TOUS,
  'GET /publications/produits/:produit': TOUS,
  'GET /donnees/conventions.csv': TOUS,
  'GET /donnees/credits-annuels.csv': TOUS,
  'GET /donnees/conventions.schema.json': TOUS,
  'GET /donnees/credits-annuels.schema.json': TOUS,
  'GET /donnees/publication': BUDGET,
  'POST /donnees/publication': BUDGET,
  'GET /api/v1/donnees/publications': BUDGET,
  'POST /api/v1/donnees/publication': BUDGET,
  'GET /api/v1/openapi.json': TOUS,
  'GET /api/v1/moi': TOUS,
  'GET /api/v1/conventions': TOUS,
  'POST /api/v1/conventions': BUDGET,
  'GET /api/v1/conventions/:id': LIRE,
  'PUT /api/v1/conventions/:id': MODIFIER,
  'GET /api/v1/conventions/:id/journal': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/agenda.ics': LIRE,
  'GET /api/v1/conventions/:id/credits': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/engagements': LIRE_CREDITS,
  'POST /api/v1/conventions/:id/engagements': ORDONNER,
  'GET /api/v1/conventions/:id/engagements/:eid': LIRE_CREDITS,
  'POST /api/v1/conventions/:id/engagements/:eid/services-faits': ORDONNER,
  'POST /api/v1/conventions/:id/engagements/:eid/paiements': ORDONNER,
  'POST /api/v1/conventions/:id/engagements/:eid/solde': ORDONNER,
  'POST /api/v1/conventions/:id/engagements/:eid/annulation': ORDONNER,
  'GET /api/v1/conventions/:id/propositions': LIRE_CREDITS,
  'POST /api/v1/conventions/:id/propositions': PROPOSER,
  'POST /api/v1/conventions/:id/propositions/:pid/validation': ORDONNER,
  'POST /api/v1/conventions/:id/propositions/:pid/refus': ORDONNER,
  'POST /api/v1/conventions/:id/credits/tranches/:rang/liberation': DECIDER,
  'POST /api/v1/conventions/:id/credits/reports': DECIDER,
  'POST /api/v1/conventions/:id/credits/restitutions': DECIDER,
  'POST /api/v1/conventions/:id/credits/disponibilites': DEROGER,
  'POST /api/v1/conventions/:id/suspension': DEROGER,
  'GET /api/v1/credits': CONNECTES,
  'GET /api/v1/credits/alertes': CONNECTES,
  'GET /api/v1/a-faire': CONNECTES,
  'POST /api/v1/credits/alertes/:aid/traitement': BUDGET,
  'GET /api/v1/parametres/calendrier': CONNECTES,
  'PUT /api/v1/parametres/calendrier': ADMIN,
  'GET /api/v1/exercices/:annee': CONNECTES,
  // before the closing date, a closing reaches its rule and is refused by it (409)
  'POST /api/v1/exercices/:annee/cloture': '++++FL',
  'GET /api/v1/exercices/:annee/calendrier': CONNECTES,
  'PUT /api/v1/exercices/:annee/calendrier': ADMIN,
  'POST /api/v1/conventions/:id/exercices/:annee/accord-report': CLOTURER,
  'GET /api/v1/conventions/:id/exercices/:annee/bilan': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/exercices/:annee/bilan.csv': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/exercices/:annee/bilan.xlsx': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/exercices/:annee/bilan.pdf': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/insuffisances': LIRE_CREDITS,
  // the délégataire informs (the ordonnateur), the délégant answers
  'POST /api/v1/conventions/:id/insuffisances/:cas/information': ORDONNER,
  'POST /api/v1/conventions/:id/insuffisances/:cas/reponse': CLOTURER,
  'GET /api/v1/insuffisances': CONNECTES,
  'GET /api/v1/parametres/insuffisance': CONNECTES,
  'PUT /api/v1/parametres/insuffisance': ADMIN,
  // committees: the product team the convention funds prepares (as may whoever orders), the DINUM's budget roles decide
  'GET /api/v1/conventions/:id/comites': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/comites/prochain': LIRE_CREDITS,
  'POST /api/v1/conventions/:id/comites': PROPOSER,
  'POST /api/v1/conventions/:id/comites/:cid/decision': DECIDER,
  'POST /api/v1/conventions/:id/comites/:cid/compte-rendu': DECIDER,
  // obligations: read with the credits; completed by the DINUM's budget roles and a partner for its own party
  'GET /api/v1/conventions/:id/obligations': LIRE_CREDITS,
  'PUT /api/v1/conventions/:id/obligations': { MSJ: '+++NFL', SELEX: '+++NNL' },
  'POST /api/v1/conventions/:id/obligations/:oid/preuve': { MSJ: '+++NFL', SELEX: '+++NNL' },
  // FAST promotions: the FAST team; the envelope: whoever orders (the partner délégataire of seLEXpert)
  'GET /api/v1/fast/promotions': BUDGET,
  'POST /api/v1/fast/promotions': BUDGET,
  'POST /api/v1/conventions/:id/enveloppe': ORDONNER,
  // its evidence as a file, with the same rights
  'POST /api/v1/conventions/:id/enveloppe/preuve': ORDONNER,
  // Mon Suivi Justice is no FAST laureate: it has no envelope
  'GET /api/v1/conventions/:id/enveloppe': { MSJ: 'NNNNNL', SELEX: '+++NNL' },
  'POST /conventions/:id/enveloppe': ORDONNER,
  // the governance pages, as their API: the committees, the obligations checklist, the FAST promotions
  'GET /conventions/:id/gouvernance': LIRE_CREDITS,
  'POST /conventions/:id/comites': PROPOSER,
  'POST /conventions/:id/comites/:cid/decision': DECIDER,
  'POST /conventions/:id/comites/:cid/compte-rendu': DECIDER,
  'POST /conventions/:id/obligations/:oid': { MSJ: '+++NFL', SELEX: '+++NNL' },
  // a free obligation: the DINUM's budget roles add it
  'POST /conventions/:id/obligations': { MSJ: '++FNFL', SELEX: '++FNNL' },
  'GET /fast/promotions': BUDGET,
  'POST /fast/promotions': BUDGET,
  'POST /fast/enveloppes/:id': DECIDER,
  // a convention's life, last: closing the ended Mon Suivi Justice would refuse the orders above
  'GET /conventions/:id/pieces/:piece': LIRE_CREDITS,
  'POST /conventions/:id/envoi-signature': MODIFIER,
  'POST /conventions/:id/retour-brouillon': MODIFIER,
  'POST /conventions/:id/signature': PARTIE,
  'POST /conventions/:id/reprise': DEROGER,
  'POST /conventions/:id/resiliation': PARTIE,
  'POST /conventions/:id/resiliation/retrait': MODIFIER,
  'GET /api/v1/conventions/:id/cycle': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/pieces/:piece': LIRE_CREDITS,
  'POST /api/v1/conventions/:id/envoi-signature': MODIFIER,
  'POST /api/v1/conventions/:id/retour-brouillon': MODIFIER,
  'POST /api/v1/conventions/:id/signature': PARTIE,
  'POST /api/v1/conventions/:id/reprise': DEROGER,
  'POST /api/v1/conventions/:id/resiliation': PARTIE,
  'POST /api/v1/conventions/:id/resiliation/retrait': MODIFIER,
  // avenant n° 1 is drafted, then read (a draft is hidden from the public), then signed
  'POST /api/v1/conventions/:id/avenants': MODIFIER,
  'GET /api/v1/conventions/:id/avenants': LIRE,
  'GET /api/v1/conventions/:id/avenants/:numero': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'POST /api/v1/conventions/:id/avenants/:numero/signature': PARTIE,
  'POST /conventions/:id/avenants/:numero/signature': PARTIE,
  // its copy to the budget controllers, once signed: the DINUM's budget roles record it
  'POST /api/v1/conventions/:id/avenants/:numero/copies': MODIFIER,
  'POST /conventions/:id/avenants/:numero/copies': MODIFIER,
  // avenant n° 1 signed, the page drafts n° 2 (then any other draft is refused by its rule)
  'GET /conventions/:id/avenants/nouveau': MODIFIER,
  'POST /conventions/:id/avenants': MODIFIER,
  'POST /conventions/:id/cloture': MODIFIER,
  'POST /api/v1/conventions/:id/cloture': MODIFIER,
  // the end-of-term report: the délégataire writes and sends it, the DINUM's budget roles review it (the
  // writing comes first, so that a review finds something to review)
  'GET /conventions/:id/rapport': LIRE_CREDITS,
  'POST /conventions/:id/rapport': ORDONNER,
  'POST /conventions/:id/rapport/relecture': DECIDER,
  'POST /conventions/:id/rapport/envoi': ORDONNER,
  'GET /api/v1/conventions/:id/rapport': LIRE_CREDITS,
  'PUT /api/v1/conventions/:id/rapport': ORDONNER,
  'POST /api/v1/conventions/:id/rapport/relecture': DECIDER,
  'POST /api/v1/conventions/:id/rapport/envoi': ORDONNER,
  'GET /api/v1/conventions/:id/document': LIRE,
  // the public reads signed avenants only, and the matrix's avenant is a draft
  'GET /api/v1/conventions/:id/avenants/:numero/document': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'GET /api/v1/conventions/:id/rapport.docx': LIRE_CREDITS,
  'GET /api/v1/conventions/:id/rapport.pdf': LIRE_CREDITS,
};

describe('the access rule table', () => {
  it('stops an application that has a route without an access rule, or a rule without a route', () => {
    const app = new Hono();
    app.get('/', (c) => c.text('ok'));
    app.get('/oubliee', (c) => c.text('ok'));
    expect(() => verifierRegles(app as never, { 'GET /': { quiconque: true } })).toThrow(
      /Routes sans règle d’accès : GET \/oubliee/,
    );
    expect(() =>
      verifierRegles(app as never, {
        'GET /': { quiconque: true },
        'GET /oubliee': { connecte: true },
        'GET /fantome': { connecte: true },
      }),
    ).toThrow(/Règles sans route : GET \/fantome/);
  });
});

/**
 * What each profile may read among the demo conventions, as a budget office states it: the DINUM's budget
 * roles everything; a partner the conventions its organisation signed; a product team the conventions that
 * fund its product; the public what is published (Atelier numérique is not).
 */
const LISIBLES: Record<(typeof PROFILS)[number] & string, Array<keyof ReturnType<typeof demo>['references']>> = {
  'demo-admin': ['msj', 'msp', 'selex', 'atelier', 'classe'],
  'demo-gestionnaire': ['msj', 'msp', 'selex', 'atelier', 'classe'],
  'demo-partenaire-justice': ['msj', 'selex'],
  'demo-partenaire-sociaux': ['msp'],
  'demo-equipe': ['msj'],
};
const LISIBLES_PUBLIC: Array<keyof ReturnType<typeof demo>['references']> = ['msj', 'msp', 'selex', 'classe'];

/**
 * The same answers when the route gate is open, for the writes and reads whose rule the use case applies
 * again: the use case alone refuses. Where the gate asks the public to log in, the use case refuses it (F)
 * or hides what it may not read (N); the suspension is refused to any non-administrator before the
 * convention is looked at.
 */
const SANS_GARDE: Record<string, Ligne> = {
  // withdrawn by the administrator first: the public no longer sees the convention until it is published again
  'DELETE /api/v1/conventions/:id/publication': { MSJ: '++FNFN', SELEX: '++FNNN' },
  'POST /api/v1/conventions/:id/publication': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /api/v1/conventions': '++FFFF',
  'GET /api/v1/conventions/:id': LIRE,
  'GET /api/v1/conventions/:id/agenda.ics': LIRE,
  'GET /conventions/:id/agenda.ics': LIRE,
  'PUT /api/v1/conventions/:id': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'GET /api/v1/conventions/:id/journal': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'GET /api/v1/conventions/:id/credits': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'POST /api/v1/conventions/:id/engagements': { MSJ: '++FNFF', SELEX: '+++NNF' },
  'POST /api/v1/conventions/:id/propositions': { MSJ: '++FN+F', SELEX: '+++NNF' },
  'POST /api/v1/conventions/:id/credits/tranches/:rang/liberation': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /api/v1/conventions/:id/credits/reports': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /api/v1/conventions/:id/credits/disponibilites': { MSJ: '+FFNFF', SELEX: '+FFNNF' },
  'POST /api/v1/conventions/:id/suspension': '+FFFFF',
  'POST /api/v1/conventions/:id/reprise': '+FFFFF',
  'POST /api/v1/conventions/:id/signature': { MSJ: '+++NFF', SELEX: '+++NNF' },
  'POST /api/v1/conventions/:id/resiliation': { MSJ: '+++NFF', SELEX: '+++NNF' },
  'POST /api/v1/conventions/:id/cloture': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /api/v1/conventions/:id/avenants/:numero/copies': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'GET /api/v1/conventions/:id/rapport': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'PUT /api/v1/conventions/:id/rapport': { MSJ: '++FNFN', SELEX: '+++NNN' },
  'POST /api/v1/conventions/:id/rapport/relecture': { MSJ: '++FNFN', SELEX: '++FNNN' },
  'POST /api/v1/conventions/:id/rapport/envoi': { MSJ: '++FNFN', SELEX: '+++NNN' },
  'GET /api/v1/conventions/:id/pieces/:piece': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'GET /api/v1/credits': '+++++F',
  // the alert of the matrix is Atelier numérique's, which only the DINUM's budget roles read
  'POST /api/v1/credits/alertes/:aid/traitement': '++NNNN',
  'PUT /api/v1/parametres/calendrier': '+FFFFF',
  'PUT /api/v1/parametres/insuffisance': '+FFFFF',
  'PUT /api/v1/exercices/:annee/calendrier': '+FFFFF',
  'POST /api/v1/conventions/:id/exercices/:annee/accord-report': { MSJ: '+F+NFN', SELEX: '++FNNN' },
  'GET /api/v1/conventions/:id/exercices/:annee/bilan': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'GET /api/v1/conventions/:id/comites': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'POST /api/v1/conventions/:id/comites': { MSJ: '++FN+F', SELEX: '+++NNF' },
  'POST /api/v1/conventions/:id/comites/:cid/decision': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /api/v1/conventions/:id/comites/:cid/compte-rendu': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'PUT /api/v1/conventions/:id/obligations': { MSJ: '+++NFN', SELEX: '+++NNN' },
  'POST /api/v1/conventions/:id/obligations/:oid/preuve': { MSJ: '+++NFN', SELEX: '+++NNN' },
  'GET /api/v1/fast/promotions': '++FFFF',
  'POST /api/v1/fast/promotions': '++FFFF',
  'POST /api/v1/conventions/:id/enveloppe': { MSJ: '++FNFN', SELEX: '+++NNN' },
  'POST /api/v1/conventions/:id/enveloppe/preuve': { MSJ: '++FNFN', SELEX: '+++NNN' },
  'GET /api/v1/conventions/:id/enveloppe': { MSJ: 'NNNNNN', SELEX: '+++NNN' },
  'POST /conventions/:id/enveloppe': { MSJ: '++FNFN', SELEX: '+++NNN' },
  'GET /conventions/:id/gouvernance': { MSJ: '+++N+N', SELEX: '+++NNN' },
  'POST /conventions/:id/comites': { MSJ: '++FN+F', SELEX: '+++NNF' },
  'POST /conventions/:id/comites/:cid/decision': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /conventions/:id/comites/:cid/compte-rendu': { MSJ: '++FNFF', SELEX: '++FNNF' },
  'POST /conventions/:id/obligations/:oid': { MSJ: '+++NFN', SELEX: '+++NNN' },
  'POST /conventions/:id/obligations': { MSJ: '++FNFN', SELEX: '++FNNN' },
  'GET /fast/promotions': '++FFFF',
  'POST /fast/promotions': '++FFFF',
  'POST /fast/enveloppes/:id': { MSJ: '++FNFN', SELEX: '+++NNN' },
  'POST /admin/agents/:aid': '+FFFFF',
  'POST /admin/jetons': '+FFFFF',
  'GET /api/v1/donnees/publications': '++FFFF',
  'POST /api/v1/donnees/publication': '++FFFF',
  'POST /donnees/publication': '++FFFF',
};

/** The login callback answers 400 to a request that no login started: no valid request to it can be forged here. */
const SANS_CORPS_VALIDE = new Set(['GET /connexion/retour']);
/** The writes whose body is a file alone. */
const AVEC_FICHIER = new Set([
  'POST /api/v1/conventions/:id/comites/:cid/compte-rendu',
  'POST /conventions/:id/comites/:cid/compte-rendu',
  'POST /api/v1/conventions/:id/obligations/:oid/preuve',
  'POST /api/v1/conventions/:id/enveloppe/preuve',
]);
const PDF_MATRICE = new TextEncoder().encode('%PDF-1.4\n% pièce de la matrice\n');

describe.each(DATABASES)('authorisation matrix on %s', (kind) => {
  let t: TestApp;
  let pc: FauxProConnect;
  const ids: Record<string, string> = {};
  const jetons = new Map<string, string>();
  const { jour, references } = demo();
  const annee = Number(jour.slice(0, 4));
  const DOCUMENT = '004_dae5c40bbfeb0924.txt';
  let champsImport: Record<string, string> = {};
  const envoi = () => {
    const fd = new FormData();
    fd.set('_csrf', CSRF);
    fd.append('fichiers', new File([seed(DOCUMENT)], 'selexpert.txt'));
    return fd;
  };
  let compteur = 0;
  const unique = (prefixe: string) => `${prefixe}-${++compteur}`;

  beforeAll(async () => {
    // both logins on, as in a staging environment: ProConnect (played locally) and the demo users
    pc = await demarrerProConnect({
      comptes: [],
      redirectUris: ['http://localhost:3000/connexion/retour'],
      postLogoutRedirectUris: ['http://localhost:3000/connexion?deconnecte=1'],
    });
    const proconnect = {
      issuer: pc.issuer,
      discoveryUrl: undefined,
      clientId: pc.clientId,
      clientSecret: pc.clientSecret,
    };
    // thousands of calls in a minute, from one client, over two apps sharing the limits' counters
    t = await testApp(kind, { bodyLimit: 256 * 1024, config: { proconnect, connexionDemo: true, limiteApi: 0 } });
    const db = t.storage.db;
    for (const ref of [demo().references.msj, demo().references.selex]) {
      const c = await db.selectFrom('convention').select('id').where('reference', '=', ref).executeTakeFirstOrThrow();
      ids[ref] = c.id;
      const e = await db
        .selectFrom('engagement')
        .select('id')
        .where('convention_id', '=', c.id)
        .orderBy('date_engagement')
        .executeTakeFirstOrThrow();
      ids[`${ref}/eid`] = e.id;
      // a signed piece kept with each convention
      ids[`${ref}/piece`] = randomUUID();
      const piece = {
        id: ids[`${ref}/piece`]!,
        nom: 'signee.pdf',
        mediaType: 'application/pdf',
        contenu: new Uint8Array([37, 80, 68, 70]),
        sha256: 'x',
      };
      await db
        .transaction()
        .execute((trx) =>
          ecrireAvecJournal(
            trx,
            ACTEURS_DEMO[0]!,
            t.ctx.now(),
            { conventionId: c.id, objetType: 'piece', objetId: piece.id, action: 'depot' },
            (e) => insererPiece(e, c.id, piece),
          ),
        );
      // a proposal waiting on each convention, written as stored: Mon Suivi Justice has ended, so no team could propose on it now
      ids[`${ref}/pid`] = randomUUID();
      const pid = ids[`${ref}/pid`]!;
      const sujet = {
        conventionId: c.id,
        objetType: 'proposition',
        objetId: pid,
        action: 'proposition',
        commentaire: 'matrice',
      };
      await db.transaction().execute((trx) =>
        ecrireAvecJournal(trx, ACTEURS_DEMO[0]!, t.ctx.now(), sujet, (e) =>
          insererProposition(e, pid, c.id, {
            annee,
            titulaire: 'T',
            marche: null,
            devis: null,
            objet: 'O',
            produit: null,
            montantCentimes: 100,
            baseMontant: null,
            dateFinPrestation: null,
            justification: null,
          }),
        ),
      );
    }
    for (const ref of [demo().references.msj, demo().references.selex]) {
      const cas = await insererOuJoindreInsuffisance(t.storage.db, ACTEURS_DEMO[0]!, t.ctx.now(), {
        conventionId: ids[ref]!,
        annee,
        nature: 'credits',
        details: {},
        refus: true,
      });
      ids[`${ref}/cas`] = String(cas.id);
      // a committee held today, waiting for its decision
      ids[`${ref}/cid`] = String(
        await db.transaction().execute((trx) =>
          ecrireAvecJournal(
            trx,
            ACTEURS_DEMO[0]!,
            t.ctx.now(),
            { conventionId: ids[ref]!, objetType: 'comite', objetId: ids[ref]!, action: 'preparation_comite' },
            (e) =>
              insererComite(e, ids[ref]!, {
                nature: 'investissement',
                date: jour,
                presidence: null,
                participants: [],
                indicateurs: [],
                demande: null,
              }),
          ),
        ),
      );
    }
    // the partner's first obligation on each convention, for the checklist's form
    for (const [ref, partie] of [
      [references.msj, 'delegant'],
      [references.selex, 'delegataire'],
    ] as const) {
      const l = (await (
        await t.app.request(`/api/v1/conventions/${ids[ref]}/obligations`, { headers: t.api('demo-admin') })
      ).json()) as { items: Array<{ id: number; partie: string }> };
      ids[`${ref}/oid`] = String(l.items.find((x) => x.partie === partie)!.id);
    }
    ids.aid = String((await db.selectFrom('alerte').select('id').executeTakeFirstOrThrow()).id);
    // an agent and a token that only the matrix touches, so that its writes change no profile's rights
    ids.aid_agent = '6f1d1b3e-0000-4000-8000-00000000c1b1';
    await creerAgentDemo(t.ctx, {
      id: ids.aid_agent,
      idpId: 'tests',
      sub: 'cible',
      email: 'cible@exemple.gouv.fr',
      prenom: 'Agent',
      nom: 'Cible',
      organisationSiret: null,
      role: 'partenaire',
      produits: [],
    });
    // the feed the matrix reads: the target agent's, which no profile replaces or revokes
    ids.agenda = (
      await creerAgenda(t.ctx, {
        id: ids.aid_agent,
        nom: 'Agent Cible',
        role: 'partenaire',
        organisationSiret: null,
        produits: [],
      })
    ).valeur;
    ids.jid = (
      await creerJeton(t.ctx, ACTEUR_SYSTEME, {
        nom: 'Cible de la matrice',
        role: 'partenaire',
        organisationSiret: '11000801300017',
      })
    ).jeton.id;
    const r = await t.app.request('/imports', { method: 'POST', headers: t.as('demo-admin'), body: envoi() });
    ids.import = r.headers.get('location')!.split('/').pop()!;
    // a reading the administrator sent, finished: its progress page answers its review page
    const admin = ACTEURS_DEMO.find((a) => a.id === 'demo-admin')!;
    const lecture = lireFichiers(t.ctx, admin, [{ nom: 'lu.txt', bytes: new TextEncoder().encode(seed(DOCUMENT)) }], {
      tailleMax: 256 * 1024,
    });
    await lecture.fin;
    ids.lecture = lecture.id;
    const lu = await analyser(new TextEncoder().encode(seed(DOCUMENT)), 'selexpert.txt');
    if (!lu.ok) throw new Error('lecture du document');
    champsImport = {
      ...champsDepuisConvention(versSaisie(lu.extraction, 'a_verifier')),
      objet_verbe: 'accélérer',
      statut: 'en_vigueur',
      publiee: '',
    };
    for (const p of PROFILS)
      if (p) jetons.set(p, (await creerJeton(t.ctx, ACTEUR_SYSTEME, { nom: `Matrice ${p}`, ...scope(p) })).valeur);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await pc?.close();
  });

  const scope = (p: string) => {
    const a = ACTEURS_DEMO.find((x) => x.id === p)!;
    return { role: a.role, organisationSiret: a.organisationSiret, produits: a.produits };
  };

  function chemin(route: string, cible: 'MSJ' | 'SELEX'): string {
    const ref = cible === 'MSJ' ? demo().references.msj : demo().references.selex;
    const path = route.split(' ')[1]!;
    const id = path.startsWith('/imports/lectures/')
      ? ids.lecture!
      : path.startsWith('/imports/')
        ? ids.import!
        : ids[ref]!;
    return path
      .replace(':id', id)
      .replace(':eid', ids[`${ref}/eid`]!)
      .replace(':pid', ids[`${ref}/pid`]!)
      .replace(':piece', ids[`${ref}/piece`]!)
      .replace(':numero', '1')
      .replace(':aid', path.startsWith('/admin/') ? ids.aid_agent! : ids.aid!)
      .replace(':jid', ids.jid!)
      .replace(':jeton', ids.agenda!)
      .replace(':rang', '2')
      .replace(':annee', String(annee))
      .replace(':cas', ids[`${ref}/cas`]!)
      .replace(':cid', ids[`${ref}/cid`]!)
      .replace(':oid', ids[`${ref}/oid`]!)
      .replace(':produit', encodeURIComponent(cible === 'MSJ' ? demo().msj.produits[0]! : demo().selex.produits[0]!));
  }

  /** The convention as the API gives it, less what only the server sets: a valid body to save it again. */
  async function conventionApi(id: string): Promise<Record<string, unknown>> {
    const c = (await (
      await t.app.request(`/api/v1/conventions/${id}`, { headers: t.api('demo-admin') })
    ).json()) as Record<string, unknown>;
    const { id: _id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = c;
    void [_id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    return entree;
  }

  const commande = { annee, montant_centimes: 100, objet: 'Commande de la matrice', titulaire: 'Titulaire' };
  const montants = { annee, ae_centimes: 1, cp_centimes: 0, motif: 'Matrice' };
  const nouvelleConvention = () => ({
    reference: unique('MATRICE-API'),
    role_dinum: 'delegataire',
    statut: 'en_vigueur',
    delegant: { nom: 'Ministère de la matrice' },
    delegataire: { nom: 'DINUM' },
    produits: ['Produit de la matrice'],
    echeancier: [{ annee, ae_centimes: 100, cp_centimes: 100 }],
    date_signature: jour,
    duree_mois: 12,
  });

  /** A valid JSON body for each API write. */
  async function corpsApi(route: string, cible: 'MSJ' | 'SELEX'): Promise<unknown> {
    const ref = cible === 'MSJ' ? references.msj : references.selex;
    switch (route) {
      case 'POST /api/v1/conventions':
        return nouvelleConvention();
      case 'PUT /api/v1/conventions/:id':
        return conventionApi(ids[ref]!);
      case 'POST /api/v1/conventions/:id/engagements':
        return commande;
      case 'POST /api/v1/conventions/:id/engagements/:eid/services-faits':
        return { montant_centimes: 1 };
      case 'POST /api/v1/conventions/:id/engagements/:eid/paiements':
        return { montant_centimes: 1, reference: 'FAC-MATRICE' };
      case 'POST /api/v1/conventions/:id/engagements/:eid/solde':
      case 'POST /api/v1/conventions/:id/engagements/:eid/annulation':
        return { motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/propositions':
        return commande;
      case 'POST /api/v1/conventions/:id/propositions/:pid/validation':
      case 'POST /api/v1/donnees/publication':
        return {};
      case 'POST /api/v1/conventions/:id/propositions/:pid/refus':
        return { motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/credits/tranches/:rang/liberation':
        return { date: jour, motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/credits/reports':
      case 'POST /api/v1/conventions/:id/credits/restitutions':
        return montants;
      case 'POST /api/v1/conventions/:id/credits/disponibilites':
        return { annee: annee + 4, ae_centimes: 0, cp_centimes: 0, date: jour, motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/suspension':
      case 'POST /api/v1/conventions/:id/reprise':
      case 'POST /api/v1/conventions/:id/cloture':
        return { motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/publication':
        return { date: jour };
      case 'DELETE /api/v1/conventions/:id/publication':
        return {};
      case 'POST /api/v1/conventions/:id/envoi-signature':
      case 'POST /api/v1/conventions/:id/retour-brouillon':
      case 'POST /api/v1/conventions/:id/rapport/relecture':
        return {};
      case 'PUT /api/v1/conventions/:id/rapport':
        return { avancement: 'Matrice', previsions: 'Matrice' };
      case 'POST /api/v1/conventions/:id/rapport/envoi':
        return { date: jour, destinataires: 'Matrice' };
      // Justice signs and gives notice for its own party: délégant of Mon Suivi Justice, délégataire of seLEXpert
      case 'POST /api/v1/conventions/:id/signature':
        return { partie: cible === 'MSJ' ? 'delegant' : 'delegataire', date: jour };
      case 'POST /api/v1/conventions/:id/resiliation':
        return { partie: cible === 'MSJ' ? 'delegant' : 'delegataire', date_notification: jour, motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/resiliation/retrait':
        return { date_accord: jour, motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/avenants':
        return { objet: 'Avenant de la matrice', date_effet: jour, modifications: { uo: 'UO-MATRICE' } };
      case 'POST /api/v1/conventions/:id/avenants/:numero/copies':
        return { destinataire: 'CBCM de la matrice', date: jour };
      case 'POST /api/v1/conventions/:id/avenants/:numero/signature':
        return { partie: cible === 'MSJ' ? 'delegant' : 'delegataire', date: jour };
      case 'POST /api/v1/credits/alertes/:aid/traitement':
        return {};
      case 'POST /api/v1/exercices/:annee/cloture':
        return {};
      case 'PUT /api/v1/exercices/:annee/calendrier': {
        // the dates the year has anyway: the matrix changes nothing
        const { annee: _a, ...cal } = (await (
          await t.app.request(`/api/v1/exercices/${annee}/calendrier`, { headers: t.api('demo-admin') })
        ).json()) as Record<string, unknown>;
        void _a;
        return cal;
      }
      case 'POST /api/v1/conventions/:id/insuffisances/:cas/information':
        return { date: jour, moyen: 'Courriel' };
      case 'POST /api/v1/conventions/:id/insuffisances/:cas/reponse':
        return { date: jour, decision: 'refus', motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/exercices/:annee/accord-report':
        return { date_accord: jour, auteur: 'Matrice' };
      case 'PUT /api/v1/parametres/insuffisance':
        return { delai_jours: 45, motif: 'Matrice' };
      case 'POST /api/v1/conventions/:id/comites':
        return { date: jour, indicateurs: [{ nom: 'Usagers' }] };
      case 'POST /api/v1/conventions/:id/comites/:cid/decision':
        return { decision: 'provisoire', motif: 'Matrice', duree_mois: 1 };
      case 'PUT /api/v1/conventions/:id/obligations': {
        // the partner's first obligation of the convention, done with its evidence
        const l = (await (await t.app.request(`${chemin(route, cible)}`, { headers: t.api('demo-admin') })).json()) as {
          items: Array<Record<string, unknown>>;
        };
        const partiePartenaire = cible === 'MSJ' ? 'delegant' : 'delegataire';
        const o = l.items.find((x) => x.partie === partiePartenaire)!;
        return {
          items: [
            {
              id: o.id,
              partie: o.partie,
              libelle: o.libelle,
              echeance: o.echeance,
              date_limite: o.date_limite,
              mesure: o.mesure,
              etat: 'faite',
              preuve_url: 'https://preuve.example/matrice',
            },
          ],
        };
      }
      case 'POST /api/v1/fast/promotions':
        return { numero: 100 + (++compteur % 800) };
      case 'POST /api/v1/conventions/:id/enveloppe':
        return { engage_centimes: 0 };
      case 'PUT /api/v1/parametres/calendrier': {
        const cal = (await (
          await t.app.request('/api/v1/parametres/calendrier', { headers: t.api('demo-admin') })
        ).json()) as Record<string, unknown>;
        return { ...cal, motif: 'Matrice' };
      }
    }
    throw new Error(`Pas de corps pour ${route}`);
  }

  /** Valid form fields for each page write (the CSRF token is added). */
  async function corpsPage(route: string, cible: 'MSJ' | 'SELEX'): Promise<Record<string, string>> {
    const euro = '0,01';
    const conv = cible === 'MSJ' ? demo().msj : demo().selex;
    switch (route) {
      case 'POST /conventions':
        return { ...champsDepuisConvention({ ...conv, reference: unique('MATRICE-PAGE'), publiee: false }) };
      case 'POST /conventions/:id/modifier': {
        const version = (await conventionApi(ids[cible === 'MSJ' ? references.msj : references.selex]!)).version;
        return { ...champsDepuisConvention(conv), version: String(version) };
      }
      case 'POST /conventions/:id/credits/engagements':
      case 'POST /conventions/:id/credits/propositions':
        return {
          annee: String(annee),
          montant_centimes: euro,
          objet: 'Commande de la matrice',
          titulaire: 'Titulaire',
        };
      case 'POST /conventions/:id/credits/engagements/:eid/service-fait':
        return { mode: 'montant', montant_centimes: euro };
      case 'POST /conventions/:id/credits/engagements/:eid/paiement':
        return { montant_centimes: euro, reference: 'FAC-MATRICE' };
      case 'POST /conventions/:id/credits/engagements/:eid/solde':
      case 'POST /conventions/:id/credits/engagements/:eid/annulation':
        return { motif: 'Matrice', confirmation: 'oui' };
      case 'POST /conventions/:id/credits/propositions/:pid/refus':
      case 'POST /conventions/:id/credits/suspension':
      case 'POST /conventions/:id/reprise':
      case 'POST /conventions/:id/cloture':
        return { motif: 'Matrice' };
      case 'POST /conventions/:id/publication':
        return { date: jour };
      case 'POST /conventions/:id/publication/retrait':
      case 'POST /conventions/:id/envoi-signature':
      case 'POST /conventions/:id/retour-brouillon':
      case 'POST /conventions/:id/rapport/relecture':
        return {};
      case 'POST /conventions/:id/rapport':
        return { avancement: 'Matrice', previsions: 'Matrice' };
      case 'POST /conventions/:id/rapport/envoi':
        return { date: jour, destinataires: 'Matrice' };
      case 'POST /conventions/:id/signature':
        return { partie: cible === 'MSJ' ? 'delegant' : 'delegataire', date: jour };
      case 'POST /conventions/:id/resiliation':
        return { partie: cible === 'MSJ' ? 'delegant' : 'delegataire', date_notification: jour, motif: 'Matrice' };
      case 'POST /conventions/:id/resiliation/retrait':
        return { date_accord: jour, motif: 'Matrice' };
      case 'POST /conventions/:id/avenants/:numero/copies':
        return { destinataire: 'CBCM de la matrice', date: jour };
      case 'POST /conventions/:id/avenants/:numero/signature':
        return { partie: cible === 'MSJ' ? 'delegant' : 'delegataire', date: jour };
      case 'POST /conventions/:id/avenants':
        return { 'avenant.objet': 'Avenant de la matrice (page)', 'avenant.date_effet': jour, uo: 'UO-MATRICE-PAGE' };
      case 'POST /conventions/:id/credits/propositions/:pid/validation':
      case 'POST /credits/alertes/:aid/traitement':
      case 'POST /exercices/:annee/cloture':
      case 'POST /connexion/proconnect':
      case 'POST /deconnexion':
      case 'POST /compte/agenda':
      case 'POST /compte/agenda/revocation':
        return {};
      case 'POST /compte/notifications':
        return { proposition_a_decider: 'quotidien' };
      case 'POST /admin/jetons/:jid/revocation':
        return { confirmation: 'oui' };
      case 'POST /conventions/:id/credits/tranches':
        return { rang: '2', date: jour, motif: 'Matrice' };
      case 'POST /conventions/:id/credits/report':
      case 'POST /conventions/:id/credits/restitution':
        return { annee: String(annee), ae_centimes: euro, motif: 'Matrice' };
      case 'POST /conventions/:id/credits/disponibilite':
        return { annee: String(annee + 4), date: jour, motif: 'Matrice' };
      case 'POST /insuffisances/delai':
        return { delai_jours: '45', motif: 'Matrice' };
      case 'POST /credits/calendrier': {
        const cal = (await (
          await t.app.request('/api/v1/parametres/calendrier', { headers: t.api('demo-admin') })
        ).json()) as Record<string, unknown>;
        return { ...Object.fromEntries(Object.entries(cal).map(([k, v]) => [k, String(v)])), motif: 'Matrice' };
      }
      case 'POST /imports/:id/accepter':
        return champsImport;
      case 'POST /imports/:id/ecarter':
        return { confirmation: 'oui', motif: 'Matrice' };
      case 'POST /exercices/:annee/calendrier': {
        const { annee: _a, ...cal } = (await (
          await t.app.request(`/api/v1/exercices/${annee}/calendrier`, { headers: t.api('demo-admin') })
        ).json()) as Record<string, string>;
        void _a;
        return cal;
      }
      case 'POST /conventions/:id/exercices/:annee/accord-report':
        return { date_accord: jour, auteur: 'Matrice' };
      case 'POST /conventions/:id/insuffisances/:cas/information':
        return { date: jour, moyen: 'Courriel' };
      case 'POST /conventions/:id/insuffisances/:cas/reponse':
        return { date: jour, decision: 'refus', motif: 'Matrice' };
      case 'POST /conventions/:id/comites':
        return { date: jour, 'indicateurs.0.nom': 'Usagers' };
      case 'POST /conventions/:id/comites/:cid/decision': {
        const p = `comite-${ids[`${cible === 'MSJ' ? references.msj : references.selex}/cid`]}.`;
        return { [`${p}decision`]: 'provisoire', [`${p}motif`]: 'Matrice', [`${p}duree_mois`]: '1' };
      }
      case 'POST /conventions/:id/obligations/:oid': {
        const p = `obligation-${ids[`${cible === 'MSJ' ? references.msj : references.selex}/oid`]}.`;
        return { [`${p}etat`]: 'faite', [`${p}preuve_url`]: 'https://preuve.example/matrice-page' };
      }
      case 'POST /conventions/:id/obligations':
        return {
          'obligation-nouvelle.partie': 'delegant',
          'obligation-nouvelle.libelle': unique('Obligation de la matrice'),
          'obligation-nouvelle.echeance': 'terme',
        };
      case 'POST /fast/promotions':
        return { numero: String(100 + (++compteur % 800)) };
      case 'POST /conventions/:id/enveloppe':
        return { engage_centimes: '0' };
      case 'POST /fast/enveloppes/:id':
        return { [`enveloppe-${ids[cible === 'MSJ' ? references.msj : references.selex]}.engage_centimes`]: '0' };
      case 'POST /connexion/demo':
        return { utilisateur: 'demo-gestionnaire' };
      case 'POST /admin/agents/:aid':
        return { role: 'partenaire', organisationSiret: '11000801300017', produits: '', actif: '1' };
      case 'POST /admin/jetons':
        return { nom: unique('Jeton de la matrice'), role: 'gestionnaire', expireJours: '30' };
      case 'POST /donnees/publication':
        return {};
    }
    throw new Error(`Pas de corps pour ${route}`);
  }

  /** A fresh session for each page request, so that a logout in the matrix ends no other request's session. */
  async function demande(
    route: string,
    profil: string | null,
    path: string,
    cible: 'MSJ' | 'SELEX',
    app: { request: TestApp['app']['request'] } = t.app,
  ): Promise<Response> {
    const method = route.split(' ')[0]!;
    if (AVEC_FICHIER.has(route)) {
      // the file is the body: a PDF, with the form's fields for a page
      const fd = new FormData();
      fd.set('fichier', new File([PDF_MATRICE], 'matrice.pdf', { type: 'application/pdf' }));
      const headers: Record<string, string> = {};
      if (path.startsWith('/api/')) {
        if (profil) headers.authorization = `Bearer ${jetons.get(profil)}`;
      } else {
        const cookies = [`delegations_csrf=${CSRF}`];
        if (profil) cookies.push(`delegations_session=${(await ouvrirSession(t.ctx, profil)).jeton}`);
        headers.cookie = cookies.join('; ');
        fd.set('_csrf', CSRF);
      }
      return app.request(path, { method, headers, body: fd });
    }
    if (path.startsWith('/api/')) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (profil) headers.authorization = `Bearer ${jetons.get(profil)}`;
      return app.request(path, {
        method,
        headers,
        body: method === 'GET' ? undefined : JSON.stringify(await corpsApi(route, cible)),
      });
    }
    const cookies = [`delegations_csrf=${CSRF}`];
    if (profil) cookies.push(`delegations_session=${(await ouvrirSession(t.ctx, profil)).jeton}`);
    if (route === 'POST /imports')
      return app.request(path, { method, headers: { cookie: cookies.join('; ') }, body: envoi() });
    const headers = { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' };
    return app.request(path, {
      method,
      headers,
      body: method === 'GET' ? undefined : new URLSearchParams({ ...(await corpsPage(route, cible)), _csrf: CSRF }),
    });
  }

  function lettre(r: Response, route: string, path: string): string {
    if (r.status >= 500) return 'X';
    if (r.status === 400 && !SANS_CORPS_VALIDE.has(route)) return 'V';
    if (r.status === 403) return 'F';
    if (r.status === 404) return 'N';
    if (r.status === 401) return 'L';
    if (r.status === 303 && (r.headers.get('location') ?? '').startsWith('/connexion?retour='))
      return path.startsWith('/connexion') ? '+' : 'L';
    return '+';
  }

  it('has an expected answer for every route of the application, and no expectation for a route that does not exist', () => {
    expect(routesDe(t.app).sort()).toEqual(Object.keys(ATTENDU).sort());
  });

  it('lists, for each profile, exactly the conventions that profile may read, in the pages and in the API', async () => {
    for (const p of PROFILS) {
      const attendues = (p ? LISIBLES[p] : LISIBLES_PUBLIC).map((k) => references[k]).sort();
      const headers: Record<string, string> = p ? { authorization: `Bearer ${jetons.get(p)}` } : {};
      const api = (await (await t.app.request('/api/v1/conventions?taille=100', { headers })).json()) as {
        items: Array<{ reference: string }>;
      };
      expect(api.items.map((c) => c.reference).sort(), `API, ${p ?? 'public'}`).toEqual(attendues);
      const html = await (await t.app.request('/conventions', { headers: p ? t.as(p) : {} })).text();
      for (const reference of Object.values(references))
        expect(html.includes(`>${reference}<`), `page, ${p ?? 'public'}, ${reference}`).toBe(
          attendues.includes(reference),
        );
    }
    // and each convention's own page and API item, for each profile
    const demoIds: Record<string, string> = {};
    for (const [k, ref] of Object.entries(references)) {
      demoIds[k] = (
        await t.storage.db.selectFrom('convention').select('id').where('reference', '=', ref).executeTakeFirstOrThrow()
      ).id;
    }
    for (const p of PROFILS) {
      const lisibles: string[] = p ? LISIBLES[p] : LISIBLES_PUBLIC;
      for (const [k, id] of Object.entries(demoIds)) {
        const attendu = lisibles.includes(k) ? 200 : 404;
        const headers: Record<string, string> = p ? { authorization: `Bearer ${jetons.get(p)}` } : {};
        expect(
          (await t.app.request(`/api/v1/conventions/${id}`, { headers })).status,
          `API, ${p ?? 'public'}, ${k}`,
        ).toBe(attendu);
        expect(
          (await t.app.request(`/conventions/${id}`, { headers: p ? t.as(p) : {} })).status,
          `page, ${p ?? 'public'}, ${k}`,
        ).toBe(attendu);
      }
    }
    // a product team's agent reads the conventions of its product and those its organisation signed
    const equipe = (
      await creerJeton(t.ctx, ACTEUR_SYSTEME, {
        nom: 'Équipe d’une organisation',
        role: 'equipe',
        organisationSiret: SIRET_JUSTICE,
        produits: ['Classe à 12'],
      })
    ).valeur;
    const api = (await (
      await t.app.request('/api/v1/conventions?taille=100', { headers: { authorization: `Bearer ${equipe}` } })
    ).json()) as { items: Array<{ reference: string }> };
    expect(api.items.map((c) => c.reference).sort()).toEqual(
      [references.msj, references.selex, references.classe].sort(),
    );
    for (const [k, id] of Object.entries(demoIds)) {
      const r = await t.app.request(`/api/v1/conventions/${id}`, { headers: { authorization: `Bearer ${equipe}` } });
      expect(r.status, `équipe d’une organisation, ${k}`).toBe(['msj', 'selex', 'classe'].includes(k) ? 200 : 404);
    }
  });

  it('answers every route, for every profile, on its own and on another organisation’s convention, as expected', async () => {
    const ecarts: string[] = [];
    let demandes = 0;
    const reponses = new Map<number, number>();
    for (const [route, ligne] of Object.entries(ATTENDU)) {
      const cas =
        typeof ligne === 'string'
          ? [['MSJ', ligne] as const]
          : (['MSJ', 'SELEX'] as const).map((c) => [c, ligne[c]] as const);
      for (const [cible, attendu] of cas) {
        const path = chemin(route, cible);
        let obtenu = '';
        for (const p of PROFILS) {
          const r = await demande(route, p, path, cible);
          const l = lettre(r, route, path);
          if (l === '+') reponses.set(r.status, (reponses.get(r.status) ?? 0) + 1);
          if (l === 'V' || l === 'X')
            ecarts.push(`${route} (${cible}, ${p ?? 'public'}) : ${r.status} ${(await r.text()).slice(0, 300)}`);
          else await r.arrayBuffer();
          obtenu += l;
          demandes++;
        }
        if (obtenu !== attendu) {
          const detail = [...attendu]
            .map((l, i) => (l === obtenu[i] ? '' : `${NOMS[i]} : attendu ${l}, obtenu ${obtenu[i]}`))
            .filter(Boolean);
          ecarts.push(`${route}${typeof ligne === 'string' ? '' : ` (${cible})`} — ${detail.join(' ; ')}`);
        }
      }
    }
    expect(ecarts).toEqual([]);
    expect(demandes).toBeGreaterThan(500);
    // valid bodies: most allowed writes succeed, the others are refused by a business rule
    const succes = [...reponses].filter(([st]) => st < 400).reduce((n, [, k]) => n + k, 0);
    expect(succes).toBeGreaterThan(200);
    expect(reponses.get(409)).toBeGreaterThan(0);
  }, 180_000);

  it('refuses in the use cases themselves what the rules forbid, with every route gate open', async () => {
    const ouvertes = Object.fromEntries(Object.keys(REGLES).map((k) => [k, { quiconque: true } as const]));
    const proconnect = {
      issuer: pc.issuer,
      discoveryUrl: undefined,
      clientId: pc.clientId,
      clientSecret: pc.clientSecret,
    };
    const app = formulaires(
      createApp({
        ctx: t.ctx,
        config: {
          production: false,
          bodyLimit: 256 * 1024,
          publicUrl: 'http://localhost:3000',
          databaseUrl: undefined,
          proconnect,
          connexionDemo: true,
          limiteApi: 0,
          secret: SECRET,
        },
        storageKind: kind,
        regles: ouvertes,
      }),
      t.ctx,
    );
    const ecarts: string[] = [];
    for (const [route, ligne] of Object.entries(SANS_GARDE)) {
      const cas =
        typeof ligne === 'string'
          ? [['MSJ', ligne] as const]
          : (['MSJ', 'SELEX'] as const).map((c) => [c, ligne[c]] as const);
      for (const [cible, attendu] of cas) {
        const path = chemin(route, cible);
        let obtenu = '';
        for (const p of PROFILS) {
          const r = await demande(route, p, path, cible, app);
          const l = lettre(r, route, path);
          if (l === 'V' || l === 'X')
            ecarts.push(`${route} (${cible}, ${p ?? 'public'}) : ${r.status} ${(await r.text()).slice(0, 300)}`);
          else await r.arrayBuffer();
          obtenu += l;
        }
        if (obtenu !== attendu)
          ecarts.push(
            `${route}${typeof ligne === 'string' ? '' : ` (${cible})`} — attendu ${attendu}, obtenu ${obtenu}`,
          );
      }
    }
    expect(ecarts).toEqual([]);
  }, 180_000);
});
