import { Hono, type Context } from 'hono';
import { EXPIRATION_JETON_JOURS } from '../../domain/acces.js';
import { ValidationError, type FieldError } from '../../domain/errors.js';
import {
  creerJeton,
  lireAgent,
  listerAgents,
  listerJetons,
  modifierAgent,
  revoquerJeton,
} from '../../usecases/acces.js';
import type { Contexte } from '../../usecases/contexte.js';
import type { Env } from '../auth.js';
import { erreursApi } from '../errors.js';
import { formToObject } from '../form.js';
import { confirmation } from './operation.js';
import { AdminPage, AgentPage, AgentsPage, JetonsPage } from '../pages/admin.js';

const lignes = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Agents, roles and API tokens: administrators only (the route rules and the use cases both check it). */
export function adminPages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/', async (c) => {
    const [agents, jetons] = await Promise.all([listerAgents(ctx, c.var.acteur), listerJetons(ctx, c.var.acteur)]);
    return c.html(<AdminPage acteur={c.var.acteur} agents={agents.length} jetons={jetons.length} />);
  });

  app.get('/agents', async (c) =>
    c.html(
      <AgentsPage
        acteur={c.var.acteur}
        agents={await listerAgents(ctx, c.var.acteur)}
        flash={
          c.req.query('ok')
            ? {
                type: 'success',
                message: 'Les droits de l’agent ont été enregistrés ; ses sessions ouvertes ont été fermées.',
              }
            : null
        }
      />,
    ),
  );

  app.get('/agents/:aid', async (c) => {
    const a = await lireAgent(ctx, c.var.acteur, c.req.param('aid'));
    const f = {
      role: a.role,
      organisationSiret: a.organisationSiret ?? '',
      produits: a.produits.join('\n'),
      actif: a.actif ? '1' : '',
    };
    return c.html(<AgentPage acteur={c.var.acteur} csrf={c.var.csrf} agent={a} f={f} erreurs={[]} />);
  });

  app.post('/agents/:aid', async (c) => {
    const a = await lireAgent(ctx, c.var.acteur, c.req.param('aid'));
    const f = formToObject(await c.req.parseBody({ all: true }));
    try {
      await modifierAgent(ctx, c.var.acteur, a.id, {
        role: f.role ?? '',
        organisationSiret: f.organisationSiret ?? '',
        produits: lignes(f.produits),
        actif: f.actif === '1',
      });
      return c.redirect('/admin/agents?ok=1', 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return c.html(<AgentPage acteur={c.var.acteur} csrf={c.var.csrf} agent={a} f={f} erreurs={e.erreurs} />, 400);
      throw e;
    }
  });

  const pageJetons = async (
    c: Context<Env>,
    extra: {
      f?: Record<string, string>;
      erreurs?: ReturnType<typeof erreursApi>;
      cree?: { nom: string; valeur: string };
      revocation?: { id: string; erreurs: FieldError[] };
    } = {},
    status = 200,
  ) =>
    c.html(
      <JetonsPage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        jetons={await listerJetons(ctx, c.var.acteur)}
        maintenant={ctx.now()}
        f={extra.f ?? { role: 'gestionnaire', expireJours: String(EXPIRATION_JETON_JOURS.defaut) }}
        erreurs={extra.erreurs ?? []}
        cree={extra.cree ?? null}
        revocation={extra.revocation ?? null}
        flash={
          c.req.query('ok') === 'revoque'
            ? { type: 'success', message: 'Le jeton a été révoqué : il est refusé dès maintenant.' }
            : null
        }
      />,
      status as 200,
    );

  app.get('/jetons', (c) => pageJetons(c));

  app.post('/jetons', async (c) => {
    const f = formToObject(await c.req.parseBody({ all: true }));
    const jours = f.expireJours?.trim() ? Number(f.expireJours) : Number.NaN;
    try {
      const { jeton, valeur } = await creerJeton(ctx, c.var.acteur, {
        nom: f.nom ?? '',
        role: f.role ?? '',
        organisationSiret: f.organisationSiret,
        produits: lignes(f.produits),
        expireJours: jours,
      });
      // the value is shown in this answer only; never cache it
      c.header('Cache-Control', 'no-store');
      return pageJetons(c, { cree: { nom: jeton.nom, valeur } }, 201);
    } catch (e) {
      if (e instanceof ValidationError) return pageJetons(c, { f, erreurs: e.erreurs }, 400);
      throw e;
    }
  });

  app.post('/jetons/:jid/revocation', async (c) => {
    const id = c.req.param('jid');
    const f = formToObject(await c.req.parseBody({ all: true }));
    const erreurs = confirmation(f, [], 'Cochez la case pour confirmer la révocation : elle est définitive.');
    if (erreurs.length) return pageJetons(c, { revocation: { id, erreurs } }, 400);
    await revoquerJeton(ctx, c.var.acteur, id);
    return c.redirect('/admin/jetons?ok=revoque', 303);
  });

  return app;
}
