import { Hono } from 'hono';
import { ValidationError } from '../../domain/errors.js';
import type { LignePortefeuille } from '../../domain/portefeuille.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lirePortefeuilleCredits } from '../../usecases/credit.js';
import { portefeuilleFiltreApi } from '../api/portefeuille.js';
import { valider } from '../api/validation.js';
import type { Env } from '../auth.js';
import { envoyerExport, type Colonne } from '../export.js';
import { LIBELLES_ROLE_DINUM, LIBELLES_STATUT } from '../pages/libelles.js';
import { PortefeuillePage, type FiltrePortefeuilleSaisi } from '../pages/portefeuille.js';

/** The credits of every convention the agent may read, with filters and subtotals, and its exports. */

const colonnesPortefeuille: Colonne<LignePortefeuille>[] = [
  { titre: 'Convention', valeur: (l) => l.produits.join(', ') || l.reference, largeur: 36 },
  { titre: 'Référence', valeur: (l) => l.reference },
  { titre: 'Partenaire', valeur: (l) => l.partenaire, largeur: 36 },
  { titre: 'Rôle de la DINUM', valeur: (l) => LIBELLES_ROLE_DINUM[l.roleDinum] },
  { titre: 'Promotion FAST', valeur: (l) => l.promotionFast },
  { titre: 'Statut', valeur: (l) => LIBELLES_STATUT[l.statut] },
  { titre: 'Fin', valeur: (l) => l.finEffective, date: 'jour', largeur: 12 },
  { titre: 'AE ouvertes (€)', valeur: (l) => l.ouvertAe, euros: true },
  { titre: 'AE engagées (€)', valeur: (l) => l.engageAe, euros: true },
  { titre: 'Service fait (€)', valeur: (l) => l.certifie, euros: true },
  { titre: 'AE disponibles (€)', valeur: (l) => l.ouvertAe - l.engageAe, euros: true },
  { titre: 'CP ouverts (€)', valeur: (l) => l.ouvertCp, euros: true },
  { titre: 'CP payés (€)', valeur: (l) => l.payeCp, euros: true },
  { titre: 'CP disponibles (€)', valeur: (l) => l.ouvertCp - l.payeCp, euros: true },
];

export function portefeuillePages(ctx: Contexte) {
  const app = new Hono<Env>();

  for (const format of ['csv', 'xlsx']) {
    app.get(`/credits/portefeuille.${format}`, async (c) => {
      const p = valider(portefeuilleFiltreApi, c.req.query());
      if (!p.ok) throw new ValidationError(p.erreurs);
      const d = p.data;
      const r = await lirePortefeuilleCredits(
        ctx,
        c.var.acteur,
        {
          annee: d.annee,
          partenaire: d.partenaire,
          roleDinum: d.role_dinum,
          promotionFast: d.promotion_fast,
          page: 1,
          taille: 1_000_000,
        },
        d.groupe,
      );
      return envoyerExport(
        c,
        format,
        `portefeuille-credits${d.annee ? `-${d.annee}` : ''}`,
        colonnesPortefeuille,
        r.items,
      );
    });
  }

  app.get('/credits', async (c) => {
    const p = valider(portefeuilleFiltreApi, c.req.query());
    const raw = c.req.query();
    const f: FiltrePortefeuilleSaisi = p.ok
      ? { ...p.data }
      : { partenaire: raw.partenaire, groupe: 'partenaire', page: 1, taille: 50 };
    const r = await lirePortefeuilleCredits(
      ctx,
      c.var.acteur,
      {
        annee: typeof f.annee === 'number' ? f.annee : undefined,
        partenaire: f.partenaire,
        roleDinum: f.role_dinum as never,
        promotionFast: f.promotion_fast,
        page: f.page,
        taille: f.taille,
      },
      f.groupe,
    );
    return c.html(
      <PortefeuillePage
        acteur={c.var.acteur}
        f={f}
        r={r}
        erreurs={p.ok ? [] : ['Certains filtres sont invalides et ont été ignorés.']}
      />,
    );
  });

  return app;
}
