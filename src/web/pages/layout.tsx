import type { Child } from 'hono/jsx';
import { tryGetContext } from 'hono/context-storage';
import { raw } from 'hono/html';
import { LIBELLES_ROLES, type Acteur } from '../../domain/acces.js';
import type { Env } from '../auth.js';

/** The RGAA conformity the footer and the accessibility statement state: no audit yet, so « non conforme ». */
export const CONFORMITE_RGAA = 'non conforme';

export interface PageProps {
  titre: string;
  acteur: Acteur;
  csrf?: string;
  children: Child;
  /** breadcrumb: [label, href?] */
  fil?: Array<[string, string?]>;
  flash?: { type: 'success' | 'error' | 'info' | 'warning'; message: string; avertissements?: string[] } | null;
  /** seconds after which the browser loads the page again (a progress page, without JavaScript) */
  rafraichir?: number;
}

/** Who is connected and the login/logout button: in the header's tools at desktop width, in the menu on mobile. */
function Outils({ acteur, csrf }: { acteur: PageProps['acteur']; csrf: string | undefined }) {
  return (
    <ul class="fr-btns-group">
      {acteur.role !== 'public' ? (
        <>
          <li>
            <a
              class="fr-btn fr-icon-account-circle-line"
              href="/compte"
              title={`Mon compte — connecté : ${acteur.nom}`}
            >
              {acteur.nom} — {LIBELLES_ROLES[acteur.role]}
            </a>
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
  );
}

/** The menu entries a role may open, in the order of the navigation and of the site map. */
export function entreesMenu(acteur: Acteur): Array<{ libelle: string; href: string; id?: string }> {
  const connecte = acteur.role !== 'public';
  const budget = acteur.role === 'administrateur' || acteur.role === 'gestionnaire';
  return [
    ...(connecte ? [{ libelle: 'À faire', href: '/', id: 'nav-a-faire' }] : []),
    { libelle: 'Conventions', href: '/conventions' },
    { libelle: 'Budgets publiés', href: '/publications' },
    ...(connecte && acteur.role !== 'partenaire' && acteur.role !== 'equipe'
      ? [{ libelle: 'Nouvelle convention', href: '/conventions/nouvelle' }]
      : []),
    ...(budget ? [{ libelle: 'Importer', href: '/imports' }] : []),
    ...(connecte
      ? [
          { libelle: 'Crédits', href: '/credits' },
          { libelle: 'Alertes', href: '/credits/alertes' },
          { libelle: 'Calendrier', href: '/credits/calendrier' },
        ]
      : []),
    ...(budget ? [{ libelle: 'FAST', href: '/fast/promotions' }] : []),
    ...(acteur.role === 'administrateur' ? [{ libelle: 'Administration', href: '/admin' }] : []),
    { libelle: 'API', href: '/api/v1/openapi.json' },
  ];
}

/** The entry of the page shown: the longest one whose address starts the path. */
function entreeCourante(entrees: Array<{ href: string }>, chemin: string): string | undefined {
  return entrees
    .filter((e) => chemin === e.href || (e.href !== '/' && chemin.startsWith(`${e.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

/**
 * The DSFR header: the service's name, who is connected, and the menu of what their role may open. Below the
 * desktop width the menu is a modal opened by « Menu »; without JavaScript the same button is a link to the
 * menu, which app.css shows when it is the page's target.
 */
function EnTete({ acteur, csrf }: { acteur: PageProps['acteur']; csrf: string | undefined }) {
  const requete = tryGetContext<Env>();
  const aFaire = requete?.var.aFaire ?? null;
  const entrees = entreesMenu(acteur);
  const courante = entreeCourante(entrees, requete?.req.path ?? '');
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
                <div class="fr-header__navbar">
                  <button
                    class="fr-btn--menu fr-btn menu-avec-js"
                    type="button"
                    data-fr-opened="false"
                    aria-controls="menu"
                    aria-haspopup="menu"
                    id="bouton-menu"
                    title="Menu"
                  >
                    Menu
                  </button>
                  <a class="fr-btn--menu fr-btn menu-sans-js" href="#menu" title="Menu">
                    Menu
                  </a>
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
                <Outils acteur={acteur} csrf={csrf} />
              </div>
            </div>
          </div>
        </div>
      </div>
      <div class="fr-header__menu fr-modal" id="menu" aria-labelledby="bouton-menu">
        <div class="fr-container">
          <button class="fr-btn--close fr-btn menu-avec-js" type="button" aria-controls="menu" title="Fermer">
            Fermer
          </button>
          <a class="fr-btn--close fr-btn menu-sans-js" href="#" title="Fermer">
            Fermer
          </a>
          <div class="fr-header__menu-links">
            <Outils acteur={acteur} csrf={csrf} />
          </div>
          <nav class="fr-nav" role="navigation" aria-label="Menu principal" id="navigation">
            <ul class="fr-nav__list">
              {entrees.map((e) => (
                <li class="fr-nav__item">
                  <a
                    class="fr-nav__link"
                    href={e.href}
                    id={e.id}
                    aria-current={e.href === courante ? 'page' : undefined}
                  >
                    {e.libelle}
                    {e.id === 'nav-a-faire' && aFaire !== null ? (
                      <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1w" aria-label={`${aFaire} à faire`}>
                        {aFaire}
                      </span>
                    ) : null}
                  </a>
                </li>
              ))}
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

/** The legal pages every State site carries, linked from every footer (routes/site.tsx). */
export const PAGES_LEGALES = [
  { libelle: 'Plan du site', href: '/plan-du-site' },
  { libelle: `Accessibilité : ${CONFORMITE_RGAA}`, href: '/accessibilite' },
  { libelle: 'Mentions légales', href: '/mentions-legales' },
  { libelle: 'Données personnelles', href: '/donnees-personnelles' },
  { libelle: 'Gestion des cookies', href: '/cookies' },
] as const;

function PiedDePage() {
  return (
    <footer class="fr-footer" role="contentinfo" id="pied">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title="Retour à l’accueil — Délégations">
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
            <ul class="fr-footer__content-list">
              {[
                ['info.gouv.fr', 'https://www.info.gouv.fr'],
                ['service-public.fr', 'https://www.service-public.fr'],
                ['legifrance.gouv.fr', 'https://www.legifrance.gouv.fr'],
                ['data.gouv.fr', 'https://www.data.gouv.fr'],
              ].map(([nom, href]) => (
                <li class="fr-footer__content-item">
                  <a
                    class="fr-footer__content-link"
                    href={href}
                    target="_blank"
                    rel="noopener"
                    title={`${nom} — nouvelle fenêtre`}
                  >
                    {nom}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            {PAGES_LEGALES.map((p) => (
              <li class="fr-footer__bottom-item">
                <a class="fr-footer__bottom-link" href={p.href}>
                  {p.libelle}
                </a>
              </li>
            ))}
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/api/v1/openapi.json">
                Documentation de l’API
              </a>
            </li>
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>
              Sauf mention contraire, les contenus de ce site sont proposés sous{' '}
              <a
                href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
                target="_blank"
                rel="noopener"
                title="licence etalab-2.0 — nouvelle fenêtre"
              >
                licence etalab-2.0
              </a>
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}

/**
 * The notice after an action. Its warnings stay inside a success notice: what was done is said first, and
 * the points to check follow, never read as a refusal.
 */
function Avis({ flash }: { flash: NonNullable<PageProps['flash']> }) {
  const avertissements = flash.avertissements ?? [];
  return (
    <div
      class={`fr-alert fr-alert--${flash.type} fr-alert--sm fr-mb-3w`}
      role={flash.type === 'error' ? 'alert' : 'status'}
    >
      <p>{flash.message}</p>
      {avertissements.length ? (
        <>
          <p id="avis-avertissements" class="fr-mt-1w fr-mb-0">
            Points d’attention :
          </p>
          <ul aria-labelledby="avis-avertissements">
            {avertissements.map((a) => (
              <li>{a}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export function Page({ titre, acteur, csrf: csrfDonne, children, fil, flash, rafraichir }: PageProps) {
  // the logout form is on every page: take the request's token when the page was not given it
  const csrf = csrfDonne ?? tryGetContext<Env>()?.var.csrf;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="fr" data-fr-scheme="system">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
          <meta name="format-detection" content="telephone=no" />
          {rafraichir ? <meta http-equiv="refresh" content={String(rafraichir)} /> : null}
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
                  <a class="fr-link" href="#menu">
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
            {flash ? <Avis flash={flash} /> : null}
            {children}
          </main>
          <PiedDePage />
          <script type="module" src="/dsfr/dsfr.module.min.js"></script>
        </body>
      </html>
    </>
  );
}
