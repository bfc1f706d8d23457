import type { Child } from 'hono/jsx';
import type { FieldError } from '../../domain/errors.js';
import { ACCEPTE, type GenrePiece } from '../../domain/piece.js';
import type { FormFields } from '../form.js';
import { Case, type ChampsCtx } from './champs.js';

/** Forms of the budget operations (orders, movements, decisions): shown again after a refusal with what was typed. */

/** A form shown again after a refusal: which one, what was typed, what to fix. */
export interface EtatFormulaire {
  form: string;
  f: FormFields;
  erreurs: FieldError[];
  /** a refusal by a rule (ceiling, calendar…), in French with its figures */
  refus?: string;
}

export type Flash = {
  type: 'success' | 'error' | 'info' | 'warning';
  message: string;
  /** what the action that succeeded asks to check */
  avertissements?: string[];
} | null;

/**
 * The fields of one form of the page: what was typed and its errors when it is the form sent, else the
 * defaults. The form's name goes into the ids, so that a label never points to the same field of another
 * form; forms whose field names already carry their own prefix keep the ids of their names.
 */
export function ctxDe(etat: EtatFormulaire | null, form: string, defauts: FormFields, nomsPrefixes = false): ChampsCtx {
  const ids = nomsPrefixes ? {} : { form };
  if (etat && etat.form === form)
    return { f: etat.f, erreurs: new Map(etat.erreurs.map((e) => [e.champ, e.message])), ...ids };
  return { f: defauts, erreurs: new Map(), ...ids };
}

export function ErreursFormulaire({ etat, form }: { etat: EtatFormulaire | null; form: string }) {
  if (!etat || etat.form !== form || etat.erreurs.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" tabindex={-1} autofocus>
      <p>{etat.erreurs.length === 1 && etat.erreurs[0] ? etat.erreurs[0].message : 'Corrigez les champs signalés.'}</p>
    </div>
  );
}

export function Refus({ etat }: { etat: EtatFormulaire | null }) {
  if (!etat?.refus) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" tabindex={-1} autofocus>
      <h2 class="fr-alert__title">Opération refusée</h2>
      <p>{etat.refus}</p>
    </div>
  );
}

export function Csrf({ csrf }: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={csrf} />;
}

export function Formulaire({
  action,
  csrf,
  titre,
  etat,
  form,
  children,
  bouton,
  id,
  fichier,
  genreFichier = 'signe',
  aideFichier,
  erreurFichier,
  secondaire,
}: {
  action: string;
  csrf: string;
  titre: string;
  etat: EtatFormulaire | null;
  form: string;
  children?: Child;
  bouton: string;
  id?: string;
  /** the label of an optional file sent with the form: a signed PDF unless said otherwise */
  fichier?: string;
  genreFichier?: GenrePiece;
  /** said after the formats the file field accepts */
  aideFichier?: string;
  /** the refusal of the file sent, shown next to its field */
  erreurFichier?: string;
  secondaire?: boolean;
}) {
  return (
    <form
      method="post"
      action={action}
      enctype={fichier ? 'multipart/form-data' : undefined}
      novalidate
      class="fr-mb-4w"
      id={id}
    >
      <Csrf csrf={csrf} />
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">{titre}</legend>
        <div class="fr-fieldset__element">
          <ErreursFormulaire etat={etat} form={form} />
        </div>
        {children}
        {fichier ? (
          <div class="fr-fieldset__element">
            <div class={`fr-upload-group${erreurFichier ? ' fr-input-group--error' : ''}`}>
              <label class="fr-label" for={`f-${form}-fichier`}>
                {fichier}
                <span class="fr-hint-text">
                  {ACCEPTE[genreFichier].aide} (facultatif){aideFichier ? ` ; ${aideFichier}` : ''}
                </span>
              </label>
              <input
                class="fr-upload"
                type="file"
                id={`f-${form}-fichier`}
                name="fichier"
                accept={ACCEPTE[genreFichier].accept}
                aria-describedby={erreurFichier ? `f-${form}-fichier-erreur` : undefined}
              />
              {erreurFichier ? (
                <p class="fr-error-text" id={`f-${form}-fichier-erreur`}>
                  {erreurFichier}
                </p>
              ) : null}
            </div>
          </div>
        ) : null}
        <div class="fr-fieldset__element">
          <button class={secondaire ? 'fr-btn fr-btn--secondary' : 'fr-btn'} type="submit">
            {bouton}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/**
 * One form of a grid of actions, on its own: an error shows in it and leaves the others as they were.
 * Its fields all read the one context of this form, defaults included.
 */
export function Action({
  etat,
  defauts = {},
  children,
  ...props
}: {
  action: string;
  csrf: string;
  form: string;
  titre: string;
  bouton: string;
  etat: EtatFormulaire | null;
  defauts?: FormFields;
  fichier?: string;
  secondaire?: boolean;
  children?: (cd: ChampsCtx) => Child;
}) {
  return (
    <div class="fr-col-12 fr-col-md-6">
      <Formulaire {...props} etat={etat}>
        {children?.(ctxDe(etat, props.form, defauts))}
      </Formulaire>
    </div>
  );
}

/**
 * The box to tick before an action that cannot be undone (cancel, close at the real amount): a second
 * step that works without JavaScript, checked by the server.
 */
export function Confirmation({ ctx, label }: { ctx: ChampsCtx; label: string }) {
  return (
    <div class="fr-fieldset__element">
      <Case ctx={ctx} name="confirmation" label={label} required />
    </div>
  );
}
