// The whole convention form (sixty fields in DSFR markup), one function per section.
import type { Acteur } from '../../domain/acces.js';
import { NATURES, PHASES, ROLES_DINUM, type Statut } from '../../domain/convention.js';
import { STATUTS_CREATION } from '../../domain/convention-cycle.js';
import type { FieldError } from '../../domain/errors.js';
import type { FormFields } from '../form.js';
import { ErreursFormulaire, Input, Select, TableauSaisie, Textarea, type ChampsCtx as Ctx } from './champs.js';
import { Page } from './layout.js';
import { LIBELLES_NATURE, LIBELLES_PHASE, LIBELLES_ROLE_DINUM, LIBELLES_STATUT } from './libelles.js';

/** Every field error, each linking to its field. */
/** A party's fields, named `delegant.nom`, `delegataire.siret`… like the API's. */
function ChampsPartie({ ctx, p, label }: { ctx: Ctx; p: 'delegant' | 'delegataire'; label: string }) {
  return (
    <fieldset class="fr-fieldset" aria-labelledby={`legend-${p}`}>
      <legend class="fr-fieldset__legend" id={`legend-${p}`}>
        {label}
      </legend>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name={`${p}.nom`} label="Nom" required />
      </div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name={`${p}.nom_court`} label="Nom court" hint="ex. « la DINUM », « la DNUM »" />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name={`${p}.libelle_role`}
          label="Désignation dans le texte"
          hint="ex. « le partenaire-délégataire »"
        />
      </div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name={`${p}.representant`} label="Représentant et qualité" />
      </div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name={`${p}.adresse`} label="Adresse" />
      </div>
      <div class="fr-fieldset__element">
        <Input
          ctx={ctx}
          name={`${p}.siret`}
          label="SIRET"
          hint="14 chiffres ; rattache la partie à son organisation"
          inputmode="numeric"
        />
      </div>
    </fieldset>
  );
}

function SectionIdentification({ ctx, edition }: { ctx: Ctx; edition: boolean }) {
  return (
    <>
      <h2>Identification</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="reference" label="Référence" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select ctx={ctx} name="nature" label="Nature" options={NATURES.map((n) => [n, LIBELLES_NATURE[n]])} />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          {edition ? (
            // the status changes only through the actions of the convention's page
            <div class="fr-input-group">
              <input type="hidden" name="statut" value={ctx.f.statut ?? ''} />
              <p class="fr-label">Statut</p>
              <p class="fr-mb-0">
                {LIBELLES_STATUT[(ctx.f.statut ?? 'brouillon') as Statut] ?? ctx.f.statut}
                <span class="fr-hint-text">
                  Il change par les actions de la fiche : signature, suspension, résiliation…
                </span>
              </p>
              {ctx.erreurs.get('statut') ? <p class="fr-error-text">{ctx.erreurs.get('statut')}</p> : null}
            </div>
          ) : (
            <Select
              ctx={ctx}
              name="statut"
              label="Statut"
              hint="Une convention déjà signée s’enregistre en vigueur, sans circuit de signature."
              options={STATUTS_CREATION.map((s) => [s, LIBELLES_STATUT[s]])}
            />
          )}
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            ctx={ctx}
            name="role_dinum"
            label="Rôle de la DINUM"
            required
            vide="Choisir"
            options={ROLES_DINUM.map((r) => [r, LIBELLES_ROLE_DINUM[r]])}
          />
        </div>
      </div>

      <h2>Parties</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <ChampsPartie ctx={ctx} p="delegant" label="Délégant" />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <ChampsPartie ctx={ctx} p="delegataire" label="Délégataire" />
        </div>
      </div>
    </>
  );
}

function SectionObjet({ ctx }: { ctx: Ctx }) {
  return (
    <>
      <h2>Objet</h2>
      <Textarea ctx={ctx} name="produits" label="Service(s) ou produit(s) financé(s)" hint="un par ligne" rows={2} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <Input
            ctx={ctx}
            name="objet_verbe"
            label="Verbe de l’objet"
            hint="construire, accélérer, accompagner, investiguer…"
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            ctx={ctx}
            name="phase"
            label="Phase couverte"
            vide="Non indiquée"
            options={PHASES.map((p) => [p, LIBELLES_PHASE[p]])}
          />
        </div>
      </div>
      <Textarea ctx={ctx} name="objet" label="Objectif du service" rows={2} />
      <Textarea ctx={ctx} name="base_juridique" label="Base juridique (« Vu… »)" rows={2} />
      <Textarea ctx={ctx} name="preambule" label="Préambule (faits)" rows={3} />
    </>
  );
}

