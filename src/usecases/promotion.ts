import { peutDeciderCredits, peutGererCredits, peutLireCredits, type Acteur, type Perimetre } from '../domain/acces.js';
import type { AlerteCalculee } from '../domain/alerte.js';
import { partenaire } from '../domain/convention.js';
import { today, type DateIso } from '../domain/dates.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Centimes } from '../domain/money.js';
import { catalogueDe } from '../domain/obligation.js';
import {
  alerteEnveloppe,
  echeanceEnveloppe,
  etatRevue,
  numeroPromotion,
  trancheMiParcours,
  verifierDeclaration,
  verifierPromotion,
  type Enveloppe,
  type EtatRevue,
  type Promotion,
} from '../domain/promotion.js';
import { listerComites } from '../storage/comite.js';
import { lireConvention } from '../storage/convention.js';
import { lireConventionCredits, verrouillerConventionCredits } from '../storage/credit.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import {
  ecrireEnveloppe,
  insererPromotion,
  lirePromotion,
  listerConventionsPromotion,
  listerEnveloppes,
  listerEnveloppesPerimetre,
  listerPromotions,
  verrouillerEnveloppe,
} from '../storage/promotion.js';
import type { Contexte } from './contexte.js';
import { deposerPiece, preparerPiece, type PieceJointe } from './convention-cycle.js';

/** FAST promotions for the FAST team: laureates, co-financing committed and paid, tranches, reviews, envelopes. */

export interface VueLaureat {
  conventionId: string;
  reference: string | null;
  produit: string | null;
  partenaire: string;
  dateSignature: DateIso | null;
  /** FAST co-financing (AE, TTC) */
  cofinancementCentimes: Centimes | null;
  engageAeCentimes: Centimes;
  payeCpCentimes: Centimes;
  tranchesLiberees: number[];
  /** the tranche the mid-term review would release, and its AE */
  trancheMiParcours: { rang: number; partPct: number; aeCentimes: Centimes | null } | null;
  revue: { etat: EtatRevue; date: DateIso | null };
  enveloppe: (Enveloppe & { echeance: DateIso | null; alerte: string | null }) | null;
}

export interface VuePromotion extends Promotion {
  laureats: VueLaureat[];
}

export async function listerPromotionsFast(ctx: Contexte, acteur: Acteur): Promise<VuePromotion[]> {
  if (!peutDeciderCredits(acteur)) throw new ForbiddenError();
  const aujourdHui = today(ctx.now());
  const promotions = await listerPromotions(ctx.db);
  const conventions = await listerConventionsPromotion(ctx.db);
  const ids = conventions.map((c) => c.id);
  const [comites, enveloppes] = await Promise.all([listerComites(ctx.db, ids), listerEnveloppes(ctx.db, ids)]);
  const out: VuePromotion[] = [];
  for (const p of promotions) {
    const laureats: VueLaureat[] = [];
    for (const { id } of conventions.filter((c) => numeroPromotion(c.promotion) === p.numero)) {
      const [c, credits] = await Promise.all([lireConvention(ctx.db, id), lireConventionCredits(ctx.db, id)]);
      if (!c || !credits || !peutLireCredits(acteur, c)) continue;
      const liberees = [1, ...credits.liberations.map((l) => l.rang)].filter((r) => r <= c.tranches.length);
      const env = enveloppes.find((e) => e.conventionId === id) ?? null;
      laureats.push({
        conventionId: id,
        reference: c.reference,
        produit: c.produits[0] ?? null,
        partenaire: partenaire(c).nom,
        dateSignature: c.dateSignature,
        cofinancementCentimes: c.cofinancementFastCentimes ?? c.totalAeCentimes,
        engageAeCentimes: credits.credits.reduce((s, t) => s + t.engageAe, 0),
        payeCpCentimes: credits.credits.reduce((s, t) => s + t.payeCp, 0),
        tranchesLiberees: c.tranches.length ? liberees : [],
        trancheMiParcours: trancheMiParcours(c.tranches, liberees, c.totalAeCentimes),
        revue: etatRevue(
          p,
          comites.filter((x) => x.conventionId === id),
          aujourdHui,
        ),
        enveloppe: env && {
          ...env,
          echeance: echeanceEnveloppe(c.dateSignature),
          alerte: alerteEnveloppe(env, c.dateSignature, aujourdHui)?.message ?? null,
        },
      });
    }
    out.push({ ...p, laureats });
  }
  return out;
}

/** The FAST team records a promotion: its calendar and ceiling. */
export async function creerPromotion(ctx: Contexte, acteur: Acteur, p: Promotion): Promise<void> {
  if (!peutDeciderCredits(acteur)) throw new ForbiddenError();
  verifierPromotion(p);
  await ctx.db.transaction().execute(async (trx) => {
    if (await lirePromotion(trx, p.numero))
      throw new ConflictError('PROMOTION_EXISTANTE', `La promotion FAST ${p.numero} existe déjà.`);
    const sujet = {
      conventionId: null,
      objetType: 'promotion',
      objetId: String(p.numero),
      action: 'creation_promotion',
      changements: [{ champ: 'promotion', avant: null, apres: p }],
      commentaire: `Promotion FAST ${p.numero} enregistrée`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => insererPromotion(e, p));
  });
}

