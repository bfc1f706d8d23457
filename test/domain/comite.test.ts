import { describe, expect, it } from 'vitest';
import {
  aeRestantes,
  phaseApres,
  projetAvenant,
  raisonsAvenant,
  verifierAvenantAppele,
  verifierDecision,
  type DecisionEnregistree,
  type ReunionComite,
} from '../../src/domain/comite.js';
import {
  dateEpuisementAe,
  dernierComiteTenu,
  planifierComite,
  planifierComiteProduit,
  type FinancementProduit,
  type SituationComite,
} from '../../src/domain/comite-plan.js';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';

const situation = (o: Partial<SituationComite> = {}): SituationComite => ({
  dateSignature: '2026-01-15',
  fin: '2027-12-31',
  periodiciteMois: 6,
  dernierComite: null,
  epuisementAe: null,
  ...o,
});
const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ...o });
const comite = (o: Partial<ReunionComite> = {}): ReunionComite => ({
  id: 1,
  conventionId: 'c',
  nature: 'investissement',
  date: '2026-07-10',
  presidence: null,
  participants: [],
  indicateurs: [],
  demande: null,
  preparePar: 'X',
  prepareLe: '2026-07-01T10:00:00Z',
  decision: null,
  compteRenduPieceId: null,
  avenantNumero: null,
  ...o,
});
const code = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('the plan of the next committee', () => {
  it('with only the period: six months after the signature', () => {
    const p = planifierComite(situation(), '2026-03-01');
    expect(p.date).toBe('2026-07-15');
    expect(p.regle).toBe('periodicite');
    expect(p.explication).toContain('15 janvier 2026');
  });

  it('takes the period the convention states', () => {
    expect(planifierComite(situation({ periodiciteMois: 3 }), '2026-03-01').date).toBe('2026-04-15');
  });

  it('moves earlier when the AE run out before the period, and says why', () => {
    const p = planifierComite(situation({ epuisementAe: '2026-05-20' }), '2026-03-01');
    expect(p.date).toBe('2026-04-05');
    expect(p.regle).toBe('epuisement_ae');
    expect(p.explication).toContain('20 mai 2026');
    expect(p.explication).toContain('au plus tard le 20 avril 2026');
  });

  it('keeps the period when the money runs out after it', () => {
    expect(planifierComite(situation({ epuisementAe: '2026-11-30' }), '2026-03-01').regle).toBe('periodicite');
  });

  it('is 45 days before the end when the end comes before the period', () => {
    const p = planifierComite(situation({ fin: '2026-06-30' }), '2026-03-01');
    expect(p.date).toBe('2026-05-16');
    expect(p.regle).toBe('fin');
    expect(p.explication).toContain('au plus tard le 31 mai 2026');
  });

  it('counts the period from the last committee held', () => {
    const p = planifierComite(situation({ dernierComite: '2026-07-10' }), '2026-08-01');
    expect(p.date).toBe('2027-01-10');
    expect(p.regle).toBe('periodicite');
    expect(p.explication).toContain('10 juillet 2026');
  });

  it('takes a committee held within the 45 days before the end for the end committee', () => {
    const p = planifierComite(situation({ fin: '2026-09-30', dernierComite: '2026-08-20' }), '2026-08-25');
    expect(p.regle).toBe('periodicite');
    expect(p.date).toBe('2027-02-20');
    // held earlier than that, the end still asks for one
    expect(planifierComite(situation({ fin: '2026-09-30', dernierComite: '2026-07-01' }), '2026-07-05')).toMatchObject({
      date: '2026-08-16',
      regle: 'fin',
    });
  });

  it('with no consumption yet, no projection: the period or the end decide', () => {
    const rien = t({ ouvertAe: 10_000_000, engageAe: 0, ouverture: '2026-01-15' });
    expect(dateEpuisementAe(rien, '2026-03-01')).toBeNull();
    const p = planifierComite(situation({ epuisementAe: dateEpuisementAe(rien, '2026-03-01') }), '2026-03-01');
    expect(p).toMatchObject({ date: '2026-07-15', regle: 'periodicite' });
  });

  it('says when the planned date is past, and plans nothing before signature or after the end', () => {
    expect(planifierComite(situation(), '2026-08-01').explication).toContain('sans attendre');
    expect(planifierComite(situation({ dateSignature: null }), '2026-03-01')).toMatchObject({
      date: null,
      regle: 'aucune',
    });
    expect(planifierComite(situation({ fin: '2026-02-01' }), '2026-03-01')).toMatchObject({
      date: null,
      regle: 'aucune',
    });
  });
});

