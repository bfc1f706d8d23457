import type { Acteur } from '../../domain/acces.js';
import { LIBELLES_DECISIONS, type ReunionComite } from '../../domain/comite.js';
import type { Convention } from '../../domain/convention.js';
import { formatDate } from '../../domain/dates.js';
import type { FieldError } from '../../domain/errors.js';
import type { FormFields } from '../form.js';
import { ErreursFormulaire, Input, TableauSaisie, Textarea, type ChampsCtx } from './champs.js';
import { Page } from './layout.js';
import { Csrf } from './operation.js';

/**
 * Drafting an avenant from the convention's page: the fields an avenant may change, prefilled with the
 * current version; only those changed make the avenant. Drafted from a committee's decision, the form comes
 * prefilled with what the decision implies, and carries the committee so that it keeps the avenant.
 */
export function AvenantFormulairePage({
  acteur,
  csrf,
  convention,
  f,
  erreurs,
  comite = null,
}: {
  acteur: Acteur;
  csrf: string;
  convention: Convention;
  f: FormFields;
  erreurs: FieldError[];
  /** the committee whose decision calls for the avenant, when drafted from it */
  comite?: ReunionComite | null;
}) {
  const libelle = convention.reference ?? 'Convention';
  const ctx: ChampsCtx = { f, erreurs: new Map(erreurs.map((e) => [e.champ, e.message])) };
  return (
    <Page
      titre={`Nouvel avenant — ${libelle}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], [libelle, `/conventions/${convention.id}`], ['Nouvel avenant']]}
    >
      <h1>Nouvel avenant — {libelle}</h1>
      <p>
        Le projet d’avenant reprend la version en vigueur de la convention. Modifiez ce que l’avenant change : seuls les
        champs modifiés en font partie. Il s’applique à compter de sa date d’effet, une fois signé par les deux parties
        ; les mouvements déjà enregistrés ne changent pas.
      </p>
      {comite?.decision ? (
        <div class="fr-callout fr-mb-4w">
          <h2 class="fr-callout__title">
            Avenant appelé par le {comite.nature === 'mi_parcours' ? 'bilan de mi-parcours' : 'comité'} du{' '}
            {formatDate(comite.date)}
          </h2>
          <p class="fr-callout__text">
            Décision : {LIBELLES_DECISIONS[comite.decision.decision]} — {comite.decision.motif}. Le projet reprend ce
            que la décision implique ; vérifiez-le avant de l’enregistrer.
          </p>
        </div>
      ) : null}
      <ErreursFormulaire titre="L’avenant n’a pas été enregistré : corrigez les champs signalés." erreurs={erreurs} />
      <form method="post" action={`/conventions/${convention.id}/avenants`} novalidate>
        <Csrf csrf={csrf} />
        {f['avenant.comite'] ? <input type="hidden" name="avenant.comite" value={f['avenant.comite']} /> : null}
        <fieldset class="fr-fieldset" aria-labelledby="legend-avenant">
          <legend class="fr-fieldset__legend" id="legend-avenant">
            L’avenant
          </legend>
          <div class="fr-fieldset__element">
            <Textarea ctx={ctx} name="avenant.objet" label="Objet de l’avenant" required />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="avenant.date_effet" label="Date d’effet" hint="AAAA-MM-JJ" required type="date" />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset" aria-labelledby="legend-changements">
          <legend class="fr-fieldset__legend" id="legend-changements">
            Ce que l’avenant change
          </legend>
          <div class="fr-fieldset__element">
            <TableauSaisie
              ctx={ctx}
              prefixe="echeancier"
              titre="Échéancier des crédits (€ TTC)"
              colonnes={[
                { champ: 'annee', titre: 'Année', libelle: 'Année, ligne', inputmode: 'numeric' },
                { champ: 'ae_centimes', titre: 'AE', libelle: 'AE, ligne', inputmode: 'decimal' },
                { champ: 'cp_centimes', titre: 'CP', libelle: 'CP, ligne', inputmode: 'decimal' },
              ]}
              vides={2}
            />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="total_ae_centimes" label="Montant maximum des AE (€)" inputmode="decimal" />
          </div>
          <div class="fr-fieldset__element">
            <TableauSaisie
              ctx={ctx}
              prefixe="tranches"
              titre="Tranches"
              colonnes={[
                { champ: 'part_pct', titre: 'Part (%)', libelle: 'Part, tranche', inputmode: 'decimal' },
                { champ: 'condition', titre: 'Condition de libération', libelle: 'Condition, tranche', zone: true },
              ]}
              vides={1}
            />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="date_fin" label="Date de fin" hint="AAAA-MM-JJ" type="date" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="duree_mois" label="Durée (mois)" inputmode="numeric" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="preavis_mois" label="Préavis de résiliation (mois)" inputmode="numeric" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="uo" label="Unité opérationnelle (UO)" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="programme_bop" label="Programme et BOP" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="comptable_assignataire" label="Comptable assignataire" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="destinataires_copie" label="Copies (contrôleurs budgétaires, CBCM)" />
          </div>
        </fieldset>
        <button class="fr-btn" type="submit">
          Enregistrer le projet d’avenant
        </button>
      </form>
    </Page>
  );
}
