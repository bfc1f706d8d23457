import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Config } from '../../config.js';
import { DomainError } from '../../domain/errors.js';
import { toApiError } from '../errors.js';
import { ACTEURS_DEMO } from '../../demo/acteurs.js';
import { connecterAgent, memoriserConnexion, ouvrirSession, reprendreConnexion } from '../../usecases/acces.js';
import type { Contexte } from '../../usecases/contexte.js';
import { poserCookieSession, quitterSession, type Env } from '../auth.js';
import { proConnectALaDemande, type ProConnect } from '../proconnect.js';
import { ConnexionPage } from '../pages/connexion.js';

const COOKIE_CONNEXION = 'delegations_connexion';

/** Only a path of this site: never send a freshly logged-in agent to another origin. */
function retourSur(v: string | undefined): string {
  return v && /^\/(?![/\\])[^\s]*$/.test(v) && !v.startsWith('/connexion') ? v : '/';
}

export interface OptionsConnexion {
  config: Pick<Config, 'publicUrl' | 'proconnect' | 'administrateurs'>;
  secure: boolean;
  connexionDemo: boolean;
}

/**
 * Login and logout. ProConnect when configured: the login under way is kept server-side (state, nonce,
 * PKCE verifier) and bound to the browser by a short cookie holding its state.
 */
export function accesPages(ctx: Contexte, { config, secure, connexionDemo }: OptionsConnexion) {
  const app = new Hono<Env>();
  const pc = config.proconnect;
  const proconnect: () => Promise<ProConnect> = pc
    ? proConnectALaDemande({
        issuer: pc.issuer,
        discoveryUrl: pc.discoveryUrl,
        clientId: pc.clientId,
        clientSecret: pc.clientSecret,
        redirectUri: `${config.publicUrl}/connexion/retour`,
        postLogoutRedirectUri: `${config.publicUrl}/connexion?deconnecte=1`,
      })
    : () => Promise.reject(new DomainError('INTROUVABLE', 'ProConnect n’est pas configuré sur ce service.'));
  const demo = connexionDemo ? ACTEURS_DEMO : [];
  const page = (c: Context<Env>, extra: { erreur?: string; info?: string } = {}, status = 200) =>
    c.html(
      <ConnexionPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        proconnect={pc !== null}
        demo={demo}
        retour={retourSur(c.req.query('retour'))}
        {...extra}
      />,
      status as 200,
    );

  app.get('/connexion', (c) => page(c, c.req.query('deconnecte') ? { info: 'Vous êtes déconnecté.' } : {}));

  app.post('/connexion/proconnect', async (c) => {
    const body = await c.req.parseBody();
    const retour = retourSur(typeof body.retour === 'string' ? body.retour : undefined);
    try {
      const d = (await proconnect()).debut();
      await memoriserConnexion(ctx, { state: d.state, nonce: d.nonce, codeVerifier: d.codeVerifier, retour });
      setCookie(c, COOKIE_CONNEXION, d.state, {
        httpOnly: true,
        secure,
        sameSite: 'Lax',
        path: '/connexion',
        maxAge: 600,
      });
      return c.redirect(d.url, 303);
    } catch (e) {
      const { status, body: err } = toApiError(e);
      if (status >= 500 && err.code === 'ERREUR_INTERNE') throw e;
      return page(c, { erreur: err.message }, status);
    }
  });

  app.get('/connexion/retour', async (c) => {
    const url = new URL(c.req.url);
    const state = url.searchParams.get('state') ?? '';
    const attendu = getCookie(c, COOKIE_CONNEXION);
    deleteCookie(c, COOKIE_CONNEXION, { path: '/connexion', secure });
    try {
      // the state must come back to the browser that started the login (no login forced from elsewhere)
      if (!state || state !== attendu) {
        throw new DomainError(
          'CONNEXION_REFUSEE',
          'La connexion n’a pas abouti : elle a été commencée dans un autre navigateur ou a expiré. Recommencez.',
          { raison: 'state différent du cookie' },
        );
      }
      const enCours = await reprendreConnexion(ctx, state);
      const retourPublic = new URL(`${config.publicUrl}/connexion/retour${url.search}`);
      const { identite, idToken } = await (
        await proconnect()
      ).fin(retourPublic, { state, nonce: enCours.nonce, codeVerifier: enCours.codeVerifier });
      await quitterSession(ctx, c, secure);
      const { session } = await connecterAgent(ctx, identite, idToken, { administrateurs: config.administrateurs });
      poserCookieSession(c, session, secure);
      return c.redirect(enCours.retour, 303);
    } catch (e) {
      const { status, body } = toApiError(e);
      if (body.code === 'ERREUR_INTERNE') throw e;
      return page(c, { erreur: body.message }, status);
    }
  });

  app.post('/connexion/demo', async (c) => {
    if (!connexionDemo) throw new DomainError('INTROUVABLE', 'Page introuvable.');
    const body = await c.req.parseBody();
    const id = String(body.utilisateur ?? '');
    if (!ACTEURS_DEMO.some((a) => a.id === id)) return page(c, { erreur: 'Choisissez un utilisateur.' }, 400);
    await quitterSession(ctx, c, secure);
    poserCookieSession(c, await ouvrirSession(ctx, id), secure);
    return c.redirect(retourSur(typeof body.retour === 'string' ? body.retour : undefined), 303);
  });

  app.post('/deconnexion', async (c) => {
    const idToken = c.var.idToken;
    await quitterSession(ctx, c, secure);
    if (idToken && pc) {
      try {
        return c.redirect((await proconnect()).urlDeconnexion(idToken, randomBytes(32).toString('base64url')), 303);
      } catch {
        // the provider is down: our session is closed anyway
      }
    }
    return c.redirect('/connexion?deconnecte=1', 303);
  });

  return app;
}
