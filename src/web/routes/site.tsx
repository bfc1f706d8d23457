import { Hono } from 'hono';
import type { Env } from '../auth.js';
import {
  AccessibilitePage,
  CookiesPage,
  DonneesPersonnellesPage,
  MentionsLegalesPage,
  PlanDuSitePage,
} from '../pages/site.js';

/** The legal pages and the site map, open to anyone. */
export function sitePages() {
  const app = new Hono<Env>();
  app.get('/mentions-legales', (c) => c.html(<MentionsLegalesPage acteur={c.var.acteur} />));
  app.get('/donnees-personnelles', (c) => c.html(<DonneesPersonnellesPage acteur={c.var.acteur} />));
  app.get('/cookies', (c) => c.html(<CookiesPage acteur={c.var.acteur} />));
  app.get('/accessibilite', (c) => c.html(<AccessibilitePage acteur={c.var.acteur} />));
  app.get('/plan-du-site', (c) => c.html(<PlanDuSitePage acteur={c.var.acteur} />));
  return app;
}
