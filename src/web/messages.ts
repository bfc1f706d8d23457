import type { z } from 'zod';

/**
 * The catalogue of the validation messages: every error of a schema becomes a French sentence that names
 * the field as the page labels it (« Indiquez le montant en euros. »), the same in the pages and in the
 * API. A schema's own message (`.min(1, 'Indiquez le motif.')`) comes first; this catalogue says the rest.
 */

/** A field as a sentence names it: with its article, its gender and number for the agreement. */
export interface Champ {
  /** « le montant en euros »; `{n}` is the row number of a repeated block (« l’année de la ligne {n} ») */
  nom: string;
  feminin?: true;
  pluriel?: true;
}

const m = (nom: string): Champ => ({ nom });
const f = (nom: string): Champ => ({ nom, feminin: true });
const mp = (nom: string): Champ => ({ nom, pluriel: true });
const fp = (nom: string): Champ => ({ nom, feminin: true, pluriel: true });

/** A party's fields, for the delegating and the delegated party alike. */
const partie = (p: 'delegant' | 'delegataire', de: string): Record<string, Champ> => ({
  [`${p}.nom`]: m(`le nom ${de}`),
  [`${p}.nom_court`]: m(`le nom court ${de}`),
  [`${p}.adresse`]: f(`l’adresse ${de}`),
  [`${p}.representant`]: m(`le représentant ${de}`),
  [`${p}.libelle_role`]: f(`la désignation ${de} dans le texte`),
  [`${p}.siret`]: m(`le SIRET ${de}`),
  [p]: m(`le ${p === 'delegant' ? 'délégant' : 'délégataire'}`),
});

/** The fields of every form and API input, by their name in the API (`*` for a row's number). */
const COMMUN: Record<string, Champ> = {
  // budget operations
  annee: f('l’année'),
  montant_centimes: m('le montant en euros'),
  montant_reel_centimes: m('le montant réel en euros'),
  ae_centimes: m('le montant d’AE en euros'),
  cp_centimes: m('le montant de CP en euros'),
  date: f('la date'),
  motif: m('le motif'),
  'derogation.motif': m('le motif de dérogation au calendrier'),
  derogation: f('la dérogation au calendrier'),
  decideur: m('l’auteur de la décision'),
  titulaire: m('le titulaire du marché'),
  marche: m('le marché-cadre'),
  objet: m('l’objet'),
  devis: f('la référence du devis'),
  produit: m('le produit'),
  base_montant: f('la base du montant'),
  taux_tva: m('le taux de TVA'),
  numero: m('le numéro du bon de commande'),
  date_engagement: f('la date de la commande'),
  date_fin_prestation: f('la date de fin de la prestation'),
  pourcentage: m('le pourcentage'),
  total: m('le reste de la commande'),
  certificateur: m('l’auteur de la certification'),
  reference: f('la référence'),
  version: f('la version'),
  // signatures, notices, year-end closing, insufficiency, calendar
  signataire: m('le signataire'),
  partie: f('la partie'),
  date_notification: f('la date de notification'),
  date_accord: f('la date de l’accord'),
  date_effet: f('la date d’effet'),
  date_limite: f('la date limite'),
  auteur: m('l’auteur de l’accord'),
  decision: f('la décision'),
  delai_jours: m('le délai en jours'),
  justification: f('la justification'),
  limite_paiements: f('la date limite des paiements'),
  limite_engagements: f('la date limite des engagements'),
  limite_report: f('la date limite des reports'),
  reprise: f('la date de reprise'),
  avertissement_jours: m('le délai d’avertissement en jours'),
  debut_alertes_sous_consommation: m('le début des alertes de sous-consommation'),
  // the register and the lists
  q: m('le texte recherché'),
  partenaire: m('le partenaire'),
  role_dinum: m('le rôle de la DINUM'),
  phase: f('la phase couverte'),
  statut: m('le statut'),
  tri: m('l’ordre de tri'),
  page: m('le numéro de page'),
  taille: m('le nombre de lignes par page'),
  // a convention
  nature: f('la nature'),
  ...partie('delegant', 'du délégant'),
  ...partie('delegataire', 'du délégataire'),
  produits: mp('les services ou produits financés'),
  'produits.*': m('le service ou produit de la ligne {n}'),
  objet_verbe: m('le verbe de l’objet'),
  base_juridique: f('la base juridique'),
  preambule: m('le préambule'),
  uo: f('l’UO'),
  programme_bop: m('le programme ou BOP'),
  'imputation.domaine_fonctionnel': m('le domaine fonctionnel'),
  'imputation.centre_financier': m('le centre financier'),
  'imputation.activite': f('l’activité'),
  'imputation.centre_de_cout': m('le centre de coût'),
  'imputation.axe_ministeriel': m('l’axe ministériel'),
  'imputation.extra': fp('les autres valeurs d’imputation'),
  'imputation.extra.*': f('une autre valeur d’imputation'),
  comptable_assignataire: m('le comptable assignataire'),
  base_montants: f('la base des montants'),
  echeancier: m('l’échéancier'),
  'echeancier.*.annee': f('l’année de la ligne {n}'),
  'echeancier.*.ae_centimes': m('le montant d’AE de la ligne {n}'),
  'echeancier.*.cp_centimes': m('le montant de CP de la ligne {n}'),
  total_ae_centimes: m('le total AE indiqué'),
  cofinancement_fast_centimes: m('le cofinancement FAST'),
  promotion_fast: f('la promotion FAST'),
  tranches: fp('les tranches'),
  'tranches.*.part_pct': f('la part de la tranche {n}'),
  'tranches.*.condition': f('la condition de la tranche {n}'),
  date_signature: f('la date de signature'),
  date_fin: f('la date de fin'),
  duree_mois: f('la durée en mois'),
  preavis_mois: m('le préavis de résiliation en mois'),
  'comite.periodicite_mois': f('la périodicité du comité'),
  'comite.presidence': f('la présidence du comité'),
  'comite.invites': mp('les invités du comité'),
  obligations: fp('les obligations'),
  'obligations.*.texte': f('l’obligation {n}'),
  'obligations.*.partie': f('la partie de l’obligation {n}'),
  rgpd: f('l’annexe RGPD'),
  'rgpd.*.theme': m('le thème de la ligne {n}'),
  'rgpd.*.dinum': m('le rôle de la DINUM à la ligne {n}'),
  'rgpd.*.partenaire': m('le rôle du partenaire à la ligne {n}'),
  destinataires_copie: mp('les destinataires des copies'),
  publication: mp('les canaux de publication'),
  publiee: f('la case « publiée »'),
};

