import { partenaire, type Convention, type PartieCle } from '../domain/convention.js';
import { formatDate } from '../domain/dates.js';
import { formatEuros, type Centimes } from '../domain/money.js';
import { chargerModele, texte, type Bloc, type DocumentGenere, type Modele } from './modele.js';

/**
 * The convention as its signed text, from its data: the family's structure for its kind (the DINUM
 * délégataire of a ministry, or délégante of a FAST partner), clause texts from the versioned template.
 * What the data does not say is left out rather than invented: no objective, no article sentence.
 */

const montant = (c: Centimes | null) => (c === null ? '' : formatEuros(c, { rond: true }));

const majuscule = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The template of the convention's kind: FAST when the DINUM delegates its credits. */
function modeleConvention(c: Pick<Convention, 'roleDinum'>): Modele {
  return chargerModele(c.roleDinum === 'delegant' ? 'convention-fast' : 'convention-delegataire');
}

/** A party as the family writes it: name, address, representative, the role it is called by. */
export function partie(m: Modele, c: Convention, cle: PartieCle): Bloc[] {
  const p = c[cle];
  const out: Bloc[] = [{ type: 'paragraphe', texte: p.nom, gras: true }];
  if (p.adresse) out.push({ type: 'paragraphe', texte: texte(m, 'adresse', { adresse: p.adresse }) });
  if (p.representant)
    out.push({ type: 'paragraphe', texte: texte(m, 'representant', { representant: p.representant }) });
  const role = p.libelleRole ?? (cle === 'delegant' ? 'le délégant' : 'le délégataire');
  out.push({ type: 'paragraphe', texte: texte(m, 'denomination', { role }) });
  return out;
}

/** Who each article speaks of: the partner first (its obligations are Article 2), then the DINUM. */
function cles(c: Convention): { partenaire: PartieCle; dinum: PartieCle } {
  return c.roleDinum === 'delegant'
    ? { partenaire: 'delegataire', dinum: 'delegant' }
    : { partenaire: 'delegant', dinum: 'delegataire' };
}

function obligations(m: Modele, c: Convention, cle: PartieCle, nom: string): Bloc[] {
  const items = c.obligations.filter((o) => o.partie === cle).map((o) => o.texte);
  if (items.length === 0) return [{ type: 'paragraphe', texte: texte(m, 'sans_obligation', { partie: nom }) }];
  return [
    { type: 'paragraphe', texte: texte(m, 'engage', { partie: majuscule(nom) }) },
    { type: 'liste', items: items.map((t, i) => `${t}${i === items.length - 1 ? '.' : ' ;'}`) },
  ];
}

function objet(m: Modele, c: Convention): Bloc[] {
  const produit = c.produits.join(', ') || 'visé par la présente convention';
  const objectif = c.objet ?? 'répondre aux besoins de ses usagers';
  const out: Bloc[] = [
    {
      type: 'paragraphe',
      texte: c.objetVerbe
        ? texte(m, 'art1_objet', { verbe: c.objetVerbe, produit, objectif })
        : texte(m, 'art1_objet_sans_verbe', { produit, objectif }),
    },
    { type: 'paragraphe', texte: texte(m, 'art1_decret') },
  ];
  if (c.uo) out.push({ type: 'paragraphe', texte: texte(m, 'art1_uo', { uo: c.uo }) });
  if (c.programmeBop)
    out.push({ type: 'paragraphe', texte: texte(m, 'art1_programme', { programme: c.programmeBop }) });
  if (c.phase) out.push({ type: 'paragraphe', texte: texte(m, 'art1_phase', { phase: texte(m, `phase.${c.phase}`) }) });
  return out;
}

function comite(m: Modele, c: Convention): Bloc[] {
  const k = c.comite;
  if (!k.periodiciteMois) return [{ type: 'paragraphe', texte: texte(m, 'sans_comite') }];
  const presidence = k.presidence ?? `le représentant du ${c.roleDinum === 'delegant' ? 'partenaire' : 'délégant'}`;
  const phrases = [texte(m, 'comite', { periode: k.periodiciteMois, presidence })];
  if (k.invites) phrases.push(texte(m, 'comite_invites', { invites: majuscule(k.invites) }));
  return [{ type: 'paragraphe', texte: phrases.join(' ') }];
}

