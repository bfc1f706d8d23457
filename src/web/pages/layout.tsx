import type { Child } from 'hono/jsx';
import { tryGetContext } from 'hono/context-storage';
import { LIBELLES_ROLES, type Acteur } from '../../domain/acces.js';
import type { Env } from '../auth.js';

export interface PageProps {
  titre: string;
  acteur: Acteur;
  csrf?: string;
  children: Child;
  /** breadcrumb: [label, href?] */
  fil?: Array<[string, string?]>;
  flash?: { type: 'success' | 'error' | 'info' | 'warning'; message: string } | null;
}

/** The DSFR page frame: skip links, header, main, footer. Works without JavaScript. */
/** The DSFR header: the service's name, who is connected, and the menu of what their role may open. */
function EnTete({ acteur, csrf }: { acteur: PageProps['acteur']; csrf: string | undefined }) {
  const connecte = acteur.role !== 'public';
  const aFaire = tryGetContext<Env>()?.var.aFaire ?? null;
  return (
    <header role="banner" class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
            <div class="fr-header__brand fr-enlarge-link">
              <div class="fr-header__brand-top">
                <div class="fr-header__logo">
                  <p class="fr-logo">
                    République
                    <br />
                    Française
                  </p>
                </div>
              </div>
              <div class="fr-header__service">
                <a href="/" title="Accueil — Délégations">
                  <p class="fr-header__service-title">Délégations</p>
                </a>
                <p class="fr-header__service-tagline">Conventions de délégation de gestion — beta.gouv.fr</p>
              </div>
            </div>
            <div class="fr-header__tools">
              <div class="fr-header__tools-links">
                <ul class="fr-btns-group">
                  {connecte ? (
                    <>
                      <li>
                        <span class="fr-btn fr-icon-account-circle-line" aria-label={`Connecté : ${acteur.nom}`}>
                          {acteur.nom} — {LIBELLES_ROLES[acteur.role]}
                        </span>
                      </li>
                      <li>
                        <form method="post" action="/deconnexion">
                          {csrf ? <input type="hidden" name="_csrf" value={csrf} /> : null}
                          <button class="fr-btn fr-icon-logout-box-r-line" type="submit">
                            Se déconnecter
                          </button>
                        </form>
                      </li>
                    </>
                  ) : (
                    <li>
                      <a class="fr-btn fr-icon-lock-line" href="/connexion">
                        Se connecter
                      </a>
                    </li>
                  )}
                </ul>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div class="fr-header__menu" id="navigation">
        <div class="fr-container">
          <nav class="fr-nav" role="navigation" aria-label="Menu principal">
            <ul class="fr-nav__list">
              {connecte ? (
                <li class="fr-nav__item">
                  <a class="fr-nav__link" href="/" id="nav-a-faire">
                    À faire
                    {aFaire !== null ? (
                      <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1w" aria-label={`${aFaire} à faire`}>
                        {aFaire}
                      </span>
                    ) : null}
                  </a>
                </li>
              ) : null}
              <li class="fr-nav__item">
                <a class="fr-nav__link" href="/conventions">
                  Conventions
                </a>
              </li>
              {connecte && acteur.role !== 'partenaire' && acteur.role !== 'equipe' ? (
                <li class="fr-nav__item">
                  <a class="fr-nav__link" href="/conventions/nouvelle">
                    Nouvelle convention
                  </a>
                </li>
              ) : null}
              {connecte && (acteur.role === 'administrateur' || acteur.role === 'gestionnaire') ? (
                <li class="fr-nav__item">
                  <a class="fr-nav__link" href="/imports">
                    Importer
                  </a>
                </li>
              ) : null}
              {connecte ? (
                <>
                  <li class="fr-nav__item">
                    <a class="fr-nav__link" href="/credits">
                      Crédits
                    </a>
                  </li>
                  <li class="fr-nav__item">
                    <a class="fr-nav__link" href="/credits/alertes">
                      Alertes
                    </a>
                  </li>
                  <li class="fr-nav__item">
                    <a class="fr-nav__link" href="/credits/calendrier">
                      Calendrier
                    </a>
                  </li>
                </>
              ) : null}
              {acteur.role === 'administrateur' ? (
                <li class="fr-nav__item">
                  <a class="fr-nav__link" href="/admin">
                    Administration
                  </a>
                </li>
              ) : null}
              <li class="fr-nav__item">
                <a class="fr-nav__link" href="/api/v1/openapi.json">
                  API
                </a>
              </li>
            </ul>
          </nav>
        </div>
      </div>
    </header>
  );
}

function FilAriane({ fil }: { fil: NonNullable<PageProps['fil']> }) {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <ol class="fr-breadcrumb__list">
        {fil.map(([label, href], i) => (
          <li>
            {href && i < fil.length - 1 ? (
              <a class="fr-breadcrumb__link" href={href}>
                {label}
              </a>
            ) : (
              <a class="fr-breadcrumb__link" aria-current="page">
                {label}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function PiedDePage() {
  return (
    <footer class="fr-footer" role="contentinfo" id="pied">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title="Retour à l’accueil">
              <p class="fr-logo">
                République
                <br />
                Française
              </p>
            </a>
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">
              Délégations suit les conventions de délégation de gestion du programme beta.gouv.fr : crédits,
              engagements, gouvernance et publication.
            </p>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            <li class="fr-footer__bottom-item">
              <span class="fr-footer__bottom-link">Accessibilité : partiellement conforme</span>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/api/v1/openapi.json">
                Documentation de l’API
              </a>
            </li>
          </ul>
        </div>
      </div>
    </footer>
  );
}

export function Page({ titre, acteur, csrf: csrfDonne, children, fil, flash }: PageProps) {
  // the logout form is on every page: take the request's token when the page was not given it
  const csrf = csrfDonne ?? tryGetContext<Env>()?.var.csrf;
  return (
    <html lang="fr" data-fr-scheme="system">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <meta name="format-detection" content="telephone=no" />
        <title>{`${titre} — Délégations`}</title>
        <link rel="stylesheet" href="/dsfr/dsfr.min.css" />
        <link rel="stylesheet" href="/dsfr/utility/utility.min.css" />
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="Accès rapide">
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#contenu">
                  Contenu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#navigation">
                  Menu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#pied">
                  Pied de page
                </a>
              </li>
            </ul>
          </nav>
        </div>
        <EnTete acteur={acteur} csrf={csrf} />
        <main role="main" id="contenu" class="fr-container fr-py-4w" tabindex={-1}>
          {fil && fil.length ? <FilAriane fil={fil} /> : null}
          {flash ? (
            <div
              class={`fr-alert fr-alert--${flash.type} fr-alert--sm fr-mb-3w`}
              role={flash.type === 'error' ? 'alert' : 'status'}
            >
              <p>{flash.message}</p>
            </div>
          ) : null}
          {children}
        </main>
        <PiedDePage />
        <script type="module" src="/dsfr/dsfr.module.min.js"></script>
      </body>
    </html>
  );
}