/** Where a form labels a field otherwise than the others do. */
const FORMULAIRES = {
  convention: { objet: m('l’objectif du service') },
  engagement: { objet: m('l’objet de la commande'), annee: f('l’année budgétaire') },
  service_fait: { date: f('la date du service fait') },
  paiement: {
    date: f('la date du paiement'),
    reference: f('la référence de la facture ou de la demande de paiement'),
  },
  liberation: { date: f('la date de la décision') },
  disponibilite: {
    ae_centimes: fp('les AE mises à disposition'),
    cp_centimes: mp('les CP mis à disposition'),
    date: f('la date de prise d’effet'),
  },
  mouvement: { date: f('la date d’effet') },
} satisfies Record<string, Record<string, Champ>>;

type Formulaire = keyof typeof FORMULAIRES;

const formulaires = new WeakMap<z.ZodType, Formulaire>();

/** Names the form a schema reads, so that its errors name the fields as that form labels them. */
export function formulaire<S extends z.ZodType>(nom: Formulaire, schema: S): S {
  formulaires.set(schema, nom);
  return schema;
}

type Chemin = readonly PropertyKey[];

function champDe(chemin: Chemin, propres: Record<string, Champ> = {}): Champ | null {
  const cle = chemin.map((k) => (typeof k === 'number' ? '*' : String(k))).join('.');
  const c = propres[cle] ?? COMMUN[cle];
  if (!c) return null;
  const rang = chemin.find((k) => typeof k === 'number');
  return rang === undefined ? c : { ...c, nom: c.nom.replace('{n}', String(rang + 1)) };
}

/** The bounds of a number as its schema states them, to say « compris entre 0 et 100 ». */
export interface Bornes {
  min: number | null;
  max: number | null;
}

