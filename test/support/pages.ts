import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { analyser } from '../../src/importer/analyse.js';
import type { Contexte } from '../../src/usecases/contexte.js';
import { deposerDocument } from '../../src/usecases/document.js';
import { seed } from './contract.js';

/**
 * The pages of the application as a person reaches them: every GET route is either a page, found by following
 * the links a signed-in agent sees from the home page, or listed here with what it answers instead. A new page
 * that no link reaches and that is not listed makes the page-list test fail, so no screen escapes the checks.
 */

/** GET routes that are not HTML pages, or not pages anyone reaches by a link, with the reason. */
export const HORS_PAGES: Record<string, string> = {
  '/agenda/:jeton': 'calendrier iCalendar abonné par jeton',
  '/connexion/retour': 'retour du fournisseur d’identité (redirection)',
  '/conventions/:id/agenda.ics': 'calendrier iCalendar',
  '/conventions/:id/credits/engagements.csv': 'export CSV',
  '/conventions/:id/credits/engagements.xlsx': 'export XLSX',
  '/conventions/:id/pieces/:piece': 'document téléchargé (PDF, DOCX, ODT)',
  '/credits/portefeuille.csv': 'export CSV',
  '/credits/portefeuille.xlsx': 'export XLSX',
  '/donnees/conventions.csv': 'données ouvertes CSV',
  '/donnees/conventions.schema.json': 'schéma Table Schema',
  '/donnees/credits-annuels.csv': 'données ouvertes CSV',
  '/donnees/credits-annuels.schema.json': 'schéma Table Schema',
  '/imports/:id/original': 'fichier importé, rendu tel quel',
  '/imports/lectures/:id': 'progression d’une lecture, atteinte par l’envoi des fichiers (redirection)',
};

/** The GET routes a person may open: no API, no static files, no middleware. */
export function routesGet(routes: readonly { method: string; path: string }[]): string[] {
  return [
    ...new Set(
      routes
        .filter((r) => r.method === 'GET' && !r.path.includes('*') && !r.path.startsWith('/api/'))
        .map((r) => r.path),
    ),
  ].sort();
}

/** The route a path belongs to, static segments winning over parameters as in the router. */
function routeDe(chemin: string, routes: readonly string[]): string | undefined {
  const segments = chemin.split('/');
  let meilleure: { route: string; parametres: number } | undefined;
  for (const route of routes) {
    const attendus = route.split('/');
    if (attendus.length !== segments.length) continue;
    let parametres = 0;
    const correspond = attendus.every((s, i) => {
      if (!s.startsWith(':')) return s === segments[i];
      parametres += 1;
      return segments[i] !== '';
    });
    if (correspond && (!meilleure || parametres < meilleure.parametres)) meilleure = { route, parametres };
  }
  return meilleure?.route;
}

export type Reponse = { status: number; type: string; corps: string; location?: string | null };

/** What a manager has on the pages beyond the demo data: a document uploaded and awaiting review. */
export async function preparerPages(ctx: Contexte): Promise<void> {
  const a = await analyser(new TextEncoder().encode(seed('002_3dd1662a2dcbaa88.txt')), 'convention-a-verifier.txt');
  if (!a.ok) throw new Error('le texte de la convention n’a pas été lu');
  await deposerDocument(
    ctx,
    ACTEURS_DEMO.find((x) => x.role === 'administrateur')!,
    a,
  );
}

/**
 * Follows the same-origin links from `depart`, opening one path per route (the first met), and returns for each
 * route reached the path opened and whether it answered an HTML page. Query strings and fragments are dropped:
 * a page must render without them.
 */
export async function explorer(
  lire: (chemin: string) => Promise<Reponse>,
  routes: readonly string[],
  depart = '/',
): Promise<Map<string, { chemin: string; html: boolean; status: number }>> {
  const vues = new Map<string, { chemin: string; html: boolean; status: number }>();
  const aVoir = [depart];
  const vus = new Set<string>();
  while (aVoir.length > 0) {
    const chemin = aVoir.shift()!;
    const route = routeDe(chemin, routes);
    if (vus.has(chemin) || !route || vues.has(route)) continue;
    vus.add(chemin);
    const r = await lire(chemin);
    const html = r.type.startsWith('text/html');
    vues.set(route, { chemin, html, status: r.status });
    if (r.location?.startsWith('/')) aVoir.push(r.location);
    if (!html) continue;
    for (const [, href] of r.corps.matchAll(/\shref="([^"]*)"/g)) {
      const lien = href!.replaceAll('&amp;', '&').split(/[?#]/)[0]!;
      if (lien.startsWith('/') && !lien.startsWith('//') && !lien.startsWith('/api/')) aVoir.push(lien);
    }
  }
  return vues;
}
