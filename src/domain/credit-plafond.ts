import type { ConventionCredits, Ouverture, TotauxCredit } from './credit.js';
import { ConflictError } from './errors.js';
import { formatEuros, type Centimes } from './money.js';

/**
 * The convention's « montants maximums »: the total AE it states, else its schedule's; for CP, its
 * schedule's (the AE maximum when no CP is stated).
 */
export function maximumsConvention(c: Pick<ConventionCredits, 'totalAeCentimes' | 'echeancier'>): {
  ae: Centimes;
  cp: Centimes;
} {
  const ae = c.totalAeCentimes ?? c.echeancier.reduce((s, l) => s + (l.aeCentimes ?? 0), 0);
  const cpEcrits = c.echeancier.filter((l) => l.cpCentimes !== null);
  const cp = cpEcrits.length ? cpEcrits.reduce((s, l) => s + (l.cpCentimes ?? 0), 0) : ae;
  return { ae, cp };
}

/** What a year counts against the maximum: its availability and what was carried into it, less what left it. */
const misADisposition = (t: TotauxCredit) => ({
  ae: t.baseAe + t.reporteEntrantAe - t.reporteSortantAe,
  cp: t.baseCp + t.reporteEntrantCp - t.reporteSortantCp,
});

/**
 * The maximum is a cap: across all years, the AE (and CP) made available never exceed it. Going above
 * needs an amendment; a change that does not raise the total is always allowed (a schedule already
 * above a stated total is the text's own contradiction, flagged when it is entered).
 */
export function verifierPlafondConvention(
  c: Pick<ConventionCredits, 'totalAeCentimes' | 'echeancier'>,
  credits: TotauxCredit[],
  annee: number,
  base: Pick<Ouverture, 'ae' | 'cp'>,
): void {
  const max = maximumsConvention(c);
  let avantAe = 0;
  let avantCp = 0;
  let apresAe = 0;
  let apresCp = 0;
  for (const t of credits) {
    const m = misADisposition(t);
    avantAe += m.ae;
    avantCp += m.cp;
    const n = t.annee === annee ? misADisposition({ ...t, baseAe: base.ae, baseCp: base.cp }) : m;
    apresAe += n.ae;
    apresCp += n.cp;
  }
  if (!credits.some((t) => t.annee === annee)) {
    apresAe += base.ae;
    apresCp += base.cp;
  }
  for (const [nature, avant, apres, plafond] of [
    ['AE', avantAe, apresAe, max.ae],
    ['CP', avantCp, apresCp, max.cp],
  ] as const) {
    if (apres > plafond && apres > avant)
      throw new ConflictError(
        'PLAFOND_CONVENTION_DEPASSE',
        `Les ${nature} mises à disposition sur l’ensemble de la convention atteindraient ${formatEuros(apres)}, au-delà de son montant maximum de ${formatEuros(plafond)} : le dépasser demande un avenant.`,
        { nature, annee, maximum_centimes: plafond, avant_centimes: avant, apres_centimes: apres },
      );
  }
}
