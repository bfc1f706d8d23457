import { peutDeroger, peutGererCredits, peutProposerEngagement, type Acteur } from '../../domain/acces.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import { LIBELLES_STATUT_PROPOSITION, type Proposition } from '../../domain/proposition.js';
import { formatEuros as m } from '../../domain/money.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Input, Select, Textarea } from './champs.js';
import { ChampsCommande, el } from './engagement-liste.js';
import { Csrf, ctxDe, Formulaire, type EtatFormulaire } from './operation.js';

/** Proposals of the product teams on a convention's credits page: the list, the authorising officer's decision, the team's form. */

/** Validation (with a calendar waiver for an administrator) or refusal with its reason; errors shown next to them. */
function DecisionProposition({
  p,
  id,
  csrf,
  admin,
  etat,
}: {
  p: Proposition;
  id: string;
  csrf: string;
  admin: boolean;
  etat: EtatFormulaire | null;
}) {
  const form = `proposition-${p.id}`;
  const erreur = etat && etat.form === form ? (etat.erreurs[0]?.message ?? null) : null;
  return (
    <>
      {erreur ? (
        <p class="fr-error-text" id={`${form}-err`}>
          {erreur}
        </p>
      ) : null}
      <form method="post" action={`/conventions/${id}/credits/propositions/${p.id}/validation`} class="fr-mb-1w">
        <Csrf csrf={csrf} />
        {admin ? (
          <div class="fr-input-group">
            <label class="fr-label" for={`derogation-${p.id}`}>
              Motif de dérogation au calendrier<span class="fr-hint-text">seulement après une date limite</span>
            </label>
            <input class="fr-input" id={`derogation-${p.id}`} name="derogation_motif" type="text" autocomplete="off" />
          </div>
        ) : null}
        <button class="fr-btn fr-btn--sm" type="submit" title={`Valider et engager : ${p.objet}`}>
          Valider et engager
        </button>
      </form>
      <form method="post" action={`/conventions/${id}/credits/propositions/${p.id}/refus`}>
        <Csrf csrf={csrf} />
        <div class="fr-input-group">
          <label class="fr-label" for={`refus-${p.id}`}>
            Motif du refus
          </label>
          <input
            class="fr-input"
            id={`refus-${p.id}`}
            name="motif"
            type="text"
            required
            autocomplete="off"
            aria-describedby={erreur ? `${form}-err` : undefined}
          />
        </div>
        <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" title={`Refuser : ${p.objet}`}>
          Refuser
        </button>
      </form>
    </>
  );
}