const enFrancais = (n: unknown) => String(n).replace('.', ',');
const majuscule = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One sentence for one error, the field named by `champ` (or « cette valeur » when no form labels it). */
function phrase(iss: z.core.$ZodRawIssue, champ: Champ | null, bornes: Bornes | null): string {
  const c = champ ?? f('cette valeur');
  const nom = c.nom;
  const Nom = majuscule(nom);
  const accord = (adj: string) => `${adj}${c.feminin ? 'e' : ''}${c.pluriel ? 's' : ''}`;
  const doit = c.pluriel ? 'doivent' : 'doit';
  const est = c.pluriel ? 'sont' : 'est';
  const a = c.pluriel ? 'ont' : 'a';
  const obligatoire = champ ? `Indiquez ${nom}.` : 'Ce champ est obligatoire.';
  const entre =
    bornes && bornes.min !== null && bornes.max !== null
      ? `${Nom} ${doit} être ${accord('compris')} entre ${enFrancais(bornes.min)} et ${enFrancais(bornes.max)}.`
      : null;
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined || iss.input === null) return obligatoire;
      const attendu = iss.expected as string;
      if (attendu === 'int') return `${Nom} ${doit} être un nombre entier.`;
      if (attendu === 'number' || attendu === 'bigint') return `${Nom} ${doit} être un nombre.`;
      if (attendu === 'string') return `${Nom} ${doit} être un texte.`;
      if (attendu === 'boolean') return `${Nom} ${doit} valoir vrai ou faux.`;
      if (attendu === 'array') return `${Nom} ${doit} être une liste.`;
      return `${Nom} n’${a} pas la forme attendue.`;
    }
    case 'too_small': {
      if (iss.origin === 'number' || iss.origin === 'bigint') {
        if (entre) return entre;
        return `${Nom} ${doit} être ${accord('supérieur')} ${iss.inclusive ? `ou ${accord('égal')} ` : ''}à ${enFrancais(iss.minimum)}.`;
      }
      if (iss.origin === 'string')
        return Number(iss.minimum) <= 1 ? obligatoire : `${Nom} ${doit} compter au moins ${iss.minimum} caractères.`;
      if (iss.origin === 'array' || iss.origin === 'set')
        return `${Nom} : indiquez-en au moins ${enFrancais(iss.minimum)}.`;
      return `${Nom} ${est} trop ${accord('petit')}.`;
    }
    case 'too_big': {
      if (iss.origin === 'number' || iss.origin === 'bigint') {
        if (entre) return entre;
        return `${Nom} ${doit} être ${accord('inférieur')} ${iss.inclusive ? `ou ${accord('égal')} ` : ''}à ${enFrancais(iss.maximum)}.`;
      }
      if (iss.origin === 'string') return `${Nom} ne ${doit} pas dépasser ${iss.maximum} caractères.`;
      if (iss.origin === 'array' || iss.origin === 'set') return `${Nom} : ${enFrancais(iss.maximum)} au plus.`;
      return `${Nom} ${est} trop ${accord('grand')}.`;
    }
    case 'invalid_format': {
      if (iss.format === 'date') return `${Nom} n’${est} pas une date valide (attendu : AAAA-MM-JJ).`;
      if (iss.format === 'datetime') return `${Nom} n’${est} pas une date et une heure valides.`;
      if (iss.format === 'uuid' || iss.format === 'guid') return `${Nom} n’${est} pas un identifiant valide.`;
      if (iss.format === 'email') return `${Nom} n’${est} pas une adresse électronique valide.`;
      if (iss.format === 'url') return `${Nom} n’${est} pas une adresse web valide.`;
      return `${Nom} n’${a} pas le format attendu.`;
    }
    case 'invalid_value':
      return iss.values.length > 1
        ? `Choisissez ${nom} parmi les valeurs proposées.`
        : `${Nom} n’${a} pas la valeur attendue.`;
    case 'not_multiple_of':
      return `${Nom} ${doit} être un multiple de ${enFrancais(iss.divisor)}.`;
    case 'unrecognized_keys':
      return 'Cette information n’est pas attendue.';
    case 'invalid_key':
    case 'invalid_element':
      return `${Nom} contient une valeur invalide.`;
    default:
      return `${Nom} n’${est} pas ${accord('valide')}.`;
  }
}

/** A union's error: a choice among values, or what the most telling of its branches said. */
function phraseUnion(iss: z.core.$ZodRawIssue, champ: Champ | null, bornes: Bornes | null): string {
  if (iss.code !== 'invalid_union') return phrase(iss, champ, bornes);
  const branches = iss.errors.flat();
  if (branches.length > 0 && branches.every((b) => b.code === 'invalid_value'))
    return `Choisissez ${champ?.nom ?? 'une valeur'} parmi les valeurs proposées.`;
  const parlante = branches.find((b) => b.code !== 'invalid_value' && b.code !== 'invalid_type') ?? branches[0];
  return parlante
    ? phrase({ ...parlante, input: iss.input } as z.core.$ZodRawIssue, champ, bornes)
    : phrase(iss, champ, bornes);
}

type Noeud = z.core.$ZodType;

/** The schema of the value at `chemin` under `racine`, through the wrappers (optional, default, transform…). */
function schemaA(racine: Noeud, chemin: Chemin): Noeud | null {
  const deballer = (s: Noeud): Noeud => {
    for (;;) {
      const d = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if ('innerType' in d && d.innerType) s = d.innerType as Noeud;
      else if (d.type === 'pipe') s = d.in as Noeud;
      else return s;
    }
  };
  let s: Noeud | undefined = deballer(racine);
  for (const k of chemin) {
    const d = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (d.type === 'object') s = (d.shape as Record<string, Noeud>)[String(k)];
    else if (d.type === 'array') s = d.element as Noeud;
    else if (d.type === 'record') s = d.valueType as Noeud;
    else return null;
    if (!s) return null;
    s = deballer(s);
  }
  return s;
}

function bornesDe(racine: Noeud | null, chemin: Chemin): Bornes | null {
  const s = racine ? (schemaA(racine, chemin) as { minValue?: unknown; maxValue?: unknown } | null) : null;
  if (!s) return null;
  const borne = (v: unknown) => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : null);
  return { min: borne(s.minValue), max: borne(s.maxValue) };
}

/**
 * The error map of a schema: zod calls it for the errors the schema does not word itself. Without a schema
 * (`z.config`), the fields are named as most forms label them and bounds are said one at a time.
 */
export function carteErreurs(racine?: z.ZodType): z.core.$ZodErrorMap {
  const nom = racine && formulaires.get(racine);
  const propres: Record<string, Champ> = nom ? FORMULAIRES[nom] : {};
  return (iss) => {
    const chemin = iss.path ?? [];
    return phraseUnion(iss, champDe(chemin, propres), bornesDe(racine ?? null, chemin));
  };
}
