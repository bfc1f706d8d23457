import type { Acteur } from '../../domain/acces.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import { centimesToSaisie, formatEuros } from '../../domain/money.js';
import type { EtatRevue } from '../../domain/promotion.js';
import type { VueEnveloppe, VueLaureat, VuePromotion } from '../../usecases/promotion.js';
import { Input } from './champs.js';
import { Page } from './layout.js';
import { Csrf, ErreursFormulaire, ctxDe, Formulaire, Refus, type EtatFormulaire, type Flash } from './operation.js';

/** The FAST promotions for the FAST team: calendar, laureates, co-financing, mid-term reviews and matching envelopes. */

const REVUES: Record<EtatRevue, [string, string]> = {
  a_venir: ['À venir', 'fr-badge--new'],
  due: ['À tenir', 'fr-badge--warning'],
  en_retard: ['En retard', 'fr-badge--error'],
  tenue: ['Tenue', 'fr-badge--success'],
};

const CALENDRIER = [
  ['appel_ouverture', 'Ouverture de l’appel'],
  ['appel_cloture', 'Clôture de l’appel'],
  ['comite_selection', 'Comité de sélection'],
  ['lancement', 'Lancement'],
  ['mi_parcours', 'Bilan de mi-parcours'],
  ['demo_day', 'Demo day'],
] as const;

const dates = (p: VuePromotion) => ({
  appel_ouverture: p.appelOuverture,
  appel_cloture: p.appelCloture,
  comite_selection: p.comiteSelection,
  lancement: p.lancement,
  mi_parcours: p.miParcours,
  demo_day: p.demoDay,
});

/** The envelope of a FAST laureate on its governance page: what is due by when, and the partner's declaration. */
export function SectionEnveloppe({
  conventionId,
  v,
  csrf,
  etat,
}: {
  conventionId: string;
  v: VueEnveloppe;
  csrf: string;
  etat: EtatFormulaire | null;
}) {
  const e = v.enveloppe;
  const ctx = ctxDe(etat, 'enveloppe', {
    montant_centimes: centimesToSaisie(e?.montantCentimes),
    engage_centimes: centimesToSaisie(e?.engageCentimes ?? 0),
    preuve_url: e?.preuveUrl ?? '',
  });
  return (
    <section class="fr-mb-6w" id="enveloppe">
      <h2>Enveloppe de cofinancement</h2>
      <p>
        Le lauréat engage une enveloppe de cofinancement dans les six mois qui suivent la signature
        {v.echeance ? `, soit avant le ${formatDate(v.echeance)}` : ''}.
      </p>
      {e ? (
        <div class={`fr-callout${v.alerte ? ' fr-callout--orange-terre-battue' : ''}`}>
          <p class="fr-callout__text">
            Montant : <strong>{formatEuros(e.montantCentimes)}</strong> ; engagé déclaré :{' '}
            <strong>{formatEuros(e.engageCentimes)}</strong>
            {e.preuveUrl && /^https?:\/\//i.test(e.preuveUrl) ? (
              <>
                {' '}
                (<a href={e.preuveUrl}>preuve</a>)
              </>
            ) : null}
            {e.preuvePieceId ? (
              <>
                {' '}
                (<a href={`/conventions/${conventionId}/pieces/${e.preuvePieceId}`}>preuve jointe</a>)
              </>
            ) : null}
            .
          </p>
          {e.declarePar ? (
            <p class="fr-text--sm fr-mb-0">
              Déclaré par {e.declarePar}
              {e.declareLe ? ` le ${formatDate(e.declareLe.slice(0, 10) as DateIso)}` : ''}.
            </p>
          ) : null}
          {v.alerte ? <p class="fr-text--sm fr-mb-0 fr-error-text">{v.alerte}</p> : null}
        </div>
      ) : (
        <p>Le montant de l’enveloppe n’est pas encore fixé par le pôle budget de la DINUM.</p>
      )}
      {v.peutDeclarer && (e || v.peutFixerMontant) ? (
        <Formulaire
          action={`/conventions/${conventionId}/enveloppe`}
          csrf={csrf}
          titre={v.peutFixerMontant ? 'Enregistrer l’enveloppe' : 'Déclarer ce qui est engagé'}
          etat={etat}
          form="enveloppe"
          bouton="Enregistrer"
          fichier="ou preuve en fichier"
          genreFichier="justificatif"
          aideFichier={
            e?.preuvePieceId ? 'le fichier déjà joint reste la preuve si vous n’en envoyez pas d’autre' : undefined
          }
          erreurFichier={ctx.erreurs.get('preuve_fichier')}
        >
          {v.peutFixerMontant ? (
            <div class="fr-fieldset__element">
              <Input ctx={ctx} name="montant_centimes" label="Montant de l’enveloppe (€ TTC)" inputmode="decimal" />
            </div>
          ) : null}
          <div class="fr-fieldset__element">
            <Input
              ctx={ctx}
              name="engage_centimes"
              label="Engagé à ce jour (€ TTC)"
              hint="par exemple 40 000 ; 0 si rien ne l’est encore"
              inputmode="decimal"
              required
            />
          </div>
          <div class="fr-fieldset__element">
            <Input
              ctx={ctx}
              name="preuve_url"
              label="Preuve de l’engagement (lien)"
              hint="https://… : bon de commande, décision d’engagement"
            />
          </div>
        </Formulaire>
      ) : null}
    </section>
  );
}

