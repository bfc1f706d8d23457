import { serve as listen } from '@hono/node-server';
import { connexionDemoActive, loadConfig } from '../config.js';
import { contexte, ouvrirBase } from './database.js';
import { seedAgentsDemo, seedDemo } from '../demo/seed.js';
import { rattraperOuvertures } from '../usecases/credit.js';
import { envoyerEnAttente } from '../usecases/envoi.js';
import { FENETRE_LIMITES_MS, purgerLimites } from '../usecases/limite.js';
import { createApp } from '../web/app.js';
import { secretServeur } from './secret.js';
import { expediteurSmtp } from './smtp.js';
import type { Command } from './command.js';
import { ouvrirCanal } from './canal.js';
import { executerToken } from './token.js';
import { executerImport } from './import.js';

export const serve: Command = {
  summary: 'Démarre l’application web (http://localhost:3000 par défaut).',
  usage: 'delegations serve   (PORT, DATABASE_URL, DELEGATIONS_DATA_DIR)',
  async run() {
    const started = performance.now();
    const config = loadConfig();
    const storage = await ouvrirBase(config);
    if (!storage) return 1;
    const ctx = contexte(storage, config);
    if (config.demo) {
      const n = await seedDemo(ctx);
      if (n) console.log(`Données de démonstration : ${n} conventions créées.`);
    } else if (connexionDemoActive(config)) {
      // the demo data brings its users; without it, the development login still needs them
      await seedAgentsDemo(ctx);
    }
    const ouvertes = await rattraperOuvertures(ctx);
    if (ouvertes) console.log(`Crédits ouverts selon l’échéancier : ${ouvertes} conventions.`);
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
        fermerCanal = await ouvrirCanal(config.dataDir, ctx, { token: executerToken, import: executerImport });
      } catch (e) {
        console.error(
          `Canal d’administration indisponible (${e instanceof Error ? e.message : String(e)}) : arrêtez le serveur pour lancer « delegations token » ou « delegations import ».`,
        );
      }
    }
    // the sender: every instance runs it; the queue hands each message to one of them
    const expediteur = config.smtpUrl ? expediteurSmtp(config.smtpUrl, config.expediteur) : null;
    let passe: Promise<unknown> = Promise.resolve();
    const minuterie = setInterval(() => {
      passe = passe
        .then(() => envoyerEnAttente(ctx, expediteur, { baseUrl: config.publicUrl }))
        .catch((e: unknown) => console.error('Envoi des messages :', e));
    }, 10_000);
    // counters of clients that stopped calling; any instance may drop them
    const purge = setInterval(() => {
      purgerLimites(ctx).catch((e: unknown) => console.error('Compteurs des limites :', e));
    }, FENETRE_LIMITES_MS);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      clearInterval(minuterie);
      clearInterval(purge);
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
