import type { Acteur } from '../../domain/acces.js';
import { CONFORMITE_RGAA, entreesMenu, Page, PAGES_LEGALES } from './layout.js';

/**
 * The pages every State site carries: legal notice, personal data, cookies, accessibility statement and
 * site map. Their text describes what the service does, not a template: a change in what it stores or which
 * cookies it sets changes these pages.
 */

interface SiteProps {
  acteur: Acteur;
}

function Article({ acteur, titre, children }: SiteProps & { titre: string; children: unknown }) {
  return (
    <Page titre={titre} acteur={acteur} fil={[['Accueil', '/'], [titre]]}>
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-lg-8">
          <h1>{titre}</h1>
          {children}
        </div>
      </div>
    </Page>
  );
}

export function MentionsLegalesPage({ acteur }: SiteProps) {
  return (
    <Article acteur={acteur} titre="Mentions légales">
      <h2>Éditeur</h2>
      <p>
        Délégations est édité par la Direction interministérielle du numérique (DINUM), programme beta.gouv.fr, 20
        avenue de Ségur, 75007 Paris.
      </p>
      <h2>Directeur de la publication</h2>
      <p>Le directeur interministériel du numérique.</p>
      <h2>Hébergement</h2>
      <p>
        Le service est hébergé par l’administration qui l’exploite, sur une infrastructure située dans l’Union
        européenne ; son nom et son adresse sont communiqués sur demande à l’éditeur.
      </p>
      <h2>Code source et réutilisation</h2>
      <p>
        Le code source de Délégations est publié sous licence libre. Sauf mention contraire, les contenus et les données
        publiées sur ce site sont réutilisables selon la licence ouverte Etalab 2.0.
      </p>
    </Article>
  );
}

export function DonneesPersonnellesPage({ acteur }: SiteProps) {
  return (
    <Article acteur={acteur} titre="Données personnelles">
      <p>
        Délégations traite les données des agents publics qui suivent les conventions de délégation de gestion, pour
        l’exécution d’une mission d’intérêt public (article 6-1-e du règlement général sur la protection des données).
      </p>
      <h2>Données traitées</h2>
      <ul>
        <li>
          à la connexion par ProConnect : nom, prénom, adresse électronique professionnelle, identifiant et SIRET de
          l’organisation ;
        </li>
        <li>le rôle attribué dans le service et les produits suivis ;</li>
        <li>
          dans le journal de chaque convention : l’auteur, la date et le contenu de chaque modification, de chaque
          engagement et de chaque décision.
        </li>
      </ul>
      <h2>Destinataires</h2>
      <p>
        Les agents habilités des administrations parties à une convention, selon leur rôle. Les pages publiques et les
        données ouvertes ne contiennent aucun nom d’agent.
      </p>
      <h2>Durée de conservation</h2>
      <p>
        Le journal d’une convention est conservé avec elle, pendant la durée de la convention et des contrôles qui
        peuvent suivre (dix ans après sa clôture, durée de conservation des pièces comptables). Les sessions de
        connexion expirent d’elles-mêmes.
      </p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder aux données qui vous concernent, les faire rectifier ou demander la limitation de leur
        traitement auprès de l’éditeur (voir les mentions légales) ou du délégué à la protection des données de votre
        ministère. Vous pouvez aussi saisir la Commission nationale de l’informatique et des libertés (CNIL).
      </p>
    </Article>
  );
}

export function CookiesPage({ acteur }: SiteProps) {
  return (
    <Article acteur={acteur} titre="Gestion des cookies">
      <p>
        Délégations ne dépose aucun cookie de mesure d’audience ni de publicité. Les seuls cookies déposés sont
        strictement nécessaires au fonctionnement du service : ils sont exemptés de consentement et ne peuvent pas être
        désactivés sans empêcher la connexion.
      </p>
      <div class="fr-table">
        <table>
          <caption>Cookies déposés par le service</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Rôle</th>
              <th scope="col">Durée</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>delegations_session (__Host-delegations_session en HTTPS)</td>
              <td>garde la session de l’agent connecté</td>
              <td>jusqu’à la déconnexion ou l’expiration de la session</td>
            </tr>
            <tr>
              <td>delegations_csrf (__Host-delegations_csrf en HTTPS)</td>
              <td>protège le formulaire de connexion contre les requêtes envoyées depuis un autre site</td>
              <td>la session du navigateur</td>
            </tr>
            <tr>
              <td>delegations_avis (__Host-delegations_avis en HTTPS)</td>
              <td>porte les points d’attention d’une opération enregistrée jusqu’à la page qui la confirme</td>
              <td>2 minutes, effacé dès cette page affichée</td>
            </tr>
            <tr>
              <td>delegations_connexion</td>
              <td>relie le retour de ProConnect à la demande de connexion</td>
              <td>10 minutes</td>
            </tr>
          </tbody>
        </table>
      </div>
    </Article>
  );
}

export function AccessibilitePage({ acteur }: SiteProps) {
  return (
    <Article acteur={acteur} titre="Déclaration d’accessibilité">
      <p>
        La DINUM s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n°
        2005-102 du 11 février 2005. Cette déclaration s’applique à Délégations.
      </p>
      <h2>État de conformité</h2>
      <p>
        Délégations est <strong>{CONFORMITE_RGAA}</strong> avec le référentiel général d’amélioration de l’accessibilité
        (RGAA), version 4.1 : il n’a pas encore fait l’objet d’un audit de conformité.
      </p>
      <h2>Ce qui est vérifié</h2>
      <ul>
        <li>les pages suivent le système de design de l’État (DSFR) et fonctionnent sans JavaScript ;</li>
        <li>
          chaque page est contrôlée automatiquement à chaque modification du service, sur ordinateur et sur mobile ;
        </li>
        <li>chaque graphique est accompagné d’un tableau des mêmes données.</li>
      </ul>
      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’éditeur (voir les mentions légales)
        pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu et que vous n’avez pas
        obtenu de réponse satisfaisante, vous pouvez écrire au Défenseur des droits, contacter son délégué dans votre
        région, ou lui écrire par courrier (gratuit, sans affranchissement) : Défenseur des droits, Libre réponse 71120,
        75342 Paris CEDEX 07.
      </p>
    </Article>
  );
}

export function PlanDuSitePage({ acteur }: SiteProps) {
  return (
    <Article acteur={acteur} titre="Plan du site">
      <ul>
        {entreesMenu(acteur).map((e) => (
          <li>
            <a href={e.href}>{e.libelle}</a>
          </li>
        ))}
        {acteur.role === 'public' ? (
          <li>
            <a href="/connexion">Se connecter</a>
          </li>
        ) : null}
        {PAGES_LEGALES.map((p) => (
          <li>
            <a href={p.href}>{p.libelle}</a>
          </li>
        ))}
      </ul>
    </Article>
  );
}
