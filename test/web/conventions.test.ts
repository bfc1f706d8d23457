import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';
import { champsDepuisConvention } from '../../src/web/form.js';
import { demo } from '../support/demo.js';
import { lireConvention } from '../../src/usecases/convention.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';

const ADMIN = 'demo-admin';

const nouvelle = {
  reference: 'API-1',
  role_dinum: 'delegataire',
  statut: 'en_vigueur',
  delegant: { nom: 'Ministère de la Culture', siret: '11004601800013' },
  delegataire: { nom: 'DINUM' },
  produits: ['Pass Test'],
  phase: 'construction',
  uo: '0224-CDBU-DNUM',
  echeancier: [
    { annee: 2026, ae_centimes: 5_000_000, cp_centimes: 3_000_000 },
    { annee: 2027, ae_centimes: 0, cp_centimes: null },
  ],
  total_ae_centimes: 5_000_000,
  date_signature: '2026-03-01',
  duree_mois: 12,
};

describe.each(DATABASES)('web and API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind, { bodyLimit: 64 * 1024 });
  });
  afterAll(async () => t?.close());

  it('lists conventions with filters, pagination and totals', async () => {
    const r = await t.app.request('/api/v1/conventions?role_dinum=delegant&taille=1', { headers: t.as(ADMIN) });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.total).toBe(2);
    expect(body.items).toHaveLength(1);
    expect(body.total_ae_centimes).toBe(13_800_000 + 11_000_000);
    const bad = await t.app.request('/api/v1/conventions?annee=deux-mille', { headers: t.as(ADMIN) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('DONNEES_INVALIDES');
  });

  it('creates, reads and updates through the API, with the journal', async () => {
    const created = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify(nouvelle),
    });
    expect(created.status).toBe(201);
    const c = await created.json();
    expect(created.headers.get('location')).toBe(`/api/v1/conventions/${c.id}`);
    expect(c.fin_effective).toBe('2027-03-01');
    expect(c.echeancier).toEqual(nouvelle.echeancier);
    const read = await (await t.app.request(`/api/v1/conventions/${c.id}`, { headers: t.as(ADMIN) })).json();
    expect(read.delegant.nom).toBe('Ministère de la Culture');
    const { id, version, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = read;
    void [id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    const put = await t.app.request(`/api/v1/conventions/${c.id}`, {
      method: 'PUT',
      headers: t.api(ADMIN),
      body: JSON.stringify({ ...entree, version, preavis_mois: 3 }),
    });
    expect(put.status).toBe(200);
    expect((await put.json()).version).toBe(version + 1);
    const stale = await t.app.request(`/api/v1/conventions/${c.id}`, {
      method: 'PUT',
      headers: t.api(ADMIN),
      body: JSON.stringify({ ...entree, version }),
    });
    expect(stale.status).toBe(409);
    expect((await stale.json()).code).toBe('VERSION_OBSOLETE');
    const journal = await (await t.app.request(`/api/v1/conventions/${c.id}/journal`, { headers: t.as(ADMIN) })).json();
    expect(journal.items.map((l: { action: string }) => l.action)).toEqual(['modification', 'creation']);
    expect(journal.items[0].changements).toEqual([{ champ: 'preavisMois', avant: null, apres: 3 }]);
  });

  it('answers bad input with stable codes and field errors, never a 500', async () => {
    const malformed = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: '{"reference": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      code: 'JSON_INVALIDE',
      message: 'Le corps de la requête n’est pas un JSON valide.',
      details: {},
    });

    const invalid = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({
        ...nouvelle,
        delegant: { nom: '' },
        echeancier: [{ annee: 2026, ae_centimes: -5, cp_centimes: 1.5 }],
        date_signature: '2026-02-30',
      }),
    });
    expect(invalid.status).toBe(400);
    const err = await invalid.json();
    expect(err.code).toBe('DONNEES_INVALIDES');
    expect(err.details.erreurs.map((e: { champ: string }) => e.champ).sort()).toEqual([
      'date_signature',
      'delegant.nom',
      'echeancier.0.ae_centimes',
      'echeancier.0.cp_centimes',
    ]);

    const domain = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({ ...nouvelle, date_fin: '2020-01-01' }),
    });
    expect(domain.status).toBe(400);
    expect((await domain.json()).details.erreurs).toEqual([
      { champ: 'date_fin', message: 'La date de fin précède la date de signature.' },
    ]);

    const unknown = await t.app.request('/api/v1/conventions/00000000-0000-4000-8000-000000000000', {
      headers: t.as(ADMIN),
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('INTROUVABLE');
    expect((await t.app.request('/api/v1/conventions/pas-un-uuid', { headers: t.as(ADMIN) })).status).toBe(404);

    const big = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({ ...nouvelle, preambule: 'x'.repeat(100 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('CORPS_TROP_VOLUMINEUX');

    const wrongType = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN, { 'content-type': 'text/plain' }),
      body: 'x',
    });
    expect(wrongType.status).toBe(415);

    const extraKey = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({ ...nouvelle, inconnu: 1 }),
    });
    expect(extraKey.status).toBe(400);

    const count = await (await t.app.request('/api/v1/conventions?q=Pass%20Test', { headers: t.as(ADMIN) })).json();
    expect(count.total).toBe(1); // only the one created in the previous test: nothing stored by the refusals
  });

  it('refuses creation to a partner and hides other organisations’ conventions', async () => {
    const r = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api('demo-partenaire-sociaux'),
      body: JSON.stringify(nouvelle),
    });
    expect(r.status).toBe(403);
    const list = await (
      await t.app.request('/api/v1/conventions', { headers: t.as('demo-partenaire-sociaux') })
    ).json();
    expect(list.items.map((i: { produits: string[] }) => i.produits[0])).toEqual(['Mon Suivi Psy']);
  });

  it('serves the OpenAPI document', async () => {
    const doc = await (await t.app.request('/api/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/conventions', '/conventions/{id}', '/conventions/{id}/journal']),
    );
    expect(doc.components.schemas.ConventionEntree.properties.echeancier).toBeDefined();
  });

  it('renders the register and a convention page in French with DSFR markup', async () => {
    const list = await t.app.request('/conventions?statut=terminee', { headers: t.as(ADMIN) });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('fr-table');
    expect(html).toContain('Mon Suivi Justice');
    expect(html).not.toContain('Classe à 12');
    const id = /href="\/conventions\/([0-9a-f-]{36})"/.exec(html)![1];
    const page = await (await t.app.request(`/conventions/${id}`, { headers: t.as(ADMIN) })).text();
    expect(page).toContain('Références Chorus');
    expect(page).toContain('Journal');
  });

  it('shows a blank schedule cell as not stated, distinct from 0', async () => {
    const list = await (await t.app.request('/api/v1/conventions?q=seLEXpert', { headers: t.as(ADMIN) })).json();
    const page = await (await t.app.request(`/conventions/${list.items[0].id}`, { headers: t.as(ADMIN) })).text();
    expect(page).toContain('Non indiqué');
    const atelier = await (await t.app.request('/api/v1/conventions?q=Atelier', { headers: t.as(ADMIN) })).json();
    const p2 = await (await t.app.request(`/conventions/${atelier.items[0].id}`, { headers: t.as(ADMIN) })).text();
    expect(p2.replace(/\s/g, ' ')).toContain('0,00 €');
  });

  it('edits through the HTML form, shows French errors next to fields, and keeps data on error', async () => {
    const list = await (
      await t.app.request('/api/v1/conventions?q=Mon%20Suivi%20Psy', { headers: t.as(ADMIN) })
    ).json();
    const id = list.items[0].id;
    const c = await (await t.app.request(`/api/v1/conventions/${id}`, { headers: t.as(ADMIN) })).json();
    const msp = demo().msp;
    const fields = { ...champsDepuisConvention(msp), version: String(c.version) };

    const bad = await t.app.request(`/conventions/${id}/modifier`, {
      method: 'POST',
      headers: t.as(ADMIN, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({ ...fields, 'echeancier.0.ae_centimes': 'cent mille', date_fin: '2020-01-01' }),
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('fr-input-group--error');
    expect(html).toContain('Montant invalide');
    expect(html).toContain('cent mille'); // what was typed is kept

    const ok = await t.app.request(`/conventions/${id}/modifier`, {
      method: 'POST',
      headers: t.as(ADMIN, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({ ...fields, preavis_mois: '2', 'echeancier.0.cp_centimes': '120 000,50' }),
    });
    expect(ok.status).toBe(303);
    const after = await (await t.app.request(`/api/v1/conventions/${id}`, { headers: t.as(ADMIN) })).json();
    expect(after.preavis_mois).toBe(2);
    expect(after.echeancier[0].cp_centimes).toBe(12_000_050);
    expect(after.version).toBe(c.version + 1);
  });

  it('keeps what was typed when an edit or a creation is refused, with the message where it belongs', async () => {
    const creee = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({ ...nouvelle, reference: 'REFUS-1', produits: ['Pass Refus'] }),
    });
    expect(creee.status).toBe(201);
    const c = await creee.json();
    // 10 000 € ordered on the 50 000 € of 2026
    const commande = await t.app.request(`/api/v1/conventions/${c.id}/engagements`, {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({
        annee: 2026,
        montant_centimes: 1_000_000,
        objet: 'Développement',
        titulaire: 'Octo',
        date_engagement: '2026-11-20',
      }),
    });
    expect(commande.status).toBe(201);
    const lire = async () => (await t.app.request(`/api/v1/conventions/${c.id}`, { headers: t.as(ADMIN) })).json();
    const avant = await lire();
    const poster = (url: string, champs: Record<string, string>) =>
      t.app.request(url, {
        method: 'POST',
        headers: t.as(ADMIN, { 'content-type': 'application/x-www-form-urlencoded' }),
        body: form(champs),
      });
    const champs = {
      ...champsDepuisConvention(
        await lireConvention(
          t.ctx,
          ACTEURS_DEMO.find((a) => a.id === ADMIN)!,
          c.id,
        ),
      ),
      version: String(avant.version),
    };
    const saisi = (html: string, name: string) =>
      new RegExp(`name="${name.replace(/\./g, '\\.')}"[^>]*value="([^"]*)"`).exec(html)?.[1] ??
      new RegExp(`value="([^"]*)"[^>]*name="${name.replace(/\./g, '\\.')}"`).exec(html)?.[1];

    // the schedule lowered under what is already ordered: refused, the typed 4 000 € stays in its cell
    const sous = await poster(`/conventions/${c.id}/modifier`, {
      ...champs,
      'echeancier.0.ae_centimes': '4 000',
      comptable_assignataire: 'DRFiP Île-de-France',
    });
    expect(sous.status).toBe(409);
    const h1 = await sous.text();
    expect(h1).toContain('<title>Erreur : ');
    expect(h1).toContain('ne peuvent pas descendre sous ce qui est déjà consommé');
    expect(saisi(h1, 'echeancier.0.ae_centimes')).toBe('4 000');
    expect(saisi(h1, 'comptable_assignataire')).toBe('DRFiP Île-de-France');
    // the message is the error of that cell, linked from the summary
    expect(h1).toMatch(/href="#[^"]*echeancier[^"]*0[^"]*ae_centimes[^"]*"/);
    expect(h1).not.toContain('Requête refusée');

    // someone saved in between: refused, the values typed come back with the message
    const ailleurs = await t.app.request(`/api/v1/conventions/${c.id}`, {
      method: 'PUT',
      headers: t.api(ADMIN),
      body: JSON.stringify({
        ...nouvelle,
        reference: 'REFUS-1',
        produits: ['Pass Refus'],
        preavis_mois: 3,
        version: avant.version,
      }),
    });
    expect(ailleurs.status, await ailleurs.clone().text()).toBe(200);
    const conflit = await poster(`/conventions/${c.id}/modifier`, {
      ...champs,
      comptable_assignataire: 'DRFiP Bretagne',
    });
    expect(conflit.status).toBe(409);
    const h2 = await conflit.text();
    expect(h2).toContain('modifiée entre-temps');
    expect(saisi(h2, 'comptable_assignataire')).toBe('DRFiP Bretagne');

    // nothing of the two refused edits was stored
    const apres = await lire();
    expect(apres.echeancier).toEqual(nouvelle.echeancier);
    expect(apres.comptable_assignataire ?? null).toBe(avant.comptable_assignataire ?? null);
    expect(apres.version).toBe(avant.version + 1);

    // a creation in a status reached only by an action: refused, the form comes back filled
    const creation = await poster('/conventions', {
      role_dinum: 'delegant',
      statut: 'resiliee',
      'delegant.nom': 'DINUM',
      'delegataire.nom': 'Ministère Refusé',
      produits: 'Produit Refusé',
      'echeancier.0.annee': '2026',
      'echeancier.0.ae_centimes': '12 345,67',
    });
    expect(creation.status).toBe(400);
    // the message is next to the status field
    const h3 = await creation.text();
    expect(h3).toMatch(/<a href="#f-statut">[^<]*les autres statuts s’atteignent par leur action/);
    expect(h3).toContain('<title>Erreur : Nouvelle convention');
    expect(saisi(h3, 'delegataire.nom')).toBe('Ministère Refusé');
    expect(saisi(h3, 'echeancier.0.ae_centimes')).toBe('12 345,67');
    const liste = await (
      await t.app.request('/api/v1/conventions?q=Minist%C3%A8re%20Refus%C3%A9', { headers: t.as(ADMIN) })
    ).json();
    expect(liste.total).toBe(0);
  });

  it('refuses a form post without the CSRF token', async () => {
    const r = await t.app.request('/conventions', {
      method: 'POST',
      headers: t.as(ADMIN, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({ reference: 'x' }, false),
    });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('Le formulaire a expiré');
  });

  it('creates a convention through the HTML form', async () => {
    const r = await t.app.request('/conventions', {
      method: 'POST',
      headers: t.as(ADMIN, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({
        role_dinum: 'delegant',
        'delegant.nom': 'DINUM',
        'delegataire.nom': 'Ministère X',
        produits: 'Produit X\nProduit Y',
        'echeancier.0.annee': '2026',
        'echeancier.0.ae_centimes': '10 000',
        'echeancier.0.cp_centimes': '',
      }),
    });
    expect(r.status).toBe(303);
    const id = r.headers.get('location')!.split('/')[2]!.split('?')[0]!;
    const c = await (await t.app.request(`/api/v1/conventions/${id}`, { headers: t.as(ADMIN) })).json();
    expect(c.produits).toEqual(['Produit X', 'Produit Y']);
    expect(c.echeancier).toEqual([{ annee: 2026, ae_centimes: 1_000_000, cp_centimes: null }]);
  });

  it('searches the register and its API without regard to case or accents', async () => {
    const created = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api(ADMIN),
      body: JSON.stringify({
        ...nouvelle,
        reference: 'RECH-ÉDU',
        delegant: { nom: 'Académie de Créteil — Éducation prioritaire' },
        produits: ['Cahier Zébré'],
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    for (const q of ['academie de creteil', 'ACADÉMIE DE CRÉTEIL', 'cahier zebre', 'rech-edu']) {
      const r = await t.app.request(`/api/v1/conventions?q=${encodeURIComponent(q)}`, { headers: t.as(ADMIN) });
      expect(
        (await r.json()).items.map((i: { id: string }) => i.id),
        q,
      ).toEqual([id]);
    }
    const page = await (await t.app.request('/conventions?q=cahier%20ZEBRE', { headers: t.as(ADMIN) })).text();
    expect(page).toContain(`/conventions/${id}`);
    const aucun = await (await t.app.request('/conventions?q=cahier%20zebra', { headers: t.as(ADMIN) })).text();
    expect(aucun).not.toContain(`/conventions/${id}`);
  });

  it('shows French error pages for unknown pages and conventions', async () => {
    const r = await t.app.request('/conventions/00000000-0000-4000-8000-000000000000', { headers: t.as(ADMIN) });
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('Page introuvable');
  });
});
