import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import type { ConventionSaisie } from '../../src/domain/convention.js';
import type { EngagementSaisie } from '../../src/domain/engagement.js';
import type { LigneJournal } from '../../src/domain/journal.js';
import { insererMouvementsCredit } from '../../src/storage/credit-mouvement.js';
import type { Storage } from '../../src/storage/database.js';
import { ecrireAvecJournal, listerJournal } from '../../src/storage/journal.js';
import { modifierEtat } from '../../src/storage/convention-cycle.js';
import { traiterAlerte, listerAlertesCredits } from '../../src/usecases/alerte.js';
import { modifierParametres } from '../../src/usecases/calendrier.js';
import { creerConvention, modifierConvention } from '../../src/usecases/convention.js';
import { suspendreConvention } from '../../src/usecases/convention-cycle.js';
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
  solderEngagement,
} from '../../src/usecases/engagement.js';
import { proposerEngagement, refuserProposition, validerProposition } from '../../src/usecases/proposition.js';
import { connecterAgent } from '../../src/usecases/acces.js';
import { DATABASES, contexte, freshStorage } from '../support/db.js';
import { demo } from '../support/demo.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const gestionnaire = ACTEURS_DEMO.find((a) => a.role === 'gestionnaire')!;
const equipe = ACTEURS_DEMO.find((a) => a.id === 'demo-equipe-classe12')!;
const MAINTENANT = new Date('2026-11-23T10:00:00Z');

/** A convention in force this year with 50 000 € of AE and CP, whatever the demo's dates. */
const enVigueur = (reference: string): ConventionSaisie => ({
  ...demo().classe,
  reference,
  statut: 'en_vigueur',
  dateSignature: '2026-05-04',
  dateFin: '2027-05-03',
  dureeMois: null,
  // its maximums (100 000 € of AE, 60 000 € of CP) leave room for the decision the tests record
  echeancier: [
    { annee: 2026, aeCentimes: 5_000_000, cpCentimes: 5_000_000 },
    { annee: 2027, aeCentimes: null, cpCentimes: 1_000_000 },
  ],
  totalAeCentimes: 10_000_000,
  tranches: [],
});

/** A FAST laureate of 2024 whose second half of AE awaits its mid-term review. */
const laureat = (reference: string): ConventionSaisie => ({
  ...enVigueur(reference),
  dateSignature: '2024-07-01',
  dateFin: '2025-12-31',
  echeancier: [{ annee: 2024, aeCentimes: 11_000_000, cpCentimes: 5_500_000 }],
  totalAeCentimes: 11_000_000,
  tranches: [
    { partPct: 50, condition: null },
    { partPct: 50, condition: 'Bilan de mi-parcours' },
  ],
});

const commande = (o: Partial<EngagementSaisie> = {}): EngagementSaisie => ({
  numero: null,
  annee: 2026,
  dateEngagement: '2026-11-20',
  dateFinPrestation: null,
  titulaire: 'Octo Technology',
  marche: null,
  devis: null,
  objet: 'Coaching produit',
  produit: null,
  montantCentimes: 1_000_000,
  baseMontant: 'TTC',
  ...o,
});

describe('the journal writer', () => {
  it('makes a write without its journal line a type error', () => {
    // never run: the compiler checks that repositories refuse a bare transaction
    const sansJournal = (trx: Parameters<typeof ecrireAvecJournal>[0]) => {
      // @ts-expect-error a credit movement needs the write's Ecriture, which carries its journal line
      void insererMouvementsCredit(trx, []);
      // @ts-expect-error and a convention's state
      void modifierEtat(trx, 'id', { statut: 'suspendue', finEffective: null });
    };
    expect(typeof sansJournal).toBe('function');
  });
});

