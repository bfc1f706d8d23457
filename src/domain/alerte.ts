import type { Statut } from './convention.js';
import { dateDansAnnee, type ParametresCalendrier } from './calendrier.js';
import { disponibleAe, disponibleCp, projeterFinAnnee, type TotauxCredit } from './credit.js';
import { addDays, daysBetween, formatDate, type DateIso } from './dates.js';
import { formatEuros } from './money.js';

export type TypeAlerte =
  | 'sous_consommation'
  | 'date_limite_engagements'
  | 'date_limite_paiements'
  | 'fin_avec_ae'
  | 'exercice_non_clos'
  | 'reste_apres_fin'
  | 'enveloppe_cofinancement'
  | 'suspension_proposee'
  | 'refus';

export interface AlerteCalculee {
  type: TypeAlerte;
  niveau: 'info' | 'warning' | 'error';
  annee: number;
  message: string;
}

export interface SituationAlertes {
  totaux: TotauxCredit;
  finConvention: DateIso | null;
  /** convention may still take orders (in force) */
  enVigueur: boolean;
}

/**
 * Alerts derived from the figures (the refusals are recorded when they happen): credits the pace will
 * leave unused (from a set day, so that a carry-over can still be arranged before mid-November), cut-offs
 * approaching with something left to do, and a convention ending with AE left.
 */
export function alertesCredits(s: SituationAlertes, aujourdHui: DateIso, p: ParametresCalendrier): AlerteCalculee[] {
  const t = s.totaux;
  const out: AlerteCalculee[] = [];
  const annee = t.annee;
  if (Number(aujourdHui.slice(0, 4)) !== annee) return out;
  const proj = projeterFinAnnee(t, t.ouverture, aujourdHui, p, s.finConvention);
  const finie = s.finConvention !== null && s.finConvention < aujourdHui;
  if (finie) {
    // after the end no order is possible: what is not committed is left over, and CP beyond what the
    // orders still have to pay
    const resteAe = Math.max(0, disponibleAe(t));
    const resteCp = Math.max(0, disponibleCp(t) - Math.max(0, t.engageAe - t.payeCp));
    if (resteAe > 0 || resteCp > 0)
      out.push({
        type: 'reste_apres_fin',
        niveau: 'warning',
        annee,
        message: `La convention a pris fin le ${formatDate(s.finConvention!)} : ${formatEuros(resteAe)} d’AE et ${formatEuros(resteCp)} de CP ${annee} resteront inutilisés ; signalez-les au délégant (report ou restitution à la clôture de l’exercice).`,
      });
  }
  const debutAlertes = dateDansAnnee(p.debutAlertesSousConsommation, annee);
  const limiteReport = dateDansAnnee(p.limiteReport, annee);
  if (!finie && aujourdHui >= debutAlertes && (proj.aeInutilise > 0 || proj.cpInutilise > 0)) {
    const avantReport = aujourdHui <= limiteReport;
    out.push({
      type: 'sous_consommation',
      niveau: 'warning',
      annee,
      message:
        `Au rythme actuel, ${formatEuros(proj.aeInutilise)} d’AE et ${formatEuros(proj.cpInutilise)} de CP ne seront pas consommés fin ${annee}. ` +
        (avantReport
          ? `Un report se demande au délégant avant le ${formatDate(limiteReport)}.`
          : `La date des demandes de report (${formatDate(limiteReport)}) est passée : signalez les crédits à restituer.`),
    });
  }
  const limiteAe = dateDansAnnee(p.limiteEngagements, annee);
  const joursAe = daysBetween(aujourdHui, limiteAe);
  if (s.enVigueur && disponibleAe(t) > 0 && joursAe >= 0 && joursAe <= p.avertissementJours) {
    out.push({
      type: 'date_limite_engagements',
      niveau: 'warning',
      annee,
      message: `Plus aucun engagement après le ${formatDate(limiteAe)} (dans ${joursAe} jours) : ${formatEuros(disponibleAe(t))} d’AE restent à engager.`,
    });
  }
  const limiteCp = dateDansAnnee(p.limitePaiements, annee);
  const joursCp = daysBetween(aujourdHui, limiteCp);
  const aPayer = Math.min(disponibleCp(t), Math.max(0, t.certifie - t.payeCp));
  if (joursCp >= 0 && joursCp <= p.avertissementJours && disponibleCp(t) > 0) {
    out.push({
      type: 'date_limite_paiements',
      niveau: 'warning',
      annee,
      message: `Plus aucun paiement après le ${formatDate(limiteCp)} (dans ${joursCp} jours) : ${formatEuros(disponibleCp(t))} de CP restent disponibles${aPayer > 0 ? `, dont ${formatEuros(aPayer)} de service fait à payer` : ''}.`,
    });
  }
  if (
    s.finConvention &&
    disponibleAe(t) > 0 &&
    s.finConvention >= aujourdHui &&
    s.finConvention <= addDays(aujourdHui, 60)
  ) {
    out.push({
      type: 'fin_avec_ae',
      niveau: 'warning',
      annee,
      message: `La convention prend fin le ${formatDate(s.finConvention)} avec ${formatEuros(disponibleAe(t))} d’AE non engagées.`,
    });
  }
  return out;
}

/** A refusal or an insufficiency recorded when it happened, until someone deals with it. */
export interface AlerteEnregistree {
  id: number;
  conventionId: string;
  conventionLibelle: string;
  annee: number | null;
  code: string;
  message: string;
  details: Record<string, unknown>;
  /** who must be told: `delegant` for an insufficiency of credits */
  destinataire: string | null;
  acteurNom: string;
  le: string;
  traiteeLe: string | null;
  traiteePar: string | null;
}

/** A year's totals of one convention in scope, what the alerts of the figures are computed from. */
export interface SituationCredit {
  conventionId: string;
  libelle: string;
  statut: Statut;
  finEffective: DateIso | null;
  totaux: TotauxCredit;
}
