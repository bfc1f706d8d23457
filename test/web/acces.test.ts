import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { seed } from '../support/contract.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_SYSTEME, peutLireConvention } from '../../src/domain/acces.js';
import { routesDe, verifierRegles } from '../../src/web/regles.js';
import { creerJeton, ouvrirSession } from '../../src/usecases/acces.js';
import { lireConvention } from '../../src/storage/convention.js';
import { ecrireAvecJournal } from '../../src/storage/journal.js';
import { insererProposition } from '../../src/storage/proposition.js';
import { creerAgentDemo } from '../../src/usecases/acces.js';
import { randomUUID } from 'node:crypto';
import { demarrerProConnect, type FauxProConnect } from '../support/oidc.js';

/**
 * The authorisation matrix: every route of the application × every profile × a convention where the
 * partner's organisation is délégant (Mon Suivi Justice, also the product team's) and one where it is
 * délégataire (seLEXpert). The expected answers are written here, apart from the application's rule table,
 * as a budget office would state them.
 *
 * One letter per profile, in the order of PROFILS:
 *   + the request reaches its handler (any answer but a refusal)
 *   F refused: 403
 *   N hidden: 404, the convention is not theirs to see
 *   L login required: 303 to the login page for a page, 401 for the API or a form
 */
const PROFILS = ['demo-admin', 'demo-gestionnaire', 'demo-partenaire-justice', 'demo-partenaire-sociaux', 'demo-equipe', null] as const;
const NOMS = ['administrateur', 'gestionnaire', 'partenaire (Justice)', 'partenaire (ministères sociaux)', 'équipe produit', 'public'];

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

const ATTENDU: Record<string, Ligne> = {
  'GET /': TOUS,
  'GET /conventions': TOUS,
  'GET /conventions/nouvelle': BUDGET,
  'POST /conventions': BUDGET,
  'GET /conventions/:id': LIRE,
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
  'GET /imports': BUDGET,
  'POST /imports': BUDGET,
  'GET /imports/:id': BUDGET,
  'GET /imports/:id/original': BUDGET,
  'POST /imports/:id/accepter': BUDGET,
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
  'GET /api/v1/openapi.json': TOUS,
  'GET /api/v1/moi': TOUS,
  'GET /api/v1/conventions': TOUS,
  'POST /api/v1/conventions': BUDGET,
  'GET /api/v1/conventions/:id': LIRE,
  'PUT /api/v1/conventions/:id': MODIFIER,
  'GET /api/v1/conventions/:id/journal': LIRE_CREDITS,
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
  'POST /api/v1/credits/alertes/:aid/traitement': BUDGET,
  'GET /api/v1/parametres/calendrier': CONNECTES,
  'PUT /api/v1/parametres/calendrier': ADMIN,
};

describe('the access rule table', () => {
  it('stops an application that has a route without an access rule, or a rule without a route', () => {
    const app = new Hono();
    app.get('/', (c) => c.text('ok'));
    app.get('/oubliee', (c) => c.text('ok'));
    expect(() => verifierRegles(app as never, { 'GET /': { quiconque: true } })).toThrow(/Routes sans règle d’accès : GET \/oubliee/);
    expect(() => verifierRegles(app as never, { 'GET /': { quiconque: true }, 'GET /oubliee': { connecte: true }, 'GET /fantome': { connecte: true } })).toThrow(/Règles sans route : GET \/fantome/);
  });
});

