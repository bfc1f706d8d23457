import type { Child } from 'hono/jsx';
import { peutDeroger, type Acteur } from '../../domain/acces.js';
import type { Convention, PartieCle } from '../../domain/convention.js';
import { ordreSignatures, peutConduireCycle, peutResilier, peutSigner } from '../../domain/convention-cycle.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import type { Cycle } from '../../usecases/convention-cycle.js';
import { Input, Select, Textarea } from './champs.js';
import { ctxDe, Csrf, ErreursFormulaire, Refus, type EtatFormulaire } from './operation.js';

/** A convention's life on its page: signatures, notice, and the buttons of the actions the actor may take. */

const NOM_PARTIE: Record<PartieCle, string> = { delegant: 'Délégant', delegataire: 'Délégataire' };
const el = (c: Child) => <div class="fr-fieldset__element">{c}</div>;

function Action(props: {
  id: string;
  csrf: string;
  chemin: string;
  titre: string;
  bouton: string;
  etat: EtatFormulaire | null;
  fichier?: string;
  children?: Child;
}) {
  return (
    <div class="fr-col-12 fr-col-md-6">
      <form
        method="post"
        action={`/conventions/${props.id}/${props.chemin}`}
        enctype={props.fichier ? 'multipart/form-data' : undefined}
        novalidate
        class="fr-mb-2w"
      >
        <Csrf csrf={props.csrf} />
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{props.titre}</legend>
          <div class="fr-fieldset__element">
            <ErreursFormulaire etat={props.etat} form={props.chemin} />
          </div>
          {props.children}
          {props.fichier ? (
            <div class="fr-fieldset__element">
              <div class="fr-upload-group">
                <label class="fr-label" for={`f-${props.chemin}-fichier`}>
                  {props.fichier}
                  <span class="fr-hint-text">PDF, 10 Mo au plus (facultatif)</span>
                </label>
                <input
                  class="fr-upload"
                  type="file"
                  id={`f-${props.chemin}-fichier`}
                  name="fichier"
                  accept="application/pdf,.pdf"
                />
              </div>
            </div>
          ) : null}
          <div class="fr-fieldset__element">
            <button class="fr-btn fr-btn--secondary" type="submit">
              {props.bouton}
            </button>
          </div>
        </fieldset>
      </form>
    </div>
  );
}

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
  const cd = (form: string, defauts: Record<string, string> = {}) => ctxDe(etat, form, defauts);
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
            id={c.id}
            csrf={csrf}
            chemin="envoi-signature"
            titre="Circuit de signature"
            bouton="Envoyer en signature"
            etat={etat}
          />
        ) : null}
        {aSigner && peutSigner(acteur, c, aSigner) ? (
          <Action
            id={c.id}
            csrf={csrf}
            chemin="signature"
            titre={`Signature du ${aSigner === 'delegant' ? 'délégant' : 'délégataire'}${aSigner === dernier ? ' (dernière signature : la convention entre en vigueur)' : ''}`}
            bouton="Enregistrer la signature"
            etat={etat}
            fichier="Document signé"
          >
            <input type="hidden" name="partie" value={aSigner} />
            {el(
              <Input
                ctx={cd('signature', { date: jour })}
                name="date"
                label="Date de signature"
                type="date"
                required
              />,
            )}
            {el(<Input ctx={cd('signature')} name="signataire" label="Signataire (nom et qualité)" />)}
          </Action>
        ) : null}
        {peut('retour_brouillon') && conduire && cycle.signatures.length === 0 ? (
          <Action
            id={c.id}
            csrf={csrf}
            chemin="retour-brouillon"
            titre="Modifier avant signature"
            bouton="Remettre en brouillon"
            etat={etat}
          />
        ) : null}
        {peut('reprise') && peutDeroger(acteur) ? (
          <Action
            id={c.id}
            csrf={csrf}
            chemin="reprise"
            titre="Remettre en vigueur"
            bouton="Remettre en vigueur"
            etat={etat}
          >
            {el(<Input ctx={cd('reprise')} name="motif" label="Motif" required />)}
          </Action>
        ) : null}
        {peut('resiliation') && (peutResilier(acteur, c, 'delegant') || peutResilier(acteur, c, 'delegataire')) ? (
          <Action
            id={c.id}
            csrf={csrf}
            chemin="resiliation"
            titre={`Notifier la résiliation (préavis de ${c.preavisMois ?? 3} mois)`}
            bouton="Notifier la résiliation"
            etat={etat}
            fichier="Lettre de résiliation"
          >
            {el(
              <Select
                ctx={cd('resiliation')}
                name="partie"
                label="Partie qui résilie"
                options={(['delegant', 'delegataire'] as const)
                  .filter((p) => peutResilier(acteur, c, p))
                  .map((p) => [p, NOM_PARTIE[p]])}
              />,
            )}
            {el(
              <Input
                ctx={cd('resiliation', { date_notification: jour })}
                name="date_notification"
                label="Date de notification"
                type="date"
                required
              />,
            )}
            {el(<Textarea ctx={cd('resiliation')} name="motif" label="Motif" required />)}
          </Action>
        ) : null}
        {peut('retrait_resiliation') && conduire && enCours ? (
          <Action
            id={c.id}
            csrf={csrf}
            chemin="resiliation/retrait"
            titre="Retirer la résiliation (accord des deux parties)"
            bouton="Retirer la résiliation"
            etat={etat}
          >
            {el(
              <Input
                ctx={cd('resiliation/retrait', { date_accord: jour })}
                name="date_accord"
                label="Date de l’accord"
                type="date"
                required
              />,
            )}
            {el(<Input ctx={cd('resiliation/retrait')} name="motif" label="Motif" required />)}
          </Action>
        ) : null}
        {peut('cloture') && conduire ? (
          <Action
            id={c.id}
            csrf={csrf}
            chemin="cloture"
            titre="Clôturer la convention terminée"
            bouton="Clôturer"
            etat={etat}
          >
            {el(<Input ctx={cd('cloture')} name="motif" label="Motif" required />)}
          </Action>
        ) : null}
      </div>
    </>
  );
}
