import { ACTEUR_SYSTEME } from '../domain/acces.js';
import { aujourdHui } from '../domain/horloge.js';
import { creerAgentDemo } from '../usecases/acces.js';
import type { Contexte } from '../usecases/contexte.js';
import { aucuneConvention, creerConvention } from '../usecases/convention.js';
import { lireParametres } from '../usecases/calendrier.js';
import { ACTEURS_DEMO } from './acteurs.js';
import { chronologieDemo } from './chronologie.js';
import { conventionsDemo } from './conventions.js';
import { seedCreditsDemo } from './credits.js';
import { seedGouvernanceDemo } from './gouvernance.js';

/** The demo users exist as agents of the development login (identity provider « demo »). */
export async function seedAgentsDemo(ctx: Contexte): Promise<void> {
  for (const a of ACTEURS_DEMO) {
    const [prenom = '', ...reste] = a.nom.split(' ');
    await creerAgentDemo(ctx, {
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

/**
 * Fills an empty database with the demonstration conventions, dated around the clock's today; does
 * nothing once any convention exists.
 */
export async function seedDemo(ctx: Contexte): Promise<number> {
  await seedAgentsDemo(ctx);
  if (!(await aucuneConvention(ctx))) return 0;
  const parametres = await lireParametres(ctx);
  const jour = aujourdHui(ctx.now);
  const conventions = conventionsDemo(jour, parametres);
  const ids: Record<string, string> = {};
  for (const c of conventions) {
    const { convention } = await creerConvention(ctx, ACTEUR_SYSTEME, c, {
      action: 'creation',
      commentaire: 'Données de démonstration',
    });
    if (c.reference) ids[c.reference] = convention.id;
  }
  await seedCreditsDemo(ctx, ids, chronologieDemo(jour, parametres));
  await seedGouvernanceDemo(ctx, ids, chronologieDemo(jour, parametres));
  return conventions.length;
}