describe.each(DATABASES)('journal lines of every write on %s', (kind) => {
  let s: Storage;
  const ctx = () => contexte(s, () => new Date(MAINTENANT));
  let conventionId = '';

  async function derniere(id = conventionId): Promise<LigneJournal> {
    const [ligne] = await listerJournal(s.db, id, 1);
    if (!ligne) throw new Error('aucune ligne de journal');
    return ligne;
  }

  /** The line names its author and instant, and says what changed from what to what. */
  async function attendre(
    action: string,
    acteurId: string,
    changements: Array<{ champ: string; avant: unknown; apres: unknown }>,
    id = conventionId,
  ): Promise<LigneJournal> {
    const l = await derniere(id);
    expect(l).toMatchObject({ action, acteur: { id: acteurId }, le: MAINTENANT.toISOString() });
    expect(l.changements).toEqual(expect.arrayContaining(changements));
    return l;
  }

  beforeAll(async () => {
    s = await freshStorage(kind);
    conventionId = (await creerConvention(ctx(), admin, enVigueur('T-JOURNAL'))).convention.id;
  });
  afterAll(async () => s?.close());

  it('journals a convention with the credits its schedule opens, then its changes and its state', async () => {
    await attendre('creation', admin.id, [
      { champ: 'reference', avant: null, apres: 'T-JOURNAL' },
      { champ: 'credits 2026.ouvertAe', avant: 0, apres: 5_000_000 },
    ]);
    const { convention } = await creerConvention(ctx(), admin, enVigueur('T-JOURNAL-2'));
    await modifierConvention(
      ctx(),
      admin,
      convention.id,
      { ...convention, echeancier: [{ annee: 2026, aeCentimes: 6_000_000, cpCentimes: 5_000_000 }] },
      convention.version,
    );
    await attendre(
      'modification',
      admin.id,
      [{ champ: 'credits 2026.ouvertAe', avant: 5_000_000, apres: 6_000_000 }],
      convention.id,
    );
    await suspendreConvention(ctx(), admin, convention.id, 'Insuffisance de crédits');
    await attendre(
      'suspension',
      admin.id,
      [{ champ: 'statut', avant: 'en_vigueur', apres: 'suspendue' }],
      convention.id,
    );
  });

  it('journals an order, its certified work, payment, closing and cancelling', async () => {
    const { valeur: e } = await creerEngagement(ctx(), gestionnaire, conventionId, commande());
    const l = await attendre('engagement', gestionnaire.id, [{ champ: 'numero', avant: null, apres: e.numero }]);
    expect(l.objetId).toBe(e.id);
    await constaterServiceFait(
      ctx(),
      gestionnaire,
      conventionId,
      e.id,
      { montantCentimes: 400_000 },
      { date: '2026-11-21' },
    );
    await attendre('service_fait', gestionnaire.id, [{ champ: 'certifie', avant: 0, apres: 400_000 }]);
    await enregistrerPaiement(ctx(), gestionnaire, conventionId, e.id, {
      montantCentimes: 300_000,
      reference: 'F-1',
      date: '2026-11-22',
    });
    await attendre('paiement', gestionnaire.id, [{ champ: 'paye', avant: 0, apres: 300_000 }]);
    await solderEngagement(ctx(), gestionnaire, conventionId, e.id, null, 'Fin de mission');
    await attendre('solde', gestionnaire.id, [
      { champ: 'statut', avant: 'actif', apres: 'solde' },
      { champ: 'libere', avant: 0, apres: 600_000 },
    ]);
    const { valeur: autre } = await creerEngagement(
      ctx(),
      gestionnaire,
      conventionId,
      commande({ montantCentimes: 100_000 }),
    );
    await annulerEngagement(ctx(), gestionnaire, conventionId, autre.id, 'Doublon');
    await attendre('annulation', gestionnaire.id, [{ champ: 'statut', avant: 'actif', apres: 'annule' }]);
  });

  it('journals a carry-over and a return with the availability before and after', async () => {
    // 5 000 000 open in 2026, 400 000 still committed after the closing and the cancelling above
    await reporterCredits(ctx(), gestionnaire, conventionId, {
      annee: 2026,
      aeCentimes: 1_000_000,
      cpCentimes: 0,
      motif: 'Accord du délégant',
    });
    await attendre('report', gestionnaire.id, [
      { champ: 'credits 2026.ouvertAe', avant: 5_000_000, apres: 4_000_000 },
      { champ: 'credits 2027.ouvertAe', avant: 0, apres: 1_000_000 },
    ]);
    await restituerCredits(ctx(), gestionnaire, conventionId, {
      annee: 2026,
      aeCentimes: 500_000,
      cpCentimes: 0,
      motif: 'Remontée',
    });
    await attendre('restitution', gestionnaire.id, [
      { champ: 'credits 2026.ouvertAe', avant: 4_000_000, apres: 3_500_000 },
    ]);
  });

  it('journals the release of a tranche and an availability decision with what they open', async () => {
    const selex = (await creerConvention(ctx(), admin, laureat('T-JOURNAL-TRANCHES'))).convention;
    await libererTranche(ctx(), gestionnaire, selex.id, 2, {
      date: '2024-11-15',
      motif: 'Bilan favorable',
      decideur: 'Comité FAST',
    });
    await attendre(
      'liberation_tranche',
      gestionnaire.id,
      [
        { champ: 'tranche 2.liberee', avant: null, apres: '2024-11-15' },
        { champ: 'credits 2024.ouvertAe', avant: 5_500_000, apres: 11_000_000 },
      ],
      selex.id,
    );
    await deciderDisponibilite(ctx(), admin, conventionId, {
      annee: 2027,
      aeCentimes: 2_000_000,
      cpCentimes: 1_000_000,
      date: '2026-11-01',
      motif: 'Notification du délégant',
    });
    await attendre('disponibilite', admin.id, [
      {
        champ: 'disponibilite 2027',
        avant: null,
        apres: { aeCentimes: 2_000_000, cpCentimes: 1_000_000, dateEffet: '2026-11-01' },
      },
      { champ: 'credits 2027.ouvertAe', avant: 1_000_000, apres: 3_000_000 },
    ]);
  });

  it('journals proposals, their approval with the order it places, and their refusal', async () => {
    const p = {
      annee: 2026,
      titulaire: 'Scopyleft',
      marche: null,
      devis: null,
      objet: 'Atelier',
      produit: null,
      montantCentimes: 50_000,
      baseMontant: null,
      dateFinPrestation: null,
      justification: 'Besoin',
    };
    const proposee = await proposerEngagement(ctx(), equipe, conventionId, p);
    expect(await derniere()).toMatchObject({ action: 'proposition', objetId: proposee.id, acteur: { id: equipe.id } });
    const { valeur: e } = await validerProposition(ctx(), gestionnaire, conventionId, proposee.id);
    const [validation, engagement] = await listerJournal(s.db, conventionId, 2);
    expect(validation).toMatchObject({
      action: 'validation',
      objetId: proposee.id,
      changements: [{ champ: 'statut', avant: 'a_valider', apres: 'validee' }],
    });
    expect(engagement).toMatchObject({ action: 'engagement', objetId: e.id });
    const refusee = await proposerEngagement(ctx(), equipe, conventionId, p);
    await refuserProposition(ctx(), gestionnaire, conventionId, refusee.id, 'Hors périmètre');
    await attendre('refus', gestionnaire.id, [{ champ: 'statut', avant: 'a_valider', apres: 'refusee' }]);
  });

  it('journals an alert dealt with, and the calendar settings', async () => {
    await expect(
      creerEngagement(ctx(), gestionnaire, conventionId, commande({ montantCentimes: 900_000_000 })),
    ).rejects.toMatchObject({ code: 'PLAFOND_AE_DEPASSE' });
    const alerte = (await listerAlertesCredits(ctx(), admin)).enregistrees.find(
      (a) => a.conventionId === conventionId,
    )!;
    await traiterAlerte(ctx(), gestionnaire, alerte.id);
    await attendre('traitement', gestionnaire.id, [{ champ: 'traitee', avant: false, apres: true }]);
    await modifierParametres(ctx(), admin, { ...PARAMETRES_DEFAUT, limitePaiements: '12-05' }, 'Calendrier de la DB');
    const ligne = await s.db
      .selectFrom('journal')
      .selectAll()
      .where('objet_type', '=', 'parametre')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(ligne).toMatchObject({ action: 'parametres', acteur_id: admin.id, commentaire: 'Calendrier de la DB' });
    expect(ligne.changements).toEqual([{ champ: 'Date limite des paiements', avant: '11-30', apres: '12-05' }]);
  });

  it('writes no line for a refused write, and one line once', async () => {
    const avant = await listerJournal(s.db, conventionId);
    await expect(
      creerEngagement(ctx(), gestionnaire, conventionId, commande({ montantCentimes: 900_000_000 })),
    ).rejects.toMatchObject({ code: 'PLAFOND_AE_DEPASSE' });
    expect(await listerJournal(s.db, conventionId)).toEqual(avant);
    await expect(
      s.db.transaction().execute((trx) =>
        ecrireAvecJournal(
          trx,
          admin,
          MAINTENANT,
          { conventionId, objetType: 'convention', objetId: conventionId, action: 'essai' },
          async (e) => {
            await e.insertionJournal().execute();
            e.noter({ champ: 'x', avant: 1, apres: 2 });
          },
        ),
      ),
    ).rejects.toThrow(/déjà écrite/);
    expect(await listerJournal(s.db, conventionId)).toEqual(avant);
  });
});

