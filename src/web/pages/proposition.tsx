import { peutDeroger, peutGererCredits, peutProposerEngagement, type Acteur } from '../../domain/acces.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import { LIBELLES_STATUT_PROPOSITION, type Proposition } from '../../domain/proposition.js';
import { formatEuros as m } from '../../domain/money.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Input, Select, Textarea } from './champs.js';
import { ChampsCommande, el } from './engagement-liste.js';
import { Csrf, ctxDe, Formulaire, type EtatFormulaire } from './operation.js';

/** Proposals of the product teams on a convention's credits page: the list, the authorising officer's decision, the team's form. */

/**
 * Validation (with a calendar waiver for an administrator) or refusal with its reason: two forms, each with its
 * own error next to its field and, after a refusal, what was typed. Both carry the proposal's year so that the
 * page shown again is the one that lists it.
 */
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
  const validation = `validation-${p.id}`;
  const refus = `refus-${p.id}`;
  const erreurDe = (form: string) => (etat && etat.form === form ? (etat.erreurs[0]?.message ?? null) : null);
  const saisi = (form: string, champ: string) => (etat && etat.form === form ? (etat.f[champ] ?? '') : '');
  const Champ = ({ form, nom, libelle, indice }: { form: string; nom: string; libelle: string; indice?: string }) => {
    const erreur = erreurDe(form);
    return (
      <div class={`fr-input-group${erreur ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for={`${form}-${nom}`}>
          {libelle}
          {indice ? <span class="fr-hint-text">{indice}</span> : null}
        </label>
        <input
          class={`fr-input${erreur ? ' fr-input--error' : ''}`}
          id={`${form}-${nom}`}
          name={nom}
          type="text"
          autocomplete="off"
          value={saisi(form, nom)}
          aria-invalid={erreur ? 'true' : undefined}
          aria-describedby={erreur ? `${form}-${nom}-err` : undefined}
        />
        {erreur ? (
          <p class="fr-error-text" id={`${form}-${nom}-err`}>
            {erreur}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <>
      <form method="post" action={`/conventions/${id}/credits/propositions/${p.id}/validation`} class="fr-mb-1w">
        <Csrf csrf={csrf} />
        <input type="hidden" name="annee" value={String(p.annee)} />
        {admin ? (
          <Champ
            form={validation}
            nom="derogation_motif"
            libelle="Motif de dérogation au calendrier"
            indice="seulement après une date limite"
          />
        ) : null}
        <button class="fr-btn fr-btn--sm" type="submit" title={`Valider et engager : ${p.objet}`}>
          Valider et engager
        </button>
      </form>
      <form method="post" action={`/conventions/${id}/credits/propositions/${p.id}/refus`}>
        <Csrf csrf={csrf} />
        <input type="hidden" name="annee" value={String(p.annee)} />
        <Champ form={refus} nom="motif" libelle="Motif du refus" />
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
