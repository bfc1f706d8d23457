import { describe, expect, it } from 'vitest';
import {
  controlerParametres,
  dateDansAnnee,
  etatCalendrier,
  isJourMois,
  PARAMETRES_DEFAUT,
} from '../../src/domain/calendrier.js';

describe('year-end calendar', () => {
  it('defaults to 30 November for payments, 12 December for orders, mid-November for carry-over', () => {
    expect(PARAMETRES_DEFAUT).toMatchObject({
      limitePaiements: '11-30',
      limiteEngagements: '12-12',
      limiteReport: '11-15',
    });
    expect(dateDansAnnee('11-30', 2026)).toBe('2026-11-30');
  });
  it('is open, then warns within the set days, then closes after the cut-off and before the reopening', () => {
    expect(etatCalendrier('paiement', 2026, '2026-11-01', PARAMETRES_DEFAUT).etat).toBe('ouvert');
    const w = etatCalendrier('paiement', 2026, '2026-11-30', PARAMETRES_DEFAUT);
    expect(w).toMatchObject({ etat: 'avertissement', dateLimite: '2026-11-30' });
    expect(w.message).toContain('aujourd’hui');
    expect(etatCalendrier('paiement', 2026, '2026-12-01', PARAMETRES_DEFAUT)).toMatchObject({ etat: 'ferme' });
    expect(etatCalendrier('engagement', 2026, '2026-12-01', PARAMETRES_DEFAUT).etat).toBe('avertissement');
    expect(etatCalendrier('engagement', 2026, '2026-12-13', PARAMETRES_DEFAUT).message).toContain(
      'était le 12 décembre 2026',
    );
    expect(etatCalendrier('engagement', 2027, '2027-01-31', PARAMETRES_DEFAUT).message).toContain(
      'réouverture le 1er février 2027',
    );
  });
  it('validates the settings', () => {
    expect(isJourMois('02-29')).toBe(false);
    expect(isJourMois('12-31')).toBe(true);
    expect(controlerParametres(PARAMETRES_DEFAUT)).toEqual([]);
    expect(
      controlerParametres({ ...PARAMETRES_DEFAUT, limitePaiements: '13-01', avertissementJours: -1 }).map(
        (e) => e.champ,
      ),
    ).toEqual(['limitePaiements', 'avertissementJours']);
    expect(controlerParametres({ ...PARAMETRES_DEFAUT, reprise: '12-01' }).map((e) => e.champ)).toEqual(['reprise']);
  });
});
