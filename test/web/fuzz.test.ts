import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { CODES_INSUFFISANCE } from '../../src/domain/insuffisance.js';
import { creerAgenda, creerAgentDemo, creerJeton } from '../../src/usecases/acces.js';
import { jetonCsrf } from '../../src/web/csrf.js';
import { REGLES, routesDe } from '../../src/web/regles.js';
import { SECRET, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import {
  champHostile,
  chemins,
  empreinte,
  enJson,
  exemple,
  jsonHostile,
  remplacer,
  segmentHostile,
} from '../support/hostile.js';

/**
 * Generated from the route table and the OpenAPI document, so that a route added later is fuzzed too: for
 * every route and every parameter (path segment, query, JSON field, form field), hostile values drawn by
 * fast-check. Whatever the value: no 5xx; an API error is the stable body; a refused write leaves every
 * table as it was.
 */

/** Written by any request on purpose: the rate-limit counters, a session's or a token's last use. */
const ECRITES_PAR_UN_REFUS = [
  'limite',
  'session.vu_le',
  'jeton.utilise_le',
  'kysely_migration',
  'kysely_migration_lock',
];
// each run draws anew: the suite's runs at three dates and on two databases add up; FUZZ_TIRAGES for more
const TIRAGES = Number(process.env.FUZZ_TIRAGES ?? 1);
/** The session must outlive the fuzz: leaving it is fuzzed without one. */
const SANS_SESSION = new Set(['POST /deconnexion', 'POST /connexion/demo', 'POST /connexion/proconnect']);

type Schema = Record<string, unknown>;
interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

describe.each(DATABASES)('generated fuzz of every route on %s', (kind) => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  const ids: Record<string, string> = {};
  let session = '';
  let csrf = '';
  const VISITEUR = 'a'.repeat(43);
  const jeton = (route: string) => (SANS_SESSION.has(route) ? jetonCsrf(SECRET, { visiteur: VISITEUR }) : csrf);

  beforeAll(async () => {
    t = await testApp(kind, { config: { limiteApi: 0, limiteConnexion: 0, connexionDemo: true } });
    const db = t.storage.db;
    const un = async (table: string, col = 'id') => {
      const r = await db
        .selectFrom(table as 'convention')
        .select(col as 'id')
        .limit(1)
        .executeTakeFirst();
      return r ? String(r.id) : randomUUID();
    };
    ids.id = await un('convention');
    ids.eid = await un('engagement');
    ids.pid = await un('proposition');
    ids.piece = await un('piece');
    ids.aid = await un('alerte');
    ids.cas = await un('insuffisance');
    ids.cid = await un('comite');
    ids.oid = await un('obligation');
    ids.import = await un('document');
    // the agent and the token that admin routes act on: not the fuzzing user's own
    ids.agent = '6f1d1b3e-0000-4000-8000-00000000f022';
    await creerAgentDemo(t.ctx, {
      id: ids.agent,
      idpId: 'tests',
      sub: 'fuzz',
      email: 'fuzz@exemple.gouv.fr',
      prenom: 'Agent',
      nom: 'Fuzz',
      organisationSiret: null,
      role: 'partenaire',
      produits: [],
    });
    // a live calendar feed, of that agent: the feed route is fuzzed past its secret too
    ids.jeton = (
      await creerAgenda(t.ctx, {
        id: ids.agent,
        nom: 'Agent Fuzz',
        role: 'partenaire',
        organisationSiret: null,
        produits: [],
      })
    ).valeur;
    ids.jid = (
      await creerJeton(t.ctx, ACTEUR_SYSTEME, {
        nom: 'Cible du fuzz',
        role: 'partenaire',
        organisationSiret: '11000801300017',
      })
    ).jeton.id;
    session = /delegations_session=([^;]+)/.exec(t.as('demo-admin').cookie!)![1]!;
    csrf = jetonCsrf(SECRET, { session });
    doc = await (await t.app.request('/api/v1/openapi.json')).json();
  }, 60_000);
  afterAll(async () => t?.close());

  const reel = (route: string, nom: string): string => {
    const chemin = route.split(' ')[1]!;
    if (nom === 'id' && chemin.startsWith('/imports/')) return ids.import!;
    if (nom === 'aid' && chemin.startsWith('/admin/')) return ids.agent!;
    return (
      { numero: '1', rang: '2', annee: '2026', produit: encodeURIComponent('Mon Suivi Justice') }[nom] ??
      ids[nom] ??
      'inconnu'
    );
  };
  const parametres = (route: string) => [...route.matchAll(/:([a-z_]+)/g)].map((m) => m[1]!);
  const adresse = (route: string, valeurs: Record<string, string>) =>
    route.split(' ')[1]!.replace(/:([a-z_]+)/g, (_m, n: string) => valeurs[n] ?? reel(route, n));

  /** The OpenAPI operation of an API route of the table. */
  const operation = (route: string): Operation | undefined => {
    const [methode, chemin] = route.split(' ') as [string, string];
    const cle = chemin.replace(/^\/api\/v1/, '').replace(/:([a-z_]+)/g, '{$1}');
    const trouve = Object.entries(doc.paths).find(
      ([p]) => p.replace(/\{[^}]+\}/g, '{}') === cle.replace(/\{[^}]+\}/g, '{}'),
    );
    return trouve?.[1][methode.toLowerCase()];
  };

  const entetes = (route: string, api: boolean, extra: Record<string, string> = {}) => {
    if (SANS_SESSION.has(route)) return { cookie: `delegations_csrf=${VISITEUR}`, ...extra };
    return api ? t.api('demo-admin', extra) : { cookie: `delegations_session=${session}`, ...extra };
  };

  /** What the database holds now, and its last alert: what a refused write must leave as it is. */
  let courante: Record<string, string> | null = null;
  let derniereAlerte = 0;
  const releve = async () => {
    courante = await empreinte(t.storage.db, ECRITES_PAR_UN_REFUS);
    derniereAlerte = Number(
      (
        await t.storage.db
          .selectFrom('alerte')
          .select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  };

  /** Sends one request; fails on a 5xx, a malformed API error, or a refused write that changed anything. */
  let precedente = '';
  async function essayer(route: string, url: string, init: RequestInit, decrit: string) {
    const methode = route.split(' ')[0]!;
    const avantMoi = precedente;
    precedente = decrit;
    if (!courante) await releve();
    const r = await t.app.request(url, { ...init, method: methode, redirect: 'manual' });
    const texte = await r.text();
    expect(r.status, `${decrit} → ${r.status} ${texte.slice(0, 300)}`).toBeLessThan(500);
    if (r.status >= 400 && url.startsWith('/api/')) {
      let corps: { code?: unknown; message?: unknown; details?: unknown } = {};
      try {
        corps = JSON.parse(texte);
      } catch {
        /* checked below */
      }
      expect(typeof corps.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(corps.code), `${decrit}: ${texte}`).toBe(true);
      expect(typeof corps.message, decrit).toBe('string');
      expect(typeof corps.details === 'object' && corps.details !== null, decrit).toBe(true);
    }
    // what was accepted may write (a first read fills a convention's checklist): the new state is the reference
    if (r.status < 400) return releve();
    const avant = courante!;
    const apres = await empreinte(t.storage.db, ECRITES_PAR_UN_REFUS);
    const changees = Object.keys(apres).filter((n) => apres[n] !== avant[n]);
    if (changees.length) {
      // a refusal for lack of credits is recorded on purpose, for the délégant: its alert and its case only
      const nouvelles = await t.storage.db
        .selectFrom('alerte')
        .select('code')
        .where('id', '>', derniereAlerte)
        .execute();
      const insuffisance = nouvelles.length === 1 && CODES_INSUFFISANCE.has(nouvelles[0]!.code);
      const autres = insuffisance
        ? changees.filter((n) => !['alerte', 'insuffisance', 'journal'].includes(n))
        : changees;
      expect(autres, `${decrit} → ${r.status} ${texte.slice(0, 200)} (après ${avantMoi})`).toEqual([]);
      await releve();
    }
  }

  it('describes every API route of the table in the OpenAPI document', () => {
    const sans = routesDe(t.app).filter((r) => r.includes(' /api/') && !operation(r));
    expect(sans).toEqual(['GET /api/v1/openapi.json']);
    expect(Object.keys(REGLES).length).toBeGreaterThan(150);
  });

  it('answers hostile path segments on every route with no 5xx, and writes nothing when refusing', async () => {
    for (const route of routesDe(t.app)) {
      const api = route.includes(' /api/');
      for (const nom of parametres(route)) {
        await fc.assert(
          fc.asyncProperty(segmentHostile, async (v) => {
            const url = adresse(route, { [nom]: v });
            const corps = route.startsWith('GET') ? undefined : api ? '{}' : `_csrf=${jeton(route)}`;
            await essayer(
              route,
              url,
              {
                headers: entetes(route, api, api ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
                body: corps,
              },
              `${route} :${nom}=${v.slice(0, 60)}`,
            );
          }),
          { numRuns: TIRAGES },
        );
      }
    }
  }, 600_000);

  it('answers hostile query values and JSON fields on every API route with the stable error body', async () => {
    for (const route of routesDe(t.app).filter((r) => r.includes(' /api/'))) {
      const op = operation(route) ?? {};
      const requete = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const nom of requete)
        await fc.assert(
          fc.asyncProperty(segmentHostile, async (v) => {
            await essayer(
              route,
              `${adresse(route, {})}?${nom}=${v}`,
              { headers: entetes(route, true) },
              `${route} ?${nom}=${v.slice(0, 60)}`,
            );
          }),
          { numRuns: TIRAGES },
        );
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema || route.startsWith('GET')) continue;
      const base = exemple(schema, doc.components.schemas);
      const url = adresse(route, {});
      // the whole body: not JSON, not an object, nested beyond reason
      for (const brut of [
        '{"a":',
        'null',
        '[]',
        '"texte"',
        '['.repeat(100_000),
        `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      ])
        await essayer(route, url, { headers: entetes(route, true), body: brut }, `${route} corps ${brut.slice(0, 20)}`);
      for (const champ of chemins(base))
        await fc.assert(
          fc.asyncProperty(jsonHostile, async (v) => {
            const corps = enJson(remplacer(base, champ, v));
            await essayer(
              route,
              url,
              { headers: entetes(route, true), body: corps },
              `${route} ${champ.join('.')}=${corps.slice(0, 120)}`,
            );
          }),
          { numRuns: TIRAGES },
        );
    }
  }, 600_000);

  it('answers hostile values in every form field with no 5xx, and writes nothing when refusing', async () => {
    // the forms as pages render them: every page of the table with real ids, read for its forms and fields
    const champsDe = new Map<string, Map<string, string>>();
    const routesPost = routesDe(t.app).filter((r) => r.startsWith('POST ') && !r.includes(' /api/'));
    const motif = (route: string) =>
      new RegExp(
        `^${route
          .split(' ')[1]!
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/:[a-z_]+/g, '[^/]+')}$`,
      );
    for (const route of routesDe(t.app).filter((r) => r.startsWith('GET ') && !r.includes(' /api/'))) {
      if (/\.(csv|xlsx|pdf|docx|json|ics)$|\/document$|\/texte$/.test(route)) continue;
      const r = await t.app.request(adresse(route, {}), { headers: entetes(route, false) });
      const html = await r.text();
      // a calendar feed has no form to read
      if (!(r.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      for (const f of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
        const action = /action="([^"]*)"/.exec(f[1]!)?.[1]?.replace(/&amp;/g, '&').split('?')[0];
        if (!action || !/method="post"/i.test(f[1]!)) continue;
        const cible = routesPost.find((p) => motif(p).test(action));
        if (!cible) continue;
        const champs = champsDe.get(cible) ?? new Map<string, string>();
        for (const c of f[2]!.matchAll(/<(?:input|select|textarea)\b([^>]*)>/g)) {
          const nom = /name="([^"]+)"/.exec(c[1]!)?.[1];
          if (nom && nom !== '_csrf' && !champs.has(nom)) champs.set(nom, /value="([^"]*)"/.exec(c[1]!)?.[1] ?? '');
        }
        champsDe.set(cible, champs);
      }
    }
    // a form no page shows (yet) is still fuzzed, on the fields such forms carry
    const GENERIQUES = ['motif', 'montant_centimes', 'annee', 'date', 'reference', 'nom', 'statut', 'pourcentage'];
    for (const route of routesPost) {
      const champs = champsDe.get(route) ?? new Map(GENERIQUES.map((n) => [n, '']));
      for (const [nom] of champs)
        await fc.assert(
          fc.asyncProperty(champHostile, async (v) => {
            const corps = [
              `_csrf=${jeton(route)}`,
              ...[...champs].map(([k, val]) => `${encodeURIComponent(k)}=${k === nom ? v : encodeURIComponent(val)}`),
            ].join('&');
            await essayer(
              route,
              adresse(route, {}),
              { headers: entetes(route, false, { 'content-type': 'application/x-www-form-urlencoded' }), body: corps },
              `${route} ${nom}=${v.slice(0, 60)}`,
            );
          }),
          { numRuns: TIRAGES },
        );
    }
    expect(champsDe.size).toBeGreaterThan(25);
  }, 600_000);
});
