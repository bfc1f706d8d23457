import { controler, type ConventionSaisie } from '../domain/convention.js';
import { centimesToSaisie, depasseMontantMax, MESSAGE_MONTANT_MAX, parseEuros } from '../domain/money.js';
import type { FieldError } from '../domain/errors.js';
import { estAnneeSuivie } from '../domain/exercice.js';
import { conventionEntreeApi, saisieDepuisApi, type ConventionEntreeApi } from './api/convention-json.js';
import { CARACTERE_INVALIDE, valider } from './api/validation.js';
import { erreursApi } from './errors.js';

/**
 * Turns the convention form (flat fields named like API paths, amounts in euros as people type them)
 * into the API's JSON shape, so that forms and API share one schema and one set of messages.
 */
export type FormFields = Record<string, string>;

export function formToObject(body: Record<string, string | File | (string | File)[]>): FormFields {
  const out: FormFields = {};
  for (const [k, v] of Object.entries(body)) {
    const s = Array.isArray(v) ? v[v.length - 1] : v;
    // a NUL byte or a lone surrogate has no place in any field: dropped, like a browser would never send it
    out[k] = typeof s === 'string' ? s.replace(new RegExp(CARACTERE_INVALIDE.source, 'g'), '') : '';
  }
  return out;
}

/** A year typed in a form or a query, when it is one the product follows (else the page shows no year). */
export function anneeLue(v: string | undefined): number | null {
  const n = v === undefined || !/^\s*\d{1,4}\s*$/.test(v) ? NaN : Number(v);
  return estAnneeSuivie(n) ? n : null;
}

const s = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());

function int(f: FormFields, key: string, errors: FieldError[], label = 'Indiquez un nombre entier.'): number | null {
  const v = s(f[key]);
  if (v === null) return null;
  if (!/^-?\d+$/.test(v)) {
    errors.push({ champ: key, message: label });
    return null;
  }
  return Number(v);
}

function euros(f: FormFields, key: string, errors: FieldError[]): number | null {
  const v = s(f[key]);
  if (v === null) return null;
  const c = parseEuros(v);
  if (c === null) return null;
  // digits too many for an exact number are an amount above the maximum, not a typo
  if (
    (Number.isNaN(c) && /^-?\d+([.,]\d{1,2})?$/.test(v.replace(/[\s\u00a0\u202f]|€|euros?|EUR/gi, ''))) ||
    depasseMontantMax(c)
  ) {
    errors.push({ champ: key, message: MESSAGE_MONTANT_MAX });
    return null;
  }
  if (Number.isNaN(c)) {
    errors.push({ champ: key, message: 'Montant invalide : écrivez par exemple 200 000 ou 1 250,50.' });
    return null;
  }
  return c;
}

