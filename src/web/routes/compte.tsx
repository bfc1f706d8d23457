import { Hono, type Context } from 'hono';
import { calendrierAFaire } from '../../generators/agenda.js';
import { creerAgenda, lireCompte, revoquerAgenda } from '../../usecases/acces.js';
import { listerAFaireDeLAgenda } from '../../usecases/a-faire.js';
import { lirePreferencesCompte, modifierPreferencesCompte } from '../../usecases/envoi.js';
import { ValidationError } from '../../domain/errors.js';
import type { Contexte } from '../../usecases/contexte.js';
import type { Env } from '../auth.js';
import { ComptePage } from '../pages/compte.js';

/**
 * « Mon compte » of the logged-in agent, and the personal calendar feed it manages: `GET /agenda/:jeton` is
 * public, authenticated by the feed's secret alone, and reads only.
 */
export function comptePages(ctx: Contexte, opts: { urlPublique: string }) {
  const app = new Hono<Env>();
  const base = opts.urlPublique.replace(/\/+$/, '');

  const page = async (
    c: Context<Env>,
    adresseCreee: string | null = null,
    status = 200,
    erreurs: Record<string, string> | undefined = undefined,
  ) => {
    const [{ agent, agenda }, preferences] = await Promise.all([
      lireCompte(ctx, c.var.acteur),
      lirePreferencesCompte(ctx, c.var.acteur),
    ]);
    const ok = c.req.query('ok');
    return c.html(
      <ComptePage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        agent={agent}
        agenda={agenda}
        adresseCreee={adresseCreee}
        preferences={preferences}
        erreurs={erreurs}
        flash={
          ok === 'revoque'
            ? { type: 'success', message: 'L’adresse de votre agenda est révoquée : elle ne répond plus.' }
            : ok === 'notifications'
              ? { type: 'success', message: 'Vos choix de messages sont enregistrés.' }
              : null
        }
      />,
      status as 200,
    );
  };

  app.get('/compte', (c) => page(c));

  app.post('/compte/agenda', async (c) => {
    const { valeur } = await creerAgenda(ctx, c.var.acteur);
    // the secret is in this answer only; never cache it
    c.header('Cache-Control', 'no-store');
    return page(c, `${base}/agenda/${valeur}`, 201);
  });

  app.post('/compte/agenda/revocation', async (c) => {
    await revoquerAgenda(ctx, c.var.acteur);
    return c.redirect('/compte?ok=revoque#agenda', 303);
  });

  app.post('/compte/notifications', async (c) => {
    const corps = await c.req.parseBody();
    const saisie = Object.fromEntries(Object.entries(corps).filter(([k]) => k !== '_csrf'));
    try {
      await modifierPreferencesCompte(ctx, c.var.acteur, saisie);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return page(c, null, 400, Object.fromEntries(e.erreurs.map((x) => [x.champ, x.message])));
    }
    return c.redirect('/compte?ok=notifications#notifications', 303);
  });

  app.get('/agenda/:jeton', async (c) => {
    const { acteur, items } = await listerAFaireDeLAgenda(ctx, c.req.param('jeton'));
    const texte = calendrierAFaire(items, { urlPublique: base, le: ctx.now(), nom: acteur.nom });
    c.header('Cache-Control', 'private, no-store');
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    return c.body(texte);
  });

  return app;
}
