import { peutDeroger, type Acteur } from '../../domain/acces.js';
import { LIBELLES_PARAMETRES, type ParametresCalendrier } from '../../domain/calendrier.js';
import type { FieldError } from '../../domain/errors.js';
import type { FormFields } from '../form.js';
import { Input } from './champs.js';
import { Page } from './layout.js';

/** The year-end calendar: dates read by every agent, changed by an administrator. */

const CHAMPS: Array<[keyof ParametresCalendrier, string, string]> = [
  ['limitePaiements', 'limite_paiements', 'MM-JJ, ex. 11-30'],
  ['limiteEngagements', 'limite_engagements', 'MM-JJ, ex. 12-12'],
  ['limiteReport', 'limite_report', 'MM-JJ, ex. 11-15'],
  ['reprise', 'reprise', 'MM-JJ, ex. 02-01'],
  ['avertissementJours', 'avertissement_jours', 'nombre de jours'],
  ['debutAlertesSousConsommation', 'debut_alertes_sous_consommation', 'MM-JJ, ex. 09-15'],
];

export function CalendrierPage({
  acteur,
  csrf,
  f,
  erreurs,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  f: FormFields;
  erreurs: FieldError[];
  flash?: { type: 'success' | 'info'; message: string } | null;
}) {
  const ctx = { f, erreurs: new Map(erreurs.map((e) => [e.champ, e.message])) };
  const modifiable = peutDeroger(acteur);
  return (
    <Page
      titre="Calendrier de fin de gestion"
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Calendrier de fin de gestion']]}
      flash={flash}
    >
      <h1>Calendrier de fin de gestion</h1>
      <p>
        Ces dates s’appliquent chaque année à l’exercice en cours. Avant une date limite, les opérations reçoivent un
        avertissement ; après, elles sont refusées, sauf dérogation d’un administrateur avec son motif.
      </p>
      {erreurs.length ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          <p>Le calendrier n’a pas été enregistré : corrigez les champs signalés.</p>
        </div>
      ) : null}
      <form method="post" action="/credits/calendrier" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset class="fr-fieldset" disabled={!modifiable}>
          <legend class="fr-fieldset__legend">Dates {modifiable ? '' : '(modifiables par un administrateur)'}</legend>
          {CHAMPS.map(([cle, nom, indice]) => (
            <div class="fr-fieldset__element">
              <Input ctx={ctx} name={nom} label={LIBELLES_PARAMETRES[cle]} hint={indice} />
            </div>
          ))}
          <div class="fr-fieldset__element">
            <Input ctx={ctx} name="motif" label="Motif du changement" hint="ex. circulaire de fin de gestion 2026" />
          </div>
          {modifiable ? (
            <div class="fr-fieldset__element">
              <button class="fr-btn" type="submit">
                Enregistrer
              </button>
            </div>
          ) : null}
        </fieldset>
      </form>
    </Page>
  );
}
