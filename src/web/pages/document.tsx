import type { Acteur } from '../../domain/acces.js';
import { NATURES, PHASES, ROLES_DINUM } from '../../domain/convention.js';
import type { FieldError } from '../../domain/errors.js';
import type { DocumentImporte } from '../../usecases/document.js';
import type { EtatLecture } from '../../usecases/document-lecture.js';
import type { FormFields } from '../form.js';
import { LIBELLES_RAISON_DOUBLON, type Doublon } from '../../domain/document.js';
import { Case, ErreursFormulaire, Input, Select, Textarea, rowsOf, type ChampsCtx } from './champs.js';
import { ancre, libelleDuPointeur, pointeurDuChamp, TexteSource } from './document-source.js';
import { Page } from './layout.js';
import { instantEnMots, LIBELLES_NATURE, LIBELLES_PHASE, LIBELLES_ROLE_DINUM } from './libelles.js';

const FORMATS =
  '.txt,.md,.pdf,.docx,text/plain,text/markdown,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function mo(n: number): string {
  return n >= 1048576
    ? `${(n / 1048576).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`
    : `${Math.max(1, Math.round(n / 1024))} Ko`;
}

export interface ResultatFichier {
  nom: string;
  documentId?: string;
  erreur?: string;
}

export function ImportPage({
  acteur,
  csrf,
  documents,
  tailleMax,
  ocr,
  resultats = [],
  erreur,
  ecarte = false,
}: {
  acteur: Acteur;
  csrf: string;
  documents: DocumentImporte[];
  tailleMax: number;
  /** the reading's allowance per scanned page (seconds) and the most scanned pages read */
  ocr: { pageS: number; pagesMax: number };
  resultats?: ResultatFichier[];
  erreur?: string;
  /** an import was just discarded */
  ecarte?: boolean;
}) {
  const refuses = resultats.filter((r) => r.erreur);
  const lus = resultats.filter((r) => r.documentId);
  return (
    <Page
      titre="Importer des conventions"
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Conventions', '/conventions'], ['Importer']]}
    >
      <h1>Importer des conventions signées</h1>
      {ecarte ? (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <p>L’import a été écarté : il ne figure plus parmi les documents à vérifier. Le journal en garde la trace.</p>
        </div>
      ) : null}
      {erreur ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">Aucun fichier importé</h2>
          <p>{erreur}</p>
        </div>
      ) : null}
      {refuses.length ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="refus">
          <h2 class="fr-alert__title">
            {refuses.length > 1 ? `${refuses.length} fichiers refusés` : 'Un fichier refusé'}
          </h2>
          <ul>
            {refuses.map((r) => (
              <li>{r.erreur}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {lus.length ? (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <h2 class="fr-alert__title">
            {lus.length > 1 ? `${lus.length} fichiers lus` : 'Un fichier lu'} : vérifiez-les avant de les accepter
          </h2>
          <ul>
            {lus.map((r) => (
              <li>
                <a href={`/imports/${r.documentId}`}>{r.nom}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>
        Déposez le texte signé d’une ou de plusieurs conventions (PDF, numérisé ou non, Word .docx, texte ou Markdown ;{' '}
        {mo(tailleMax)} au plus par envoi). Les valeurs lues (parties, montants, références Chorus, dates…) vous sont
        présentées à côté du texte, pour vérification, avant toute création.
      </p>
      <form method="post" action="/imports" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="fr-upload-group fr-mb-3w">
          <label class="fr-label" for="fichiers">
            Fichiers à importer
            <span class="fr-hint-text">
              Formats : .pdf, .docx, .txt, .md. Plusieurs fichiers possibles. Les pages numérisées d’un PDF sont lues
              par reconnaissance de caractères (OCR) : la lecture peut prendre jusqu’à {ocr.pageS} secondes par page
              numérisée ({ocr.pagesMax} pages numérisées au plus par fichier).
            </span>
          </label>
          <input class="fr-upload" type="file" id="fichiers" name="fichiers" multiple accept={FORMATS} />
        </div>
        <button class="fr-btn" type="submit">
          Lire les fichiers
        </button>
      </form>

      <h2 class="fr-mt-6w">Documents en attente de vérification</h2>
      {documents.length === 0 ? (
        <p class="non-renseigne">Aucun document en attente.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption class="fr-sr-only">Documents en attente de vérification</caption>
            <thead>
              <tr>
                <th scope="col">Fichier</th>
                <th scope="col">Service lu</th>
                <th scope="col">Avertissements</th>
                <th scope="col">Importé le</th>
              </tr>
            </thead>
            <tbody>
              {documents.map((d) => (
                <tr>
                  <td>
                    <a href={`/imports/${d.id}`}>{d.nom}</a>
                  </td>
                  <td>{d.extraction.service_name ?? <span class="non-renseigne">Non lu</span>}</td>
                  <td>{d.extraction.warnings.length}</td>
                  <td>{instantEnMots(d.importeLe)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

/** Seconds between two loads of a reading's progress page. */
const RAFRAICHISSEMENT_S = 2;

/** « Page 3 sur 12 lue », or the reading before its first scanned page is read. */
function etatProgression(etat: EtatLecture): string {
  if (!etat.ocr) return 'Lecture en cours';
  const lues = etat.ocr.rang - 1;
  return lues ? `Page ${lues} sur ${etat.ocr.total} lue` : `Lecture de la page 1 sur ${etat.ocr.total}`;
}

/**
 * The progress of a reading under way, without JavaScript: the page loads itself again every few seconds
 * until the reading ends, then the server answers the review page (or the refusals) in its place.
 */
export function LecturePage({
  acteur,
  csrf,
  etat,
  ocr,
}: {
  acteur: Acteur;
  csrf: string;
  etat: EtatLecture;
  /** the reading's allowance per scanned page (seconds) */
  ocr: { pageS: number };
}) {
  const p = etat.ocr;
  const lues = p ? p.rang - 1 : 0;
  return (
    <Page
      titre="Lecture en cours"
      acteur={acteur}
      csrf={csrf}
      rafraichir={RAFRAICHISSEMENT_S}
      fil={[['Accueil', '/'], ['Conventions', '/conventions'], ['Importer', '/imports'], ['Lecture en cours']]}
    >
      <h1>Lecture des fichiers en cours</h1>
      <div class="fr-stepper" id="progression" role="status" aria-live="polite">
        <h2 class="fr-stepper__title">
          {etat.fichiers > 1 ? `Fichier ${etat.rang} sur ${etat.fichiers} : « ${etat.nom} »` : `« ${etat.nom} »`}
          <span class="fr-stepper__state">{etatProgression(etat)}</span>
        </h2>
        {p ? (
          <progress class="progression" max={p.total} value={lues} aria-label="Pages numérisées lues">
            {lues} sur {p.total}
          </progress>
        ) : null}
        <p class="fr-stepper__details">
          {p
            ? `${p.total > 1 ? `${p.total} pages numérisées` : 'Une page numérisée'}, lues par reconnaissance de caractères (OCR), jusqu’à ${ocr.pageS} secondes chacune ; page ${p.page} du document (${p.pages} ${p.pages > 1 ? 'pages' : 'page'}) en cours.`
            : 'Le texte du fichier est en cours de lecture.'}
        </p>
      </div>
      <p>
        Cette page se met à jour toutes les {RAFRAICHISSEMENT_S} secondes ; les valeurs lues s’afficheront pour
        vérification à la fin de la lecture. Vous pouvez la quitter : la lecture continue et le document rejoindra ceux
        en attente de vérification.
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href={`/imports/lectures/${etat.id}`}>
            Actualiser
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/imports">
            Retour aux imports
          </a>
        </li>
      </ul>
    </Page>
  );
}

export function VerificationPage({
  acteur,
  csrf,
  document: d,
  f,
  erreurs,
  avertissements,
  version,
  doublons = [],
  enAttente = true,
  ecart,
}: {
  acteur: Acteur;
  csrf: string;
  document: DocumentImporte;
  f: FormFields;
  erreurs: FieldError[];
  avertissements: string[];
  version?: number;
  /** stored conventions this one seems to repeat */
  doublons?: Doublon[];
  /** neither accepted nor discarded: it may still be accepted or discarded */
  enAttente?: boolean;
  /** the discard form as sent, when it was refused */
  ecart?: { f: FormFields; erreurs: FieldError[] };
}) {
  const ctx: ChampsCtx = { f, erreurs: new Map(erreurs.map((e) => [e.champ, e.message])) };
  const ctxEcart: ChampsCtx = {
    f: ecart?.f ?? {},
    erreurs: new Map((ecart?.erreurs ?? []).map((e) => [e.champ, e.message])),
    form: 'ecart',
  };
  const prov = d.extraction.provenance ?? {};
  const voir = (name: string) => {
    const p = pointeurDuChamp(name);
    return p && prov[p] ? (
      <a class="fr-link fr-text--xs voir-source" href={`#${ancre(p)}`}>
        Voir dans le texte
      </a>
    ) : (
      <span class="fr-text--xs non-renseigne">Non lu dans le texte</span>
    );
  };
  const champ = (
    name: string,
    label: string,
    extra: { hint?: string; inputmode?: 'decimal' | 'numeric'; type?: string; required?: boolean } = {},
  ) => (
    <div class="champ-lu">
      <Input ctx={ctx} name={name} label={label} {...extra} />
      {voir(name)}
    </div>
  );
  const partie = (p: 'delegant' | 'delegataire', label: string) => (
    <fieldset class="fr-fieldset" aria-labelledby={`legend-${p}`}>
      <legend class="fr-fieldset__legend" id={`legend-${p}`}>
        {label}
      </legend>
      <div class="fr-fieldset__element">{champ(`${p}.nom`, 'Nom', { required: true })}</div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name={`${p}.nom_court`} label="Nom court" />
      </div>
      <div class="fr-fieldset__element">
        <Input ctx={ctx} name={`${p}.libelle_role`} label="Désignation dans le texte" />
      </div>
      <div class="fr-fieldset__element">{champ(`${p}.representant`, 'Représentant et qualité')}</div>
      <div class="fr-fieldset__element">{champ(`${p}.adresse`, 'Adresse')}</div>
    </fieldset>
  );
  const titre = `Vérifier l’import — ${d.nom}`;
  return (
    <Page titre={titre} acteur={acteur} csrf={csrf} fil={[['Accueil', '/'], ['Importer', '/imports'], [d.nom]]}>
      <h1>{titre}</h1>
      <p class="fr-text--sm">
        {mo(d.taille)} · {d.mediaType} · sha256 <code>{d.sha256.slice(0, 16)}…</code> · importé par {d.importePar} ·{' '}
        <a class="fr-link fr-text--sm" href={`/imports/${d.id}/original`}>
          Télécharger l’original
        </a>
        {d.conventionId ? (
          <>
            {' '}
            ·{' '}
            <a class="fr-link fr-text--sm" href={`/conventions/${d.conventionId}`}>
              Convention à vérifier
            </a>
          </>
        ) : null}
      </p>
      {erreurs.length ? <ErreursFormulaire titre="La convention n’a pas été acceptée" erreurs={erreurs} /> : null}
      {d.ecart ? (
        <div class="fr-alert fr-alert--info fr-mb-3w" id="ecart">
          <h2 class="fr-alert__title">Import écarté</h2>
          <p>
            Écarté {instantEnMots(d.ecart.le)} par {d.ecart.par}
            {d.ecart.motif ? ` : ${d.ecart.motif}` : ''}. Pour l’enregistrer, importez le fichier de nouveau.
          </p>
        </div>
      ) : null}
      {doublons.length ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w" id="doublons">
          <h2 class="fr-alert__title">Cette convention semble déjà enregistrée</h2>
          <ul>
            {doublons.map((x) => (
              <li>
                <a href={`/conventions/${x.id}`}>
                  {x.reference ?? `Convention entre ${x.delegant} et ${x.delegataire}`}
                </a>{' '}
                — {LIBELLES_RAISON_DOUBLON[x.raison]}
              </li>
            ))}
          </ul>
          <p>Vérifiez-la : s’il s’agit de la même convention, écartez cet import ; sinon, confirmez en l’acceptant.</p>
        </div>
      ) : null}
      {avertissements.length ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w" id="avertissements">
          <h2 class="fr-alert__title">Points à vérifier</h2>
          <ul>
            {avertissements.map((a) => (
              <li>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-lg-6">
          <h2 class="fr-h4">Texte du document</h2>
          <p class="fr-text--sm">
            Les valeurs lues sont surlignées ; survolez-les pour voir à quel champ elles correspondent.
          </p>
          <TexteSource texte={d.texte} provenance={prov} libelles={libelleDuPointeur} />
        </div>
        <div class="fr-col-12 fr-col-lg-6">
          <h2 class="fr-h4">Valeurs lues, à corriger si besoin</h2>
          {enAttente ? null : (
            <p>
              {d.ecart
                ? 'Cet import est écarté : ses valeurs ne peuvent plus être acceptées.'
                : 'Cet import a été accepté : la convention se modifie depuis sa fiche.'}
            </p>
          )}
          <form method="post" action={`/imports/${d.id}/accepter`} novalidate hidden={!enAttente}>
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="statut" value="en_vigueur" />
            {version !== undefined ? <input type="hidden" name="version" value={String(version)} /> : null}
            <div class="champ-lu">
              <Select ctx={ctx} name="nature" label="Nature" options={NATURES.map((n) => [n, LIBELLES_NATURE[n]])} />
              {voir('nature')}
            </div>
            <div class="champ-lu">
              <Select
                ctx={ctx}
                name="role_dinum"
                label="Rôle de la DINUM"
                required
                vide="Choisir"
                options={ROLES_DINUM.map((r) => [r, LIBELLES_ROLE_DINUM[r]])}
              />
              {voir('role_dinum')}
            </div>
            {partie('delegant', 'Délégant')}
            {partie('delegataire', 'Délégataire')}
            <div class="champ-lu">
              <Textarea ctx={ctx} name="produits" label="Service(s) financé(s)" hint="un par ligne" rows={2} />
              {voir('produits')}
            </div>
            {champ('objet_verbe', 'Verbe de l’objet')}
            <div class="champ-lu">
              <Select
                ctx={ctx}
                name="phase"
                label="Phase couverte"
                vide="Non indiquée"
                options={PHASES.map((p) => [p, LIBELLES_PHASE[p]])}
              />
              {voir('phase')}
            </div>
            {champ('uo', 'UO / centre financier')}
            {champ('programme_bop', 'Programme / BOP')}
            {champ('total_ae_centimes', 'Total AE (€)', { inputmode: 'decimal' })}
            {champ('cofinancement_fast_centimes', 'Cofinancement FAST (€)', { inputmode: 'decimal' })}
            <fieldset class="fr-fieldset">
              <legend class="fr-fieldset__legend">Références Chorus</legend>
              <div class="fr-fieldset__element">{champ('imputation.domaine_fonctionnel', 'Domaine fonctionnel')}</div>
              <div class="fr-fieldset__element">{champ('imputation.centre_financier', 'Centre financier')}</div>
              <div class="fr-fieldset__element">{champ('imputation.activite', 'Activité')}</div>
              <div class="fr-fieldset__element">{champ('imputation.centre_de_cout', 'Centre de coût')}</div>
              <div class="fr-fieldset__element">{champ('imputation.axe_ministeriel', 'Axe ministériel')}</div>
              <div class="fr-fieldset__element">
                <Textarea
                  ctx={ctx}
                  name="imputation.extra"
                  label="Autres valeurs"
                  hint="une par ligne : « Libellé : valeur »"
                />
              </div>
            </fieldset>
            {champ('comptable_assignataire', 'Comptable assignataire')}
            <div class="fr-table">
              <table>
                <caption>Échéancier (€) — case vide : non indiqué, différent de 0</caption>
                <thead>
                  <tr>
                    <th scope="col">Année</th>
                    <th scope="col">AE</th>
                    <th scope="col">CP</th>
                  </tr>
                </thead>
                <tbody>
                  {rowsOf(f, 'echeancier', 1).map((i) => (
                    <tr>
                      <td>{champ(`echeancier.${i}.annee`, `Année, ligne ${i + 1}`, { inputmode: 'numeric' })}</td>
                      <td>{champ(`echeancier.${i}.ae_centimes`, `AE, ligne ${i + 1}`, { inputmode: 'decimal' })}</td>
                      <td>{champ(`echeancier.${i}.cp_centimes`, `CP, ligne ${i + 1}`, { inputmode: 'decimal' })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="fr-table">
              <table>
                <caption>Tranches</caption>
                <thead>
                  <tr>
                    <th scope="col">Part (%)</th>
                    <th scope="col">Condition</th>
                  </tr>
                </thead>
                <tbody>
                  {rowsOf(f, 'tranches', 1).map((i) => (
                    <tr>
                      <td>{champ(`tranches.${i}.part_pct`, `Part, tranche ${i + 1}`, { inputmode: 'decimal' })}</td>
                      <td>{champ(`tranches.${i}.condition`, `Condition, tranche ${i + 1}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {champ('date_signature', 'Date de signature', { type: 'date' })}
            {champ('date_fin', 'Date de fin', { type: 'date' })}
            {champ('duree_mois', 'Durée (mois)', { inputmode: 'numeric' })}
            {champ('preavis_mois', 'Préavis (mois)', { inputmode: 'numeric' })}
            {champ('comite.periodicite_mois', 'Comité d’investissement : tous les … mois', { inputmode: 'numeric' })}
            {champ('comite.presidence', 'Présidence du comité')}
            {champ('comite.invites', 'Invités du comité')}
            {champ('promotion_fast', 'Promotion FAST')}
            {champ('destinataires_copie', 'Copies transmises à')}
            {champ('publication', 'Canaux de publication')}
            <fieldset class="fr-fieldset">
              <legend class="fr-fieldset__legend">Obligations lues</legend>
              <div class="fr-fieldset__element">
                <Textarea ctx={ctx} name="obligations.delegant" label="Du délégant" hint="une par ligne" rows={5} />
              </div>
              <div class="fr-fieldset__element">
                <Textarea
                  ctx={ctx}
                  name="obligations.delegataire"
                  label="Du délégataire"
                  hint="une par ligne"
                  rows={5}
                />
              </div>
            </fieldset>
            {rowsOf(f, 'rgpd', 0).length ? (
              <p class="fr-text--sm">
                Annexe RGPD : {rowsOf(f, 'rgpd', 0).length} ligne(s) lue(s), conservée(s) avec la convention et
                modifiable(s) depuis sa fiche.
              </p>
            ) : null}
            {rowsOf(f, 'rgpd', 0).map((i) => (
              <>
                <input type="hidden" name={`rgpd.${i}.theme`} value={f[`rgpd.${i}.theme`] ?? ''} />
                <input type="hidden" name={`rgpd.${i}.dinum`} value={f[`rgpd.${i}.dinum`] ?? ''} />
                <input type="hidden" name={`rgpd.${i}.partenaire`} value={f[`rgpd.${i}.partenaire`] ?? ''} />
              </>
            ))}
            {doublons.length ? (
              <div class="fr-mt-4w">
                <Case
                  ctx={ctx}
                  name="confirmer_doublon"
                  label="J’ai vérifié : ce n’est pas une convention déjà enregistrée, l’accepter quand même."
                />
              </div>
            ) : null}
            <ul class="fr-btns-group fr-btns-group--inline fr-mt-4w">
              <li>
                <button class="fr-btn" type="submit">
                  Accepter la convention
                </button>
              </li>
              <li>
                <a class="fr-btn fr-btn--secondary" href="/imports">
                  Plus tard
                </a>
              </li>
            </ul>
          </form>
          {enAttente ? (
            <form method="post" action={`/imports/${d.id}/ecarter`} class="fr-mt-6w" novalidate>
              <input type="hidden" name="_csrf" value={csrf} />
              <fieldset class="fr-fieldset" aria-labelledby="legend-ecart">
                <legend class="fr-fieldset__legend" id="legend-ecart">
                  Écarter l’import
                </legend>
                {ecart?.erreurs.length ? (
                  <div class="fr-fieldset__element">
                    <div class="fr-alert fr-alert--error fr-alert--sm" role="alert" tabindex={-1} autofocus>
                      <p>{ecart.erreurs[0]?.message}</p>
                    </div>
                  </div>
                ) : null}
                <div class="fr-fieldset__element">
                  <p class="fr-text--sm">
                    Un doublon, un document qui n’est pas une convention : l’import quitte la liste à vérifier
                    {d.conventionId ? ' et la convention à vérifier qu’il a créée est supprimée' : ''}. Le fichier et le
                    journal en gardent la trace.
                  </p>
                </div>
                <div class="fr-fieldset__element">
                  <Textarea ctx={ctxEcart} name="motif" label="Motif (facultatif)" rows={2} />
                </div>
                <div class="fr-fieldset__element">
                  <Case
                    ctx={ctxEcart}
                    name="confirmation"
                    label="Je confirme : cet import est écarté, ses valeurs ne seront pas enregistrées."
                    required
                  />
                </div>
                <div class="fr-fieldset__element">
                  <button class="fr-btn fr-btn--secondary" type="submit">
                    Écarter l’import
                  </button>
                </div>
              </fieldset>
            </form>
          ) : null}
        </div>
      </div>
    </Page>
  );
}