/**
 * The matching envelope of a laureate: the DINUM's budget roles set its amount; the partner délégataire
 * (or they) declares what is committed, with the evidence: a link, or a file checked as an obligation's
 * evidence is (PDF, office document, image). A file kept stays the evidence while something is declared
 * committed and no other is sent.
 */
export async function declarerEnveloppe(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  d: {
    montantCentimes: Centimes | null;
    engageCentimes: Centimes;
    preuveUrl: string | null;
    fichier?: PieceJointe | null;
  },
): Promise<void> {
  // checked before anything is locked: a wrong file refuses the whole declaration
  const fichier = d.fichier ? preparerPiece(d.fichier, 'justificatif', 'preuve_fichier') : null;
  await ctx.db.transaction().execute(async (trx) => {
    const c = await verrouillerConventionCredits(trx, conventionId, { sansTotaux: true });
    if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
    if (!peutGererCredits(acteur, c)) throw new ForbiddenError();
    const avant = await verrouillerEnveloppe(trx, conventionId);
    if (d.montantCentimes !== null && d.montantCentimes !== avant?.montantCentimes && !peutDeciderCredits(acteur))
      throw new ForbiddenError();
    const montant = d.montantCentimes ?? avant?.montantCentimes;
    if (montant === undefined)
      throw new ConflictError(
        'ENVELOPPE_INCONNUE',
        'Le montant de l’enveloppe de cofinancement n’est pas encore fixé.',
      );
    const v = {
      montantCentimes: montant,
      engageCentimes: d.engageCentimes,
      preuveUrl: d.preuveUrl,
      preuvePieceId: fichier?.id ?? (d.engageCentimes > 0 ? (avant?.preuvePieceId ?? null) : null),
    };
    verifierDeclaration(v);
    const preuve = (x: { preuveUrl: string | null; preuvePieceId: string | null }) =>
      x.preuveUrl ?? (x.preuvePieceId ? `fichier ${x.preuvePieceId}` : null);
    const sujet = {
      conventionId,
      objetType: 'enveloppe',
      objetId: conventionId,
      action: 'declaration_enveloppe',
      changements: [
        {
          champ: 'enveloppe',
          avant: avant && {
            montantCentimes: avant.montantCentimes,
            engageCentimes: avant.engageCentimes,
            preuve: preuve(avant),
          },
          apres: { montantCentimes: montant, engageCentimes: d.engageCentimes, preuve: preuve(v) },
        },
      ],
      commentaire: 'Enveloppe de cofinancement du partenaire',
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
      if (fichier) await deposerPiece(e, conventionId, fichier);
      await ecrireEnveloppe(e, conventionId, v);
    });
  });
}

/**
 * The evidence file of the envelope's declaration, for the API's upload: what is declared committed stays,
 * the file becomes its evidence; with the rights of the declaration.
 */
export async function deposerPreuveEnveloppe(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  fichier: PieceJointe | null,
): Promise<void> {
  if (!fichier) throw new ValidationError([{ champ: 'preuve_fichier', message: 'Joignez le fichier de la preuve.' }]);
  const e = (await lireEnveloppe(ctx, acteur, conventionId))?.enveloppe;
  // without an envelope, the declaration says who may not declare, or that its amount is not set
  await declarerEnveloppe(ctx, acteur, conventionId, {
    montantCentimes: null,
    engageCentimes: e?.engageCentimes ?? 0,
    preuveUrl: e?.preuveUrl ?? null,
    fichier,
  });
}

export interface VueEnveloppe {
  /** null until the DINUM's budget roles set its amount */
  enveloppe: Enveloppe | null;
  /** six months after the signature */
  echeance: DateIso | null;
  alerte: string | null;
  /** the partner délégataire or the DINUM's budget roles declare what is committed… */
  peutDeclarer: boolean;
  /** … and only the latter set its amount */
  peutFixerMontant: boolean;
}

/** A FAST laureate's matching envelope, for whoever reads its credits; null for a convention that has none. */
export async function lireEnveloppe(ctx: Contexte, acteur: Acteur, conventionId: string): Promise<VueEnveloppe | null> {
  const c = await lireConvention(ctx.db, conventionId);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
  const [enveloppe = null] = await listerEnveloppes(ctx.db, [conventionId]);
  if (!enveloppe && catalogueDe(c) !== 'fast') return null;
  return {
    enveloppe,
    echeance: echeanceEnveloppe(c.dateSignature),
    alerte: enveloppe ? (alerteEnveloppe(enveloppe, c.dateSignature, today(ctx.now()))?.message ?? null) : null,
    peutDeclarer: peutGererCredits(acteur, c),
    peutFixerMontant: peutDeciderCredits(acteur),
  };
}

/** The alerts of envelopes approaching their deadline, for the alerts page. */
export async function alertesEnveloppes(
  ctx: Contexte,
  scope: Perimetre,
  aujourdHui: DateIso,
): Promise<Array<AlerteCalculee & { conventionId: string; libelle: string }>> {
  const lignes = await listerEnveloppesPerimetre(ctx.db, scope);
  return lignes.flatMap((l) => {
    const a = alerteEnveloppe(l.enveloppe, l.dateSignature, aujourdHui);
    return a
      ? [
          {
            type: 'enveloppe_cofinancement' as const,
            niveau: a.niveau,
            annee: Number(aujourdHui.slice(0, 4)),
            message: a.message,
            conventionId: l.enveloppe.conventionId,
            libelle: l.libelle,
          },
        ]
      : [];
  });
}
