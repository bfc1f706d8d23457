import { z } from 'zod';
import {
  NATURES,
  PHASES,
  ROLES_DINUM,
  STATUTS,
  STATUTS_EFFECTIFS,
  type Convention,
  type ConventionSaisie,
} from '../../domain/convention.js';
import {
  TRIS_CONVENTIONS,
  type ConventionResume,
  type FiltreConventions,
  type PageConventions,
  type TriConventions,
} from '../../domain/convention-liste.js';
import type { LigneJournal } from '../../domain/journal.js';
import { MESSAGE_MONTANT_MAX, MONTANT_MAX_CENTIMES } from '../../domain/money.js';
import { formulaire } from '../messages.js';

/** A convention in JSON (snake_case, French domain nouns): what the API and the forms accept, and what the API answers. */

const texte = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .default(null)
    .transform((v) => (v === '' ? null : v));
// bounded like every amount of the API, so that the calendar's sums stay exact
const centimes = z
  .number()
  .int()
  .min(0, 'Un montant ne peut pas être négatif.')
  .max(MONTANT_MAX_CENTIMES, MESSAGE_MONTANT_MAX);
const dateIso = z.iso.date();
const mois = z.number().int().min(1).max(240);

const partieApi = z.object({
  nom: z.string().trim().min(1).max(300),
  nom_court: texte(100),
  adresse: texte(500),
  representant: texte(300),
  libelle_role: texte(100),
  siret: z
    .string()
    .regex(/^\d{14}$/, 'Le SIRET compte 14 chiffres.')
    .nullable()
    .default(null),
});

export const conventionEntreeApi = formulaire(
  'convention',
  z
    .object({
      reference: texte(100),
      nature: z.enum(NATURES as [string, ...string[]]).default('delegation_de_gestion'),
      // created brouillon, a_verifier or en_vigueur (already signed); the others are reached by their action
      statut: z.enum(STATUTS as [string, ...string[]]).default('brouillon'),
      role_dinum: z.enum(ROLES_DINUM as [string, ...string[]]),
      delegant: partieApi,
      delegataire: partieApi,
      produits: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
      objet_verbe: texte(50),
      objet: texte(2000),
      phase: z
        .enum(PHASES as [string, ...string[]])
        .nullable()
        .default(null),
      base_juridique: texte(4000),
      preambule: texte(20000),
      uo: texte(100),
      programme_bop: texte(300),
      imputation: z
        .object({
          domaine_fonctionnel: texte(100),
          centre_financier: texte(100),
          activite: texte(100),
          centre_de_cout: texte(100),
          axe_ministeriel: texte(100),
          extra: z.record(z.string().max(200), z.string().max(500)).default({}),
        })
        .default({
          domaine_fonctionnel: null,
          centre_financier: null,
          activite: null,
          centre_de_cout: null,
          axe_ministeriel: null,
          extra: {},
        }),
      comptable_assignataire: texte(500),
      base_montants: z.enum(['TTC', 'HT']).default('TTC'),
      echeancier: z
        .array(
          z.object({
            annee: z.number().int().min(2000).max(2100),
            ae_centimes: centimes.nullable(),
            cp_centimes: centimes.nullable(),
          }),
        )
        .max(30)
        .default([]),
      total_ae_centimes: centimes.nullable().default(null),
      cofinancement_fast_centimes: centimes.nullable().default(null),
      promotion_fast: texte(100),
      tranches: z
        .array(z.object({ part_pct: z.number().min(0.01).max(100), condition: texte(2000) }))
        .max(20)
        .default([]),
      date_signature: dateIso.nullable().default(null),
      date_fin: dateIso.nullable().default(null),
      duree_mois: mois.nullable().default(null),
      preavis_mois: z.number().int().min(1).max(60).nullable().default(null),
      comite: z
        .object({
          periodicite_mois: z.number().int().min(1).max(60).nullable().default(null),
          presidence: texte(500),
          invites: texte(500),
        })
        .default({ periodicite_mois: null, presidence: null, invites: null }),
      obligations: z
        .array(z.object({ partie: z.enum(['delegant', 'delegataire']), texte: z.string().trim().min(1).max(2000) }))
        .max(200)
        .default([]),
      rgpd: z
        .array(z.object({ theme: z.string().max(500), dinum: z.string().max(5000), partenaire: z.string().max(5000) }))
        .max(100)
        .default([]),
      destinataires_copie: texte(1000),
      publication: texte(1000),
      publiee: z.boolean().default(false),
    })
    .strict(),
);

