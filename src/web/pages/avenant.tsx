import { peutCreerConvention, peutModifierConvention, type Acteur } from '../../domain/acces.js';
import { comparer, versions, type Avenant } from '../../domain/avenant.js';
import type { Convention } from '../../domain/convention.js';
import { ordreSignatures, peutSigner } from '../../domain/convention-cycle.js';
import { estSignee, terme } from '../../domain/convention.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import { Input } from './champs.js';
import { Csrf, ctxDe, ErreursFormulaire, type EtatFormulaire } from './operation.js';

/** A convention's avenants on its page: the list, the signature of the one under way, a reading at a date, a comparison. */

const STATUT: Record<Avenant['statut'], string> = {
  brouillon: 'Projet',
  signee_partenaire: 'Signé par le partenaire',
  signe: 'Signé',
};

const nomVersion = (n: number) => (n === 0 ? 'Convention initiale' : `Après l’avenant n° ${n}`);

export function SectionAvenants({
  acteur,
  csrf,
  c,
  avenants,
  jour,
  de,
  a,
  date,
  etat = null,
}: {
  acteur: Acteur;
  csrf: string;
  c: Convention;
  avenants: Avenant[];
  jour: DateIso;
  de: number | null;
  a: number | null;
  date: DateIso | null;
  etat?: EtatFormulaire | null;
}) {
  const vs = versions(c, avenants);
  const n = vs.length - 1;
  const gauche = vs.find((v) => v.numero === (de ?? Math.max(0, n - 1)));
  const droite = vs.find((v) => v.numero === (a ?? n));
  const ecarts = gauche && droite && gauche !== droite ? comparer(gauche.convention, droite.convention) : [];
  const [premier, dernier] = ordreSignatures(c);
  return (
    <>
      <h2 class="fr-mt-4w" id="avenants">
        Avenants
      </h2>
      {avenants.length === 0 ? <p>Aucun avenant.</p> : null}
      {peutModifierConvention(acteur, c) && estSignee(c.statut) && c.statut !== 'cloturee' ? (
        <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-mb-2w">
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/conventions/${c.id}/avenants/nouveau`}>
              Rédiger un avenant
            </a>
          </li>
          {terme(c) ? (
            <li>
              <a class="fr-btn fr-btn--tertiary" href={`/conventions/${c.id}/avenants/nouveau?prolonger=12`}>
                Préparer la suite : prolonger de 12 mois
              </a>
            </li>
          ) : null}
          {peutCreerConvention(acteur) ? (
            <li>
              <a class="fr-btn fr-btn--tertiary" href={`/conventions/nouvelle?suite=${c.id}`}>
                Préparer la suite : nouvelle convention
              </a>
            </li>
          ) : null}
        </ul>
      ) : null}
      {avenants.map((av) => {
        const signees = new Set(av.signatures.map((s) => s.partie));
        const suivante = av.statut === 'signe' ? null : signees.has(premier) ? dernier : premier;
        return (
          <section class="fr-mb-2w" id={`avenant-${av.numero}`}>
            <h3 class="fr-h6 fr-mb-1w">
              Avenant n° {av.numero} — {av.objet}
            </h3>
            <p class="fr-mb-1w">
              Texte de l’avenant :{' '}
              <a href={`/api/v1/conventions/${c.id}/avenants/${av.numero}/document?format=docx`}>DOCX</a>
              {' · '}
              <a href={`/api/v1/conventions/${c.id}/avenants/${av.numero}/document?format=pdf`}>PDF</a>
            </p>
            <p class="fr-mb-1w">
              {STATUT[av.statut]} · effet le {formatDate(av.dateEffet)}
              {av.dateSignature ? ` · signé le ${formatDate(av.dateSignature)}` : ''}
              {av.signatures.map((s) => (
                <>
                  {` · ${s.partie === 'delegant' ? 'délégant' : 'délégataire'} le ${formatDate(s.date)}`}
                  {s.pieceId ? (
                    <>
                      {' '}
                      (<a href={`/conventions/${c.id}/pieces/${s.pieceId}`}>PDF signé</a>)
                    </>
                  ) : null}
                </>
              ))}
            </p>
            {suivante && peutSigner(acteur, c, suivante) ? (
              <form
                method="post"
                action={`/conventions/${c.id}/avenants/${av.numero}/signature`}
                enctype="multipart/form-data"
                class="fr-mb-2w"
              >
                <Csrf csrf={csrf} />
                <input type="hidden" name="partie" value={suivante} />
                <div class="fr-input-group">
                  <label class="fr-label" for={`f-avenant-${av.numero}-date`}>
                    Signature du {suivante === 'delegant' ? 'délégant' : 'délégataire'} le
                  </label>
                  <input class="fr-input" type="date" id={`f-avenant-${av.numero}-date`} name="date" value={jour} />
                </div>
                <div class="fr-upload-group">
                  <label class="fr-label" for={`f-avenant-${av.numero}-fichier`}>
                    Avenant signé
                    <span class="fr-hint-text">PDF, 10 Mo au plus (facultatif)</span>
                  </label>
                  <input
                    class="fr-upload"
                    type="file"
                    id={`f-avenant-${av.numero}-fichier`}
                    name="fichier"
                    accept="application/pdf,.pdf"
                  />
                </div>
                <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit">
                  Enregistrer la signature
                </button>
              </form>
            ) : null}
            {av.copies.length ? (
              <ul class="fr-mb-1w">
                {av.copies.map((x) => (
                  <li>
                    Copie envoyée le {formatDate(x.date)} à {x.destinataire} (consignée par {x.consigneePar})
                  </li>
                ))}
              </ul>
            ) : av.statut === 'signe' ? (
              <p class="fr-mb-1w">Aucune copie aux contrôleurs budgétaires consignée.</p>
            ) : null}
            {av.statut === 'signe' && peutModifierConvention(acteur, c) ? (
              <Copie c={c} numero={av.numero} csrf={csrf} etat={etat} jour={jour} destinataire={c.destinatairesCopie} />
            ) : null}
          </section>
        );
      })}

      <form method="get" action={`/conventions/${c.id}#avenants`} class="fr-mb-2w">
        <div class="fr-input-group">
          <label class="fr-label" for="f-date-lecture">
            Lire la convention à une date
          </label>
          <input class="fr-input" type="date" id="f-date-lecture" name="date" value={date ?? ''} />
        </div>
        <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="submit">
          Lire à cette date
        </button>
      </form>

      {n > 0 ? (
        <form method="get" action={`/conventions/${c.id}#avenants`} class="fr-mb-2w">
          <div class="fr-grid-row fr-grid-row--gutters">
            {(
              [
                ['de', 'Version de gauche', gauche?.numero],
                ['a', 'Version de droite', droite?.numero],
              ] as const
            ).map(([name, label, choisi]) => (
              <div class="fr-col-12 fr-col-md-4 fr-select-group">
                <label class="fr-label" for={`f-${name}`}>
                  {label}
                </label>
                <select class="fr-select" id={`f-${name}`} name={name}>
                  {vs.map((v) => (
                    <option value={String(v.numero)} selected={v.numero === choisi}>
                      {nomVersion(v.numero)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="submit">
            Comparer
          </button>
        </form>
      ) : null}
      {gauche && droite && ecarts.length ? (
        <div class="fr-table fr-table--sm">
          <table>
            <caption>
              {nomVersion(gauche.numero)} et {nomVersion(droite.numero).toLowerCase()}
            </caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">{nomVersion(gauche.numero)}</th>
                <th scope="col">{nomVersion(droite.numero)}</th>
              </tr>
            </thead>
            <tbody>
              {ecarts.map((e) => (
                <tr>
                  <th scope="row">{e.libelle}</th>
                  <td>{e.avant}</td>
                  <td>{e.apres}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** Recording a copy of a signed avenant sent to a budget controller (the conventions send every change to the CBCM). */
function Copie({
  c,
  numero,
  csrf,
  etat,
  jour,
  destinataire,
}: {
  c: Convention;
  numero: number;
  csrf: string;
  etat: EtatFormulaire | null;
  jour: DateIso;
  destinataire: string | null;
}) {
  const form = `copie-${numero}`;
  const cd = ctxDe(etat, form, { date: jour, destinataire: destinataire ?? '' });
  return (
    <form method="post" action={`/conventions/${c.id}/avenants/${numero}/copies`} novalidate class="fr-mb-2w">
      <Csrf csrf={csrf} />
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">Copie de l’avenant n° {numero} aux contrôleurs budgétaires (CBCM)</legend>
        <div class="fr-fieldset__element">
          <ErreursFormulaire etat={etat} form={form} />
        </div>
        <div class="fr-fieldset__element">
          <Input ctx={cd} name="destinataire" label="Destinataire" required />
        </div>
        <div class="fr-fieldset__element">
          <Input ctx={cd} name="date" label="Date d’envoi" type="date" required />
        </div>
        <div class="fr-fieldset__element">
          <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit">
            Consigner la copie
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/** Said above a convention read at a date. */
export function BandeauDate({ date }: { date: DateIso }) {
  return (
    <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
      <p>La convention telle qu’elle était le {formatDate(date)}, avec les avenants alors en vigueur.</p>
    </div>
  );
}
