import { peutCreerConvention, peutLireCredits, perimetre, type Acteur } from '../domain/acces.js';
import { aFaire, DELAIS_A_FAIRE, type ItemAFaire } from '../domain/a-faire.js';
import { evenementsConvention, type EvenementAgenda } from '../domain/agenda.js';
import { estSignee, finEffective, type Convention } from '../domain/convention.js';
import { today, yearOf } from '../domain/dates.js';
import { calendrierExercice } from '../domain/exercice.js';
import { listerDonneesAFaire, listerGouvernanceAFaire } from '../storage/a-faire.js';
import { lireParametres } from '../storage/calendrier.js';
import { lireCalendrierExercice } from '../storage/exercice.js';
import { lireDelaiInsuffisance } from '../storage/insuffisance.js';
import { acteurDeAgenda } from './acces.js';
import { planComite } from './comite.js';
import { lireConvention } from './convention.js';
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

/**
 * The dated events of one convention for its calendar file: the caller's « À faire » items of it, and its
 * fixed dates (signature, end, committees, obligations, this year's cut-offs) as far as the caller may read
 * them. An unknown or invisible convention is not found. Reads only.
 */
export async function lireAgendaConvention(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
): Promise<{ convention: Convention; libelle: string; evenements: EvenementAgenda[] }> {
  const c = await lireConvention(ctx, acteur, id);
  const aujourdHui = today(ctx.now());
  const libelle = c.produits.join(', ') || c.reference || 'Convention';
  // the public reads the published page: its dates, nothing of the governance or the credits
  const interne = peutLireCredits(acteur, c);
  const [aFaireDeLaConvention, gouvernance, plan, calendrier] = interne
    ? await Promise.all([
        listerAFaire(ctx, acteur, { conventionId: id }),
        listerGouvernanceAFaire(ctx.db, [id]),
        estSignee(c.statut) ? planComite(ctx, acteur, id) : Promise.resolve(null),
        lireParametres(ctx.db),
      ])
    : [[], [], null, null];
  const evenements = evenementsConvention(
    {
      convention: {
        id: c.id,
        libelle,
        statut: c.statut,
        dateSignature: c.dateSignature,
        fin: finEffective(c),
        resiliationEffet: c.resiliationEffet,
      },
      aFaire: aFaireDeLaConvention,
      interne: calendrier ? { gouvernance: gouvernance[0] ?? null, plan, calendrier } : null,
    },
    aujourdHui,
  );
  return { convention: c, libelle, evenements };
}