function LigneProposition({
  p,
  id,
  csrf,
  gerer,
  admin,
  etat,
}: {
  p: Proposition;
  id: string;
  csrf: string;
  gerer: boolean;
  admin: boolean;
  etat: EtatFormulaire | null;
}) {
  return (
    <tr>
      <td>
        {formatDate(p.proposeLe.slice(0, 10) as DateIso)}
        <br />
        <span class="fr-hint-text">{p.proposeParNom}</span>
      </td>
      <td>
        {p.objet}
        <br />
        <span class="fr-hint-text">
          {p.titulaire}
          {p.devis ? ` — devis ${p.devis}` : ''}
        </span>
      </td>
      <td>{p.annee}</td>
      <td class="montant">
        {m(p.montantCentimes)}
        {p.baseMontant ? ` ${p.baseMontant}` : ''}
      </td>
      <td>{p.justification}</td>
      <td>
        <p
          class={`fr-badge fr-badge--sm ${p.statut === 'validee' ? 'fr-badge--success' : p.statut === 'refusee' ? 'fr-badge--error' : 'fr-badge--new'}`}
        >
          {LIBELLES_STATUT_PROPOSITION[p.statut]}
        </p>
        {p.decideParNom ? (
          <span class="fr-hint-text">
            {p.decideParNom}
            {p.decideLe ? `, le ${formatDate(p.decideLe.slice(0, 10) as DateIso)}` : ''}
          </span>
        ) : null}
        {p.motifRefus ? <span class="fr-hint-text">Motif : {p.motifRefus}</span> : null}
        {p.engagementId ? (
          <a class="fr-link fr-link--sm" href={`/conventions/${id}/credits/engagements/${p.engagementId}`}>
            Bon de commande
          </a>
        ) : null}
      </td>
      {gerer ? (
        <td>
          {p.statut === 'a_valider' ? (
            <DecisionProposition p={p} id={id} csrf={csrf} admin={admin} etat={etat} />
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

function TableauPropositions({
  propositions,
  id,
  csrf,
  gerer,
  admin,
  etat,
}: {
  propositions: Proposition[];
  id: string;
  csrf: string;
  gerer: boolean;
  admin: boolean;
  etat: EtatFormulaire | null;
}) {
  return (
    <div class="fr-table">
      <table>
        <caption>Bons de commande proposés</caption>
        <thead>
          <tr>
            <th scope="col">Proposé</th>
            <th scope="col">Objet et titulaire</th>
            <th scope="col">Année</th>
            <th scope="col">Montant</th>
            <th scope="col">Justification</th>
            <th scope="col">Statut</th>
            {gerer ? <th scope="col">Décision</th> : null}
          </tr>
        </thead>
        <tbody>
          {propositions.length === 0 ? (
            <tr>
              <td colspan={gerer ? 7 : 6}>Aucune proposition.</td>
            </tr>
          ) : null}
          {propositions.map((p) => (
            <LigneProposition p={p} id={id} csrf={csrf} gerer={gerer} admin={admin} etat={etat} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The proposals section of the credits page: the list when there is one, the form for a team that may propose. */
export function Propositions({
  acteur,
  csrf,
  v,
  annee,
  propositions,
  etat,
}: {
  acteur: Acteur;
  csrf: string;
  v: VueCredits;
  annee: number;
  propositions: Proposition[];
  etat: EtatFormulaire | null;
}) {
  const c = v.convention;
  const id = c.id;
  const gerer = peutGererCredits(acteur, c);
  const admin = peutDeroger(acteur);
  const proposer = !gerer && peutProposerEngagement(acteur, c);
  const cp = ctxDe(etat, 'proposition', {
    annee: String(Math.max(annee, Number(v.aujourdHui.slice(0, 4)))),
    base_montant: c.baseMontants,
  });
  return (
    <>
      {propositions.length || proposer ? (
        <>
          <h2 class="fr-mt-4w" id="propositions">
            Propositions des équipes produit
          </h2>
          <p class="fr-text--sm">
            Un bon de commande proposé n’engage aucune AE : il est enregistré, avec toutes les règles d’un engagement,
            quand l’ordonnateur le valide.
          </p>
          <TableauPropositions
            propositions={propositions}
            id={id}
            csrf={csrf}
            gerer={gerer}
            admin={admin}
            etat={etat}
          />
        </>
      ) : null}

      {proposer ? (
        <Formulaire
          action={`/conventions/${id}/credits/propositions`}
          csrf={csrf}
          titre="Proposer un bon de commande"
          etat={etat}
          form="proposition"
          bouton="Transmettre la proposition"
          id="nouvelle-proposition"
        >
          <div class="fr-grid-row fr-grid-row--gutters fr-col-12">
            <ChampsCommande ctx={cp} />
            {el(<Input ctx={cp} name="date_fin_prestation" label="Fin de prestation prévue" type="date" />)}
            {c.produits.length > 1
              ? el(
                  <Select
                    ctx={cp}
                    name="produit"
                    label="Produit servi"
                    vide="Non précisé"
                    options={c.produits.map((p) => [p, p])}
                  />,
                )
              : null}
            <div class="fr-fieldset__element fr-col-12">
              <Textarea
                ctx={cp}
                name="justification"
                label="Justification"
                hint="Pour l’ordonnateur : le besoin, le devis retenu, l’échéance"
              />
            </div>
          </div>
        </Formulaire>
      ) : null}
    </>
  );
}
