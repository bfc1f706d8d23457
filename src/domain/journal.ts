import { LIBELLES_CHAMPS, type ConventionSaisie } from './convention.js';

/** One field changed by a write: what the journal shows as before and after. */
export interface Changement {
  champ: string;
  avant: unknown;
  apres: unknown;
}

/** What a journal line says: who changed what, when, with the values before and after. */
export interface LigneJournal {
  id: number;
  conventionId: string | null;
  objetType: string;
  objetId: string;
  action: string;
  acteur: { id: string; nom: string; role: string };
  le: string;
  changements: Changement[];
  commentaire: string | null;
}

/** Field-level differences between two versions, for the journal. */
export function differences(avant: ConventionSaisie, apres: ConventionSaisie): Changement[] {
  const out: Changement[] = [];
  for (const champ of Object.keys(LIBELLES_CHAMPS) as Array<keyof ConventionSaisie>) {
    const a = avant[champ];
    const b = apres[champ];
    if (canonique(a) !== canonique(b)) out.push({ champ, avant: a ?? null, apres: b ?? null });
  }
  return out;
}

/** JSON with object keys sorted: stored jsonb comes back with its own key order. */
function canonique(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonique).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonique(o[k])}`)
    .join(',')}}`;
}
