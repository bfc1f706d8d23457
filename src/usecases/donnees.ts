import { createHash } from 'node:crypto';
import type { Acteur } from '../domain/acces.js';
import { ForbiddenError } from '../domain/errors.js';
import { peutPublier } from '../domain/publication.js';
import {
  enregistrerPublicationFichier,
  listerPublicationsFichiers,
  type PublicationFichier,
  type PublicationFichierEnregistree,
} from '../storage/donnees.js';
import { ecrireAvecJournal } from '../storage/journal.js';
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

// ---- Pushing the files to data.gouv.fr -------------------------------------------------------------

/** A resource of the dataset, as the platform lists it. */
export interface Ressource {
  id: string;
  titre: string;
  url: string | null;
}

/** The open data platform's port: the adapter speaks data.gouv.fr's API (src/cli/datagouv.ts). */
export interface PlateformeDonnees {
  jeuDeDonnees: string;
  ressources(): Promise<Ressource[]>;
  deposer(nom: string, contenu: string): Promise<Ressource>;
  remplacer(ressourceId: string, nom: string, contenu: string): Promise<Ressource>;
}

export interface ResultatPublication {
  fichiers: PublicationFichier[];
  ok: boolean;
}

/**
 * Pushes both CSV files to the dataset: a file replaces the resource of the same title, or becomes a new
 * one. Each file's outcome is recorded and journalled, a failure too, so that what is online is known.
 */
export async function publierDonnees(
  ctx: Contexte,
  acteur: Acteur,
  plateforme: PlateformeDonnees,
): Promise<ResultatPublication> {
  if (!peutPublier(acteur)) throw new ForbiddenError();
  const { conventions, creditsAnnuels } = await fichiersDonnees(ctx);
  const fichiers: PublicationFichier[] = [];
  let existantes: Ressource[] | null = null;
  let refus: string | null = null;
  try {
    existantes = await plateforme.ressources();
  } catch (e) {
    refus = e instanceof Error ? e.message : String(e);
  }
  for (const f of [conventions, creditsAnnuels]) {
    const base = {
      jeuDeDonnees: plateforme.jeuDeDonnees,
      fichier: f.nom,
      sha256: createHash('sha256').update(f.csv).digest('hex'),
      octets: Buffer.byteLength(f.csv),
      lignes: f.csv.split('\r\n').length - 2,
    };
    let p: PublicationFichier;
    try {
      if (refus || !existantes) throw new Error(refus ?? 'jeu de données illisible');
      const deja = existantes.find((r) => r.titre === f.nom);
      const r = deja ? await plateforme.remplacer(deja.id, f.nom, f.csv) : await plateforme.deposer(f.nom, f.csv);
      p = { ...base, statut: 'publie', ressourceId: r.id, url: r.url, message: deja ? 'remplacé' : 'déposé' };
    } catch (e) {
      p = {
        ...base,
        statut: 'echec',
        ressourceId: null,
        url: null,
        message: e instanceof Error ? e.message : String(e),
      };
    }
    await ctx.db.transaction().execute((trx) =>
      ecrireAvecJournal(
        trx,
        acteur,
        ctx.now(),
        {
          conventionId: null,
          objetType: 'donnees',
          objetId: `${p.jeuDeDonnees}/${p.fichier}`,
          action: p.statut === 'publie' ? 'publication_donnees' : 'echec_publication_donnees',
          changements: [{ champ: 'ressource', avant: null, apres: p.ressourceId }],
          commentaire: p.message,
        },
        (e) => enregistrerPublicationFichier(e, p),
      ),
    );
    fichiers.push(p);
  }
  return { fichiers, ok: fichiers.every((f) => f.statut === 'publie') };
}

export function listerPublicationsDonnees(ctx: Contexte): Promise<PublicationFichierEnregistree[]> {
  return listerPublicationsFichiers(ctx.db);
}
