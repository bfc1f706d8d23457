import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { demo } from '../support/demo.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { DATABASES, contexte } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

describe.each(DATABASES)('credits API on %s', (kind) => {
  let t: TestApp;
  let id: string;
  const h = {
    get: (path: string, user?: string) => t.app.request(path, { headers: t.as(user ?? null) }),
    json: (method: string, path: string, body: unknown, user?: string) =>
      t.app.request(path, { method, headers: t.api(user ?? null), body: JSON.stringify(body) }),
  };
  beforeAll(async () => {
    t = await testApp(kind);
    const base = demo().classe;
    id = (await creerConvention(contexte(t.storage), admin, { ...base, reference: 'API' })).convention.id;
  });
  afterAll(async () => t?.close());

  it('creates an order (201) and refuses beyond the ceiling with a stable code and figures (409)', async () => {
    const ok = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements`,
      { annee: 2026, montant_centimes: 4_000_000, objet: 'Coaching', titulaire: 'Octo' },
      'demo-gestionnaire',
    );
    expect(ok.status).toBe(201);
    const e = await ok.json();
    expect(e).toMatchObject({
      numero: 'BC-2026-0001',
      montant_centimes: 4_000_000,
      base_montant: 'TTC',
      etat: 'engage',
    });
    expect(e.avertissements[0]).toContain('12 décembre 2026');
    const ko = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements`,
      { annee: 2026, montant_centimes: 1_500_000, objet: 'Coaching', titulaire: 'Octo' },
      'demo-gestionnaire',
    );
    expect(ko.status).toBe(409);
    const body = await ko.json();
    expect(body).toMatchObject({
      code: 'PLAFOND_AE_DEPASSE',
      details: { disponible_centimes: 1_000_000, demande_centimes: 1_500_000 },
    });
    expect(body.message).toContain('Crédits insuffisants');
  });

  it('reports credits per year with ouvert, engage, paye and disponible for AE and CP', async () => {
    const r = await h.get(`/api/v1/conventions/${id}/credits`, 'demo-gestionnaire');
    expect(r.status).toBe(200);
    const v = await r.json();
    expect(v.annees[0]).toMatchObject({
      annee: 2026,
      ae: { ouvert_centimes: 5_000_000, engage_centimes: 4_000_000, paye_centimes: 0, disponible_centimes: 1_000_000 },
      cp: { ouvert_centimes: 5_000_000, engage_centimes: 4_000_000, paye_centimes: 0, disponible_centimes: 5_000_000 },
    });
    expect(v.annees[0].projection).toBeTruthy();
  });

  it('certifies, pays, closes and cancels through the API', async () => {
    const list = await (await h.get(`/api/v1/conventions/${id}/engagements?annee=2026`, 'demo-admin')).json();
    const eid = list.items[0].id;
    const sf = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements/${eid}/services-faits`,
      { pourcentage: 60, certificateur: 'A. Martin' },
      'demo-admin',
    );
    expect(sf.status).toBe(201);
    expect((await sf.json()).certifie_centimes).toBe(2_400_000);
    const both = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements/${eid}/services-faits`,
      { pourcentage: 10, montant_centimes: 5 },
      'demo-admin',
    );
    expect(both.status).toBe(400);
    const trop = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements/${eid}/paiements`,
      { montant_centimes: 2_400_001, reference: 'F-1' },
      'demo-admin',
    );
    expect((await trop.json()).code).toBe('PAIEMENT_SUPERIEUR_SERVICE_FAIT');
    const pay = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements/${eid}/paiements`,
      { montant_centimes: 2_400_000, reference: 'F-1' },
      'demo-admin',
    );
    expect(pay.status).toBe(201);
    const solde = await h.json('POST', `/api/v1/conventions/${id}/engagements/${eid}/solde`, {}, 'demo-admin');
    expect(await solde.json()).toMatchObject({ statut: 'solde', libere_centimes: 1_600_000, etat: 'solde' });
    const e2 = await (
      await h.json(
        'POST',
        `/api/v1/conventions/${id}/engagements`,
        { annee: 2026, montant_centimes: 2_000_000, objet: 'Dev', titulaire: 'Scopyleft', base_montant: 'HT' },
        'demo-admin',
      )
    ).json();
    // counted against the TTC credits at its TTC amount (VAT 20 % by default)
    expect(e2).toMatchObject({ base_montant: 'HT', taux_tva: 20, montant_impute_centimes: 2_400_000 });
    const ann = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements/${e2.id}/annulation`,
      { motif: 'Devis retiré' },
      'demo-admin',
    );
    expect((await ann.json()).statut).toBe('annule');
    const detail = await (await h.get(`/api/v1/conventions/${id}/engagements/${eid}`, 'demo-admin')).json();
    expect(detail.mouvements.map((m: { type: string }) => m.type)).toEqual([
      'engagement',
      'service_fait',
      'paiement',
      'liberation',
    ]);
  });

  it('validates bodies, hides other partners’ conventions and forbids the public', async () => {
    const bad = await h.json(
      'POST',
      `/api/v1/conventions/${id}/engagements`,
      { annee: 2026, montant_centimes: 10.5, objet: '', titulaire: 'x' },
      'demo-admin',
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).details.erreurs.map((e: { champ: string }) => e.champ).sort()).toEqual([
      'montant_centimes',
      'objet',
    ]);
    expect(
      (
        await h.json(
          'POST',
          `/api/v1/conventions/${id}/engagements`,
          { annee: 2026, montant_centimes: 1, objet: 'o', titulaire: 't' },
          'demo-partenaire-sociaux',
        )
      ).status,
    ).toBe(404);
    expect((await h.get(`/api/v1/conventions/${id}/credits`)).status).toBe(401);
    expect((await h.get('/api/v1/credits')).status).toBe(401);
    expect(
      (
        await h.json(
          'POST',
          `/api/v1/conventions/${id}/engagements`,
          { annee: 2026, montant_centimes: 1, objet: 'o', titulaire: 't', derogation: { motif: 'x' } },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(201);
  });

  it('serves the portfolio, the alerts and the calendar settings', async () => {
    const p = await (await h.get('/api/v1/credits?annee=2026&groupe=role_dinum', 'demo-admin')).json();
    expect(p.total.ouvert_ae_centimes).toBeGreaterThan(0);
    // this year the DINUM is délégataire of Atelier numérique and Classe à 12, délégant of seLEXpert
    expect(p.groupes.map((g: { cle: string }) => g.cle)).toEqual(['delegant', 'delegataire']);
    const a = await (await h.get('/api/v1/credits/alertes', 'demo-admin')).json();
    const insuffisance = a.enregistrees.find((x: { code: string }) => x.code === 'PLAFOND_AE_DEPASSE');
    expect(insuffisance).toMatchObject({ destinataire: 'delegant', details: { manque_centimes: 500_000 } });
    // a payment above the certified work was refused too: the user's error, told to them, and recorded nowhere
    expect(a.enregistrees.map((x: { code: string }) => x.code)).not.toContain('PAIEMENT_SUPERIEUR_SERVICE_FAIT');
    const t = await h.json('POST', `/api/v1/credits/alertes/${insuffisance.id}/traitement`, {}, 'demo-gestionnaire');
    expect(t.status).toBe(200);
    const cal = await (await h.get('/api/v1/parametres/calendrier', 'demo-admin')).json();
    expect(cal).toMatchObject({ limite_paiements: '11-30', limite_engagements: '12-12' });
    expect(
      (
        await h.json(
          'PUT',
          '/api/v1/parametres/calendrier',
          { ...cal, limite_engagements: '12-15', motif: 'Circulaire 2026' },
          'demo-gestionnaire',
        )
      ).status,
    ).toBe(403);
    const put = await h.json(
      'PUT',
      '/api/v1/parametres/calendrier',
      { ...cal, limite_engagements: '12-15', motif: 'Circulaire 2026' },
      'demo-admin',
    );
    expect((await put.json()).limite_engagements).toBe('12-15');
  });

  it('documents the credit operations in the OpenAPI document', async () => {
    const doc = await (await h.get('/api/v1/openapi.json')).json();
    for (const p of [
      '/conventions/{id}/engagements',
      '/conventions/{id}/credits',
      '/conventions/{id}/engagements/{eid}/services-faits',
      '/conventions/{id}/engagements/{eid}/paiements',
      '/conventions/{id}/engagements/{eid}/solde',
      '/conventions/{id}/engagements/{eid}/annulation',
    ]) {
      expect(doc.paths[p]).toBeTruthy();
    }
    expect(doc.components.schemas.EngagementEntree.required).toEqual(
      expect.arrayContaining(['annee', 'montant_centimes', 'objet', 'titulaire']),
    );
  });
});
