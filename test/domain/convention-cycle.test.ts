import { describe, expect, it } from 'vitest';
import {
  conventionVide,
  finEffective,
  statutEffectif,
  type Statut,
  type StatutEffectif,
} from '../../src/domain/convention.js';
import {
  conventionDeSuite,
  dateEffetResiliation,
  ordreSignatures,
  peutResilier,
  peutSigner,
  preparerResiliation,
  transiter,
  transitionsPossibles,
  verifierRetrait,
  verifierSignature,
  verifierStatutSaisi,
  type Transition,
} from '../../src/domain/convention-cycle.js';
import type { Acteur } from '../../src/domain/acces.js';

const JOUR = '2026-11-23';

/** One convention per state as it stands on JOUR: the stored state and the dates that give it. */
const ETATS: Record<StatutEffectif, { statut: Statut; dateFin: string | null; resiliationEffet: string | null }> = {
  a_verifier: { statut: 'a_verifier', dateFin: '2027-12-31', resiliationEffet: null },
  brouillon: { statut: 'brouillon', dateFin: '2027-12-31', resiliationEffet: null },
  en_signature: { statut: 'en_signature', dateFin: '2027-12-31', resiliationEffet: null },
  signee_partenaire: { statut: 'signee_partenaire', dateFin: '2027-12-31', resiliationEffet: null },
  en_vigueur: { statut: 'en_vigueur', dateFin: '2027-12-31', resiliationEffet: null },
  suspendue: { statut: 'suspendue', dateFin: '2027-12-31', resiliationEffet: null },
  resiliation_notifiee: { statut: 'resiliation_notifiee', dateFin: '2027-12-31', resiliationEffet: '2027-01-15' },
  // a notice whose effect has passed
  resiliee: { statut: 'resiliation_notifiee', dateFin: '2027-12-31', resiliationEffet: '2026-10-31' },
  cloturee: { statut: 'cloturee', dateFin: '2025-12-31', resiliationEffet: null },
  // in force past its term
  terminee: { statut: 'en_vigueur', dateFin: '2026-06-30', resiliationEffet: null },
};

/** The allowed moves, written out by hand: every other pair must be refused. */
const PERMIS: Array<[StatutEffectif, Transition, Statut]> = [
  ['brouillon', 'envoi_signature', 'en_signature'],
  ['en_signature', 'retour_brouillon', 'brouillon'],
  ['en_signature', 'signature_partenaire', 'signee_partenaire'],
  ['signee_partenaire', 'signature_dinum', 'en_vigueur'],
  ['a_verifier', 'acceptation', 'en_vigueur'],
  ['en_vigueur', 'suspension', 'suspendue'],
  ['suspendue', 'reprise', 'en_vigueur'],
  ['en_vigueur', 'resiliation', 'resiliation_notifiee'],
  ['resiliation_notifiee', 'retrait_resiliation', 'en_vigueur'],
  ['terminee', 'cloture', 'cloturee'],
  ['resiliee', 'cloture', 'cloturee'],
];

const TOUTES: Transition[] = [
  'envoi_signature',
  'retour_brouillon',
  'signature_partenaire',
  'signature_dinum',
  'acceptation',
  'suspension',
  'reprise',
  'resiliation',
  'retrait_resiliation',
  'cloture',
];

const conv = (e: StatutEffectif) => ({ ...ETATS[e], dateSignature: '2025-01-10', dureeMois: null });

describe('the state machine', () => {
  it('gives each test state the effective state it stands for', () => {
    for (const e of Object.keys(ETATS) as StatutEffectif[]) expect(statutEffectif(conv(e), JOUR), e).toBe(e);
  });

  for (const e of Object.keys(ETATS) as StatutEffectif[]) {
    for (const t of TOUTES) {
      const permis = PERMIS.find(([de, tr]) => de === e && tr === t);
      it(`${permis ? 'allows' : 'refuses'} ${t} from ${e}`, () => {
        if (permis) expect(transiter(conv(e), t, JOUR)).toBe(permis[2]);
        else {
          let err: unknown;
          try {
            transiter(conv(e), t, JOUR);
          } catch (x) {
            err = x;
          }
          expect(err).toMatchObject({ code: 'TRANSITION_INTERDITE', details: { statut: e, action: t } });
          expect((err as Error).message).toMatch(/^Impossible de /);
        }
      });
    }
  }

  it('lists the possible actions of a state', () => {
    expect(transitionsPossibles(conv('en_vigueur'), JOUR)).toEqual(['suspension', 'resiliation']);
    expect(transitionsPossibles(conv('terminee'), JOUR)).toEqual(['cloture']);
    expect(transitionsPossibles(conv('cloturee'), JOUR)).toEqual([]);
  });

  it('judges on the day: a withdrawal is possible on the effect day, not the day after', () => {
    const c = { ...conv('resiliation_notifiee'), resiliationEffet: '2026-11-23' };
    expect(transiter(c, 'retrait_resiliation', '2026-11-23')).toBe('en_vigueur');
    expect(() => transiter(c, 'retrait_resiliation', '2026-11-24')).toThrow(/résiliée/);
  });

  it('creates only in an initial state and never changes the status by an edit', () => {
    for (const s of ['brouillon', 'a_verifier', 'en_vigueur'] as Statut[])
      expect(() => verifierStatutSaisi(null, s)).not.toThrow();
    for (const s of [
      'en_signature',
      'signee_partenaire',
      'suspendue',
      'resiliation_notifiee',
      'resiliee',
      'cloturee',
    ] as Statut[])
      expect(() => verifierStatutSaisi(null, s)).toThrow(expect.objectContaining({ code: 'STATUT_PAR_ACTION' }));
    expect(() => verifierStatutSaisi('en_vigueur', 'en_vigueur')).not.toThrow();
    expect(() => verifierStatutSaisi('en_vigueur', 'suspendue')).toThrow(
      expect.objectContaining({ code: 'STATUT_PAR_ACTION' }),
    );
    expect(() => verifierStatutSaisi('suspendue', 'en_vigueur')).toThrow(
      expect.objectContaining({ code: 'STATUT_PAR_ACTION' }),
    );
  });
});

