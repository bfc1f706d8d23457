import { Hono } from 'hono';
import { z } from 'zod';
import type { LignePortefeuille, SommePortefeuille } from '../../domain/portefeuille.js';
import type { Contexte } from '../../usecases/contexte.js';
import { lirePortefeuilleCredits } from '../../usecases/credit.js';
import type { Env } from '../auth.js';
import { ajouterChemins, reponsesErreur } from './openapi.js';
import { invalide, valider } from './validation.js';

/** The portfolio API: one line per convention with its credits, a total and subtotals by group. */

export const portefeuilleFiltreApi = z.object({
  annee: z
    .union([z.literal(''), z.coerce.number().int().min(2000, 'Année invalide.').max(2100, 'Année invalide.')])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  partenaire: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  role_dinum: z
    .enum(['delegant', 'delegataire', 'autre'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  promotion_fast: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  groupe: z.enum(['partenaire', 'annee', 'role_dinum', 'promotion_fast']).default('partenaire'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  taille: z.coerce.number().int().min(1).max(500).default(50),
});

const sommeVersApi = (s: SommePortefeuille) => ({
  cle: s.cle,
  conventions: s.n,
  ouvert_ae_centimes: s.ouvertAe,
  engage_ae_centimes: s.engageAe,
  disponible_ae_centimes: s.ouvertAe - s.engageAe,
  certifie_centimes: s.certifie,
  ouvert_cp_centimes: s.ouvertCp,
  paye_cp_centimes: s.payeCp,
  disponible_cp_centimes: s.ouvertCp - s.payeCp,
});

const lignePortefeuilleVersApi = (l: LignePortefeuille) => ({
  convention_id: l.conventionId,
  reference: l.reference,
  produits: l.produits,
  partenaire: l.partenaire,
  role_dinum: l.roleDinum,
  promotion_fast: l.promotionFast,
  statut: l.statut,
  fin_effective: l.finEffective,
  ouvert_ae_centimes: l.ouvertAe,
  engage_ae_centimes: l.engageAe,
  disponible_ae_centimes: l.ouvertAe - l.engageAe,
  certifie_centimes: l.certifie,
  ouvert_cp_centimes: l.ouvertCp,
  paye_cp_centimes: l.payeCp,
  disponible_cp_centimes: l.ouvertCp - l.payeCp,
});

export function portefeuilleApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/credits', async (c) => {
    const f = valider(portefeuilleFiltreApi, c.req.query());
    if (!f.ok) return invalide(c, f.erreurs);
    const d = f.data;
    const r = await lirePortefeuilleCredits(
      ctx,
      c.var.acteur,
      {
        annee: d.annee,
        partenaire: d.partenaire,
        roleDinum: d.role_dinum,
        promotionFast: d.promotion_fast,
        page: d.page,
        taille: d.taille,
      },
      d.groupe,
    );
    return c.json({
      items: r.items.map(lignePortefeuilleVersApi),
      total: sommeVersApi(r.total),
      groupe: d.groupe,
      groupes: r.groupes.map(sommeVersApi),
      page: d.page,
      taille: d.taille,
    });
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

ajouterChemins({
  '/credits': {
    get: {
      operationId: 'portefeuilleCredits',
      summary:
        'Crédits du portefeuille : une ligne par convention, total et sous-totaux (partenaire, année, rôle DINUM, promotion FAST)',
      parameters: [
        ['annee', 'integer'],
        ['partenaire', 'string'],
        ['role_dinum', 'string'],
        ['promotion_fast', 'string'],
        ['groupe', 'string'],
        ['page', 'integer'],
        ['taille', 'integer'],
      ].map(([name, type]) => ({ name, in: 'query', required: false, schema: { type } })),
      responses: { '200': { description: 'Portefeuille' }, ...reponsesErreur(400, 401, 403) },
    },
  },
});
