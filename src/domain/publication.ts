import type { Acteur } from './acces.js';
import {
  finEffective,
  statutEffectif,
  type Convention,
  type Partie,
  type Phase,
  type RoleDinum,
  type StatutEffectif,
} from './convention.js';
import type { TotauxCredit } from './credit.js';
import { isDateIso, type DateIso } from './dates.js';
import { montantImpute, montantNet, TAUX_TVA_DEFAUT, type Engagement } from './engagement.js';
import { ConflictError, ValidationError } from './errors.js';
import type { BaseMontant, Centimes } from './money.js';

/**
 * The « publiée » decision: what the public sees of a convention (its page, its budget, the open data) is
 * decided per convention, dated, by the DINUM's budget roles; a withdrawal takes it back.
 */
export interface DecisionPublication {
  conventionId: string;
  /** the day the convention became public */
  publieeLe: DateIso;
  /** the agent who decided it: shown to agents, never to the public */
  decideePar: string;
}

export function peutPublier(a: Acteur): boolean {
  return a.role === 'administrateur' || a.role === 'gestionnaire';
}

/** A decision to publish, dated `date` (today by default), not later than today. */
export function decider(
  conventionId: string,
  dejaPubliee: boolean,
  date: DateIso | null,
  acteur: Acteur,
  aujourdHui: DateIso,
): DecisionPublication {
  if (dejaPubliee)
    throw new ConflictError('PUBLICATION_DEJA_DECIDEE', 'La convention est déjà publiée.', { publiee: true });
  const jour = date ?? aujourdHui;
  if (!isDateIso(jour))
    throw new ValidationError([{ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (jour > aujourdHui)
    throw new ValidationError([{ champ: 'date', message: 'Une publication ne peut pas être datée dans le futur.' }]);
  return { conventionId, publieeLe: jour, decideePar: acteur.nom };
}

export function verifierRetrait(publiee: boolean): void {
  if (!publiee)
    throw new ConflictError('PUBLICATION_NON_DECIDEE', 'La convention n’est pas publiée : rien à retirer.', {
      publiee: false,
    });
}

// ---- What the public sees ------------------------------------------------------------------------

/** An amount on both VAT bases: the convention's own, and the other at the rate recorded. */
export interface DeuxBases {
  ttc: Centimes;
  ht: Centimes;
}

const zero = (): DeuxBases => ({ ttc: 0, ht: 0 });
const plus = (a: DeuxBases, b: DeuxBases): DeuxBases => ({ ttc: a.ttc + b.ttc, ht: a.ht + b.ht });

function deuxBases(montant: Centimes, base: BaseMontant, tauxTva: number): DeuxBases {
  const autre = base === 'TTC' ? 'HT' : 'TTC';
  const converti = montantImpute(montant, base, autre, tauxTva);
  return base === 'TTC' ? { ttc: montant, ht: converti } : { ttc: converti, ht: montant };
}

/**
 * The VAT rate of a convention's published budget: the one its orders record when they agree, the default
 * rate otherwise (credits themselves carry no rate).
 */
export function tauxTvaPublie(tauxDesCommandes: readonly number[]): number {
  const taux = [...new Set(tauxDesCommandes)];
  return taux.length === 1 ? taux[0]! : TAUX_TVA_DEFAUT;
}

/** A party as published: its name, address, representative and role label; no agent below the representative. */
export interface PartiePublique {
  nom: string;
  adresse: string | null;
  representant: string | null;
  libelleRole: string | null;
}

/** One budget year as published: made available (AE, CP), committed (AE), paid (CP). */
export interface AnneePublique {
  annee: number;
  prevuAe: Centimes | null;
  prevuCp: Centimes | null;
  ouvertAe: DeuxBases;
  ouvertCp: DeuxBases;
  engageAe: DeuxBases;
  payeCp: DeuxBases;
}

export interface ConventionPublique {
  id: string;
  reference: string | null;
  produits: string[];
  /** the ministry or body the DINUM works with */
  partenaire: string;
  roleDinum: RoleDinum;
  delegant: PartiePublique;
  delegataire: PartiePublique;
  objetVerbe: string | null;
  objet: string | null;
  phase: Phase | null;
  promotionFast: string | null;
  statut: StatutEffectif;
  dateSignature: DateIso | null;
  dateFin: DateIso | null;
  dureeMois: number | null;
  finEffective: DateIso | null;
  publieeLe: DateIso | null;
  baseMontants: BaseMontant;
  tauxTva: number;
  annees: AnneePublique[];
  /** the orders' totals by framework contract, the budget page's « type de fournisseur » */
  commandes: CommandesMarche[];
}

/** The orders placed on one framework contract (null: outside any), net of what was released. */
export interface CommandesMarche {
  marche: string | null;
  nombre: number;
  engage: DeuxBases;
  paye: DeuxBases;
}

/**
 * Orders grouped by the framework contract they were placed on; cancelled ones are left out, and amounts are
 * counted in the convention's base, the other base at each order's own VAT rate.
 */
export function commandesParMarche(engagements: readonly Engagement[], base: BaseMontant): CommandesMarche[] {
  const parMarche = new Map<string | null, CommandesMarche>();
  for (const e of engagements) {
    if (e.statut === 'annule') continue;
    const marche = e.marche?.trim() || null;
    const l = parMarche.get(marche) ?? { marche, nombre: 0, engage: zero(), paye: zero() };
    l.nombre += 1;
    l.engage = plus(l.engage, deuxBases(montantNet(e), base, e.tauxTva));
    l.paye = plus(l.paye, deuxBases(e.payeCentimes, base, e.tauxTva));
    parMarche.set(marche, l);
  }
  return [...parMarche.values()].sort((a, b) =>
    a.marche === null ? 1 : b.marche === null ? -1 : a.marche.localeCompare(b.marche, 'fr'),
  );
}

const partiePublique = (p: Partie): PartiePublique => ({
  nom: p.nom,
  adresse: p.adresse,
  representant: p.representant,
  libelleRole: p.libelleRole,
});

const partenaireDe = (c: Pick<Convention, 'roleDinum' | 'delegant' | 'delegataire'>): string =>
  c.roleDinum === 'delegant' ? c.delegataire.nom : c.delegant.nom;

/** The public view of a convention: its fields picked one by one, so that nothing else is published by mistake. */
export function conventionPublique(
  c: Convention,
  decision: DecisionPublication | null,
  annees: ReadonlyArray<{
    annee: number;
    prevuAe: Centimes | null;
    prevuCp: Centimes | null;
    totaux: Pick<TotauxCredit, 'ouvertAe' | 'ouvertCp' | 'engageAe' | 'payeCp'>;
  }>,
  tauxTva: number,
  aujourdHui: DateIso,
  engagements: readonly Engagement[] = [],
): ConventionPublique {
  const b = (m: Centimes) => deuxBases(m, c.baseMontants, tauxTva);
  return {
    id: c.id,
    reference: c.reference,
    produits: c.produits,
    partenaire: partenaireDe(c),
    roleDinum: c.roleDinum,
    delegant: partiePublique(c.delegant),
    delegataire: partiePublique(c.delegataire),
    objetVerbe: c.objetVerbe,
    objet: c.objet,
    phase: c.phase,
    promotionFast: c.promotionFast,
    statut: statutEffectif(c, aujourdHui),
    dateSignature: c.dateSignature,
    dateFin: c.dateFin,
    dureeMois: c.dureeMois,
    finEffective: finEffective(c),
    publieeLe: decision?.publieeLe ?? null,
    baseMontants: c.baseMontants,
    tauxTva,
    annees: annees.map((l) => ({
      annee: l.annee,
      prevuAe: l.prevuAe,
      prevuCp: l.prevuCp,
      ouvertAe: b(l.totaux.ouvertAe),
      ouvertCp: b(l.totaux.ouvertCp),
      engageAe: b(l.totaux.engageAe),
      payeCp: b(l.totaux.payeCp),
    })),
    commandes: commandesParMarche(engagements, c.baseMontants),
  };
}

/** The sums of several years or conventions, on both bases. */
export interface TotauxPublics {
  ouvertAe: DeuxBases;
  ouvertCp: DeuxBases;
  engageAe: DeuxBases;
  payeCp: DeuxBases;
}

export function totauxPublics(annees: ReadonlyArray<TotauxPublics>): TotauxPublics {
  return annees.reduce<TotauxPublics>(
    (t, a) => ({
      ouvertAe: plus(t.ouvertAe, a.ouvertAe),
      ouvertCp: plus(t.ouvertCp, a.ouvertCp),
      engageAe: plus(t.engageAe, a.engageAe),
      payeCp: plus(t.payeCp, a.payeCp),
    }),
    { ouvertAe: zero(), ouvertCp: zero(), engageAe: zero(), payeCp: zero() },
  );
}

/** A product's published budget: every published convention that funds it, summed per year. */
export interface ProduitPublic {
  nom: string;
  conventions: ConventionPublique[];
  annees: Array<TotauxPublics & { annee: number }>;
  total: TotauxPublics;
}

const memeNom = (a: string, b: string) => a.localeCompare(b, 'fr', { sensitivity: 'base' }) === 0;

export function produitPublic(nom: string, conventions: readonly ConventionPublique[]): ProduitPublic | null {
  const liees = conventions.filter((c) => c.produits.some((p) => memeNom(p, nom)));
  if (liees.length === 0) return null;
  const parAnnee = new Map<number, TotauxPublics[]>();
  for (const c of liees) for (const a of c.annees) parAnnee.set(a.annee, [...(parAnnee.get(a.annee) ?? []), a]);
  const annees = [...parAnnee.keys()].sort().map((annee) => ({ annee, ...totauxPublics(parAnnee.get(annee)!) }));
  return {
    nom: liees[0]!.produits.find((p) => memeNom(p, nom)) ?? nom,
    conventions: liees,
    annees,
    total: totauxPublics(annees),
  };
}

/** Filters of the public list: ministry (the partner), budget year, phase, FAST promotion. */
export interface FiltrePubliees {
  ministere?: string;
  annee?: number;
  phase?: Phase;
  promotion?: string;
}

export function filtrerPubliees(cs: readonly ConventionPublique[], f: FiltrePubliees): ConventionPublique[] {
  return cs.filter(
    (c) =>
      (!f.ministere || memeNom(c.partenaire, f.ministere)) &&
      (f.annee === undefined || c.annees.some((a) => a.annee === f.annee)) &&
      (!f.phase || c.phase === f.phase) &&
      (!f.promotion || (c.promotionFast !== null && memeNom(c.promotionFast, f.promotion))),
  );
}
