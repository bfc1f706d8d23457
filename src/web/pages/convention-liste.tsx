import type { Acteur } from '../../domain/acces.js';
import { PHASES, ROLES_DINUM, STATUTS_EFFECTIFS } from '../../domain/convention.js';
import { formatDate } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { TAILLES_PAGE, type PageConventions } from '../../domain/convention-liste.js';
import { Page } from './layout.js';
import { BadgeStatut, LIBELLES_PHASE, LIBELLES_ROLE_DINUM, LIBELLES_STATUT } from './libelles.js';

export interface FiltreSaisi {
  q?: string;
  partenaire?: string;
  annee?: number | string;
  role_dinum?: string;
  phase?: string;
  statut?: string;
  tri?: string;
  page: number;
  taille: number;
}

function qs(f: FiltreSaisi, patch: Partial<FiltreSaisi>): string {
  const merged = { ...f, ...patch } as Record<string, unknown>;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === 'page' && v === 1) continue;
    if (k === 'taille' && v === 20) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

function EnTeteTri({ f, cle, children }: { f: FiltreSaisi; cle: string; children: string }) {
  const actuel = f.tri ?? '-signature';
  const asc = actuel === cle;
  const desc = actuel === `-${cle}`;
  const suivant = asc ? `-${cle}` : cle;
  return (
    <th scope="col" aria-sort={asc ? 'ascending' : desc ? 'descending' : 'none'}>
      <a href={`/conventions${qs(f, { tri: suivant, page: 1 })}`}>
        {children}
        {asc ? ' ↑' : desc ? ' ↓' : ''}
        <span class="fr-sr-only"> — trier</span>
      </a>
    </th>
  );
}

