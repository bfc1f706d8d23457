import {
  ecrireCsv,
  JEU_CONVENTIONS,
  JEU_CREDITS_ANNUELS,
  lignesCreditsAnnuels,
  schemaTable,
} from '../domain/donnees.js';
import type { Contexte } from './contexte.js';
import { listerConventionsPubliees } from './publication.js';

/** The open data files, written from the published conventions as the public pages show them. */

export interface FichierDonnees {
  /** file name under /donnees/ */
  nom: string;
  csv: string;
  schema: Record<string, unknown>;
}

export async function fichiersDonnees(
  ctx: Contexte,
): Promise<{ conventions: FichierDonnees; creditsAnnuels: FichierDonnees }> {
  const publiees = await listerConventionsPubliees(ctx);
  return {
    conventions: {
      nom: JEU_CONVENTIONS.fichier,
      csv: ecrireCsv(JEU_CONVENTIONS, publiees),
      schema: schemaTable(JEU_CONVENTIONS),
    },
    creditsAnnuels: {
      nom: JEU_CREDITS_ANNUELS.fichier,
      csv: ecrireCsv(JEU_CREDITS_ANNUELS, lignesCreditsAnnuels(publiees)),
      schema: schemaTable(JEU_CREDITS_ANNUELS),
    },
  };
}

export const schemasDonnees = () => ({
  conventions: schemaTable(JEU_CONVENTIONS),
  creditsAnnuels: schemaTable(JEU_CREDITS_ANNUELS),
});
