import { describe, expect, it } from 'vitest';
import {
  appliquerCalendrier,
  avertissementBase,
  controlerEngagement,
  etatEngagement,
  montantImpute,
  numeroAuto,
  verifierConventionEngageable,
  type Engagement,
  type EngagementSaisie,
} from '../../src/domain/engagement.js';
import {
  controlerDateOperation,
  liberationAnnulation,
  liberationSolde,
  montantServiceFait,
  verifierPaiement,
} from '../../src/domain/engagement-execution.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';

const e = (o: Partial<Engagement> = {}): Engagement => ({
  tauxTva: 20,
  montantImputeCentimes: o.montantCentimes ?? 10_000_000,
  id: 'x',
  conventionId: 'c',
  numero: 'BC-2026-0001',
  annee: 2026,
  dateEngagement: '2026-03-01',
  dateFinPrestation: null,
  titulaire: 'T',
  marche: null,
  devis: null,
  objet: 'o',
  produit: null,
  montantCentimes: 10_000_000,
  baseMontant: 'TTC',
  statut: 'actif',
  libereCentimes: 0,
  certifieCentimes: 0,
  payeCentimes: 0,
  creeLe: '',
  acteurNom: '',
  ...o,
});

const saisie = (o: Partial<EngagementSaisie> = {}): EngagementSaisie => ({
  numero: null,
  annee: 2026,
  dateEngagement: '2026-11-20',
  dateFinPrestation: null,
  titulaire: 'T',
  marche: null,
  devis: null,
  objet: 'o',
  produit: null,
  montantCentimes: 100,
  baseMontant: 'HT',
  ...o,
});

describe('order input', () => {
  it('needs a positive integer amount, a holder, an object, a date of its budget year not in the future', () => {
    expect(controlerEngagement(saisie(), [], '2026-11-23')).toEqual([]);
    const champs = (s: EngagementSaisie) => controlerEngagement(s, ['A', 'B'], '2026-11-23').map((x) => x.champ);
    expect(champs(saisie({ montantCentimes: 0 }))).toEqual(['montantCentimes']);
    expect(champs(saisie({ montantCentimes: 1.5 }))).toEqual(['montantCentimes']);
    expect(champs(saisie({ titulaire: ' ', objet: '' }))).toEqual(['titulaire', 'objet']);
    expect(champs(saisie({ dateEngagement: '2026-11-24' }))).toEqual(['dateEngagement']);
    expect(champs(saisie({ annee: 2027 }))).toEqual(['annee']);
    expect(champs(saisie({ produit: 'C' }))).toEqual(['produit']);
    expect(champs(saisie({ produit: 'b' }))).toEqual([]);
    expect(champs(saisie({ numero: 'BC-2026-0007' }))).toEqual(['numero']);
    expect(champs(saisie({ dateFinPrestation: '2026-01-01' }))).toEqual(['dateFinPrestation']);
  });
  it('counts an amount on another VAT base than the convention’s at its converted amount, and says so', () => {
    // 1 000,00 € HT at 20 % is 1 200,00 € TTC; at 5,5 %, 1 055,00 €; 0,01 € HT at 20 % rounds to 0,01 €
    expect(montantImpute(100_000, 'HT', 'TTC', 20)).toBe(120_000);
    expect(montantImpute(100_000, 'HT', 'TTC', 5.5)).toBe(105_500);
    expect(montantImpute(100_000, 'HT', 'TTC', 0)).toBe(100_000);
    expect(montantImpute(1, 'HT', 'TTC', 20)).toBe(1);
    expect(montantImpute(3, 'HT', 'TTC', 20)).toBe(4); // 3,6 cents
    expect(montantImpute(120_000, 'TTC', 'HT', 20)).toBe(100_000);
    expect(montantImpute(100_001, 'TTC', 'HT', 10)).toBe(90_910); // 90 910,09…
    expect(montantImpute(100_000, 'TTC', 'TTC', 20)).toBe(100_000);
    const ht = { montantCentimes: 100_000, baseMontant: 'HT' as const, tauxTva: 20, montantImputeCentimes: 120_000 };
    expect(avertissementBase({ ...ht, baseMontant: 'TTC' }, 'TTC')).toEqual([]);
    expect(avertissementBase(ht, 'TTC')[0]).toMatch(/imputé à 1\s200,00\s€ TTC \(TVA 20 %\)/);
    const champs = (x: EngagementSaisie) => controlerEngagement(x, [], '2026-11-23').map((f) => f.champ);
    expect(champs(saisie({ tauxTva: 7 }))).toEqual(['tauxTva']);
    expect(champs(saisie({ tauxTva: 5.5 }))).toEqual([]);
  });
  it('numbers orders per year', () => {
    expect(numeroAuto(2026, 7)).toBe('BC-2026-0007');
  });
});

