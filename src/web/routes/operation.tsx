import type { Context } from 'hono';
import type { z } from 'zod';
import { ValidationError, type FieldError } from '../../domain/errors.js';
import { valider } from '../api/validation.js';
import type { Env } from '../auth.js';
import { erreursApi, estRefus } from '../errors.js';
import { poserAvertissements, prendreAvertissements } from '../flash.js';
import { champsVersApi, formToObject, type FormFields, type TypeChamp } from '../form.js';
import type { EtatFormulaire } from '../pages/operation.js';

/**
 * A budget operation posted from a form (order, movement, decision, calendar): the form is read against the
 * API schema it mirrors, the use case runs, then the browser is redirected to a page that says what was done.
 */

export const FLASH = {
  engagement: 'Le bon de commande a été enregistré.',
  service_fait: 'Le service fait a été constaté.',
  paiement: 'Le paiement a été enregistré.',
  solde: 'Le bon de commande a été soldé ; les AE non utilisées sont libérées.',
  annulation: 'Le bon de commande a été annulé ; ses AE sont libérées.',
  tranche: 'La libération de la tranche a été consignée.',
  disponibilite: 'La mise à disposition a été consignée.',
  report: 'Le report a été enregistré.',
  restitution: 'La restitution a été enregistrée.',
  suspension: 'La convention est suspendue.',
  traitee: 'L’alerte est marquée comme traitée.',
  proposition: 'La proposition est transmise : elle sera engagée quand l’ordonnateur la validera.',
  validation: 'La proposition est validée : le bon de commande est enregistré.',
  refus_proposition: 'La proposition est refusée ; l’équipe voit le motif.',
  calendrier: 'Le calendrier a été enregistré.',
  cloture: 'L’exercice est clos : les crédits inutilisés sont reportés ou restitués, le bilan est figé.',
  accord_report: 'L’accord du délégant sur le report est consigné.',
  information: 'L’information du délégant est consignée.',
  reponse: 'La réponse du délégant est consignée.',
  rapport_redige: 'Le compte rendu de fin est enregistré.',
  rapport_relu: 'Le compte rendu de fin est relu : il peut être envoyé au délégant.',
  rapport_envoye: 'L’envoi du compte rendu de fin au délégant est consigné.',
} satisfies Record<string, string>;

/** The success the address names, with the warnings its action left for this page (never read from the address). */
export const flashDe = (c: Context<Env>) => {
  const ok = c.req.query('ok') ?? '';
  const msg = (FLASH as Partial<Record<string, string>>)[ok];
  const avertissements = prendreAvertissements(c, ok);
  return msg ? { type: 'success' as const, message: msg, avertissements } : null;
};

/** Parses a form against the API schema it mirrors; field errors are named like the API's. */
export function lireFormulaire<S extends z.ZodType>(
  f: FormFields,
  types: Record<string, TypeChamp>,
  schema: S,
  transformer: (o: Record<string, unknown>) => Record<string, unknown> = (o) => o,
): { data: z.output<S> | null; erreurs: FieldError[] } {
  const { entree, erreurs } = champsVersApi(f, types);
  const p = valider(schema, transformer(entree));
  if (!p.ok) {
    const vus = new Set(erreurs.map((e) => e.champ));
    for (const e of p.erreurs) if (!vus.has(e.champ)) erreurs.push(e);
  }
  return { data: erreurs.length === 0 && p.ok ? p.data : null, erreurs };
}

/** An irreversible action is done only once its box is ticked: an error on the box otherwise, nothing done. */
export function confirmation(f: FormFields, erreurs: FieldError[], message: string): FieldError[] {
  return f.confirmation === 'oui' ? erreurs : [...erreurs, { champ: 'confirmation', message }];
}

export const avecDerogation = (o: Record<string, unknown>) => {
  const { derogation_motif, ...rest } = o;
  return derogation_motif ? { ...rest, derogation: { motif: derogation_motif } } : rest;
};

/**
 * Runs a form's operation, then redirects (POST-redirect-GET); the warnings of a success go along to the
 * page it leads to. A refusal shows the page again with the typed values and the French message, with the
 * status the API would give.
 */
export async function traiter(
  c: Context<Env>,
  form: string,
  f: FormFields,
  erreursSaisie: FieldError[],
  op: (() => Promise<string | { url: string; avertissements: string[] }>) | null,
  reafficher: (etat: EtatFormulaire, status: number) => Promise<Response>,
) {
  if (!op || erreursSaisie.length) return reafficher({ form, f, erreurs: erreursSaisie }, 400);
  try {
    const r = await op();
    const { url, avertissements } = typeof r === 'string' ? { url: r, avertissements: [] } : r;
    const ok = new URL(url, 'http://localhost').searchParams.get('ok');
    if (ok && avertissements.length) poserAvertissements(c, ok, avertissements);
    return c.redirect(url, 303);
  } catch (e) {
    if (e instanceof ValidationError) return reafficher({ form, f, erreurs: erreursApi(e.erreurs) }, 400);
    if (estRefus(e)) {
      return reafficher({ form, f, erreurs: [], refus: e.message }, 409);
    }
    throw e;
  }
}

export const corps = async (c: Context<Env>) => formToObject(await c.req.parseBody({ all: true }));
