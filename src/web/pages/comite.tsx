import {
  DECISIONS_COMITE,
  LIBELLES_DECISIONS,
  LIBELLES_PHASES_PRODUIT,
  PHASES_PRODUIT,
  type Indicateur,
  type ReunionComite,
} from '../../domain/comite.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { ACCEPTE } from '../../domain/piece.js';
import type { VueComites } from '../../usecases/comite.js';
import { Case, Input, Select, TableauSaisie, Textarea } from './champs.js';
import { Csrf, ctxDe, ErreursFormulaire, Formulaire, type EtatFormulaire } from './operation.js';

/** The investment committees of a convention: the next one planned, their list, the forms to plan one and record its decision. */

const REGLES_PLAN = {
  periodicite: 'Périodicité',
  fin: 'Fin de la convention',
  epuisement_ae: 'Épuisement des AE',
  aucune: 'Aucun comité à planifier',
} as const;

const NATURES = { investissement: 'Comité d’investissement', mi_parcours: 'Bilan de mi-parcours (FAST)' } as const;

/** The prefix of a committee's decision form fields, so that several forms on the page keep distinct fields. */
export const prefixeDecision = (cid: number) => `comite-${cid}.`;

const nombre = (n: number | null) => (n === null ? '—' : n.toLocaleString('fr-FR'));