describe('convention able to commit', () => {
  const c = { statut: 'en_vigueur' as const, dateSignature: '2026-05-04', dateFin: '2026-12-31', dureeMois: null };
  it('refuses suspended, terminated, draft, unsigned and ended conventions', () => {
    expect(() => verifierConventionEngageable(c, '2026-11-20')).not.toThrow();
    expect(() => verifierConventionEngageable({ ...c, statut: 'suspendue' }, '2026-11-20')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_SUSPENDUE' }),
    );
    expect(() => verifierConventionEngageable({ ...c, statut: 'resiliee' }, '2026-11-20')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_RESILIEE' }),
    );
    expect(() => verifierConventionEngageable({ ...c, statut: 'a_verifier' }, '2026-11-20')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_NON_EN_VIGUEUR' }),
    );
    expect(() => verifierConventionEngageable(c, '2026-05-03')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_NON_SIGNEE' }),
    );
    expect(() => verifierConventionEngageable({ ...c, dateSignature: null }, '2026-11-20')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_NON_SIGNEE' }),
    );
    expect(() => verifierConventionEngageable(c, '2027-01-01')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_TERMINEE' }),
    );
    expect(() => verifierConventionEngageable({ ...c, dateFin: null, dureeMois: 6 }, '2026-11-05')).toThrow(
      expect.objectContaining({ code: 'CONVENTION_TERMINEE' }),
    );
  });
});

describe('year-end calendar on operations', () => {
  it('warns before the cut-off, refuses after, lets only an administrator override with a reason', () => {
    expect(appliquerCalendrier('engagement', 2026, '2026-10-01', PARAMETRES_DEFAUT, null, false)).toEqual([]);
    expect(appliquerCalendrier('engagement', 2026, '2026-12-01', PARAMETRES_DEFAUT, null, false)[0]).toMatch(
      /12 décembre 2026 \(dans 11 jours\)/,
    );
    expect(() => appliquerCalendrier('paiement', 2026, '2026-12-01', PARAMETRES_DEFAUT, null, true)).toThrow(
      expect.objectContaining({ code: 'CALENDRIER_DEPASSE' }),
    );
    expect(() => appliquerCalendrier('paiement', 2026, '2026-12-01', PARAMETRES_DEFAUT, { motif: 'x' }, false)).toThrow(
      expect.objectContaining({ code: 'ACCES_REFUSE' }),
    );
    expect(() => appliquerCalendrier('paiement', 2026, '2026-12-01', PARAMETRES_DEFAUT, { motif: ' ' }, true)).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(
      appliquerCalendrier('paiement', 2026, '2026-12-01', PARAMETRES_DEFAUT, { motif: 'Facture urgente' }, true)[0],
    ).toContain('Motif : Facture urgente');
    expect(() => appliquerCalendrier('engagement', 2027, '2027-01-15', PARAMETRES_DEFAUT, null, true)).toThrow(
      /pas encore ouvert/,
    );
  });
});

