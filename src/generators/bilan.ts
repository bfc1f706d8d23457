import type { Partie } from '../domain/convention.js';
import { formatDate, type DateIso } from '../domain/dates.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import { chargerModele, texte, type DocumentGenere } from './modele.js';

/** The year's statement of one convention as a document (page, CSV and XLSX give the same lines). */
export interface DonneesBilan {
  reference: string;
  delegant: Partie;
  delegataire: Partie;
  baseMontants: string;
  annee: number;
  /** the statement's lines, as the page and the spreadsheets show them */
  lignes: { rubrique: string; ae: Centimes | null; cp: Centimes | null }[];
  closLe: string | null;
  aujourdHui: DateIso;
}

const montant = (c: Centimes | null) => (c === null ? '' : formatEuros(c));

export function documentBilan(d: DonneesBilan): DocumentGenere {
  const m = chargerModele('bilan');
  const v = {
    annee: d.annee,
    reference: d.reference,
    delegant: d.delegant.nom,
    delegataire: d.delegataire.nom,
    base: d.baseMontants,
  };
  return {
    titre: texte(m, 'titre', v),
    modele: m.nom,
    blocs: [
      { type: 'titre', niveau: 1, texte: texte(m, 'titre', v) },
      { type: 'paragraphe', texte: texte(m, 'convention', v) },
      { type: 'paragraphe', texte: texte(m, 'base', v) },
      {
        type: 'tableau',
        entetes: ['Rubrique', `AE ${d.baseMontants}`, `CP ${d.baseMontants}`],
        lignes: d.lignes.map((l) => [l.rubrique, montant(l.ae), montant(l.cp)]),
        droite: [1, 2],
      },
      {
        type: 'paragraphe',
        texte: d.closLe
          ? texte(m, 'clos', { ...v, date: formatDate(d.closLe.slice(0, 10)) })
          : texte(m, 'provisoire', { ...v, date: formatDate(d.aujourdHui) }),
      },
      { type: 'paragraphe', texte: texte(m, 'envoi', v) },
    ],
  };
}
