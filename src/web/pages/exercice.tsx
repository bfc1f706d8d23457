import type { Acteur } from '../../domain/acces.js';
import { formatDate } from '../../domain/dates.js';
import { peutDeroger } from '../../domain/acces.js';
import { formatEuros } from '../../domain/money.js';
import type { BilanConvention, LigneExercice, VueExercice } from '../../usecases/exercice.js';
import { lignesBilan } from '../api/exercice.js';
import { Input } from './champs.js';
import { Page } from './layout.js';
import { Csrf, ctxDe, Formulaire, Refus, type EtatFormulaire, type Flash } from './operation.js';
import { instantEnMots } from './libelles.js';

/** Year-end closing pages: the exercise over the portfolio, and one convention's statement of the year. */

function Proposition({ l }: { l: LigneExercice }) {
  if (l.cloture)
    return (
      <>
        Clos le {instantEnMots(l.cloture.closLe)} par {l.cloture.acteurNom}
      </>
    );
  const p = l.proposition;
  if (!p) return <>Clos avec le portefeuille</>;
  if (p.inutiliseAe === 0 && p.inutiliseCp === 0) return <>Rien d’inutilisé</>;
  return (
    <>
      {p.report.aeCentimes || p.report.cpCentimes
        ? `Report sur l’année suivante : ${formatEuros(p.report.aeCentimes)} d’AE, ${formatEuros(p.report.cpCentimes)} de CP (accord du délégant). `
        : ''}
      {p.restitution.aeCentimes || p.restitution.cpCentimes
        ? `Restitution : ${formatEuros(p.restitution.aeCentimes)} d’AE, ${formatEuros(p.restitution.cpCentimes)} de CP.`
        : ''}
    </>
  );
}

function BoutonCloture({
  annee,
  csrf,
  conventionId,
  libelle,
}: {
  annee: number;
  csrf: string;
  conventionId?: string;
  libelle: string;
}) {
  return (
    <form method="post" action={`/exercices/${annee}/cloture`}>
      <Csrf csrf={csrf} />
      {conventionId ? <input type="hidden" name="convention_id" value={conventionId} /> : null}
      <button class={`fr-btn${conventionId ? ' fr-btn--sm fr-btn--secondary' : ''}`} type="submit">
        {libelle}
      </button>
    </form>
  );
}

