import type { Executor } from './database.js';
import type { Ecriture } from './journal.js';

/** The record of what was pushed to the open data platform, file by file. */

export interface PublicationFichier {
  jeuDeDonnees: string;
  fichier: string;
  statut: 'publie' | 'echec';
  ressourceId: string | null;
  url: string | null;
  sha256: string | null;
  octets: number | null;
  lignes: number | null;
  message: string | null;
}

export interface PublicationFichierEnregistree extends PublicationFichier {
  le: string;
  acteurNom: string;
}

export async function enregistrerPublicationFichier(e: Ecriture, p: PublicationFichier): Promise<void> {
  await e.trx
    .insertInto('publication_donnees')
    .values({
      le: e.le,
      jeu_de_donnees: p.jeuDeDonnees,
      fichier: p.fichier,
      statut: p.statut,
      ressource_id: p.ressourceId,
      url: p.url,
      sha256: p.sha256,
      octets: p.octets,
      lignes: p.lignes,
      message: p.message,
      acteur_nom: e.acteur.nom,
    })
    .execute();
}

/** The latest pushes first. */
export async function listerPublicationsFichiers(ex: Executor, limite = 50): Promise<PublicationFichierEnregistree[]> {
  const rows = await ex.selectFrom('publication_donnees').selectAll().orderBy('id', 'desc').limit(limite).execute();
  return rows.map((r) => ({
    jeuDeDonnees: r.jeu_de_donnees,
    fichier: r.fichier,
    statut: r.statut,
    ressourceId: r.ressource_id,
    url: r.url,
    sha256: r.sha256,
    octets: r.octets,
    lignes: r.lignes,
    message: r.message,
    le: r.le.toISOString(),
    acteurNom: r.acteur_nom,
  }));
}
