import { sql } from 'kysely';
import type { Perimetre } from '../domain/acces.js';
import type { DonneesAFaire } from '../domain/a-faire.js';
import type { GouvernanceAFaire } from '../domain/a-faire-gouvernance.js';
import { estSignee } from '../domain/convention.js';
import { numeroPromotion } from '../domain/promotion.js';
import { listerComites } from './comite.js';
import { listerObligations } from './obligation.js';
import { listerEnveloppes, listerPromotions } from './promotion.js';
import { today } from '../domain/dates.js';
import type { CalendrierExercice } from '../domain/exercice.js';
import { COLONNES_TOTAUX, totauxDepuisLigne } from './credit.js';
import { filtrePerimetre, PARTENAIRE } from './convention.js';
import type { Executor } from './database.js';
import { casDepuis } from './insuffisance.js';

const LIBELLE = sql<string>`coalesce(nullif(c.produits_texte, ''), c.reference, 'Convention')`;

/** Statuses where nothing is left to do. */
const STATUTS_FINIS = ['resiliee', 'cloturee'] as const;

/**
 * Everything « À faire » is computed from, within the actor's scope: conventions not closed, pending
 * proposals, active orders with something left to certify or pay, open refusals and cases, the current
 * year's totals, past exercises not closed (their calendar is given by the caller) and imports to review.
 */
export async function listerDonneesAFaire(
  ex: Executor,
  scope: Perimetre,
  annee: number,
  calendrier: (annee: number) => Promise<CalendrierExercice>,
  opts: { imports: boolean },
): Promise<Omit<DonneesAFaire, 'gouvernance'>> {
  const conventions = await ex
    .selectFrom('convention as c')
    .select([
      'c.id',
      LIBELLE.as('libelle'),
      PARTENAIRE.as('partenaire'),
      'c.produits',
      'c.publiee',
      'c.statut',
      'c.role_dinum',
      'c.delegant_siret',
      'c.delegataire_siret',
      'c.fin_effective',
      'c.resiliation_effet',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('avenant as av')
            .select(sql`1`.as('x'))
            .whereRef('av.convention_id', '=', 'c.id')
            .where('av.statut', '!=', 'signe'),
        )
        .as('avenant_en_cours'),
    )
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('rapport_fin as rf')
            .select(sql`1`.as('x'))
            .whereRef('rf.convention_id', '=', 'c.id')
            .where('rf.envoye_le', 'is not', null),
        )
        .as('rapport_envoye'),
    )
    .where('c.statut', 'not in', STATUTS_FINIS)
    .where(filtrePerimetre(scope, 'c'))
    .execute();
  const ids = conventions.map((c) => c.id);
  if (ids.length === 0 && !opts.imports)
    return {
      conventions: [],
      propositions: [],
      engagements: [],
      credits: [],
      alertes: [],
      insuffisances: [],
      exercices: [],
      imports: [],
    };
  const dans = ids.length ? ids : ['00000000-0000-0000-0000-000000000000'];
  const [propositions, engagements, credits, alertes, insuffisances, ouverts, imports] = await Promise.all([
    ex
      .selectFrom('proposition')
      .select(['id', 'convention_id', 'objet', 'montant', 'annee', 'propose_le', 'propose_par_nom'])
      .where('convention_id', 'in', dans)
      .where('statut', '=', 'a_valider')
      .execute(),
    ex
      .selectFrom('engagement')
      .select(['id', 'convention_id', 'numero', 'objet', 'date_engagement', 'statut', 'certifie', 'paye'])
      .where('convention_id', 'in', dans)
      .where((eb) => eb.or([eb('statut', '=', 'actif'), eb('certifie', '>', eb.ref('paye'))]))
      .execute(),
    ex
      .selectFrom('credit_annuel')
      .select(['convention_id', ...COLONNES_TOTAUX])
      .where('convention_id', 'in', dans)
      .where('annee', '=', annee)
      .execute(),
    ex
      .selectFrom('alerte')
      .select(['id', 'convention_id', 'code', 'message', 'destinataire', 'le'])
      .where('convention_id', 'in', dans)
      .where('traitee_le', 'is', null)
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
    ex
      .selectFrom('insuffisance')
      .selectAll()
      .where('convention_id', 'in', dans)
      .where('reponse_le', 'is', null)
      .execute(),
    ex
      .selectFrom('credit_annuel as ca')
      .select(['ca.convention_id', 'ca.annee'])
      .where('ca.convention_id', 'in', dans)
      .where('ca.annee', '<=', annee)
      .where((eb) => eb.or([eb('ca.ouvert_ae', '>', 0), eb('ca.ouvert_cp', '>', 0), eb('ca.engage_ae', '>', 0)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('exercice_cloture as x')
              .select(sql`1`.as('x'))
              .whereRef('x.annee', '=', 'ca.annee')
              .where((eb) =>
                eb.or([eb('x.convention_id', 'is', null), eb('x.convention_id', '=', eb.ref('ca.convention_id'))]),
              ),
          ),
        ),
      )
      .execute(),
    opts.imports
      ? ex
          .selectFrom('document')
          .leftJoin('convention', 'convention.id', 'document.convention_id')
          .select(['document.id', 'document.nom', 'document.importe_le'])
          .where((eb) => eb.or([eb('document.convention_id', 'is', null), eb('convention.statut', '=', 'a_verifier')]))
          .where('document.ecarte_le', 'is', null)
          .orderBy('document.importe_le', 'desc')
          .limit(100)
          .execute()
      : Promise.resolve([]),
  ]);
  const engagementsUtiles = engagements.filter(
    (e) => e.certifie > e.paye || (e.statut === 'actif' && e.certifie === 0),
  );
  const aPayer = engagementsUtiles.filter((e) => e.certifie > e.paye).map((e) => e.id);
  const servicesFaits = aPayer.length
    ? await ex
        .selectFrom('mouvement')
        .select(['engagement_id', 'date_operation', 'certifie'])
        .where('engagement_id', 'in', aPayer)
        .where('type', '=', 'service_fait')
        .execute()
    : [];
  const calendriers = new Map<number, CalendrierExercice>();
  for (const a of new Set(ouverts.map((o) => o.annee))) calendriers.set(a, await calendrier(a));
  return {
    conventions: conventions.map((c) => ({
      id: c.id,
      libelle: c.libelle,
      partenaire: c.partenaire,
      portee: {
        produits: c.produits,
        publiee: c.publiee,
        statut: c.statut,
        roleDinum: c.role_dinum,
        delegant: { siret: c.delegant_siret },
        delegataire: { siret: c.delegataire_siret },
      },
      finEffective: c.fin_effective,
      resiliationEffet: c.resiliation_effet,
      avenantEnCours: Boolean(c.avenant_en_cours),
      rapportEnvoye: Boolean(c.rapport_envoye),
    })),
    propositions: propositions.map((p) => ({
      id: p.id,
      conventionId: p.convention_id,
      objet: p.objet,
      montantCentimes: p.montant,
      annee: p.annee,
      proposeLe: today(p.propose_le),
      proposeParNom: p.propose_par_nom,
    })),
    engagements: engagementsUtiles.map((e) => ({
      id: e.id,
      conventionId: e.convention_id,
      numero: e.numero,
      objet: e.objet,
      dateEngagement: e.date_engagement,
      actif: e.statut === 'actif',
      certifieCentimes: e.certifie,
      payeCentimes: e.paye,
      servicesFaits: servicesFaits
        .filter((s) => s.engagement_id === e.id)
        .map((s) => ({ date: s.date_operation, montantCentimes: s.certifie })),
    })),
    credits: credits.map((r) => ({ conventionId: r.convention_id, totaux: totauxDepuisLigne(r) })),
    alertes: alertes.map((a) => ({
      id: a.id,
      conventionId: a.convention_id,
      code: a.code,
      message: a.message,
      destinataire: a.destinataire,
      le: today(a.le),
    })),
    insuffisances: insuffisances.map(casDepuis),
    exercices: ouverts
      .filter((o) => o.annee < annee)
      .map((o) => ({ conventionId: o.convention_id, calendrier: calendriers.get(o.annee)! })),
    imports: imports.map((i) => ({ id: i.id, nom: i.nom, importeLe: today(i.importe_le) })),
  };
}

