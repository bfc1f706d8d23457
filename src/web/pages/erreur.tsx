import type { Acteur } from '../../domain/acces.js';
import { Page } from './layout.js';

export function ErreurPage({
  acteur,
  status,
  titre,
  message,
}: {
  acteur: Acteur;
  status: number;
  titre: string;
  message: string;
}) {
  return (
    <Page titre={titre} acteur={acteur}>
      <h1>{titre}</h1>
      <p class="fr-text--lead">{message}</p>
      <p class="fr-text--sm">Erreur {status}</p>
      <ul class="fr-btns-group fr-btns-group--inline">
        <li>
          <a class="fr-btn" href="/conventions">
            Retour aux conventions
          </a>
        </li>
      </ul>
    </Page>
  );
}
