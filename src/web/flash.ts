import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Env } from './auth.js';

/**
 * The warnings of an action that succeeded, carried to the page the browser is sent to in a short-lived
 * cookie that only the server writes: text in the address could be put there by anyone's link.
 */

/** `__Host-` over HTTPS: a sibling subdomain cannot plant this cookie. */
const nomCookieFlash = (secure: boolean) => (secure ? '__Host-delegations_avis' : 'delegations_avis');

/** in base64url characters: with its name and attributes, the cookie stays under 3 KB */
const TAILLE_MAX = 2600;
/** room kept for the line saying how many warnings did not fit */
const RESERVE = 160;
const LONGUEUR_MAX = 600;

const encoder = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

function tronquer(a: string): string {
  const signes = [...a];
  return signes.length > LONGUEUR_MAX ? `${signes.slice(0, LONGUEUR_MAX - 1).join('')}…` : a;
}

function contenu(ok: string, avertissements: string[]): string {
  const gardes: string[] = [];
  for (const [i, a] of avertissements.entries()) {
    const suivants = [...gardes, tronquer(a)];
    if (encoder({ ok, avertissements: suivants }).length > TAILLE_MAX - RESERVE) {
      const n = avertissements.length - i;
      gardes.push(`Et ${n} autre${n > 1 ? 's' : ''} point${n > 1 ? 's' : ''} d’attention.`);
      break;
    }
    gardes.push(suivants.at(-1)!);
  }
  return encoder({ ok, avertissements: gardes });
}

/** Keeps the warnings for the next page, which shows them with the success `ok` the redirect names. */
export function poserAvertissements(c: Context<Env>, ok: string, avertissements: string[]): void {
  const secure = c.var.cookiesSecurises;
  setCookie(c, nomCookieFlash(secure), contenu(ok, avertissements), {
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: 120,
  });
}

/** The warnings kept for this success, read once: the cookie is dropped whatever it held. */
export function prendreAvertissements(c: Context<Env>, ok: string): string[] {
  const secure = c.var.cookiesSecurises;
  const nom = nomCookieFlash(secure);
  const brut = getCookie(c, nom);
  if (brut === undefined) return [];
  deleteCookie(c, nom, { path: '/', secure });
  try {
    const v: unknown = JSON.parse(Buffer.from(brut, 'base64url').toString('utf8'));
    if (typeof v !== 'object' || v === null || !('ok' in v) || !('avertissements' in v)) return [];
    const { ok: pour, avertissements } = v;
    if (pour !== ok || !Array.isArray(avertissements)) return [];
    return avertissements.filter((a): a is string => typeof a === 'string').slice(0, 20);
  } catch {
    return [];
  }
}