export type ConventionEntreeApi = z.input<typeof conventionEntreeApi>;

export const conventionModificationApi = formulaire(
  'convention',
  conventionEntreeApi.extend({
    version: z.number().int().min(1),
    statut: z.enum(STATUTS as [string, ...string[]]).optional(),
  }),
);

type Parsed = z.output<typeof conventionEntreeApi>;

export function saisieDepuisApi(p: Parsed): ConventionSaisie {
  const partie = (x: Parsed['delegant']) => ({
    nom: x.nom,
    nomCourt: x.nom_court,
    adresse: x.adresse,
    representant: x.representant,
    libelleRole: x.libelle_role,
    siret: x.siret,
  });
  return {
    reference: p.reference,
    nature: p.nature as ConventionSaisie['nature'],
    statut: p.statut as ConventionSaisie['statut'],
    roleDinum: p.role_dinum as ConventionSaisie['roleDinum'],
    delegant: partie(p.delegant),
    delegataire: partie(p.delegataire),
    produits: p.produits,
    objetVerbe: p.objet_verbe,
    objet: p.objet,
    phase: p.phase as ConventionSaisie['phase'],
    baseJuridique: p.base_juridique,
    preambule: p.preambule,
    uo: p.uo,
    programmeBop: p.programme_bop,
    imputation: {
      domaineFonctionnel: p.imputation.domaine_fonctionnel,
      centreFinancier: p.imputation.centre_financier,
      activite: p.imputation.activite,
      centreDeCout: p.imputation.centre_de_cout,
      axeMinisteriel: p.imputation.axe_ministeriel,
      extra: p.imputation.extra,
    },
    comptableAssignataire: p.comptable_assignataire,
    baseMontants: p.base_montants,
    echeancier: p.echeancier.map((l) => ({ annee: l.annee, aeCentimes: l.ae_centimes, cpCentimes: l.cp_centimes })),
    totalAeCentimes: p.total_ae_centimes,
    cofinancementFastCentimes: p.cofinancement_fast_centimes,
    promotionFast: p.promotion_fast,
    tranches: p.tranches.map((t) => ({ partPct: t.part_pct, condition: t.condition })),
    dateSignature: p.date_signature,
    dateFin: p.date_fin,
    dureeMois: p.duree_mois,
    preavisMois: p.preavis_mois,
    comite: { periodiciteMois: p.comite.periodicite_mois, presidence: p.comite.presidence, invites: p.comite.invites },
    obligations: p.obligations,
    rgpd: p.rgpd,
    destinatairesCopie: p.destinataires_copie,
    publication: p.publication,
    publiee: p.publiee,
  };
}

