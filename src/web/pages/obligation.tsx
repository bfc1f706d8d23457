import type { Convention, PartieCle } from '../../domain/convention.js';
import { ACCEPTE } from '../../domain/piece.js';
import { formatDate } from '../../domain/dates.js';
import { LIBELLES_ECHEANCES, LIBELLES_ETATS_OBLIGATION, type EtatObligation } from '../../domain/obligation.js';
import type { VueObligation, VueObligations } from '../../usecases/obligation.js';
import { Input, Select } from './champs.js';
import { Csrf, ErreursFormulaire, ctxDe, type EtatFormulaire } from './operation.js';

/** The obligations checklist of a convention: each party's obligations, their state of the day, the form to complete each. */

const BADGES: Record<EtatObligation, string> = {
  due: 'fr-badge--info',
  faite: 'fr-badge--success',
  en_retard: 'fr-badge--error',
  levee: 'fr-badge--new',
};

export const PREFIXE_NOUVELLE_OBLIGATION = 'obligation-nouvelle.';

/** A free obligation, outside the family's catalogue: which party owes it, what, and when. */
function FormulaireNouvelleObligation({ c, csrf, etat }: { c: Convention; csrf: string; etat: EtatFormulaire | null }) {
  const p = PREFIXE_NOUVELLE_OBLIGATION;
  const form = 'obligation-nouvelle';
  const ctx = ctxDe(etat, form, {}, true);
  return (
    <details open={etat?.form === form} class="fr-mt-2w">
      <summary>Ajouter une obligation</summary>
      <form method="post" action={`/conventions/${c.id}/obligations`} novalidate>
        <Csrf csrf={csrf} />
        <ErreursFormulaire etat={etat} form={form} />
        <Select
          ctx={ctx}
          name={`${p}partie`}
          label="Partie qui la doit"
          vide="Choisir"
          options={[
            ['delegant', nomPartie(c, 'delegant')],
            ['delegataire', nomPartie(c, 'delegataire')],
          ]}
        />
        <Input
          ctx={ctx}
          name={`${p}libelle`}
          label="Obligation"
          hint="Par exemple : tenir un comité de pilotage trimestriel"
        />
        <Select
          ctx={ctx}
          name={`${p}echeance`}
          label="Échéance"
          vide="Choisir"
          options={Object.entries(LIBELLES_ECHEANCES)}
        />
        <Input
          ctx={ctx}
          name={`${p}date_limite`}
          type="date"
          label="Date limite"
          hint="Pour une obligation due avant une date"
        />
        <button class="fr-btn fr-btn--sm fr-mt-1w" type="submit">
          Ajouter
        </button>
      </form>
    </details>
  );
}

/** The prefix of an obligation's form fields, so that each row's form keeps its own fields. */
export const prefixeObligation = (oid: number) => `obligation-${oid}.`;

const nomPartie = (c: Convention, p: PartieCle) => `${c[p].nom} (${p === 'delegant' ? 'délégant' : 'délégataire'})`;

function FormulaireObligation({
  base,
  csrf,
  o,
  etat,
  lever,
}: {
  base: string;
  csrf: string;
  o: VueObligation;
  etat: EtatFormulaire | null;
  lever: boolean;
}) {
  const p = prefixeObligation(o.id);
  const form = `obligation-${o.id}`;
  const ctx = ctxDe(
    etat,
    form,
    {
      [`${p}etat`]: o.etat,
      [`${p}preuve_url`]: o.preuveUrl ?? '',
      [`${p}motif_levee`]: o.motifLevee ?? '',
    },
    true,
  );
  const etats: Array<[string, string]> = [
    ['a_faire', 'À faire'],
    ['faite', 'Faite, avec sa preuve'],
  ];
  if (lever || o.etat === 'levee') etats.push(['levee', 'Levée, avec son motif']);
  const erreurFichier = ctx.erreurs.get(`${p}preuve_fichier`);
  return (
    <details open={etat?.form === form}>
      <summary>Mettre à jour</summary>
      <form method="post" action={`${base}/obligations/${o.id}`} enctype="multipart/form-data" novalidate>
        <Csrf csrf={csrf} />
        <ErreursFormulaire etat={etat} form={form} />
        <Select ctx={ctx} name={`${p}etat`} label={`État : ${o.libelle}`} options={etats} />
        <Input ctx={ctx} name={`${p}preuve_url`} label="Preuve (lien)" hint="https://…" />
        <div class={`fr-upload-group${erreurFichier ? ' fr-input-group--error' : ''}`}>
          <label class="fr-label" for={`f-${form}-fichier`}>
            ou preuve en fichier
            <span class="fr-hint-text">
              {ACCEPTE.justificatif.aide}
              {o.preuvePieceId ? ' ; le fichier déjà joint reste la preuve si vous n’en envoyez pas d’autre' : ''}
            </span>
          </label>
          <input
            class="fr-upload"
            type="file"
            id={`f-${form}-fichier`}
            name="fichier"
            accept={ACCEPTE.justificatif.accept}
            aria-describedby={erreurFichier ? `f-${form}-fichier-erreur` : undefined}
          />
          {erreurFichier ? (
            <p class="fr-error-text" id={`f-${form}-fichier-erreur`}>
              {erreurFichier}
            </p>
          ) : null}
        </div>
        {lever ? <Input ctx={ctx} name={`${p}motif_levee`} label="Motif de la levée" /> : null}
        <button class="fr-btn fr-btn--sm fr-mt-1w" type="submit">
          Enregistrer
        </button>
      </form>
    </details>
  );
}