/** The governance of the signed conventions among these: committees, FAST review, envelope, obligations. */
export async function listerGouvernanceAFaire(ex: Executor, ids: string[]): Promise<GouvernanceAFaire[]> {
  if (ids.length === 0) return [];
  const conventions = (
    await ex
      .selectFrom('convention')
      .select(['id', 'statut', 'date_signature', 'comite', 'promotion_fast'])
      .where('id', 'in', ids)
      .execute()
  ).filter((c) => estSignee(c.statut));
  if (conventions.length === 0) return [];
  const signees = conventions.map((c) => c.id);
  const [comites, obligations, enveloppes, promotions] = await Promise.all([
    listerComites(ex, signees),
    listerObligations(ex, signees),
    listerEnveloppes(ex, signees),
    conventions.some((c) => c.promotion_fast) ? listerPromotions(ex) : Promise.resolve([]),
  ]);
  return conventions.map((c) => {
    const numero = numeroPromotion(c.promotion_fast);
    const promotion = numero === null ? undefined : promotions.find((p) => p.numero === numero);
    return {
      conventionId: c.id,
      dateSignature: c.date_signature,
      periodiciteMois: c.comite.periodiciteMois,
      comites: comites.filter((k) => k.conventionId === c.id),
      laureat: promotion !== undefined,
      miParcours: promotion?.miParcours ?? null,
      enveloppe: enveloppes.find((e) => e.conventionId === c.id) ?? null,
      obligations: obligations.filter((o) => o.conventionId === c.id),
    };
  });
}
