import type { ItemAFaire } from './a-faire.js';
import type { GouvernanceAFaire } from './a-faire-gouvernance.js';
import { dateDansAnnee, type ParametresCalendrier } from './calendrier.js';
import type { ReunionComite } from './comite.js';
import type { PlanComite } from './comite-plan.js';
import { estSignee, type Statut } from './convention.js';
import { formatDate, yearOf, type DateIso } from './dates.js';
import { etatObligation } from './obligation.js';
import { etatRevue } from './promotion.js';

/**
 * The dated events of one convention, for its calendar file: its « À faire » items as the caller sees them,
 * and the fixed dates a calendar user wants before they become something to do. A fixed date that is also
 * an item takes the item's key, so that the item replaces it in a calendar instead of doubling it.
 */
export interface EvenementAgenda {
  /** stable across days and downloads for the same event */
  cle: string;
  date: DateIso;
  libelle: string;
  /** the page to act on or read, relative to the application */
  url: string;
}

export interface DonneesAgendaConvention {
  convention: {
    id: string;
    libelle: string;
    statut: Statut;
    dateSignature: DateIso | null;
    /** the « fin effective » */
    fin: DateIso | null;
    resiliationEffet: DateIso | null;
  };
  /** the caller's « À faire » items of this convention */
  aFaire: ItemAFaire[];
  /**
   * What only the agents who read the convention's credits see (committees, obligations, year-end cut-offs);
   * null for the public, who reads the published page's dates only.
   */
  interne: {
    gouvernance: GouvernanceAFaire | null;
    /** the next committee as the governance page plans it, or null */
    plan: PlanComite | null;
    calendrier: ParametresCalendrier;
  } | null;
}

/** Conventions whose credits can no longer be ordered or paid: no year-end cut-off concerns them. */
const STATUTS_FINIS: readonly Statut[] = ['resiliee', 'cloturee'];

function datesFixes(d: DonneesAgendaConvention, aujourdHui: DateIso): EvenementAgenda[] {
  const c = d.convention;
  const fiche = `/conventions/${c.id}`;
  const gouvernance = (ancre: string) => `${fiche}/gouvernance#${ancre}`;
  const nom = `« ${c.libelle} »`;
  const out: EvenementAgenda[] = [];
  if (c.dateSignature)
    out.push({
      cle: `signature:${c.id}`,
      date: c.dateSignature,
      libelle: `Signature de la convention ${nom}`,
      url: fiche,
    });
  if (c.fin) {
    const resiliation = c.statut === 'resiliation_notifiee' && c.resiliationEffet === c.fin;
    out.push(
      resiliation
        ? {
            cle: `resiliation:${c.id}:${c.fin}`,
            date: c.fin,
            libelle: `Effet de la résiliation de la convention ${nom}`,
            url: fiche,
          }
        : { cle: `fin:${c.id}:${c.fin}`, date: c.fin, libelle: `Fin de la convention ${nom}`, url: fiche },
    );
  }
  if (!d.interne) return out;
  const { gouvernance: g, plan, calendrier } = d.interne;
  if (g) {
    const prevus = g.comites.filter((k) => k.decision === null && k.nature === 'investissement');
    for (const k of prevus)
      out.push({
        cle: `comite:${c.id}:${k.date}`,
        date: k.date,
        libelle: `Comité d’investissement prévu — ${nom}`,
        url: gouvernance('comites'),
      });
    // the plan stands for the next committee until one is scheduled, as on the governance page
    if (prevus.length === 0 && plan?.date)
      out.push({
        cle: `comite:${c.id}:${plan.date}`,
        date: plan.date,
        libelle: `Comité d’investissement à tenir au plus tard — ${nom}`,
        url: gouvernance('planifier'),
      });
    if (g.laureat) {
      const r = etatRevue({ miParcours: g.miParcours }, g.comites as ReunionComite[], aujourdHui);
      if (r.etat !== 'tenue' && r.date)
        out.push({
          cle: `revue:${c.id}`,
          date: r.date,
          libelle: `Revue de mi-parcours FAST — ${nom}`,
          url: gouvernance('comites'),
        });
    }
    for (const o of g.obligations) {
      const e = etatObligation(o, { signature: g.dateSignature, fin: c.fin }, aujourdHui);
      if (!e.echeance) continue;
      out.push({
        cle: `obligation:${o.id}:${e.echeance}`,
        date: e.echeance,
        libelle: `Obligation du ${o.partie === 'delegant' ? 'délégant' : 'délégataire'} : ${o.libelle}, pour le ${formatDate(e.echeance)} — ${nom}`,
        url: gouvernance('obligations'),
      });
    }
  }
  // this year's cut-offs, for a signed convention still running this year
  const annee = yearOf(aujourdHui);
  const court =
    estSignee(c.statut) &&
    !STATUTS_FINIS.includes(c.statut) &&
    (c.dateSignature === null || yearOf(c.dateSignature) <= annee) &&
    (c.fin === null || yearOf(c.fin) >= annee);
  if (court) {
    const credits = `${fiche}/credits?annee=${annee}`;
    out.push(
      {
        cle: `limite-engagements:${c.id}:${annee}`,
        date: dateDansAnnee(calendrier.limiteEngagements, annee),
        libelle: `Date limite des engagements ${annee} — ${nom}`,
        url: credits,
      },
      {
        cle: `limite-paiements:${c.id}:${annee}`,
        date: dateDansAnnee(calendrier.limitePaiements, annee),
        libelle: `Date limite des paiements ${annee} — ${nom}`,
        url: credits,
      },
    );
  }
  return out;
}

/** Every dated event of the convention, each key once (the « À faire » item first), soonest first. */
export function evenementsConvention(d: DonneesAgendaConvention, aujourdHui: DateIso): EvenementAgenda[] {
  const vus = new Set<string>();
  const out: EvenementAgenda[] = [];
  const items = d.aFaire
    .filter((i) => i.conventionId === d.convention.id)
    .map((i) => ({ cle: i.cle, date: i.echeance, libelle: i.libelle, url: i.actionUrl }));
  for (const e of [...items, ...datesFixes(d, aujourdHui)]) {
    if (vus.has(e.cle)) continue;
    vus.add(e.cle);
    out.push(e);
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.cle.localeCompare(b.cle));
}