export function conventionVersApi(
  c: Convention,
  extra: { fin_effective: string | null; statut_effectif: string; avertissements?: string[] },
) {
  const partie = (x: Convention['delegant']) => ({
    nom: x.nom,
    nom_court: x.nomCourt,
    adresse: x.adresse,
    representant: x.representant,
    libelle_role: x.libelleRole,
    siret: x.siret,
  });
  return {
    id: c.id,
    version: c.version,
    cree_le: c.creeLe,
    modifie_le: c.modifieLe,
    reference: c.reference,
    nature: c.nature,
    statut: c.statut,
    statut_effectif: extra.statut_effectif,
    role_dinum: c.roleDinum,
    delegant: partie(c.delegant),
    delegataire: partie(c.delegataire),
    produits: c.produits,
    objet_verbe: c.objetVerbe,
    objet: c.objet,
    phase: c.phase,
    base_juridique: c.baseJuridique,
    preambule: c.preambule,
    uo: c.uo,
    programme_bop: c.programmeBop,
    imputation: {
      domaine_fonctionnel: c.imputation.domaineFonctionnel,
      centre_financier: c.imputation.centreFinancier,
      activite: c.imputation.activite,
      centre_de_cout: c.imputation.centreDeCout,
      axe_ministeriel: c.imputation.axeMinisteriel,
      extra: c.imputation.extra,
    },
    comptable_assignataire: c.comptableAssignataire,
    base_montants: c.baseMontants,
    echeancier: c.echeancier.map((l) => ({ annee: l.annee, ae_centimes: l.aeCentimes, cp_centimes: l.cpCentimes })),
    total_ae_centimes: c.totalAeCentimes,
    cofinancement_fast_centimes: c.cofinancementFastCentimes,
    promotion_fast: c.promotionFast,
    tranches: c.tranches.map((t) => ({ part_pct: t.partPct, condition: t.condition })),
    date_signature: c.dateSignature,
    date_fin: c.dateFin,
    duree_mois: c.dureeMois,
    fin_effective: extra.fin_effective,
    preavis_mois: c.preavisMois,
    comite: { periodicite_mois: c.comite.periodiciteMois, presidence: c.comite.presidence, invites: c.comite.invites },
    obligations: c.obligations,
    rgpd: c.rgpd,
    destinataires_copie: c.destinatairesCopie,
    publication: c.publication,
    publiee: c.publiee,
    avertissements: extra.avertissements ?? [],
  };
}

function resumeVersApi(r: ConventionResume) {
  return {
    id: r.id,
    reference: r.reference,
    produits: r.produits,
    partenaire: r.partenaire,
    role_dinum: r.roleDinum,
    phase: r.phase,
    statut: r.statut,
    uo: r.uo,
    date_signature: r.dateSignature,
    fin_effective: r.finEffective,
    ae_centimes: r.aeCentimes,
    cp_centimes: r.cpCentimes,
    engage_ae_centimes: r.engageAeCentimes,
    paye_cp_centimes: r.payeCpCentimes,
  };
}

export function pageVersApi(p: PageConventions, page: number, taille: number) {
  return {
    items: p.items.map(resumeVersApi),
    page,
    taille,
    total: p.total,
    total_ae_centimes: p.totalAeCentimes,
    total_cp_centimes: p.totalCpCentimes,
  };
}

export function journalVersApi(l: LigneJournal) {
  return {
    id: l.id,
    action: l.action,
    objet_type: l.objetType,
    objet_id: l.objetId,
    acteur: l.acteur,
    le: l.le,
    changements: l.changements,
    commentaire: l.commentaire,
  };
}

/** Query string of the list, shared by the API and the web page. */
export function filtreDepuisApi(f: z.output<typeof filtreApi>): FiltreConventions {
  return {
    q: f.q,
    partenaire: f.partenaire,
    annee: f.annee as number | undefined,
    roleDinum: f.role_dinum as FiltreConventions['roleDinum'],
    phase: f.phase as FiltreConventions['phase'],
    statut: f.statut as FiltreConventions['statut'],
    tri: f.tri as FiltreConventions['tri'],
    page: f.page,
    taille: f.taille,
  };
}

export const filtreApi = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  partenaire: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  annee: z
    .union([z.literal(''), z.coerce.number().int().min(2000, 'Année invalide.').max(2100, 'Année invalide.')])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  role_dinum: z
    .enum(ROLES_DINUM as [string, ...string[]])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  phase: z
    .enum(PHASES as [string, ...string[]])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  statut: z
    .enum(STATUTS_EFFECTIFS as unknown as [string, ...string[]])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  tri: z
    .enum(TRIS_CONVENTIONS as [TriConventions, ...TriConventions[]])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  taille: z.coerce.number().int().min(1).max(200).default(20),
});
