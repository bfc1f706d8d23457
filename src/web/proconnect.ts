import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { DomainError } from '../domain/errors.js';

/** Connection settings of the ProConnect client (issued when the service is registered with ProConnect). */
export interface ProConnectConfig {
  /** e.g. https://auth.agentconnect.gouv.fr/api/v2 */
  issuer: string;
  /** explicit .well-known URL if not issuer + /.well-known/openid-configuration */
  discoveryUrl?: string;
  clientId: string;
  clientSecret: string;
  /** our callback, e.g. https://app/connexion/retour */
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export interface IdentiteProConnect {
  /** identity provider that authenticated the agent; with `sub`, identifies the agent */
  idpId: string;
  sub: string;
  email: string;
  prenom: string;
  nom: string;
  /** organisation of the agent, when the identity provider knows it */
  siret: string | null;
}

/** What the callback needs to finish the login: keep it server-side (session) between `debut` and `fin`. */
export interface DebutConnexion {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface ProConnect {
  debut(): DebutConnexion;
  fin(
    retour: URL,
    attendu: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ identite: IdentiteProConnect; idToken: string }>;
  urlDeconnexion(idToken: string, state: string): string;
}

const SCOPES_PROCONNECT = 'openid email given_name usual_name siret idp_id uid';

/** eIDAS levels at least as strong as eidas1 (ProConnect documents eidas1-mfa between eidas1 and eidas2). */
const NIVEAUX_ACR_ACCEPTES: ReadonlySet<string> = new Set(['eidas1', 'eidas1-mfa', 'eidas2', 'eidas3']);

const MESSAGE_INDISPONIBLE = 'ProConnect ne répond pas. Réessayez dans quelques minutes.';
const MESSAGE_REFUSEE = 'La connexion avec ProConnect n’a pas abouti. Veuillez vous reconnecter.';

function indisponible(raison: string): DomainError {
  return new DomainError('PROCONNECT_INDISPONIBLE', MESSAGE_INDISPONIBLE, { raison });
}

function refusee(raison: string): DomainError {
  return new DomainError('CONNEXION_REFUSEE', MESSAGE_REFUSEE, { raison });
}

function estLocal(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Plain http only towards this machine (the test double); ProConnect itself is https. */
function verifierProtocole(url: URL, nom: string): boolean {
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && estLocal(url)) return true;
  throw new Error(`${nom} doit être une adresse https : ${url.href}`);
}

/** Network failures, timeouts and 5xx answers mean "try again later"; anything else is a refused login. */
function estPanneReseau(e: unknown): boolean {
  if (e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError')) return true;
  // undici's message for refused connections, DNS and TLS failures (the cause says which)
  if (e instanceof TypeError && e.message === 'fetch failed') return true;
  if (e instanceof oidc.ClientError && e.cause instanceof Response && e.cause.status >= 500) return true;
  return false;
}

function raisonDe(e: unknown): string {
  if (e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError) {
    return `réponse du fournisseur : ${e.error}${e.error_description ? ` (${e.error_description})` : ''}`;
  }
  if (e instanceof Error) {
    const code = 'code' in e && e.code ? `${String(e.code)} : ` : '';
    // openid-client's own message is generic; the precise check that failed is in the cause
    const cause = e.cause instanceof Error && e.cause.message !== e.message ? ` — ${e.cause.message}` : '';
    return `${code}${e.message}${cause}`;
  }
  return String(e);
}

function texte(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** Discovers ProConnect and returns a client bound to it. Throws PROCONNECT_INDISPONIBLE when ProConnect cannot be reached. */
export async function ouvrirProConnect(cfg: ProConnectConfig): Promise<ProConnect> {
  const issuer = new URL(cfg.issuer);
  const decouverte = cfg.discoveryUrl ? new URL(cfg.discoveryUrl) : issuer;
  const issuerLocal = verifierProtocole(issuer, 'issuer ProConnect');
  const insecure = verifierProtocole(decouverte, 'discoveryUrl ProConnect') || issuerLocal;

  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(
      decouverte,
      cfg.clientId,
      {
        client_secret: cfg.clientSecret,
        // ProConnect signs both with the algorithm chosen at registration; RS256 lets us check them against its JWKS
        id_token_signed_response_alg: 'RS256',
        // set, it makes openid-client demand application/jwt and refuse a plain JSON userinfo
        userinfo_signed_response_alg: 'RS256',
      },
      // ProConnect's token endpoint documents client_id and client_secret in the form body
      oidc.ClientSecretPost(cfg.clientSecret),
      {
        timeout: 10,
        // openid-client trusts TLS for the token response and checks no signature unless asked
        execute: insecure
          ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
          : [oidc.enableNonRepudiationChecks],
      },
    );
  } catch (e) {
    throw indisponible(`découverte : ${raisonDe(e)}`);
  }
  const metadata = config.serverMetadata();
  // a well-known URL given directly skips openid-client's issuer check: do it here
  if (metadata.issuer !== cfg.issuer) throw indisponible(`issuer annoncé ${metadata.issuer}, attendu ${cfg.issuer}`);
  const finSession = metadata.end_session_endpoint;
  if (!finSession) throw indisponible('end_session_endpoint absent de la découverte');

  return {
    debut() {
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      // S256 computed here so that debut() stays synchronous (same as calculatePKCECodeChallenge)
      const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: cfg.redirectUri,
        scope: SCOPES_PROCONNECT,
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        acr_values: 'eidas1',
      });
      return { url: url.href, state, nonce, codeVerifier };
    },

    async fin(retour, attendu) {
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, retour, {
          expectedState: attendu.state,
          expectedNonce: attendu.nonce,
          pkceCodeVerifier: attendu.codeVerifier,
        });
      } catch (e) {
        if (estPanneReseau(e)) throw indisponible(`jeton : ${raisonDe(e)}`);
        throw refusee(raisonDe(e));
      }
      const idToken = tokens.id_token;
      const claims = tokens.claims();
      if (!idToken || !claims) throw refusee('id_token absent');
      const acr = texte(claims.acr);
      if (!acr || !NIVEAUX_ACR_ACCEPTES.has(acr)) throw refusee(`niveau eIDAS insuffisant : ${acr ?? 'absent'}`);

