import type { Child } from 'hono/jsx';
import type { FieldError } from '../../domain/errors.js';
import type { FormFields } from '../form.js';

/** DSFR form fields that show their value and their French error next to them (RGAA: linked by aria). */
export interface ChampsCtx {
  f: FormFields;
  erreurs: Map<string, string>;
  /** the form's name, in its fields' ids, when a page holds several forms with the same field names */
  form?: string;
}

interface Commun {
  ctx: ChampsCtx;
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
}

const idDe = (name: string, form?: string) => `f-${form ? `${form}-` : ''}${name.replace(/\./g, '-')}`;

function Groupe({
  ctx,
  name,
  label,
  hint,
  required,
  kind,
  children,
}: Commun & {
  kind: 'input' | 'select' | 'checkbox';
  children: (a: { id: string; err?: string; aria: Record<string, string | undefined> }) => Child;
}) {
  const err = ctx.erreurs.get(name);
  const id = idDe(name, ctx.form);
  const aria = { 'aria-invalid': err ? 'true' : undefined, 'aria-describedby': err ? `${id}-err` : undefined };
  const champ = children({ id, err, aria });
  // the DSFR puts a checkbox before its label, every other field after it
  return (
    <div class={`fr-${kind}-group${err ? ` fr-${kind}-group--error` : ''}`}>
      {kind === 'checkbox' ? champ : null}
      <label class="fr-label" for={id}>
        {label}
        {required && kind !== 'checkbox' ? <span aria-hidden="true"> *</span> : null}
        {hint ? <span class="fr-hint-text">{hint}</span> : null}
      </label>
      {kind === 'checkbox' ? null : champ}
      {err ? (
        <p class="fr-error-text" id={`${id}-err`}>
          {err}
        </p>
      ) : null}
    </div>
  );
}

export function Input(
  p: Commun & { type?: string; inputmode?: 'decimal' | 'numeric' | 'text'; autocomplete?: string },
) {
  return (
    <Groupe {...p} kind="input">
      {({ id, err, aria }) => (
        <input
          class={`fr-input${err ? ' fr-input--error' : ''}`}
          id={id}
          name={p.name}
          type={p.type ?? 'text'}
          value={p.ctx.f[p.name] ?? ''}
          required={p.required}
          inputmode={p.inputmode}
          autocomplete={p.autocomplete ?? 'off'}
          {...aria}
        />
      )}
    </Groupe>
  );
}

export function Textarea(p: Commun & { rows?: number }) {
  return (
    <Groupe {...p} kind="input">
      {({ id, err, aria }) => (
        <textarea class={`fr-input${err ? ' fr-input--error' : ''}`} id={id} name={p.name} rows={p.rows ?? 3} {...aria}>
          {p.ctx.f[p.name] ?? ''}
        </textarea>
      )}
    </Groupe>
  );
}

export function Select(p: Commun & { options: Array<[string, string]>; vide?: string }) {
  return (
    <Groupe {...p} kind="select">
      {({ id, err, aria }) => (
        <select
          class={`fr-select${err ? ' fr-select--error' : ''}`}
          id={id}
          name={p.name}
          required={p.required}
          {...aria}
        >
          {p.vide !== undefined ? <option value="">{p.vide}</option> : null}
          {p.options.map(([v, l]) => (
            <option value={v} selected={p.ctx.f[p.name] === v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Groupe>
  );
}

/** A box to tick, sent as `value` when ticked; shown ticked again when the form comes back. */
export function Case(p: Commun & { value?: string }) {
  const value = p.value ?? 'oui';
  return (
    <Groupe {...p} kind="checkbox">
      {({ id, aria }) => (
        <input
          type="checkbox"
          id={id}
          name={p.name}
          value={value}
          checked={p.ctx.f[p.name] === value}
          required={p.required}
          {...aria}
        />
      )}
    </Groupe>
  );
}

/** Row indexes of a repeated block (`echeancier.0.…`): those posted, plus `blank` empty rows to fill. */
export function rowsOf(f: FormFields, prefix: string, blank: number): number[] {
  let max = -1;
  for (const k of Object.keys(f)) {
    const m = new RegExp(`^${prefix}\\.(\\d+)\\.`).exec(k);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return Array.from({ length: max + 1 + blank }, (_, i) => i);
}

/** A column of a repeated block: its field under each row, and the accessible name of each cell's field. */
export interface Colonne {
  champ: string;
  titre: string;
  /** "Année, ligne" gives « Année, ligne 2 » on the second row */
  libelle: string;
  inputmode?: 'decimal' | 'numeric';
  /** a multi-line field */
  zone?: boolean;
}

/** A repeated block as a table (`echeancier.0.annee`…): the rows posted, plus `vides` empty rows to fill. */
export function TableauSaisie({
  ctx,
  prefixe,
  titre,
  colonnes,
  vides,
}: {
  ctx: ChampsCtx;
  prefixe: string;
  titre: string;
  colonnes: Colonne[];
  vides: number;
}) {
  return (
    <div class="fr-table">
      <table>
        <caption>{titre}</caption>
        <thead>
          <tr>
            {colonnes.map((c) => (
              <th scope="col">{c.titre}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rowsOf(ctx.f, prefixe, vides).map((i) => (
            <tr>
              {colonnes.map((c) => {
                const name = `${prefixe}.${i}.${c.champ}`;
                const label = `${c.libelle} ${i + 1}`;
                return (
                  <td>
                    {c.zone ? (
                      <Textarea ctx={ctx} name={name} label={label} rows={2} />
                    ) : (
                      <Input ctx={ctx} name={name} label={label} inputmode={c.inputmode} />
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The form's errors at its top, each linked to its field (RGAA: the person goes straight to it). */
export function ErreursFormulaire({
  titre,
  erreurs,
  intro,
}: {
  titre: string;
  erreurs: FieldError[];
  intro?: boolean;
}) {
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex={-1} autofocus>
      <h2 class="fr-alert__title">{titre}</h2>
      {intro ? (
        <p>Corrigez {erreurs.length > 1 ? `les ${erreurs.length} champs signalés` : 'le champ signalé'} :</p>
      ) : null}
      <ul>
        {erreurs.map((e) => (
          <li>{e.champ && e.champ !== '(corps)' ? <a href={`#${idDe(e.champ)}`}>{e.message}</a> : e.message}</li>
        ))}
      </ul>
    </div>
  );
}