describe('certified work', () => {
  it('takes an amount, a percentage of the order or the rest, never beyond the order', () => {
    expect(montantServiceFait(e(), { montantCentimes: 4_000_000 })).toBe(4_000_000);
    expect(montantServiceFait(e(), { pourcentage: 60 })).toBe(6_000_000);
    expect(montantServiceFait(e({ certifieCentimes: 6_000_000 }), { total: true })).toBe(4_000_000);
    expect(() => montantServiceFait(e({ certifieCentimes: 6_000_000 }), { pourcentage: 40.01 })).toThrow(
      expect.objectContaining({
        code: 'SERVICE_FAIT_SUPERIEUR_ENGAGEMENT',
        details: { disponible_centimes: 4_000_000, demande_centimes: 4_001_000, manque_centimes: 1_000 },
      }),
    );
    expect(() => montantServiceFait(e({ certifieCentimes: 10_000_000 }), { total: true })).toThrow(
      expect.objectContaining({ code: 'SERVICE_FAIT_SUPERIEUR_ENGAGEMENT' }),
    );
    expect(() => montantServiceFait(e(), { pourcentage: 0 })).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() => montantServiceFait(e(), { pourcentage: 10.555 })).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() => montantServiceFait(e({ statut: 'annule', libereCentimes: 10_000_000 }), { total: true })).toThrow(
      expect.objectContaining({ code: 'ENGAGEMENT_ANNULE' }),
    );
    expect(() =>
      montantServiceFait(e({ statut: 'solde', libereCentimes: 4_000_000, certifieCentimes: 6_000_000 }), {
        montantCentimes: 1,
      }),
    ).toThrow(expect.objectContaining({ code: 'ENGAGEMENT_CLOS' }));
  });
  it('is dated between the order and today', () => {
    expect(() => controlerDateOperation(e(), '2026-02-28', '2026-11-23')).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() => controlerDateOperation(e(), '2026-11-24', '2026-11-23')).toThrow(
      expect.objectContaining({ code: 'DONNEES_INVALIDES' }),
    );
    expect(() => controlerDateOperation(e(), '2026-11-23', '2026-11-23')).not.toThrow();
  });
});

describe('payments', () => {
  it('never exceed what was certified on the order', () => {
    expect(() => verifierPaiement(e({ certifieCentimes: 500, payeCentimes: 200 }), 300)).not.toThrow();
    expect(() => verifierPaiement(e({ certifieCentimes: 500, payeCentimes: 200 }), 301)).toThrow(
      expect.objectContaining({
        code: 'PAIEMENT_SUPERIEUR_SERVICE_FAIT',
        details: { disponible_centimes: 300, demande_centimes: 301, manque_centimes: 1 },
      }),
    );
    expect(() => verifierPaiement(e(), 0)).toThrow(expect.objectContaining({ code: 'DONNEES_INVALIDES' }));
  });
});

describe('closing and cancelling', () => {
  it('closes at the actual amount (by default what was certified), releasing the rest', () => {
    expect(liberationSolde(e({ certifieCentimes: 6_000_000 }), null)).toBe(4_000_000);
    expect(liberationSolde(e({ certifieCentimes: 6_000_000 }), 7_000_000)).toBe(3_000_000);
    expect(() => liberationSolde(e({ certifieCentimes: 6_000_000 }), 5_000_000)).toThrow(
      expect.objectContaining({ code: 'SOLDE_INFERIEUR_SERVICE_FAIT' }),
    );
    expect(() => liberationSolde(e(), 10_000_001)).toThrow(expect.objectContaining({ code: 'DONNEES_INVALIDES' }));
    expect(() => liberationSolde(e({ statut: 'solde' }), null)).toThrow(
      expect.objectContaining({ code: 'ENGAGEMENT_CLOS' }),
    );
  });
  it('cancels only an order without certified work, releasing it all', () => {
    expect(liberationAnnulation(e())).toBe(10_000_000);
    expect(() => liberationAnnulation(e({ certifieCentimes: 1 }))).toThrow(
      expect.objectContaining({ code: 'ENGAGEMENT_CERTIFIE' }),
    );
    expect(() => liberationAnnulation(e({ statut: 'annule' }))).toThrow(
      expect.objectContaining({ code: 'ENGAGEMENT_CLOS' }),
    );
  });
  it('derives the state shown', () => {
    expect(etatEngagement(e())).toBe('engage');
    expect(etatEngagement(e({ certifieCentimes: 1 }))).toBe('service_fait_partiel');
    expect(etatEngagement(e({ certifieCentimes: 10_000_000 }))).toBe('service_fait_total');
    expect(etatEngagement(e({ certifieCentimes: 10_000_000, payeCentimes: 10_000_000 }))).toBe('paye');
    expect(etatEngagement(e({ statut: 'solde' }))).toBe('solde');
  });
});
