import { peutDeciderCredits, peutDeroger, peutGererCredits, type Acteur } from '../../domain/acces.js';
import { dateDansAnnee } from '../../domain/calendrier.js';
import { formatDate } from '../../domain/dates.js';
import type { Engagement } from '../../domain/engagement.js';
import type { Proposition } from '../../domain/proposition.js';
import { formatEuros as m } from '../../domain/money.js';
import type { AlerteEnregistree } from '../../domain/alerte.js';
import type { Mouvement, PointSerie } from '../../domain/credit.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Decisions } from './credit-decision.js';
import { Graphique } from './credit-graphique.js';
import { FormulaireEngagement, TableauEngagements } from './engagement-liste.js';
import { Page } from './layout.js';
import { instantEnMots, titreConvention, TYPES_MOUVEMENT } from './libelles.js';
import { Refus, type EtatFormulaire, type Flash } from './operation.js';
import { Propositions } from './proposition.js';

/** A convention's credits page: the years' availability, the year's chart, its orders and proposals, the decisions on its credits. */

function TableauAnnees({ v, annee, id }: { v: VueCredits; annee: number; id: string }) {
  return (
    <div class="fr-table">
      <table>
        <caption>Crédits par année (montants {v.convention.baseMontants})</caption>
        <thead>
          <tr>
            <th scope="col">Année</th>
            <th scope="col">AE prévues</th>
            <th scope="col">AE ouvertes</th>
            <th scope="col">AE engagées</th>
            <th scope="col">Service fait</th>
            <th scope="col">AE disponibles</th>
            <th scope="col">CP prévus</th>
            <th scope="col">CP ouverts</th>
            <th scope="col">CP payés</th>
            <th scope="col">CP disponibles</th>
          </tr>
        </thead>
        <tbody>
          {v.annees.length === 0 ? (
            <tr>
              <td colspan={10}>
                Aucun crédit : la convention n’a pas d’échéancier ou n’est pas encore signée et validée.
              </td>
            </tr>
          ) : null}
          {v.annees.map((l) => (
            <tr aria-current={l.annee === annee ? 'true' : undefined}>
              <th scope="row">
                <a href={`/conventions/${id}/credits?annee=${l.annee}`}>{l.annee}</a>
              </th>
              <td class="montant">
                {l.prevuAe === null ? <span class="non-renseigne">Non indiqué</span> : m(l.prevuAe)}
              </td>
              <td class="montant">{m(l.totaux.ouvertAe)}</td>
              <td class="montant">{m(l.totaux.engageAe)}</td>
              <td class="montant">{m(l.totaux.certifie)}</td>
              <td class="montant">
                <strong>{m(l.disponibleAe)}</strong>
              </td>
              <td class="montant">
                {l.prevuCp === null ? <span class="non-renseigne">Non indiqué</span> : m(l.prevuCp)}
              </td>
              <td class="montant">{m(l.totaux.ouvertCp)}</td>
              <td class="montant">{m(l.totaux.payeCp)}</td>
              <td class="montant">
                <strong>{m(l.disponibleCp)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Projection({ v, annee }: { v: VueCredits; annee: number }) {
  const l = v.annees.find((a) => a.annee === annee);
  if (!l || !l.projection) return null;
  const p = l.projection;
  return (
    <div class="fr-callout fr-mb-3w">
      <h3 class="fr-callout__title">Projection de fin d’année {annee}</h3>
      <p class="fr-callout__text">
        {p.significative
          ? 'Au rythme constaté depuis l’ouverture des crédits'
          : 'Les crédits sont ouverts depuis moins d’un mois : projection indicative'}{' '}
        : {m(p.aeProjete)} d’AE engagées à la date limite des engagements ({m(p.aeInutilise)} non engagées) et{' '}
        {m(p.cpProjete)} de CP payés à la date limite des paiements ({m(p.cpInutilise)} non payés).
      </p>
    </div>
  );
}

/** Availability movements (release, carry-over, return) and the state of each tranche. */
function Disponibilites({ v, disponibilites }: { v: VueCredits; disponibilites: Mouvement[] }) {
  const c = v.convention;
  return (
    <>
      <h2 class="fr-mt-4w">Mises à disposition, reports et restitutions</h2>
      <div class="fr-table">
        <table>
          <caption>Mouvements de disponibilité</caption>
          <thead>
            <tr>
              <th scope="col">Année</th>
              <th scope="col">Date</th>
              <th scope="col">Mouvement</th>
              <th scope="col">AE</th>
              <th scope="col">CP</th>
              <th scope="col">Motif</th>
              <th scope="col">Par</th>
            </tr>
          </thead>
          <tbody>
            {disponibilites.length === 0 ? (
              <tr>
                <td colspan={7}>Aucun mouvement.</td>
              </tr>
            ) : null}
            {disponibilites.map((d) => (
              <tr>
                <td>{d.annee}</td>
                <td>{formatDate(d.dateOperation)}</td>
                <td>{TYPES_MOUVEMENT[d.type]}</td>
                <td class="montant">{m(d.ouvertAe)}</td>
                <td class="montant">{m(d.ouvertCp)}</td>
                <td>{d.motif}</td>
                <td>{d.acteurNom}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.tranches.length ? (
        <ul>
          {c.tranches.map((t, i) => {
            const lib = c.liberations.find((l) => l.rang === i + 1);
            return (
              <li>
                Tranche {i + 1} ({t.partPct.toLocaleString('fr-FR')} %) :{' '}
                {i === 0
                  ? 'libérée à la signature'
                  : lib
                    ? `libérée le ${formatDate(lib.dateEffet)}${lib.decideur ? ` par ${lib.decideur}` : ''} — ${lib.motif}`
                    : `non libérée${t.condition ? ` (${t.condition})` : ''}`}
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}

function RefusEnregistres({ refus }: { refus: AlerteEnregistree[] }) {
  return (
    <>
      <h2 class="fr-mt-4w">Refus enregistrés</h2>
      {refus.length === 0 ? (
        <p>Aucun refus.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Refus et insuffisances de crédits (les plus récents d’abord)</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Code</th>
                <th scope="col">Message</th>
                <th scope="col">Demandé par</th>
                <th scope="col">Suite</th>
              </tr>
            </thead>
            <tbody>
              {refus.map((a) => (
                <tr>
                  <td>
                    <time datetime={a.le}>{instantEnMots(a.le)}</time>
                  </td>
                  <td>
                    <code>{a.code}</code>
                  </td>
                  <td>
                    {a.message}
                    {a.destinataire === 'delegant' ? <span class="fr-hint-text">À signaler au délégant</span> : null}
                  </td>
                  <td>{a.acteurNom}</td>
                  <td>{a.traiteeLe ? `Traitée par ${a.traiteePar}` : 'À traiter'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function CreditsPage(props: {
  acteur: Acteur;
  csrf: string;
  v: VueCredits;
  annee: number;
  engagements: { items: Engagement[]; total: number; page: number; taille: number };
  disponibilites: Mouvement[];
  serie: PointSerie[];
  refus: AlerteEnregistree[];
  propositions: Proposition[];
  etat: EtatFormulaire | null;
  flash: Flash;
}) {
  const { acteur, csrf, v, annee, etat } = props;
  const c = v.convention;
  const id = c.id;
  const titre = titreConvention(c);
  const ligne = v.annees.find((a) => a.annee === annee);
  return (
    <Page
      titre={`Crédits — ${titre}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Conventions', '/conventions'], [titre, `/conventions/${id}`], ['Crédits']]}
      flash={props.flash}
    >
      <h1>Crédits et engagements — {titre}</h1>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/conventions/${id}`}>
          Fiche de la convention
        </a>
        {' · '}
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/conventions/${id}/credits/engagements.csv`}>
          Bons de commande (CSV)
        </a>
        {' · '}
        <a
          class="fr-link fr-icon-download-line fr-link--icon-left"
          href={`/conventions/${id}/credits/engagements.xlsx`}
        >
          Bons de commande (XLSX)
        </a>
        {' · '}
        <a class="fr-link" href={`/conventions/${id}/exercices/${annee}/bilan`}>
          Bilan et clôture {annee}
        </a>
        {' · '}
        <a class="fr-link" href={`/conventions/${id}/insuffisances`}>
          Insuffisances de crédits
        </a>
      </p>

      <Refus etat={etat} />

      {v.alertes.length ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <h2 class="fr-alert__title">Alertes</h2>
          <ul>
            {v.alertes.map((a) => (
              <li>{a.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <TableauAnnees v={v} annee={annee} id={id} />
      <Projection v={v} annee={annee} />

      {ligne ? (
        <>
          <h2 class="fr-mt-4w">Consommation {annee}</h2>
          <Graphique
            serie={props.serie}
            annee={annee}
            ouvertAe={ligne.totaux.ouvertAe}
            ouvertCp={ligne.totaux.ouvertCp}
            aujourdHui={v.aujourdHui}
            limiteAe={dateDansAnnee(v.parametres.limiteEngagements, annee)}
            limiteCp={dateDansAnnee(v.parametres.limitePaiements, annee)}
          />
        </>
      ) : null}

      <h2 class="fr-mt-4w" id="engagements">
        Bons de commande
      </h2>
      <TableauEngagements
        engagements={props.engagements.items}
        total={props.engagements.total}
        page={props.engagements.page}
        taille={props.engagements.taille}
        id={id}
        annee={annee}
      />
      {peutGererCredits(acteur, c) ? (
        <FormulaireEngagement v={v} annee={annee} csrf={csrf} etat={etat} admin={peutDeroger(acteur)} />
      ) : null}

      <Propositions acteur={acteur} csrf={csrf} v={v} annee={annee} propositions={props.propositions} etat={etat} />

      <Disponibilites v={v} disponibilites={props.disponibilites} />

      {peutDeciderCredits(acteur) ? <Decisions acteur={acteur} csrf={csrf} v={v} annee={annee} etat={etat} /> : null}

      <RefusEnregistres refus={props.refus} />
    </Page>
  );
}
