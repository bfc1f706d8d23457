import { Hono, type Context } from 'hono';
import { today } from '../../domain/dates.js';
import type { FieldError } from '../../domain/errors.js';
import { lireComites } from '../../usecases/comite.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lireObligations } from '../../usecases/obligation.js';
import { lireEnveloppe } from '../../usecases/promotion.js';
import type { Env } from '../auth.js';
import type { FormFields, TypeChamp } from '../form.js';
import { GouvernancePage } from '../pages/gouvernance.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { lireFormulaire } from './operation.js';

/** The governance page of a convention: its committees and its obligations checklist. */

const FLASH_GOUVERNANCE: Record<string, string> = {
  comite: 'Le comité est planifié.',
  decision: 'La décision du comité est consignée.',
  compte_rendu: 'Le compte rendu du comité est joint.',
  enveloppe: 'L’enveloppe de cofinancement est enregistrée.',
  obligation: 'L’obligation est mise à jour.',
  obligation_ajoutee: 'L’obligation est ajoutée.',
};

export async function pageGouvernance(
  ctx: Contexte,
  c: Context<Env>,
  etat: EtatFormulaire | null = null,
  status = 200,
) {
  const id = c.req.param('id')!;
  const comites = await lireComites(ctx, c.var.acteur, id);
  const obligations = await lireObligations(ctx, c.var.acteur, id);
  const enveloppe = await lireEnveloppe(ctx, c.var.acteur, id);
  const ok = FLASH_GOUVERNANCE[c.req.query('ok') ?? ''];
  return c.html(
    <GouvernancePage
      acteur={c.var.acteur}
      csrf={c.var.csrf}
      comites={comites}
      obligations={obligations}
      enveloppe={enveloppe}
      aujourdHui={today(ctx.now())}
      etat={etat}
      flash={!etat && ok ? { type: 'success', message: ok } : null}
    />,
    status as 200,
  );
}

/** The fields of one of several forms of a page, named `prefix…`, without their prefix. */
export function sansPrefixe(f: FormFields, prefixe: string): FormFields {
  const out: FormFields = {};
  for (const [k, v] of Object.entries(f)) if (k.startsWith(prefixe)) out[k.slice(prefixe.length)] = v;
  return out;
}

/** Errors named as the API names them, renamed as the form's fields. */
export const renommer = (erreurs: FieldError[], nom: (champ: string) => string): FieldError[] =>
  erreurs.map((e) => (e.champ === '(corps)' ? e : { ...e, champ: nom(e.champ) }));

/**
 * Reads a form against the API schema it mirrors, a required field left blank named in French first (the
 * schema would only say that a value is missing).
 */
export function lireAvecRequis<S extends Parameters<typeof lireFormulaire>[2]>(
  f: FormFields,
  types: Record<string, TypeChamp>,
  schema: S,
  requis: Record<string, string>,
  transformer?: (o: Record<string, unknown>) => Record<string, unknown>,
) {
  const manquants: FieldError[] = Object.entries(requis)
    .filter(([k]) => (f[k] ?? '').trim() === '')
    .map(([champ, message]) => ({ champ, message }));
  const lu = lireFormulaire(f, types, schema, transformer);
  if (manquants.length === 0) return lu;
  const vus = new Set(manquants.map((e) => e.champ));
  return { data: null, erreurs: [...manquants, ...lu.erreurs.filter((e) => !vus.has(e.champ))] };
}

export function gouvernancePages(ctx: Contexte) {
  const app = new Hono<Env>();
  app.get('/conventions/:id/gouvernance', (c) => pageGouvernance(ctx, c));
  return app;
}
