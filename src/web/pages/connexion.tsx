import { LIBELLES_ROLES, type Acteur } from '../../domain/acces.js';
import { Page } from './layout.js';

export interface ConnexionProps {
  acteur: Acteur;
  csrf: string;
  proconnect: boolean;
  demo: Acteur[];
  retour: string;
  erreur?: string;
  info?: string;
}

export function ConnexionPage({ acteur, csrf, proconnect, demo, retour, erreur, info }: ConnexionProps) {
  return (
    <Page
      titre="Connexion"
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Connexion']]}
      flash={erreur ? { type: 'error', message: erreur } : info ? { type: 'info', message: info } : null}
    >
      <h1>Connexion à Délégations</h1>
      {acteur.role !== 'public' ? (
        <p>
          Vous êtes connecté en tant que {acteur.nom} ({LIBELLES_ROLES[acteur.role]}).
        </p>
      ) : null}
      {proconnect ? (
        <section class="fr-mb-6w" aria-labelledby="titre-proconnect">
          <h2 id="titre-proconnect" class="fr-h4">
            Agents de l’État
          </h2>
          <p>Connectez-vous avec votre compte professionnel, par ProConnect.</p>
          <form method="post" action="/connexion/proconnect">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="retour" value={retour} />
            <button class="fr-btn fr-btn--lg" type="submit">
              S’identifier avec ProConnect
            </button>
          </form>
          <p class="fr-mt-2w">
            <a
              href="https://www.proconnect.gouv.fr/"
              target="_blank"
              rel="noopener"
              title="Qu’est-ce que ProConnect ? — nouvelle fenêtre"
            >
              Qu’est-ce que ProConnect ?
            </a>
          </p>
        </section>
      ) : null}
      {demo.length ? (
        <section aria-labelledby="titre-demo">
          <h2 id="titre-demo" class="fr-h4">
            Connexion de démonstration
          </h2>
          <div class="fr-callout fr-mb-4w">
            <p class="fr-callout__text">
              Cette instance de développement propose des utilisateurs de démonstration : choisissez-en un pour agir
              avec son rôle.
            </p>
          </div>
          <form method="post" action="/connexion/demo">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="retour" value={retour} />
            <fieldset class="fr-fieldset" aria-labelledby="choix-legend">
              <legend class="fr-fieldset__legend" id="choix-legend">
                Utilisateur
              </legend>
              {demo.map((a, i) => (
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
            <button class="fr-btn" type="submit">
              Se connecter
            </button>
          </form>
        </section>
      ) : null}
      {!proconnect && !demo.length ? (
        <div class="fr-alert fr-alert--warning">
          <p>Aucun moyen de connexion n’est configuré sur ce service. Contactez son administrateur.</p>
        </div>
      ) : null}
    </Page>
  );
}
