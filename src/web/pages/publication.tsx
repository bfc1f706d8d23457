import type { Child } from 'hono/jsx';
import type { Acteur } from '../../domain/acces.js';
import { estSignee, type Convention } from '../../domain/convention.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import { formatEuros, type Centimes } from '../../domain/money.js';
import {
  peutPublier,
  totauxPublics,
  type CommandesMarche,
  type ConventionPublique,
  type DeuxBases,
  type FiltrePubliees,
  type PartiePublique,
  type ProduitPublic,
  type TotauxPublics,
} from '../../domain/publication.js';
import type { ConventionPublieeVue, EtatPublication, ListePubliees } from '../../usecases/publication.js';
import { Input } from './champs.js';
import { Graphique } from './credit-graphique.js';
import { Page } from './layout.js';
import { BadgeStatut, LIBELLES_PHASE } from './libelles.js';
import { Action, Refus, type EtatFormulaire } from './operation.js';

const el = (c: Child) => <div class="fr-fieldset__element">{c}</div>;

/** On a convention's page, for agents: whether it is public, since when and by whom, and the decision's buttons. */
export function SectionPublication({
  acteur,
  csrf,
  c,
  p,
  jour,
  etat,
}: {
  acteur: Acteur;
  csrf: string;
  c: Convention;
  p: EtatPublication;
  jour: DateIso;
  etat: EtatFormulaire | null;
}) {
  if (acteur.role === 'public') return null;
  return (
    <>
      <h2 class="fr-mt-4w" id="publication">
        Publication
      </h2>
      <Refus etat={etat} />
      <p>
        {p.publiee
          ? `Publiée${p.decision ? ` le ${formatDate(p.decision.publieeLe)} par ${p.decision.decideePar}` : ''}`
          : 'Non publiée : ni sa page, ni son budget, ni ses données ne sont publics.'}
        {p.publiee && !estSignee(c.statut) ? ' — visible du public une fois signée.' : ''}
        {p.publiee && estSignee(c.statut) ? (
          <>
            {' '}
            — <a href={`/publications/conventions/${c.id}`}>page publique</a>.
          </>
        ) : null}
      </p>
      {p.peutDecider ? (
        <div class="fr-grid-row fr-grid-row--gutters">
          {p.publiee ? (
            <Action
              action={`/conventions/${c.id}/publication/retrait`}
              csrf={csrf}
              form="retrait-publication"
              secondaire
              titre="Retirer la publication"
              bouton="Retirer la publication"
              etat={etat}
            />
          ) : (
            <Action
              action={`/conventions/${c.id}/publication`}
              csrf={csrf}
              form="publication"
              titre="Publier la convention et son budget"
              bouton="Publier"
              etat={etat}
              defauts={{ date: jour }}
            >
              {(cd) => el(<Input ctx={cd} name="date" label="Date de publication" type="date" required />)}
            </Action>
          )}
        </div>
      ) : null}
    </>
  );
}

// ---- Public pages: no login, no script needed ------------------------------------------------------

const m = (c: Centimes) => formatEuros(c);
const taux = (t: number) => `${String(t).replace('.', ',')} %`;

function Montants({ v }: { v: DeuxBases }) {
  return (
    <>
      <td class="montant">{m(v.ttc)}</td>
      <td class="montant">{m(v.ht)}</td>
    </>
  );
}

const ENTETES_BASES = ['Mis à disposition AE', 'Mis à disposition CP', 'Engagé AE', 'Payé CP'];

