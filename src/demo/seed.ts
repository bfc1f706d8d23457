import { ACTEUR_SYSTEME } from '../domain/acces.js';
import { creerConvention, type Contexte } from '../usecases/conventions.js';
import { insertAgentIfMissing } from '../storage/acces.js';
import { ACTEURS_DEMO } from './acteurs.js';
import { CONVENTIONS_DEMO } from './conventions.js';
import { seedCreditsDemo } from './credits.js';

/** The demo users exist as agents of the development login (identity provider « demo »). */
export async function seedAgentsDemo(ctx: Contexte): Promise<void> {
  for (const a of ACTEURS_DEMO) {
    const [prenom = '', ...reste] = a.nom.split(' ');
    await insertAgentIfMissing(ctx.db, {
      id: a.id,
      idpId: 'demo',
      sub: a.id,
      email: `${a.id}@demo.invalid`,
      prenom,
      nom: reste.join(' '),
      organisationSiret: a.organisationSiret,
      role: a.role === 'public' ? 'partenaire' : a.role,
      produits: a.produits,
    });
  }
}

/** Fills an empty database with the demonstration conventions; does nothing once any convention exists. */
export async function seedDemo(ctx: Contexte): Promise<number> {
  await seedAgentsDemo(ctx);
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