describe('the exhaustion of the AE at the pace of consumption', () => {
  it('extends the pace since the opening', () => {
    // 40 000 € committed in 40 days out of 100 000 €: 60 days more
    const x = t({ ouvertAe: 10_000_000, engageAe: 4_000_000, ouverture: '2026-02-01' });
    expect(dateEpuisementAe(x, '2026-03-13')).toBe('2026-05-12');
  });

  it('is today when nothing is left, and null when the pace does not exhaust them within the year', () => {
    expect(dateEpuisementAe(t({ ouvertAe: 100, engageAe: 100, ouverture: '2026-02-01' }), '2026-03-13')).toBe(
      '2026-03-13',
    );
    expect(dateEpuisementAe(t({ ouvertAe: 10_000_000, engageAe: 100, ouverture: '2026-02-01' }), '2026-03-13')).toBe(
      null,
    );
    expect(dateEpuisementAe(t({ ouvertAe: 100, engageAe: 50 }), '2027-01-10')).toBeNull();
  });
});

describe('a committee’s decision', () => {
  it('is recorded once, after the committee was held', () => {
    const d = {
      decision: 'continue' as const,
      motif: 'Bons résultats',
      budgetCentimes: null,
      dureeMois: 6,
      phase: null,
      appelleAvenant: false,
    };
    expect(code(() => verifierDecision(comite({ date: '2026-07-10' }), d, '2026-07-01'))).toBe('COMITE_A_VENIR');
    expect(code(() => verifierDecision(comite(), d, '2026-07-10'))).toBeNull();
    const decide = comite({
      decision: { ...d, trancheLiberee: null, auteur: 'Y', le: '2026-07-10T12:00:00Z' },
    });
    expect(code(() => verifierDecision(decide, d, '2026-07-11'))).toBe('COMITE_DEJA_DECIDE');
    expect(code(() => verifierDecision(comite(), { ...d, motif: ' ' }, '2026-07-11'))).toBe('DONNEES_INVALIDES');
    expect(code(() => verifierDecision(comite(), { ...d, decision: 'provisoire', dureeMois: 4 }, '2026-07-11'))).toBe(
      'DONNEES_INVALIDES',
    );
  });

  it('counts only committees whose decision is recorded as held', () => {
    const tenu = comite({
      date: '2026-07-10',
      decision: {
        decision: 'continue',
        motif: 'm',
        budgetCentimes: null,
        dureeMois: null,
        phase: null,
        trancheLiberee: null,
        appelleAvenant: false,
        auteur: 'Y',
        le: 'x',
      },
    });
    expect(dernierComiteTenu([tenu, comite({ id: 2, date: '2026-12-01' })])).toBe('2026-07-10');
    expect(dernierComiteTenu([comite()])).toBeNull();
  });

  it('moves the phase a stop or a transfer imply', () => {
    expect(phaseApres('arret', null)).toBe('abandon');
    expect(phaseApres('transfert', null)).toBe('transfere');
    expect(phaseApres('continue', null)).toBeNull();
    expect(phaseApres('continue', 'opere')).toBe('opere');
  });
});

