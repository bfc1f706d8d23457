import fs from 'node:fs';
import http from 'node:http';
import { loadConfig } from '../config.js';
import type { Contexte } from '../usecases/contexte.js';
import { cheminCanal, contexte, ouvrirBaseOuVerrou } from './database.js';
import { terminal, type Sortie } from './sortie.js';

/** A command's work on an open database, its relative paths taken from `repertoire`; its exit code. */
export type Execution = (ctx: Contexte, args: string[], sortie: Sortie, repertoire: string) => Promise<number>;

interface Demande {
  commande: string;
  args: string[];
  /** the command's working directory, for the paths it was given */
  repertoire: string;
}

interface Reponse {
  code: number;
  stdout: string;
  stderr: string;
}

/** A request is a command line: a few kilobytes at most. */
const TAILLE_MAX_DEMANDE = 1024 * 1024;

/**
 * Runs a command on the configured database. When a running server holds the embedded data folder, the
 * command goes through the server's admin channel instead, with the same output and exit code.
 */
export async function surLaBase(commande: string, args: string[], execution: Execution): Promise<number> {
  const config = loadConfig();
  const r = await ouvrirBaseOuVerrou(config);
  if ('base' in r) {
    try {
      return await execution(contexte(r.base, config), args, terminal, process.cwd());
    } finally {
      await r.base.close();
    }
  }
  const chemin = cheminCanal(config);
  let reponse: Reponse;
  try {
    reponse = await envoyer(chemin, { commande, args, repertoire: process.cwd() });
  } catch {
    console.error(
      `Le dossier de données ${config.dataDir} est utilisé par un autre processus Délégations (pid ${r.verrou.pid}), ` +
        `qui ne répond pas sur ${chemin}. Arrêtez le serveur, ou passez par la page « Administration » de l’application.`,
    );
    return 1;
  }
  process.stdout.write(reponse.stdout);
  process.stderr.write(reponse.stderr);
  return reponse.code;
}

function envoyer(chemin: string, demande: Demande): Promise<Reponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: chemin, method: 'POST', path: '/commande', headers: { 'content-type': 'application/json' } },
      (res) => {
        let corps = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (corps += d));
        res.on('end', () => {
          try {
            if (res.statusCode !== 200) throw new Error(`canal : ${res.statusCode}`);
            resolve(JSON.parse(corps) as Reponse);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(demande));
  });
}

/**
 * The server's admin channel: a Unix socket that only the data folder's owner can reach (the folder is
 * closed to others and the socket is 0600), on which the commands run with the server's database.
 * Resolves with the function that closes it and removes the socket.
 */
export async function ouvrirCanal(
  dataDir: string,
  ctx: Contexte,
  executions: Record<string, Execution>,
): Promise<() => Promise<void>> {
  const chemin = cheminCanal({ dataDir });
  // it holds the database and the secret: nobody else enters it, so nobody else reaches the socket
  fs.chmodSync(dataDir, 0o700);
  // we hold the folder's lock: a socket there was left by a server that was killed
  fs.rmSync(chemin, { force: true });
  const serveur = http.createServer((req, res) => {
    void repondre(req, ctx, executions).then((r) => {
      res.writeHead(r.statut, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.corps));
    });
  });
  // the socket is created 0600 from the start, not made so afterwards
  const masque = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      serveur.once('error', reject);
      serveur.listen(chemin, () => {
        serveur.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(masque);
  }
  fs.chmodSync(chemin, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      serveur.close(() => {
        fs.rmSync(chemin, { force: true });
        resolve();
      });
      serveur.closeAllConnections();
    });
}

async function repondre(
  req: http.IncomingMessage,
  ctx: Contexte,
  executions: Record<string, Execution>,
): Promise<{ statut: number; corps: Reponse | { message: string } }> {
  let texte = '';
  try {
    for await (const morceau of req) {
      texte += String(morceau);
      if (texte.length > TAILLE_MAX_DEMANDE) return { statut: 413, corps: { message: 'Demande trop volumineuse.' } };
    }
    const d = JSON.parse(texte) as Partial<Demande>;
    const execution = typeof d.commande === 'string' ? executions[d.commande] : undefined;
    if (
      req.method !== 'POST' ||
      req.url !== '/commande' ||
      !execution ||
      !Array.isArray(d.args) ||
      typeof d.repertoire !== 'string'
    )
      return { statut: 400, corps: { message: 'Commande inconnue.' } };
    const args = d.args.map(String);
    let stdout = '';
    let stderr = '';
    const sortie: Sortie = { out: (l) => (stdout += `${l}\n`), err: (l) => (stderr += `${l}\n`) };
    let code: number;
    try {
      code = await execution(ctx, args, sortie, d.repertoire);
    } catch (e) {
      // as the command line does with an unexpected error: its message, exit 1
      sortie.err(e instanceof Error ? e.message : String(e));
      code = 1;
    }
    return { statut: 200, corps: { code, stdout, stderr } };
  } catch (e) {
    return { statut: 400, corps: { message: e instanceof Error ? e.message : String(e) } };
  }
}
