import { peutDeroger, peutGererCredits, type Acteur } from '../../domain/acces.js';
import { formatDate } from '../../domain/dates.js';
import {
  etatEngagement,
  LIBELLES_ETAT_ENGAGEMENT,
  resteACertifier,
  resteAPayer,
  type Engagement,
} from '../../domain/engagement.js';
import { centimesToSaisie, formatEuros as m } from '../../domain/money.js';
import type { Mouvement } from '../../domain/credit.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Input, Select } from './champs.js';
import { Page } from './layout.js';
import { BADGE_ETAT, instantEnMots, titreConvention, TYPES_MOUVEMENT } from './libelles.js';
import { Confirmation, ctxDe, Formulaire, Refus, type EtatFormulaire, type Flash } from './operation.js';

/** An order's page (bon de commande): what was ordered, its history, and the forms of its next movements. */

function FicheEngagement({ e }: { e: Engagement }) {
  return (
    <dl class="fiche">
      <dt>Titulaire</dt>
      <dd>{e.titulaire}</dd>
      <dt>Marché-cadre</dt>
      <dd>{e.marche ?? '—'}</dd>
      <dt>Devis</dt>
      <dd>{e.devis ?? '—'}</dd>
      <dt>Objet</dt>
      <dd>{e.objet}</dd>
      <dt>Produit servi</dt>
      <dd>{e.produit ?? '—'}</dd>
      <dt>Année budgétaire</dt>
      <dd>{e.annee}</dd>
      <dt>Date de commande</dt>
      <dd>{formatDate(e.dateEngagement)}</dd>
      <dt>Fin de prestation prévue</dt>
      <dd>{formatDate(e.dateFinPrestation)}</dd>
      <dt>Montant</dt>
      <dd>
        {m(e.montantCentimes)} {e.baseMontant} (TVA {String(e.tauxTva).replace('.', ',')} %)
      </dd>
      <dt>Montant imputé sur les crédits</dt>
      <dd>{m(e.montantImputeCentimes)}</dd>
      <dt>Date de la commande</dt>
      <dd>{formatDate(e.dateEngagement)}</dd>
      <dt>Enregistré le</dt>
      <dd>
        <time datetime={e.creeLe}>{instantEnMots(e.creeLe)}</time> par {e.acteurNom}
      </dd>
      <dt>AE libérées</dt>
      <dd>{m(e.libereCentimes)}</dd>
      <dt>Service fait</dt>
      <dd>
        {m(e.certifieCentimes)} (reste à certifier : {m(resteACertifier(e))})
      </dd>
      <dt>Payé</dt>
      <dd>
        {m(e.payeCentimes)} (reste à payer sur service fait : {m(resteAPayer(e))})
      </dd>
    </dl>
  );
}

