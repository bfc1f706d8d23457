import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  ouvrirProConnect,
  proConnectALaDemande,
  type ProConnect,
  type ProConnectConfig,
} from '../../src/web/proconnect.js';
import {
  demarrerProConnect,
  type CompteProConnect,
  type FauxProConnect,
  type OptionsProConnect,
} from '../support/oidc.js';
import { freePort } from '../support/process.js';

// our side is never fetched: the double hands the redirect back instead
const RETOUR = 'http://127.0.0.1:9/connexion/retour';
const APRES_DECONNEXION = 'http://127.0.0.1:9/connexion/au-revoir';

const AGENT: CompteProConnect = {
  sub: 'a1b2c3',
  idp_id: 'fi-dinum',
  email: 'camille.martin@numerique.gouv.fr',
  given_name: 'Camille',
  usual_name: 'Martin',
  siret: '13002526500013',
  uid: 'cmartin',
};
const SANS_SIRET: CompteProConnect = {
  sub: 'd4e5f6',
  idp_id: 'fi-culture',
  email: 'louis.petit@culture.gouv.fr',
  given_name: 'Louis',
  usual_name: 'Petit',
};

const ouverts: FauxProConnect[] = [];
afterAll(async () => Promise.all(ouverts.map((f) => f.close())));

function configPour(fpc: FauxProConnect, autre: Partial<ProConnectConfig> = {}): ProConnectConfig {
  return {
    issuer: fpc.issuer,
    clientId: fpc.clientId,
    clientSecret: fpc.clientSecret,
    redirectUri: RETOUR,
    postLogoutRedirectUri: APRES_DECONNEXION,
    ...autre,
  };
}

async function double(opts: Partial<OptionsProConnect> = {}): Promise<{ fpc: FauxProConnect; pc: ProConnect }> {
  const fpc = await demarrerProConnect({
    comptes: [AGENT, SANS_SIRET],
    redirectUris: [RETOUR],
    postLogoutRedirectUris: [APRES_DECONNEXION],
    ...opts,
  });
  ouverts.push(fpc);
  return { fpc, pc: await ouvrirProConnect(configPour(fpc)) };
}

