import { parseArgs } from 'node:util';
import { ACTEUR_SYSTEME } from '../domain/acces.js';
import { configDataGouv } from '../config.js';
import { listerPublicationsDonnees, publierDonnees } from '../usecases/donnees.js';
import type { Command } from './command.js';
import { contexte, ouvrirBase } from './database.js';
import { plateformeDataGouv } from './datagouv.js';

const USAGE = `delegations publier [--dataset ID]
  delegations publier --historique

Pousse conventions.csv et credits-annuels.csv vers le jeu de données data.gouv.fr : chaque fichier remplace
la ressource de même titre, ou en crée une. Variables : DATAGOUV_API_KEY (obligatoire), DATAGOUV_DATASET
(identifiant du jeu de données, ou --dataset), DATAGOUV_URL (défaut https://www.data.gouv.fr ;
https://demo.data.gouv.fr pour essayer), DATAGOUV_TENTATIVES (défaut 3), DATAGOUV_DELAI_MS (défaut 2000).`;

/** The open data pushed to data.gouv.fr, each file's outcome recorded in the database. */
export const publierCommand: Command = {
  summary: 'Publie les données ouvertes (CSV) sur data.gouv.fr.',
  usage: USAGE,
  async run(args) {
    let values: { dataset?: string; historique?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: { dataset: { type: 'string' }, historique: { type: 'boolean' } },
      }));
    } catch (e) {
      console.error(`${e instanceof Error ? e.message : String(e)}\n\nUsage : ${USAGE}`);
      return 2;
    }
    const dg = configDataGouv();
    const jeuDeDonnees = values.dataset ?? dg.jeuDeDonnees;
    if (!values.historique && (!dg.apiKey || !jeuDeDonnees)) {
      console.error('Indiquez la clé d’API (DATAGOUV_API_KEY) et le jeu de données (DATAGOUV_DATASET ou --dataset).');
      return 2;
    }
    const storage = await ouvrirBase(
      undefined,
      'La publication lit la base elle-même : arrêtez le serveur le temps de la lancer.',
    );
    if (!storage) return 1;
    const ctx = contexte(storage);
    try {
      if (values.historique) {
        for (const p of (await listerPublicationsDonnees(ctx, ACTEUR_SYSTEME)).items)
          console.log(`${p.le}  ${p.statut.padEnd(6)}  ${p.fichier}  ${p.ressourceId ?? '—'}  ${p.message ?? ''}`);
        return 0;
      }
      const plateforme = plateformeDataGouv({
        url: dg.url,
        apiKey: dg.apiKey!,
        jeuDeDonnees: jeuDeDonnees!,
        tentatives: dg.tentatives,
        delaiMs: dg.delaiMs,
        surReprise: (m) => console.error(m),
      });
      const r = await publierDonnees(ctx, ACTEUR_SYSTEME, plateforme);
      for (const f of r.fichiers) {
        if (f.statut === 'publie')
          console.log(`${f.fichier} : ${f.message}, ${f.lignes} lignes — ${f.url ?? f.ressourceId}`);
        else console.error(`${f.fichier} : échec — ${f.message}`);
      }
      return r.ok ? 0 : 1;
    } finally {
      await storage.close();
    }
  },
};