/** The budget table, per year, on both bases: made available (AE, CP), committed (AE), paid (CP). */
function TableauBudget({
  caption,
  annees,
  total,
}: {
  caption: string;
  annees: Array<TotauxPublics & { annee: number }>;
  total: TotauxPublics;
}) {
  return (
    <div class="fr-table fr-table--bordered">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" rowspan={2}>
              Année
            </th>
            {ENTETES_BASES.map((e) => (
              <th scope="colgroup" colspan={2}>
                {e}
              </th>
            ))}
          </tr>
          <tr>
            {ENTETES_BASES.map(() => (
              <>
                <th scope="col">TTC</th>
                <th scope="col">HT</th>
              </>
            ))}
          </tr>
        </thead>
        <tbody>
          {annees.map((a) => (
            <tr>
              <th scope="row">{a.annee}</th>
              <Montants v={a.ouvertAe} />
              <Montants v={a.ouvertCp} />
              <Montants v={a.engageAe} />
              <Montants v={a.payeCp} />
            </tr>
          ))}
          <tr>
            <th scope="row">Total</th>
            <Montants v={total.ouvertAe} />
            <Montants v={total.ouvertCp} />
            <Montants v={total.engageAe} />
            <Montants v={total.payeCp} />
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The orders' totals by framework contract, on both bases, net of released AE. */
function TableauCommandes({ commandes }: { commandes: CommandesMarche[] }) {
  if (commandes.length === 0) return <p>Aucun bon de commande n’a encore été passé sur cette convention.</p>;
  return (
    <div class="fr-table fr-table--bordered">
      <table>
        <caption>Commandes par marché</caption>
        <thead>
          <tr>
            <th scope="col" rowspan={2}>
              Marché
            </th>
            <th scope="col" rowspan={2}>
              Bons de commande
            </th>
            {['Engagé', 'Payé'].map((e) => (
              <th scope="colgroup" colspan={2}>
                {e}
              </th>
            ))}
          </tr>
          <tr>
            {['Engagé', 'Payé'].map(() => (
              <>
                <th scope="col">TTC</th>
                <th scope="col">HT</th>
              </>
            ))}
          </tr>
        </thead>
        <tbody>
          {commandes.map((l) => (
            <tr>
              <th scope="row">{l.marche ?? 'Hors marché-cadre'}</th>
              <td class="montant">{l.nombre}</td>
              <Montants v={l.engage} />
              <Montants v={l.paye} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Partie({ titre, p }: { titre: string; p: PartiePublique }) {
  return (
    <div class="fr-col-12 fr-col-md-6">
      <h3 class="fr-h5">{titre}</h3>
      <dl class="fiche fiche--etroite">
        <dt>Nom</dt>
        <dd>{p.nom}</dd>
        {p.libelleRole ? (
          <>
            <dt>Désignation dans le texte</dt>
            <dd>{p.libelleRole}</dd>
          </>
        ) : null}
        <dt>Représentant</dt>
        <dd>{p.representant ?? '—'}</dd>
        <dt>Adresse</dt>
        <dd>{p.adresse ?? '—'}</dd>
      </dl>
    </div>
  );
}

const titreConvention = (c: ConventionPublique) => c.produits.join(', ') || c.reference || 'Convention';

function terme(c: ConventionPublique): string {
  if (c.dateFin) return `jusqu’au ${formatDate(c.dateFin)}`;
  if (c.dureeMois) return `${c.dureeMois} mois à compter de la signature`;
  return '—';
}

const FIL_PUBLIC: [string, string] = ['Conventions publiées', '/publications'];

export function ConventionPubliquePage({ acteur, vue }: { acteur: Acteur; vue: ConventionPublieeVue }) {
  const c = vue.convention;
  const titre = titreConvention(c);
  return (
    <Page titre={titre} acteur={acteur} fil={[['Accueil', '/'], FIL_PUBLIC, [titre]]}>
      <h1>{titre}</h1>
      <p>
        <BadgeStatut statut={c.statut} /> Convention de délégation de gestion{c.reference ? ` · ${c.reference}` : ''}
        {c.publieeLe ? ` · publiée le ${formatDate(c.publieeLe)}` : ''}
      </p>
      <h2>Parties</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <Partie titre="Délégant" p={c.delegant} />
        <Partie titre="Délégataire" p={c.delegataire} />
      </div>
      <h2 class="fr-mt-4w">Objet et durée</h2>
      <dl class="fiche">
        <dt>Produit(s) financé(s)</dt>
        <dd>
          {c.produits.length ? (
            <ul>
              {c.produits.map((p) => (
                <li>
                  <a href={`/publications/produits/${encodeURIComponent(p)}`}>{p}</a>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </dd>
        <dt>Objet</dt>
        <dd>{[c.objetVerbe, c.objet].filter(Boolean).join(' — ') || '—'}</dd>
        <dt>Phase</dt>
        <dd>{c.phase ? LIBELLES_PHASE[c.phase] : '—'}</dd>
        <dt>Promotion FAST</dt>
        <dd>{c.promotionFast ?? '—'}</dd>
        <dt>Signature</dt>
        <dd>{c.dateSignature ? formatDate(c.dateSignature) : '—'}</dd>
        <dt>Terme</dt>
        <dd>{terme(c)}</dd>
        <dt>Fin</dt>
        <dd>{c.finEffective ? formatDate(c.finEffective) : '—'}</dd>
      </dl>
      <h2 class="fr-mt-4w" id="budget">
        Budget
      </h2>
      <p>
        Les crédits de la convention sont exprimés {c.baseMontants} ; l’autre base est calculée au taux de TVA de{' '}
        {taux(c.tauxTva)}. AE : autorisations d’engagement, consommées par les bons de commande ; CP : crédits de
        paiement, consommés par les paiements.
      </p>
      <TableauBudget caption="Budget par année" annees={c.annees} total={totauxPublics(c.annees)} />
      {vue.graphique ? (
        <>
          <h3>Engagements et paiements {vue.graphique.annee}</h3>
          <Graphique
            serie={vue.graphique.serie}
            annee={vue.graphique.annee}
            ouvertAe={c.annees.find((a) => a.annee === vue.graphique!.annee)?.ouvertAe[baseDe(c)] ?? 0}
            ouvertCp={c.annees.find((a) => a.annee === vue.graphique!.annee)?.ouvertCp[baseDe(c)] ?? 0}
            aujourdHui={vue.aujourdHui}
            limiteAe={vue.graphique.limiteAe}
            limiteCp={vue.graphique.limiteCp}
          />
        </>
      ) : null}
      <h2 class="fr-mt-4w" id="commandes">
        Commandes par marché
      </h2>
      <p>
        Les bons de commande de la convention regroupés par marché-cadre du titulaire, nets des AE libérées ; les bons
        annulés ne comptent pas. L’autre base est calculée au taux de TVA de chaque bon.
      </p>
      <TableauCommandes commandes={c.commandes} />
      <p>
        <a href="/donnees/conventions.csv">Toutes les conventions publiées en données ouvertes (CSV)</a>
      </p>
    </Page>
  );
}

const baseDe = (c: ConventionPublique) => (c.baseMontants === 'TTC' ? 'ttc' : 'ht');

function Filtre({
  id,
  label,
  value,
  options,
}: {
  id: string;
  label: string;
  value: string | undefined;
  options: Array<[string, string]>;
}) {
  return (
    <div class="fr-col-12 fr-col-md-3">
      <div class="fr-select-group">
        <label class="fr-label" for={`f-${id}`}>
          {label}
        </label>
        <select class="fr-select" id={`f-${id}`} name={id}>
          <option value="">Tous</option>
          {options.map(([v, l]) => (
            <option value={v} selected={value === v}>
              {l}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function PubliqueListePage({
  acteur,
  liste,
  f,
  erreur,
}: {
  acteur: Acteur;
  liste: ListePubliees;
  f: FiltrePubliees;
  erreur: boolean;
}) {
  const total = totauxPublics(liste.items.map((c) => totauxPublics(c.annees)));
  return (
    <Page titre="Conventions publiées" acteur={acteur} fil={[['Accueil', '/'], ['Conventions publiées']]}>
      <h1>Conventions publiées et leurs budgets</h1>
      <p>
        Les conventions de délégation de gestion du programme beta.gouv.fr publiées par la DINUM : parties, objet, durée
        et budget. Également en <a href="/donnees/conventions.csv">données ouvertes</a> (CSV et schéma).
      </p>
      {peutPublier(acteur) ? (
        <p>
          <a href="/donnees/publication">Envois des données ouvertes sur data.gouv.fr</a>
        </p>
      ) : null}
      <form method="get" action="/publications" class="fr-mb-4w" aria-label="Filtrer les conventions publiées">
        {erreur ? (
          <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
            <p>Certains filtres sont invalides et ont été ignorés.</p>
          </div>
        ) : null}
        <div class="fr-grid-row fr-grid-row--gutters">
          <Filtre
            id="ministere"
            label="Ministère"
            value={f.ministere}
            options={liste.choix.ministeres.map((x) => [x, x])}
          />
          <Filtre
            id="annee"
            label="Année budgétaire"
            value={f.annee === undefined ? undefined : String(f.annee)}
            options={liste.choix.annees.map((x) => [String(x), String(x)])}
          />
          <Filtre
            id="phase"
            label="Phase"
            value={f.phase}
            options={liste.choix.phases.map((x) => [x, LIBELLES_PHASE[x]])}
          />
          <Filtre
            id="promotion"
            label="Promotion FAST"
            value={f.promotion}
            options={liste.choix.promotions.map((x) => [x, x])}
          />
        </div>
        <button class="fr-btn fr-mt-2w" type="submit">
          Filtrer
        </button>
      </form>
      <div class="fr-table fr-table--bordered">
        <table>
          <caption>
            {liste.items.length} convention{liste.items.length > 1 ? 's' : ''} publiée
            {liste.items.length > 1 ? 's' : ''} (montants TTC)
          </caption>
          <thead>
            <tr>
              <th scope="col">Produit</th>
              <th scope="col">Ministère</th>
              <th scope="col">Phase</th>
              <th scope="col">Promotion FAST</th>
              <th scope="col">Années</th>
              <th scope="col">Mis à disposition AE</th>
              <th scope="col">Engagé AE</th>
              <th scope="col">Payé CP</th>
            </tr>
          </thead>
          <tbody>
            {liste.items.map((c) => {
              const t = totauxPublics(c.annees);
              return (
                <tr>
                  <td>
                    <a href={`/publications/conventions/${c.id}`}>{titreConvention(c)}</a>
                  </td>
                  <td>{c.partenaire}</td>
                  <td>{c.phase ? LIBELLES_PHASE[c.phase] : '—'}</td>
                  <td>{c.promotionFast ?? '—'}</td>
                  <td>{c.annees.map((a) => a.annee).join(', ') || '—'}</td>
                  <td class="montant">{m(t.ouvertAe.ttc)}</td>
                  <td class="montant">{m(t.engageAe.ttc)}</td>
                  <td class="montant">{m(t.payeCp.ttc)}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row" colspan={5}>
                Total
              </th>
              <td class="montant">{m(total.ouvertAe.ttc)}</td>
              <td class="montant">{m(total.engageAe.ttc)}</td>
              <td class="montant">{m(total.payeCp.ttc)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </Page>
  );
}

export function ProduitPublicPage({ acteur, p }: { acteur: Acteur; p: ProduitPublic }) {
  return (
    <Page titre={p.nom} acteur={acteur} fil={[['Accueil', '/'], FIL_PUBLIC, [p.nom]]}>
      <h1>{p.nom}</h1>
      <p>
        Budget de toutes les conventions publiées qui financent ce produit. Chaque convention garde sa base (TTC ou HT)
        ; l’autre est calculée au taux de TVA qu’elle retient.
      </p>
      <h2>Conventions</h2>
      <ul>
        {p.conventions.map((c) => (
          <li>
            <a href={`/publications/conventions/${c.id}`}>{c.reference ?? titreConvention(c)}</a> — {c.partenaire}
            {c.dateSignature ? `, signée le ${formatDate(c.dateSignature)}` : ''}
          </li>
        ))}
      </ul>
      <h2 class="fr-mt-4w">Budget</h2>
      <TableauBudget caption={`Budget de ${p.nom} par année`} annees={p.annees} total={p.total} />
    </Page>
  );
}
