import { describe, expect, it } from 'vitest';
import {
  CATALOGUES,
  catalogueDe,
  etatObligation,
  partieDe,
  verifierObligation,
  type Obligation,
} from '../../src/domain/obligation.js';

const o = (x: Partial<Obligation> = {}): Obligation => ({
  id: 1,
  conventionId: 'c',
  partie: 'delegataire',
  code: null,
  libelle: 'Rapport mensuel',
  echeance: 'signature',
  dateLimite: null,
  mesure: null,
  etat: 'a_faire',
  preuveUrl: null,
  preuvePieceId: null,
  motifLevee: null,
  faiteLe: null,
  modifiePar: null,
  ...x,
});
const dates = { signature: '2026-01-15', fin: '2026-12-31' };

describe('obligations', () => {
  it('due at signature: within the month, late after it, done with its evidence', () => {
    expect(etatObligation(o(), dates, '2026-02-10')).toEqual({ etat: 'due', echeance: '2026-02-15' });
    expect(etatObligation(o(), dates, '2026-02-16')).toEqual({ etat: 'en_retard', echeance: '2026-02-15' });
    expect(etatObligation(o({ etat: 'faite', preuveUrl: 'https://x' }), dates, '2026-06-01').etat).toBe('faite');
  });

  it('a monthly one done is due again a month after its last evidence, and late past it', () => {
    const m = o({ echeance: 'mensuelle', etat: 'faite', preuveUrl: 'https://x', faiteLe: '2026-03-10' });
    expect(etatObligation(m, dates, '2026-04-01')).toEqual({ etat: 'faite', echeance: '2026-04-10' });
    expect(etatObligation(m, dates, '2026-04-11')).toEqual({ etat: 'en_retard', echeance: '2026-04-10' });
    expect(etatObligation(o({ echeance: 'semestrielle' }), dates, '2026-03-01').echeance).toBe('2026-07-15');
  });

  it('at the term, before a date, waived', () => {
    expect(etatObligation(o({ echeance: 'terme' }), dates, '2026-03-01').echeance).toBe('2026-12-31');
    expect(etatObligation(o({ echeance: 'avant_date', dateLimite: '2026-02-01' }), dates, '2026-03-01').etat).toBe(
      'en_retard',
    );
    expect(etatObligation(o({ etat: 'levee', motifLevee: 'Sans objet' }), dates, '2027-03-01').etat).toBe('levee');
  });

  it('asks for the evidence of what is done, the reason of a waiver, the date of « before a date »', () => {
    const m = {
      id: 1,
      partie: 'delegataire' as const,
      libelle: 'X',
      echeance: 'signature' as const,
      dateLimite: null,
      mesure: null,
      preuveUrl: null,
      motifLevee: null,
    };
    expect(verifierObligation({ ...m, etat: 'faite' }, 0).map((e) => e.champ)).toEqual(['items.0.preuve_url']);
    expect(verifierObligation({ ...m, etat: 'levee' }, 0).map((e) => e.champ)).toEqual(['items.0.motif_levee']);
    expect(verifierObligation({ ...m, etat: 'a_faire', echeance: 'avant_date' }, 2).map((e) => e.champ)).toEqual([
      'items.2.date_limite',
    ]);
    expect(verifierObligation({ ...m, etat: 'faite', preuveUrl: 'https://x' }, 0)).toEqual([]);
  });

  it('takes the catalogue of the convention’s kind, and gives each obligation to the partner or the DINUM', () => {
    expect(catalogueDe({ nature: 'delegation_de_gestion', roleDinum: 'delegataire', promotionFast: null })).toBe(
      'ministere',
    );
    expect(catalogueDe({ nature: 'delegation_de_gestion', roleDinum: 'delegant', promotionFast: 'FAST 15' })).toBe(
      'fast',
    );
    expect(partieDe('partenaire', 'delegant')).toBe('delegataire');
    expect(partieDe('partenaire', 'delegataire')).toBe('delegant');
    expect(partieDe('dinum', 'delegant')).toBe('delegant');
    expect(CATALOGUES.fast.find((x) => x.code === 'effort_deploiement')!.mesure).toEqual({
      valeur: 2,
      unite: 'jours par semaine',
    });
  });
});
