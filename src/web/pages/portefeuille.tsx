import type { Acteur } from '../../domain/acces.js';
import { formatDate } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import type { GroupePortefeuille, LignePortefeuille, SommePortefeuille } from '../../domain/portefeuille.js';
import { Page } from './layout.js';
import { BadgeStatut, LIBELLES_ROLE_DINUM } from './libelles.js';
import type { StatutEffectif } from '../../domain/convention.js';

export interface FiltrePortefeuilleSaisi {
  annee?: number | string;
  partenaire?: string;
  role_dinum?: string;
  promotion_fast?: string;
  groupe: GroupePortefeuille;
  page: number;
  taille: number;
}

function qsPortefeuille(f: FiltrePortefeuilleSaisi, patch: Partial<FiltrePortefeuilleSaisi> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...patch })) {
    if (
      v === undefined ||
      v === null ||
      v === '' ||
      (k === 'page' && v === 1) ||
      (k === 'taille' && v === 50) ||
      (k === 'groupe' && v === 'partenaire')
    )
      continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const LIBELLES_GROUPE: Record<GroupePortefeuille, string> = {
  partenaire: 'Partenaire',
  annee: 'Année',
  role_dinum: 'Rôle de la DINUM',
  promotion_fast: 'Promotion FAST',
};

const m = formatEuros;

function Cellules({ s }: { s: Pick<SommePortefeuille, 'ouvertAe' | 'engageAe' | 'certifie' | 'ouvertCp' | 'payeCp'> }) {
  return (
    <>
      <td class="montant">{m(s.ouvertAe)}</td>
      <td class="montant">{m(s.engageAe)}</td>
      <td class="montant">{m(s.certifie)}</td>
      <td class="montant">
        <strong>{m(s.ouvertAe - s.engageAe)}</strong>
      </td>
      <td class="montant">{m(s.ouvertCp)}</td>
      <td class="montant">{m(s.payeCp)}</td>
      <td class="montant">
        <strong>{m(s.ouvertCp - s.payeCp)}</strong>
      </td>
    </>
  );
}

const EN_TETES = [
  'AE ouvertes',
  'AE engagées',
  'Service fait',
  'AE disponibles',
  'CP ouverts',
  'CP payés',
  'CP disponibles',
];

/** The filter form: a GET, so a filtered portfolio is a link one can share or export. */
function FiltresPortefeuille({ f, erreurs }: { f: FiltrePortefeuilleSaisi; erreurs: string[] }) {
  return (
    <form method="get" action="/credits" class="fr-mb-4w" aria-label="Filtrer le portefeuille">
      {erreurs.length ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          <p>{erreurs.join(' ')}</p>
        </div>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12 fr-col-md-3">
          <div class="fr-input-group">
            <label class="fr-label" for="partenaire">
              Partenaire
            </label>
            <input class="fr-input" id="partenaire" name="partenaire" value={f.partenaire ?? ''} />
          </div>
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <div class="fr-input-group">
            <label class="fr-label" for="annee">
              Année
            </label>
            <input
              class="fr-input"
              id="annee"
              name="annee"
              inputmode="numeric"
              value={f.annee === undefined ? '' : String(f.annee)}
            />
          </div>
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <div class="fr-select-group">
            <label class="fr-label" for="role_dinum">
              Rôle de la DINUM
            </label>
            <select class="fr-select" id="role_dinum" name="role_dinum">
              <option value="">Tous</option>
              {Object.entries(LIBELLES_ROLE_DINUM).map(([v, l]) => (
                <option value={v} selected={f.role_dinum === v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <div class="fr-input-group">
            <label class="fr-label" for="promotion_fast">
              Promotion FAST
            </label>
            <input class="fr-input" id="promotion_fast" name="promotion_fast" value={f.promotion_fast ?? ''} />
          </div>
        </div>
        <div class="fr-col-6 fr-col-md-2">
          <div class="fr-select-group">
            <label class="fr-label" for="groupe">
              Regrouper par
            </label>
            <select class="fr-select" id="groupe" name="groupe">
              {Object.entries(LIBELLES_GROUPE).map(([v, l]) => (
                <option value={v} selected={f.groupe === v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-1">
          <button class="fr-btn" type="submit">
            Filtrer
          </button>
        </div>
      </div>
    </form>
  );
}

/** Subtotals by the chosen group, then the total. */
function TableauGroupes({
  f,
  r,
}: {
  f: FiltrePortefeuilleSaisi;
  r: { items: LignePortefeuille[]; total: SommePortefeuille; groupes: SommePortefeuille[] };
}) {
  const libelleCle = (cle: string | null) =>
    cle === null ? 'Non renseigné' : f.groupe === 'role_dinum' ? (LIBELLES_ROLE_DINUM[cle as 'delegant'] ?? cle) : cle;
  return (
    <div class="fr-table">
      <table>
        <caption>Par {LIBELLES_GROUPE[f.groupe].toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">{LIBELLES_GROUPE[f.groupe]}</th>
            <th scope="col">Conventions</th>
            {EN_TETES.map((t) => (
              <th scope="col">{t}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.groupes.map((g) => (
            <tr>
              <th scope="row">{libelleCle(g.cle)}</th>
              <td>{g.n}</td>
              <Cellules s={g} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{r.total.n}</td>
            <Cellules s={r.total} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function TableauLignes({
  f,
  r,
}: {
  f: FiltrePortefeuilleSaisi;
  r: { items: LignePortefeuille[]; total: SommePortefeuille; groupes: SommePortefeuille[] };
}) {
  return (
    <div class="fr-table">
      <table>
        <caption>Conventions ({r.total.n}), les plus de crédits à engager d’abord</caption>
        <thead>
          <tr>
            <th scope="col">Convention</th>
            <th scope="col">Partenaire</th>
            <th scope="col">Rôle DINUM</th>
            <th scope="col">Statut</th>
            {EN_TETES.map((t) => (
              <th scope="col">{t}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.items.length === 0 ? (
            <tr>
              <td colspan={11}>Aucune convention ne correspond.</td>
            </tr>
          ) : null}
          {r.items.map((l) => (
            <tr>
              <td>
                <a href={`/conventions/${l.conventionId}/credits${f.annee ? `?annee=${f.annee}` : ''}`}>
                  {l.produits.join(', ') || l.reference || 'Convention'}
                </a>
                {l.promotionFast ? <span class="fr-hint-text">{l.promotionFast}</span> : null}
                {l.finEffective ? <span class="fr-hint-text">fin le {formatDate(l.finEffective)}</span> : null}
              </td>
              <td>{l.partenaire}</td>
              <td>{LIBELLES_ROLE_DINUM[l.roleDinum]}</td>
              <td>
                <BadgeStatut statut={l.statut as StatutEffectif} />
              </td>
              <Cellules s={l} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pagination({ f, pages }: { f: FiltrePortefeuilleSaisi; pages: number }) {
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        {f.page > 1 ? (
          <li>
            <a
              class="fr-pagination__link fr-pagination__link--prev"
              href={`/credits${qsPortefeuille(f, { page: f.page - 1 })}`}
            >
              Page précédente
            </a>
          </li>
        ) : null}
        <li>
          <a class="fr-pagination__link" aria-current="page">
            {f.page} / {pages}
          </a>
        </li>
        {f.page < pages ? (
          <li>
            <a
              class="fr-pagination__link fr-pagination__link--next"
              href={`/credits${qsPortefeuille(f, { page: f.page + 1 })}`}
            >
              Page suivante
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export function PortefeuillePage({
  acteur,
  f,
  r,
  erreurs,
}: {
  acteur: Acteur;
  f: FiltrePortefeuilleSaisi;
  r: { items: LignePortefeuille[]; total: SommePortefeuille; groupes: SommePortefeuille[] };
  erreurs: string[];
}) {
  const pages = Math.max(1, Math.ceil(r.total.n / f.taille));
  return (
    <Page titre="Crédits du portefeuille" acteur={acteur} fil={[['Accueil', '/'], ['Crédits du portefeuille']]}>
      <h1>Crédits du portefeuille</h1>
      <FiltresPortefeuille f={f} erreurs={erreurs} />
      <p>
        <a
          class="fr-link fr-icon-download-line fr-link--icon-left"
          href={`/credits/portefeuille.csv${qsPortefeuille(f, { page: 1 })}`}
        >
          Exporter (CSV)
        </a>
        {' · '}
        <a
          class="fr-link fr-icon-download-line fr-link--icon-left"
          href={`/credits/portefeuille.xlsx${qsPortefeuille(f, { page: 1 })}`}
        >
          Exporter (XLSX)
        </a>
      </p>
      <TableauGroupes f={f} r={r} />
      <TableauLignes f={f} r={r} />
      {pages > 1 ? <Pagination f={f} pages={pages} /> : null}
    </Page>
  );
}
