import { LIBELLES_DECISIONS } from '../domain/comite.js';
import type { Partie } from '../domain/convention.js';
import { formatDate, type DateIso } from '../domain/dates.js';
import { LIBELLES_ETAT_ENGAGEMENT, montantNet } from '../domain/engagement.js';
import type { Avenant } from '../domain/avenant.js';
import { formatEuros } from '../domain/money.js';
import type { ContenuRapport, RapportFin } from '../domain/rapport.js';
import { chargerModele, texte, type Bloc, type DocumentGenere } from './modele.js';

/** The end-of-term report as a document: the ledger's figures, then the délégataire's sections. */
export interface DonneesRapport {
  reference: string;
  objet: string | null;
  delegant: Partie;
  delegataire: Partie;
  baseMontants: string;
  fin: DateIso | null;
  contenu: ContenuRapport;
  rapport: RapportFin;
  aujourdHui: DateIso;
}

export const ENTETES_AE = ['Année', 'Mises à disposition', 'Engagées', 'Non engagées', 'Reportées', 'Restituées'];
export const ENTETES_CP = ['Année', 'Mis à disposition', 'Service fait', 'Payés', 'Non payés', 'Reportés', 'Restitués'];

/** The AE and CP tables, by year then for the whole convention (the page shows the same rows). */
export function tableauxDepenses(c: ContenuRapport): { ae: string[][]; cp: string[][] } {
  const e = formatEuros;
  const t = c.total;
  return {
    ae: [
      ...c.annees.map((a) => [
        String(a.annee),
        e(a.misADispositionAe),
        e(a.engageAe),
        e(a.inutiliseAe),
        e(a.reporteAe),
        e(a.restitueAe),
      ]),
      ['Total', e(t.misADispositionAe), e(t.engageAe), e(t.inutiliseAe), '', e(t.restitueAe)],
    ],
    cp: [
      ...c.annees.map((a) => [
        String(a.annee),
        e(a.misADispositionCp),
        e(a.certifie),
        e(a.payeCp),
        e(a.inutiliseCp),
        e(a.reporteCp),
        e(a.restitueCp),
      ]),
      ['Total', e(t.misADispositionCp), e(t.certifie), e(t.payeCp), e(t.inutiliseCp), '', e(t.restitueCp)],
    ],
  };
}

export const ENTETES_ENGAGEMENTS = ['N° d’EJ', 'Date', 'Titulaire', 'Objet', 'Montant', 'Payé', 'État'];

/** The orders, one row each, as the page and the documents show them. */
export const lignesEngagements = (c: ContenuRapport): string[][] =>
  c.engagements.map((e) => [
    e.numero,
    formatDate(e.dateEngagement),
    e.titulaire,
    e.objet,
    formatEuros(montantNet(e)),
    formatEuros(e.payeCentimes),
    LIBELLES_ETAT_ENGAGEMENT[e.etat],
  ]);

export const ligneAvenant = (a: Avenant): string =>
  `Avenant n° ${a.numero}, signé le ${formatDate(a.dateSignature)}, effet le ${formatDate(a.dateEffet)} : ${a.objet}`;

const paragraphes = (s: string): Bloc[] =>
  s
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ type: 'paragraphe', texte: p.replace(/\s*\n\s*/g, ' ') }));

export function documentRapport(d: DonneesRapport): DocumentGenere {
  const m = chargerModele('rapport');
  const v = {
    reference: d.reference,
    delegant: d.delegant.nom,
    delegataire: d.delegataire.nom,
    base: d.baseMontants,
  };
  const tableaux = tableauxDepenses(d.contenu);
  const c = d.contenu;
  const section = (cle: 'avancement' | 'previsions', s: string): Bloc[] => [
    { type: 'titre', niveau: 2, texte: texte(m, cle) },
    ...(s ? paragraphes(s) : [{ type: 'paragraphe' as const, texte: texte(m, 'a_completer') }]),
  ];
  return {
    titre: `${texte(m, 'titre')} — ${d.reference}`,
    modele: m.nom,
    blocs: [
      { type: 'titre', niveau: 1, texte: texte(m, 'titre') },
      { type: 'paragraphe', texte: texte(m, 'convention', v) },
      ...(d.objet ? [{ type: 'paragraphe' as const, texte: texte(m, 'objet', { objet: d.objet }) }] : []),
      { type: 'paragraphe', texte: texte(m, 'fin', { date: formatDate(d.fin) }) },
      { type: 'titre', niveau: 2, texte: texte(m, 'depenses') },
      { type: 'paragraphe', texte: texte(m, 'base', v) },
      { type: 'titre', niveau: 3, texte: `Autorisations d’engagement (AE ${d.baseMontants})` },
      { type: 'tableau', entetes: ENTETES_AE, lignes: tableaux.ae, droite: [1, 2, 3, 4, 5] },
      { type: 'titre', niveau: 3, texte: `Crédits de paiement (CP ${d.baseMontants})` },
      { type: 'tableau', entetes: ENTETES_CP, lignes: tableaux.cp, droite: [1, 2, 3, 4, 5, 6] },
      { type: 'titre', niveau: 2, texte: texte(m, 'engagements') },
      c.engagements.length
        ? { type: 'tableau', entetes: ENTETES_ENGAGEMENTS, lignes: lignesEngagements(c), droite: [4, 5] }
        : { type: 'paragraphe', texte: texte(m, 'sans_engagement') },
      { type: 'titre', niveau: 2, texte: texte(m, 'avenants') },
      c.avenants.length
        ? {
            type: 'liste',
            items: c.avenants.map(ligneAvenant),
          }
        : { type: 'paragraphe', texte: texte(m, 'sans_avenant') },
      { type: 'titre', niveau: 2, texte: texte(m, 'comites') },
      c.comites.length
        ? {
            type: 'liste',
            items: c.comites.map((k) => {
              const dec = k.decision!;
              const indicateurs = k.indicateurs
                .filter((i) => i.valeur !== null)
                .map((i) => `${i.nom} : ${i.valeur}${i.unite ? ` ${i.unite}` : ''}`);
              return [
                `${formatDate(k.date)} — ${LIBELLES_DECISIONS[dec.decision]}`,
                dec.budgetCentimes !== null ? `budget ${formatEuros(dec.budgetCentimes)}` : null,
                indicateurs.length ? `indicateurs : ${indicateurs.join(' ; ')}` : null,
              ]
                .filter(Boolean)
                .join(', ');
            }),
          }
        : { type: 'paragraphe', texte: texte(m, 'sans_comite') },
      { type: 'titre', niveau: 2, texte: texte(m, 'inutilises') },
      {
        type: 'paragraphe',
        texte: texte(m, 'inutilises_texte', {
          ae: formatEuros(c.total.inutiliseAe),
          cp: formatEuros(c.total.inutiliseCp),
          restitue_ae: formatEuros(c.total.restitueAe),
          restitue_cp: formatEuros(c.total.restitueCp),
        }),
      },
      ...section('avancement', d.rapport.avancement),
      ...section('previsions', d.rapport.previsions),
      {
        type: 'paragraphe',
        gras: true,
        texte: d.rapport.envoyeLe
          ? texte(m, 'envoye', { date: formatDate(d.rapport.envoyeLe), destinataires: d.rapport.destinataires ?? '' })
          : texte(m, 'projet', { date: formatDate(d.aujourdHui) }),
      },
    ],
  };
}
