import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { z } from 'zod';
import { DomainError, ValidationError, type FieldError } from '../../domain/errors.js';
import { MESSAGE_MONTANT_MAX, MONTANT_MAX_CENTIMES } from '../../domain/money.js';
import { apiError } from '../errors.js';
import { carteErreurs } from '../messages.js';

// errors of a schema read outside `valider` are worded by the catalogue too, never in English
z.config({ customError: carteErreurs() });

/** What every API route does with a request before its use case: read the JSON body, check it, name the faulty fields. */

/** Reads a JSON body; malformed JSON or another media type is a client error with a stable code. */
/**
 * The body as text, read from Node's own stream when the server is Node's and nothing has read it yet: the
 * web Request and its stream are then never built. Invalid UTF-8 becomes U+FFFD, as with `Request.text()`.
 */
async function texteCorps(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead || !incoming.readable) return c.req.text();
  const morceaux: Buffer[] = [];
  for await (const m of incoming) morceaux.push(m as Buffer);
  return Buffer.concat(morceaux).toString('utf8');
}

export async function lireJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new DomainError(
      'TYPE_NON_SUPPORTE',
      'Le corps de la requête doit être du JSON (Content-Type: application/json).',
    );
  }
  const text = await texteCorps(c);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new DomainError('JSON_INVALIDE', 'Le corps de la requête n’est pas un JSON valide.');
  }
  const erreurs = textesInvalides(v, []);
  if (erreurs.length) throw new ValidationError(erreurs.slice(0, 20));
  return v;
}

/** A NUL byte or a lone UTF-16 surrogate: text no field may hold (PostgreSQL refuses the first, pages the second). */
// eslint-disable-next-line no-control-regex -- the NUL byte is exactly what this pattern looks for
export const CARACTERE_INVALIDE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any body the API describes: walking it further would only spend the server's stack. */
const PROFONDEUR_MAX = 32;

function textesInvalides(v: unknown, chemin: string[]): FieldError[] {
  if (chemin.length > PROFONDEUR_MAX)
    throw new DomainError(
      'JSON_TROP_IMBRIQUE',
      `Le corps de la requête imbrique plus de ${PROFONDEUR_MAX} niveaux de listes ou d’objets.`,
    );
  const ici = () => chemin.join('.') || '(corps)';
  const message = 'Ce texte contient un caractère invalide (caractère nul ou code UTF-16 isolé).';
  if (typeof v === 'string') return CARACTERE_INVALIDE.test(v) ? [{ champ: ici(), message }] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => textesInvalides(x, [...chemin, String(i)]));
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) =>
      CARACTERE_INVALIDE.test(k) ? [{ champ: ici(), message }] : textesInvalides(x, [...chemin, k]),
    );
  return [];
}

function zodErreurs(e: z.ZodError): FieldError[] {
  return e.issues.flatMap((i) =>
    // an unexpected key is named by its own path, so that each is reported where it is
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ champ: [...i.path, k].join('.'), message: i.message }))
      : [{ champ: i.path.join('.') || '(corps)', message: i.message }],
  );
}

type Parsed<S extends z.ZodType> = { ok: true; data: z.output<S> } | { ok: false; erreurs: FieldError[] };

export function valider<S extends z.ZodType>(schema: S, v: unknown): Parsed<S> {
  const r = schema.safeParse(v, { error: carteErreurs(schema) });
  return r.success ? { ok: true, data: r.data } : { ok: false, erreurs: zodErreurs(r.error) };
}

export const invalide = (c: Parameters<typeof apiError>[0], erreurs: FieldError[]) =>
  apiError(c, 'DONNEES_INVALIDES', 'Certaines informations sont invalides.', { erreurs });

// Fields of the budget operations (orders, decisions, calendar): amounts in integer cents, ISO dates, optional texts.
// Each amount is bounded so that every sum of amounts the API returns is an exact integer.
export const centimes = z
  .number()
  .int('Montant en centimes entiers.')
  .min(0, 'Un montant ne peut pas être négatif.')
  .max(MONTANT_MAX_CENTIMES, MESSAGE_MONTANT_MAX);
export const centimesPositifs = z
  .number()
  .int('Montant en centimes entiers.')
  .positive('Indiquez un montant positif.')
  .max(MONTANT_MAX_CENTIMES, MESSAGE_MONTANT_MAX);
export const dateIso = z.iso.date();
export const texte = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));
export const annee = z.number().int().min(2000).max(2100);
export const motif = z.string().trim().min(1, 'Indiquez le motif.').max(2000);
export const derogation = z.object({ motif }).optional();
