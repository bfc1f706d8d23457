import type { Child } from 'hono/jsx';
import type { Acteur } from '../../domain/acces.js';
import { peutModifierConvention } from '../../domain/acces.js';
import {
  estSignee,
  finEffective,
  totalEcheancier,
  type Convention,
  type Partie,
  type StatutEffectif,
} from '../../domain/convention.js';
import { formatDate } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import type { LigneJournal } from '../../domain/journal.js';
import { JournalTable } from './journal.js';
import { Page } from './layout.js';
import { BadgeStatut, LIBELLES_NATURE, LIBELLES_PHASE, LIBELLES_ROLE_DINUM } from './libelles.js';

function Champ({ label, children }: { label: string; children: Child }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

const v = (x: string | number | null | undefined) =>
  x === null || x === undefined || x === '' ? <span class="non-renseigne">Non renseigné</span> : x;

function CartePartie({ titre, p }: { titre: string; p: Partie }) {
  return (
    <section class="partie fr-p-3w">
      <h3 class="fr-h5">{titre}</h3>
      <dl class="fiche fiche--etroite">
        <Champ label="Nom">{v(p.nom)}</Champ>
        <Champ label="Désignation dans le texte">{v([p.libelleRole, p.nomCourt].filter(Boolean).join(' / '))}</Champ>
        <Champ label="Représentant">{v(p.representant)}</Champ>
        <Champ label="Adresse">{v(p.adresse)}</Champ>
        <Champ label="SIRET">{v(p.siret)}</Champ>
      </dl>
    </section>
  );
}

/** Title, status and the buttons to the credits and the edit form. */
function EnTete({
  acteur,
  c,
  titre,
  statut,
}: {
  acteur: Acteur;
  c: Convention;
  titre: string;
  statut: StatutEffectif;
}) {
  return (
    <>
      <div class="fr-grid-row fr-grid-row--middle fr-mb-2w">
        <div class="fr-col">
          <h1 class="fr-mb-1w">{titre}</h1>
          <p class="fr-mb-0">
            <BadgeStatut statut={statut} /> {LIBELLES_NATURE[c.nature]} · {LIBELLES_ROLE_DINUM[c.roleDinum]}
            {c.reference ? ` · ${c.reference}` : ''}
          </p>
        </div>
        {acteur.role !== 'public' ? (
          <div class="fr-col-auto">
            <a
              class="fr-btn fr-btn--secondary fr-icon-money-euro-circle-line fr-btn--icon-left fr-mr-2w"
              href={`/conventions/${c.id}/credits`}
            >
              Crédits et engagements
            </a>
            <a
              class="fr-btn fr-btn--secondary fr-icon-team-line fr-btn--icon-left fr-mr-2w"
              href={`/conventions/${c.id}/gouvernance`}
            >
              Gouvernance
            </a>
            {estSignee(c.statut) ? (
              <a
                class="fr-btn fr-btn--secondary fr-icon-file-text-line fr-btn--icon-left fr-mr-2w"
                href={`/conventions/${c.id}/rapport`}
              >
                Compte rendu de fin
              </a>
            ) : null}
            <a
              class="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left fr-mr-2w"
              href={`/api/v1/conventions/${c.id}/document?format=docx`}
            >
              Texte de la convention (DOCX)
            </a>
            <a
              class="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left fr-mr-2w"
              href={`/api/v1/conventions/${c.id}/document?format=pdf`}
            >
              Texte de la convention (PDF)
            </a>
          </div>
        ) : null}
        {peutModifierConvention(acteur, c) ? (
          <div class="fr-col-auto">
            <a class="fr-btn fr-icon-edit-line fr-btn--icon-left" href={`/conventions/${c.id}/modifier`}>
              Modifier
            </a>
          </div>
        ) : null}
      </div>
    </>
  );
}

function SectionObjet({ c }: { c: Convention }) {
  return (
    <>
      <h2 class="fr-mt-4w">Objet</h2>
      <dl class="fiche">
        <Champ label="Service(s) financé(s)">
          {c.produits.length ? (
            <ul>
              {c.produits.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          ) : (
            v(null)
          )}
        </Champ>
        <Champ label="Objet">{v([c.objetVerbe, c.objet].filter(Boolean).join(' — '))}</Champ>
        <Champ label="Phase couverte">{v(c.phase ? LIBELLES_PHASE[c.phase] : null)}</Champ>
        <Champ label="Base juridique">{v(c.baseJuridique)}</Champ>
        <Champ label="Préambule">{v(c.preambule)}</Champ>
      </dl>
    </>
  );
}

/** Amounts, Chorus references, indicative schedule and tranches. */
function SectionBudget({ c }: { c: Convention }) {
  const totals = totalEcheancier(c.echeancier);
  const extraChorus = Object.entries(c.imputation.extra);
  return (
    <>
      <h2 class="fr-mt-4w">Budget et imputation</h2>
      <dl class="fiche">
        <Champ label="UO / centre financier">{v(c.uo)}</Champ>
        <Champ label="Programme / BOP">{v(c.programmeBop)}</Champ>
        <Champ label="Comptable assignataire">{v(c.comptableAssignataire)}</Champ>
        <Champ label="Base des montants">
          {c.baseMontants === 'TTC' ? 'TTC (toutes taxes comprises)' : 'HT (hors taxes)'}
        </Champ>
        <Champ label="Total AE indiqué">{formatEuros(c.totalAeCentimes)}</Champ>
        <Champ label="Cofinancement FAST">
          {c.cofinancementFastCentimes === null
            ? v(null)
            : `${formatEuros(c.cofinancementFastCentimes)}${c.promotionFast ? ` (${c.promotionFast})` : ''}`}
        </Champ>
      </dl>
      <div class="fr-table">
        <table>
          <caption>Références Chorus</caption>
          <thead>
            <tr>
              <th scope="col">Libellé</th>
              <th scope="col">Valeur</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Domaine fonctionnel</td>
              <td>{v(c.imputation.domaineFonctionnel)}</td>
            </tr>
            <tr>
              <td>Centre financier</td>
              <td>{v(c.imputation.centreFinancier)}</td>
            </tr>
            <tr>
              <td>Activité</td>
              <td>{v(c.imputation.activite)}</td>
            </tr>
            <tr>
              <td>Centre de coût</td>
              <td>{v(c.imputation.centreDeCout)}</td>
            </tr>
            <tr>
              <td>Axe ministériel</td>
              <td>{v(c.imputation.axeMinisteriel)}</td>
            </tr>
            {extraChorus.map(([k, val]) => (
              <tr>
                <td>{k}</td>
                <td>{val}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="fr-table">
        <table>
          <caption>Échéancier indicatif ({c.baseMontants})</caption>
          <thead>
            <tr>
              <th scope="col">Année</th>
              <th scope="col">AE</th>
              <th scope="col">CP</th>
            </tr>
          </thead>
          <tbody>
            {c.echeancier.length === 0 ? (
              <tr>
                <td colspan={3}>Aucun échéancier.</td>
              </tr>
            ) : null}
            {c.echeancier.map((l) => (
              <tr>
                <th scope="row">{l.annee}</th>
                <td class="montant">
                  {l.aeCentimes === null ? <span class="non-renseigne">Non indiqué</span> : formatEuros(l.aeCentimes)}
                </td>
                <td class="montant">
                  {l.cpCentimes === null ? <span class="non-renseigne">Non indiqué</span> : formatEuros(l.cpCentimes)}
                </td>
              </tr>
            ))}
          </tbody>
          {c.echeancier.length > 1 ? (
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td class="montant">{formatEuros(totals.ae)}</td>
                <td class="montant">{formatEuros(totals.cp)}</td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      {c.tranches.length ? (
        <div class="fr-table">
          {/* a long condition makes the table scroll: the keyboard must reach it */}
          <table tabindex={0}>
            <caption>Tranches</caption>
            <thead>
              <tr>
                <th scope="col">Tranche</th>
                <th scope="col">Part</th>
                <th scope="col">Condition</th>
              </tr>
            </thead>
            <tbody>
              {c.tranches.map((t, i) => (
                <tr>
                  <td>{i + 1}</td>
                  <td>{t.partPct.toLocaleString('fr-FR')} %</td>
                  <td>{v(t.condition)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function SectionDuree({ c }: { c: Convention }) {
  const fin = finEffective(c);
  return (
    <>
      <h2 class="fr-mt-4w">Durée et gouvernance</h2>
      <dl class="fiche">
        <Champ label="Signature">{formatDate(c.dateSignature)}</Champ>
        <Champ label="Terme">
          {c.dateFin
            ? `Jusqu’au ${formatDate(c.dateFin)}`
            : c.dureeMois !== null
              ? `${c.dureeMois} mois à compter de la signature`
              : v(null)}
        </Champ>
        <Champ label="Fin (calculée)">{formatDate(fin)}</Champ>
        <Champ label="Préavis de résiliation">{c.preavisMois === null ? v(null) : `${c.preavisMois} mois`}</Champ>
        <Champ label="Comité d’investissement">
          {c.comite.periodiciteMois === null ? v(null) : `tous les ${c.comite.periodiciteMois} mois`}
        </Champ>
        <Champ label="Présidence du comité">{v(c.comite.presidence)}</Champ>
        <Champ label="Invités">{v(c.comite.invites)}</Champ>
        <Champ label="Copies">{v(c.destinatairesCopie)}</Champ>
        <Champ label="Publication">
          {v(c.publication)}
          {c.publiee ? ' — publiée' : ' — non publiée'}
        </Champ>
      </dl>
      <p>
        <a class="fr-link fr-icon-calendar-line fr-link--icon-left" href={`/conventions/${c.id}/agenda.ics`} download>
          Ajouter au calendrier (.ics)
        </a>
      </p>
    </>
  );
}

/** Each party's obligations, then the GDPR annex when the convention has one. */
function SectionObligations({ c }: { c: Convention }) {
  return (
    <>
      <h2 class="fr-mt-4w">Obligations</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        {(['delegant', 'delegataire'] as const).map((p) => (
          <div class="fr-col-12 fr-col-md-6">
            <h3 class="fr-h6">{p === 'delegant' ? 'Du délégant' : 'Du délégataire'}</h3>
            <ul>
              {c.obligations
                .filter((o) => o.partie === p)
                .map((o) => (
                  <li>{o.texte}</li>
                ))}
            </ul>
            {c.obligations.some((o) => o.partie === p) ? null : <p class="non-renseigne">Aucune obligation saisie.</p>}
          </div>
        ))}
      </div>

      {c.rgpd.length ? (
        <>
          <h2 class="fr-mt-4w">Annexe RGPD : répartition des responsabilités</h2>
          <div class="fr-table fr-table--layout-fixed">
            <table>
              <caption>
                Responsabilités RGPD (le délégant est responsable de traitement, la DINUM sous-traitante)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Thème</th>
                  <th scope="col">DINUM</th>
                  <th scope="col">Partenaire</th>
                </tr>
              </thead>
              <tbody>
                {c.rgpd.map((r) => (
                  <tr>
                    <th scope="row">{r.theme}</th>
                    <td>{r.dinum || '—'}</td>
                    <td>{r.partenaire || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

export function FichePage({
  acteur,
  c,
  statut,
  journal,
  avertissements,
  flash,
  extra,
}: {
  acteur: Acteur;
  c: Convention;
  statut: StatutEffectif;
  journal: LigneJournal[];
  avertissements: string[];
  flash?: { type: 'success' | 'error' | 'info' | 'warning'; message: string } | null;
  extra?: Child;
}) {
  const titre = c.produits.join(', ') || c.reference || 'Convention';
  return (
    <Page
      titre={titre}
      acteur={acteur}
      fil={[['Accueil', '/'], ['Conventions', '/conventions'], [titre]]}
      flash={flash}
    >
      <EnTete acteur={acteur} c={c} titre={titre} statut={statut} />

      {avertissements.length ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <h2 class="fr-alert__title">Points à vérifier</h2>
          <ul>
            {avertissements.map((a) => (
              <li>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {extra}

      <h2 class="fr-mt-4w">Parties</h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <CartePartie titre="Délégant" p={c.delegant} />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <CartePartie titre="Délégataire" p={c.delegataire} />
        </div>
      </div>

      <SectionObjet c={c} />
      <SectionBudget c={c} />
      <SectionDuree c={c} />
      <SectionObligations c={c} />

      <h2 class="fr-mt-4w" id="journal">
        Journal
      </h2>
      <JournalTable journal={journal} />
    </Page>
  );
}