describe('the signature circuit', () => {
  const dinumDelegataire = { roleDinum: 'delegataire' as const };
  const dinumDelegant = { roleDinum: 'delegant' as const };

  it('has the partner sign first and the DINUM last', () => {
    expect(ordreSignatures(dinumDelegataire)).toEqual(['delegant', 'delegataire']);
    expect(ordreSignatures(dinumDelegant)).toEqual(['delegataire', 'delegant']);
    expect(ordreSignatures({ roleDinum: 'autre' })).toEqual(['delegant', 'delegataire']);
  });

  it('accepts the partner then the DINUM, the second one being the last', () => {
    expect(verifierSignature(dinumDelegataire, [], 'delegant', '2026-11-02', JOUR)).toEqual({ derniere: false });
    expect(
      verifierSignature(
        dinumDelegataire,
        [{ partie: 'delegant', date: '2026-11-02' }],
        'delegataire',
        '2026-11-20',
        JOUR,
      ),
    ).toEqual({
      derniere: true,
    });
    // the same day is fine
    expect(
      verifierSignature(
        dinumDelegataire,
        [{ partie: 'delegant', date: '2026-11-02' }],
        'delegataire',
        '2026-11-02',
        JOUR,
      ).derniere,
    ).toBe(true);
  });

  it('refuses the DINUM before the partner, a second signature of a party, a future or earlier date', () => {
    expect(() => verifierSignature(dinumDelegataire, [], 'delegataire', '2026-11-02', JOUR)).toThrow(
      expect.objectContaining({ code: 'ORDRE_SIGNATURE' }),
    );
    expect(() => verifierSignature(dinumDelegant, [], 'delegant', '2026-11-02', JOUR)).toThrow(
      expect.objectContaining({ code: 'ORDRE_SIGNATURE' }),
    );
    expect(() =>
      verifierSignature(dinumDelegataire, [{ partie: 'delegant', date: '2026-11-02' }], 'delegant', '2026-11-03', JOUR),
    ).toThrow(
      expect.objectContaining({ code: 'DEJA_SIGNEE', message: 'Le délégant a déjà signé, le 2 novembre 2026.' }),
    );
    expect(() => verifierSignature(dinumDelegataire, [], 'delegant', '2026-11-24', JOUR)).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() => verifierSignature(dinumDelegataire, [], 'delegant', '2026-02-30', JOUR)).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() =>
      verifierSignature(
        dinumDelegataire,
        [{ partie: 'delegant', date: '2026-11-02' }],
        'delegataire',
        '2026-11-01',
        JOUR,
      ),
    ).toThrow(expect.objectContaining({ code: 'DONNEES_INVALIDES' }));
  });

  it('lets the budget office record any signature and a partner only its own', () => {
    const c = { delegant: { siret: '11000201100044' }, delegataire: { siret: '13002526500013' } } as never;
    const agent = (role: Acteur['role'], siret: string | null = null): Acteur => ({
      id: 'x',
      nom: 'x',
      role,
      organisationSiret: siret,
      produits: [],
    });
    expect(peutSigner(agent('gestionnaire'), c, 'delegant')).toBe(true);
    expect(peutSigner(agent('partenaire', '11000201100044'), c, 'delegant')).toBe(true);
    expect(peutSigner(agent('partenaire', '11000201100044'), c, 'delegataire')).toBe(false);
    expect(peutSigner(agent('equipe', '11000201100044'), c, 'delegant')).toBe(false);
    expect(peutResilier(agent('public'), c, 'delegant')).toBe(false);
    expect(peutResilier(agent('partenaire', '13002526500013'), c, 'delegataire')).toBe(true);
  });
});

