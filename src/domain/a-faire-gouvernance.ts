import { type ReunionComite } from './comite.js';
import { dateEpuisementAe, planifierComite } from './comite-plan.js';
import type { TotauxCredit } from './credit.js';
import { addDays, formatDate, type DateIso } from './dates.js';
import { etatObligation, type Obligation } from './obligation.js';
import { alerteEnveloppe, echeanceEnveloppe, etatRevue, type Enveloppe } from './promotion.js';

/**
 * The governance items of « À faire »: the investment committee to hold (from the plan), the FAST
 * mid-term review due, the partner's matching envelope before its deadline, and obligations due or late.
 */
export type TypeGouvernance = 'comite_a_tenir' | 'revue_mi_parcours' | 'enveloppe_a_engager' | 'obligation_a_remplir';

export const LIBELLES_TYPES_GOUVERNANCE: Record<TypeGouvernance, string> = {
  comite_a_tenir: 'Comité d’investissement à tenir',
  revue_mi_parcours: 'Revue de mi-parcours FAST',
  enveloppe_a_engager: 'Enveloppe de cofinancement à engager',
  obligation_a_remplir: 'Obligation à remplir',
};

/** What one convention's governance items are computed from. */
export interface GouvernanceAFaire {
  conventionId: string;
  dateSignature: DateIso | null;
  periodiciteMois: number | null;
  comites: Pick<ReunionComite, 'nature' | 'date' | 'decision'>[];
  /** the FAST promotion's mid-term date, when the convention is a laureate's */
  miParcours: DateIso | null;
  laureat: boolean;
  enveloppe: Enveloppe | null;
  obligations: Obligation[];
}

export interface ItemGouvernance {
  cle: string;
  type: TypeGouvernance;
  echeance: DateIso;
  conventionId: string;
  libelle: string;
  actionUrl: string;
}

/** An item shows this many days ahead of its date. */
const JOURS_AVANT = 30;

const gouvernance = (id: string, ancre: string) => `/conventions/${id}/gouvernance#${ancre}`;

export function itemsGouvernance(
  g: GouvernanceAFaire,
  x: { aujourdHui: DateIso; fin: DateIso | null; totaux: TotauxCredit | null },
): ItemGouvernance[] {
  const out: ItemGouvernance[] = [];
  const horizon = addDays(x.aujourdHui, JOURS_AVANT);
  const tenus = g.comites.filter((c) => c.decision !== null).map((c) => c.date);
  const plan = planifierComite(
    {
      dateSignature: g.dateSignature,
      fin: x.fin,
      periodiciteMois: g.periodiciteMois,
      dernierComite: tenus.reduce<DateIso | null>((a, b) => (a === null || b > a ? b : a), null),
      epuisementAe: x.totaux ? dateEpuisementAe(x.totaux, x.aujourdHui) : null,
    },
    x.aujourdHui,
  );
  // a committee already scheduled is the one to hold: its decision is what is awaited
  const prevu = g.comites
    .filter((c) => c.decision === null && c.nature === 'investissement')
    .map((c) => c.date)
    .sort()[0];
  if (prevu !== undefined) {
    if (prevu <= horizon)
      out.push({
        cle: `comite:${g.conventionId}:${prevu}`,
        type: 'comite_a_tenir',
        echeance: prevu,
        conventionId: g.conventionId,
        libelle: `Comité d’investissement prévu le ${formatDate(prevu)} : sa décision est à enregistrer.`,
        actionUrl: gouvernance(g.conventionId, 'comites'),
      });
  } else if (plan.date && plan.date <= horizon)
    out.push({
      cle: `comite:${g.conventionId}:${plan.date}`,
      type: 'comite_a_tenir',
      echeance: plan.date,
      conventionId: g.conventionId,
      libelle: `Comité d’investissement à tenir le ${formatDate(plan.date)} au plus tard. ${plan.explication}`,
      actionUrl: gouvernance(g.conventionId, 'planifier'),
    });
  if (g.laureat) {
    const r = etatRevue({ miParcours: g.miParcours }, g.comites as ReunionComite[], x.aujourdHui);
    if ((r.etat === 'due' || r.etat === 'en_retard') && r.date)
      out.push({
        cle: `revue:${g.conventionId}`,
        type: 'revue_mi_parcours',
        echeance: r.date,
        conventionId: g.conventionId,
        libelle: `Revue de mi-parcours FAST prévue le ${formatDate(r.date)} : une décision de continuer libère la tranche suivante.`,
        actionUrl: gouvernance(g.conventionId, 'comites'),
      });
  }
  if (g.enveloppe) {
    const a = alerteEnveloppe(g.enveloppe, g.dateSignature, x.aujourdHui);
    const echeance = echeanceEnveloppe(g.dateSignature);
    if (a && echeance)
      out.push({
        cle: `enveloppe:${g.conventionId}`,
        type: 'enveloppe_a_engager',
        echeance,
        conventionId: g.conventionId,
        libelle: a.message,
        actionUrl: '/fast/promotions',
      });
  }
  for (const o of g.obligations) {
    const e = etatObligation(o, { signature: g.dateSignature, fin: x.fin }, x.aujourdHui);
    // a recurring obligation done is due again a period later: it comes back within 30 days of that date
    if (!e.echeance || e.etat === 'levee') continue;
    if (e.etat !== 'en_retard' && e.echeance > horizon) continue;
    out.push({
      cle: `obligation:${o.id}:${e.echeance}`,
      type: 'obligation_a_remplir',
      echeance: e.echeance,
      conventionId: g.conventionId,
      libelle: `${e.etat === 'en_retard' ? 'En retard : ' : ''}${o.libelle} (${o.partie === 'delegant' ? 'délégant' : 'délégataire'}), pour le ${formatDate(e.echeance)}`,
      actionUrl: gouvernance(g.conventionId, 'obligations'),
    });
  }
  return out;
}