export function SectionObligations({
  v,
  csrf,
  etat,
}: {
  v: VueObligations;
  csrf: string;
  etat: EtatFormulaire | null;
}) {
  const c = v.convention;
  const base = `/conventions/${c.id}`;
  const completer = (o: VueObligation) => v.parties === 'toutes' || v.parties.includes(o.partie);
  const formulaires = v.items.some(completer);
  return (
    <section class="fr-mb-6w" id="obligations">
      <h2>Obligations des parties</h2>
      {v.parties !== 'toutes' && formulaires ? (
        <p>
          Vous complétez les obligations de votre partie : la preuve d’une obligation faite, ou qu’elle est à refaire.
        </p>
      ) : null}
      <div class="fr-table">
        <table>
          <caption>Obligations ({v.items.length})</caption>
          <thead>
            <tr>
              <th scope="col">Partie</th>
              <th scope="col">Obligation</th>
              <th scope="col">Échéance</th>
              <th scope="col">État</th>
              <th scope="col">Preuve</th>
              {formulaires ? <th scope="col">Mise à jour</th> : null}
            </tr>
          </thead>
          <tbody>
            {v.items.map((o) => (
              <tr id={`obligation-${o.id}`}>
                <td>{nomPartie(c, o.partie)}</td>
                <td>
                  {o.libelle}
                  {o.mesure ? ` (${o.mesure.valeur.toLocaleString('fr-FR')} ${o.mesure.unite})` : ''}
                </td>
                <td>
                  {LIBELLES_ECHEANCES[o.echeance]}
                  {o.echeance === 'avant_date' && o.dateLimite ? ` : ${formatDate(o.dateLimite)}` : ''}
                  {o.echeanceDuJour ? <p class="fr-text--sm fr-mb-0">le {formatDate(o.echeanceDuJour)}</p> : null}
                </td>
                <td>
                  <p class={`fr-badge fr-badge--sm ${BADGES[o.etatDuJour]}`}>
                    {LIBELLES_ETATS_OBLIGATION[o.etatDuJour]}
                  </p>
                  {o.etat === 'levee' && o.motifLevee ? <p class="fr-text--sm fr-mb-0">{o.motifLevee}</p> : null}
                </td>
                <td>
                  {o.preuvePieceId ? (
                    <p class="fr-mb-0">
                      <a href={`/conventions/${c.id}/pieces/${o.preuvePieceId}`}>Preuve jointe</a>
                    </p>
                  ) : null}
                  {o.preuveUrl && /^https?:\/\//i.test(o.preuveUrl) ? (
                    <a href={o.preuveUrl}>Preuve</a>
                  ) : (
                    (o.preuveUrl ?? (o.preuvePieceId ? null : '—'))
                  )}
                  {o.faiteLe ? <p class="fr-text--sm fr-mb-0">le {formatDate(o.faiteLe)}</p> : null}
                </td>
                {formulaires ? (
                  <td>
                    {completer(o) ? (
                      <FormulaireObligation base={base} csrf={csrf} o={o} etat={etat} lever={v.parties === 'toutes'} />
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {v.parties === 'toutes' ? <FormulaireNouvelleObligation c={c} csrf={csrf} etat={etat} /> : null}
    </section>
  );
}