describe('the notice of termination', () => {
  it('adds the notice from date to date, the day clamped to the month', () => {
    expect(dateEffetResiliation('2026-03-15', 3, null)).toBe('2026-06-15');
    expect(dateEffetResiliation('2026-11-30', 3, null)).toBe('2027-02-28');
    expect(dateEffetResiliation('2027-11-30', 3, null)).toBe('2028-02-29');
    expect(dateEffetResiliation('2027-11-29', 3, null)).toBe('2028-02-29');
    expect(dateEffetResiliation('2026-08-31', 3, null)).toBe('2026-11-30');
    expect(dateEffetResiliation('2026-10-31', 4, null)).toBe('2027-02-28');
    expect(dateEffetResiliation('2026-12-31', 2, '2028-12-31')).toBe('2027-02-28');
  });

  it('defaults to three months and never runs past the term', () => {
    expect(dateEffetResiliation('2026-03-15', null, '2026-12-31')).toBe('2026-06-15');
    expect(dateEffetResiliation('2026-11-02', 3, '2026-12-31')).toBe('2026-12-31');
    expect(dateEffetResiliation('2026-09-30', 3, '2026-12-31')).toBe('2026-12-30');
    expect(dateEffetResiliation('2026-10-01', 3, '2026-12-31')).toBe('2026-12-31');
  });

  it('prepares a notice from the convention, and refuses a bad one', () => {
    const c = { dateSignature: '2026-01-10', dateFin: null, dureeMois: 36, preavisMois: null };
    expect(
      preparerResiliation(c, { partie: 'delegant', dateNotification: '2026-03-15', motif: ' Fin du besoin ' }, JOUR),
    ).toEqual({
      partie: 'delegant',
      dateNotification: '2026-03-15',
      preavisMois: 3,
      dateEffet: '2026-06-15',
      motif: 'Fin du besoin',
    });
    expect(
      preparerResiliation(
        { ...c, preavisMois: 1 },
        { partie: 'delegataire', dateNotification: '2026-01-31', motif: 'x' },
        JOUR,
      ).dateEffet,
    ).toBe('2026-02-28');
    expect(() =>
      preparerResiliation(c, { partie: 'delegant', dateNotification: '2026-11-24', motif: 'x' }, JOUR),
    ).toThrow(expect.objectContaining({ code: 'DONNEES_INVALIDES' }));
    expect(() =>
      preparerResiliation(c, { partie: 'delegant', dateNotification: '2025-12-31', motif: 'x' }, JOUR),
    ).toThrow(expect.objectContaining({ code: 'DONNEES_INVALIDES' }));
    expect(() =>
      preparerResiliation(c, { partie: 'delegant', dateNotification: '2026-03-15', motif: '  ' }, JOUR),
    ).toThrow(expect.objectContaining({ code: 'DONNEES_INVALIDES' }));
  });

  it('makes the effect the end of the convention: in force until that day, résiliée after', () => {
    const c = {
      statut: 'resiliation_notifiee' as const,
      dateSignature: '2026-01-10',
      dateFin: '2028-12-31',
      dureeMois: null,
      resiliationEffet: '2026-06-15',
    };
    expect(finEffective(c)).toBe('2026-06-15');
    expect(finEffective({ ...c, resiliationEffet: null })).toBe('2028-12-31');
    expect(statutEffectif(c, '2026-06-15')).toBe('resiliation_notifiee');
    expect(statutEffectif(c, '2026-06-16')).toBe('resiliee');
  });

  it('takes a withdrawal dated between notification and effect only', () => {
    const r = { dateNotification: '2026-03-15', dateEffet: '2026-06-15' };
    expect(() => verifierRetrait(r, '2026-04-01', JOUR)).not.toThrow();
    expect(() => verifierRetrait(r, '2026-06-15', JOUR)).not.toThrow();
    expect(() => verifierRetrait(r, '2026-06-16', JOUR)).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() => verifierRetrait(r, '2026-03-14', JOUR)).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
  });
});

describe('« préparer la suite »', () => {
  const c = {
    ...conventionVide(),
    reference: 'DDG-2024-01',
    statut: 'en_vigueur' as const,
    delegant: { ...conventionVide().delegant, nom: 'Ministère A', siret: '11000201100044' },
    uo: 'UO-1',
    echeancier: [
      { annee: 2024, aeCentimes: 100, cpCentimes: 100 },
      { annee: 2025, aeCentimes: 200, cpCentimes: 200 },
    ],
    totalAeCentimes: 300,
    dateSignature: '2024-02-01',
    dateFin: '2025-12-31',
    dureeMois: 23,
    publiee: true,
  };

  it('keeps the parties and the imputation, drops the reference, signature, amounts and publication', () => {
    const s = conventionDeSuite(c);
    expect(s).toMatchObject({
      reference: null,
      statut: 'brouillon',
      delegant: { nom: 'Ministère A', siret: '11000201100044' },
      uo: 'UO-1',
      totalAeCentimes: null,
      dateSignature: null,
      dateFin: null,
      dureeMois: 23,
      publiee: false,
    });
    expect(s.preambule).toBe('La présente convention fait suite à la convention DDG-2024-01.');
  });

  it('starts the schedule the year after the end, as many years as before, amounts to state', () => {
    expect(conventionDeSuite(c).echeancier).toEqual([
      { annee: 2026, aeCentimes: null, cpCentimes: null },
      { annee: 2027, aeCentimes: null, cpCentimes: null },
    ]);
    expect(conventionDeSuite({ ...c, dateFin: null, dureeMois: null }).echeancier).toEqual([]);
  });
});
