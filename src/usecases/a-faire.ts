import { peutCreerConvention, perimetre, type Acteur } from '../domain/acces.js';
import { aFaire, DELAIS_A_FAIRE, type ItemAFaire } from '../domain/a-faire.js';
import { today, yearOf } from '../domain/dates.js';
import { calendrierExercice } from '../domain/exercice.js';
import { listerDonneesAFaire, listerGouvernanceAFaire } from '../storage/a-faire.js';
import { lireParametres } from '../storage/calendrier.js';
import { lireCalendrierExercice } from '../storage/exercice.js';
import { lireDelaiInsuffisance } from '../storage/insuffisance.js';
import { acteurDeAgenda } from './acces.js';
import type { Contexte } from './contexte.js';

export interface FiltreAFaire {
  conventionId?: string | null;
  partenaire?: string | null;
}

/** What needs the actor's action today, within their scope, soonest due first. */
export async function listerAFaire(ctx: Contexte, acteur: Acteur, filtre: FiltreAFaire = {}): Promise<ItemAFaire[]> {
  if (acteur.role === 'public') return [];
  const aujourdHui = today(ctx.now());
  const [calendrier, delaiInsuffisance] = await Promise.all([
    lireParametres(ctx.db),
    lireDelaiInsuffisance(ctx.db, DELAIS_A_FAIRE.insuffisance),
  ]);
  const donnees = await listerDonneesAFaire(
    ctx.db,
    perimetre(acteur),
    yearOf(aujourdHui),
    async (annee) => calendrierExercice(annee, calendrier, await lireCalendrierExercice(ctx.db, annee)),
    { imports: peutCreerConvention(acteur) },
  );
  const gouvernance = await listerGouvernanceAFaire(
    ctx.db,
    donnees.conventions.map((c) => c.id),
  );
  const items = aFaire({ ...donnees, gouvernance }, acteur, aujourdHui, {
    calendrier,
    delais: { ...DELAIS_A_FAIRE, insuffisance: delaiInsuffisance },
  });
  return items.filter(
    (i) =>
      (!filtre.conventionId || i.conventionId === filtre.conventionId) &&
      (!filtre.partenaire || i.partenaire === filtre.partenaire),
  );
}

/** A calendar feed's « À faire »: the items of the agent its secret belongs to, as that agent sees them. */
export async function listerAFaireDeLAgenda(
  ctx: Contexte,
  secret: string,
): Promise<{ acteur: Acteur; items: ItemAFaire[] }> {
  const acteur = await acteurDeAgenda(ctx, secret);
  return { acteur, items: await listerAFaire(ctx, acteur) };
}
