import type { Acteur } from '../../domain/acces.js';
import { LIBELLES_DECISIONS } from '../../domain/comite.js';
import { formatDate } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { LIBELLES_ETATS_RAPPORT, type EtatRapport } from '../../domain/rapport.js';
import {
  ENTETES_AE,
  ENTETES_CP,
  ENTETES_ENGAGEMENTS,
  ligneAvenant,
  lignesEngagements,
  tableauxDepenses,
} from '../../generators/rapport.js';
import type { VueRapport } from '../../usecases/rapport.js';
import { Input, Textarea } from './champs.js';
import { Page } from './layout.js';
import { ctxDe, Formulaire, Refus, type EtatFormulaire, type Flash } from './operation.js';

/** The end-of-term report of a convention: the figures from the ledger, the délégataire's sections, review, sending. */

const BADGE: Record<EtatRapport, string> = {
  a_rediger: 'fr-badge--warning',
  redige: 'fr-badge--info',
  relu: 'fr-badge--new',
  envoye: 'fr-badge--success',
};

function Tableau({ titre, entetes, lignes }: { titre: string; entetes: string[]; lignes: string[][] }) {
  return (
    <div class="fr-table fr-table--bordered">
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              <caption>{titre}</caption>
              <thead>
                <tr>
                  {entetes.map((e, i) => (
                    <th scope="col" class={i > 0 ? 'fr-cell--right' : undefined}>
                      {e}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {lignes.map((l) => (
                  <tr>{l.map((v, i) => (i === 0 ? <th scope="row">{v}</th> : <td class="fr-cell--right">{v}</td>))}</tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

export function RapportPage({
  acteur,
  csrf,
  v,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  v: VueRapport;
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  const c = v.convention;
  const libelle = c.reference ?? 'Convention';
  const r = v.rapport;
  const t = tableauxDepenses(v.contenu);
  const base = c.baseMontants;
  const api = `/api/v1/conventions/${c.id}/rapport`;
  const action = `/conventions/${c.id}/rapport`;
  const modifiable = v.etat !== 'envoye' && c.statut !== 'cloturee';
  const redaction = ctxDe(etat, 'redaction', { avancement: r.avancement, previsions: r.previsions });
  const envoi = ctxDe(etat, 'envoi', { date: v.aujourdHui, destinataires: c.delegant.nom });
  return (
    <Page
      titre={`Compte rendu de fin — ${libelle}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], [libelle, `/conventions/${c.id}`], ['Compte rendu de fin']]}
      flash={flash}
    >
      <h1>Compte rendu de fin de convention — {libelle}</h1>
      <p>
        <span class={`fr-badge ${BADGE[v.etat]}`}>{LIBELLES_ETATS_RAPPORT[v.etat]}</span>
      </p>
      <p>
        Au terme de la convention, le délégataire, {c.delegataire.nom}, rend compte au délégant, {c.delegant.nom}, des
        dépenses réalisées et de l’avancement des travaux, et présente les prévisions de commande et de consommation.
        Fin de la convention : <strong>{formatDate(v.echeance)}</strong>. La convention n’est clôturée qu’une fois ce
        compte rendu envoyé et ses derniers engagements payés ou soldés.
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <a class="fr-btn fr-btn--secondary fr-icon-download-line" href={`${api}.docx`}>
            Télécharger (DOCX)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary fr-icon-download-line" href={`${api}.pdf`}>
            Télécharger (PDF)
          </a>
        </li>
      </ul>
      <Refus etat={etat} />

      <h2>Dépenses réalisées</h2>
      <p>Montants en euros {base}, par année budgétaire.</p>
      <Tableau titre={`Autorisations d’engagement (AE ${base})`} entetes={ENTETES_AE} lignes={t.ae} />
      <Tableau titre={`Crédits de paiement (CP ${base})`} entetes={ENTETES_CP} lignes={t.cp} />

      <h2>Engagements juridiques</h2>
      {v.contenu.engagements.length ? (
        <Tableau
          titre="Engagements et leur numéro d’EJ Chorus"
          entetes={ENTETES_ENGAGEMENTS}
          lignes={lignesEngagements(v.contenu)}
        />
      ) : (
        <p>Aucun engagement n’a été passé sur cette convention.</p>
      )}

      <h2>Avenants et comités</h2>
      {v.contenu.avenants.length ? (
        <ul>
          {v.contenu.avenants.map((a) => (
            <li>{ligneAvenant(a)}</li>
          ))}
        </ul>
      ) : (
        <p>Aucun avenant signé.</p>
      )}
      {v.contenu.comites.length ? (
        <ul>
          {v.contenu.comites.map((k) => (
            <li>
              Comité du {formatDate(k.date)} : {k.decision ? LIBELLES_DECISIONS[k.decision.decision] : '—'}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune décision de comité enregistrée.</p>
      )}

      <h2>Crédits non consommés</h2>
      <p>
        {formatEuros(v.contenu.total.inutiliseAe)} d’AE ni engagés ni restitués,{' '}
        {formatEuros(v.contenu.total.inutiliseCp)} de CP ni payés ni restitués ;{' '}
        {formatEuros(v.contenu.total.restitueAe)} d’AE et {formatEuros(v.contenu.total.restitueCp)} de CP restitués au
        délégant.
      </p>

      <h2>Avancement et prévisions</h2>
      {r.redigeLe ? (
        <p class="fr-text--sm">
          Rédigé par {r.redigePar} le {formatDate(r.redigeLe.slice(0, 10))}
          {r.reluLe ? `, relu par ${r.reluPar} le ${formatDate(r.reluLe.slice(0, 10))}` : ''}
          {r.envoyeLe ? `, envoyé le ${formatDate(r.envoyeLe)} à ${r.destinataires} par ${r.envoyePar}` : ''}.
        </p>
      ) : null}
      {v.peutRediger && modifiable ? (
        <Formulaire
          action={action}
          csrf={csrf}
          titre="Sections rédigées par le délégataire"
          etat={etat}
          form="redaction"
          bouton="Enregistrer le compte rendu"
        >
          <div class="fr-fieldset__element">
            <Textarea
              ctx={redaction}
              name="avancement"
              label="Avancement des travaux"
              hint="Ce qui a été réalisé, livré, mesuré ; 20 000 caractères au plus."
              rows={8}
            />
          </div>
          <div class="fr-fieldset__element">
            <Textarea
              ctx={redaction}
              name="previsions"
              label="Prévisions de commande et de consommation"
              hint="Commandes et paiements restant à venir, suite envisagée."
              rows={6}
            />
          </div>
        </Formulaire>
      ) : (
        <>
          <h3>Avancement des travaux</h3>
          <p class="texte-saisi">{r.avancement || 'À compléter par le délégataire.'}</p>
          <h3>Prévisions de commande et de consommation</h3>
          <p class="texte-saisi">{r.previsions || 'À compléter par le délégataire.'}</p>
        </>
      )}
      {v.etat === 'redige' && v.peutRelire && modifiable ? (
        <Formulaire
          action={`${action}/relecture`}
          csrf={csrf}
          titre="Relecture par la DINUM"
          etat={etat}
          form="relecture"
          bouton="Marquer comme relu"
        />
      ) : null}
      {v.etat === 'relu' && v.peutRediger && modifiable ? (
        <Formulaire
          action={`${action}/envoi`}
          csrf={csrf}
          titre="Envoi au délégant"
          etat={etat}
          form="envoi"
          bouton="Consigner l’envoi"
        >
          <div class="fr-fieldset__element">
            <Input ctx={envoi} name="date" label="Date d’envoi" hint="AAAA-MM-JJ" type="date" required />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={envoi} name="destinataires" label="Destinataires" required />
          </div>
        </Formulaire>
      ) : null}
    </Page>
  );
}