export function ExercicePage({
  acteur,
  csrf,
  vue,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  vue: VueExercice;
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  const { annee } = vue.calendrier;
  const cal = vue.calendrier;
  const ouverte = vue.aujourdHui >= cal.ouvertureCloture;
  const aClore = vue.conventions.filter((l) => l.peutCloturer);
  return (
    <Page
      titre={`Exercice ${annee}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Crédits', '/credits'], [`Exercice ${annee}`]]}
      flash={flash}
    >
      <h1>Clôture de gestion de l’exercice {annee}</h1>
      <p>
        Clôture possible à compter du {formatDate(cal.ouvertureCloture)} ; accords de report du délégant jusqu’au{' '}
        {formatDate(cal.limiteReport)} ; clôture attendue au plus tard le {formatDate(cal.limiteCloture)}. Une fois
        l’exercice clos, plus aucun mouvement daté de {annee} ne peut être enregistré ; les crédits inutilisés sont
        reportés sur {annee + 1} selon l’accord du délégant, le reste est restitué.
      </p>
      {vue.portefeuille ? (
        <div class="fr-alert fr-alert--info fr-mb-3w">
          <p>
            Exercice clos pour tout le portefeuille le {instantEnMots(vue.portefeuille.closLe)} par{' '}
            {vue.portefeuille.acteurNom}.
          </p>
        </div>
      ) : null}
      <Refus etat={etat} />
      {ouverte && aClore.length > 0 ? (
        <BoutonCloture
          annee={annee}
          csrf={csrf}
          libelle={`Clore l’exercice ${annee} pour ${aClore.length} convention(s)`}
        />
      ) : null}
      <div class="fr-table fr-mt-3w">
        <table>
          <caption>Conventions de l’exercice {annee}</caption>
          <thead>
            <tr>
              <th scope="col">Convention</th>
              <th scope="col">AE mises à disposition</th>
              <th scope="col">AE engagées</th>
              <th scope="col">CP payés</th>
              <th scope="col">AE / CP inutilisés</th>
              <th scope="col">Clôture</th>
            </tr>
          </thead>
          <tbody>
            {vue.conventions.length === 0 ? (
              <tr>
                <td colspan={6}>Aucune convention n’a de crédits sur {annee}.</td>
              </tr>
            ) : null}
            {vue.conventions.map((l) => (
              <tr>
                <td>
                  <a href={`/conventions/${l.conventionId}/exercices/${annee}/bilan`}>{l.libelle}</a>
                </td>
                <td>{formatEuros(l.bilan.misADispositionAe)}</td>
                <td>{formatEuros(l.bilan.engageAe)}</td>
                <td>{formatEuros(l.bilan.payeCp)}</td>
                <td>
                  {formatEuros(l.bilan.inutiliseAe)} / {formatEuros(l.bilan.inutiliseCp)}
                </td>
                <td>
                  <Proposition l={l} />
                  {ouverte && l.peutCloturer ? (
                    <BoutonCloture
                      annee={annee}
                      csrf={csrf}
                      conventionId={l.conventionId}
                      libelle="Clore cette convention"
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {peutDeroger(acteur) ? (
        <Formulaire
          action={`/exercices/${annee}/calendrier`}
          csrf={csrf}
          titre={`Dates de l’exercice ${annee} (cet exercice seulement)`}
          etat={etat}
          form="calendrier"
          bouton="Enregistrer les dates"
        >
          {(
            [
              ['ouverture_cloture', 'Ouverture de la clôture'],
              ['limite_report', 'Date limite des accords de report'],
              ['limite_cloture', 'Clôture attendue au plus tard le'],
            ] as const
          ).map(([name, label]) => (
            <div class="fr-fieldset__element">
              <Input
                ctx={ctxDe(etat, 'calendrier', {
                  ouverture_cloture: cal.ouvertureCloture,
                  limite_report: cal.limiteReport,
                  limite_cloture: cal.limiteCloture,
                })}
                name={name}
                label={label}
                hint="AAAA-MM-JJ"
              />
            </div>
          ))}
        </Formulaire>
      ) : null}
    </Page>
  );
}

export function BilanPage({
  acteur,
  csrf,
  b,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  b: BilanConvention;
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  const { annee } = b.calendrier;
  const c = b.convention;
  const l = b.ligne;
  const lien = `/api/v1/conventions/${c.id}/exercices/${annee}/bilan`;
  const libelle = c.reference ?? 'Convention';
  return (
    <Page
      titre={`Bilan ${annee} — ${libelle}`}
      acteur={acteur}
      csrf={csrf}
      fil={[
        ['Accueil', '/'],
        [libelle, `/conventions/${c.id}`],
        ['Crédits', `/conventions/${c.id}/credits?annee=${annee}`],
        [`Bilan ${annee}`],
      ]}
      flash={flash}
    >
      <h1>
        Bilan de l’exercice {annee} — {libelle}
      </h1>
      <p>
        {b.closLe
          ? `Exercice clos le ${instantEnMots(b.closLe)} : bilan définitif, à transmettre au délégant.`
          : `Exercice ouvert : bilan provisoire, à la date du jour.`}{' '}
        Montants {c.baseMontants}. <a href={`/exercices/${annee}`}>Tout l’exercice {annee}</a>
      </p>
      <Refus etat={etat} />
      <div class="fr-table">
        <table>
          <caption>Bilan {annee}</caption>
          <thead>
            <tr>
              <th scope="col">Rubrique</th>
              <th scope="col">AE {annee}</th>
              <th scope="col">CP {annee}</th>
            </tr>
          </thead>
          <tbody>
            {lignesBilan(l.bilan).map((x) => (
              <tr>
                <th scope="row">{x.rubrique}</th>
                <td>{x.ae === null ? '—' : formatEuros(x.ae)}</td>
                <td>{x.cp === null ? '—' : formatEuros(x.cp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${lien}.csv`}>
            Télécharger (CSV)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${lien}.xlsx`}>
            Télécharger (XLSX)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${lien}.pdf`}>
            Télécharger (PDF)
          </a>
        </li>
      </ul>
      <h2>Clôture</h2>
      <p>
        <Proposition l={l} />
      </p>
      {l.accord ? (
        <p>
          Accord du délégant sur un report : {l.accord.auteur}, le {formatDate(l.accord.dateAccord)} (consigné par{' '}
          {l.accord.acteurNom} le {instantEnMots(l.accord.enregistreLe)}).
        </p>
      ) : null}
      {l.peutCloturer ? (
        <>
          <Formulaire
            action={`/conventions/${c.id}/exercices/${annee}/accord-report`}
            csrf={csrf}
            titre={`Accord du délégant sur un report (au plus tard le ${formatDate(b.calendrier.limiteReport)})`}
            etat={etat}
            form="accord"
            bouton="Consigner l’accord"
          >
            {(
              [
                ['date_accord', 'Date de l’accord', 'AAAA-MM-JJ'],
                ['auteur', 'Donné par (nom et qualité, pour le délégant)', ''],
                ['ae_centimes', 'AE à reporter (€)', 'vide : toutes les AE inutilisées'],
                ['cp_centimes', 'CP à reporter (€)', 'vide : tous les CP inutilisés'],
              ] as const
            ).map(([name, label, hint]) => (
              <div class="fr-fieldset__element">
                <Input ctx={ctxDe(etat, 'accord', {})} name={name} label={label} hint={hint || undefined} />
              </div>
            ))}
          </Formulaire>
          {b.ligne.peutCloturer && !b.closLe ? (
            <BoutonCloture
              annee={annee}
              csrf={csrf}
              conventionId={c.id}
              libelle={`Clore l’exercice ${annee} de cette convention`}
            />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