function chorus(m: Modele, c: Convention): Bloc[] {
  const i = c.imputation;
  const lignes: [string, string | null][] = [
    [texte(m, 'chorus_axe'), i.axeMinisteriel],
    [texte(m, 'chorus_domaine'), i.domaineFonctionnel],
    [texte(m, 'chorus_centre_financier'), i.centreFinancier],
    [texte(m, 'chorus_activite'), i.activite],
    [texte(m, 'chorus_centre_cout'), i.centreDeCout],
    ...Object.entries(i.extra),
  ];
  const remplies = lignes.filter((l): l is [string, string] => !!l[1]);
  if (remplies.length === 0) return [];
  return [
    { type: 'paragraphe', texte: texte(m, 'chorus') },
    { type: 'tableau', entetes: [], lignes: remplies.map(([k, v]) => [`${k} :`, v]) },
  ];
}

function financement(m: Modele, c: Convention): Bloc[] {
  const out: Bloc[] = [];
  if (c.echeancier.length) {
    out.push(
      { type: 'paragraphe', texte: texte(m, 'financement', { uo: c.uo ?? '', base: c.baseMontants }) },
      {
        type: 'tableau',
        entetes: ['', 'AE', 'CP'],
        lignes: c.echeancier.map((l) => [String(l.annee), montant(l.aeCentimes), montant(l.cpCentimes)]),
      },
    );
  } else out.push({ type: 'paragraphe', texte: texte(m, 'sans_echeancier') });
  if (c.totalAeCentimes !== null)
    out.push({ type: 'paragraphe', texte: texte(m, 'total', { total: montant(c.totalAeCentimes) }) });
  if (c.tranches.length) {
    out.push(
      { type: 'paragraphe', texte: texte(m, 'tranches', { nombre: c.tranches.length }) },
      {
        type: 'liste',
        items: c.tranches.map((t, i) =>
          texte(m, i === c.tranches.length - 1 ? 'tranche_derniere' : 'tranche', {
            part: String(t.partPct).replace('.', ','),
            condition: t.condition ?? '',
          }),
        ),
      },
    );
  }
  out.push({ type: 'paragraphe', texte: texte(m, 'pouvoir_adjudicateur') }, ...chorus(m, c));
  out.push({ type: 'paragraphe', texte: texte(m, 'chorus_saisie') });
  const comptable: string[] = [];
  if (c.comptableAssignataire) comptable.push(texte(m, 'comptable', { comptable: c.comptableAssignataire }));
  if (c.destinatairesCopie) comptable.push(texte(m, 'copies', { destinataires: c.destinatairesCopie }));
  if (comptable.length) out.push({ type: 'paragraphe', texte: comptable.join(' ') });
  out.push(
    { type: 'paragraphe', texte: texte(m, 'compte_rendu') },
    { type: 'paragraphe', texte: texte(m, 'insuffisance') },
  );
  return out;
}

function duree(m: Modele, c: Convention): Bloc[] {
  const phrases = [texte(m, 'effet')];
  if (c.dateFin) phrases.push(texte(m, 'fin', { date: formatDate(c.dateFin) }));
  else if (c.dureeMois) phrases.push(texte(m, 'duree', { duree: c.dureeMois }));
  phrases.push(texte(m, 'periode'));
  return [
    { type: 'paragraphe', texte: phrases.join(' ') },
    {
      type: 'paragraphe',
      texte: c.preavisMois ? texte(m, 'resiliation', { preavis: c.preavisMois }) : texte(m, 'resiliation_sans_preavis'),
    },
  ];
}

