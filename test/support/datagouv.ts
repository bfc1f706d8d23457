import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that answers like data.gouv.fr's API v1 for datasets: read a dataset with its resources,
 * upload a file as a new resource, replace a resource's file; writes need the right X-API-KEY. It can be
 * told to fail the next requests with a 503, to test the retries.
 */
export interface FauxDataGouv {
  url: string;
  cle: string;
  jeu: string;
  /** what each resource holds now, by id */
  fichiers: Map<string, { titre: string; contenu: string }>;
  /** every request received, `METHOD path` */
  requetes: string[];
  /** the next `n` requests get a 503 */
  panne(n: number): void;
  fermer(): Promise<void>;
}

export async function demarrerDataGouv(): Promise<FauxDataGouv> {
  const cle = 'cle-api-de-test';
  const jeu = '5f3a1e2b9c8d7e6f5a4b3c2d';
  const fichiers = new Map<string, { titre: string; contenu: string }>();
  const requetes: string[] = [];
  let pannes = 0;
  let url = '';
  const json = (res: http.ServerResponse, status: number, corps: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(corps));
  };
  const ressource = (id: string) => ({
    id,
    title: fichiers.get(id)!.titre,
    url: `${url}/fichiers/${id}/${fichiers.get(id)!.titre}`,
    filetype: 'file',
    format: 'csv',
  });
  const serveur = http.createServer((req, res) => {
    const morceaux: Buffer[] = [];
    req.on('data', (d: Buffer) => morceaux.push(d));
    req.on('end', () => {
      void (async () => {
        const chemin = new URL(req.url ?? '/', 'http://x').pathname;
        requetes.push(`${req.method} ${chemin}`);
        if (pannes > 0) {
          pannes--;
          return json(res, 503, { message: 'Service Unavailable' });
        }
        const m = /^\/api\/1\/datasets\/([^/]+)\/(?:(upload)\/|resources\/([^/]+)\/upload\/)?$/.exec(chemin);
        if (!m) return json(res, 404, { message: 'Not Found' });
        if (m[1] !== jeu) return json(res, 404, { message: 'Dataset not found' });
        if (req.method === 'GET' && !m[2] && !m[3])
          return json(res, 200, {
            id: jeu,
            title: 'Conventions de délégation de gestion',
            resources: [...fichiers.keys()].map(ressource),
          });
        if (req.method !== 'POST') return json(res, 405, { message: 'Method Not Allowed' });
        if (req.headers['x-api-key'] !== cle) return json(res, 401, { message: 'Invalid API Key' });
        const corps = await new Request('http://x', {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? '' },
          body: Buffer.concat(morceaux),
        }).formData();
        const f = corps.get('file');
        if (!(f instanceof File)) return json(res, 400, { message: 'Missing file' });
        const contenu = await f.text();
        if (m[2]) {
          const id = randomUUID();
          fichiers.set(id, { titre: f.name, contenu });
          return json(res, 201, ressource(id));
        }
        if (!fichiers.has(m[3]!)) return json(res, 404, { message: 'Resource not found' });
        fichiers.set(m[3]!, { titre: f.name, contenu });
        return json(res, 200, ressource(m[3]!));
      })();
    });
  });
  await new Promise<void>((r) => serveur.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
  return {
    url,
    cle,
    jeu,
    fichiers,
    requetes,
    panne: (n) => (pannes = n),
    fermer: () => new Promise((r) => serveur.close(() => r())),
  };
}
