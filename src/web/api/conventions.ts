import { Hono, type Context } from 'hono';
import { finEffective, statutEffectif, type Convention } from '../../domain/convention.js';
import { today } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { creerConvention, lireConvention, lireJournal, listerConventions, modifierConvention, type Contexte } from '../../usecases/conventions.js';
import type { Env } from '../auth.js';
import { apiError } from '../errors.js';
import { controler } from '../../domain/convention.js';
import { conventionEntreeApi, conventionModificationApi, conventionVersApi, filtreApi, filtreDepuisApi, journalVersApi, pageVersApi, saisieDepuisApi, zodErreurs } from './schemas.js';

/** Reads a JSON body; malformed JSON or another media type is a client error with a stable code. */
export async function lireJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new DomainError('TYPE_NON_SUPPORTE', 'Le corps de la requête doit être du JSON (Content-Type: application/json).');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('JSON_INVALIDE', 'Le corps de la requête n’est pas un JSON valide.');
  }
}

export function conventionApi(ctx: Contexte) {
  const app = new Hono<Env>();
  const vers = (c: Convention, avertissements?: string[]) =>
    conventionVersApi(c, { fin_effective: finEffective(c), statut_effectif: statutEffectif(c, today(ctx.now())), avertissements: avertissements ?? controler(c).avertissements });

  app.get('/', async (c) => {
    const parsed = filtreApi.safeParse(c.req.query());
    if (!parsed.success) return apiError(c, 'DONNEES_INVALIDES', 'Paramètres de filtre invalides.', { erreurs: zodErreurs(parsed.error) });
    const f = parsed.data;
    const page = await listerConventions(ctx, c.var.acteur, filtreDepuisApi(f));
    return c.json(pageVersApi(page, f.page, f.taille));
  });

  app.post('/', async (c) => {
    const parsed = conventionEntreeApi.safeParse(await lireJson(c));
    if (!parsed.success) return apiError(c, 'DONNEES_INVALIDES', 'Certaines informations sont invalides.', { erreurs: zodErreurs(parsed.error) });
    const { convention, avertissements } = await creerConvention(ctx, c.var.acteur, saisieDepuisApi(parsed.data));
    c.header('Location', `/api/v1/conventions/${convention.id}`);
    return c.json(vers(convention, avertissements), 201);
  });

  app.get('/:id', async (c) => c.json(vers(await lireConvention(ctx, c.var.acteur, c.req.param('id')))));

  app.put('/:id', async (c) => {
    const id = c.req.param('id');
    await lireConvention(ctx, c.var.acteur, id);
    const parsed = conventionModificationApi.safeParse(await lireJson(c));
    if (!parsed.success) return apiError(c, 'DONNEES_INVALIDES', 'Certaines informations sont invalides.', { erreurs: zodErreurs(parsed.error) });
    const { version, ...rest } = parsed.data;
    const { convention, avertissements } = await modifierConvention(ctx, c.var.acteur, id, saisieDepuisApi(rest), version);
    return c.json(vers(convention, avertissements));
  });

  app.get('/:id/journal', async (c) => c.json({ items: (await lireJournal(ctx, c.var.acteur, c.req.param('id'))).map(journalVersApi) }));

  return app;
}