describe('the plan of a product funded by several conventions', () => {
  const financement = (o: Partial<FinancementProduit> = {}): FinancementProduit => ({
    conventionId: 'a',
    libelle: 'CONV-A',
    dateSignature: '2026-01-15',
    fin: '2027-12-31',
    epuisementAe: null,
    dernierComite: null,
    ...o,
  });
  const AUJOURDHUI = '2026-06-01';

  it('is the convention’s own plan when no other convention in force funds the product', () => {
    const seul = financement();
    const termine = financement({ conventionId: 'b', libelle: 'CONV-B', fin: '2026-03-31' });
    const attendu = { date: '2026-07-15', regle: 'periodicite' };
    expect(planifierComiteProduit('Produit', seul, [], 6, AUJOURDHUI)).toMatchObject(attendu);
    expect(planifierComiteProduit('Produit', seul, [termine], 6, AUJOURDHUI)).toMatchObject(attendu);
    expect(planifierComiteProduit('Produit', seul, [], 6, AUJOURDHUI).explication).not.toContain('commun');
  });

  it('comes before another convention’s end, and says which convention set it', () => {
    const plan = planifierComiteProduit(
      'Produit',
      financement(),
      [financement({ conventionId: 'b', libelle: 'CONV-B', fin: '2026-08-15' })],
      6,
      AUJOURDHUI,
    );
    // 45 days before 15 August 2026
    expect(plan).toMatchObject({ date: '2026-07-01', regle: 'fin' });
    expect(plan.explication).toContain('Comité commun au produit « Produit », financé aussi par « CONV-B »');
    expect(plan.explication).toContain('Date fixée par la convention « CONV-B »');
  });

  it('counts a committee held on another convention of the product for the period', () => {
    const plan = planifierComiteProduit(
      'Produit',
      financement(),
      [financement({ conventionId: 'b', libelle: 'CONV-B', fin: '2027-06-30', dernierComite: '2026-03-01' })],
      6,
      AUJOURDHUI,
    );
    expect(plan).toMatchObject({ date: '2026-09-01', regle: 'periodicite' });
    expect(plan.explication).toContain('1er mars 2026');
  });

  it('comes before the AE of either convention run out', () => {
    const plan = planifierComiteProduit(
      'Produit',
      financement({ epuisementAe: '2026-10-31' }),
      [financement({ conventionId: 'b', libelle: 'CONV-B', epuisementAe: '2026-08-30', dernierComite: '2026-05-01' })],
      6,
      AUJOURDHUI,
    );
    // 45 days before 30 August 2026
    expect(plan).toMatchObject({ date: '2026-07-16', regle: 'epuisement_ae' });
  });
});

