import type { Acteur } from '../../domain/acces.js';
import { LIBELLES_TYPES_A_FAIRE, LIBELLES_URGENCES, parUrgence, type ItemAFaire } from '../../domain/a-faire.js';
import { formatDate } from '../../domain/dates.js';
import { Page } from './layout.js';
import { Csrf, type Flash } from './operation.js';

/** « À faire »: the home page of a logged-in agent, what needs their action grouped by urgency. */

const BADGES: Record<ItemAFaire['urgence'], string> = {
  en_retard: 'fr-badge--error',
  cette_semaine: 'fr-badge--warning',
  ce_mois: 'fr-badge--info',
  plus_tard: 'fr-badge--new',
};

function Item({ item, csrf }: { item: ItemAFaire; csrf: string }) {
  return (
    <tr id={`a-faire-${item.cle}`}>
      <td>
        <time datetime={item.echeance}>{formatDate(item.echeance)}</time>
      </td>
      <td>
        {LIBELLES_TYPES_A_FAIRE[item.type]}
        <p class="fr-text--sm fr-mb-0">{item.libelle}</p>
      </td>
      <td>
        {item.conventionId ? <a href={`/conventions/${item.conventionId}`}>{item.conventionLibelle}</a> : '—'}
        {item.partenaire ? <span class="fr-hint-text">{item.partenaire}</span> : null}
      </td>
      <td>
        <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline-md">
          {item.actionDirecte ? (
            <li>
              <form method="post" action={item.actionDirecte.url}>
                <Csrf csrf={csrf} />
                <input type="hidden" name="retour" value="a-faire" />
                <button
                  class="fr-btn fr-btn--sm"
                  type="submit"
                  title={`${item.actionDirecte.libelle} : ${item.libelle}`}
                >
                  {item.actionDirecte.libelle}
                </button>
              </form>
            </li>
          ) : null}
          <li>
            <a
              class={`fr-btn fr-btn--sm${item.actionDirecte ? ' fr-btn--secondary' : ''}`}
              href={item.actionUrl}
              title={`Ouvrir : ${item.libelle}`}
            >
              {item.actionDirecte ? 'Voir' : 'Agir'}
            </a>
          </li>
        </ul>
      </td>
    </tr>
  );
}

export function AFairePage({
  acteur,
  csrf,
  items,
  tous,
  filtre,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  items: ItemAFaire[];
  /** the unfiltered list, for the filters' choices */
  tous: ItemAFaire[];
  filtre: { conventionId?: string; partenaire?: string };
  flash: Flash;
}) {
  const conventions = [
    ...new Map(tous.filter((i) => i.conventionId).map((i) => [i.conventionId!, i.conventionLibelle ?? ''])),
  ].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
  const partenaires = [...new Set(tous.map((i) => i.partenaire).filter((p): p is string => !!p))].sort((a, b) =>
    a.localeCompare(b, 'fr'),
  );
  const groupes = parUrgence(items);
  return (
    <Page titre="À faire" acteur={acteur} csrf={csrf} flash={flash}>
      <h1>À faire</h1>
      <p>
        Ce qui attend votre action, par échéance : {items.length} élément{items.length > 1 ? 's' : ''}.{' '}
        <a href="/conventions">Registre des conventions</a>
      </p>
      <form method="get" action="/" class="fr-mb-3w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-5">
            <div class="fr-select-group">
              <label class="fr-label" for="filtre-convention">
                Convention
              </label>
              <select class="fr-select" id="filtre-convention" name="convention_id">
                <option value="">Toutes</option>
                {conventions.map(([id, libelle]) => (
                  <option value={id} selected={filtre.conventionId === id}>
                    {libelle}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-5">
            <div class="fr-select-group">
              <label class="fr-label" for="filtre-partenaire">
                Partenaire
              </label>
              <select class="fr-select" id="filtre-partenaire" name="partenaire">
                <option value="">Tous</option>
                {partenaires.map((p) => (
                  <option value={p} selected={filtre.partenaire === p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-2">
            <button class="fr-btn fr-mb-3w" type="submit">
              Filtrer
            </button>
          </div>
        </div>
      </form>
      {groupes.length === 0 ? <p>Rien à faire pour l’instant.</p> : null}
      {groupes.map((g) => (
        <section id={`urgence-${g.urgence}`}>
          <h2>
            <span class={`fr-badge ${BADGES[g.urgence]} fr-mr-1w`}>{g.items.length}</span>
            {LIBELLES_URGENCES[g.urgence]}
          </h2>
          <div class="fr-table">
            <table>
              <caption class="fr-sr-only">{LIBELLES_URGENCES[g.urgence]}</caption>
              <thead>
                <tr>
                  <th scope="col">Échéance</th>
                  <th scope="col">À faire</th>
                  <th scope="col">Convention</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {g.items.map((i) => (
                  <Item item={i} csrf={csrf} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </Page>
  );
}