describe.each(DATABASES)('journal line of an agent’s first login on %s', (kind) => {
  let s: Storage;
  const ctx = () => contexte(s, () => new Date(MAINTENANT));
  beforeAll(async () => {
    s = await freshStorage(kind);
  });
  afterAll(async () => s?.close());

  const identite = {
    idpId: 'idp-test',
    sub: 'sub-premiere',
    email: 'camille.martin@exemple.gouv.fr',
    prenom: 'Camille',
    nom: 'Martin',
    siret: '11000201100044',
  };
  const lignesAgent = () =>
    s.db.selectFrom('journal').selectAll().where('objet_type', '=', 'agent').orderBy('id').execute();

  it('journals the agent created at the first login with its role, and nothing at the next ones', async () => {
    const { agent } = await connecterAgent(ctx(), identite, null, { administrateurs: [] });
    expect(agent.role).toBe('partenaire');
    const lignes = await lignesAgent();
    expect(lignes).toHaveLength(1);
    expect(lignes[0]).toMatchObject({ objet_id: agent.id, action: 'creation', acteur_id: agent.id });
    expect(lignes[0]?.le.toISOString()).toBe(MAINTENANT.toISOString());
    expect(lignes[0]?.changements).toEqual(
      expect.arrayContaining([{ champ: 'role', avant: null, apres: 'partenaire' }]),
    );
    const encore = await connecterAgent(ctx(), { ...identite, nom: 'Martin-Durand' }, null, { administrateurs: [] });
    expect(encore.agent.id).toBe(agent.id);
    expect(encore.agent.nom).toBe('Martin-Durand');
    expect(await lignesAgent()).toHaveLength(1);
  });

  it('makes one agent and one line when two first logins arrive together', async () => {
    const autre = { ...identite, sub: 'sub-simultanee', email: 'admin@exemple.gouv.fr' };
    const opts = { administrateurs: ['admin@exemple.gouv.fr'] };
    const [a, b] = await Promise.all([
      connecterAgent(ctx(), autre, null, opts),
      connecterAgent(ctx(), autre, null, opts),
    ]);
    expect(a.agent.id).toBe(b.agent.id);
    expect(a.agent.role).toBe('administrateur');
    const lignes = (await lignesAgent()).filter((l) => l.objet_id === a.agent.id);
    expect(lignes).toHaveLength(1);
    expect(lignes[0]?.commentaire).toContain('administrateurs configurés');
  });
});
