import { ACTEUR_SYSTEME } from '../domain/acces.js';
import { creerConvention, type Contexte } from '../usecases/conventions.js';
import { CONVENTIONS_DEMO } from './conventions.js';
import { seedCreditsDemo } from './credits.js';

/** Fills an empty database with the demonstration conventions; does nothing once any convention exists. */
export async function seedDemo(ctx: Contexte): Promise<number> {
  const existing = await ctx.db.selectFrom('convention').select('id').limit(1).execute();
  if (existing.length > 0) return 0;
  const ids: Record<string, string> = {};
  for (const c of CONVENTIONS_DEMO) {
    const { convention } = await creerConvention(ctx, ACTEUR_SYSTEME, c, { action: 'creation', commentaire: 'Données de démonstration' });
    if (c.reference) ids[c.reference] = convention.id;
  }
  await seedCreditsDemo(ctx, ids);
  return CONVENTIONS_DEMO.length;
}
