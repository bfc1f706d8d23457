import type { Child } from 'hono/jsx';
import { peutDeroger, type Acteur } from '../../domain/acces.js';
import type { Convention, PartieCle } from '../../domain/convention.js';
import { ordreSignatures, peutConduireCycle, peutResilier, peutSigner } from '../../domain/convention-cycle.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import type { Cycle } from '../../usecases/convention-cycle.js';
import { Input, Select, Textarea } from './champs.js';
import { Action, Refus, type EtatFormulaire } from './operation.js';

/** A convention's life on its page: signatures, notice, and the buttons of the actions the actor may take. */

const NOM_PARTIE: Record<PartieCle, string> = { delegant: 'Délégant', delegataire: 'Délégataire' };
const el = (c: Child) => <div class="fr-fieldset__element">{c}</div>;

/** The line every reader sees under the title while a notice runs, and once it has taken effect. */
export function BandeauResiliation({ c, jour }: { c: Convention; jour: DateIso }) {
  if (c.statut !== 'resiliation_notifiee' || !c.resiliationEffet) return null;
  const passee = c.resiliationEffet < jour;
  return (
    <div class={`fr-alert ${passee ? 'fr-alert--error' : 'fr-alert--warning'} fr-alert--sm fr-mb-3w`}>
      <p>
        {passee ? 'Résiliée — effet le ' : 'Résiliation notifiée — effet le '}
        {formatDate(c.resiliationEffet)}
        {passee
          ? ' : plus aucune commande ; service fait et paiements des commandes existantes restent possibles.'
          : ' : commandes possibles jusqu’à cette date.'}
      </p>
    </div>
  );
}

