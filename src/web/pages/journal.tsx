import { LIBELLES_CHAMPS } from '../../domain/convention.js';
import type { LigneJournal } from '../../domain/journal.js';

/** A convention's journal: who changed which field, from what to what, and when. */

function valeurJournal(x: unknown): string {
  if (x === null || x === undefined) return '∅';
  if (typeof x === 'string') return x;
  return JSON.stringify(x);
}

export function JournalTable({ journal }: { journal: LigneJournal[] }) {
  return (
    <div class="fr-table">
      <table>
        <caption>Journal des modifications</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Auteur</th>
            <th scope="col">Action</th>
            <th scope="col">Changements</th>
          </tr>
        </thead>
        <tbody>
          {journal.map((l) => (
            <tr>
              <td>
                <time datetime={l.le}>{new Date(l.le).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</time>
              </td>
              <td>{l.acteur.nom}</td>
              <td>
                {l.action}
                {l.commentaire ? <p class="fr-text--sm fr-mb-0">{l.commentaire}</p> : null}
              </td>
              <td>
                <ul class="journal-changements">
                  {l.changements.map((ch) => (
                    <li>
                      <strong>{LIBELLES_CHAMPS[ch.champ] ?? ch.champ}</strong> : <del>{valeurJournal(ch.avant)}</del> →{' '}
                      <ins>{valeurJournal(ch.apres)}</ins>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
