import { PARAMETRES_DEFAUT, type ParametresCalendrier } from '../domain/calendrier.js';
import type { Executor } from './database.js';
import type { Ecriture } from './journal.js';

/** The settings as stored (key → text), each missing one at its default. */
export function lireParametresDepuis(kv: Record<string, string>): ParametresCalendrier {
  return {
    limitePaiements: kv.limitePaiements ?? PARAMETRES_DEFAUT.limitePaiements,
    limiteEngagements: kv.limiteEngagements ?? PARAMETRES_DEFAUT.limiteEngagements,
    limiteReport: kv.limiteReport ?? PARAMETRES_DEFAUT.limiteReport,
    reprise: kv.reprise ?? PARAMETRES_DEFAUT.reprise,
    avertissementJours:
      kv.avertissementJours !== undefined ? Number(kv.avertissementJours) : PARAMETRES_DEFAUT.avertissementJours,
    debutAlertesSousConsommation: kv.debutAlertesSousConsommation ?? PARAMETRES_DEFAUT.debutAlertesSousConsommation,
  };
}

export async function lireParametres(ex: Executor): Promise<ParametresCalendrier> {
  const rows = await ex.selectFrom('parametre').select(['cle', 'valeur']).execute();
  return lireParametresDepuis(Object.fromEntries(rows.map((r) => [r.cle, r.valeur])));
}

export async function modifierParametres(e: Ecriture, p: ParametresCalendrier): Promise<void> {
  for (const [cle, v] of Object.entries(p)) {
    const valeur = String(v);
    await e.trx
      .insertInto('parametre')
      .values({ cle, valeur, modifie_par: e.acteur.nom, modifie_le: e.le })
      .onConflict((oc) => oc.column('cle').doUpdateSet({ valeur, modifie_par: e.acteur.nom, modifie_le: e.le }))
      .execute();
  }
}