describe.each(DATABASES)('authorisation matrix on %s', (kind) => {
  let t: TestApp;
  let pc: FauxProConnect;
  const ids: Record<string, string> = {};
  const jetons = new Map<string, string>();

  beforeAll(async () => {
    // both logins on, as in a staging environment: ProConnect (played locally) and the demo users
    pc = await demarrerProConnect({ comptes: [], redirectUris: ['http://localhost:3000/connexion/retour'], postLogoutRedirectUris: ['http://localhost:3000/connexion?deconnecte=1'] });
    const proconnect = { issuer: pc.issuer, discoveryUrl: undefined, clientId: pc.clientId, clientSecret: pc.clientSecret };
    t = await testApp(kind, { bodyLimit: 256 * 1024, config: { proconnect, connexionDemo: true } });
    const db = t.storage.db;
    for (const ref of [demo().references.msj, demo().references.selex]) {
      const c = await db.selectFrom('convention').select('id').where('reference', '=', ref).executeTakeFirstOrThrow();
      ids[ref] = c.id;
      const e = await db.selectFrom('engagement').select('id').where('convention_id', '=', c.id).orderBy('date_engagement').executeTakeFirstOrThrow();
      ids[`${ref}/eid`] = e.id;
      // a proposal waiting on each convention (both are past: written as stored, the matrix only needs its id)
      ids[`${ref}/pid`] = randomUUID();
      const pid = ids[`${ref}/pid`]!;
      const sujet = { conventionId: c.id, objetType: 'proposition', objetId: pid, action: 'proposition', commentaire: 'matrice' };
      await db.transaction().execute((trx) =>
        ecrireAvecJournal(trx, ACTEURS_DEMO[0]!, t.ctx.now(), sujet, (e) =>
          insererProposition(e, pid, c.id, { annee: 2024, titulaire: 'T', marche: null, devis: null, objet: 'O', produit: null, montantCentimes: 100, baseMontant: null, dateFinPrestation: null, justification: null }),
        ),
      );
    }
    ids.aid = String((await db.selectFrom('alerte').select('id').executeTakeFirstOrThrow()).id);
    // an agent and a token that only the matrix touches, so that its writes change no profile's rights
    ids.aid_agent = '6f1d1b3e-0000-4000-8000-00000000c1b1';
    await creerAgentDemo(t.ctx, { id: ids.aid_agent, idpId: 'tests', sub: 'cible', email: 'cible@exemple.gouv.fr', prenom: 'Agent', nom: 'Cible', organisationSiret: null, role: 'partenaire', produits: [] });
    ids.jid = (await creerJeton(t.ctx, ACTEUR_SYSTEME, { nom: 'Cible de la matrice', role: 'partenaire', organisationSiret: '11000801300017' })).jeton.id;
    const fd = new FormData();
    fd.set('_csrf', CSRF);
    fd.append('fichiers', new File([seed('004_dae5c40bbfeb0924.txt')], 'selexpert.txt'));
    const r = await t.app.request('/imports', { method: 'POST', headers: t.as('demo-admin'), body: fd });
    ids.import = r.headers.get('location')!.split('/').pop()!;
    for (const p of PROFILS) if (p) jetons.set(p, (await creerJeton(t.ctx, ACTEUR_SYSTEME, { nom: `Matrice ${p}`, ...scope(p) })).valeur);
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
    const id = path.startsWith('/imports/') ? ids.import! : ids[ref]!;
    return path
      .replace(':id', id)
      .replace(':eid', ids[`${ref}/eid`]!)
      .replace(':pid', ids[`${ref}/pid`]!)
      .replace(':aid', path.startsWith('/admin/') ? ids.aid_agent! : ids.aid!)
      .replace(':jid', ids.jid!)
      .replace(':rang', '2');
  }

  /** A fresh session for each page request, so that a logout in the matrix ends no other request's session. */
  async function demande(route: string, profil: string | null, path: string): Promise<Response> {
    const method = route.split(' ')[0]!;
    if (path.startsWith('/api/')) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (profil) headers.authorization = `Bearer ${jetons.get(profil)}`;
      return t.app.request(path, { method, headers, body: method === 'GET' ? undefined : '{}' });
    }
    const cookies = [`delegations_csrf=${CSRF}`];
    if (profil) cookies.push(`delegations_session=${(await ouvrirSession(t.ctx, profil)).jeton}`);
    const headers = { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' };
    return t.app.request(path, { method, headers, body: method === 'GET' ? undefined : new URLSearchParams({ _csrf: CSRF }) });
  }

  function lettre(r: Response, path: string): string {
    if (r.status === 403) return 'F';
    if (r.status === 404) return 'N';
    if (r.status === 401) return 'L';
    if (r.status === 303 && (r.headers.get('location') ?? '').startsWith('/connexion?retour=')) return path.startsWith('/connexion') ? '+' : 'L';
    return '+';
  }

  it('has an expected answer for every route of the application, and no expectation for a route that does not exist', () => {
    expect(routesDe(t.app).sort()).toEqual(Object.keys(ATTENDU).sort());
  });

  it('answers every route, for every profile, on its own and on another organisation’s convention, as expected', async () => {
    const ecarts: string[] = [];
    let demandes = 0;
    for (const [route, ligne] of Object.entries(ATTENDU)) {
      const cas = typeof ligne === 'string' ? [['MSJ', ligne] as const] : (['MSJ', 'SELEX'] as const).map((c) => [c, ligne[c]] as const);
      for (const [cible, attendu] of cas) {
        const path = chemin(route, cible);
        let obtenu = '';
        for (const p of PROFILS) {
          const r = await demande(route, p, path);
          await r.arrayBuffer();
          obtenu += lettre(r, path);
          demandes++;
        }
        if (obtenu !== attendu) {
          const detail = [...attendu].map((l, i) => (l === obtenu[i] ? '' : `${NOMS[i]} : attendu ${l}, obtenu ${obtenu[i]}`)).filter(Boolean);
          ecarts.push(`${route}${typeof ligne === 'string' ? '' : ` (${cible})`} — ${detail.join(' ; ')}`);
        }
      }
    }
    expect(ecarts).toEqual([]);
    expect(demandes).toBeGreaterThan(500);
  }, 180_000);

  it('lists, for each profile, exactly the conventions that profile may read, in the pages and in the API', async () => {
    const toutes = await t.storage.db.selectFrom('convention').select(['id', 'reference']).execute();
    for (const p of PROFILS) {
      const acteur = p ? ACTEURS_DEMO.find((a) => a.id === p)! : { id: 'public', nom: 'Public', role: 'public' as const, organisationSiret: null, produits: [] };
      const attendues: string[] = [];
      for (const { id, reference } of toutes) if (peutLireConvention(acteur, (await lireConvention(t.storage.db, id))!)) attendues.push(reference!);
      const headers: Record<string, string> = p ? { authorization: `Bearer ${jetons.get(p)}` } : {};
      const api = (await (await t.app.request('/api/v1/conventions?taille=100', { headers })).json()) as { items: Array<{ reference: string }> };
      const liste = api.items.map((c) => c.reference).sort();
      expect(liste, `API, ${p ?? 'public'}`).toEqual(attendues.sort());
      const html = await (await t.app.request('/conventions', { headers: p ? t.as(p) : {} })).text();
      for (const { reference } of toutes) expect(html.includes(`>${reference}<`), `page, ${p ?? 'public'}, ${reference}`).toBe(attendues.includes(reference!));
    }
    // the partner of one ministry never sees the other's conventions
    expect(ACTEURS_DEMO.length).toBeGreaterThanOrEqual(5);
  });
});
