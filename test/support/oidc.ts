import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload, type Configuration } from 'oidc-provider';

/** An agent known to the fake ProConnect; claims named as ProConnect names them. */
export interface CompteProConnect {
  sub: string;
  idp_id: string;
  email: string;
  given_name: string;
  usual_name: string;
  siret?: string;
  uid?: string;
}

export interface FauxProConnect {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Does the whole provider side of a login without a browser: from our authorization URL, logs in as `sub`,
   * returns the callback URL the provider redirects to (code + state), without fetching it.
   * An unknown `sub` makes the provider answer error=access_denied. Each call is a fresh browser (no SSO).
   */
  connecterSansNavigateur(urlAutorisation: string, sub: string): Promise<URL>;
  /** Follows our logout URL in the browser of the last login; returns the post-logout redirect, without fetching it. */
  deconnecterSansNavigateur(urlDeconnexion: string): Promise<URL>;
  close(): Promise<void>;
}

export interface OptionsProConnect {
  comptes: CompteProConnect[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** userinfo as plain JSON instead of a signed JWT */
  userinfoNonSigne?: boolean;
  /** acr of the ID token (default eidas1); '' leaves the claim out */
  acr?: string;
  /** the JWKS publishes another key under the signing key's kid: every signature must then fail */
  cleIncorrecte?: boolean;
}

const page = (uid: string) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>ProConnect (test)</title></head>
<body><h1>ProConnect (test)</h1>
<form method="post" action="/interaction/${uid}/login">
<label for="login">Identifiant</label> <input id="login" name="login" type="text" required autofocus>
<button type="submit">Se connecter</button>
</form></body></html>`;

/** oidc-provider's in-memory adapter logs a warning; this one is enough for a test run (the provider checks expiry). */
function memoire(): (model: string) => Adapter {
  const donnees = new Map<string, AdapterPayload>();
  return (model) => {
    const cle = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload) {
        donnees.set(cle(id), payload);
      },
      async find(id) {
        return donnees.get(cle(id));
      },
      async findByUid(uid) {
        return [...donnees].find(([k, p]) => k.startsWith(`${model}:`) && p.uid === uid)?.[1];
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const p = donnees.get(cle(id));
        // the provider plays ProConnect, an outside system on real time: it dates its own tokens, and only
        // tests whether a code was consumed; the product's clock port does not reach it
        if (p) p.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        donnees.delete(cle(id));
      },
      async revokeByGrantId(grantId) {
        for (const [k, p] of donnees) if (p.grantId === grantId) donnees.delete(k);
      },
    };
  };
}

function cleRsa(kid: string) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

/** Cookies of one simulated browser: names are unique enough for the provider's few cookies. */
class Navigateur {
  private cookies = new Map<string, string>();
  async aller(url: URL, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie },
    });
    for (const c of res.headers.getSetCookie()) {
      const [nv, ...attrs] = c.split(';');
      const [nom, valeur = ''] = nv!.split(/=(.*)/s, 2).map((s) => s.trim());
      const expire = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now());
      if (!valeur || expire) this.cookies.delete(nom!);
      else this.cookies.set(nom!, valeur);
    }
    return res;
  }
}

/** Starts a real OpenID provider on 127.0.0.1 that answers like ProConnect. */
export async function demarrerProConnect(opts: OptionsProConnect): Promise<FauxProConnect> {
  const comptes = new Map(opts.comptes.map((c) => [c.sub, c]));
  const clientId = `delegations-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const acr = opts.acr ?? 'eidas1';
  let provider!: Provider;
  let rappel!: ReturnType<Provider['callback']>;
  let dernier: Navigateur | undefined;