async function erreur(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => {
      throw new Error('aurait dû échouer');
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

async function refus(p: Promise<unknown>, raison: RegExp): Promise<void> {
  const e = await erreur(p);
  expect(e.code).toBe('CONNEXION_REFUSEE');
  expect(e.message).toBe('La connexion avec ProConnect n’a pas abouti. Veuillez vous reconnecter.');
  expect(String(e.details.raison)).toMatch(raison);
}

function charge(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
}

describe('ProConnect client against a real OpenID provider', () => {
  let fpc: FauxProConnect;
  let pc: ProConnect;
  beforeAll(async () => ({ fpc, pc } = await double()));

  it('logs an agent in: identity from the signed userinfo, ID token at eidas1', async () => {
    const d = pc.debut();
    const retour = await fpc.connecterSansNavigateur(d.url, AGENT.sub);
    expect(retour.searchParams.get('state')).toBe(d.state);
    const { identite, idToken } = await pc.fin(retour, d);
    expect(identite).toEqual({
      idpId: 'fi-dinum',
      sub: 'a1b2c3',
      email: 'camille.martin@numerique.gouv.fr',
      prenom: 'Camille',
      nom: 'Martin',
      siret: '13002526500013',
    });
    const claims = charge(idToken);
    expect(claims).toMatchObject({ iss: fpc.issuer, aud: fpc.clientId, sub: 'a1b2c3', acr: 'eidas1', nonce: d.nonce });
  });

  it('gives no SIRET when the identity provider has none', async () => {
    const d = pc.debut();
    const { identite } = await pc.fin(await fpc.connecterSansNavigateur(d.url, SANS_SIRET.sub), d);
    expect(identite).toMatchObject({ sub: 'd4e5f6', idpId: 'fi-culture', siret: null });
  });

  it('asks for eidas1, the ProConnect scopes, PKCE S256 and long random state and nonce', () => {
    const d = pc.debut();
    const url = new URL(d.url);
    expect(url.origin).toBe(fpc.issuer);
    const p = url.searchParams;
    expect(p.get('acr_values')).toBe('eidas1');
    expect(p.get('scope')).toBe('openid email given_name usual_name siret idp_id uid');
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(fpc.clientId);
    expect(p.get('redirect_uri')).toBe(RETOUR);
    expect(p.get('state')).toBe(d.state);
    expect(p.get('nonce')).toBe(d.nonce);
    expect(d.state.length).toBeGreaterThanOrEqual(32);
    expect(d.nonce.length).toBeGreaterThanOrEqual(32);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toBe(createHash('sha256').update(d.codeVerifier).digest('base64url'));
    expect(p.has('prompt')).toBe(false);
    const autre = pc.debut();
    expect(autre.state).not.toBe(d.state);
    expect(autre.nonce).not.toBe(d.nonce);
    expect(autre.codeVerifier).not.toBe(d.codeVerifier);
  });

  it('refuses a callback whose state is not ours, then accepts the genuine one', async () => {
    const d = pc.debut();
    const retour = await fpc.connecterSansNavigateur(d.url, AGENT.sub);
    const falsifie = new URL(retour);
    falsifie.searchParams.set('state', `${d.state.slice(0, -1)}x`);
    await refus(pc.fin(falsifie, d), /state/);
    await refus(pc.fin(retour, { ...d, state: 'un-autre-state-de-plus-de-trente-deux-caracteres' }), /state/);
    expect((await pc.fin(retour, d)).identite.sub).toBe(AGENT.sub);
  });

  it('refuses when the provider answers an error, crafted or from a refused login', async () => {
    const d = pc.debut();
    const retour = new URL(RETOUR);
    retour.search = new URLSearchParams({
      error: 'access_denied',
      error_description: 'refus',
      state: d.state,
      iss: fpc.issuer,
    }).toString();
    await refus(pc.fin(retour, d), /access_denied/);

    const e = pc.debut();
    const inconnu = await fpc.connecterSansNavigateur(e.url, 'personne');
    expect(inconnu.searchParams.get('error')).toBe('access_denied');
    await refus(pc.fin(inconnu, e), /access_denied/);
  });

  it('refuses a code used twice, a nonce or a code verifier that are not ours', async () => {
    const d = pc.debut();
    const retour = await fpc.connecterSansNavigateur(d.url, AGENT.sub);
    await pc.fin(retour, d);
    await refus(pc.fin(retour, d), /invalid_grant/);

    const n = pc.debut();
    await refus(
      pc.fin(await fpc.connecterSansNavigateur(n.url, AGENT.sub), { ...n, nonce: pc.debut().nonce }),
      /nonce/,
    );
    const v = pc.debut();
    await refus(
      pc.fin(await fpc.connecterSansNavigateur(v.url, AGENT.sub), { ...v, codeVerifier: pc.debut().codeVerifier }),
      /invalid_grant/,
    );
  });

  it('sends the agent to the end_session_endpoint and back to our post-logout page', async () => {
    const d = pc.debut();
    const { idToken } = await pc.fin(await fpc.connecterSansNavigateur(d.url, AGENT.sub), d);
    const decouverte = await (await fetch(`${fpc.issuer}/.well-known/openid-configuration`)).json();
    const etat = pc.debut().state;
    const url = new URL(pc.urlDeconnexion(idToken, etat));
    expect(`${url.origin}${url.pathname}`).toBe(decouverte.end_session_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: idToken,
      state: etat,
      post_logout_redirect_uri: APRES_DECONNEXION,
    });
    const arrivee = await fpc.deconnecterSansNavigateur(url.href);
    expect(arrivee.href).toBe(`${APRES_DECONNEXION}?state=${etat}`);
  });
});

describe('ProConnect answers that must be refused', () => {
  async function connexion(opts: Partial<OptionsProConnect>) {
    const { fpc, pc } = await double(opts);
    const d = pc.debut();
    return pc.fin(await fpc.connecterSansNavigateur(d.url, AGENT.sub), d);
  }

  it('a userinfo that is plain JSON instead of a signed JWT', async () => {
    await refus(connexion({ userinfoNonSigne: true }), /userinfo.*JWT/);
  });

  it('an eIDAS level below eidas1, or none', async () => {
    await refus(connexion({ acr: 'eidas0' }), /eidas0/);
    await refus(connexion({ acr: '' }), /absent/);
  });

  it('accepts a stronger level', async () => {
    expect((await connexion({ acr: 'eidas2' })).identite.sub).toBe(AGENT.sub);
  });

  it('a signature that the published keys do not verify', async () => {
    await refus(connexion({ cleIncorrecte: true }), /signature|JWS|key/i);
  });
});

describe('ProConnect out of reach or misconfigured', () => {
  it('says ProConnect is unavailable when nothing answers', async () => {
    const port = await freePort();
    const e = await erreur(
      ouvrirProConnect({
        issuer: `http://127.0.0.1:${port}`,
        clientId: 'x',
        clientSecret: 'y',
        redirectUri: RETOUR,
        postLogoutRedirectUri: APRES_DECONNEXION,
      }),
    );
    expect(e.code).toBe('PROCONNECT_INDISPONIBLE');
    expect(e.message).toBe('ProConnect ne répond pas. Réessayez dans quelques minutes.');
    expect(String(e.details.raison)).toMatch(/ECONNREFUSED/);
  });

  it('retries the discovery after a failure when opened on demand', async () => {
    const fpc = await demarrerProConnect({
      comptes: [AGENT],
      redirectUris: [RETOUR],
      postLogoutRedirectUris: [APRES_DECONNEXION],
    });
    ouverts.push(fpc);
    let panne = true;
    const config = configPour(fpc);
    const obtenir = proConnectALaDemande({
      ...config,
      get issuer() {
        return panne ? 'http://127.0.0.1:9' : fpc.issuer;
      },
    });
    expect((await erreur(obtenir())).code).toBe('PROCONNECT_INDISPONIBLE');
    panne = false;
    const pc = await obtenir();
    expect(await obtenir()).toBe(pc);
  });

  it('follows an explicit discovery URL but still checks the issuer it announces', async () => {
    const { fpc } = await double();
    const discoveryUrl = `${fpc.issuer}/.well-known/openid-configuration`;
    const pc = await ouvrirProConnect(configPour(fpc, { discoveryUrl }));
    expect(new URL(pc.debut().url).origin).toBe(fpc.issuer);
    const e = await erreur(
      ouvrirProConnect(configPour(fpc, { discoveryUrl, issuer: fpc.issuer.replace('127.0.0.1', 'localhost') })),
    );
    expect(e.code).toBe('PROCONNECT_INDISPONIBLE');
    expect(String(e.details.raison)).toMatch(/issuer/);
  });

  it('refuses plain http anywhere but on this machine', async () => {
    await expect(
      ouvrirProConnect({
        issuer: 'http://auth.agentconnect.gouv.fr/api/v2',
        clientId: 'x',
        clientSecret: 'y',
        redirectUri: RETOUR,
        postLogoutRedirectUri: APRES_DECONNEXION,
      }),
    ).rejects.toThrow(/https/);
  });
});
