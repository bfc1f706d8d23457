import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, form, testApp, type TestApp } from '../support/app.js';
import { attendreDebutFenetre, DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { demarrerProConnect, type FauxProConnect } from '../support/oidc.js';
import { SIRET_JUSTICE } from '../../src/demo/conventions.js';
import { ACTEUR_SYSTEME, DUREES_SESSION } from '../../src/domain/acces.js';
import { creerJeton, modifierAgent, ouvrirSession } from '../../src/usecases/acces.js';
import { FENETRE_LIMITES_MS } from '../../src/usecases/limite.js';

const PUBLIC_URL = 'http://localhost:3000';
const FORMULAIRE = 'application/x-www-form-urlencoded';
const ADMIN_EMAIL = 'camille.martin@numerique.gouv.fr';

/** What a browser keeps: the cookies it was given, by name. */
function cookiesDe(r: Response): Map<string, { valeur: string; attributs: string }> {
  const out = new Map<string, { valeur: string; attributs: string }>();
  for (const c of r.headers.getSetCookie()) {
    const [nv, ...attrs] = c.split(';');
    const i = nv!.indexOf('=');
    out.set(nv!.slice(0, i).trim(), { valeur: nv!.slice(i + 1).trim(), attributs: attrs.join(';') });
  }
  return out;
}

describe.each(DATABASES)('login with ProConnect on %s', (kind) => {
  let t: TestApp;
  let pc: FauxProConnect;
  let horloge = new Date('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    pc = await demarrerProConnect({
      comptes: [
        {
          sub: 'agent-justice',
          idp_id: 'fia1v2',
          email: 'alex.durand@justice.gouv.fr',
          given_name: 'Alex',
          usual_name: 'Durand',
          siret: SIRET_JUSTICE,
        },
        {
          sub: 'agent-admin',
          idp_id: 'fia1v2',
          email: ADMIN_EMAIL,
          given_name: 'Camille',
          usual_name: 'Martin',
          siret: '13002526500013',
        },
      ],
      redirectUris: [`${PUBLIC_URL}/connexion/retour`],
      postLogoutRedirectUris: [`${PUBLIC_URL}/connexion?deconnecte=1`],
    });
    t = await testApp(kind, {
      now: () => horloge,
      config: {
        proconnect: {
          issuer: pc.issuer,
          discoveryUrl: undefined,
          clientId: pc.clientId,
          clientSecret: pc.clientSecret,
        },
        administrateurs: [ADMIN_EMAIL],
        limiteConnexion: 0,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await pc?.close();
  });

  /** The whole round trip of a browser: our login button, the provider's login page, our callback. */
  async function connecter(sub: string, opts: { retour?: string; cookieAvant?: string } = {}) {
    const cookieAvant = opts.cookieAvant ? `; ${opts.cookieAvant}` : '';
    const debut = await t.app.request('/connexion/proconnect', {
      method: 'POST',
      headers: { cookie: `delegations_csrf=${CSRF}${cookieAvant}`, 'content-type': FORMULAIRE },
      body: form({ retour: opts.retour ?? '/credits' }),
    });
    expect(debut.status).toBe(303);
    const autorisation = debut.headers.get('location')!;
    const state = cookiesDe(debut).get('delegations_connexion')!.valeur;
    const rappel = await pc.connecterSansNavigateur(autorisation, sub);
    const fin = await t.app.request(rappel.pathname + rappel.search, {
      headers: { cookie: `delegations_csrf=${CSRF}; delegations_connexion=${state}${cookieAvant}` },
    });
    return {
      autorisation: new URL(autorisation),
      state,
      rappel,
      fin,
      session: cookiesDe(fin).get('delegations_session'),
    };
  }

  const moi = async (session: string | undefined) =>
    (await (
      await t.app.request('/api/v1/moi', { headers: session ? { cookie: `delegations_session=${session}` } : {} })
    ).json()) as { id: string; role: string; nom: string; organisation_siret: string | null };

  it('sends the agent to ProConnect with a fresh state, nonce, PKCE challenge and the eIDAS level', async () => {
    const { autorisation, state } = await connecter('agent-justice');
    const p = autorisation.searchParams;
    expect(autorisation.origin).toBe(new URL(pc.issuer).origin);
    expect(p.get('client_id')).toBe(pc.clientId);
    expect(p.get('redirect_uri')).toBe(`${PUBLIC_URL}/connexion/retour`);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('acr_values')).toBe('eidas1');
    expect(p.get('state')).toBe(state);
    expect(p.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(p.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'siret', 'idp_id']));
    const second = await connecter('agent-justice');
    expect(second.state).not.toBe(state);
  });

  it('logs an agent in, records it by (idp_id, sub) and attaches it to its organisation by SIRET', async () => {
    const { fin, session } = await connecter('agent-justice', { retour: '/credits?annee=2025' });
    expect(fin.status).toBe(303);
    expect(fin.headers.get('location')).toBe('/credits?annee=2025');
    expect(session).toBeDefined();
    expect(session!.attributs).toMatch(/HttpOnly/i);
    expect(session!.attributs).toMatch(/SameSite=Lax/i);
    const m = await moi(session!.valeur);
    expect(m).toMatchObject({ role: 'partenaire', nom: 'Alex Durand', organisation_siret: SIRET_JUSTICE });
    const agent = await t.storage.db
      .selectFrom('agent')
      .selectAll()
      .where('sub', '=', 'agent-justice')
      .executeTakeFirstOrThrow();
    expect(agent).toMatchObject({
      idp_id: 'fia1v2',
      email: 'alex.durand@justice.gouv.fr',
      organisation_siret: SIRET_JUSTICE,
      role: 'partenaire',
    });
    expect(agent.id).toBe(m.id);
    // the session is stored as a hash only
    const sessions = await t.storage.db.selectFrom('session').selectAll().where('agent_id', '=', agent.id).execute();
    expect(sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(sessions)).not.toContain(session!.valeur);
    // a partner of the Justice ministry sees its conventions and not those of the social ministries
    const liste = (await (
      await t.app.request('/api/v1/conventions', { headers: { cookie: `delegations_session=${session!.valeur}` } })
    ).json()) as { items: Array<{ reference: string }> };
    const refs = liste.items.map((c) => c.reference);
    const { references } = demo();
    expect(refs).toEqual(expect.arrayContaining([references.msj, references.selex]));
    expect(refs).not.toContain(references.msp);
  });

  it('recognises the same agent at the next login, keeps the role an administrator gave it, and starts administrators from configuration', async () => {
    const premier = await moi((await connecter('agent-justice')).session!.valeur);
    await t.storage.db
      .updateTable('agent')
      .set({ role: 'equipe', produits: JSON.stringify(['seLEXpert']) })
      .where('id', '=', premier.id)
      .execute();
    const second = await moi((await connecter('agent-justice')).session!.valeur);
    expect(second.id).toBe(premier.id);
    expect(second.role).toBe('equipe');
    await t.storage.db
      .updateTable('agent')
      .set({ role: 'partenaire', produits: JSON.stringify([]) })
      .where('id', '=', premier.id)
      .execute();
    expect((await moi((await connecter('agent-admin')).session!.valeur)).role).toBe('administrateur');
    expect(
      Number(
        (
          await t.storage.db
            .selectFrom('agent')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('sub', '=', 'agent-justice')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1);
  });

  it('never promotes a session identifier planted before login (session fixation), and ends it', async () => {
    const plantee = (await ouvrirSession(t.ctx, 'demo-equipe')).jeton;
    const { session } = await connecter('agent-justice', { cookieAvant: `delegations_session=${plantee}` });
    expect(session!.valeur).not.toBe(plantee);
    expect((await moi(session!.valeur)).nom).toBe('Alex Durand');
    expect((await moi(plantee)).role).toBe('public');
    // a made-up identifier is just ignored
    const inventee = 'Z'.repeat(43);
    const r = await connecter('agent-justice', { cookieAvant: `delegations_session=${inventee}` });
    expect(r.session!.valeur).not.toBe(inventee);
    expect((await moi(inventee)).role).toBe('public');
  });

  it('refuses a callback replayed, started in another browser, or refused by the provider, and opens no session', async () => {
    const { rappel, state } = await connecter('agent-justice');
    const sessionsAvant = Number(
      (
        await t.storage.db
          .selectFrom('session')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const rejouee = await t.app.request(rappel.pathname + rappel.search, {
      headers: { cookie: `delegations_connexion=${state}` },
    });
    expect(rejouee.status).toBe(400);
    expect(await rejouee.text()).toContain('La connexion a expiré ou a déjà été utilisée');
    expect(cookiesDe(rejouee).get('delegations_session')?.valeur ?? '').toBe('');

    // a login started elsewhere: the callback carries a state this browser never had
    const debut = await t.app.request('/connexion/proconnect', {
      method: 'POST',
      headers: { cookie: `delegations_csrf=${CSRF}`, 'content-type': FORMULAIRE },
      body: form({}),
    });
    const autre = await pc.connecterSansNavigateur(debut.headers.get('location')!, 'agent-justice');
    const forcee = await t.app.request(autre.pathname + autre.search, {
      headers: { cookie: `delegations_connexion=${'x'.repeat(43)}` },
    });
    expect(forcee.status).toBe(400);
    expect(await forcee.text()).toContain('commencée dans un autre navigateur');

    // unknown at the provider: error=access_denied comes back
    const refus = await connecter('inconnu');
    expect(refus.rappel.searchParams.get('error')).toBe('access_denied');
    expect(refus.fin.status).toBeGreaterThanOrEqual(400);
    expect(refus.session?.valeur ?? '').toBe('');
    const html = await refus.fin.text();
    expect(html).toContain('fr-alert--error');
    expect(html).not.toMatch(/stack|at \w+ \(/);
    const sessionsApres = Number(
      (
        await t.storage.db
          .selectFrom('session')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(sessionsApres).toBe(sessionsAvant);
  });

  it('logs out through the provider’s end-session endpoint and closes the session here first', async () => {
    const { session } = await connecter('agent-justice');
    const r = await t.app.request('/deconnexion', {
      method: 'POST',
      headers: {
        cookie: `delegations_csrf=${CSRF}; delegations_session=${session!.valeur}`,
        'content-type': FORMULAIRE,
      },
      body: form({}),
    });
    expect(r.status).toBe(303);
    const fin = new URL(r.headers.get('location')!);
    expect(fin.origin).toBe(new URL(pc.issuer).origin);
    expect(fin.searchParams.get('id_token_hint')).toBeTruthy();
    expect(fin.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/connexion?deconnecte=1`);
    expect((await moi(session!.valeur)).role).toBe('public');
    const retour = await pc.deconnecterSansNavigateur(fin.toString());
    expect(`${retour.origin}${retour.pathname}`).toBe(`${PUBLIC_URL}/connexion`);
    expect(retour.searchParams.get('deconnecte')).toBe('1');
    expect(retour.searchParams.get('state')).toBe(fin.searchParams.get('state'));
  });

  it('refuses a logout form without its CSRF token, and the session stays open', async () => {
    const { session } = await connecter('agent-justice');
    const r = await t.app.request('/deconnexion', {
      method: 'POST',
      headers: {
        cookie: `delegations_csrf=${CSRF}; delegations_session=${session!.valeur}`,
        'content-type': FORMULAIRE,
      },
      body: form({}, false),
    });
    expect(r.status).toBe(403);
    expect((await moi(session!.valeur)).nom).toBe('Alex Durand');
  });

  it('ends a session after two hours without a request, and after twelve hours in any case', async () => {
    const debut = horloge;
    try {
      const { session } = await connecter('agent-justice');
      horloge = new Date(debut.getTime() + DUREES_SESSION.inactiviteMs - 60_000);
      expect((await moi(session!.valeur)).role).toBe('partenaire');
      horloge = new Date(horloge.getTime() + DUREES_SESSION.inactiviteMs - 60_000);
      expect((await moi(session!.valeur)).role).toBe('partenaire');
      horloge = new Date(horloge.getTime() + DUREES_SESSION.inactiviteMs + 1000);
      const page = await t.app.request('/credits', { headers: { cookie: `delegations_session=${session!.valeur}` } });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/connexion?retour=%2Fcredits');
      expect(cookiesDe(page).get('delegations_session')?.valeur ?? '').toBe('');

      // busy all day: still ends at twelve hours
      horloge = debut;
      const actif = (await connecter('agent-justice')).session!.valeur;
      for (let h = 1; h < DUREES_SESSION.maxMs / 3600_000; h++) {
        horloge = new Date(debut.getTime() + h * 3600_000);
        expect((await moi(actif)).role).toBe('partenaire');
      }
      horloge = new Date(debut.getTime() + DUREES_SESSION.maxMs);
      expect((await moi(actif)).role).toBe('public');
    } finally {
      horloge = debut;
    }
  });

  it('ends the sessions of an agent whose role an administrator changes, and refuses a disabled agent at login', async () => {
    const admin = (await connecter('agent-admin')).session!.valeur;
    const agent = (await connecter('agent-justice')).session!.valeur;
    const { id } = await moi(agent);
    const cookie = `delegations_csrf=${CSRF}; delegations_session=${admin}`;
    const r = await t.app.request(`/admin/agents/${id}`, {
      method: 'POST',
      headers: { cookie, 'content-type': FORMULAIRE },
      body: form({ role: 'partenaire', organisationSiret: SIRET_JUSTICE, produits: '' }),
    });
    expect(r.status).toBe(303);
    expect((await moi(agent)).role).toBe('public');
    // the change names its author
    const ligne = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('objet_type', '=', 'agent')
      .where('objet_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(ligne).toMatchObject({
      action: 'modification',
      acteur_nom: 'Camille Martin',
      acteur_role: 'administrateur',
      convention_id: null,
    });
    expect(ligne.changements).toEqual([{ champ: 'actif', avant: true, apres: false }]);
    const refus = await connecter('agent-justice');
    expect(refus.fin.status).toBe(403);
    expect(await refus.fin.text()).toContain('Votre compte est désactivé');
    expect(refus.session?.valeur ?? '').toBe('');
    // enabled again, it logs in
    await t.app.request(`/admin/agents/${id}`, {
      method: 'POST',
      headers: { cookie, 'content-type': FORMULAIRE },
      body: form({ role: 'partenaire', organisationSiret: SIRET_JUSTICE, produits: '', actif: '1' }),
    });
    expect((await connecter('agent-justice')).fin.status).toBe(303);
  });

  it('keeps at least one active administrator', async () => {
    const admin = (await connecter('agent-admin')).session!.valeur;
    const { id } = await moi(admin);
    const cookie = `delegations_csrf=${CSRF}; delegations_session=${admin}`;
    const admins = await t.storage.db
      .selectFrom('agent')
      .select('id')
      .where('role', '=', 'administrateur')
      .where('id', '!=', id)
      .execute();
    for (const a of admins)
      await t.storage.db.updateTable('agent').set({ actif: false }).where('id', '=', a.id).execute();
    try {
      const r = await t.app.request(`/admin/agents/${id}`, {
        method: 'POST',
        headers: { cookie, 'content-type': FORMULAIRE },
        body: form({ role: 'gestionnaire', organisationSiret: '', produits: '', actif: '1' }),
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(await r.text()).toContain('Il doit rester au moins un administrateur actif.');
      expect((await moi(admin)).role).toBe('administrateur');
    } finally {
      for (const a of admins)
        await t.storage.db.updateTable('agent').set({ actif: true }).where('id', '=', a.id).execute();
    }
  });

  // PGlite is one backend that runs one transaction at a time: there the two changes queue and no race can
  // happen; only the PostgreSQL run of this test sees them compete for the locked administrators' rows.
  it('keeps one administrator when the last two demote each other at the same instant', async () => {
    const { id } = await moi((await connecter('agent-admin')).session!.valeur);
    const autres = await t.storage.db
      .selectFrom('agent')
      .select('id')
      .where('role', '=', 'administrateur')
      .where('actif', '=', true)
      .where('id', 'not in', [id, 'demo-admin'])
      .execute();
    for (const a of autres)
      await t.storage.db.updateTable('agent').set({ actif: false }).where('id', '=', a.id).execute();
    const acteurDe = async (aid: string) => {
      const a = await t.storage.db.selectFrom('agent').selectAll().where('id', '=', aid).executeTakeFirstOrThrow();
      return {
        id: a.id,
        nom: `${a.prenom} ${a.nom}`,
        role: 'administrateur' as const,
        organisationSiret: a.organisation_siret,
        produits: [],
      };
    };
    try {
      const [moiMeme, demo] = [await acteurDe(id), await acteurDe('demo-admin')];
      const resultats = await Promise.allSettled([
        modifierAgent(t.ctx, moiMeme, 'demo-admin', {
          role: 'gestionnaire',
          organisationSiret: '',
          produits: [],
          actif: true,
        }),
        modifierAgent(t.ctx, demo, id, { role: 'gestionnaire', organisationSiret: '', produits: [], actif: true }),
      ]);
      expect(resultats.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refus = resultats.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refus.reason).toMatchObject({ code: 'DERNIER_ADMINISTRATEUR' });
      const restants = await t.storage.db
        .selectFrom('agent')
        .select('id')
        .where('role', '=', 'administrateur')
        .where('actif', '=', true)
        .execute();
      expect(restants).toHaveLength(1);
    } finally {
      await t.storage.db
        .updateTable('agent')
        .set({ role: 'administrateur' })
        .where('id', 'in', [id, 'demo-admin'])
        .execute();
      for (const a of autres)
        await t.storage.db.updateTable('agent').set({ actif: true }).where('id', '=', a.id).execute();
    }
  });

  it('records in the journal the agent who placed an order, by its ProConnect identity', async () => {
    const admin = (await connecter('agent-admin')).session!.valeur;
    const { id: agentId } = await moi(admin);
    const atelier = await t.storage.db
      .selectFrom('convention')
      .select('id')
      .where('reference', '=', demo().references.atelier)
      .executeTakeFirstOrThrow();
    const r = await t.app.request(`/conventions/${atelier.id}/credits/engagements`, {
      method: 'POST',
      headers: { cookie: `delegations_csrf=${CSRF}; delegations_session=${admin}`, 'content-type': FORMULAIRE },
      body: form({
        titulaire: 'Scopyleft',
        objet: 'Atelier de cadrage',
        montant_centimes: '100',
        annee: '2026',
        date_engagement: '2026-11-20',
      }),
    });
    expect(r.status).toBe(303);
    const ligne = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('convention_id', '=', atelier.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(ligne).toMatchObject({ acteur_id: agentId, acteur_nom: 'Camille Martin', acteur_role: 'administrateur' });
  });
});

describe.each(DATABASES)('API tokens on %s', (kind) => {
  let t: TestApp;
  let horloge = new Date('2026-11-23T10:00:00Z');
  beforeAll(async () => {
    t = await testApp(kind, { now: () => horloge });
  });
  afterAll(async () => t?.close());

  const moi = (valeur: string) => t.app.request('/api/v1/moi', { headers: { authorization: `Bearer ${valeur}` } });

  it('creates a token in the administration pages, shows it once, stores only its hash, and refuses it once revoked', async () => {
    const r = await t.app.request('/admin/jetons', {
      method: 'POST',
      headers: t.as('demo-admin', { 'content-type': FORMULAIRE }),
      body: form({
        nom: 'Tableau de bord du pôle budget',
        role: 'partenaire',
        organisationSiret: SIRET_JUSTICE,
        produits: '',
        expireJours: '30',
      }),
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const valeur = /(dlg_[A-Za-z0-9_-]{20,})/.exec(await r.text())![1]!;
    const stocke = await t.storage.db
      .selectFrom('jeton')
      .selectAll()
      .where('nom', '=', 'Tableau de bord du pôle budget')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stocke)).not.toContain(valeur);
    expect(stocke.expire_le.getTime()).toBe(horloge.getTime() + 30 * 86_400_000);
    const liste = await (await t.app.request('/admin/jetons', { headers: t.as('demo-admin') })).text();
    expect(liste).toContain('Tableau de bord du pôle budget');
    expect(liste).not.toContain(valeur);

    const a = (await (await moi(valeur)).json()) as { role: string; organisation_siret: string };
    expect(a).toMatchObject({ role: 'partenaire', organisation_siret: SIRET_JUSTICE });
    const msp = await t.storage.db
      .selectFrom('convention')
      .select('id')
      .where('reference', '=', demo().references.msp)
      .executeTakeFirstOrThrow();
    expect(
      (await t.app.request(`/api/v1/conventions/${msp.id}`, { headers: { authorization: `Bearer ${valeur}` } })).status,
    ).toBe(404);

    const revoquer = (champs: Record<string, string>) =>
      t.app.request(`/admin/jetons/${stocke.id}/revocation`, {
        method: 'POST',
        headers: t.as('demo-admin', { 'content-type': FORMULAIRE }),
        body: form(champs),
      });
    // without the box ticked: the page says why, the box is tied to its message, and the token still works
    const sans = await revoquer({});
    expect(sans.status).toBe(400);
    const refusee = await sans.text();
    expect(refusee).toContain('Cochez la case pour confirmer la révocation : elle est définitive.');
    expect(refusee).toContain(`id="f-revocation-${stocke.id}-confirmation-err"`);
    expect(refusee).toContain(`aria-describedby="f-revocation-${stocke.id}-confirmation-err"`);
    expect((await moi(valeur)).status).toBe(200);
    expect((await revoquer({ confirmation: 'non' })).status).toBe(400);
    expect((await revoquer({ confirmation: 'oui' })).status).toBe(303);
    const refus = await moi(valeur);
    expect(refus.status).toBe(401);
    expect(refus.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await refus.json()) as { code: string }).code).toBe('JETON_REVOQUE');
    const journal = await t.storage.db
      .selectFrom('journal')
      .select(['action', 'acteur_id'])
      .where('objet_type', '=', 'jeton')
      .where('objet_id', '=', stocke.id)
      .orderBy('id')
      .execute();
    expect(journal).toEqual([
      { action: 'creation', acteur_id: 'demo-admin' },
      { action: 'revocation', acteur_id: 'demo-admin' },
    ]);
  });

  it('refuses an expired token, an unknown one and a malformed header with a stable code', async () => {
    const { valeur } = await creerJeton(t.ctx, ACTEUR_SYSTEME, { nom: 'Court', role: 'gestionnaire', expireJours: 1 });
    expect((await moi(valeur)).status).toBe(200);
    const debut = horloge;
    horloge = new Date(debut.getTime() + 86_400_000);
    try {
      const r = await moi(valeur);
      expect(r.status).toBe(401);
      expect(((await r.json()) as { code: string }).code).toBe('JETON_EXPIRE');
    } finally {
      horloge = debut;
    }
    const inconnu = await moi(`dlg_${'x'.repeat(43)}`);
    expect(((await inconnu.json()) as { code: string }).code).toBe('JETON_INVALIDE');
    const mal = await t.app.request('/api/v1/moi', { headers: { authorization: 'Basic abc' } });
    expect(mal.status).toBe(401);
    expect(((await mal.json()) as { code: string }).code).toBe('JETON_INVALIDE');
  });

  it('lets a token write through the API, records the token as the actor, and refuses API writes with a session cookie alone', async () => {
    const atelier = await t.storage.db
      .selectFrom('convention')
      .select('id')
      .where('reference', '=', demo().references.atelier)
      .executeTakeFirstOrThrow();
    const { jeton, valeur } = await creerJeton(t.ctx, ACTEUR_SYSTEME, {
      nom: 'Outil de suivi du pôle budget',
      role: 'gestionnaire',
    });
    const corps = JSON.stringify({
      annee: 2026,
      montant_centimes: 100,
      objet: 'Atelier',
      titulaire: 'Octo Technology',
      date_engagement: '2026-11-20',
    });
    const parCookie = await t.app.request(`/api/v1/conventions/${atelier.id}/engagements`, {
      method: 'POST',
      headers: t.as('demo-gestionnaire', { 'content-type': 'application/json' }),
      body: corps,
    });
    expect(parCookie.status).toBe(401);
    expect(((await parCookie.json()) as { code: string }).code).toBe('NON_AUTHENTIFIE');
    const r = await t.app.request(`/api/v1/conventions/${atelier.id}/engagements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${valeur}`, 'content-type': 'application/json' },
      body: corps,
    });
    expect(r.status).toBe(201);
    const ligne = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('convention_id', '=', atelier.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(ligne).toMatchObject({
      acteur_id: `jeton:${jeton.id}`,
      acteur_nom: expect.stringContaining('Outil de suivi du pôle budget'),
    });
    const utilise = await t.storage.db
      .selectFrom('jeton')
      .select('utilise_le')
      .where('id', '=', jeton.id)
      .executeTakeFirstOrThrow();
    expect(utilise.utilise_le).not.toBeNull();
  });

  it('refuses a form whose CSRF token is missing or different, and changes nothing', async () => {
    const avant = Number(
      (
        await t.storage.db
          .selectFrom('jeton')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const champs = { nom: 'Jeton forcé', role: 'administrateur', expireJours: '30' };
    const sans = await t.app.request('/admin/jetons', {
      method: 'POST',
      headers: t.as('demo-admin', { 'content-type': FORMULAIRE }),
      body: form(champs, false),
    });
    expect(sans.status).toBe(403);
    expect(await sans.text()).toContain('Le formulaire a expiré ou ne provient pas de Délégations');
    const autre = new URLSearchParams({ ...champs, _csrf: 'b'.repeat(43) });
    expect(
      (
        await t.app.request('/admin/jetons', {
          method: 'POST',
          headers: t.as('demo-admin', { 'content-type': FORMULAIRE }),
          body: autre,
        })
      ).status,
    ).toBe(403);
    const multipart = new FormData();
    for (const [k, v] of Object.entries(champs)) multipart.set(k, v);
    expect(
      (await t.app.request('/admin/jetons', { method: 'POST', headers: t.as('demo-admin'), body: multipart })).status,
    ).toBe(403);
    expect(
      Number(
        (
          await t.storage.db
            .selectFrom('jeton')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(avant);
  });
});

describe('security headers and rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite', { config: { publicUrl: 'https://delegations.beta.gouv.fr' } });
  });
  afterAll(async () => t?.close());

  it('sends a CSP the DSFR works with, no framing, and Secure __Host- cookies over HTTPS', async () => {
    const r = await t.app.request('/connexion');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('strict-transport-security')).toContain('max-age=');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    // every script of the page comes from this origin
    for (const [, src] of (await r.text()).matchAll(/<script[^>]*src="([^"]+)"/g)) expect(src).toMatch(/^\//);
    const s = await ouvrirSession(t.ctx, 'demo-admin');
    const d = await t.app.request('/deconnexion', {
      method: 'POST',
      headers: {
        cookie: `__Host-delegations_csrf=x; delegations_csrf=${CSRF}; __Host-delegations_session=${s.jeton}`,
        'content-type': FORMULAIRE,
      },
      body: form({}),
    });
    expect(d.status).toBe(303);
    const efface = d.headers.getSetCookie().find((c) => c.startsWith('__Host-delegations_session='))!;
    expect(efface).toMatch(/Secure/i);
    expect(efface).toMatch(/Path=\//i);
    const csrf = (await t.app.request('/connexion')).headers
      .getSetCookie()
      .find((c) => c.startsWith('__Host-delegations_csrf='))!;
    expect(csrf).toMatch(/Secure/i);
    expect(csrf).toMatch(/Path=\//i);
    expect(csrf).toMatch(/HttpOnly/i);
  });

  it('answers an internal failure without any internal detail', async () => {
    const panne = await testApp('pglite');
    const jeton = panne.api('demo-gestionnaire');
    const page = panne.as('demo-gestionnaire');
    await panne.storage.close();
    const api = await panne.app.request('/api/v1/credits', { headers: jeton });
    expect(api.status).toBeGreaterThanOrEqual(500);
    const corps = await api.text();
    expect(JSON.parse(corps)).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) });
    expect(corps).not.toMatch(/pglite|postgres|stack|\.ts:|Error:/i);
    const html = await (await panne.app.request('/credits', { headers: page })).text();
    expect(html).not.toMatch(/pglite|stack|\.ts:\d|Error:/i);
  });

  it('limits login attempts and API calls per client, with a clear answer', async () => {
    const l = await testApp('pglite', { config: { limiteConnexion: 3, limiteApi: 5 } });
    const t = l;
    await attendreDebutFenetre(l.storage, FENETRE_LIMITES_MS, 10_000);
    const essais = [];
    for (let i = 0; i < 4; i++)
      essais.push(
        (
          await t.app.request('/connexion/demo', {
            method: 'POST',
            headers: { cookie: `delegations_csrf=${CSRF}`, 'content-type': FORMULAIRE },
            body: form({}),
          })
        ).status,
      );
    expect(essais.slice(0, 3)).not.toContain(429);
    expect(essais[3]).toBe(429);
    const appels = [];
    for (let i = 0; i < 6; i++) appels.push(await t.app.request('/api/v1/moi'));
    expect(appels.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(appels[5]!.status).toBe(429);
    const corps = (await appels[5]!.json()) as { code: string; message: string };
    expect(corps.code).toBe('TROP_DE_REQUETES');
    expect(corps.message).toContain('réessayez');
    // pages are not counted against the API
    expect((await t.app.request('/conventions')).status).toBe(200);
    // reading the login page is not an attempt
    for (let i = 0; i < 5; i++) expect((await t.app.request('/connexion')).status).toBe(200);
    await l.close();
  }, 30_000);
});