function Select({
  id,
  label,
  value,
  options,
}: {
  id: string;
  label: string;
  value?: string;
  options: Array<[string, string]>;
}) {
  return (
    <div class="fr-select-group">
      <label class="fr-label" for={id}>
        {label}
      </label>
      <select class="fr-select" id={id} name={id}>
        <option value="">Tous</option>
        {options.map(([v, l]) => (
          <option value={v} selected={value === v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The filter form: a GET, so a filtered list is a link one can share. */
function Filtres({ f, erreurs, partenaires }: { f: FiltreSaisi; erreurs: string[]; partenaires: string[] }) {
  const annees = Array.from({ length: 12 }, (_, i) => String(2020 + i));
  return (
    <form method="get" action="/conventions" class="fr-mb-4w" aria-label="Filtrer les conventions">
      {erreurs.length ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          <p>{erreurs.join(' ')}</p>
        </div>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-input-group">
            <label class="fr-label" for="q">
              Rechercher<span class="fr-hint-text">service, partie, UO, référence, objet</span>
            </label>
            <input class="fr-input" id="q" name="q" type="search" value={f.q ?? ''} />
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-input-group">
            <label class="fr-label" for="partenaire">
              Partenaire
            </label>
            <input class="fr-input" id="partenaire" name="partenaire" list="partenaires" value={f.partenaire ?? ''} />
            <datalist id="partenaires">
              {partenaires.map((p) => (
                <option value={p} />
              ))}
            </datalist>
          </div>
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <Select id="annee" label="Année" value={f.annee ? String(f.annee) : ''} options={annees.map((a) => [a, a])} />
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <Select
            id="role_dinum"
            label="Rôle de la DINUM"
            value={f.role_dinum}
            options={ROLES_DINUM.map((r) => [r, LIBELLES_ROLE_DINUM[r]])}
          />
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <Select id="phase" label="Phase" value={f.phase} options={PHASES.map((p) => [p, LIBELLES_PHASE[p]])} />
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <Select
            id="statut"
            label="Statut"
            value={f.statut}
            options={STATUTS_EFFECTIFS.map((s) => [s, LIBELLES_STATUT[s]])}
          />
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <div class="fr-select-group">
            <label class="fr-label" for="taille">
              Conventions par page
            </label>
            <select class="fr-select" id="taille" name="taille">
              {TAILLES_PAGE.map((n) => (
                <option value={String(n)} selected={f.taille === n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <input type="hidden" name="tri" value={f.tri ?? ''} />
        <div class="fr-col-12 fr-col-md-4 fr-grid-row fr-grid-row--bottom">
          <ul class="fr-btns-group fr-btns-group--inline">
            <li>
              <button class="fr-btn" type="submit">
                Filtrer
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/conventions">
                Réinitialiser
              </a>
            </li>
          </ul>
        </div>
      </div>
    </form>
  );
}

function Totaux({ page, f }: { page: PageConventions; f: FiltreSaisi }) {
  return (
    <div class="fr-grid-row fr-grid-row--gutters fr-mb-2w" aria-live="polite">
      <div class="fr-col-12 fr-col-md-4">
        <p class="fr-text--lead fr-mb-0">
          <strong>{page.total}</strong> convention{page.total > 1 ? 's' : ''}
        </p>
      </div>
      <div class="fr-col-12 fr-col-md-4">
        <p class="fr-mb-0">
          Total AE{f.annee ? ` ${f.annee}` : ''} : <strong>{formatEuros(page.totalAeCentimes)}</strong>
        </p>
      </div>
      <div class="fr-col-12 fr-col-md-4">
        <p class="fr-mb-0">
          Total CP{f.annee ? ` ${f.annee}` : ''} : <strong>{formatEuros(page.totalCpCentimes)}</strong>
        </p>
      </div>
    </div>
  );
}

function TableauConventions({ page, f }: { page: PageConventions; f: FiltreSaisi }) {
  const an = f.annee ? ` ${f.annee}` : '';
  return (
    <div class="fr-table fr-table--no-caption">
      <table>
        <caption>Liste des conventions</caption>
        <thead>
          <tr>
            <EnTeteTri f={f} cle="service">
              Service
            </EnTeteTri>
            <EnTeteTri f={f} cle="partenaire">
              Partenaire
            </EnTeteTri>
            <EnTeteTri f={f} cle="role">
              Rôle DINUM
            </EnTeteTri>
            <EnTeteTri f={f} cle="phase">
              Phase
            </EnTeteTri>
            <EnTeteTri f={f} cle="statut">
              Statut
            </EnTeteTri>
            <EnTeteTri f={f} cle="signature">
              Signature
            </EnTeteTri>
            <EnTeteTri f={f} cle="fin">
              Fin
            </EnTeteTri>
            <EnTeteTri f={f} cle="montant">
              {`AE prévues${an}`}
            </EnTeteTri>
            <EnTeteTri f={f} cle="engage">
              {`AE engagées${an}`}
            </EnTeteTri>
            <EnTeteTri f={f} cle="cp">
              {`CP prévus${an}`}
            </EnTeteTri>
            <EnTeteTri f={f} cle="paye">
              {`CP payés${an}`}
            </EnTeteTri>
          </tr>
        </thead>
        <tbody>
          {page.items.length === 0 ? (
            <tr>
              <td colspan={11}>Aucune convention ne correspond à ces critères.</td>
            </tr>
          ) : (
            page.items.map((c) => (
              <tr>
                <td>
                  <a href={`/conventions/${c.id}`}>{c.produits.join(', ') || c.reference || 'Sans titre'}</a>
                  {c.reference ? <span class="fr-hint-text">{c.reference}</span> : null}
                </td>
                <td>{c.partenaire}</td>
                <td>{LIBELLES_ROLE_DINUM[c.roleDinum]}</td>
                <td>{c.phase ? LIBELLES_PHASE[c.phase] : '—'}</td>
                <td>
                  <BadgeStatut statut={c.statut} />
                </td>
                <td>{formatDate(c.dateSignature)}</td>
                <td>{formatDate(c.finEffective)}</td>
                <td class="montant">{formatEuros(c.aeCentimes)}</td>
                <td class="montant">{formatEuros(c.engageAeCentimes)}</td>
                <td class="montant">{formatEuros(c.cpCentimes)}</td>
                <td class="montant">{formatEuros(c.payeCpCentimes)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function Pagination({ f, pages }: { f: FiltreSaisi; pages: number }) {
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>
          {f.page > 1 ? (
            <a
              class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              href={`/conventions${qs(f, { page: f.page - 1 })}`}
            >
              Page précédente
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page précédente
            </a>
          )}
        </li>
        <li>
          <a
            class="fr-pagination__link"
            aria-current="page"
            title={`Page ${f.page} sur ${pages}`}
          >{`${f.page} / ${pages}`}</a>
        </li>
        <li>
          {f.page < pages ? (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              href={`/conventions${qs(f, { page: f.page + 1 })}`}
            >
              Page suivante
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page suivante
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}

export function ListePage({
  acteur,
  page,
  f,
  erreurs,
  partenaires,
}: {
  acteur: Acteur;
  page: PageConventions;
  f: FiltreSaisi;
  erreurs: string[];
  partenaires: string[];
}) {
  const pages = Math.max(1, Math.ceil(page.total / f.taille));
  return (
    <Page titre="Conventions" acteur={acteur} fil={[['Accueil', '/'], ['Conventions']]}>
      <h1>Conventions</h1>
      <Filtres f={f} erreurs={erreurs} partenaires={partenaires} />

      <Totaux page={page} f={f} />

      <TableauConventions page={page} f={f} />

      {pages > 1 ? <Pagination f={f} pages={pages} /> : null}
    </Page>
  );
}
