import { createHash } from 'node:crypto';
import { ACTEUR_SYSTEME, type Acteur } from '../domain/acces.js';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import { peutPublier } from '../domain/publication.js';
import {
  enregistrerPublicationFichier,
  listerPublicationsFichiers,
  type PublicationFichier,
  type PublicationFichierEnregistree as PublicationDonnees,
} from '../storage/donnees.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import {
  ecrireCsv,
  JEU_CONVENTIONS,
  JEU_CREDITS_ANNUELS,
  lignesCreditsAnnuels,
  schemaTable,
  type PlateformeDonnees,
  type Ressource,
} from '../domain/donnees.js';
import type { Contexte } from './contexte.js';
import { listerConventionsPubliees } from './publication.js';

export type { PublicationDonnees };

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

/** The pushes to the open data platform, latest first, and whether the server is set to push. */
export interface PublicationsDonnees {
  configuree: boolean;
  jeuDeDonnees: string | null;
  items: PublicationDonnees[];
}

export async function listerPublicationsDonnees(ctx: Contexte, acteur: Acteur): Promise<PublicationsDonnees> {
  if (!peutPublier(acteur)) throw new ForbiddenError();
  return {
    configuree: Boolean(ctx.plateformeDonnees),
    jeuDeDonnees: ctx.plateformeDonnees?.jeuDeDonnees ?? null,
    items: await listerPublicationsFichiers(ctx.db),
  };
}

/**
 * A budget officer asks for a push now: the request is journalled and handed to the background work in
 * one transaction, so that it runs once (the queue keeps one waiting run) and is known to have been asked.
 */
export async function demanderPublicationDonnees(ctx: Contexte, acteur: Acteur): Promise<{ demandeeLe: Date }> {
  if (!peutPublier(acteur)) throw new ForbiddenError();
  const plateforme = ctx.plateformeDonnees;
  if (!plateforme)
    throw new ConflictError(
      'PUBLICATION_NON_CONFIGUREE',
      'La publication sur data.gouv.fr n’est pas configurée : indiquez la clé d’API (DATAGOUV_API_KEY) et le jeu de données (DATAGOUV_DATASET) du serveur.',
    );
  const travaux = ctx.travaux;
  if (!travaux)
    throw new ConflictError(
      'TRAVAUX_INDISPONIBLES',
      'Les travaux en arrière-plan du serveur sont indisponibles : la publication ne peut pas être lancée maintenant. Réessayez dans quelques minutes.',
    );
  const le = ctx.now();
  await ctx.db.transaction().execute((trx) =>
    ecrireAvecJournal(
      trx,
      acteur,
      le,
      {
        conventionId: null,
        objetType: 'donnees',
        objetId: plateforme.jeuDeDonnees,
        action: 'demande_publication_donnees',
        changements: [],
        commentaire: null,
      },
      (e) => travaux.signaler(e.trx, 'publication'),
    ),
  );
  return { demandeeLe: le };
}

/** The background work's push, every morning and when asked for: nothing when no platform is configured. */
export async function publierDonneesEnArrierePlan(ctx: Contexte): Promise<ResultatPublication | null> {
  if (!ctx.plateformeDonnees) return null;
  return publierDonnees(ctx, ACTEUR_SYSTEME, ctx.plateformeDonnees);
}
