import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plateformeDataGouv } from '../../src/cli/datagouv.js';
import { ouvrirTravaux, type Travaux } from '../../src/storage/travaux.js';
import { publierDonneesEnArrierePlan } from '../../src/usecases/donnees.js';
import { form, testApp, type TestApp } from '../support/app.js';
import { attendreQue } from '../support/attente.js';
import { demarrerDataGouv, type FauxDataGouv } from '../support/datagouv.js';
import { DATABASES } from '../support/db.js';

/**
 * The open data pushed by the server's background work when a budget officer asks for it, from the page
 * « Données ouvertes sur data.gouv.fr » or the API, against a local server that answers like data.gouv.fr;
 * the list of pushes with their outcome; a clear refusal when the server is not set up to push.
 */
describe.each(DATABASES)('asking the server to push the open data to data.gouv.fr, on %s', (kind) => {
  let t: TestApp;
  let dg: FauxDataGouv;
  let travaux: Travaux;
  const pageForm = (user: string) => ({
    ...t.as(user),
    'content-type': 'application/x-www-form-urlencoded',
  });
  const journal = () =>
    t.storage.db
      .selectFrom('journal')
      .select(['action', 'acteur_nom', 'objet_id'])
      .where('objet_type', '=', 'donnees')
      .orderBy('id')
      .execute();
  const publications = async () => {
    const r = await t.app.request('/api/v1/donnees/publications', { headers: t.api('demo-gestionnaire') });
    expect(r.status).toBe(200);
    return (await r.json()) as {
      configuree: boolean;
      jeu_de_donnees: string | null;
      items: { fichier: string; statut: string; message: string | null; par: string; url: string | null }[];
    };
  };

  beforeAll(async () => {
    t = await testApp(kind);
    dg = await demarrerDataGouv();
  });
  afterAll(async () => {
    await travaux?.arreter();
    await dg?.fermer();
    await t?.close();
  });

  it('says the push is not configured, and refuses to ask for one, writing nothing', async () => {
    expect(await publications()).toEqual({ configuree: false, jeu_de_donnees: null, items: [] });
    const page = await t.app.request('/donnees/publication', { headers: t.as('demo-gestionnaire') });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Publication non configurée');
    expect(html).not.toContain('Publier maintenant');

    const api = await t.app.request('/api/v1/donnees/publication', {
      method: 'POST',
      headers: t.api('demo-gestionnaire'),
    });
    expect(api.status).toBe(409);
    expect(((await api.json()) as { code: string }).code).toBe('PUBLICATION_NON_CONFIGUREE');
    const refus = await t.app.request('/donnees/publication', {
      method: 'POST',
      headers: pageForm('demo-gestionnaire'),
      body: form({}),
    });
    expect(refus.status).toBe(409);
    expect(await refus.text()).toContain('n’est pas configurée');
    expect(await journal()).toEqual([]);
    expect(dg.requetes).toEqual([]);
  });

  it('refuses while the background work is unavailable, writing nothing', async () => {
    t.ctx.plateformeDonnees = plateformeDataGouv({
      url: dg.url,
      apiKey: dg.cle,
      jeuDeDonnees: dg.jeu,
      tentatives: 1,
      delaiMs: 1,
    });
    const r = await t.app.request('/api/v1/donnees/publication', {
      method: 'POST',
      headers: t.api('demo-gestionnaire'),
    });
    expect(r.status).toBe(409);
    expect(((await r.json()) as { code: string }).code).toBe('TRAVAUX_INDISPONIBLES');
    expect(await journal()).toEqual([]);
  });

  it('pushes both files in the background once a budget officer asks from the page, and lists the outcome', async () => {
    travaux = await ouvrirTravaux(t.storage.db, { schema: (t.storage as { schema?: string }).schema });
    t.ctx.travaux = travaux;
    await travaux.demarrer(
      { publication: () => publierDonneesEnArrierePlan(t.ctx) },
      { intervalleSecondes: 0.5, planifier: false },
    );
    const page = await t.app.request('/donnees/publication', { headers: t.as('demo-gestionnaire') });
    const html = await page.text();
    expect(html).toContain('Publier maintenant');
    expect(html).toContain(dg.jeu);
    expect(html).toContain('Aucun envoi pour l’instant.');

    const r = await t.app.request('/donnees/publication', {
      method: 'POST',
      headers: pageForm('demo-gestionnaire'),
      body: form({}),
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/donnees/publication?ok=demandee');
    await attendreQue(async () => (await publications()).items.length === 2);

    const l = await publications();
    expect(l.configuree).toBe(true);
    expect(l.jeu_de_donnees).toBe(dg.jeu);
    expect(l.items.map((p) => [p.fichier, p.statut, p.message, p.par])).toEqual([
      ['credits-annuels.csv', 'publie', 'déposé', 'Système'],
      ['conventions.csv', 'publie', 'déposé', 'Système'],
    ]);
    const parTitre = new Map([...dg.fichiers.values()].map((f) => [f.titre, f.contenu]));
    expect(parTitre.get('conventions.csv')).toBe(await (await t.app.request('/donnees/conventions.csv')).text());
    // who asked, then what the background work did
    const lignes = await journal();
    expect(lignes[0]).toMatchObject({ action: 'demande_publication_donnees', objet_id: dg.jeu });
    expect(lignes[0]!.acteur_nom).not.toBe('Système');
    expect(lignes.slice(1).map((x) => [x.action, x.acteur_nom])).toEqual([
      ['publication_donnees', 'Système'],
      ['publication_donnees', 'Système'],
    ]);

    const apres = await t.app.request('/donnees/publication?ok=demandee', { headers: t.as('demo-gestionnaire') });
    const vue = await apres.text();
    expect(vue).toContain('La publication est demandée');
    expect(vue).toContain('credits-annuels.csv');
    expect(vue).toContain('déposé');
    expect(vue).not.toContain('Aucun envoi pour l’instant.');
  });

  it('records a failed push when data.gouv.fr is down, shown as such, from an API request', async () => {
    dg.panne(1);
    const r = await t.app.request('/api/v1/donnees/publication', {
      method: 'POST',
      headers: t.api('demo-admin'),
    });
    expect(r.status).toBe(202);
    expect(((await r.json()) as { demandee_le: string }).demandee_le).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await attendreQue(async () => (await publications()).items.length === 4);
    const [dernier, avantDernier] = (await publications()).items;
    expect([dernier!.statut, avantDernier!.statut]).toEqual(['echec', 'echec']);
    expect(dernier!.message).toContain('503');
    expect(dernier!.url).toBeNull();
    // what was online stays online: the first push's resources are untouched
    expect(dg.fichiers.size).toBe(2);
    const html = await (await t.app.request('/donnees/publication', { headers: t.as('demo-gestionnaire') })).text();
    expect(html).toContain('Échec');
  });
});