  const serveur = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (opts.cleIncorrecte && url.pathname === '/jwks') {
      const { d, p, q, dp, dq, qi, ...publique } = cleRsa('cle');
      void [d, p, q, dp, dq, qi];
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [publique] }));
      return;
    }
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!m) {
      void rappel(req, res);
      return;
    }
    interaction(req, res, m[1]!, m[2] !== undefined).catch((e: unknown) => {
      res.statusCode = 400;
      res.end(e instanceof Error ? e.message : String(e));
    });
  });

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, soumis: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction inconnue');
    if (!soumis) {
      res.setHeader('content-type', 'text/html; charset=utf-8').end(page(uid));
      return;
    }
    let corps = '';
    for await (const morceau of req) corps += morceau;
    const compte = comptes.get(new URLSearchParams(corps).get('login') ?? '');
    if (!compte) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'Identifiant inconnu' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    // consent is implied, as with ProConnect: grant every scope asked for
    const grant = new provider.Grant({ accountId: compte.sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    const login = acr ? { accountId: compte.sub, acr } : { accountId: compte.sub };
    await provider.interactionFinished(req, res, { login, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  await new Promise<void>((r) => serveur.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
  const heure = () => 3600;
  const configuration: Configuration = {
    adapter: memoire(),
    jwks: { keys: [cleRsa('cle')] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris,
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        ...(opts.userinfoNonSigne ? {} : { userinfo_signed_response_alg: 'RS256' }),
      },
    ],
    acrValues: ['eidas0', 'eidas1', 'eidas1-mfa', 'eidas2', 'eidas3', ...(acr ? [acr] : [])].filter(
      (v, i, a) => a.indexOf(v) === i,
    ),
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      email: ['email'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      siret: ['siret'],
      idp_id: ['idp_id'],
      uid: ['uid'],
    },
    async findAccount(_ctx, sub) {
      const compte = comptes.get(sub);
      return compte && { accountId: sub, claims: () => ({ ...compte }) };
    },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // ProConnect logs out without asking: the confirmation form submits itself (fetch callers post it)
        logoutSource: (ctx, form) => {
          ctx.body = `<!doctype html><html lang="fr"><body>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/><button type="submit">Se déconnecter</button></form>')}<script>document.forms[0].submit()</script></body></html>`;
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = 'Déconnecté';
        },
      },
    },
    // the defaults of these log a notice on first use
    ttl: { AccessToken: 60, AuthorizationCode: 30, IdToken: heure, Interaction: heure, Session: heure, Grant: heure },
    renderError: (ctx, out) => {
      ctx.type = 'text';
      ctx.body = `${out.error}: ${out.error_description ?? ''}`;
    },
    clientBasedCORS: () => false,
  };
  provider = new Provider(issuer, configuration);
  rappel = provider.callback();

  const redirection = (res: Response, depuis: URL) => new URL(res.headers.get('location')!, depuis);
  const estRetour = (url: URL, uris: string[]) =>
    uris.some((u) => {
      const v = new URL(u);
      return url.origin === v.origin && url.pathname === v.pathname;
    });

  /** Follows redirects and posts the pages' forms until the provider sends the browser to one of `uris`. */
  async function parcourir(nav: Navigateur, depart: string, uris: string[], sub?: string): Promise<URL> {
    let url = new URL(depart);
    let init: RequestInit = {};
    for (let etape = 0; etape < 10; etape++) {
      const res = await nav.aller(url, init);
      init = {};
      if (res.status >= 300 && res.status < 400) {
        url = redirection(res, url);
        if (estRetour(url, uris)) return url;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${res.status} ${url.href}: ${html.slice(0, 300)}`);
      const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
      if (!form) throw new Error(`page sans formulaire ${url.href}: ${html.slice(0, 300)}`);
      const champs = new URLSearchParams();
      for (const [, nom, valeur] of form[2]!.matchAll(/<input[^>]*name="([^"]+)"(?:[^>]*?value="([^"]*)")?[^>]*>/g))
        champs.set(nom!, valeur ?? '');
      if (champs.has('login')) champs.set('login', sub ?? '');
      url = new URL(form[1]!.replaceAll('&amp;', '&'), url);
      init = {
        method: 'POST',
        body: champs.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    throw new Error(`trop de redirections depuis ${depart}`);
  }

  return {
    issuer,
    clientId,
    clientSecret,
    connecterSansNavigateur(urlAutorisation, sub) {
      dernier = new Navigateur();
      return parcourir(dernier, urlAutorisation, opts.redirectUris, sub);
    },
    deconnecterSansNavigateur(urlDeconnexion) {
      return parcourir(dernier ?? new Navigateur(), urlDeconnexion, opts.postLogoutRedirectUris);
    },
    close: () =>
      new Promise<void>((r) => {
        serveur.closeAllConnections();
        serveur.close(() => r());
      }),
  };
}
