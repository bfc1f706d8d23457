import { peutDeciderCredits, type Acteur } from '../../domain/acces.js';
import type { AlerteEnregistree } from '../../domain/alerte.js';
import type { AlerteConvention } from '../../usecases/alerte.js';
import { Page } from './layout.js';
import { instantEnMots } from './libelles.js';

/** The alerts page: this year's computed alerts by kind, then the refusals recorded, to be marked as handled. */

const TITRES: Record<string, string> = {
  sous_consommation: 'Crédits qui ne seront pas consommés',
  date_limite_engagements: 'Date limite des engagements proche',
  date_limite_paiements: 'Date limite des paiements proche',
  fin_avec_ae: 'Convention qui s’achève avec des AE',
  exercice_non_clos: 'Exercice non clos',
  reste_apres_fin: 'Crédits restés après la fin de la convention',
  suspension_proposee: 'Suspension proposée (insuffisance sans ajustement)',
  enveloppe_cofinancement: 'Enveloppe de cofinancement à engager',
};

/** Refusals recorded, each with who asked and, for a budget agent, the button that marks it handled. */
function TableauRefus({
  csrf,
  enregistrees,
  toutes,
  traiter,
}: {
  csrf: string;
  enregistrees: AlerteEnregistree[];
  toutes: boolean;
  traiter: boolean;
}) {
  return (
    <div class="fr-table">
      <table>
        <caption>Refus enregistrés{toutes ? '' : ' à traiter'}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Convention</th>
            <th scope="col">Refus</th>
            <th scope="col">Demandé par</th>
            <th scope="col">Suite</th>
          </tr>
        </thead>
        <tbody>
          {enregistrees.length === 0 ? (
            <tr>
              <td colspan={5}>Aucun refus.</td>
            </tr>
          ) : null}
          {enregistrees.map((a) => (
            <tr>
              <td>
                <time datetime={a.le}>{instantEnMots(a.le)}</time>
              </td>
              <td>
                <a href={`/conventions/${a.conventionId}/credits${a.annee ? `?annee=${a.annee}` : ''}`}>
                  {a.conventionLibelle}
                </a>
              </td>
              <td>
                {a.message}
                <span class="fr-hint-text">
                  <code>{a.code}</code>
                  {a.destinataire === 'delegant'
                    ? ' — à signaler au délégant ; un administrateur peut suspendre la convention depuis sa page de crédits'
                    : ''}
                </span>
              </td>
              <td>{a.acteurNom}</td>
              <td>
                {a.traiteeLe ? (
                  `Traitée par ${a.traiteePar}`
                ) : traiter ? (
                  <form method="post" action={`/credits/alertes/${a.id}/traitement`}>
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                      Marquer traitée
                    </button>
                  </form>
                ) : (
                  'À traiter'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AlertesPage({
  acteur,
  csrf,
  calculees,
  enregistrees,
  toutes,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  calculees: AlerteConvention[];
  enregistrees: AlerteEnregistree[];
  toutes: boolean;
  flash?: { type: 'success'; message: string } | null;
}) {
  const traiter = peutDeciderCredits(acteur);
  return (
    <Page
      titre="Alertes sur les crédits"
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Alertes sur les crédits']]}
      flash={flash}
    >
      <h1>Alertes sur les crédits</h1>
      <p>
        <a href="/insuffisances">Insuffisances de crédits en cours</a> (article 5 : information du délégant, réponse,
        suspension proposée).
      </p>
      <h2>Cette année</h2>
      {calculees.length === 0 ? <p>Aucune alerte.</p> : null}
      {Object.keys(TITRES).map((type) => {
        const liste = calculees.filter((a) => a.type === type);
        return liste.length ? (
          <div class="fr-alert fr-alert--warning fr-mb-2w">
            <h3 class="fr-alert__title">
              {TITRES[type]} ({liste.length})
            </h3>
            <ul>
              {liste.map((a) => (
                <li>
                  <a href={`/conventions/${a.conventionId}/credits?annee=${a.annee}`}>{a.libelle}</a> : {a.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null;
      })}
      <h2 class="fr-mt-4w">Refus et insuffisances de crédits</h2>
      <p>
        {toutes ? (
          <a class="fr-link" href="/credits/alertes">
            N’afficher que les alertes à traiter
          </a>
        ) : (
          <a class="fr-link" href="/credits/alertes?toutes=1">
            Afficher aussi les alertes traitées
          </a>
        )}
      </p>
      <TableauRefus csrf={csrf} enregistrees={enregistrees} toutes={toutes} traiter={traiter} />
    </Page>
  );
}