function Indicateurs({ items }: { items: Indicateur[] }) {
  if (items.length === 0) return <>—</>;
  return (
    <ul>
      {items.map((i) => (
        <li>
          {i.source && /^https?:\/\//i.test(i.source) ? <a href={i.source}>{i.nom}</a> : i.nom} : {nombre(i.valeur)} →{' '}
          {nombre(i.cible)}
          {i.unite ? ` ${i.unite}` : ''}
        </li>
      ))}
    </ul>
  );
}

function CompteRendu({ c }: { c: ReunionComite }) {
  return c.compteRenduPieceId ? (
    <p class="fr-text--sm fr-mb-0">
      <a href={`/conventions/${c.conventionId}/pieces/${c.compteRenduPieceId}`}>Compte rendu</a>
    </p>
  ) : null;
}

/** The minutes sent after the decision, or replacing earlier ones. */
function FormulaireCompteRendu({ csrf, c, etat }: { csrf: string; c: ReunionComite; etat: EtatFormulaire | null }) {
  const form = `compte-rendu-${c.id}`;
  const id = `f-${form}-fichier`;
  return (
    <details open={etat?.form === form}>
      <summary>{c.compteRenduPieceId ? 'Remplacer le compte rendu' : 'Joindre le compte rendu'}</summary>
      <form
        method="post"
        action={`/conventions/${c.conventionId}/comites/${c.id}/compte-rendu`}
        enctype="multipart/form-data"
        novalidate
      >
        <Csrf csrf={csrf} />
        <ErreursFormulaire etat={etat} form={form} />
        <div class="fr-upload-group">
          <label class="fr-label" for={id}>
            Compte rendu
            <span class="fr-hint-text">{ACCEPTE.justificatif.aide}</span>
          </label>
          <input class="fr-upload" type="file" id={id} name="fichier" accept={ACCEPTE.justificatif.accept} required />
        </div>
        <button class="fr-btn fr-btn--sm fr-mt-1w" type="submit">
          Joindre
        </button>
      </form>
    </details>
  );
}

/**
 * The avenant a decision calls for: the button to draft it, prefilled from the decision, for whoever amends
 * the convention; once drafted, the link to it.
 */
function AvenantAppele({ c, peutRediger }: { c: ReunionComite; peutRediger: boolean }) {
  if (!c.decision?.appelleAvenant) return null;
  if (c.avenantNumero !== null)
    return (
      <p class="fr-text--sm fr-mb-0">
        Appelle un avenant :{' '}
        <a href={`/conventions/${c.conventionId}#avenant-${c.avenantNumero}`}>avenant n° {c.avenantNumero}</a>
      </p>
    );
  return (
    <>
      <p class="fr-badge fr-badge--sm fr-badge--warning fr-mt-1v">Appelle un avenant</p>
      {peutRediger ? (
        <p class="fr-mt-1v fr-mb-0">
          <a
            class="fr-btn fr-btn--sm fr-btn--secondary"
            href={`/conventions/${c.conventionId}/avenants/nouveau?comite=${c.id}`}
          >
            Rédiger l’avenant
          </a>
        </p>
      ) : null}
    </>
  );
}

function Decision({ c, peutRedigerAvenant }: { c: ReunionComite; peutRedigerAvenant: boolean }) {
  const d = c.decision;
  if (!d) return <p class="fr-badge fr-badge--sm fr-badge--new">À décider</p>;
  return (
    <>
      <p class="fr-mb-1v">
        <strong>{LIBELLES_DECISIONS[d.decision]}</strong>
        {d.budgetCentimes !== null ? ` — ${formatEuros(d.budgetCentimes)}` : ''}
        {d.dureeMois !== null ? `, ${d.dureeMois} mois` : ''}
        {d.phase ? ` ; phase ${LIBELLES_PHASES_PRODUIT[d.phase]}` : ''}
        {d.trancheLiberee !== null ? ` ; tranche ${d.trancheLiberee} libérée` : ''}
      </p>
      <p class="fr-text--sm fr-mb-0">
        {d.motif} ({d.auteur})
      </p>
      <CompteRendu c={c} />
      <AvenantAppele c={c} peutRediger={peutRedigerAvenant} />
    </>
  );
}

/** The earliest committee not yet decided: the one to hold next. */
const aVenir = (comites: ReunionComite[]) =>
  comites.filter((c) => !c.decision).reduce<ReunionComite | null>((a, b) => (a && a.date <= b.date ? a : b), null);

function FormulaireDecision({
  base,
  csrf,
  c,
  etat,
}: {
  base: string;
  csrf: string;
  c: ReunionComite;
  etat: EtatFormulaire | null;
}) {
  const p = prefixeDecision(c.id);
  const ctx = ctxDe(etat, `decision-${c.id}`, { [`${p}decision`]: 'continue' }, true);
  return (
    <Formulaire
      action={`${base}/comites/${c.id}/decision`}
      csrf={csrf}
      titre={`Décision du ${c.nature === 'mi_parcours' ? 'bilan de mi-parcours' : 'comité'} du ${formatDate(c.date)}`}
      etat={etat}
      form={`decision-${c.id}`}
      bouton="Consigner la décision"
      fichier="Compte rendu du comité"
      genreFichier="justificatif"
    >
      <div class="fr-fieldset__element">
        <Select
          ctx={ctx}
          name={`${p}decision`}
          label="Décision"
          options={DECISIONS_COMITE.map((d) => [d, LIBELLES_DECISIONS[d]])}
        />
      </div>
      <div class="fr-fieldset__element">
        <Textarea ctx={ctx} name={`${p}motif`} label="Ce que le comité a retenu" required />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name={`${p}budget_centimes`}
          label="Budget accordé (€ TTC)"
          hint="facultatif, par exemple 200 000"
          inputmode="decimal"
        />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name={`${p}duree_mois`}
          label="Durée (mois)"
          hint="une prolongation provisoire dure un ou deux mois"
          inputmode="numeric"
        />
      </div>
      <div class="fr-fieldset__element">
        <Select
          ctx={ctx}
          name={`${p}phase`}
          label="Phase du produit après le comité"
          vide="Inchangée, ou celle que la décision implique"
          options={PHASES_PRODUIT.map((x) => [x, LIBELLES_PHASES_PRODUIT[x]])}
        />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name={`${p}tranche`}
          label="Tranche libérée"
          hint="facultatif ; un bilan de mi-parcours « continuer » libère la tranche suivante de lui-même"
          inputmode="numeric"
        />
      </div>
      <div class="fr-fieldset__element">
        <Case
          ctx={ctx}
          name={`${p}appelle_avenant`}
          label="Appelle un avenant"
          hint="la décision l’appelle aussi d’elle-même quand le budget dépasse les AE que la convention prévoit encore, quand la durée va au-delà de sa fin, pour une accélération, une pérennisation ou un transfert ; l’avenant se rédige ensuite, prérempli, depuis cette page"
        />
      </div>
    </Formulaire>
  );
}

function FormulairePreparation({
  base,
  csrf,
  v,
  etat,
  aujourdHui,
}: {
  base: string;
  csrf: string;
  v: VueComites;
  etat: EtatFormulaire | null;
  aujourdHui: DateIso;
}) {
  const date = v.prochain.date && v.prochain.date >= aujourdHui ? v.prochain.date : '';
  const ctx = ctxDe(etat, 'comite', { nature: 'investissement', date, 'indicateurs.0.nom': '' }, true);
  return (
    <Formulaire
      action={`${base}/comites`}
      csrf={csrf}
      titre="Planifier un comité"
      etat={etat}
      form="comite"
      bouton="Planifier le comité"
      id="planifier"
    >
      {v.credits ? (
        <div class="fr-fieldset__element">
          <p class="fr-text--sm">
            Crédits {v.credits.annee} restants : {formatEuros(v.credits.disponibleAeCentimes)} en AE,{' '}
            {formatEuros(v.credits.disponibleCpCentimes)} en CP.
          </p>
        </div>
      ) : null}
      <div class="fr-fieldset__element">
        <Select
          ctx={ctx}
          name="nature"
          label="Nature"
          options={[
            ['investissement', NATURES.investissement],
            ['mi_parcours', NATURES.mi_parcours],
          ]}
        />
      </div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name="date" label="Date du comité" hint="AAAA-MM-JJ" required />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name="presidence"
          label="Présidence"
          hint={`par défaut, celle que la convention prévoit${v.convention.comite.presidence ? ` : ${v.convention.comite.presidence}` : ''}`}
        />
      </div>
      <div class="fr-fieldset__element">
        <Textarea ctx={ctx} name="participants" label="Participants" hint="un par ligne" />
      </div>
      <div class="fr-fieldset__element">
        <TableauSaisie
          ctx={ctx}
          prefixe="indicateurs"
          titre="Indicateurs d’impact présentés"
          vides={etat?.form === 'comite' ? 1 : 2}
          colonnes={[
            { champ: 'nom', titre: 'Indicateur', libelle: 'Indicateur, ligne' },
            { champ: 'unite', titre: 'Unité', libelle: 'Unité, ligne' },
            { champ: 'valeur', titre: 'Valeur en fin de phase', libelle: 'Valeur, ligne', inputmode: 'decimal' },
            { champ: 'cible', titre: 'Objectif à six mois', libelle: 'Objectif, ligne', inputmode: 'decimal' },
            { champ: 'source', titre: 'Source (lien)', libelle: 'Source, ligne' },
          ]}
        />
      </div>
      <div class="fr-fieldset__element">
        <Textarea
          ctx={ctx}
          name="demande.equipe"
          label="Demande de l’équipe : équipe pour les six mois"
          hint="facultatif"
        />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name="demande.budget_centimes"
          label="Demande de l’équipe : budget (€ TTC)"
          inputmode="decimal"
        />
      </div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name="demande.duree_mois" label="Demande de l’équipe : durée (mois)" inputmode="numeric" />
      </div>
    </Formulaire>
  );
}

export function SectionComites({
  v,
  csrf,
  etat,
  aujourdHui,
}: {
  v: VueComites;
  csrf: string;
  etat: EtatFormulaire | null;
  aujourdHui: DateIso;
}) {
  const base = `/conventions/${v.convention.id}`;
  const prochain = aVenir(v.comites);
  return (
    <section class="fr-mb-6w" id="comites">
      <h2>Comités d’investissement</h2>
      <div
        class={`fr-callout${v.prochain.date && v.prochain.date < aujourdHui ? ' fr-callout--orange-terre-battue' : ''}`}
      >
        <h3 class="fr-callout__title">
          {v.prochain.date
            ? `Prochain comité au plus tard le ${formatDate(v.prochain.date)}`
            : 'Aucun comité à planifier'}
        </h3>
        <p class="fr-callout__text">
          <strong>{REGLES_PLAN[v.prochain.regle]}</strong> — {v.prochain.explication}
        </p>
        {v.phase ? <p class="fr-text--sm fr-mb-0">Phase du produit : {LIBELLES_PHASES_PRODUIT[v.phase]}.</p> : null}
      </div>
      {v.comites.length === 0 ? (
        <p>Aucun comité enregistré.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Comités ({v.comites.length})</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Nature</th>
                <th scope="col">Présidence et participants</th>
                <th scope="col">Indicateurs (valeur → objectif)</th>
                <th scope="col">Demande de l’équipe</th>
                <th scope="col">Décision</th>
              </tr>
            </thead>
            <tbody>
              {v.comites.map((c) => (
                <tr class={c === prochain ? 'comite-prochain' : undefined}>
                  <td>
                    {formatDate(c.date)}
                    {c === prochain ? (
                      <p class="fr-badge fr-badge--sm fr-badge--info fr-mt-1v">Prochain comité</p>
                    ) : null}
                  </td>
                  <td>{NATURES[c.nature]}</td>
                  <td>
                    {c.presidence ?? '—'}
                    {c.participants.length ? <p class="fr-text--sm fr-mb-0">{c.participants.join(', ')}</p> : null}
                  </td>
                  <td>
                    <Indicateurs items={c.indicateurs} />
                  </td>
                  <td>
                    {c.demande
                      ? `${c.demande.equipe}${c.demande.budgetCentimes !== null ? ` — ${formatEuros(c.demande.budgetCentimes)}` : ''}${c.demande.dureeMois !== null ? `, ${c.demande.dureeMois} mois` : ''}`
                      : '—'}
                  </td>
                  <td>
                    <Decision c={c} peutRedigerAvenant={v.peutRedigerAvenant} />
                    {v.peutDecider && c.decision ? <FormulaireCompteRendu csrf={csrf} c={c} etat={etat} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {v.peutDecider
        ? v.comites
            .filter((c) => !c.decision && c.date <= aujourdHui)
            .map((c) => <FormulaireDecision base={base} csrf={csrf} c={c} etat={etat} />)
        : null}
      {v.peutPreparer ? (
        <FormulairePreparation base={base} csrf={csrf} v={v} etat={etat} aujourdHui={aujourdHui} />
      ) : null}
    </section>
  );
}
