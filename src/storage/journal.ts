import type { Transaction } from 'kysely';
import type { Acteur } from '../domain/acces.js';
import type { LigneJournal } from '../domain/journal.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export interface NouvelleLigneJournal {
  conventionId: string | null;
  objetType: string;
  objetId: string;
  action: string;
  changements?: Array<{ champ: string; avant: unknown; apres: unknown }>;
  commentaire?: string | null;
}

/** Appends to the journal inside the caller's transaction: a change and its journal line land together. */
export async function appendJournal(trx: Transaction<Database>, acteur: Acteur, l: NouvelleLigneJournal): Promise<void> {
  await trx
    .insertInto('journal')
    .values({
      convention_id: l.conventionId,
      objet_type: l.objetType,
      objet_id: l.objetId,
      action: l.action,
      acteur_id: acteur.id,
      acteur_nom: acteur.nom,
      acteur_role: acteur.role,
      changements: JSON.stringify(l.changements ?? []),
      commentaire: l.commentaire ?? null,
    })
    .execute();
}

export async function listJournal(db: Db, conventionId: string, limit = 200): Promise<LigneJournal[]> {
  const rows = await db.selectFrom('journal').selectAll().where('convention_id', '=', conventionId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    conventionId: r.convention_id,
    objetType: r.objet_type,
    objetId: r.objet_id,
    action: r.action,
    acteur: { id: r.acteur_id, nom: r.acteur_nom, role: r.acteur_role },
    le: r.le instanceof Date ? r.le.toISOString() : String(r.le),
    changements: r.changements as LigneJournal['changements'],
    commentaire: r.commentaire,
  }));
}
