import fs from 'node:fs';

/**
 * The one document model that both renderers draw (DOCX and PDF), so that the two files of a document
 * cannot disagree: headings, paragraphs, lists, tables and a signature block, in reading order.
 */
export type Bloc =
  | { type: 'titre'; niveau: 1 | 2 | 3; texte: string }
  | { type: 'paragraphe'; texte: string; gras?: boolean; centre?: boolean }
  | { type: 'liste'; items: string[] }
  /** a table: `droite` lists the columns aligned right (amounts); an empty cell stays empty */
  | { type: 'tableau'; entetes: string[]; lignes: string[][]; droite?: number[] }
  | { type: 'signatures'; parties: { qualite: string; nom: string; representant: string }[] };

export interface DocumentGenere {
  titre: string;
  /** the template it was made from, `<kind>-v<version>`, written in the document's properties and footer */
  modele: string;
  blocs: Bloc[];
}

/** The texts of a template: each clause by its key; `{name}` is replaced by the value of that name. */
export interface Modele {
  nom: string;
  version: number;
  textes: Record<string, string>;
}

/** The templates shipped with the product, one file per kind and version (`modeles/<kind>-v<version>.json`). */
export const MODELES = {
  rapport: 1,
  bilan: 1,
  'convention-delegataire': 1,
  'convention-fast': 1,
  avenant: 1,
} as const;

export type TypeModele = keyof typeof MODELES;

const cache = new Map<string, Modele>();

export function chargerModele(type: TypeModele, version: number = MODELES[type]): Modele {
  const nom = `${type}-v${version}`;
  const deja = cache.get(nom);
  if (deja) return deja;
  const brut = JSON.parse(fs.readFileSync(new URL(`./modeles/${nom}.json`, import.meta.url), 'utf8')) as {
    version: number;
    textes: Record<string, string>;
  };
  if (brut.version !== version) throw new Error(`Le modèle ${nom} déclare la version ${brut.version}.`);
  const m = { nom, version, textes: brut.textes };
  cache.set(nom, m);
  return m;
}

/** A clause of the template with its values in place; a missing clause or value is an error, never a blank. */
export function texte(m: Modele, cle: string, valeurs: Record<string, string | number> = {}): string {
  const t = m.textes[cle];
  if (t === undefined) throw new Error(`Clause « ${cle} » absente du modèle ${m.nom}.`);
  return t.replace(/\{([a-z_]+)\}/g, (_, k: string) => {
    const v = valeurs[k];
    if (v === undefined) throw new Error(`Valeur « ${k} » manquante pour la clause « ${cle} » du modèle ${m.nom}.`);
    return String(v);
  });
}
