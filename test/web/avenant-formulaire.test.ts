import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';

/**
 * An avenant drafted from the convention's page: the form starts from the current version, and only what
 * the user changes makes the avenant. « Préparer la suite » prefills a prolongation, or a new convention.
 */
describe.each(DATABASES)('drafting an avenant from the page on %s', (kind) => {
  let t: TestApp;
  let id = '';
  const AE = 10_000_000;
  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date('2026-11-16T10:00:00Z') });
    const r = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api('demo-gestionnaire'),
      body: JSON.stringify({
        reference: 'AVENANT-PAGE',
        role_dinum: 'delegataire',
        statut: 'en_vigueur',
        delegant: { nom: 'Ministère du formulaire', siret: '11000201100044' },
        delegataire: { nom: 'DINUM' },
        produits: ['Service du formulaire'],
        uo: 'UO-0001',
        echeancier: [
          { annee: 2026, ae_centimes: AE, cp_centimes: AE },
          { annee: 2027, ae_centimes: AE, cp_centimes: AE },
        ],
        total_ae_centimes: 2 * AE,
        date_signature: '2026-01-10',
        date_fin: '2027-12-31',
      }),
    });
    expect(r.status, await r.clone().text()).toBe(201);
    id = (await r.json()).id;
  });
  afterAll(async () => t?.close());

  const poster = (champs: Record<string, string>) =>
    t.app.request(`/conventions/${id}/avenants`, {
      method: 'POST',
      headers: { ...t.as('demo-gestionnaire'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form(champs),
    });
  const avenants = async () =>
    (await (await t.app.request(`/api/v1/conventions/${id}/avenants`, { headers: t.api('demo-gestionnaire') })).json())
      .items;

  it('offers the form prefilled with the current version, to whoever may amend the convention', async () => {
    const html = await (
      await t.app.request(`/conventions/${id}/avenants/nouveau`, { headers: t.as('demo-gestionnaire') })
    ).text();
    expect(html).toContain('Nouvel avenant — AVENANT-PAGE');
    expect(html).toMatch(/name="echeancier\.1\.ae_centimes"[^>]*value="100000"/);
    expect(html).toContain('value="UO-0001"');
    const fiche = await (await t.app.request(`/conventions/${id}`, { headers: t.as('demo-gestionnaire') })).text();
    expect(fiche).toContain(`href="/conventions/${id}/avenants/nouveau"`);
    expect(fiche).toContain(`href="/conventions/nouvelle?suite=${id}"`);
    const equipe = await t.app.request(`/conventions/${id}/avenants/nouveau`, { headers: t.as('demo-equipe') });
    expect([403, 404]).toContain(equipe.status);
  });

  it('refuses a form that changes nothing, in French, and records nothing', async () => {
    const r = await poster({ 'avenant.objet': 'Rien', 'avenant.date_effet': '2027-01-01' });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('Indiquez au moins une modification.');
    expect(await avenants()).toEqual([]);
    const sansObjet = await poster({ 'avenant.objet': ' ', 'avenant.date_effet': '2027-01-01', uo: 'UO-0002' });
    expect(sansObjet.status).toBe(400);
    expect(await sansObjet.text()).toContain('Indiquez l’objet de l’avenant.');
    expect(await avenants()).toEqual([]);
  });

  it('drafts an avenant with only the fields changed, amounts typed in euros', async () => {
    const r = await poster({
      'avenant.objet': 'Hausse de la dotation 2027',
      'avenant.date_effet': '2027-03-01',
      'echeancier.1.annee': '2027',
      'echeancier.1.ae_centimes': '150 000',
      'echeancier.1.cp_centimes': '100 000,00',
      total_ae_centimes: '250 000',
    });
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe(`/conventions/${id}?ok=avenant-1#avenants`);
    const [a] = await avenants();
    expect(a).toMatchObject({ numero: 1, statut: 'brouillon', date_effet: '2027-03-01' });
    expect(Object.keys(a.modifications).sort()).toEqual(['echeancier', 'total_ae_centimes']);
    expect(a.modifications.total_ae_centimes).toBe(25_000_000);
    expect(a.modifications.echeancier).toEqual([
      { annee: 2026, ae_centimes: AE, cp_centimes: AE },
      { annee: 2027, ae_centimes: 15_000_000, cp_centimes: AE },
    ]);
  });

  it('prepares what follows: a prolongation prefilled from the term, or a new convention from the same parties', async () => {
    const prolonger = await (
      await t.app.request(`/conventions/${id}/avenants/nouveau?prolonger=12`, { headers: t.as('demo-gestionnaire') })
    ).text();
    expect(prolonger).toContain('Prolongation de la convention de 12 mois');
    expect(prolonger).toContain('value="2028-12-31"');
    const suite = await (
      await t.app.request(`/conventions/nouvelle?suite=${id}`, { headers: t.as('demo-gestionnaire') })
    ).text();
    expect(suite).toContain('Convention faisant suite à AVENANT-PAGE');
    expect(suite).toContain('value="Ministère du formulaire"');
    expect(suite).toContain('fait suite à la convention AVENANT-PAGE');
    // the new schedule starts the year after the end, amounts left to state
    expect(suite).toMatch(/name="echeancier\.0\.annee"[^>]*value="2028"/);
  });
});