/** The prefix of a laureate's envelope form fields, so that each laureate's form keeps its own fields. */
export const prefixeEnveloppe = (conventionId: string) => `enveloppe-${conventionId}.`;

function FormulaireEnveloppe({ l, csrf, etat }: { l: VueLaureat; csrf: string; etat: EtatFormulaire | null }) {
  const p = prefixeEnveloppe(l.conventionId);
  const form = `enveloppe-${l.conventionId}`;
  const ctx = ctxDe(etat, form, {
    [`${p}montant_centimes`]: centimesToSaisie(l.enveloppe?.montantCentimes),
    [`${p}engage_centimes`]: centimesToSaisie(l.enveloppe?.engageCentimes ?? 0),
    [`${p}preuve_url`]: l.enveloppe?.preuveUrl ?? '',
  });
  return (
    <details open={etat?.form === form}>
      <summary>Enveloppe</summary>
      <form method="post" action={`/fast/enveloppes/${l.conventionId}`} novalidate>
        <Csrf csrf={csrf} />
        <ErreursFormulaire etat={etat} form={form} />
        <Input
          ctx={ctx}
          name={`${p}montant_centimes`}
          label={`Montant de l’enveloppe (€ TTC) : ${l.produit ?? l.reference ?? 'lauréat'}`}
          inputmode="decimal"
        />
        <Input ctx={ctx} name={`${p}engage_centimes`} label="Engagé déclaré (€ TTC)" inputmode="decimal" required />
        <Input ctx={ctx} name={`${p}preuve_url`} label="Preuve de l’engagement (lien)" hint="https://…" />
        <button class="fr-btn fr-btn--sm fr-mt-1w" type="submit">
          Enregistrer l’enveloppe
        </button>
      </form>
    </details>
  );
}

