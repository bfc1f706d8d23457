import { describe, expect, it } from 'vitest';
import { aujourdHui, horlogeDecalee, horlogeFixe } from '../../src/domain/horloge.js';
import { horlogeConfiguree, horlogeSysteme, loadConfig, ConfigError } from '../../src/config.js';

describe('horloge', () => {
  it('une horloge fixe donne toujours le même jour', () => {
    const h = horlogeFixe('2026-12-15');
    expect(aujourdHui(h)).toBe('2026-12-15');
    expect(h().getTime()).toBe(h().getTime());
  });

  it('une horloge décalée part du jour demandé et avance au rythme de sa référence', () => {
    let reel = new Date('2030-05-01T08:00:00').getTime();
    const h = horlogeDecalee(new Date('2027-01-02T10:00:00'), () => new Date(reel));
    expect(aujourdHui(h)).toBe('2027-01-02');
    reel += 15 * 3_600_000;
    expect(aujourdHui(h)).toBe('2027-01-03');
  });

  // the one test that reads the real date: the system clock is the machine's
  it('l’horloge du système est celle de la machine, sauf DELEGATIONS_AUJOURDHUI', () => {
    const avant = Date.now();
    const t = horlogeSysteme().getTime();
    expect(t).toBeGreaterThanOrEqual(avant);
    expect(t - Date.now()).toBeLessThanOrEqual(0);
    expect(horlogeConfiguree(loadConfig({}))).toBe(horlogeSysteme);
    expect(aujourdHui(horlogeConfiguree(loadConfig({ DELEGATIONS_AUJOURDHUI: '2026-12-15' })))).toBe('2026-12-15');
    expect(aujourdHui(horlogeConfiguree(loadConfig({ DELEGATIONS_AUJOURDHUI: '2027-01-02T08:30' })))).toBe(
      '2027-01-02',
    );
  });

  it('un jour mal écrit ou en production est refusé clairement', () => {
    expect(() => loadConfig({ DELEGATIONS_AUJOURDHUI: '2026-02-30' })).toThrow(ConfigError);
    expect(() => loadConfig({ DELEGATIONS_AUJOURDHUI: '15/12/2026' })).toThrow(/DELEGATIONS_AUJOURDHUI invalide/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DELEGATIONS_AUJOURDHUI: '2026-12-15',
        PUBLIC_URL: 'https://x.gouv.fr',
        PROCONNECT_ISSUER: 'https://p',
        PROCONNECT_CLIENT_ID: 'a',
        PROCONNECT_CLIENT_SECRET: 'b',
      }),
    ).toThrow(/réservé à la recette/);
  });
});
