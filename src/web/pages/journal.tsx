import { libelleAction, libelleChamp, valeurLisible } from './journal-libelles.js';
import type { LigneJournal } from '../../domain/journal.js';
import { instantEnMots } from './libelles.js';

/** A convention's journal: who changed which field, from what to what, and when. */

export function JournalTable({ journal }: { journal: LigneJournal[] }) {
  return (
    <div class="fr-table">
      {/* long entries make the table scroll: the keyboard must reach it */}
      <table tabindex={0}>
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
                <time datetime={l.le}>{instantEnMots(l.le)}</time>
              </td>
              <td>{l.acteur.nom}</td>
              <td>
                {libelleAction(l.action)}
                {l.commentaire ? <p class="fr-text--sm fr-mb-0">{l.commentaire}</p> : null}
              </td>
              <td>
                <ul class="journal-changements">
                  {l.changements.map((ch) => (
                    <li>
                      <strong>{libelleChamp(ch.champ)}</strong> : <del>{valeurLisible(ch.champ, ch.avant)}</del> →{' '}
                      <ins>{valeurLisible(ch.champ, ch.apres)}</ins>
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