export function SectionCycle({
  acteur,
  csrf,
  c,
  cycle,
  jour,
  etat,
}: {
  acteur: Acteur;
  csrf: string;
  c: Convention;
  cycle: Cycle;
  jour: DateIso;
  etat: EtatFormulaire | null;
}) {
  if (acteur.role === 'public') return null;
  const peut = (t: Cycle['possibles'][number]) => cycle.possibles.includes(t);
  const [premier, dernier] = ordreSignatures(c);
  const aSigner = peut('signature_partenaire') ? premier : peut('signature_dinum') ? dernier : null;
  const enCours = cycle.resiliations.find((r) => r.retrait === null);
  const conduire = peutConduireCycle(acteur);
  return (
    <>
      <h2 class="fr-mt-4w" id="cycle">
        Signature et vie de la convention
      </h2>
      <Refus etat={etat} />
      {cycle.signatures.length ? (
        <div class="fr-table fr-table--sm">
          <table>
            <caption>Signatures</caption>
            <thead>
              <tr>
                <th scope="col">Partie</th>
                <th scope="col">Date</th>
                <th scope="col">Signataire</th>
                <th scope="col">Enregistrée par</th>
                <th scope="col">Document</th>
              </tr>
            </thead>
            <tbody>
              {cycle.signatures.map((s) => (
                <tr>
                  <td>{NOM_PARTIE[s.partie]}</td>
                  <td>{formatDate(s.date)}</td>
                  <td>{s.signataire ?? '—'}</td>
                  <td>{s.acteurNom}</td>
                  <td>{s.pieceId ? <a href={`/conventions/${c.id}/pieces/${s.pieceId}`}>PDF signé</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cycle.resiliations.map((r) => (
        <p>
          Résiliation notifiée par le {r.partie === 'delegant' ? 'délégant' : 'délégataire'} le{' '}
          {formatDate(r.dateNotification)} (préavis de {r.preavisMois} mois) : effet le {formatDate(r.dateEffet)}. Motif
          : {r.motif}.
          {r.pieceId ? (
            <>
              {' '}
              <a href={`/conventions/${c.id}/pieces/${r.pieceId}`}>Lettre</a>.
            </>
          ) : null}
          {r.retrait ? ` Retirée d’un commun accord le ${formatDate(r.retrait.dateAccord)} : ${r.retrait.motif}.` : ''}
        </p>
      ))}
      <div class="fr-grid-row fr-grid-row--gutters">
        {peut('envoi_signature') && conduire ? (
          <Action
            action={`/conventions/${c.id}/envoi-signature`}
            csrf={csrf}
            form="envoi-signature"
            secondaire
            titre="Circuit de signature"
            bouton="Envoyer en signature"
            etat={etat}
          />
        ) : null}
        {aSigner && peutSigner(acteur, c, aSigner) ? (
          <Action
            action={`/conventions/${c.id}/signature`}
            csrf={csrf}
            form="signature"
            secondaire
            titre={`Signature du ${aSigner === 'delegant' ? 'délégant' : 'délégataire'}${aSigner === dernier ? ' (dernière signature : la convention entre en vigueur)' : ''}`}
            bouton="Enregistrer la signature"
            etat={etat}
            fichier="Document signé"
            defauts={{ date: jour }}
          >
            {(cd) => (
              <>
                <input type="hidden" name="partie" value={aSigner} />
                {el(<Input ctx={cd} name="date" label="Date de signature" type="date" required />)}
                {el(<Input ctx={cd} name="signataire" label="Signataire (nom et qualité)" />)}
              </>
            )}
          </Action>
        ) : null}
        {peut('retour_brouillon') && conduire && cycle.signatures.length === 0 ? (
          <Action
            action={`/conventions/${c.id}/retour-brouillon`}
            csrf={csrf}
            form="retour-brouillon"
            secondaire
            titre="Modifier avant signature"
            bouton="Remettre en brouillon"
            etat={etat}
          />
        ) : null}
        {peut('reprise') && peutDeroger(acteur) ? (
          <Action
            action={`/conventions/${c.id}/reprise`}
            csrf={csrf}
            form="reprise"
            secondaire
            titre="Remettre en vigueur"
            bouton="Remettre en vigueur"
            etat={etat}
          >
            {(cd) => el(<Input ctx={cd} name="motif" label="Motif" required />)}
          </Action>
        ) : null}
        {peut('resiliation') && (peutResilier(acteur, c, 'delegant') || peutResilier(acteur, c, 'delegataire')) ? (
          <Action
            action={`/conventions/${c.id}/resiliation`}
            csrf={csrf}
            form="resiliation"
            secondaire
            titre={`Notifier la résiliation (préavis de ${c.preavisMois ?? 3} mois)`}
            bouton="Notifier la résiliation"
            etat={etat}
            fichier="Lettre de résiliation"
            defauts={{ date_notification: jour }}
          >
            {(cd) => (
              <>
                {el(
                  <Select
                    ctx={cd}
                    name="partie"
                    label="Partie qui résilie"
                    options={(['delegant', 'delegataire'] as const)
                      .filter((p) => peutResilier(acteur, c, p))
                      .map((p) => [p, NOM_PARTIE[p]])}
                  />,
                )}
                {el(<Input ctx={cd} name="date_notification" label="Date de notification" type="date" required />)}
                {el(<Textarea ctx={cd} name="motif" label="Motif" required />)}
              </>
            )}
          </Action>
        ) : null}
        {peut('retrait_resiliation') && conduire && enCours ? (
          <Action
            action={`/conventions/${c.id}/resiliation/retrait`}
            csrf={csrf}
            form="resiliation/retrait"
            secondaire
            titre="Retirer la résiliation (accord des deux parties)"
            bouton="Retirer la résiliation"
            etat={etat}
            defauts={{ date_accord: jour }}
          >
            {(cd) => (
              <>
                {el(<Input ctx={cd} name="date_accord" label="Date de l’accord" type="date" required />)}
                {el(<Input ctx={cd} name="motif" label="Motif" required />)}
              </>
            )}
          </Action>
        ) : null}
        {peut('cloture') && conduire ? (
          <Action
            action={`/conventions/${c.id}/cloture`}
            csrf={csrf}
            form="cloture"
            secondaire
            titre="Clôturer la convention terminée"
            bouton="Clôturer"
            etat={etat}
          >
            {(cd) => el(<Input ctx={cd} name="motif" label="Motif" required />)}
          </Action>
        ) : null}
      </div>
    </>
  );
}
