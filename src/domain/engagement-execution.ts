import type { Mouvement } from './credit.js';
import { formatDate, isDateIso, type DateIso } from './dates.js';
import { ConflictError, ValidationError } from './errors.js';
import { formatEuros, part, type Centimes } from './money.js';
import { resteACertifier, resteAPayer, type Engagement } from './engagement.js';
// The life of a placed order: certified work (« service fait »), payments, closing at the real amount
// (« solde ») and cancelling, each bounded by what the order still allows.

export type DemandeServiceFait = { montantCentimes: Centimes } | { pourcentage: number } | { total: true };

/**
 * The amount a certification covers: an amount, a percentage of the order (exact cents, see `part`),
 * or the whole rest of the order. Never more than what remains to certify.
 */
export function montantServiceFait(e: Engagement, d: DemandeServiceFait): Centimes {
  if (e.statut === 'annule') throw new ConflictError('ENGAGEMENT_ANNULE', `L’engagement ${e.numero} est annulé.`);
  if (e.statut === 'solde')
    throw new ConflictError(
      'ENGAGEMENT_CLOS',
      `L’engagement ${e.numero} est soldé : son service fait est arrêté (${formatEuros(e.certifieCentimes)}), aucun service fait ne peut plus y être constaté.`,
    );
  let montant: Centimes;
  if ('total' in d) montant = resteACertifier(e);
  else if ('pourcentage' in d) {
    if (!(d.pourcentage > 0 && d.pourcentage <= 100))
      throw new ValidationError([{ champ: 'pourcentage', message: 'Le pourcentage est compris entre 0 et 100.' }]);
    try {
      montant = part(e.montantImputeCentimes, d.pourcentage);
    } catch {
      throw new ValidationError([{ champ: 'pourcentage', message: 'Le pourcentage a au plus deux décimales.' }]);
    }
  } else montant = d.montantCentimes;
  if (!Number.isSafeInteger(montant) || montant <= 0) {
    if ('total' in d)
      throw new ConflictError(
        'SERVICE_FAIT_SUPERIEUR_ENGAGEMENT',
        `Le service fait de l’engagement ${e.numero} est déjà entièrement constaté.`,
        { reste_centimes: 0 },
      );
    throw new ValidationError([{ champ: 'montantCentimes', message: 'Indiquez un montant positif.' }]);
  }
  const reste = resteACertifier(e);
  if (montant > reste) {
    throw new ConflictError(
      'SERVICE_FAIT_SUPERIEUR_ENGAGEMENT',
      `Le service fait ne peut dépasser la commande : ${formatEuros(reste)} restent à certifier sur l’engagement ${e.numero}, ${formatEuros(montant)} demandés ; dépassement de ${formatEuros(montant - reste)}.`,
      { disponible_centimes: reste, demande_centimes: montant, manque_centimes: montant - reste },
    );
  }
  return montant;
}

/** Paid ≤ certified, order by order. */
export function verifierPaiement(e: Engagement, montant: Centimes): void {
  if (!Number.isSafeInteger(montant) || montant <= 0)
    throw new ValidationError([{ champ: 'montantCentimes', message: 'Indiquez un montant positif.' }]);
  const reste = resteAPayer(e);
  if (montant > reste) {
    throw new ConflictError(
      'PAIEMENT_SUPERIEUR_SERVICE_FAIT',
      `Un paiement ne peut dépasser le service fait : ${formatEuros(reste)} de service fait restent à payer sur l’engagement ${e.numero}, ${formatEuros(montant)} demandés ; dépassement de ${formatEuros(montant - reste)}.`,
      { disponible_centimes: reste, demande_centimes: montant, manque_centimes: montant - reste },
    );
  }
}

/**
 * Paid ≤ certified on every date, order by order: a payment dated D needs, on D and every later date, the
 * work certified by then (the order's movements) to cover what is paid by then. Null when it holds, or the
 * first date where it breaks and what was left to pay on it.
 */
