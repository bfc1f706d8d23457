import type { Child } from 'hono/jsx';
import { peutDeciderCredits, peutDeroger, peutGererCredits, peutProposerEngagement, type Acteur } from '../../domain/acces.js';
import { dateDansAnnee } from '../../domain/calendrier.js';
import { daysBetween, formatDate, type DateIso } from '../../domain/dates.js';
import { etatEngagement, LIBELLES_ETAT_ENGAGEMENT, montantNet, resteACertifier, resteAPayer, type Engagement } from '../../domain/engagement.js';
import { LIBELLES_STATUT_PROPOSITION, type Proposition } from '../../domain/proposition.js';
import type { FieldError } from '../../domain/errors.js';
import { centimesToSaisie, formatEuros, type Centimes } from '../../domain/money.js';
import type { AlerteEnregistree } from '../../domain/alerte.js';
import type { Mouvement, PointSerie } from '../../domain/credit.js';
import type { VueCredits } from '../../usecases/credits.js';
import type { FormFields } from '../form.js';
import { Input, Select, Textarea, type ChampsCtx as Ctx } from './champs.js';
import { Page } from './layout.js';

/** A form shown again after a refusal: which one, what was typed, what to fix. */
export interface EtatFormulaire {
  form: string;
  f: FormFields;
  erreurs: FieldError[];
  /** a refusal by a rule (ceiling, calendar…), in French with its figures */
  refus?: string;
}

type Flash = { type: 'success' | 'error' | 'info' | 'warning'; message: string } | null;

function ctxDe(etat: EtatFormulaire | null, form: string, defauts: FormFields): Ctx {
  if (etat && etat.form === form) return { f: etat.f, erreurs: new Map(etat.erreurs.map((e) => [e.champ, e.message])) };
  return { f: defauts, erreurs: new Map() };
}

function ErreursFormulaire({ etat, form }: { etat: EtatFormulaire | null; form: string }) {
  if (!etat || etat.form !== form || etat.erreurs.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
      <p>{etat.erreurs.length === 1 ? etat.erreurs[0].message : 'Corrigez les champs signalés.'}</p>
    </div>
  );
}

function Refus({ etat }: { etat: EtatFormulaire | null }) {
  if (!etat?.refus) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
      <h2 class="fr-alert__title">Opération refusée</h2>
      <p>{etat.refus}</p>
    </div>
  );
}

const TYPES_MOUVEMENT: Record<string, string> = {
  mise_a_disposition: 'Mise à disposition',
  report_entrant: 'Report entrant',
  report_sortant: 'Report sortant',
  restitution: 'Restitution au délégant',
  engagement: 'Engagement',
  liberation: 'Libération d’AE',
  service_fait: 'Service fait',
  paiement: 'Paiement',
};

const m = (c: Centimes | null | undefined) => formatEuros(c);
const titreConvention = (v: VueCredits) => v.convention.produits.join(', ') || v.convention.reference || 'Convention';

