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