/** Amounts, Chorus references, comptable, and the schedule and tranches as rows to fill. */
function SectionBudget({ ctx }: { ctx: Ctx }) {
  return (
    <>
      <h2>Budget et imputation</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="uo" label="UO / centre financier" hint="ex. 0310-SGAL-SSIC" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="programme_bop" label="Programme / BOP" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            ctx={ctx}
            name="base_montants"
            label="Base des montants"
            options={[
              ['TTC', 'TTC'],
              ['HT', 'HT'],
            ]}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="total_ae_centimes" label="Total AE indiqué (€)" inputmode="decimal" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="cofinancement_fast_centimes" label="Cofinancement FAST (€)" inputmode="decimal" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="promotion_fast" label="Promotion FAST" hint="ex. FAST 15" />
        </div>
      </div>
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">Références Chorus</legend>
        <div class="fr-grid-row fr-grid-row--gutters fr-col-12">
          <div class="fr-col-12 fr-col-md-4">
            <Input ctx={ctx} name="imputation.domaine_fonctionnel" label="Domaine fonctionnel" />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <Input ctx={ctx} name="imputation.centre_financier" label="Centre financier" />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <Input ctx={ctx} name="imputation.activite" label="Activité" />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <Input ctx={ctx} name="imputation.centre_de_cout" label="Centre de coût" />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <Input ctx={ctx} name="imputation.axe_ministeriel" label="Axe ministériel" />
          </div>
        </div>
        <div class="fr-fieldset__element">
          <Textarea
            ctx={ctx}
            name="imputation.extra"
            label="Autres valeurs (paramétrage de l’adhérence, etc.)"
            hint="une par ligne : « Libellé : valeur »"
          />
        </div>
      </fieldset>
      <Input ctx={ctx} name="comptable_assignataire" label="Comptable assignataire" />

      <TableauSaisie
        ctx={ctx}
        prefixe="echeancier"
        titre="Échéancier indicatif (€)"
        vides={2}
        colonnes={[
          { champ: 'annee', titre: 'Année', libelle: 'Année, ligne', inputmode: 'numeric' },
          { champ: 'ae_centimes', titre: 'AE', libelle: 'AE, ligne', inputmode: 'decimal' },
          { champ: 'cp_centimes', titre: 'CP', libelle: 'CP, ligne', inputmode: 'decimal' },
        ]}
      />
      <TableauSaisie
        ctx={ctx}
        prefixe="tranches"
        titre="Tranches"
        vides={1}
        colonnes={[
          { champ: 'part_pct', titre: 'Part (%)', libelle: 'Part, tranche', inputmode: 'decimal' },
          { champ: 'condition', titre: 'Condition de mise à disposition', libelle: 'Condition, tranche' },
        ]}
      />
    </>
  );
}

function SectionDuree({ ctx, f }: { ctx: Ctx; f: FormFields }) {
  return (
    <>
      <h2>Durée et gouvernance</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="date_signature" label="Date de signature" type="date" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="date_fin" label="Date de fin" hint="ou une durée ci-contre" type="date" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input
            ctx={ctx}
            name="duree_mois"
            label="Durée (mois)"
            hint="à compter de la signature"
            inputmode="numeric"
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="preavis_mois" label="Préavis de résiliation (mois)" inputmode="numeric" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input
            ctx={ctx}
            name="comite.periodicite_mois"
            label="Comité d’investissement : tous les … mois"
            inputmode="numeric"
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="comite.presidence" label="Présidence du comité" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="comite.invites" label="Invités du comité" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="destinataires_copie" label="Copies transmises à" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input ctx={ctx} name="publication" label="Canaux de publication" />
        </div>
      </div>
      <div class="fr-checkbox-group fr-mb-3w">
        <input type="checkbox" id="f-publiee" name="publiee" checked={f.publiee === 'on'} />
        <label class="fr-label" for="f-publiee">
          Publiée (visible du public et en données ouvertes)
        </label>
      </div>
    </>
  );
}

/** Obligations of each party and the GDPR annex. */
function SectionObligations({ ctx }: { ctx: Ctx }) {
  return (
    <>
      <h2>Obligations</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <Textarea ctx={ctx} name="obligations.delegant" label="Du délégant" hint="une par ligne" rows={5} />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <Textarea ctx={ctx} name="obligations.delegataire" label="Du délégataire" hint="une par ligne" rows={5} />
        </div>
      </div>

      <h2>Annexe RGPD</h2>
      <TableauSaisie
        ctx={ctx}
        prefixe="rgpd"
        titre="Répartition des responsabilités"
        vides={1}
        colonnes={[
          { champ: 'theme', titre: 'Thème', libelle: 'Thème, ligne', zone: true },
          { champ: 'dinum', titre: 'DINUM', libelle: 'DINUM, ligne', zone: true },
          { champ: 'partenaire', titre: 'Partenaire', libelle: 'Partenaire, ligne', zone: true },
        ]}
      />
    </>
  );
}

export function FormulairePage({
  acteur,
  csrf,
  f,
  erreurs,
  action,
  titre,
  version,
  avertissements = [],
}: {
  acteur: Acteur;
  csrf: string;
  f: FormFields;
  erreurs: FieldError[];
  action: string;
  titre: string;
  version?: number;
  avertissements?: string[];
}) {
  const ctx: Ctx = { f, erreurs: new Map(erreurs.map((e) => [e.champ, e.message])) };
  return (
    <Page titre={titre} acteur={acteur} csrf={csrf} fil={[['Accueil', '/'], ['Conventions', '/conventions'], [titre]]}>
      <h1>{titre}</h1>
      {erreurs.length ? (
        <ErreursFormulaire titre="La convention n’a pas été enregistrée" erreurs={erreurs} intro />
      ) : null}
      {avertissements.length ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <h2 class="fr-alert__title">Points à vérifier</h2>
          <ul>
            {avertissements.map((a) => (
              <li>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class="fr-hint-text">
        Les champs marqués d’un astérisque (*) sont obligatoires. Les montants s’écrivent en euros (ex. 200 000 ou 1
        250,50). Une case vide signifie « non indiqué », différente de 0.
      </p>
      <form method="post" action={action} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        {version !== undefined ? <input type="hidden" name="version" value={String(version)} /> : null}

        <SectionIdentification ctx={ctx} edition={version !== undefined} />
        <SectionObjet ctx={ctx} />
        <SectionBudget ctx={ctx} />
        <SectionDuree ctx={ctx} f={f} />
        <SectionObligations ctx={ctx} />

        <ul class="fr-btns-group fr-btns-group--inline fr-mt-4w">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/conventions">
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Page>
  );
}