function Historique({ mouvements }: { mouvements: Mouvement[] }) {
  return (
    <div class="fr-table">
      <table>
        <caption>Historique</caption>
        <thead>
          <tr>
            <th scope="col">Date d’effet</th>
            <th scope="col">Mouvement</th>
            <th scope="col">Montant</th>
            <th scope="col">Détail</th>
            <th scope="col">Enregistré le</th>
            <th scope="col">Enregistré par</th>
          </tr>
        </thead>
        <tbody>
          {mouvements.map((x) => (
            <tr>
              <td>{formatDate(x.dateOperation)}</td>
              <td>{TYPES_MOUVEMENT[x.type]}</td>
              <td class="montant">
                {m(x.type === 'paiement' ? x.payeCp : x.type === 'service_fait' ? x.certifie : x.engageAe)}
              </td>
              <td>
                {[
                  x.pourcentage !== null ? `${x.pourcentage.toLocaleString('fr-FR')} % de la commande` : null,
                  x.certificateur ? `certifié par ${x.certificateur}` : null,
                  x.type === 'paiement' ? `${x.reference} (CP ${x.annee})` : null,
                  x.motif && x.type !== 'engagement' ? x.motif : null,
                  x.derogation ? `dérogation : ${x.derogation}` : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              <td>
                <time datetime={x.enregistreLe}>{instantEnMots(x.enregistreLe)}</time>
              </td>
              <td>{x.acteurNom}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The forms of an order's next movements, each shown only when it can still apply. */
function OperationsEngagement({
  acteur,
  csrf,
  v,
  e,
  etat,
}: {
  acteur: Acteur;
  csrf: string;
  v: VueCredits;
  e: Engagement;
  etat: EtatFormulaire | null;
}) {
  const base = `/conventions/${v.convention.id}/credits/engagements/${e.id}`;
  const admin = peutDeroger(acteur);
  const csf = ctxDe(etat, 'service_fait', { mode: 'montant', date: v.aujourdHui });
  const cp = ctxDe(etat, 'paiement', {
    date: v.aujourdHui,
    montant_centimes: centimesToSaisie(resteAPayer(e) || null),
  });
  const cs = ctxDe(etat, 'solde', { montant_reel_centimes: centimesToSaisie(e.certifieCentimes) });
  const ca = ctxDe(etat, 'annulation', {});
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      {e.statut !== 'annule' && resteACertifier(e) > 0 ? (
        <div class="fr-col-12 fr-col-md-6">
          <Formulaire
            action={`${base}/service-fait`}
            csrf={csrf}
            titre="Constater le service fait"
            etat={etat}
            form="service_fait"
            bouton="Constater"
          >
            <div class="fr-fieldset__element">
              <Select
                ctx={csf}
                name="mode"
                label="Le service fait porte sur"
                options={[
                  ['montant', 'Un montant'],
                  ['pourcentage', 'Un pourcentage de la commande'],
                  ['total', 'Tout le reste de la commande'],
                ]}
              />
            </div>
            <div class="fr-fieldset__element">
              <Input
                ctx={csf}
                name="montant_centimes"
                label="Montant (€)"
                hint="si « un montant »"
                inputmode="decimal"
              />
            </div>
            <div class="fr-fieldset__element">
              <Input
                ctx={csf}
                name="pourcentage"
                label="Pourcentage de la commande"
                hint="si « un pourcentage », ex. 60 ou 33,33"
                inputmode="decimal"
              />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={csf} name="date" label="Date du service fait" type="date" />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={csf} name="certificateur" label="Certifié par" hint={`par défaut : ${acteur.nom}`} />
            </div>
          </Formulaire>
        </div>
      ) : null}
      {resteAPayer(e) > 0 ? (
        <div class="fr-col-12 fr-col-md-6">
          <Formulaire
            action={`${base}/paiement`}
            csrf={csrf}
            titre="Enregistrer un paiement"
            etat={etat}
            form="paiement"
            bouton="Enregistrer le paiement"
          >
            <div class="fr-fieldset__element">
              <Input ctx={cp} name="montant_centimes" label="Montant (€)" inputmode="decimal" required />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={cp} name="reference" label="Référence de la facture ou de la demande de paiement" required />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={cp} name="date" label="Date du paiement" type="date" />
            </div>
            {admin ? (
              <div class="fr-fieldset__element">
                <Input
                  ctx={cp}
                  name="derogation_motif"
                  label="Motif de dérogation au calendrier"
                  hint="administrateur : seulement après la date limite"
                />
              </div>
            ) : null}
          </Formulaire>
        </div>
      ) : null}
      {e.statut === 'actif' ? (
        <>
          <div class="fr-col-12 fr-col-md-6">
            <Formulaire
              action={`${base}/solde`}
              csrf={csrf}
              titre="Solder au montant réel (libère le reste des AE)"
              etat={etat}
              form="solde"
              bouton="Solder"
            >
              <div class="fr-fieldset__element">
                <Input
                  ctx={cs}
                  name="montant_reel_centimes"
                  label="Montant réel (€)"
                  hint="par défaut le service fait constaté"
                  inputmode="decimal"
                />
              </div>
              <div class="fr-fieldset__element">
                <Input ctx={cs} name="motif" label="Motif" />
              </div>
              <Confirmation
                ctx={cs}
                label="Je confirme le solde : la commande est close et les AE non consommées sont libérées, sans retour possible."
              />
            </Formulaire>
          </div>
          {e.certifieCentimes === 0 ? (
            <div class="fr-col-12 fr-col-md-6">
              <Formulaire
                action={`${base}/annulation`}
                csrf={csrf}
                titre="Annuler la commande (libère toutes ses AE)"
                etat={etat}
                form="annulation"
                bouton="Annuler la commande"
              >
                <div class="fr-fieldset__element">
                  <Input ctx={ca} name="motif" label="Motif" />
                </div>
                <Confirmation
                  ctx={ca}
                  label="Je confirme l’annulation : la commande est annulée et toutes ses AE sont libérées, sans retour possible."
                />
              </Formulaire>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function EngagementPage({
  acteur,
  csrf,
  v,
  e,
  mouvements,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  v: VueCredits;
  e: Engagement;
  mouvements: Mouvement[];
  etat: EtatFormulaire | null;
  flash: Flash;
}) {
  const c = v.convention;
  const titre = titreConvention(c);
  const gerer = peutGererCredits(acteur, c) && e.statut !== 'annule';
  const etatE = etatEngagement(e);
  return (
    <Page
      titre={`${e.numero} — ${titre}`}
      acteur={acteur}
      csrf={csrf}
      fil={[
        ['Accueil', '/'],
        ['Conventions', '/conventions'],
        [titre, `/conventions/${c.id}`],
        ['Crédits', `/conventions/${c.id}/credits?annee=${e.annee}`],
        [e.numero],
      ]}
      flash={flash}
    >
      <h1>Bon de commande {e.numero}</h1>
      <p>
        <p class={`fr-badge ${BADGE_ETAT[etatE]}`}>{LIBELLES_ETAT_ENGAGEMENT[etatE]}</p>
      </p>
      <Refus etat={etat} />
      <FicheEngagement e={e} />
      <Historique mouvements={mouvements} />
      {gerer ? <OperationsEngagement acteur={acteur} csrf={csrf} v={v} e={e} etat={etat} /> : null}
    </Page>
  );
}
