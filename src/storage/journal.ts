import type { InsertQueryBuilder, InsertResult } from 'kysely';
import type { Acteur } from '../domain/acces.js';
import type { Changement, LigneJournal } from '../domain/journal.js';
import type { Executor, Trx } from './database.js';
import type { Database } from './schema.js';

/** What a journal line is about; its before/after values and comment may be completed by the writes. */
export interface SujetJournal {
  conventionId: string | null;
  objetType: string;
  objetId: string;
  action: string;
  changements?: Changement[];
  commentaire?: string | null;
}

/**
 * A write under way, in a transaction, and the one journal line it owes: who, when, what, before and
 * after. Every repository write takes one, and only `ecrireAvecJournal` makes one, so that a write
 * without its journal line does not type-check. The line is written once, by the repository statement
 * that carries it (`insertionJournal`, the hot path of orders) or when the writes are done.
 *
 * Records that are their own log are written without it: refusals kept as alerts, sessions, logins
 * under way, the last use of a token, an agent's refresh at login.
 */
export class Ecriture {
  readonly #sujet: SujetJournal;
  readonly #changements: Changement[];
  #commentaire: string | null;
  #ecrite = false;

  private constructor(
    readonly trx: Trx,
    readonly acteur: Acteur,
    /** the instant of the write, from the use case's clock: every timestamp of the write takes it */
    readonly le: Date,
    sujet: SujetJournal,
  ) {
    this.#sujet = sujet;
    this.#changements = [...(sujet.changements ?? [])];
    this.#commentaire = sujet.commentaire ?? null;
  }

  /** Runs `ecrire` and writes its journal line in the same transaction, unless a write carried it. */
  static async executer<T>(
    trx: Trx,
    acteur: Acteur,
    le: Date,
    sujet: SujetJournal,
    ecrire: (e: Ecriture) => Promise<T>,
  ): Promise<T> {
    const e = new Ecriture(trx, acteur, le, sujet);
    const r = await ecrire(e);
    if (!e.#ecrite) await e.insertionJournal().execute();
    return r;
  }

  get conventionId(): string | null {
    return this.#sujet.conventionId;
  }

  /** Before/after values of what the write changes, for its line. */
  noter(...changements: Changement[]): void {
    this.#ouverte();
    this.#changements.push(...changements);
  }

  commenter(commentaire: string | null): void {
    this.#ouverte();
    this.#commentaire = commentaire;
  }

  /**
   * The insertion of the line, for a repository that writes it in the statement of its change (one round
   * trip). Once only: the line is then complete.
   */
  insertionJournal(): InsertQueryBuilder<Database, 'journal', InsertResult> {
    this.#ouverte();
    this.#ecrite = true;
    const s = this.#sujet;
    return this.trx.insertInto('journal').values({
      convention_id: s.conventionId,
      objet_type: s.objetType,
      objet_id: s.objetId,
      action: s.action,
      acteur_id: this.acteur.id,
      acteur_nom: this.acteur.nom,
      acteur_role: this.acteur.role,
      le: this.le,
      changements: JSON.stringify(this.#changements),
      commentaire: this.#commentaire,
    });
  }

  #ouverte(): void {
    if (this.#ecrite) throw new Error(`La ligne de journal « ${this.#sujet.action} » est déjà écrite.`);
  }
}

/** The one journal writer: `ecrire` runs with the write's `Ecriture`, and its line lands with it. */
export function ecrireAvecJournal<T>(
  trx: Trx,
  acteur: Acteur,
  le: Date,
  sujet: SujetJournal,
  ecrire: (e: Ecriture) => Promise<T>,
): Promise<T> {
  return Ecriture.executer(trx, acteur, le, sujet, ecrire);
}

/** A convention's journal, latest first. */
export async function listerJournal(ex: Executor, conventionId: string, limite = 200): Promise<LigneJournal[]> {
  const rows = await ex
    .selectFrom('journal')
    .selectAll()
    .where('convention_id', '=', conventionId)
    .orderBy('id', 'desc')
    .limit(limite)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    conventionId: r.convention_id,
    objetType: r.objet_type,
    objetId: r.objet_id,
    action: r.action,
    acteur: { id: r.acteur_id, nom: r.acteur_nom, role: r.acteur_role },
    le: r.le.toISOString(),
    changements: r.changements,
    commentaire: r.commentaire,
  }));
}
