import { comparer, type Avenant } from '../domain/avenant.js';
import type { Convention } from '../domain/convention.js';
import { formatDate } from '../domain/dates.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import { partie } from './convention.js';
import { chargerModele, texte, type Bloc, type DocumentGenere } from './modele.js';

/**
 * An avenant as the text the parties sign: the convention it amends, one article per change with the
 * former and the new wording (the new schedule as a table), its effect date and the signatures.
 */

const montant = (c: Centimes | null) => (c === null ? '' : formatEuros(c, { rond: true }));

/** `avant` is the convention the avenant amends, `apres` the convention it makes. */
export function documentAvenant(a: Avenant, avant: Convention, apres: Convention): DocumentGenere {
  const m = chargerModele('avenant');
  const reference = avant.reference ?? 'sans référence';
  const titre = texte(m, 'titre', { numero: a.numero });
  const blocs: Bloc[] = [
    { type: 'titre', niveau: 1, texte: titre },
    { type: 'paragraphe', texte: texte(m, 'reference', { reference }), centre: true },
    { type: 'paragraphe', texte: texte(m, 'entre') },
    ...partie(m, avant, 'delegant'),
    { type: 'paragraphe', texte: texte(m, 'et') },
    ...partie(m, avant, 'delegataire'),
    { type: 'paragraphe', texte: texte(m, 'visa_decret') },
    {
      type: 'paragraphe',
      texte: avant.dateSignature
        ? texte(m, 'visa_convention', { reference, date: formatDate(avant.dateSignature) })
        : texte(m, 'visa_convention_sans_date', { reference }),
    },
    { type: 'paragraphe', texte: texte(m, 'convenu') },
    { type: 'titre', niveau: 3, texte: texte(m, 'objet_titre') },
    { type: 'paragraphe', texte: texte(m, 'objet', { objet: a.objet.replace(/[.\s]+$/, '') }) },
  ];
  let n = 2;
  for (const d of comparer(avant, apres)) {
    blocs.push({ type: 'titre', niveau: 3, texte: texte(m, 'modification_titre', { n: n++, libelle: d.libelle }) });
    if (d.champ === 'echeancier') {
      blocs.push(
        { type: 'paragraphe', texte: texte(m, 'echeancier', { base: apres.baseMontants }) },
        {
          type: 'tableau',
          entetes: ['', 'AE', 'CP'],
          lignes: apres.echeancier.map((l) => [String(l.annee), montant(l.aeCentimes), montant(l.cpCentimes)]),
        },
      );
    } else blocs.push({ type: 'paragraphe', texte: texte(m, 'apres', { valeur: d.apres }) });
    blocs.push({ type: 'paragraphe', texte: texte(m, 'avant', { valeur: d.avant }) });
  }
  blocs.push(
    { type: 'titre', niveau: 3, texte: texte(m, 'effet_titre', { n }) },
    { type: 'paragraphe', texte: texte(m, 'effet', { date: formatDate(a.dateEffet) }) },
    {
      type: 'paragraphe',
      texte: a.dateSignature ? texte(m, 'fait', { date: formatDate(a.dateSignature) }) : texte(m, 'fait_sans_date'),
    },
    {
      type: 'signatures',
      parties: (['delegant', 'delegataire'] as const).map((k) => ({
        qualite: avant[k].nom,
        nom: avant[k].representant ?? '',
        representant: '',
      })),
    },
  );
  return { titre: `${titre} — ${reference}`, modele: m.nom, blocs };
}
