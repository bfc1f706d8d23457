import { ACTEUR_SYSTEME } from '../domain/acces.js';
import { creerConvention, type Contexte } from '../usecases/conventions.js';
import { CONVENTIONS_DEMO } from './conventions.js';

/** Fills an empty database with the demonstration conventions; does nothing once any convention exists. */
export async function seedDemo(ctx: Contexte): Promise<number> {
  const existing = await ctx.db.selectFrom('convention').select('id').limit(1).execute();
  if (existing.length > 0) return 0;
  for (const c of CONVENTIONS_DEMO) {
    await creerConvention(ctx, ACTEUR_SYSTEME, c, { action: 'creation', commentaire: 'Données de démonstration' });
  }
  return CONVENTIONS_DEMO.length;
}
