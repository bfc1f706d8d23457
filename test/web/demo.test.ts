import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { horlogeFixe } from '../../src/domain/horloge.js';
import { addDays } from '../../src/domain/dates.js';

/**
 * The demo is generated from the clock's today: seeded on days around the year-end cut-offs and on leap
 * days, it must still hold every situation it is there to show, read back through the API.
 */
const JOURS = ['2026-01-02', '2026-06-15', '2026-12-15', '2027-02-28', '2028-02-29'];

interface Resume {
  id: string;
  reference: string;
  statut: string;
  fin_effective: string | null;
  date_signature: string | null;
}
interface Annee {
  annee: number;
  ae: { prevu_centimes: number | null; ouvert_centimes: number; engage_centimes: number; certifie_centimes: number };
  cp: { paye_centimes: number };
}
interface EngagementApi {
  id: string;
  annee: number;
  date_engagement: string;
  certifie_centimes: number;
  paye_centimes: number;
}

describe.each(DATABASES)('demo data seeded on any day, on %s', (kind) => {
  describe.each(JOURS)('on %s', (jour) => {
    let t: TestApp;
    const annee = Number(jour.slice(0, 4));
    const get = async <T>(url: string): Promise<T> => {
      const r = await t.app.request(url, { headers: t.api('demo-admin') });
      expect(r.status, url).toBe(200);
      return (await r.json()) as T;
    };
    let conventions: Resume[];
    let credits: Map<string, Annee[]>;
    let calendrier: { reprise: string; limite_engagements: string; limite_paiements: string };

    beforeAll(async () => {
      t = await testApp(kind, { now: horlogeFixe(jour) });
      conventions = (await get<{ items: Resume[] }>('/api/v1/conventions?taille=50')).items;
      credits = new Map();
      for (const c of conventions)
        credits.set(c.id, (await get<{ annees: Annee[] }>(`/api/v1/conventions/${c.id}/credits`)).annees);
      calendrier = await get('/api/v1/parametres/calendrier');
    });
    afterAll(async () => t?.close());

    const enVigueur = () => conventions.filter((c) => c.statut === 'en_vigueur');

    it('has a convention in force with credits this year, orders, certified work, payments and a refusal for lack of credits', async () => {
      const avecCreditsCetteAnnee = enVigueur().filter((c) =>
        credits.get(c.id)!.some((a) => a.annee === annee && a.ae.ouvert_centimes > 0),
      );
      expect(avecCreditsCetteAnnee.length).toBeGreaterThan(0);
      const consommee = avecCreditsCetteAnnee.find((c) => {
        const annees = credits.get(c.id)!;
        return (
          annees.some((a) => a.ae.engage_centimes > 0) &&
          annees.some((a) => a.ae.certifie_centimes > 0) &&
          annees.some((a) => a.cp.paye_centimes > 0)
        );
      });
      expect(consommee, 'consumption on a convention in force').toBeDefined();
      const alertes = await get<{
        enregistrees: Array<{ code: string; destinataire: string | null; convention_id: string }>;
      }>('/api/v1/credits/alertes');
      const refus = alertes.enregistrees.filter(
        (a) => a.code === 'PLAFOND_AE_DEPASSE' && a.destinataire === 'delegant',
      );
      expect(refus.some((a) => enVigueur().some((c) => c.id === a.convention_id))).toBe(true);
    });

    it('has a convention ending within 60 days, and ended ones', () => {
      expect(
        enVigueur().some(
          (c) => c.fin_effective !== null && c.fin_effective > jour && c.fin_effective <= addDays(jour, 60),
        ),
      ).toBe(true);
      expect(conventions.filter((c) => c.statut === 'terminee').length).toBeGreaterThan(0);
    });

    it('has a FAST convention in force whose second tranche is still pending', async () => {
      let trouvee = false;
      for (const r of enVigueur()) {
        const c = await get<{ promotion_fast: string | null; tranches: Array<{ part_pct: number }> }>(
          `/api/v1/conventions/${r.id}`,
        );
        if (!c.promotion_fast || c.tranches.length < 2) continue;
        // only the first tranche is open: the AE available are its share of the schedule
        const premiere = credits.get(r.id)!.find((a) => a.ae.prevu_centimes)!;
        expect(premiere.ae.ouvert_centimes).toBe((premiere.ae.prevu_centimes! * c.tranches[0]!.part_pct) / 100);
        trouvee = true;
      }
      expect(trouvee).toBe(true);
    });

    it('has a proposal from a product team waiting for the ordonnateur', async () => {
      let attente = 0;
      for (const c of enVigueur()) {
        const p = await get<{ items: Array<{ statut: string; annee: number }> }>(
          `/api/v1/conventions/${c.id}/propositions`,
        );
        attente += p.items.filter((x) => x.statut === 'a_valider' && x.annee >= annee).length;
      }
      expect(attente).toBeGreaterThan(0);
    });

    it('dates every act on or before today, within the year-end calendar of its budget year', async () => {
      const jourDe = (mmjj: string, a: number) => `${a}-${mmjj}`;
      for (const c of conventions) {
        expect(c.date_signature! <= jour, c.reference).toBe(true);
        for (const a of credits.get(c.id)!) {
          const e = await get<{ items: EngagementApi[] }>(
            `/api/v1/conventions/${c.id}/engagements?annee=${a.annee}&taille=100`,
          );
          for (const bc of e.items) {
            expect(bc.date_engagement <= jour, `${c.reference} ${bc.date_engagement}`).toBe(true);
            expect(
              bc.date_engagement >= jourDe(calendrier.reprise, bc.annee) &&
                bc.date_engagement <= jourDe(calendrier.limite_engagements, bc.annee),
              `${c.reference} ${bc.date_engagement}`,
            ).toBe(true);
            expect(bc.date_engagement >= c.date_signature!, `${c.reference} ${bc.date_engagement}`).toBe(true);
            const detail = await get<{ mouvements: Array<{ type: string; annee: number; date: string }> }>(
              `/api/v1/conventions/${c.id}/engagements/${bc.id}`,
            );
            for (const m of detail.mouvements) {
              expect(m.date <= jour && m.date >= bc.date_engagement, `${c.reference} ${m.type} ${m.date}`).toBe(true);
              if (m.type === 'paiement')
                expect(
                  m.date <= jourDe(calendrier.limite_paiements, m.annee) &&
                    m.date >= jourDe(calendrier.reprise, m.annee),
                  `${c.reference} ${m.date}`,
                ).toBe(true);
            }
          }
        }
      }
    });
  });
});