export function depassementPaiementADate(
  mouvements: Pick<Mouvement, 'type' | 'dateOperation' | 'certifie' | 'payeCp'>[],
  date: DateIso,
  montant: Centimes,
): { date: DateIso; reste: Centimes } | null {
  const dates = [...new Set([...mouvements.map((m) => m.dateOperation), date])].sort();
  for (const d of dates) {
    if (d < date) continue;
    let reste = 0;
    for (const m of mouvements) if (m.dateOperation <= d) reste += m.certifie - m.payeCp;
    if (montant > reste) return { date: d, reste };
  }
  return null;
}

export function verifierPaiementADate(
  e: Engagement,
  mouvements: Pick<Mouvement, 'type' | 'dateOperation' | 'certifie' | 'payeCp'>[],
  date: DateIso,
  montant: Centimes,
): void {
  const k = depassementPaiementADate(mouvements, date, montant);
  if (!k) return;
  throw new ConflictError(
    'PAIEMENT_SUPERIEUR_SERVICE_FAIT',
    `Un paiement ne peut dépasser le service fait à sa date : au ${formatDate(k.date)}, ${formatEuros(k.reste)} de service fait restaient à payer sur l’engagement ${e.numero}, ${formatEuros(montant)} demandés.`,
    { date: k.date, disponible_centimes: k.reste, demande_centimes: montant, manque_centimes: montant - k.reste },
  );
}

/** Dates of certifications and payments: not in the future, not before the order. */
export function controlerDateOperation(e: Engagement, date: DateIso, aujourdHui: DateIso, champ = 'date'): void {
  if (!isDateIso(date)) throw new ValidationError([{ champ, message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  if (date > aujourdHui) throw new ValidationError([{ champ, message: 'La date ne peut pas être dans le futur.' }]);
  if (date < e.dateEngagement)
    throw new ValidationError([
      { champ, message: `La date ne peut précéder la commande (${formatDate(e.dateEngagement)}).` },
    ]);
}

/**
 * Closing an order at its actual amount (by default what was certified) releases the AE it did not use.
 * Returns the AE released.
 */
export function liberationSolde(e: Engagement, montantReel: Centimes | null): Centimes {
  if (e.statut !== 'actif')
    throw new ConflictError(
      'ENGAGEMENT_CLOS',
      `L’engagement ${e.numero} est déjà ${e.statut === 'solde' ? 'soldé' : 'annulé'}.`,
    );
  const reel = montantReel ?? e.certifieCentimes;
  if (!Number.isSafeInteger(reel) || reel < 0 || reel > e.montantImputeCentimes) {
    throw new ValidationError([
      {
        champ: 'montantReelCentimes',
        message: `Le montant réel est compris entre 0 et le montant imputé de la commande (${formatEuros(e.montantImputeCentimes)}).`,
      },
    ]);
  }
  if (reel < e.certifieCentimes) {
    throw new ConflictError(
      'SOLDE_INFERIEUR_SERVICE_FAIT',
      `Le montant réel (${formatEuros(reel)}) ne peut être inférieur au service fait déjà constaté (${formatEuros(e.certifieCentimes)}).`,
      {
        certifie_centimes: e.certifieCentimes,
        demande_centimes: reel,
      },
    );
  }
  return e.montantImputeCentimes - reel;
}

/** Cancelling releases the whole order; an order with certified work is closed instead. */
export function liberationAnnulation(e: Engagement): Centimes {
  if (e.statut !== 'actif')
    throw new ConflictError(
      'ENGAGEMENT_CLOS',
      `L’engagement ${e.numero} est déjà ${e.statut === 'solde' ? 'soldé' : 'annulé'}.`,
    );
  if (e.certifieCentimes > 0) {
    throw new ConflictError(
      'ENGAGEMENT_CERTIFIE',
      `Du service fait a été constaté sur l’engagement ${e.numero} (${formatEuros(e.certifieCentimes)}) : soldez-le à son montant réel au lieu de l’annuler.`,
    );
  }
  return e.montantImputeCentimes;
}