describe('the avenant a decision calls for', () => {
  const decision = (o: Partial<DecisionEnregistree> = {}): DecisionEnregistree => ({
    decision: 'continue',
    motif: 'Objectifs atteints.',
    budgetCentimes: null,
    dureeMois: null,
    phase: null,
    trancheLiberee: null,
    appelleAvenant: false,
    auteur: 'Y',
    le: '2026-07-10T12:00:00Z',
    ...o,
  });
  const large = { fin: '2027-12-31', restantAeCentimes: 1_000_000 };

  it('counts the AE a convention still allows from a year on, within its maximum', () => {
    const c = {
      echeancier: [
        { annee: 2026, aeCentimes: 100, cpCentimes: 100 },
        { annee: 2027, aeCentimes: 200, cpCentimes: 200 },
      ],
      totalAeCentimes: 250,
    };
    const engages = [
      { annee: 2026, engageAe: 80 },
      { annee: 2027, engageAe: 50 },
    ];
    // 2027: 200 − 50 = 150 by the schedule, 250 − 130 = 120 by the maximum
    expect(aeRestantes(c, engages, 2027)).toBe(120);
    // without a maximum: 20 left in 2026, 150 in 2027
    expect(aeRestantes({ ...c, totalAeCentimes: null }, engages, 2026)).toBe(170);
    expect(aeRestantes({ ...c, totalAeCentimes: null }, engages, 2028)).toBe(0);
    expect(aeRestantes({ echeancier: [], totalAeCentimes: null }, engages, 2026)).toBeNull();
    expect(aeRestantes({ echeancier: [], totalAeCentimes: 100 }, engages, 2026)).toBe(0);
  });

  it('is called for by the decider, by an acceleration or a transfer, a budget beyond the convention, a period past its end', () => {
    const c = comite({ date: '2026-07-10' });
    expect(raisonsAvenant(c, decision(), large)).toEqual([]);
    expect(raisonsAvenant(c, decision({ appelleAvenant: true }), large)).toEqual(['demande']);
    expect(raisonsAvenant(c, decision({ decision: 'transfert' }), large)).toEqual(['nature']);
    expect(raisonsAvenant(c, decision({ decision: 'acceleration' }), large)).toEqual(['nature']);
    expect(raisonsAvenant(c, decision({ budgetCentimes: 1_000_001 }), large)).toEqual(['budget']);
    expect(raisonsAvenant(c, decision({ budgetCentimes: 1_000_000 }), large)).toEqual([]);
    // no schedule nor maximum: nothing to go beyond
    expect(raisonsAvenant(c, decision({ budgetCentimes: 5 }), { ...large, restantAeCentimes: null })).toEqual([]);
    // the team's request stands for the budget of a decision to go on that states none
    const demande = comite({ date: '2026-07-10', demande: { equipe: 'e', budgetCentimes: 2_000_000, dureeMois: 6 } });
    expect(raisonsAvenant(demande, decision(), large)).toEqual(['budget']);
    expect(raisonsAvenant(demande, decision({ decision: 'provisoire' }), large)).toEqual([]);
    // six months from 10 July 2026 run past an end on 31 December 2026
    expect(raisonsAvenant(c, decision(), { ...large, fin: '2026-12-31' })).toEqual(['fin']);
    expect(raisonsAvenant(c, decision({ dureeMois: 5 }), { ...large, fin: '2026-12-31' })).toEqual([]);
    // a stop calls for none by itself
    expect(
      raisonsAvenant(c, decision({ decision: 'arret', budgetCentimes: 9_000_000 }), { ...large, fin: '2026-08-01' }),
    ).toEqual([]);
  });

  it('is drafted once, from a decision that calls for it', () => {
    const codeDe = (c: ReunionComite) => {
      try {
        verifierAvenantAppele(c);
        return null;
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(codeDe(comite())).toBe('COMITE_NON_DECIDE');
    expect(codeDe(comite({ decision: decision() }))).toBe('COMITE_SANS_AVENANT');
    expect(codeDe(comite({ decision: decision({ appelleAvenant: true }) }))).toBeNull();
    expect(codeDe(comite({ decision: decision({ appelleAvenant: true }), avenantNumero: 2 }))).toBe(
      'COMITE_AVENANT_REDIGE',
    );
  });

  it('adds the budget beyond the convention to the schedule of the year, and moves the end past the period', () => {
    const conv = {
      echeancier: [
        { annee: 2026, aeCentimes: 10_000_000, cpCentimes: 8_000_000 },
        { annee: 2027, aeCentimes: 5_000_000, cpCentimes: null },
      ],
      totalAeCentimes: 15_000_000,
      dateFin: '2026-12-31',
      dureeMois: null,
      dateSignature: '2026-01-15',
    };
    const c = comite({
      date: '2026-11-20',
      decision: decision({ budgetCentimes: 20_000_000, dureeMois: 6, appelleAvenant: true }),
    });
    const p = projetAvenant(
      conv,
      c as ReunionComite & { decision: DecisionEnregistree },
      { fin: '2026-12-31', restantAeCentimes: 3_000_000 },
      '2026-11-23',
    );
    expect(p.dateEffet).toBe('2026-11-23');
    expect(p.modifications).toEqual({
      // 100 000 € + 200 000 € of AE, 80 000 € + 200 000 € of CP in 2026; 2027 as it was
      echeancier: [
        { annee: 2026, aeCentimes: 30_000_000, cpCentimes: 28_000_000 },
        { annee: 2027, aeCentimes: 5_000_000, cpCentimes: null },
      ],
      totalAeCentimes: 35_000_000,
      // six months from 20 November 2026
      dateFin: '2027-05-20',
    });
    expect(p.objet).toBe(
      'Avenant appelé par la décision du comité d’investissement du 20 novembre 2026 (Continuer six mois, budget 200\u202f000,00\u00a0€, 6 mois) : Objectifs atteints. En conséquence, le budget accordé (200\u202f000,00\u00a0€) s’ajoute à l’échéancier 2026 ; la convention est prolongée jusqu’au 20 mai 2027.',
    );
    // a year with no line gets one; a convention stated by its duration is prolonged in whole months
    const parDuree = projetAvenant(
      { ...conv, echeancier: [], totalAeCentimes: null, dateFin: null, dureeMois: 18 },
      comite({ date: '2027-06-01', decision: decision({ budgetCentimes: 100 }) }) as ReunionComite & {
        decision: DecisionEnregistree;
      },
      { fin: '2027-07-15', restantAeCentimes: 0 },
      '2027-06-02',
    );
    // six months from 1 June 2027: 1 December; from the signature of 15 January 2026, 23 months reach 15 December
    expect(parDuree.modifications).toEqual({
      echeancier: [{ annee: 2027, aeCentimes: 100, cpCentimes: 100 }],
      dureeMois: 23,
    });
    // called for by the decider alone: the object only, the changes left to write
    const seul = projetAvenant(
      conv,
      comite({ date: '2026-11-20', decision: decision({ decision: 'perennisation' }) }) as ReunionComite & {
        decision: DecisionEnregistree;
      },
      { fin: '2026-12-31', restantAeCentimes: 3_000_000 },
      '2026-11-23',
    );
    expect(seul.modifications).toEqual({});
    expect(seul.objet).toContain('(Passage en pérennisation)');
  });
});
