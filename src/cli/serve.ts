import fs from 'node:fs';
import path from 'node:path';
import { serve as listen } from '@hono/node-server';
import { configDataGouv, connexionDemoActive, loadConfig } from '../config.js';
import { contexte, ouvrirBase, ouvrirTravauxBase, type Travaux } from './database.js';
import { seedAgentsDemo, seedDemo } from '../demo/seed.js';
import { rattraperOuvertures } from '../usecases/credit.js';
import { envoyerEnAttente } from '../usecases/envoi.js';
import { traiterJournee } from '../usecases/envoi-quotidien.js';
import { purgerLimites } from '../usecases/limite.js';
import { publierDonneesEnArrierePlan } from '../usecases/donnees.js';
import { plateformeDataGouv } from './datagouv.js';
import { secretServeur } from './secret.js';
import { expediteurSmtp } from './smtp.js';
import type { Command } from './command.js';
import type { Contexte } from '../usecases/contexte.js';
import { ouvrirCanal } from './canal.js';
import { executerToken } from './token.js';
import type { Execution } from './canal.js';

/** When a start without migration checks for conventions lacking their totals rows. */
const VERIFICATION_APRES_MS = 2_000;

/** Opens the credits of conventions that lack their totals rows, saying so when there are any. */
async function rattrapage(ctx: Contexte): Promise<void> {
  const debut = performance.now();
  const n = await rattraperOuvertures(ctx, (k) =>
    console.log(`Ouverture des crédits de ${k} conventions selon l’échéancier…`),
  );
  if (n)
    console.log(`Crédits ouverts selon l’échéancier : ${n} conventions (${Math.round(performance.now() - debut)} ms).`);
}

export const serve: Command = {
  summary: 'Démarre l’application web (http://localhost:3000 par défaut).',
  usage: 'delegations serve   (PORT, DATABASE_URL, DELEGATIONS_DATA_DIR)',
  async run() {
    const started = performance.now();
    const config = loadConfig();
    const dg = configDataGouv();
    // the web application's modules load while the database opens: both take a second or more
    const application = import('../web/app.js');
    application.catch(() => {}); // awaited below; not an unhandled rejection if the database fails first
    if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'pg')))
      console.log(
        `Nouveau dossier de données (${config.dataDir}) : création de la base${config.demo ? ' et des données de démonstration' : ''}, quelques secondes…`,
      );
    const storage = await ouvrirBase(config);
    if (!storage) return 1;
    if (storage.appliquees.length > 1)
      console.log(`Base de données préparée : ${storage.appliquees.length} migrations.`);
    const ctx = contexte(storage, config);
    if (dg.apiKey && dg.jeuDeDonnees)
      ctx.plateformeDonnees = plateformeDataGouv({
        url: dg.url,
        apiKey: dg.apiKey,
        jeuDeDonnees: dg.jeuDeDonnees,
        tentatives: dg.tentatives,
        delaiMs: dg.delaiMs,
        surReprise: (m) => console.error(`Publication sur data.gouv.fr : ${m}`),
      });
    if (config.demo) {
      const n = await seedDemo(ctx);
      if (n) console.log(`Données de démonstration : ${n} conventions créées.`);
    } else if (connexionDemoActive(config)) {
      // the demo data brings its users; without it, the development login still needs them
      await seedAgentsDemo(ctx);
    }
    // after an upgrade, the first answers already show every convention's credits; otherwise the check
    // (one statement, for conventions written outside the use cases) runs once the server listens
    if (storage.appliquees.length) await rattrapage(ctx);
    const { createApp } = await application;
    const app = createApp({ ctx, config: { ...config, secret: secretServeur(config) }, storageKind: storage.kind });
    const server = listen({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
      const where = config.databaseUrl ? 'PostgreSQL' : `base embarquée (${config.dataDir})`;
      console.log(
        `Délégations écoute sur http://localhost:${info.port} — ${where} — prêt en ${Math.round(performance.now() - started)} ms`,
      );
    });
    // the commands that need the embedded database reach it through us while we hold its folder
    let fermerCanal = async () => {};
    if (storage.kind === 'pglite') {
      try {
        // the importer's modules (document readers) load on the first import, not at start-up
        const importer: Execution = async (...a) => (await import('./import.js')).executerImport(...a);
        fermerCanal = await ouvrirCanal(config.dataDir, ctx, { token: executerToken, import: importer });
      } catch (e) {
        console.error(
          `Canal d’administration indisponible (${e instanceof Error ? e.message : String(e)}) : arrêtez le serveur pour lancer « delegations token » ou « delegations import ».`,
        );
      }
    }
    // the background work: every instance takes part; the queue hands each job to one of them
    const expediteur = config.smtpUrl ? expediteurSmtp(config.smtpUrl, config.expediteur) : null;
    let passe: Promise<unknown> = Promise.resolve();
    // shortly after the first answers, not before them: on the embedded database it holds the one connection
    const verification = storage.appliquees.length
      ? null
      : setTimeout(() => {
          passe = passe.then(() => rattrapage(ctx)).catch((e: unknown) => console.error('Ouverture des crédits :', e));
        }, VERIFICATION_APRES_MS);
    const travaux: Promise<Travaux | null> = ouvrirTravauxBase(storage)
      .then(async (t) => {
        ctx.travaux = t;
        await t.demarrer({
          envois: () => envoyerEnAttente(ctx, expediteur, { baseUrl: config.publicUrl }),
          // the day's messages, then at once their sending
          journee: async () => {
            if (await traiterJournee(ctx)) await t.signaler(storage.db, 'envois');
          },
          limites: () => purgerLimites(ctx),
          publication: () => publierDonneesEnArrierePlan(ctx),
        });
        return t;
      })
      .catch((e: unknown) => {
        console.error('Travaux en arrière-plan indisponibles (envois, récapitulatifs, publication des données) :', e);
        return null;
      });
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      if (verification) clearTimeout(verification);
      await (await travaux)?.arreter();
      await passe;
      server.close();
      await fermerCanal();
      await storage.close();
      process.exit(0);
    };
    const surSignal = () => void stop();
    process.on('SIGINT', surSignal);
    process.on('SIGTERM', surSignal);
    return 0;
  },
};
