import { setTimeout as attendre } from 'node:timers/promises';
import type { PlateformeDonnees, Ressource } from '../domain/donnees.js';

/**
 * data.gouv.fr's API (v1) for one dataset: read it, upload a new resource, replace a resource's file. Every
 * request carries the X-API-KEY header; a network error, a 429 or a 5xx is retried with a doubling wait,
 * a refusal (4xx) is not.
 */
export interface OptionsDataGouv {
  url: string;
  apiKey: string;
  jeuDeDonnees: string;
  tentatives: number;
  delaiMs: number;
  /** told of each retry, for the command's output */
  surReprise?: (message: string) => void;
}

class RefusDataGouv extends Error {}

const aReprendre = (status: number) => status === 429 || status >= 500;

export function plateformeDataGouv(o: OptionsDataGouv): PlateformeDonnees {
  const api = (chemin: string) => `${o.url}/api/1/datasets/${encodeURIComponent(o.jeuDeDonnees)}${chemin}`;

  async function requete(methode: string, url: string, corps?: () => FormData): Promise<unknown> {
    let derniere = '';
    for (let essai = 1; essai <= o.tentatives; essai++) {
      if (essai > 1) {
        o.surReprise?.(`${derniere} — nouvel essai (${essai}/${o.tentatives})`);
        await attendre(o.delaiMs * 2 ** (essai - 2));
      }
      let r: Response;
      try {
        r = await fetch(url, {
          method: methode,
          headers: { 'X-API-KEY': o.apiKey, accept: 'application/json' },
          body: corps?.(),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (e) {
        derniere = `data.gouv.fr injoignable (${e instanceof Error ? e.message : String(e)})`;
        continue;
      }
      const texte = await r.text();
      if (r.ok) return texte ? (JSON.parse(texte) as unknown) : null;
      const message = `data.gouv.fr a répondu ${r.status} à ${methode} ${new URL(url).pathname}${texte ? ` : ${texte.slice(0, 300)}` : ''}`;
      if (!aReprendre(r.status)) throw new RefusDataGouv(message);
      derniere = message;
    }
    throw new Error(`${derniere} (après ${o.tentatives} essais)`);
  }

  const ressource = (v: unknown): Ressource => {
    const r = v as { id?: unknown; title?: unknown; url?: unknown };
    if (typeof r?.id !== 'string') throw new Error('data.gouv.fr a répondu sans identifiant de ressource.');
    return {
      id: r.id,
      titre: typeof r.title === 'string' ? r.title : '',
      url: typeof r.url === 'string' ? r.url : null,
    };
  };
  const fichier = (nom: string, contenu: string) => () => {
    const f = new FormData();
    f.append('file', new Blob([contenu], { type: 'text/csv' }), nom);
    return f;
  };

  return {
    jeuDeDonnees: o.jeuDeDonnees,
    async ressources() {
      const d = (await requete('GET', api('/'))) as { resources?: unknown[] } | null;
      return (d?.resources ?? []).map(ressource);
    },
    async deposer(nom, contenu) {
      return ressource(await requete('POST', api('/upload/'), fichier(nom, contenu)));
    },
    async remplacer(id, nom, contenu) {
      return ressource(
        await requete('POST', api(`/resources/${encodeURIComponent(id)}/upload/`), fichier(nom, contenu)),
      );
    },
  };
}