function lines(v: string | undefined): string[] {
  return (v ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function indexes(f: FormFields, prefix: string): number[] {
  const set = new Set<number>();
  for (const k of Object.keys(f)) {
    const m = new RegExp(`^${prefix}\\.(\\d+)\\.`).exec(k);
    if (m && Number(m[1]) < 100) set.add(Number(m[1]));
  }
  return [...set].sort((a, b) => a - b);
}

export function conventionDepuisFormulaire(f: FormFields): { entree: ConventionEntreeApi; erreurs: FieldError[] } {
  const erreurs: FieldError[] = [];
  const partie = (p: string) => ({
    nom: (f[`${p}.nom`] ?? '').trim(),
    nom_court: s(f[`${p}.nom_court`]),
    adresse: s(f[`${p}.adresse`]),
    representant: s(f[`${p}.representant`]),
    libelle_role: s(f[`${p}.libelle_role`]),
    siret: s(f[`${p}.siret`])?.replace(/\s/g, '') ?? null,
  });
  const echeancier = indexes(f, 'echeancier')
    .map((i) => ({
      i,
      annee: int(f, `echeancier.${i}.annee`, erreurs, 'Année invalide.'),
      ae_centimes: euros(f, `echeancier.${i}.ae_centimes`, erreurs),
      cp_centimes: euros(f, `echeancier.${i}.cp_centimes`, erreurs),
    }))
    .filter((l) => l.annee !== null || l.ae_centimes !== null || l.cp_centimes !== null)
    .map((l) => {
      if (l.annee === null)
        erreurs.push({ champ: `echeancier.${l.i}.annee`, message: 'Indiquez l’année de cette ligne.' });
      return { annee: l.annee ?? 0, ae_centimes: l.ae_centimes, cp_centimes: l.cp_centimes };
    });
  const tranches = indexes(f, 'tranches')
    .map((i) => ({ i, pct: s(f[`tranches.${i}.part_pct`]), condition: s(f[`tranches.${i}.condition`]) }))
    .filter((t) => t.pct !== null || t.condition !== null)
    .map((t) => {
      const n = t.pct === null ? NaN : Number(t.pct.replace(',', '.').replace('%', ''));
      if (!Number.isFinite(n))
        erreurs.push({ champ: `tranches.${t.i}.part_pct`, message: 'Indiquez la part en pourcentage.' });
      return { part_pct: Number.isFinite(n) ? n : 0, condition: t.condition };
    });
  const rgpd = indexes(f, 'rgpd')
    .map((i) => ({
      theme: (f[`rgpd.${i}.theme`] ?? '').trim(),
      dinum: (f[`rgpd.${i}.dinum`] ?? '').trim(),
      partenaire: (f[`rgpd.${i}.partenaire`] ?? '').trim(),
    }))
    .filter((r) => r.theme || r.dinum || r.partenaire);
  const extra: Record<string, string> = {};
  for (const l of lines(f['imputation.extra'])) {
    const m = /^(.+?)\s*[:=]\s*(.+)$/.exec(l);
    if (m?.[1] && m[2]) extra[m[1].trim()] = m[2].trim();
    else erreurs.push({ champ: 'imputation.extra', message: `Ligne « ${l} » : écrivez « Libellé : valeur ».` });
  }
  const entree: ConventionEntreeApi = {
    reference: s(f.reference),
    nature: s(f.nature) ?? 'delegation_de_gestion',
    statut: s(f.statut) ?? 'brouillon',
    role_dinum: s(f.role_dinum) ?? '',
    delegant: partie('delegant'),
    delegataire: partie('delegataire'),
    produits: lines(f.produits),
    objet_verbe: s(f.objet_verbe),
    objet: s(f.objet),
    phase: s(f.phase),
    base_juridique: s(f.base_juridique),
    preambule: s(f.preambule),
    uo: s(f.uo),
    programme_bop: s(f.programme_bop),
    imputation: {
      domaine_fonctionnel: s(f['imputation.domaine_fonctionnel']),
      centre_financier: s(f['imputation.centre_financier']),
      activite: s(f['imputation.activite']),
      centre_de_cout: s(f['imputation.centre_de_cout']),
      axe_ministeriel: s(f['imputation.axe_ministeriel']),
      extra,
    },
    comptable_assignataire: s(f.comptable_assignataire),
    base_montants: (s(f.base_montants) ?? 'TTC') as 'TTC' | 'HT',
    echeancier,
    total_ae_centimes: euros(f, 'total_ae_centimes', erreurs),
    cofinancement_fast_centimes: euros(f, 'cofinancement_fast_centimes', erreurs),
    promotion_fast: s(f.promotion_fast),
    tranches,
    date_signature: s(f.date_signature),
    date_fin: s(f.date_fin),
    duree_mois: int(f, 'duree_mois', erreurs),
    preavis_mois: int(f, 'preavis_mois', erreurs),
    comite: {
      periodicite_mois: int(f, 'comite.periodicite_mois', erreurs),
      presidence: s(f['comite.presidence']),
      invites: s(f['comite.invites']),
    },
    obligations: [
      ...lines(f['obligations.delegant']).map((texte) => ({ partie: 'delegant' as const, texte })),
      ...lines(f['obligations.delegataire']).map((texte) => ({ partie: 'delegataire' as const, texte })),
    ],
    rgpd,
    destinataires_copie: s(f.destinataires_copie),
    publication: s(f.publication),
    publiee: f.publiee === 'on' || f.publiee === 'true',
  };
  return { entree, erreurs };
}

export type TypeChamp = 'euros' | 'entier' | 'nombre' | 'texte';

/**
 * Turns flat form fields into the API's JSON shape for the simple forms (credits): amounts typed in euros
 * become cents, blank fields are left out so that the API's defaults apply.
 */
export function champsVersApi(
  f: FormFields,
  types: Record<string, TypeChamp>,
): { entree: Record<string, unknown>; erreurs: FieldError[] } {
  const entree: Record<string, unknown> = {};
  const erreurs: FieldError[] = [];
  for (const [cle, type] of Object.entries(types)) {
    const v = s(f[cle]);
    if (v === null) continue;
    if (type === 'texte') entree[cle] = v;
    else if (type === 'euros') {
      const c = euros(f, cle, erreurs);
      if (c !== null) entree[cle] = c;
    } else if (type === 'entier') {
      const n = int(f, cle, erreurs);
      if (n !== null) entree[cle] = n;
    } else {
      const n = Number(v.replace(',', '.').replace(/\s*%$/, ''));
      if (Number.isFinite(n)) entree[cle] = n;
      else erreurs.push({ champ: cle, message: 'Indiquez un nombre, par exemple 60 ou 33,33.' });
    }
  }
  return { entree, erreurs };
}

/** Reads and validates a posted convention form: the domain input, or the field errors to show (one per field). */
export function lireFormulaire(body: Record<string, string | File | (string | File)[]>): {
  f: FormFields;
  saisie: ConventionSaisie | null;
  erreurs: FieldError[];
} {
  const f = formToObject(body);
  const { entree, erreurs } = conventionDepuisFormulaire(f);
  const parsed = valider(conventionEntreeApi, entree);
  const toutes = [...erreurs, ...(parsed.ok ? [] : parsed.erreurs)];
  let saisie: ConventionSaisie | null = null;
  if (parsed.ok && erreurs.length === 0) {
    saisie = saisieDepuisApi(parsed.data);
    toutes.push(...erreursApi(controler(saisie).erreurs));
  }
  const vues = new Set<string>();
  return {
    f,
    saisie: toutes.length ? null : saisie,
    erreurs: toutes.filter((e) => (vues.has(e.champ) ? false : (vues.add(e.champ), true))),
  };
}

/** Flat form fields of a convention, named like the API paths; amounts in euros as people write them. */
export function champsDepuisConvention(c: ConventionSaisie): FormFields {
  const f: FormFields = {
    reference: c.reference ?? '',
    nature: c.nature,
    statut: c.statut,
    role_dinum: c.roleDinum,
    produits: c.produits.join('\n'),
    objet_verbe: c.objetVerbe ?? '',
    objet: c.objet ?? '',
    phase: c.phase ?? '',
    base_juridique: c.baseJuridique ?? '',
    preambule: c.preambule ?? '',
    uo: c.uo ?? '',
    programme_bop: c.programmeBop ?? '',
    'imputation.domaine_fonctionnel': c.imputation.domaineFonctionnel ?? '',
    'imputation.centre_financier': c.imputation.centreFinancier ?? '',
    'imputation.activite': c.imputation.activite ?? '',
    'imputation.centre_de_cout': c.imputation.centreDeCout ?? '',
    'imputation.axe_ministeriel': c.imputation.axeMinisteriel ?? '',
    'imputation.extra': Object.entries(c.imputation.extra)
      .map(([k, v]) => `${k} : ${v}`)
      .join('\n'),
    comptable_assignataire: c.comptableAssignataire ?? '',
    base_montants: c.baseMontants,
    total_ae_centimes: centimesToSaisie(c.totalAeCentimes),
    cofinancement_fast_centimes: centimesToSaisie(c.cofinancementFastCentimes),
    promotion_fast: c.promotionFast ?? '',
    date_signature: c.dateSignature ?? '',
    date_fin: c.dateFin ?? '',
    duree_mois: c.dureeMois === null ? '' : String(c.dureeMois),
    preavis_mois: c.preavisMois === null ? '' : String(c.preavisMois),
    'comite.periodicite_mois': c.comite.periodiciteMois === null ? '' : String(c.comite.periodiciteMois),
    'comite.presidence': c.comite.presidence ?? '',
    'comite.invites': c.comite.invites ?? '',
    'obligations.delegant': c.obligations
      .filter((o) => o.partie === 'delegant')
      .map((o) => o.texte)
      .join('\n'),
    'obligations.delegataire': c.obligations
      .filter((o) => o.partie === 'delegataire')
      .map((o) => o.texte)
      .join('\n'),
    destinataires_copie: c.destinatairesCopie ?? '',
    publication: c.publication ?? '',
    publiee: c.publiee ? 'on' : '',
  };
  for (const p of ['delegant', 'delegataire'] as const) {
    f[`${p}.nom`] = c[p].nom;
    f[`${p}.nom_court`] = c[p].nomCourt ?? '';
    f[`${p}.adresse`] = c[p].adresse ?? '';
    f[`${p}.representant`] = c[p].representant ?? '';
    f[`${p}.libelle_role`] = c[p].libelleRole ?? '';
    f[`${p}.siret`] = c[p].siret ?? '';
  }
  c.echeancier.forEach((l, i) => {
    f[`echeancier.${i}.annee`] = String(l.annee);
    f[`echeancier.${i}.ae_centimes`] = centimesToSaisie(l.aeCentimes);
    f[`echeancier.${i}.cp_centimes`] = centimesToSaisie(l.cpCentimes);
  });
  c.tranches.forEach((t, i) => {
    f[`tranches.${i}.part_pct`] = String(t.partPct).replace('.', ',');
    f[`tranches.${i}.condition`] = t.condition ?? '';
  });
  c.rgpd.forEach((r, i) => {
    f[`rgpd.${i}.theme`] = r.theme;
    f[`rgpd.${i}.dinum`] = r.dinum;
    f[`rgpd.${i}.partenaire`] = r.partenaire;
  });
  return f;
}