      let infos: oidc.UserInfoResponse;
      try {
        infos = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      } catch (e) {
        if (estPanneReseau(e)) throw indisponible(`userinfo : ${raisonDe(e)}`);
        throw refusee(`userinfo : ${raisonDe(e)}`);
      }
      const identite = {
        idpId: texte(infos.idp_id),
        sub: texte(infos.sub),
        email: texte(infos.email),
        prenom: texte(infos.given_name),
        nom: texte(infos.usual_name),
      };
      const manquants = Object.entries(identite)
        .filter(([, v]) => v === null)
        .map(([k]) => k);
      if (manquants.length) throw refusee(`informations manquantes : ${manquants.join(', ')}`);
      return { identite: { ...(identite as Omit<IdentiteProConnect, 'siret'>), siret: texte(infos.siret) }, idToken };
    },

    urlDeconnexion(idToken, state) {
      // by hand, with exactly the three parameters ProConnect documents for logout (buildEndSessionUrl adds client_id)
      const url = new URL(finSession);
      url.searchParams.set('id_token_hint', idToken);
      url.searchParams.set('state', state);
      url.searchParams.set('post_logout_redirect_uri', cfg.postLogoutRedirectUri);
      return url.href;
    },
  };
}

/**
 * For the web app: discovers ProConnect on first use rather than at start-up, keeps the client once it worked,
 * and tries again on the next call after a failure (ProConnect down at start-up must not need a restart).
 */
export function proConnectALaDemande(cfg: ProConnectConfig): () => Promise<ProConnect> {
  let enCours: Promise<ProConnect> | undefined;
  return () => {
    enCours ??= ouvrirProConnect(cfg).catch((e: unknown) => {
      enCours = undefined;
      throw e;
    });
    return enCours;
  };
}
