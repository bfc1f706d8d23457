import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { MESSAGE_MONTANT_MAX, MONTANT_MAX_CENTIMES } from '../../src/domain/money.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { champsDepuisConvention } from '../../src/web/form.js';
import { demo } from '../support/demo.js';
import { DATABASES } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * Numbers at the edge of what the columns hold: a share finer than a hundredth, a year of ten digits, a
 * carry-over past the last year followed. Each is refused with a message and a stable code, and changes
 * nothing.
 */
describe.each(DATABASES)('numbers at the edges, on %s', (kind) => {
  let t: TestApp;
  let id: string;

  const api = (method: string, path: string, body?: unknown) =>
    t.app.request(path, {
      method,
      headers: t.api('demo-admin'),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const etat = async () => ({
    convention: await (await t.app.request(`/api/v1/conventions/${id}`, { headers: t.as('demo-admin') })).json(),
    credits: await (await t.app.request(`/api/v1/conventions/${id}/credits`, { headers: t.as('demo-admin') })).json(),
    journal: await t.storage.db.selectFrom('journal').select('id').where('convention_id', '=', id).execute(),
  });

  beforeAll(async () => {
    t = await testApp(kind);
    id = (
      await creerConvention(t.ctx, admin, {
        ...demo().selex,
        reference: 'BORNES-2026',
        statut: 'en_vigueur',
        dateSignature: '2026-01-15',
        dateFin: '2027-12-31',
        dureeMois: null,
        totalAeCentimes: 2_000_000,
        echeancier: [{ annee: 2026, aeCentimes: 2_000_000, cpCentimes: 2_000_000 }],
      })
    ).convention.id;
  }, 60_000);
  afterAll(async () => t?.close());

  async function modifierTranches(parts: number[]) {
    const {
      id: _i,
      version,
      cree_le,
      modifie_le,
      statut_effectif,
      fin_effective,
      avertissements,
      ...entree
    } = (await etat()).convention;
    void [_i, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    return api('PUT', `/api/v1/conventions/${id}`, {
      ...entree,
      version,
      tranches: parts.map((p, i) => ({ part_pct: p, condition: i === 0 ? 'À la signature' : 'Revue' })),
    });
  }

  it('refuses a tranche share below a hundredth or with three decimals, on the field, and keeps the convention', async () => {
    const avant = await etat();
    for (const parts of [
      [0.001, 99.999],
      [33.333, 66.667],
      [0, 100],
    ]) {
      const r = await modifierTranches(parts);
      expect(r.status, String(parts)).toBe(400);
      const b = await r.json();
      expect(b.code).toBe('DONNEES_INVALIDES');
      expect(b.details.erreurs[0].champ).toBe('tranches.0.part_pct');
      expect(b.details.erreurs[0].message).toContain('0,01 et 100');
    }
    expect(await etat()).toEqual(avant);
  });

  it('keeps a share of exactly a hundredth, as typed', async () => {
    const r = await modifierTranches([0.01, 99.99]);
    expect(r.status).toBe(200);
    expect((await r.json()).tranches.map((x: { part_pct: number }) => x.part_pct)).toEqual([0.01, 99.99]);
    const back = await modifierTranches([50, 50]);
    expect(back.status).toBe(200);
  });

  it('answers a ten-digit year in the order form with the form and a French error, not a server error', async () => {
    const r = await t.app.request(`/conventions/${id}/credits/engagements`, {
      method: 'POST',
      headers: t.as('demo-admin', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({
        annee: '3000000000',
        montant_centimes: '1000',
        objet: 'Coaching',
        titulaire: 'Octo',
        date_engagement: '2026-06-01',
      }).toString(),
    });
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html.includes('value="3000000000"')).toBe(true);
    expect(html.includes('Année')).toBe(true);
    expect(await t.storage.db.selectFrom('engagement').select('id').where('convention_id', '=', id).execute()).toEqual(
      [],
    );
  });

  it('refuses an export filtered on a year that is not one, and names it', async () => {
    for (const format of ['csv', 'xlsx']) {
      for (const annee of ['3000000000', 'deux-mille', '1999']) {
        const r = await t.app.request(`/conventions/${id}/credits/engagements.${format}?annee=${annee}`, {
          headers: t.as('demo-admin'),
        });
        expect(r.status, `${format} ${annee}`).toBe(400);
        const html = await r.text();
        expect(html.includes(`« ${annee} » n’est pas une année budgétaire`), `${format} ${annee}`).toBe(true);
      }
      const ok = await t.app.request(`/conventions/${id}/credits/engagements.${format}?annee=2026`, {
        headers: t.as('demo-admin'),
      });
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
  });

  it('refuses a carry-over from the last year followed, which would open one past it, and writes nothing', async () => {
    const avant = await etat();
    const r = await api('POST', `/api/v1/conventions/${id}/credits/reports`, {
      annee: 2100,
      ae_centimes: 1,
      cp_centimes: 0,
      motif: 'Report',
    });
    expect(r.status).toBe(400);
    const b = await r.json();
    expect(b.code).toBe('DONNEES_INVALIDES');
    expect(b.details.erreurs).toEqual([
      { champ: 'annee', message: 'Un report ouvre l’année suivante : 2100 est la dernière année suivie.' },
    ]);
    expect(await etat()).toEqual(avant);
  });

  it('shows the credits page for the years it follows only, whatever the query says', async () => {
    for (const annee of ['3000000000', '-1', '2026.5']) {
      const r = await t.app.request(`/conventions/${id}/credits?annee=${annee}`, { headers: t.as('demo-admin') });
      expect(r.status, annee).toBe(200);
      await r.text();
    }
  });

  it('refuses an amount above the maximum in the API, on the field, and writes nothing', async () => {
    const avant = await etat();
    const r = await api('POST', `/api/v1/conventions/${id}/engagements`, {
      annee: 2026,
      montant_centimes: MONTANT_MAX_CENTIMES + 1,
      objet: 'Coaching',
      titulaire: 'Octo',
      date_engagement: '2026-06-01',
    });
    expect(r.status).toBe(400);
    const b = await r.json();
    expect(b.code).toBe('DONNEES_INVALIDES');
    expect(b.details.erreurs).toContainEqual({ champ: 'montant_centimes', message: MESSAGE_MONTANT_MAX });

    const c = avant.convention;
    const { id: _i, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = c;
    void [_i, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    const p = await api('PUT', `/api/v1/conventions/${id}`, {
      ...entree,
      echeancier: [{ annee: 2026, ae_centimes: 2 ** 53 + 2, cp_centimes: MONTANT_MAX_CENTIMES + 1 }],
      total_ae_centimes: null,
    });
    expect(p.status).toBe(400);
    const pb = await p.json();
    expect(pb.code).toBe('DONNEES_INVALIDES');
    expect(pb.details.erreurs).toContainEqual({ champ: 'echeancier.0.cp_centimes', message: MESSAGE_MONTANT_MAX });
    expect(pb.details.erreurs.map((e: { champ: string }) => e.champ)).toContain('echeancier.0.ae_centimes');
    expect(await etat()).toEqual(avant);
  });

  it('refuses an amount above the maximum in the forms, with the message next to the field, and writes nothing', async () => {
    const avant = await etat();
    for (const montant of ['100 000 000 000,01', '99999999999999999999']) {
      const r = await t.app.request(`/conventions/${id}/credits/engagements`, {
        method: 'POST',
        headers: t.as('demo-admin', { 'content-type': 'application/x-www-form-urlencoded' }),
        body: form({
          annee: '2026',
          montant_centimes: montant,
          objet: 'Coaching',
          titulaire: 'Octo',
          date_engagement: '2026-06-01',
        }).toString(),
      });
      expect(r.status, montant).toBe(400);
      expect(await r.text()).toContain(MESSAGE_MONTANT_MAX);
    }
    const champs = {
      ...champsDepuisConvention({
        ...demo().selex,
        reference: 'BORNES-2026',
        statut: 'en_vigueur',
        dateSignature: '2026-01-15',
        dateFin: '2027-12-31',
        dureeMois: null,
        totalAeCentimes: 2_000_000,
        echeancier: [{ annee: 2026, aeCentimes: 2_000_000, cpCentimes: 2_000_000 }],
      }),
      version: String(avant.convention.version),
      'echeancier.0.ae_centimes': '100 000 000 001',
      total_ae_centimes: '',
    };
    const r = await t.app.request(`/conventions/${id}/modifier`, {
      method: 'POST',
      headers: t.as('demo-admin', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form(champs).toString(),
    });
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain(MESSAGE_MONTANT_MAX);
    expect(html).toContain('100 000 000 001');
    expect(await etat()).toEqual(avant);
  });

  it('refuses, with a stable code and no server error, to show a stored total past 2^53 cents rounded', async () => {
    const avant = await t.storage.db
      .selectFrom('convention')
      .select('echeancier_ae_centimes')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // written past the API's bounds, as only a direct write could
    await t.storage.db
      .updateTable('convention')
      .set({ echeancier_ae_centimes: sql<number>`9007199254740993::bigint` })
      .where('id', '=', id)
      .execute();
    try {
      const r = await t.app.request('/api/v1/conventions', { headers: t.as('demo-admin') });
      expect(r.status).toBe(409);
      expect((await r.json()).code).toBe('MONTANT_HORS_LIMITES');
      const page = await t.app.request('/conventions', { headers: t.as('demo-admin') });
      expect(page.status).toBeLessThan(500);
      await page.text();
    } finally {
      await t.storage.db
        .updateTable('convention')
        .set({ echeancier_ae_centimes: avant.echeancier_ae_centimes })
        .where('id', '=', id)
        .execute();
    }
  });
});
