import type { Acteur } from '../../domain/acces.js';
import { LIBELLES_ROLES } from '../../domain/acces.js';
import { Page } from './layout.js';

export function ErreurPage({ acteur, status, titre, message }: { acteur: Acteur; status: number; titre: string; message: string }) {
  return (
    <Page titre={titre} acteur={acteur}>
      <h1>{titre}</h1>
      <p class="fr-text--lead">{message}</p>
      <p class="fr-text--sm">Erreur {status}</p>
      <ul class="fr-btns-group fr-btns-group--inline">
        <li><a class="fr-btn" href="/conventions">Retour aux conventions</a></li>
      </ul>
    </Page>
  );
}

export function ConnexionDemoPage({ acteur, csrf, acteurs, erreur }: { acteur: Acteur; csrf: string; acteurs: Acteur[]; erreur?: string }) {
  return (
    <Page titre="Connexion" acteur={acteur} csrf={csrf}>
      <h1>Connexion de démonstration</h1>
      <div class="fr-callout fr-mb-4w">
        <p class="fr-callout__text">
          Cette instance tourne en mode embarqué sans ProConnect : choisissez un utilisateur de démonstration pour agir avec son rôle.
        </p>
      </div>
      {erreur ? <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{erreur}</p></div> : null}
      <form method="post" action="/connexion/demo">
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset class="fr-fieldset" aria-labelledby="choix-legend">
          <legend class="fr-fieldset__legend" id="choix-legend">Utilisateur</legend>
          {acteurs.map((a, i) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`u-${a.id}`} name="utilisateur" value={a.id} checked={i === 0} />
                <label class="fr-label" for={`u-${a.id}`}>
                  {a.nom}
                  <span class="fr-hint-text">{LIBELLES_ROLES[a.role]}</span>
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <button class="fr-btn" type="submit">Se connecter</button>
      </form>
    </Page>
  );
}