/** Cumulative commitments and payments over the year, server-rendered, with a text alternative. */
export function Graphique({ serie, annee, ouvertAe, ouvertCp, aujourdHui, limiteAe, limiteCp }: { serie: PointSerie[]; annee: number; ouvertAe: Centimes; ouvertCp: Centimes; aujourdHui: DateIso; limiteAe: DateIso; limiteCp: DateIso }) {
  const L = 720;
  const H = 260;
  const g = 56;
  const d = 12;
  const h = 44;
  const b = 30;
  const debut = `${annee}-01-01`;
  const jours = daysBetween(debut, `${annee}-12-31`);
  let ae = 0;
  let cp = 0;
  const cumul = serie.map((p) => ({ date: p.date, ae: (ae += p.engageAe), cp: (cp += p.payeCp) }));
  const max = Math.max(ouvertAe, ouvertCp, ae, cp, 1);
  const x = (date: DateIso) => g + ((L - g - d) * Math.min(jours, Math.max(0, daysBetween(debut, date)))) / jours;
  const y = (v: number) => H - b - ((H - b - h) * v) / max;
  const escalier = (cle: 'ae' | 'cp') => {
    let chemin = `M${x(debut).toFixed(1)},${y(0).toFixed(1)}`;
    let prec = 0;
    for (const p of cumul) {
      chemin += ` H${x(p.date).toFixed(1)} V${y(prec).toFixed(1)} V${y(p[cle]).toFixed(1)}`;
      prec = p[cle];
    }
    const fin = aujourdHui < `${annee}-12-31` && aujourdHui >= debut ? aujourdHui : `${annee}-12-31`;
    return `${chemin} H${x(fin).toFixed(1)}`;
  };
  const mois = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
  const finsDeMois = mois.map((_, i) => {
    const fin = new Date(Date.UTC(annee, i + 1, 0)).toISOString().slice(0, 10);
    const dernier = [...cumul].reverse().find((p) => p.date <= fin);
    return { mois: `${mois[i]} ${annee}`, fin, ae: dernier?.ae ?? 0, cp: dernier?.cp ?? 0 };
  });
  const graduations = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  return (
    <figure class="fr-my-3w" role="group" aria-labelledby="graphique-titre">
      <svg viewBox={`0 0 ${L} ${H}`} width="100%" role="img" aria-labelledby="graphique-titre graphique-desc" class="graphique-credits">
        <title id="graphique-titre">{`Engagements et paiements cumulés en ${annee}`}</title>
        <desc id="graphique-desc">{`AE engagées cumulées : ${m(ae)} sur ${m(ouvertAe)} ouvertes ; CP payés cumulés : ${m(cp)} sur ${m(ouvertCp)} ouverts. Le tableau qui suit donne les valeurs fin de mois.`}</desc>
        {graduations.map((v) => (
          <g>
            <line x1={g} x2={L - d} y1={y(v)} y2={y(v)} class="grille" />
            <text x={g - 4} y={y(v) + 4} text-anchor="end" class="etiquette">{v >= 100_000 ? `${Math.round(v / 100_000)} k€` : `${Math.round(v / 100)} €`}</text>
          </g>
        ))}
        {mois.map((nom, i) => (
          <text x={x(`${annee}-${String(i + 1).padStart(2, '0')}-15`)} y={H - 10} text-anchor="middle" class="etiquette">{nom}</text>
        ))}
        <line x1={g} x2={L - d} y1={y(ouvertAe)} y2={y(ouvertAe)} class="plafond" />
        <text x={g + 4} y={y(ouvertAe) - 4} class="etiquette">AE ouvertes</text>
        {[[limiteCp, 'fin des paiements'], [limiteAe, 'fin des engagements']].map(([dt, lib], i) => (
          <g>
            <line x1={x(dt)} x2={x(dt)} y1={14 + i * 14} y2={H - b} class="limite" />
            <text x={x(dt) - 4} y={18 + i * 14} text-anchor="end" class="etiquette">{lib}</text>
          </g>
        ))}
        <path d={escalier('ae')} class="courbe-ae" />
        <path d={escalier('cp')} class="courbe-cp" />
      </svg>
      <figcaption class="fr-text--sm">
        <span class="legende-ae">━ AE engagées (net des libérations)</span> · <span class="legende-cp">━ CP payés</span> · ┈ AE ouvertes et dates limites
      </figcaption>
      <details>
        <summary>Données du graphique (fin de mois)</summary>
        <div class="fr-table fr-table--sm">
          <table>
            <caption>Cumuls fin de mois {annee}</caption>
            <thead><tr><th scope="col">Mois</th><th scope="col">AE engagées</th><th scope="col">CP payés</th></tr></thead>
            <tbody>
              {finsDeMois.map((l) => <tr><th scope="row">{l.mois}</th><td class="montant">{m(l.ae)}</td><td class="montant">{m(l.cp)}</td></tr>)}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function TableauAnnees({ v, annee, id }: { v: VueCredits; annee: number; id: string }) {
  return (
    <div class="fr-table">
      <table>
        <caption>Crédits par année (montants {v.convention.baseMontants})</caption>
        <thead>
          <tr>
            <th scope="col">Année</th>
            <th scope="col">AE prévues</th>
            <th scope="col">AE ouvertes</th>
            <th scope="col">AE engagées</th>
            <th scope="col">Service fait</th>
            <th scope="col">AE disponibles</th>
            <th scope="col">CP prévus</th>
            <th scope="col">CP ouverts</th>
            <th scope="col">CP payés</th>
            <th scope="col">CP disponibles</th>
          </tr>
        </thead>
        <tbody>
          {v.annees.length === 0 ? <tr><td colspan={10}>Aucun crédit : la convention n’a pas d’échéancier ou n’est pas encore signée et validée.</td></tr> : null}
          {v.annees.map((l) => (
            <tr aria-current={l.annee === annee ? 'true' : undefined}>
              <th scope="row"><a href={`/conventions/${id}/credits?annee=${l.annee}`}>{l.annee}</a></th>
              <td class="montant">{l.prevuAe === null ? <span class="non-renseigne">Non indiqué</span> : m(l.prevuAe)}</td>
              <td class="montant">{m(l.totaux.ouvertAe)}</td>
              <td class="montant">{m(l.totaux.engageAe)}</td>
              <td class="montant">{m(l.totaux.certifie)}</td>
              <td class="montant"><strong>{m(l.disponibleAe)}</strong></td>
              <td class="montant">{l.prevuCp === null ? <span class="non-renseigne">Non indiqué</span> : m(l.prevuCp)}</td>
              <td class="montant">{m(l.totaux.ouvertCp)}</td>
              <td class="montant">{m(l.totaux.payeCp)}</td>
              <td class="montant"><strong>{m(l.disponibleCp)}</strong></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Projection({ v, annee }: { v: VueCredits; annee: number }) {
  const l = v.annees.find((a) => a.annee === annee);
  if (!l || !l.projection) return null;
  const p = l.projection;
  return (
    <div class="fr-callout fr-mb-3w">
      <h3 class="fr-callout__title">Projection de fin d’année {annee}</h3>
      <p class="fr-callout__text">
        {p.significative ? 'Au rythme constaté depuis l’ouverture des crédits' : 'Les crédits sont ouverts depuis moins d’un mois : projection indicative'} :{' '}
        {m(p.aeProjete)} d’AE engagées à la date limite des engagements ({m(p.aeInutilise)} non engagées) et {m(p.cpProjete)} de CP payés à la date limite des paiements ({m(p.cpInutilise)} non payés).
      </p>
    </div>
  );
}

function TableauEngagements({ engagements, total, page, taille, id, annee }: { engagements: Engagement[]; total: number; page: number; taille: number; id: string; annee: number }) {
  const pages = Math.max(1, Math.ceil(total / taille));
  return (
    <>
      <div class="fr-table">
        <table>
          <caption>Bons de commande {annee} ({total})</caption>
          <thead>
            <tr>
              <th scope="col">Numéro</th>
              <th scope="col">Date</th>
              <th scope="col">Titulaire</th>
              <th scope="col">Objet</th>
              <th scope="col">Montant</th>
              <th scope="col">Service fait</th>
              <th scope="col">Payé</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {engagements.length === 0 ? <tr><td colspan={8}>Aucun bon de commande sur {annee}.</td></tr> : null}
            {engagements.map((e) => (
              <tr>
                <td><a href={`/conventions/${id}/credits/engagements/${e.id}`}>{e.numero}</a></td>
                <td>{formatDate(e.dateEngagement)}</td>
                <td>{e.titulaire}{e.marche ? <span class="fr-hint-text">{e.marche}</span> : null}</td>
                <td>{e.objet}{e.produit ? <span class="fr-hint-text">{e.produit}</span> : null}</td>
                <td class="montant">{m(e.montantCentimes)} {e.baseMontant}{e.libereCentimes ? <span class="fr-hint-text">net {m(montantNet(e))}</span> : null}</td>
                <td class="montant">{m(e.certifieCentimes)}</td>
                <td class="montant">{m(e.payeCentimes)}</td>
                <td><p class={`fr-badge fr-badge--sm ${BADGE_ETAT[etatEngagement(e)]}`}>{LIBELLES_ETAT_ENGAGEMENT[etatEngagement(e)]}</p></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav role="navigation" class="fr-pagination" aria-label="Pagination des bons de commande">
          <ul class="fr-pagination__list">
            {page > 1 ? <li><a class="fr-pagination__link fr-pagination__link--prev" href={`/conventions/${id}/credits?annee=${annee}&page=${page - 1}#engagements`}>Page précédente</a></li> : null}
            <li><a class="fr-pagination__link" aria-current="page">{page} / {pages}</a></li>
            {page < pages ? <li><a class="fr-pagination__link fr-pagination__link--next" href={`/conventions/${id}/credits?annee=${annee}&page=${page + 1}#engagements`}>Page suivante</a></li> : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

const BADGE_ETAT: Record<string, string> = { engage: 'fr-badge--info', service_fait_partiel: 'fr-badge--new', service_fait_total: 'fr-badge--new', paye: 'fr-badge--success', solde: '', annule: 'fr-badge--error' };

function Csrf({ csrf }: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={csrf} />;
}

function Formulaire({ action, csrf, titre, etat, form, children, bouton, id }: { action: string; csrf: string; titre: string; etat: EtatFormulaire | null; form: string; children: Child; bouton: string; id?: string }) {
  return (
    <form method="post" action={action} novalidate class="fr-mb-4w" id={id}>
      <Csrf csrf={csrf} />
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">{titre}</legend>
        <div class="fr-fieldset__element">
          <ErreursFormulaire etat={etat} form={form} />
        </div>
        {children}
        <div class="fr-fieldset__element">
          <button class="fr-btn" type="submit">{bouton}</button>
        </div>
      </fieldset>
    </form>
  );
}

function TableauPropositions({ propositions, id, csrf, gerer, admin, etat }: { propositions: Proposition[]; id: string; csrf: string; gerer: boolean; admin: boolean; etat: EtatFormulaire | null }) {
  return (
    <div class="fr-table">
      <table>
        <caption>Bons de commande proposés</caption>
        <thead>
          <tr>
            <th scope="col">Proposé</th>
            <th scope="col">Objet et titulaire</th>
            <th scope="col">Année</th>
            <th scope="col">Montant</th>
            <th scope="col">Justification</th>
            <th scope="col">Statut</th>
            {gerer ? <th scope="col">Décision</th> : null}
          </tr>
        </thead>
        <tbody>
          {propositions.length === 0 ? <tr><td colspan={gerer ? 7 : 6}>Aucune proposition.</td></tr> : null}
          {propositions.map((p) => {
            const form = `proposition-${p.id}`;
            const erreur = etat && etat.form === form ? (etat.erreurs[0]?.message ?? null) : null;
            return (
              <tr>
                <td>{formatDate(p.proposeLe.slice(0, 10) as DateIso)}<br /><span class="fr-hint-text">{p.proposeParNom}</span></td>
                <td>{p.objet}<br /><span class="fr-hint-text">{p.titulaire}{p.devis ? ` — devis ${p.devis}` : ''}</span></td>
                <td>{p.annee}</td>
                <td class="montant">{m(p.montantCentimes)}{p.baseMontant ? ` ${p.baseMontant}` : ''}</td>
                <td>{p.justification}</td>
                <td>
                  <p class={`fr-badge fr-badge--sm ${p.statut === 'validee' ? 'fr-badge--success' : p.statut === 'refusee' ? 'fr-badge--error' : 'fr-badge--new'}`}>{LIBELLES_STATUT_PROPOSITION[p.statut]}</p>
                  {p.decideParNom ? <span class="fr-hint-text">{p.decideParNom}{p.decideLe ? `, le ${formatDate(p.decideLe.slice(0, 10) as DateIso)}` : ''}</span> : null}
                  {p.motifRefus ? <span class="fr-hint-text">Motif : {p.motifRefus}</span> : null}
                  {p.engagementId ? <a class="fr-link fr-link--sm" href={`/conventions/${id}/credits/engagements/${p.engagementId}`}>Bon de commande</a> : null}
                </td>
                {gerer ? (
                  <td>
                    {p.statut === 'a_valider' ? (
                      <>
                        {erreur ? <p class="fr-error-text" id={`${form}-err`}>{erreur}</p> : null}
                        <form method="post" action={`/conventions/${id}/credits/propositions/${p.id}/validation`} class="fr-mb-1w">
                          <Csrf csrf={csrf} />
                          {admin ? (
                            <div class="fr-input-group">
                              <label class="fr-label" for={`derogation-${p.id}`}>Motif de dérogation au calendrier<span class="fr-hint-text">seulement après une date limite</span></label>
                              <input class="fr-input" id={`derogation-${p.id}`} name="derogation_motif" type="text" autocomplete="off" />
                            </div>
                          ) : null}
                          <button class="fr-btn fr-btn--sm" type="submit" title={`Valider et engager : ${p.objet}`}>Valider et engager</button>
                        </form>
                        <form method="post" action={`/conventions/${id}/credits/propositions/${p.id}/refus`}>
                          <Csrf csrf={csrf} />
                          <div class="fr-input-group">
                            <label class="fr-label" for={`refus-${p.id}`}>Motif du refus</label>
                            <input class="fr-input" id={`refus-${p.id}`} name="motif" type="text" required autocomplete="off" aria-describedby={erreur ? `${form}-err` : undefined} />
                          </div>
                          <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" title={`Refuser : ${p.objet}`}>Refuser</button>
                        </form>
                      </>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const el = (c: Child) => <div class="fr-fieldset__element fr-col-12 fr-col-md-6">{c}</div>;

/** What an order and a proposal both say: who, what, how much, on which year's credits. */
function ChampsCommande({ ctx }: { ctx: Ctx }) {
  return (
    <>
      {el(<Input ctx={ctx} name="titulaire" label="Titulaire du marché" required />)}
      {el(<Input ctx={ctx} name="marche" label="Marché-cadre" />)}
      {el(<Input ctx={ctx} name="objet" label="Objet" required />)}
      {el(<Input ctx={ctx} name="devis" label="Référence du devis" />)}
      {el(<Input ctx={ctx} name="montant_centimes" label="Montant (€)" hint="ex. 12 000 ou 1 250,50" inputmode="decimal" required />)}
      {el(<Select ctx={ctx} name="base_montant" label="Base du montant" options={[['TTC', 'TTC (toutes taxes comprises)'], ['HT', 'HT (hors taxes)']]} />)}
      {el(<Input ctx={ctx} name="annee" label="Année budgétaire" inputmode="numeric" required />)}
    </>
  );
}

export function CreditsPage(props: {
  acteur: Acteur;
  csrf: string;
  v: VueCredits;
  annee: number;
  engagements: { items: Engagement[]; total: number; page: number; taille: number };
  disponibilites: Mouvement[];
  serie: PointSerie[];
  refus: AlerteEnregistree[];
  propositions: Proposition[];
  etat: EtatFormulaire | null;
  flash: Flash;
}) {
  const { acteur, csrf, v, annee, etat } = props;
  const c = v.convention;
  const id = c.id;
  const titre = titreConvention(v);
  const ligne = v.annees.find((a) => a.annee === annee);
  const gerer = peutGererCredits(acteur, c);
  const decider = peutDeciderCredits(acteur);
  const admin = peutDeroger(acteur);
  const nonLiberees = c.tranches.map((t, i) => ({ rang: i + 1, t })).filter(({ rang }) => rang > 1 && !c.liberations.some((l) => l.rang === rang));
  const proposer = !gerer && peutProposerEngagement(acteur, c);
  const ce = ctxDe(etat, 'engagement', { annee: String(annee), date_engagement: v.aujourdHui, base_montant: c.baseMontants });
  const cp = ctxDe(etat, 'proposition', { annee: String(Math.max(annee, Number(v.aujourdHui.slice(0, 4)))), base_montant: c.baseMontants });
  const cd = ctxDe(etat, 'decision', { annee: String(annee), date: v.aujourdHui });
  return (
    <Page titre={`Crédits — ${titre}`} acteur={acteur} csrf={csrf} fil={[['Accueil', '/'], ['Conventions', '/conventions'], [titre, `/conventions/${id}`], ['Crédits']]} flash={props.flash}>
      <h1>Crédits et engagements — {titre}</h1>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/conventions/${id}`}>Fiche de la convention</a>
        {' · '}
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/conventions/${id}/credits/engagements.csv`}>Bons de commande (CSV)</a>
        {' · '}
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/conventions/${id}/credits/engagements.xlsx`}>Bons de commande (XLSX)</a>
      </p>

      <Refus etat={etat} />

      {v.alertes.length ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <h2 class="fr-alert__title">Alertes</h2>
          <ul>{v.alertes.map((a) => <li>{a.message}</li>)}</ul>
        </div>
      ) : null}

      <TableauAnnees v={v} annee={annee} id={id} />
      <Projection v={v} annee={annee} />

      {ligne ? (
        <>
          <h2 class="fr-mt-4w">Consommation {annee}</h2>
          <Graphique
            serie={props.serie}
            annee={annee}
            ouvertAe={ligne.totaux.ouvertAe}
            ouvertCp={ligne.totaux.ouvertCp}
            aujourdHui={v.aujourdHui}
            limiteAe={dateDansAnnee(v.parametres.limiteEngagements, annee)}
            limiteCp={dateDansAnnee(v.parametres.limitePaiements, annee)}
          />
        </>
      ) : null}

      <h2 class="fr-mt-4w" id="engagements">Bons de commande</h2>
      <TableauEngagements engagements={props.engagements.items} total={props.engagements.total} page={props.engagements.page} taille={props.engagements.taille} id={id} annee={annee} />

      {gerer ? (
        <Formulaire action={`/conventions/${id}/credits/engagements`} csrf={csrf} titre="Nouveau bon de commande" etat={etat} form="engagement" bouton="Enregistrer le bon de commande" id="nouvel-engagement">
          <div class="fr-grid-row fr-grid-row--gutters fr-col-12">
            <ChampsCommande ctx={ce} />
            {el(<Input ctx={ce} name="date_engagement" label="Date de la commande" type="date" required />)}
            {c.produits.length > 1 ? el(<Select ctx={ce} name="produit" label="Produit servi" vide="Non précisé" options={c.produits.map((p) => [p, p])} />) : null}
            {el(<Input ctx={ce} name="numero" label="Numéro (Chorus)" hint="laissez vide pour un numéro automatique BC-AAAA-N" />)}
            {el(<Input ctx={ce} name="date_fin_prestation" label="Fin de prestation prévue" type="date" />)}
            {admin ? el(<Input ctx={ce} name="derogation_motif" label="Motif de dérogation au calendrier" hint="administrateur : seulement après une date limite" />) : null}
          </div>
        </Formulaire>
      ) : null}

      {props.propositions.length || proposer ? (
        <>
          <h2 class="fr-mt-4w" id="propositions">Propositions des équipes produit</h2>
          <p class="fr-text--sm">Un bon de commande proposé n’engage aucune AE : il est enregistré, avec toutes les règles d’un engagement, quand l’ordonnateur le valide.</p>
          <TableauPropositions propositions={props.propositions} id={id} csrf={csrf} gerer={gerer} admin={admin} etat={etat} />
        </>
      ) : null}

      {proposer ? (
        <Formulaire action={`/conventions/${id}/credits/propositions`} csrf={csrf} titre="Proposer un bon de commande" etat={etat} form="proposition" bouton="Transmettre la proposition" id="nouvelle-proposition">
          <div class="fr-grid-row fr-grid-row--gutters fr-col-12">
            <ChampsCommande ctx={cp} />
            {el(<Input ctx={cp} name="date_fin_prestation" label="Fin de prestation prévue" type="date" />)}
            {c.produits.length > 1 ? el(<Select ctx={cp} name="produit" label="Produit servi" vide="Non précisé" options={c.produits.map((p) => [p, p])} />) : null}
            <div class="fr-fieldset__element fr-col-12"><Textarea ctx={cp} name="justification" label="Justification" hint="Pour l’ordonnateur : le besoin, le devis retenu, l’échéance" /></div>
          </div>
        </Formulaire>
      ) : null}

      <h2 class="fr-mt-4w">Mises à disposition, reports et restitutions</h2>
      <div class="fr-table">
        <table>
          <caption>Mouvements de disponibilité</caption>
          <thead><tr><th scope="col">Année</th><th scope="col">Date</th><th scope="col">Mouvement</th><th scope="col">AE</th><th scope="col">CP</th><th scope="col">Motif</th><th scope="col">Par</th></tr></thead>
          <tbody>
            {props.disponibilites.length === 0 ? <tr><td colspan={7}>Aucun mouvement.</td></tr> : null}
            {props.disponibilites.map((d) => (
              <tr>
                <td>{d.annee}</td>
                <td>{formatDate(d.dateOperation)}</td>
                <td>{TYPES_MOUVEMENT[d.type]}</td>
                <td class="montant">{m(d.ouvertAe)}</td>
                <td class="montant">{m(d.ouvertCp)}</td>
                <td>{d.motif}</td>
                <td>{d.acteurNom}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.tranches.length ? (
        <ul>
          {c.tranches.map((t, i) => {
            const lib = c.liberations.find((l) => l.rang === i + 1);
            return (
              <li>
                Tranche {i + 1} ({t.partPct.toLocaleString('fr-FR')} %) : {i === 0 ? 'libérée à la signature' : lib ? `libérée le ${formatDate(lib.dateEffet)}${lib.decideur ? ` par ${lib.decideur}` : ''} — ${lib.motif}` : `non libérée${t.condition ? ` (${t.condition})` : ''}`}
              </li>
            );
          })}
        </ul>
      ) : null}

      {decider ? (
        <>
          <h2 class="fr-mt-4w">Décisions sur les crédits</h2>
          <ErreursFormulaire etat={etat} form="decision" />
          <div class="fr-grid-row fr-grid-row--gutters">
            {nonLiberees.length ? (
              <div class="fr-col-12 fr-col-md-6">
                <Formulaire action={`/conventions/${id}/credits/tranches`} csrf={csrf} titre="Libérer une tranche" etat={null} form="-" bouton="Consigner la libération">
                  <div class="fr-fieldset__element"><Select ctx={cd} name="rang" label="Tranche" options={nonLiberees.map(({ rang, t }) => [String(rang), `Tranche ${rang} (${t.partPct} %)`])} /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="date" label="Date de la décision" type="date" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="decideur" label="Décidée par" hint="ex. comité FAST, bilan de mi-parcours" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="motif" label="Motif" required /></div>
                </Formulaire>
              </div>
            ) : null}
            <div class="fr-col-12 fr-col-md-6">
              <Formulaire action={`/conventions/${id}/credits/report`} csrf={csrf} titre={`Reporter des crédits inutilisés sur l’année suivante`} etat={null} form="-" bouton="Enregistrer le report">
                <div class="fr-fieldset__element"><Input ctx={cd} name="annee" label="Depuis l’année" inputmode="numeric" /></div>
                <div class="fr-fieldset__element"><Input ctx={cd} name="ae_centimes" label="AE (€)" inputmode="decimal" /></div>
                <div class="fr-fieldset__element"><Input ctx={cd} name="cp_centimes" label="CP (€)" inputmode="decimal" /></div>
                <div class="fr-fieldset__element"><Input ctx={cd} name="motif" label="Motif (accord du délégant)" required /></div>
              </Formulaire>
            </div>
            <div class="fr-col-12 fr-col-md-6">
              <Formulaire action={`/conventions/${id}/credits/restitution`} csrf={csrf} titre="Restituer des crédits au délégant" etat={null} form="-" bouton="Enregistrer la restitution">
                <div class="fr-fieldset__element"><Input ctx={cd} name="annee" label="Année" inputmode="numeric" /></div>
                <div class="fr-fieldset__element"><Input ctx={cd} name="ae_centimes" label="AE (€)" inputmode="decimal" /></div>
                <div class="fr-fieldset__element"><Input ctx={cd} name="cp_centimes" label="CP (€)" inputmode="decimal" /></div>
                <div class="fr-fieldset__element"><Input ctx={cd} name="motif" label="Motif" required /></div>
              </Formulaire>
            </div>
            {admin ? (
              <div class="fr-col-12 fr-col-md-6">
                <Formulaire action={`/conventions/${id}/credits/disponibilite`} csrf={csrf} titre="Mise à disposition différente de l’échéancier" etat={null} form="-" bouton="Consigner la mise à disposition">
                  <div class="fr-fieldset__element"><Input ctx={cd} name="annee" label="Année" inputmode="numeric" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="ae_centimes" label="AE mises à disposition (€)" inputmode="decimal" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="cp_centimes" label="CP mis à disposition (€)" inputmode="decimal" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="date" label="À compter du" type="date" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cd} name="motif" label="Motif (notification du délégant…)" required /></div>
                </Formulaire>
              </div>
            ) : null}
            {admin && c.statut === 'en_vigueur' ? (
              <div class="fr-col-12 fr-col-md-6">
                <Formulaire action={`/conventions/${id}/credits/suspension`} csrf={csrf} titre="Suspendre la convention (insuffisance de crédits)" etat={null} form="-" bouton="Suspendre">
                  <div class="fr-fieldset__element"><Input ctx={cd} name="motif" label="Motif" hint="ex. crédits insuffisants signalés au délégant le …" required /></div>
                </Formulaire>
              </div>
            ) : null}
          </div>
        </>
      ) : null}

      <h2 class="fr-mt-4w">Refus enregistrés</h2>
      {props.refus.length === 0 ? (
        <p>Aucun refus.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Refus et insuffisances de crédits (les plus récents d’abord)</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Code</th><th scope="col">Message</th><th scope="col">Demandé par</th><th scope="col">Suite</th></tr></thead>
            <tbody>
              {props.refus.map((a) => (
                <tr>
                  <td><time datetime={a.le}>{new Date(a.le).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</time></td>
                  <td><code>{a.code}</code></td>
                  <td>{a.message}{a.destinataire === 'delegant' ? <span class="fr-hint-text">À signaler au délégant</span> : null}</td>
                  <td>{a.acteurNom}</td>
                  <td>{a.traiteeLe ? `Traitée par ${a.traiteePar}` : 'À traiter'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

export function EngagementPage({ acteur, csrf, v, e, mouvements, etat, flash }: { acteur: Acteur; csrf: string; v: VueCredits; e: Engagement; mouvements: Mouvement[]; etat: EtatFormulaire | null; flash: Flash }) {
  const c = v.convention;
  const titre = titreConvention(v);
  const base = `/conventions/${c.id}/credits/engagements/${e.id}`;
  const gerer = peutGererCredits(acteur, c) && e.statut !== 'annule';
  const admin = peutDeroger(acteur);
  const csf = ctxDe(etat, 'service_fait', { mode: 'montant', date: v.aujourdHui });
  const cp = ctxDe(etat, 'paiement', { date: v.aujourdHui, montant_centimes: centimesToSaisie(resteAPayer(e) || null) });
  const cs = ctxDe(etat, 'solde', { montant_reel_centimes: centimesToSaisie(e.certifieCentimes) });
  const ca = ctxDe(etat, 'annulation', {});
  const etatE = etatEngagement(e);
  return (
    <Page titre={`${e.numero} — ${titre}`} acteur={acteur} csrf={csrf} fil={[['Accueil', '/'], ['Conventions', '/conventions'], [titre, `/conventions/${c.id}`], ['Crédits', `/conventions/${c.id}/credits?annee=${e.annee}`], [e.numero]]} flash={flash}>
      <h1>Bon de commande {e.numero}</h1>
      <p><p class={`fr-badge ${BADGE_ETAT[etatE]}`}>{LIBELLES_ETAT_ENGAGEMENT[etatE]}</p></p>
      <Refus etat={etat} />
      <dl class="fiche">
        <dt>Titulaire</dt><dd>{e.titulaire}</dd>
        <dt>Marché-cadre</dt><dd>{e.marche ?? '—'}</dd>
        <dt>Devis</dt><dd>{e.devis ?? '—'}</dd>
        <dt>Objet</dt><dd>{e.objet}</dd>
        <dt>Produit servi</dt><dd>{e.produit ?? '—'}</dd>
        <dt>Année budgétaire</dt><dd>{e.annee}</dd>
        <dt>Date de commande</dt><dd>{formatDate(e.dateEngagement)}</dd>
        <dt>Fin de prestation prévue</dt><dd>{formatDate(e.dateFinPrestation)}</dd>
        <dt>Montant</dt><dd>{m(e.montantCentimes)} {e.baseMontant}</dd>
        <dt>AE libérées</dt><dd>{m(e.libereCentimes)}</dd>
        <dt>Service fait</dt><dd>{m(e.certifieCentimes)} (reste à certifier : {m(resteACertifier(e))})</dd>
        <dt>Payé</dt><dd>{m(e.payeCentimes)} (reste à payer sur service fait : {m(resteAPayer(e))})</dd>
      </dl>
      <div class="fr-table">
        <table>
          <caption>Historique</caption>
          <thead><tr><th scope="col">Date</th><th scope="col">Mouvement</th><th scope="col">Montant</th><th scope="col">Détail</th><th scope="col">Enregistré par</th></tr></thead>
          <tbody>
            {mouvements.map((x) => (
              <tr>
                <td>{formatDate(x.dateOperation)}</td>
                <td>{TYPES_MOUVEMENT[x.type]}</td>
                <td class="montant">{m(x.type === 'paiement' ? x.payeCp : x.type === 'service_fait' ? x.certifie : x.engageAe)}</td>
                <td>
                  {[x.pourcentage !== null ? `${x.pourcentage.toLocaleString('fr-FR')} % de la commande` : null, x.certificateur ? `certifié par ${x.certificateur}` : null, x.type === 'paiement' ? `${x.reference} (CP ${x.annee})` : null, x.motif && x.type !== 'engagement' ? x.motif : null, x.derogation ? `dérogation : ${x.derogation}` : null]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                <td>{x.acteurNom}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {gerer ? (
        <div class="fr-grid-row fr-grid-row--gutters">
          {e.statut !== 'annule' && resteACertifier(e) > 0 ? (
            <div class="fr-col-12 fr-col-md-6">
              <Formulaire action={`${base}/service-fait`} csrf={csrf} titre="Constater le service fait" etat={etat} form="service_fait" bouton="Constater">
                <div class="fr-fieldset__element">
                  <Select ctx={csf} name="mode" label="Le service fait porte sur" options={[['montant', 'Un montant'], ['pourcentage', 'Un pourcentage de la commande'], ['total', 'Tout le reste de la commande']]} />
                </div>
                <div class="fr-fieldset__element"><Input ctx={csf} name="montant_centimes" label="Montant (€)" hint="si « un montant »" inputmode="decimal" /></div>
                <div class="fr-fieldset__element"><Input ctx={csf} name="pourcentage" label="Pourcentage de la commande" hint="si « un pourcentage », ex. 60 ou 33,33" inputmode="decimal" /></div>
                <div class="fr-fieldset__element"><Input ctx={csf} name="date" label="Date du service fait" type="date" /></div>
                <div class="fr-fieldset__element"><Input ctx={csf} name="certificateur" label="Certifié par" hint={`par défaut : ${acteur.nom}`} /></div>
              </Formulaire>
            </div>
          ) : null}
          {resteAPayer(e) > 0 ? (
            <div class="fr-col-12 fr-col-md-6">
              <Formulaire action={`${base}/paiement`} csrf={csrf} titre="Enregistrer un paiement" etat={etat} form="paiement" bouton="Enregistrer le paiement">
                <div class="fr-fieldset__element"><Input ctx={cp} name="montant_centimes" label="Montant (€)" inputmode="decimal" required /></div>
                <div class="fr-fieldset__element"><Input ctx={cp} name="reference" label="Référence de la facture ou de la demande de paiement" required /></div>
                <div class="fr-fieldset__element"><Input ctx={cp} name="date" label="Date du paiement" type="date" /></div>
                {admin ? <div class="fr-fieldset__element"><Input ctx={cp} name="derogation_motif" label="Motif de dérogation au calendrier" hint="administrateur : seulement après la date limite" /></div> : null}
              </Formulaire>
            </div>
          ) : null}
          {e.statut === 'actif' ? (
            <>
              <div class="fr-col-12 fr-col-md-6">
                <Formulaire action={`${base}/solde`} csrf={csrf} titre="Solder au montant réel (libère le reste des AE)" etat={etat} form="solde" bouton="Solder">
                  <div class="fr-fieldset__element"><Input ctx={cs} name="montant_reel_centimes" label="Montant réel (€)" hint="par défaut le service fait constaté" inputmode="decimal" /></div>
                  <div class="fr-fieldset__element"><Input ctx={cs} name="motif" label="Motif" /></div>
                </Formulaire>
              </div>
              {e.certifieCentimes === 0 ? (
                <div class="fr-col-12 fr-col-md-6">
                  <Formulaire action={`${base}/annulation`} csrf={csrf} titre="Annuler la commande (libère toutes ses AE)" etat={etat} form="annulation" bouton="Annuler la commande">
                    <div class="fr-fieldset__element"><Input ctx={ca} name="motif" label="Motif" /></div>
                  </Formulaire>
                </div>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
    </Page>
  );
}
