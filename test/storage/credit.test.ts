import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import type { ConventionSaisie } from '../../src/domain/convention.js';
import { demo } from '../support/demo.js';
import type { EngagementSaisie } from '../../src/domain/engagement.js';
import {
  creerConvention,
  lireConvention,
  lireJournal,
  listerConventions,
  modifierConvention,
} from '../../src/usecases/convention.js';
import { suspendreConvention } from '../../src/usecases/convention-cycle.js';
import { lireCredits, lirePortefeuilleCredits } from '../../src/usecases/credit.js';
import {
  deciderDisponibilite,
  libererTranche,
  reporterCredits,
  restituerCredits,
} from '../../src/usecases/credit-decision.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  enregistrerPaiement,
  lireEngagementDetail,
  listerEngagementsConvention,
  solderEngagement,
} from '../../src/usecases/engagement.js';
import { listerAlertesCredits } from '../../src/usecases/alerte.js';
import { modifierParametres, lireParametres } from '../../src/usecases/calendrier.js';
import { recalculerTotaux } from '../../src/storage/credit-mouvement.js';
import type { Storage } from '../../src/storage/database.js';
import { DATABASES, contexte, freshStorage } from '../support/db.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import { horlogeFixe } from '../../src/domain/horloge.js';
import { cloturerExercice } from '../../src/usecases/exercice.js';
import * as m013 from '../../src/storage/migrations/013_cloture_credit.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const gestionnaire = ACTEURS_DEMO.find((a) => a.role === 'gestionnaire')!;
const partenaireJustice = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-justice')!;
const partenaireSociaux = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-sociaux')!;
const equipe = ACTEURS_DEMO.find((a) => a.role === 'equipe')!;

const commande = (o: Partial<EngagementSaisie> = {}): EngagementSaisie => ({
  numero: null,
  annee: 2026,
  dateEngagement: '2026-11-20',
  dateFinPrestation: null,
  titulaire: 'Octo Technology',
  marche: 'Marché DINUM 2023-01',
  devis: 'D-123',
  objet: 'Coaching produit',
  produit: null,
  montantCentimes: 1_000_000,
  baseMontant: 'TTC',
  ...o,
});

