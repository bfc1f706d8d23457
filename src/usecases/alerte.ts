import { peutDeciderCredits, peutLireCredits, perimetre, type Acteur, type Perimetre } from '../domain/acces.js';
import { alerteExerciceNonClos, calendrierExercice, type CalendrierExercice } from '../domain/exercice.js';
import { lireCalendrierExercice, listerExercicesOuverts } from '../storage/exercice.js';
import { alertesCredits, type AlerteCalculee, type AlerteEnregistree } from '../domain/alerte.js';
import { today, yearOf, type DateIso } from '../domain/dates.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { listerAlertes, listerSituationsAnnee, modifierAlerteTraitee, verrouillerAlerte } from '../storage/alerte.js';
import { lireParametres } from '../storage/calendrier.js';
import { alerteSuspension, DELAI_INSUFFISANCE_JOURS } from '../domain/insuffisance.js';
import { lireDelaiInsuffisance, listerInsuffisancesEnCours } from '../storage/insuffisance.js';
import { lirePorteeConvention } from '../storage/convention.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { alertesEnveloppes } from './promotion.js';

export interface AlerteConvention extends AlerteCalculee {
  conventionId: string;
  libelle: string;
}

/** Recorded refusals (with the insufficiencies owed to the délégant) and the alerts the figures raise this year. */
export async function listerAlertesCredits(
  ctx: Contexte,
  acteur: Acteur,
  opts: { toutes?: boolean } = {},
): Promise<{ enregistrees: AlerteEnregistree[]; calculees: AlerteConvention[] }> {
  if (acteur.role === 'public') throw new ForbiddenError('Connectez-vous pour consulter les alertes.');
  const scope = perimetre(acteur);
  const aujourdHui = today(ctx.now());
  const [enregistrees, situations, parametres] = await Promise.all([
    listerAlertes(ctx.db, scope, { ouvertes: !opts.toutes, limite: 200 }),
    listerSituationsAnnee(ctx.db, scope, yearOf(aujourdHui)),
    lireParametres(ctx.db),
  ]);
  const calculees = situations.flatMap((s) =>
    alertesCredits(
      {
        totaux: s.totaux,
        finConvention: s.finEffective,
        // in force until a notice's effect too
        enVigueur:
          (s.statut === 'en_vigueur' || s.statut === 'resiliation_notifiee') &&
          (!s.finEffective || s.finEffective >= aujourdHui),
      },
      aujourdHui,
      parametres,
    ).map((a) => ({
      ...a,
      conventionId: s.conventionId,
      libelle: s.libelle,
    })),
  );
  return {
    enregistrees,
    calculees: [
      ...calculees,
      ...(await exercicesNonClos(ctx, scope, aujourdHui)),
      ...(await alertesEnveloppes(ctx, scope, aujourdHui)),
      ...(await suspensionsProposees(ctx, scope, aujourdHui)),
    ],
  };
}

/** Past exercises still open after their closing was due (end of January by default). */
async function exercicesNonClos(ctx: Contexte, scope: Perimetre, aujourdHui: DateIso): Promise<AlerteConvention[]> {
  const ouverts = await listerExercicesOuverts(ctx.db, scope, yearOf(aujourdHui));
  const parametres = await lireParametres(ctx.db);
  const calendriers = new Map<number, CalendrierExercice>();
  for (const annee of new Set(ouverts.map((o) => o.annee)))
    calendriers.set(annee, calendrierExercice(annee, parametres, await lireCalendrierExercice(ctx.db, annee)));
  return ouverts.flatMap((o) => {
    const message = alerteExerciceNonClos(calendriers.get(o.annee)!, null, aujourdHui);
    return message
      ? [
          {
            type: 'exercice_non_clos' as const,
            niveau: 'warning' as const,
            annee: o.annee,
            message,
            conventionId: o.conventionId,
            libelle: o.libelle,
          },
        ]
      : [];
  });
}

/** Insufficiency cases left without an adjustment past the delay: the convention is proposed for suspension. */
async function suspensionsProposees(ctx: Contexte, scope: Perimetre, aujourdHui: DateIso): Promise<AlerteConvention[]> {
  const [cas, delai] = await Promise.all([
    listerInsuffisancesEnCours(ctx.db, scope),
    lireDelaiInsuffisance(ctx.db, DELAI_INSUFFISANCE_JOURS),
  ]);
  return cas.flatMap((x) => {
    const message = alerteSuspension(x, delai, aujourdHui);
    return message
      ? [
          {
            type: 'suspension_proposee' as const,
            niveau: 'error' as const,
            annee: x.annee ?? yearOf(x.ouvertLe.slice(0, 10)),
            message,
            conventionId: x.conventionId,
            libelle: x.libelle,
          },
        ]
      : [];
  });
}

/** Marks a recorded alert as dealt with (the délégant was informed, credits adjusted…). */
export async function traiterAlerte(ctx: Contexte, acteur: Acteur, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const a = await verrouillerAlerte(trx, id);
    const c = a ? await lirePorteeConvention(trx, a.conventionId) : null;
    if (!a || !c || !peutLireCredits(acteur, c)) throw new NotFoundError('Alerte', String(id));
    if (!peutDeciderCredits(acteur)) throw new ForbiddenError();
    if (a.traiteeLe) return;
    const sujet = {
      conventionId: a.conventionId,
      objetType: 'alerte',
      objetId: String(id),
      action: 'traitement',
      changements: [{ champ: 'traitee', avant: false, apres: true }],
      commentaire: a.message,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => modifierAlerteTraitee(e, id));
  });
}