export function documentConvention(c: Convention): DocumentGenere {
  const m = modeleConvention(c);
  const { partenaire: cleP, dinum: cleD } = cles(c);
  const produit = c.produits.join(', ');
  const titre =
    c.roleDinum === 'delegant'
      ? c.promotionFast
        ? texte(m, 'titre', { promotion: c.promotionFast, produit })
        : texte(m, 'titre_sans_promotion', { produit })
      : texte(m, 'titre');
  const nomPartenaire = partenaire(c).libelleRole ?? (cleP === 'delegant' ? 'le délégant' : 'le délégataire');
  const premier: PartieCle = 'delegant';
  const second: PartieCle = 'delegataire';
  const ensemble = texte(m, 'ensemble');
  const blocs: Bloc[] = [
    { type: 'titre', niveau: 1, texte: titre },
    ...(c.reference ? [{ type: 'paragraphe' as const, texte: `Référence : ${c.reference}`, centre: true }] : []),
    { type: 'paragraphe', texte: texte(m, 'entre') },
    ...partie(m, c, premier),
    { type: 'paragraphe', texte: texte(m, 'et') },
    ...partie(m, c, second),
    ...(ensemble ? [{ type: 'paragraphe' as const, texte: ensemble }] : []),
    { type: 'paragraphe', texte: texte(m, 'visa_1') },
    { type: 'paragraphe', texte: texte(m, 'visa_2') },
    { type: 'titre', niveau: 2, texte: texte(m, 'preambule_titre') },
    ...texte(m, 'preambule')
      .split('\n\n')
      .map((t): Bloc => ({ type: 'paragraphe', texte: t })),
    ...(c.preambule ? [{ type: 'paragraphe' as const, texte: c.preambule }] : []),
    ...(c.cofinancementFastCentimes !== null
      ? [
          {
            type: 'paragraphe' as const,
            texte: texte(m, c.promotionFast ? 'preambule_promotion' : 'preambule_fast', {
              produit: produit || 'visé par la présente convention',
              promotion: c.promotionFast ?? '',
              montant: montant(c.cofinancementFastCentimes),
            }),
          },
        ]
      : []),
    { type: 'paragraphe', texte: texte(m, 'convenu') },
    { type: 'titre', niveau: 3, texte: texte(m, 'art1_titre') },
    ...objet(m, c),
    { type: 'titre', niveau: 3, texte: texte(m, 'art2_titre') },
    ...obligations(m, c, cleP, nomPartenaire),
    { type: 'titre', niveau: 3, texte: texte(m, 'art3_titre') },
    ...obligations(m, c, cleD, 'la DINUM'),
    { type: 'titre', niveau: 3, texte: texte(m, 'art4_titre') },
    ...comite(m, c),
    { type: 'titre', niveau: 3, texte: texte(m, 'art5_titre') },
    ...financement(m, c),
    { type: 'titre', niveau: 3, texte: texte(m, 'art6_titre') },
    { type: 'paragraphe', texte: texte(m, 'modification') },
    { type: 'titre', niveau: 3, texte: texte(m, 'art7_titre') },
    ...duree(m, c),
    { type: 'titre', niveau: 3, texte: texte(m, 'art8_titre') },
    { type: 'paragraphe', texte: texte(m, 'publication') },
    {
      type: 'paragraphe',
      texte: c.dateSignature ? texte(m, 'fait', { date: formatDate(c.dateSignature) }) : texte(m, 'fait_sans_date'),
    },
    {
      type: 'signatures',
      parties: [premier, second].map((k) => ({
        qualite: c[k].nom,
        nom: c[k].representant ?? '',
        representant: '',
      })),
    },
  ];
  if (c.rgpd.length) {
    blocs.push(
      { type: 'titre', niveau: 2, texte: texte(m, 'rgpd_titre') },
      {
        type: 'tableau',
        entetes: ['', texte(m, 'rgpd_dinum'), texte(m, 'rgpd_partenaire')],
        lignes: c.rgpd.map((r) => [r.theme, r.dinum, r.partenaire]),
      },
    );
  }
  return { titre: c.reference ? `${titre} — ${c.reference}` : titre, modele: m.nom, blocs };
}