describe.each(DATABASES)('credits on %s', (kind) => {
  let s: Storage;
  const ctx = () => contexte(s);
  async function nouvelle(reference: string, patch: Partial<ConventionSaisie> = {}) {
    const base = demo().classe;
    const { convention } = await creerConvention(ctx(), admin, { ...base, reference, ...patch });
    return convention;
  }
  async function verifierCoherence(id: string) {
    const rebuilt = await recalculerTotaux(s.db, id);
    const vue = await lireCredits(ctx(), admin, id);
    for (const r of rebuilt) {
      const l = vue.annees.find((a) => a.annee === r.annee)!;
      expect({
        annee: r.annee,
        ouvertAe: l.totaux.ouvertAe,
        ouvertCp: l.totaux.ouvertCp,
        engageAe: l.totaux.engageAe,
        certifie: l.totaux.certifie,
        payeCp: l.totaux.payeCp,
      }).toEqual(r);
    }
  }

  beforeAll(async () => {
    s = await freshStorage(kind);
    const { seedDemo } = await import('../../src/demo/seed.js');
    await seedDemo(ctx());
  });
  afterAll(async () => s?.close());

  it('opens the schedule from the later of signature and 1 January, blank and 0 giving no credits', async () => {
    const page = await listerConventions(ctx(), admin, { q: 'Classe', page: 1, taille: 5 });
    const vue = await lireCredits(ctx(), admin, page.items[0]!.id);
    const y = vue.annees.find((a) => a.annee === 2026)!;
    expect(y.totaux.ouvertAe).toBe(5_000_000);
    expect(y.totaux.ouvertCp).toBe(5_000_000);
    expect(y.ouverture).toBe('2026-05-04');
    const atelier = await listerConventions(ctx(), admin, { q: 'Atelier', page: 1, taille: 5 });
    const va = await lireCredits(ctx(), admin, atelier.items[0]!.id);
    expect(va.annees.map((a) => [a.annee, a.prevuAe, a.totaux.ouvertAe])).toEqual([
      [2026, 3_000_000, 3_000_000],
      [2027, 0, 0],
    ]);
  });

  it('takes an order within the ceiling and refuses the one beyond, with figures and an alert to the délégant', async () => {
    const c = await nouvelle('T-PLAFOND');
    const { valeur: e, avertissements } = await creerEngagement(
      ctx(),
      admin,
      c.id,
      commande({ montantCentimes: 4_000_000 }),
    );
    expect(e.numero).toBe('BC-2026-0001');
    expect(avertissements).toEqual([]);
    const err = await creerEngagement(
      ctx(),
      partenaireJustice.organisationSiret === c.delegant.siret ? partenaireJustice : gestionnaire,
      c.id,
      commande({ montantCentimes: 1_500_000 }),
    ).catch((x) => x);
    expect(err).toMatchObject({
      code: 'PLAFOND_AE_DEPASSE',
      details: { annee: 2026, disponible_centimes: 1_000_000, demande_centimes: 1_500_000, manque_centimes: 500_000 },
    });
    expect(err.message).toMatch(/il manque 5\s000,00/);
    const vue = await lireCredits(ctx(), admin, c.id);
    expect(vue.annees[0]!.totaux.engageAe).toBe(4_000_000);
    expect(vue.annees[0]!.disponibleAe).toBe(1_000_000);
    const alertes = await listerAlertesCredits(ctx(), admin);
    const a = alertes.enregistrees.find((x) => x.conventionId === c.id)!;
    expect(a).toMatchObject({ code: 'PLAFOND_AE_DEPASSE', destinataire: 'delegant', annee: 2026 });
    expect(a.message).toMatch(/^Insuffisance de crédits/);
    await creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 1_000_000, numero: '1300012345' }));
    await expect(creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 1 }))).rejects.toMatchObject({
      code: 'PLAFOND_AE_DEPASSE',
    });
    await verifierCoherence(c.id);
  });

  it('certifies by amount or percentage, pays within certified and CP, closes at actual amount and releases AE', async () => {
    const c = await nouvelle('T-CYCLE');
    const { valeur: e } = await creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 3_333_333 }));
    const sf = await constaterServiceFait(
      ctx(),
      admin,
      c.id,
      e.id,
      { pourcentage: 33.33 },
      { date: '2026-11-21', certificateur: 'Marie Curie' },
    );
    // 3 333 333 × 33,33 % = 1 111 000,0... exact: 111 099 989.89 / 100 → 1 110 999,8989 cents → 1 111 000 (nearest)
    expect(sf.valeur.certifieCentimes).toBe(1_111_000);
    await expect(constaterServiceFait(ctx(), admin, c.id, e.id, { montantCentimes: 3_000_000 })).rejects.toMatchObject({
      code: 'SERVICE_FAIT_SUPERIEUR_ENGAGEMENT',
      details: { disponible_centimes: 2_222_333 },
    });
    await expect(
      enregistrerPaiement(ctx(), admin, c.id, e.id, { montantCentimes: 1_111_001, reference: 'F-1' }),
    ).rejects.toMatchObject({ code: 'PAIEMENT_SUPERIEUR_SERVICE_FAIT' });
    await enregistrerPaiement(ctx(), admin, c.id, e.id, {
      montantCentimes: 1_000_000,
      reference: 'F-1',
      date: '2026-11-22',
    });
    const solde = await solderEngagement(ctx(), admin, c.id, e.id, null, 'Fin de mission');
    expect(solde.valeur).toMatchObject({ statut: 'solde', libereCentimes: 3_333_333 - 1_111_000 });
    // a closed order stays closed
    await expect(constaterServiceFait(ctx(), admin, c.id, e.id, { montantCentimes: 1 })).rejects.toMatchObject({
      code: 'ENGAGEMENT_CLOS',
    });
    await expect(solderEngagement(ctx(), admin, c.id, e.id, null)).rejects.toMatchObject({ code: 'ENGAGEMENT_CLOS' });
    // the released AE take a new order, from the day they were released (an order dated earlier does not find them)
    await expect(
      creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 5_000_000 - 1_111_000 })),
    ).rejects.toMatchObject({ code: 'PLAFOND_AE_DEPASSE', details: { date: '2026-11-20' } });
    const { valeur: e2 } = await creerEngagement(
      ctx(),
      admin,
      c.id,
      commande({ montantCentimes: 5_000_000 - 1_111_000, dateEngagement: '2026-11-23' }),
    );
    await expect(annulerEngagement(ctx(), admin, c.id, e2.id)).resolves.toBeTruthy();
    const detail = await lireEngagementDetail(ctx(), admin, c.id, e.id);
    expect(detail.mouvements.map((m) => m.type)).toEqual(['engagement', 'service_fait', 'paiement', 'liberation']);
    expect(detail.mouvements[1]).toMatchObject({ pourcentage: 33.33, certificateur: 'Marie Curie' });
    const vue = await lireCredits(ctx(), admin, c.id);
    expect(vue.annees[0]!.totaux).toMatchObject({ engageAe: 1_111_000, certifie: 1_111_000, payeCp: 1_000_000 });
    const liste = await listerEngagementsConvention(ctx(), admin, c.id, { page: 1, taille: 10 });
    expect(liste.items.map((x) => x.statut).sort()).toEqual(['annule', 'solde']);
    await verifierCoherence(c.id);
  });

  it('refuses cancelling certified work and paying beyond the CP of the year', async () => {
    const c = await nouvelle('T-CP', { echeancier: [{ annee: 2026, aeCentimes: 5_000_000, cpCentimes: 1_000_000 }] });
    const { valeur: e } = await creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 4_000_000 }));
    await constaterServiceFait(ctx(), admin, c.id, e.id, { total: true });
    await expect(annulerEngagement(ctx(), admin, c.id, e.id)).rejects.toMatchObject({ code: 'ENGAGEMENT_CERTIFIE' });
    const err = await enregistrerPaiement(ctx(), admin, c.id, e.id, {
      montantCentimes: 1_500_000,
      reference: 'DP-9',
    }).catch((x) => x);
    expect(err).toMatchObject({
      code: 'PLAFOND_CP_DEPASSE',
      details: { disponible_centimes: 1_000_000, demande_centimes: 1_500_000, manque_centimes: 500_000 },
    });
  });

  it('refuses orders on a suspended, ended, unsigned convention or a year without credits', async () => {
    const c = await nouvelle('T-STATUT');
    await expect(
      creerEngagement(ctx(), admin, c.id, commande({ annee: 2025, dateEngagement: '2025-06-01' })),
    ).rejects.toMatchObject({ code: 'CONVENTION_NON_SIGNEE' });
    await suspendreConvention(ctx(), admin, c.id, 'Insuffisance de crédits signalée au délégant');
    await expect(creerEngagement(ctx(), admin, c.id, commande())).rejects.toMatchObject({
      code: 'CONVENTION_SUSPENDUE',
    });
    await expect(suspendreConvention(ctx(), gestionnaire, c.id, 'x')).rejects.toMatchObject({ code: 'ACCES_REFUSE' });
    const fin = await nouvelle('T-FIN', { dateFin: '2026-10-31' });
    await expect(creerEngagement(ctx(), admin, fin.id, commande())).rejects.toMatchObject({
      code: 'CONVENTION_TERMINEE',
    });
    // ended conventions still certify and pay orders issued before the end
    const sans = await nouvelle('T-SANS', { echeancier: [{ annee: 2026, aeCentimes: null, cpCentimes: null }] });
    await expect(creerEngagement(ctx(), admin, sans.id, commande())).rejects.toMatchObject({
      code: 'ANNEE_SANS_CREDITS',
    });
    await expect(creerEngagement(ctx(), admin, sans.id, commande({ annee: 2025 }))).rejects.toMatchObject({
      code: 'DONNEES_INVALIDES',
    });
  });

  it('applies the year-end cut-offs: warning before, refusal after, administrator override with a reason', async () => {
    const c = await nouvelle('T-CALENDRIER');
    const warn = await creerEngagement(
      ctx(),
      admin,
      c.id,
      commande({ dateEngagement: '2026-11-23', montantCentimes: 100 }),
    );
    expect(warn.avertissements[0]).toContain('12 décembre 2026');
    const apres = contexte(s, () => new Date('2026-12-14T10:00:00Z'));
    await expect(creerEngagement(apres, admin, c.id, commande({ dateEngagement: '2026-12-14' }))).rejects.toMatchObject(
      { code: 'CALENDRIER_DEPASSE' },
    );
    await expect(
      creerEngagement(apres, gestionnaire, c.id, commande({ dateEngagement: '2026-12-14' }), { motif: 'urgence' }),
    ).rejects.toMatchObject({ code: 'ACCES_REFUSE' });
    const ok = await creerEngagement(apres, admin, c.id, commande({ dateEngagement: '2026-12-14' }), {
      motif: 'Renouvellement de l’équipe validé en comité',
    });
    expect(ok.avertissements[0]).toContain('Dérogation');
    expect((await lireJournal(apres, admin, c.id))[0]?.commentaire).toContain('Renouvellement de l’équipe');
    const { valeur: e } = await creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 1000 }));
    await constaterServiceFait(ctx(), admin, c.id, e.id, { total: true });
    const dec = contexte(s, () => new Date('2026-12-02T10:00:00Z'));
    await expect(
      enregistrerPaiement(dec, admin, c.id, e.id, { montantCentimes: 1000, reference: 'F', date: '2026-12-02' }),
    ).rejects.toMatchObject({ code: 'CALENDRIER_DEPASSE' });
    // settings move the cut-off
    await modifierParametres(
      ctx(),
      admin,
      { ...PARAMETRES_DEFAUT, limitePaiements: '12-05' },
      'Calendrier 2026 de la DB',
    );
    expect((await lireParametres(ctx())).limitePaiements).toBe('12-05');
    await expect(
      enregistrerPaiement(dec, admin, c.id, e.id, { montantCentimes: 1000, reference: 'F', date: '2026-12-02' }),
    ).resolves.toBeTruthy();
    await modifierParametres(ctx(), admin, PARAMETRES_DEFAUT, null);
    await expect(modifierParametres(ctx(), gestionnaire, PARAMETRES_DEFAUT, null)).rejects.toMatchObject({
      code: 'ACCES_REFUSE',
    });
    await expect(
      modifierParametres(ctx(), admin, { ...PARAMETRES_DEFAUT, limitePaiements: '02-30' }, null),
    ).rejects.toMatchObject({ code: 'DONNEES_INVALIDES' });
  });

  it('releases tranches by recorded decision and lets an administrator record another availability', async () => {
    const { selex: source, jour } = demo();
    const anneeAe = source.echeancier[0]!.annee;
    const selex = (await creerConvention(ctx(), admin, { ...source, reference: 'T-TRANCHES' })).convention;
    let vue = await lireCredits(ctx(), admin, selex.id);
    expect(vue.annees.find((a) => a.annee === anneeAe)!.totaux.ouvertAe).toBe(5_500_000);
    await libererTranche(ctx(), gestionnaire, selex.id, 2, {
      date: jour,
      motif: 'Bilan de mi-parcours FAST favorable',
      decideur: 'Comité FAST',
    });
    vue = await lireCredits(ctx(), admin, selex.id);
    expect(vue.annees.find((a) => a.annee === anneeAe)!.totaux.ouvertAe).toBe(11_000_000);
    expect(vue.annees.find((a) => a.annee === anneeAe + 1)!.totaux.ouvertCp).toBe(5_500_000);
    await expect(
      libererTranche(ctx(), gestionnaire, selex.id, 2, { date: jour, motif: 'x', decideur: null }),
    ).rejects.toMatchObject({ code: 'TRANCHE_DEJA_LIBEREE' });
    await expect(
      libererTranche(ctx(), partenaireJustice, selex.id, 1, { date: jour, motif: 'x', decideur: null }),
    ).rejects.toMatchObject({ code: 'ACCES_REFUSE' });
    const c = await nouvelle('T-DECISION');
    await deciderDisponibilite(ctx(), admin, c.id, {
      annee: 2026,
      aeCentimes: 2_000_000,
      cpCentimes: 1_000_000,
      date: '2026-06-01',
      motif: 'Notification du délégant du 1er juin',
    });
    vue = await lireCredits(ctx(), admin, c.id);
    expect(vue.annees[0]!.totaux).toMatchObject({ ouvertAe: 2_000_000, ouvertCp: 1_000_000 });
    await expect(
      deciderDisponibilite(ctx(), gestionnaire, c.id, {
        annee: 2026,
        aeCentimes: 1,
        cpCentimes: 1,
        date: '2026-06-01',
        motif: 'x',
      }),
    ).rejects.toMatchObject({ code: 'ACCES_REFUSE' });
    await verifierCoherence(c.id);
  });

  it('carries unused credits over to the next year and returns them, never more than unused', async () => {
    const c = await nouvelle('T-REPORT');
    await creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 3_000_000 }));
    await expect(
      reporterCredits(ctx(), gestionnaire, c.id, { annee: 2026, aeCentimes: 2_500_000, cpCentimes: 0, motif: 'x' }),
    ).rejects.toMatchObject({ code: 'CREDITS_NON_DISPONIBLES' });
    const avert = await reporterCredits(ctx(), gestionnaire, c.id, {
      annee: 2026,
      aeCentimes: 1_500_000,
      cpCentimes: 1_000_000,
      motif: 'Accord du MEN du 10 novembre',
    });
    expect(avert[0]).toContain('15 novembre');
    await restituerCredits(ctx(), gestionnaire, c.id, {
      annee: 2026,
      aeCentimes: 500_000,
      cpCentimes: 0,
      motif: 'Remontée demandée',
    });
    const vue = await lireCredits(ctx(), admin, c.id);
    expect(vue.annees.map((a) => [a.annee, a.totaux.ouvertAe, a.totaux.ouvertCp, a.disponibleAe])).toEqual([
      [2026, 3_000_000, 4_000_000, 0],
      [2027, 1_500_000, 1_000_000, 1_500_000],
    ]);
    await verifierCoherence(c.id);
  });

  it('refuses an amendment that would leave less than what is committed, and follows one that does not', async () => {
    const c = await nouvelle('T-AVENANT');
    await creerEngagement(ctx(), admin, c.id, commande({ montantCentimes: 3_000_000 }));
    const conv = await lireConvention(ctx(), admin, c.id);
    await expect(
      modifierConvention(
        ctx(),
        admin,
        c.id,
        { ...conv, echeancier: [{ annee: 2026, aeCentimes: 2_000_000, cpCentimes: 2_000_000 }] },
        conv.version,
      ),
    ).rejects.toMatchObject({
      code: 'CREDITS_INFERIEURS_CONSOMMATION',
    });
    await modifierConvention(
      ctx(),
      admin,
      c.id,
      { ...conv, echeancier: [{ annee: 2026, aeCentimes: 6_000_000, cpCentimes: 6_000_000 }] },
      conv.version,
    );
    expect((await lireCredits(ctx(), admin, c.id)).annees[0]?.totaux.ouvertAe).toBe(6_000_000);
    await suspendreConvention(ctx(), admin, c.id, 'test');
    expect((await lireCredits(ctx(), admin, c.id)).annees[0]?.totaux.ouvertAe).toBe(6_000_000);
    await verifierCoherence(c.id);
  });

  it('decides access with the domain predicates', async () => {
    const selex = (await listerConventions(ctx(), admin, { q: 'seLEXpert', page: 1, taille: 5 })).items[0];
    await expect(lireCredits(ctx(), partenaireSociaux, selex!.id)).rejects.toMatchObject({ code: 'INTROUVABLE' });
    await expect(lireCredits(ctx(), partenaireJustice, selex!.id)).resolves.toBeTruthy();
    const msj = (await listerConventions(ctx(), admin, { q: 'Mon Suivi Justice', page: 1, taille: 5 })).items[0];
    await expect(lireCredits(ctx(), equipe, msj!.id)).resolves.toBeTruthy();
    await expect(creerEngagement(ctx(), equipe, msj!.id, commande())).rejects.toMatchObject({ code: 'ACCES_REFUSE' });
    const p = await lirePortefeuilleCredits(ctx(), partenaireSociaux, { page: 1, taille: 50 });
    expect(p.items.map((i) => i.produits[0])).toEqual(['Mon Suivi Psy']);
  });

  it('keeps movements append-only', async () => {
    await expect(sql`UPDATE mouvement SET engage_ae = 0`.execute(s.db)).rejects.toThrow(/ajout seul/);
  });

  it('sums the portfolio by partner, year, DINUM role and FAST promotion', async () => {
    const p = await lirePortefeuilleCredits(ctx(), admin, { annee: 2026, page: 1, taille: 500 }, 'promotion_fast');
    const somme = p.items.reduce((t, i) => t + i.ouvertAe, 0);
    expect(p.total.ouvertAe).toBe(somme);
    expect(p.groupes.reduce((t, g) => t + g.ouvertAe, 0)).toBe(somme);
    expect(p.groupes.find((g) => g.cle === 'FAST 18')!.n).toBeGreaterThan(0);
    const roles = await lirePortefeuilleCredits(ctx(), admin, { roleDinum: 'delegant', page: 1, taille: 50 }, 'annee');
    // the DINUM is délégant of Mon Suivi Psy (ended) and of seLEXpert (AE this year, CP over two years)
    const { chronologie } = demo();
    expect(roles.groupes.map((g) => g.cle)).toEqual(
      [chronologie.anneeHistorique, chronologie.selex.anneeAe, chronologie.selex.anneeAe + 1].map(String),
    );
  });
});