function Laureats({ p, csrf, etat }: { p: VuePromotion; csrf: string; etat: EtatFormulaire | null }) {
  if (p.laureats.length === 0) return <p>Aucun lauréat enregistré dans cette promotion.</p>;
  return (
    <div class="fr-table">
      <table>
        <caption>Lauréats de la promotion FAST {p.numero}</caption>
        <thead>
          <tr>
            <th scope="col">Produit</th>
            <th scope="col">Partenaire</th>
            <th scope="col">Cofinancement FAST</th>
            <th scope="col">Engagé (AE) / payé (CP)</th>
            <th scope="col">Tranches libérées</th>
            <th scope="col">Bilan de mi-parcours</th>
            <th scope="col">Enveloppe du partenaire</th>
          </tr>
        </thead>
        <tbody>
          {p.laureats.map((l) => (
            <tr>
              <td>
                <a href={`/conventions/${l.conventionId}/gouvernance`}>{l.produit ?? l.reference ?? 'Convention'}</a>
                {l.reference ? <p class="fr-text--sm fr-mb-0">{l.reference}</p> : null}
              </td>
              <td>{l.partenaire}</td>
              <td>{formatEuros(l.cofinancementCentimes)}</td>
              <td>
                {formatEuros(l.engageAeCentimes)} / {formatEuros(l.payeCpCentimes)}
              </td>
              <td>
                {l.tranchesLiberees.length ? l.tranchesLiberees.join(', ') : '—'}
                {l.trancheMiParcours ? (
                  <p class="fr-text--sm fr-mb-0">
                    le bilan libérerait la tranche {l.trancheMiParcours.rang} ({l.trancheMiParcours.partPct} %
                    {l.trancheMiParcours.aeCentimes !== null ? `, ${formatEuros(l.trancheMiParcours.aeCentimes)}` : ''})
                  </p>
                ) : null}
              </td>
              <td>
                <p class={`fr-badge fr-badge--sm ${REVUES[l.revue.etat][1]}`}>{REVUES[l.revue.etat][0]}</p>
                {l.revue.date ? <p class="fr-text--sm fr-mb-0">{formatDate(l.revue.date)}</p> : null}
              </td>
              <td>
                {l.enveloppe ? (
                  <>
                    {formatEuros(l.enveloppe.montantCentimes)}, engagé {formatEuros(l.enveloppe.engageCentimes)}
                    {l.enveloppe.echeance ? (
                      <p class="fr-text--sm fr-mb-0">à engager avant le {formatDate(l.enveloppe.echeance)}</p>
                    ) : null}
                    {l.enveloppe.alerte ? <p class="fr-text--sm fr-error-text fr-mb-0">{l.enveloppe.alerte}</p> : null}
                  </>
                ) : (
                  'Non fixée'
                )}
                <FormulaireEnveloppe l={l} csrf={csrf} etat={etat} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PromotionsPage({
  acteur,
  csrf,
  promotions,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  promotions: VuePromotion[];
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  const ctx = ctxDe(etat, 'promotion', {});
  return (
    <Page
      titre="Promotions FAST"
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Promotions FAST']]}
      flash={flash}
    >
      <h1>Promotions FAST</h1>
      <p>
        Chaque promotion a son calendrier et un plafond de cofinancement par lauréat. Le bilan de mi-parcours peut
        libérer la seconde tranche ; le partenaire engage son enveloppe de cofinancement dans les six mois de la
        signature.
      </p>
      <Refus etat={etat} />
      {promotions.length === 0 ? <p>Aucune promotion enregistrée.</p> : null}
      {promotions.map((p) => (
        <section class="fr-mb-6w" id={`promotion-${p.numero}`}>
          <h2>Promotion FAST {p.numero}</h2>
          <dl class="fiche">
            {CALENDRIER.map(([k, label]) => (
              <>
                <dt>{label}</dt>
                <dd>{dates(p)[k] ? formatDate(dates(p)[k]) : '—'}</dd>
              </>
            ))}
            <dt>Plafond par lauréat</dt>
            <dd>{formatEuros(p.plafondLaureatCentimes)}</dd>
          </dl>
          <Laureats p={p} csrf={csrf} etat={etat} />
        </section>
      ))}
      <Formulaire
        action="/fast/promotions"
        csrf={csrf}
        titre="Enregistrer une promotion"
        etat={etat}
        form="promotion"
        bouton="Enregistrer la promotion"
        id="nouvelle"
      >
        <div class="fr-fieldset__element">
          <Input ctx={ctx} name="numero" label="Numéro de la promotion" inputmode="numeric" required />
        </div>
        {CALENDRIER.map(([name, label]) => (
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name={name} label={label} hint="AAAA-MM-JJ" />
          </div>
        ))}
        <div class="fr-fieldset__element">
          <Input
            ctx={ctx}
            name="plafond_laureat_centimes"
            label="Plafond de cofinancement par lauréat (€ TTC)"
            inputmode="decimal"
          />
        </div>
      </Formulaire>
    </Page>
  );
}
