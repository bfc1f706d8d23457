import { peutDeroger, peutGererCredits, type Acteur } from '../../domain/acces.js';
import type { ConventionCredits } from '../../domain/credit.js';
import { formatDate } from '../../domain/dates.js';
import { peutCloturer } from '../../domain/exercice.js';
import { LIBELLES_ETAPES } from '../../domain/insuffisance.js';
import type { CasEnCours, VueInsuffisance } from '../../usecases/insuffisance.js';
import { Input, Select } from './champs.js';
import { Page } from './layout.js';
import { ctxDe, Formulaire, Refus, type EtatFormulaire, type Flash } from './operation.js';
import { instantEnMots } from './libelles.js';

/** The insufficiency cases of a convention (Article 5), with the step each one is at and the forms of the next. */

export function InsuffisancesPage({
  acteur,
  csrf,
  convention,
  cas,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  convention: ConventionCredits;
  cas: VueInsuffisance[];
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  const libelle = convention.reference ?? 'Convention';
  const base = `/conventions/${convention.id}/insuffisances`;
  return (
    <Page
      titre={`Insuffisances — ${libelle}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], [libelle, `/conventions/${convention.id}`], ['Insuffisances de crédits']]}
      flash={flash}
    >
      <h1>Insuffisances de crédits — {libelle}</h1>
      <p>
        Article 5 : en cas d’insuffisance des crédits, le délégataire en informe le délégant, qui ajuste la dotation ou
        la refuse ; sans ajustement, l’exécution est suspendue. Les crédits non consommés à la fin de la convention sont
        aussi signalés au délégant.
      </p>
      <Refus etat={etat} />
      {cas.length === 0 ? <p>Aucune insuffisance.</p> : null}
      {cas.map((x) => (
        <section class="fr-mb-4w">
          <h2>
            {x.nature === 'credits'
              ? `Insuffisance de crédits${x.annee ? ` ${x.annee}` : ''}`
              : 'Crédits non consommés à la fin'}
            {' — '}
            {LIBELLES_ETAPES[x.etape]}
          </h2>
          <p>
            Ouvert le {instantEnMots(x.ouvertLe)} ({x.ouvertPar}){x.nature === 'credits' ? ` ; ${x.nbRefus} refus` : ''}
            . {typeof x.details.message === 'string' ? x.details.message : ''}
          </p>
          {x.suspensionProposee ? (
            <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
              <p>Sans ajustement dans le délai, la suspension de la convention est proposée à un administrateur.</p>
            </div>
          ) : null}
          {x.information ? (
            <p>
              Délégant informé le {formatDate(x.information.date)} ({x.information.moyen}) par {x.information.auteur}
              {x.information.justification ? ` : ${x.information.justification}` : ''}.
            </p>
          ) : null}
          {x.reponse ? (
            <p>
              Réponse du {formatDate(x.reponse.date)} :{' '}
              {x.reponse.decision === 'ajustement' ? 'dotation ajustée' : 'ajustement refusé'} — {x.reponse.motif} (
              {x.reponse.auteur}).
            </p>
          ) : null}
          {!x.information && !x.reponse && peutGererCredits(acteur, convention) ? (
            <Formulaire
              action={`${base}/${x.id}/information`}
              csrf={csrf}
              titre="Informer le délégant"
              etat={etat}
              form={`information-${x.id}`}
              bouton="Consigner l’information"
            >
              {(
                [
                  ['date', 'Date', 'AAAA-MM-JJ'],
                  ['moyen', 'Moyen (courriel, courrier…)', ''],
                  ['justification', 'Justification du besoin', ''],
                ] as const
              ).map(([name, label, hint]) => (
                <div class="fr-fieldset__element">
                  <Input
                    ctx={ctxDe(etat, `information-${x.id}`, {})}
                    name={name}
                    label={label}
                    hint={hint || undefined}
                  />
                </div>
              ))}
            </Formulaire>
          ) : null}
          {x.information && !x.reponse && peutCloturer(acteur, convention) ? (
            <Formulaire
              action={`${base}/${x.id}/reponse`}
              csrf={csrf}
              titre="Réponse du délégant"
              etat={etat}
              form={`reponse-${x.id}`}
              bouton="Consigner la réponse"
            >
              <div class="fr-fieldset__element">
                <Select
                  ctx={ctxDe(etat, `reponse-${x.id}`, { decision: 'refus', annee: String(x.annee ?? '') })}
                  name="decision"
                  label="Décision"
                  options={[
                    ['refus', 'Refus d’ajuster la dotation'],
                    ...(peutDeroger(acteur)
                      ? ([['ajustement', 'Ajustement de la dotation (mise à disposition datée)']] as [string, string][])
                      : []),
                  ]}
                />
              </div>
              {(
                [
                  ['date', 'Date de la réponse', 'AAAA-MM-JJ'],
                  ['motif', 'Motif', ''],
                  ...(peutDeroger(acteur)
                    ? [
                        ['annee', 'Ajustement : année', 'l’année dont la dotation change'],
                        [
                          'ae_centimes',
                          'Ajustement : AE mises à disposition (€ TTC)',
                          'la nouvelle dotation de l’année',
                        ],
                        ['cp_centimes', 'Ajustement : CP mis à disposition (€ TTC)', ''],
                      ]
                    : []),
                ] as [string, string, string][]
              ).map(([name, label, hint]) => (
                <div class="fr-fieldset__element">
                  <Input
                    ctx={ctxDe(etat, `reponse-${x.id}`, { annee: String(x.annee ?? '') })}
                    name={name}
                    label={label}
                    hint={hint || undefined}
                    inputmode={name === 'date' || name === 'motif' ? undefined : 'decimal'}
                  />
                </div>
              ))}
            </Formulaire>
          ) : null}
        </section>
      ))}
    </Page>
  );
}

/** Every case still to act on across the conventions one may see, and, for an administrator, the delay. */
export function InsuffisancesEnCoursPage({
  acteur,
  csrf,
  cas,
  delai,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  cas: CasEnCours[];
  delai: number;
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  return (
    <Page
      titre="Insuffisances de crédits en cours"
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Crédits', '/credits'], ['Insuffisances en cours']]}
      flash={flash}
    >
      <h1>Insuffisances de crédits en cours</h1>
      <p>
        Cas sans réponse du délégant, ou dont l’ajustement a été refusé. Sans ajustement {delai} jours après l’ouverture
        du cas, la suspension de la convention est proposée.
      </p>
      <Refus etat={etat} />
      {cas.length === 0 ? (
        <p>Aucune insuffisance en cours.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Cas en cours ({cas.length})</caption>
            <thead>
              <tr>
                <th scope="col">Convention</th>
                <th scope="col">Nature</th>
                <th scope="col">Ouvert le</th>
                <th scope="col">Étape</th>
                <th scope="col">Suspension</th>
              </tr>
            </thead>
            <tbody>
              {cas.map((x) => (
                <tr>
                  <td>
                    <a href={`/conventions/${x.conventionId}/insuffisances`}>{x.libelle}</a>
                  </td>
                  <td>
                    {x.nature === 'credits'
                      ? `Insuffisance de crédits${x.annee ? ` ${x.annee}` : ''} (${x.nbRefus} refus)`
                      : 'Crédits non consommés à la fin'}
                  </td>
                  <td>{instantEnMots(x.ouvertLe)}</td>
                  <td>{LIBELLES_ETAPES[x.etape]}</td>
                  <td>{x.suspensionProposee ? <p class="fr-badge fr-badge--error">Proposée</p> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {peutDeroger(acteur) ? (
        <Formulaire
          action="/insuffisances/delai"
          csrf={csrf}
          titre="Délai avant la proposition de suspension"
          etat={etat}
          form="delai"
          bouton="Enregistrer le délai"
        >
          <div class="fr-fieldset__element">
            <Input
              ctx={ctxDe(etat, 'delai', { delai_jours: String(delai) })}
              name="delai_jours"
              label="Délai (jours)"
              hint="entre 7 et 365 jours après l’ouverture du cas"
              inputmode="numeric"
            />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctxDe(etat, 'delai', {})} name="motif" label="Motif de la modification" />
          </div>
        </Formulaire>
      ) : null}
    </Page>
  );
}