describe.each(DATABASES)('a closed year on its totals row on %s', (kind) => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage(kind);
  });
  afterAll(async () => s?.close());

  it('writes the closing instant on the rows the movements lock, and fills rows closed before the column', async () => {
    const janvier = contexte(s, horlogeFixe('2027-01-05T09:30:00Z'));
    const creer = async (reference: string) =>
      (await creerConvention(contexte(s), admin, { ...demo().classe, reference })).convention.id;
    const a = await creer('CLOS-A');
    const b = await creer('CLOS-B');
    const closLe = async () =>
      Object.fromEntries(
        (
          await s.db
            .selectFrom('credit_annuel')
            .select(['convention_id', 'clos_le'])
            .where('annee', '=', 2026)
            .where('convention_id', 'in', [a, b])
            .execute()
        ).map((r) => [r.convention_id === a ? 'a' : 'b', r.clos_le?.toISOString() ?? null]),
      );

    await cloturerExercice(janvier, admin, 2026, a);
    expect(await closLe()).toEqual({ a: '2027-01-05T09:30:00.000Z', b: null });

    const fevrier = contexte(s, horlogeFixe('2027-02-02T08:00:00Z'));
    await cloturerExercice(fevrier, admin, 2026, null);
    expect(await closLe()).toEqual({ a: '2027-01-05T09:30:00.000Z', b: '2027-02-02T08:00:00.000Z' });

    // a database closed before the column existed: the migration copies the earliest closing of each row
    await m013.down(s.db as never);
    await m013.up(s.db as never);
    expect(await closLe()).toEqual({ a: '2027-01-05T09:30:00.000Z', b: '2027-02-02T08:00:00.000Z' });
  });
});
