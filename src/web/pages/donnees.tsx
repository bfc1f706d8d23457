import type { Acteur } from '../../domain/acces.js';
import type { PublicationsDonnees } from '../../usecases/donnees.js';
import { Page } from './layout.js';

const quand = (iso: string) =>
  new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/**
 * « Données ouvertes sur data.gouv.fr »: what was pushed, when, by whom and with what outcome, and a push
 * asked for now (run by the server's background work, as every morning's).
 */
export function DonneesPublicationPage({
  acteur,
  csrf,
  l,
  flash,
  erreur,
}: {
  acteur: Acteur;
  csrf: string;
  l: PublicationsDonnees;
  flash?: { type: 'success'; message: string } | null;
  erreur?: string | null;
}) {
  return (
    <Page
      titre="Données ouvertes sur data.gouv.fr"
      acteur={acteur}
      csrf={csrf}
      flash={flash}
      fil={[['Accueil', '/'], ['Budgets publiés', '/publications'], ['Données ouvertes sur data.gouv.fr']]}
    >
      <h1>Données ouvertes sur data.gouv.fr</h1>
      <p>
        Les fichiers <a href="/donnees/conventions.csv">conventions.csv</a> et{' '}
        <a href="/donnees/credits-annuels.csv">credits-annuels.csv</a> (avec leurs schémas{' '}
        <a href="/donnees/conventions.schema.json">conventions</a> et{' '}
        <a href="/donnees/credits-annuels.schema.json">crédits annuels</a>) décrivent les conventions publiées. Chaque
        matin, le serveur les envoie au jeu de données data.gouv.fr : chaque fichier remplace la ressource de même
        titre.
      </p>
      {erreur ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">Publication impossible</h2>
          <p>{erreur}</p>
        </div>
      ) : null}
      {l.configuree ? (
        <form method="post" action="/donnees/publication" class="fr-mb-4w">
          <input type="hidden" name="_csrf" value={csrf} />
          <p>
            Jeu de données : <code>{l.jeuDeDonnees}</code>
          </p>
          <button class="fr-btn fr-icon-upload-line fr-btn--icon-left" type="submit">
            Publier maintenant
          </button>
        </form>
      ) : (
        <div class="fr-alert fr-alert--info fr-mb-4w">
          <h2 class="fr-alert__title">Publication non configurée</h2>
          <p>
            Le serveur n’a pas de clé d’API data.gouv.fr : l’administrateur technique indique DATAGOUV_API_KEY et
            DATAGOUV_DATASET. La commande « delegations publier » envoie aussi les fichiers.
          </p>
        </div>
      )}
      <h2>Envois</h2>
      <div class="fr-table">
        <table>
          <caption class="fr-sr-only">Envois des données ouvertes, les plus récents d’abord</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Fichier</th>
              <th scope="col">Résultat</th>
              <th scope="col">Lignes</th>
              <th scope="col">Par</th>
              <th scope="col">Détail</th>
            </tr>
          </thead>
          <tbody>
            {l.items.length === 0 ? (
              <tr>
                <td colspan={6}>Aucun envoi pour l’instant.</td>
              </tr>
            ) : null}
            {l.items.map((p) => (
              <tr>
                <td>{quand(p.le)}</td>
                <td>{p.fichier}</td>
                <td>
                  {p.statut === 'publie' ? (
                    <p class="fr-badge fr-badge--success fr-badge--sm">Publié</p>
                  ) : (
                    <p class="fr-badge fr-badge--error fr-badge--sm">Échec</p>
                  )}
                </td>
                <td>{p.lignes ?? '—'}</td>
                <td>{p.acteurNom}</td>
                <td>
                  {p.url ? (
                    <a
                      href={p.url}
                      rel="noopener"
                      target="_blank"
                      title={`${p.fichier} sur data.gouv.fr — nouvelle fenêtre`}
                    >
                      {p.message ?? 'Voir la ressource'}
                    </a>
                  ) : (
                    (p.message ?? '—')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
