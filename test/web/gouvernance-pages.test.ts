import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { demo } from '../support/demo.js';
import { DATABASES } from '../support/db.js';
import { CSRF, form, testApp, type TestApp } from '../support/app.js';
import { pdfDepuisTexte } from '../support/documents.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/**
 * The governance pages, on the tests' clock (23 November 2026), without JavaScript: a convention's
 * committees and obligations, the FAST promotions; each form posts, redirects, and a malformed one is shown
 * again with the French message and what was typed, changing nothing.
 */
describe.each(DATABASES)('governance pages on %s', (kind) => {
  let t: TestApp;
  let id = '';
  let selex = '';
  const { references } = demo();
  const page = (path: string, user: string | null) => t.app.request(path, { headers: t.as(user) });
  const poster = (path: string, champs: Record<string, string>, user: string) =>
    t.app.request(path, {
      method: 'POST',
      headers: { ...t.as(user), 'content-type': 'application/x-www-form-urlencoded' },
      body: form(champs),
    });
  const api = async (path: string) => (await t.app.request(path, { headers: t.api('demo-admin') })).json();
  const comites = async () => (await api(`/api/v1/conventions/${id}/comites`)).items;
  const obligations = async () => (await api(`/api/v1/conventions/${id}/obligations`)).items;
  /** the page's field, with the value it shows */
  const champ = (html: string, name: string) =>
    new RegExp(`name="${name.replace(/\./g, '\\.')}"[^>]*value="([^"]*)"`).exec(html)?.[1];

  beforeAll(async () => {
    t = await testApp(kind);
    // a ministry's convention for the demo team's product; the Justice partner is its délégant
    id = (
      await creerConvention(t.ctx, admin, {
        ...demo().msj,
        reference: 'GOUVERNANCE-PAGES',
        statut: 'en_vigueur',
        produits: ['Mon Suivi Justice'],
        dateSignature: '2026-06-01',
        dateFin: '2027-12-31',
        dureeMois: null,
        tranches: [],
        totalAeCentimes: 1_000_000,
        echeancier: [{ annee: 2026, aeCentimes: 1_000_000, cpCentimes: 1_000_000 }],
        comite: { periodiciteMois: 6, presidence: 'le représentant du délégant', invites: 'la DINUM' },
      })
    ).convention.id;
    selex = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', references.selex)
        .executeTakeFirstOrThrow()
    ).id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('shows the governance page to whoever reads the credits, linked from the convention, and to no one else', async () => {
    const fiche = await (await page(`/conventions/${id}`, 'demo-gestionnaire')).text();
    expect(fiche).toContain(`href="/conventions/${id}/gouvernance"`);
    const r = await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Gouvernance — GOUVERNANCE-PAGES');
    // six months after the signature of 1 June
    expect(html).toContain('Prochain comité au plus tard le 1er décembre 2026');
    expect(html).toContain('Aucun comité enregistré.');
    expect(html).toContain('<div class="fr-table">');
    expect(html).toContain('Désigner un intrapreneur et un sponsor de haut niveau');
    expect(html).toContain(`action="/conventions/${id}/comites"`);
    // the team prepares, and does not decide; the partner of another ministry does not see the convention
    const equipe = await (await page(`/conventions/${id}/gouvernance`, 'demo-equipe')).text();
    expect(equipe).toContain(`action="/conventions/${id}/comites"`);
    expect(equipe).not.toContain('/obligations/');
    expect((await page(`/conventions/${id}/gouvernance`, 'demo-partenaire-sociaux')).status).toBe(404);
    const anonyme = await page(`/conventions/${id}/gouvernance`, null);
    expect(anonyme.status).toBe(303);
    expect(anonyme.headers.get('location')).toMatch(/^\/connexion\?retour=/);
  });

  it('lets the product team plan a committee with its indicators, and shows a malformed one again with its messages, recording nothing', async () => {
    const mauvais = await poster(
      `/conventions/${id}/comites`,
      {
        nature: 'investissement',
        date: '2026-11-20',
        'indicateurs.0.nom': 'Rendez-vous manqués',
        'indicateurs.0.valeur': '18',
        'indicateurs.1.nom': '',
        'indicateurs.1.unite': 'agents',
        'demande.equipe': 'Un développeur',
        'demande.budget_centimes': 'beaucoup',
      },
      'demo-equipe',
    );
    expect(mauvais.status).toBe(400);
    const html = await mauvais.text();
    expect(html).toContain('Indiquez le nom de l’indicateur.');
    expect(html).toContain('id="f-indicateurs-1-nom-err"');
    expect(html).toContain('Montant invalide : écrivez par exemple 200 000 ou 1 250,50.');
    expect(champ(html, 'indicateurs.1.unite')).toBe('agents');
    expect(champ(html, 'demande.budget_centimes')).toBe('beaucoup');
    expect(champ(html, 'indicateurs.0.nom')).toBe('Rendez-vous manqués');
    const avantSignature = await poster(`/conventions/${id}/comites`, { date: '2026-05-01' }, 'demo-equipe');
    expect(avantSignature.status).toBe(400);
    expect(await avantSignature.text()).toContain('Un comité ne peut précéder la signature de la convention.');
    expect(await comites()).toEqual([]);

    // a blank row between two indicators is dropped
    const r = await poster(
      `/conventions/${id}/comites`,
      {
        nature: 'investissement',
        date: '2026-11-20',
        participants: 'la DINUM\nle sponsor',
        'indicateurs.0.nom': 'Rendez-vous manqués',
        'indicateurs.0.unite': '%',
        'indicateurs.0.valeur': '18,5',
        'indicateurs.0.cible': '12',
        'indicateurs.0.source': 'https://stats.example/rdv',
        'indicateurs.1.nom': '',
        'indicateurs.2.nom': 'Agents utilisateurs',
        'indicateurs.2.valeur': '240',
        'demande.equipe': '1 développeur, 1 chargé de déploiement',
        'demande.budget_centimes': '150 000',
        'demande.duree_mois': '6',
      },
      'demo-equipe',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe(`/conventions/${id}/gouvernance?ok=comite#comites`);
    const [c] = await comites();
    expect(c).toMatchObject({
      nature: 'investissement',
      date: '2026-11-20',
      presidence: 'le représentant du délégant',
      participants: ['la DINUM', 'le sponsor'],
      demande: { equipe: '1 développeur, 1 chargé de déploiement', budget_centimes: 15_000_000, duree_mois: 6 },
      decision: null,
    });
    expect(c.indicateurs).toEqual([
      { nom: 'Rendez-vous manqués', unite: '%', valeur: 18.5, cible: 12, source: 'https://stats.example/rdv' },
      { nom: 'Agents utilisateurs', unite: null, valeur: 240, cible: null, source: null },
    ]);
    const apres = await (await page(`/conventions/${id}/gouvernance?ok=comite`, 'demo-equipe')).text();
    expect(apres).toContain('Le comité est planifié.');
    expect(apres).toContain('Prochain comité</p>');
    expect(apres).toContain('Agents utilisateurs');
  });

  it('lets the budget officer, not the team, record the decision, and shows a malformed one again, deciding nothing', async () => {
    const [c] = await comites();
    const p = `comite-${c.id}.`;
    const html = await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text();
    expect(html).toContain(`action="/conventions/${id}/comites/${c.id}/decision"`);
    const chemin = `/conventions/${id}/comites/${c.id}/decision`;
    expect((await poster(chemin, { [`${p}decision`]: 'continue', [`${p}motif`]: 'Oui' }, 'demo-equipe')).status).toBe(
      403,
    );
    const sansMotif = await poster(
      chemin,
      { [`${p}decision`]: 'continue', [`${p}motif`]: ' ', [`${p}budget_centimes`]: '200 000' },
      'demo-gestionnaire',
    );
    expect(sansMotif.status).toBe(400);
    const h1 = await sansMotif.text();
    expect(h1).toContain('Indiquez ce que le comité a retenu.');
    expect(h1).toContain(`id="f-comite-${c.id}-motif-err"`);
    expect(champ(h1, `${p}budget_centimes`)).toBe('200 000');
    const troisMois = await poster(
      chemin,
      { [`${p}decision`]: 'provisoire', [`${p}motif`]: 'Le temps de renouveler', [`${p}duree_mois`]: '3' },
      'demo-gestionnaire',
    );
    expect(troisMois.status).toBe(400);
    const h2 = await troisMois.text();
    expect(h2).toContain('Une prolongation provisoire dure un ou deux mois.');
    expect(champ(h2, `${p}duree_mois`)).toBe('3');
    expect((await comites())[0].decision).toBeNull();

    const r = await poster(
      chemin,
      {
        [`${p}decision`]: 'continue',
        [`${p}motif`]: 'Objectifs atteints',
        [`${p}budget_centimes`]: '200 000',
        [`${p}duree_mois`]: '6',
        [`${p}phase`]: 'acceleration',
      },
      'demo-gestionnaire',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe(`/conventions/${id}/gouvernance?ok=decision#comites`);
    expect((await comites())[0].decision).toMatchObject({
      decision: 'continue',
      motif: 'Objectifs atteints',
      budget_centimes: 20_000_000,
      duree_mois: 6,
      phase: 'acceleration',
    });
    // decided once: a second decision is refused with the rule's message
    const deux = await poster(chemin, { [`${p}decision`]: 'arret', [`${p}motif`]: 'Non' }, 'demo-gestionnaire');
    expect(deux.status).toBe(409);
    expect(await deux.text()).toContain('La décision de ce comité est déjà consignée.');
    const apres = await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text();
    expect(apres).toContain('Objectifs atteints');
    expect(apres).not.toContain(`action="/conventions/${id}/comites/${c.id}/decision"`);
  });

  it('lets the partner complete its own party’s obligations with their evidence, and refuses what it may not do', async () => {
    const liste = await obligations();
    const o = liste.find((x: { code: string }) => x.code === 'intrapreneur_sponsor');
    expect(o.partie).toBe('delegant');
    const dinum = liste.find((x: { partie: string }) => x.partie === 'delegataire');
    const p = `obligation-${o.id}.`;
    const chemin = `/conventions/${id}/obligations/${o.id}`;
    const html = await (await page(`/conventions/${id}/gouvernance`, 'demo-partenaire-justice')).text();
    expect(html).toContain(`action="${chemin}"`);
    expect(html).not.toContain(`action="/conventions/${id}/obligations/${dinum.id}"`);

    const sansPreuve = await poster(chemin, { [`${p}etat`]: 'faite' }, 'demo-partenaire-justice');
    expect(sansPreuve.status).toBe(400);
    const h1 = await sansPreuve.text();
    expect(h1).toContain('Une obligation faite l’est avec sa preuve : un lien ou un fichier.');
    expect(h1).toContain(`id="f-obligation-${o.id}-preuve_url-err"`);
    const pasUnLien = await poster(
      chemin,
      { [`${p}etat`]: 'faite', [`${p}preuve_url`]: 'le courriel du 3 juin' },
      'demo-partenaire-justice',
    );
    expect(pasUnLien.status).toBe(400);
    const h2 = await pasUnLien.text();
    expect(h2).toContain('La preuve est un lien (http ou https).');
    expect(champ(h2, `${p}preuve_url`)).toBe('le courriel du 3 juin');
    // a partner waives nothing, completes nothing of the DINUM's; the team completes nothing
    expect(
      (await poster(chemin, { [`${p}etat`]: 'levee', [`${p}motif_levee`]: 'Sans objet' }, 'demo-partenaire-justice'))
        .status,
    ).toBe(403);
    const pd = `obligation-${dinum.id}.`;
    expect(
      (
        await poster(
          `/conventions/${id}/obligations/${dinum.id}`,
          { [`${pd}etat`]: 'faite', [`${pd}preuve_url`]: 'https://preuve.example/cr' },
          'demo-partenaire-justice',
        )
      ).status,
    ).toBe(403);
    expect(
      (await poster(chemin, { [`${p}etat`]: 'faite', [`${p}preuve_url`]: 'https://x.example' }, 'demo-equipe')).status,
    ).toBe(403);
    expect(await obligations()).toEqual(liste);

    const r = await poster(
      chemin,
      { [`${p}etat`]: 'faite', [`${p}preuve_url`]: 'https://preuve.example/designation' },
      'demo-partenaire-justice',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe(`/conventions/${id}/gouvernance?ok=obligation#obligation-${o.id}`);
    const faite = (await obligations()).find((x: { id: number }) => x.id === o.id);
    expect(faite).toMatchObject({
      etat: 'faite',
      etat_du_jour: 'faite',
      preuve_url: 'https://preuve.example/designation',
      faite_le: '2026-11-23',
    });
    // the DINUM's budget officer waives one with its reason
    const levee = await poster(
      `/conventions/${id}/obligations/${dinum.id}`,
      { [`${pd}etat`]: 'levee', [`${pd}motif_levee`]: 'Remplacé par le bilan annuel' },
      'demo-gestionnaire',
    );
    expect(levee.status).toBe(303);
    expect((await obligations()).find((x: { id: number }) => x.id === dinum.id)).toMatchObject({
      etat: 'levee',
      motif_levee: 'Remplacé par le bilan annuel',
    });
  });

  it('takes a committee’s minutes and an obligation’s evidence as files from the page, and shows a wrong file again with its message', async () => {
    const envoyer = (chemin: string, champs: Record<string, string>, fichier: File | null, user: string) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(champs)) f.set(k, v);
      f.set('_csrf', CSRF);
      if (fichier) f.set('fichier', fichier);
      return t.app.request(chemin, { method: 'POST', headers: t.as(user), body: f });
    };
    const cr = await pdfDepuisTexte('Compte rendu du comité de novembre');
    const [c] = await comites();
    const chemin = `/conventions/${id}/comites/${c.id}/compte-rendu`;
    expect(c.decision).not.toBeNull();
    expect(await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text()).toContain(
      `action="${chemin}"`,
    );
    expect(await (await page(`/conventions/${id}/gouvernance`, 'demo-equipe')).text()).not.toContain(
      `action="${chemin}"`,
    );
    expect((await envoyer(chemin, {}, new File([cr.slice().buffer], 'cr.pdf'), 'demo-equipe')).status).toBe(403);
    const faux = await envoyer(chemin, {}, new File(['MZ un programme'], 'cr.pdf'), 'demo-gestionnaire');
    expect(faux.status).toBe(400);
    expect(await faux.text()).toContain('Le fichier « cr.pdf » n’est pas un PDF lisible');
    const vide = await envoyer(chemin, {}, null, 'demo-gestionnaire');
    expect(vide.status).toBe(400);
    expect(await vide.text()).toContain('Joignez le fichier du compte rendu.');
    expect((await comites())[0].compte_rendu).toBeNull();
    const ok = await envoyer(chemin, {}, new File([cr.slice().buffer], 'cr.pdf'), 'demo-gestionnaire');
    expect(ok.status, await ok.clone().text()).toBe(303);
    expect(ok.headers.get('location')).toBe(`/conventions/${id}/gouvernance?ok=compte_rendu#comites`);
    const lien = ((await comites())[0].compte_rendu as string).replace('/api/v1', '');
    const apres = await (await page(`/conventions/${id}/gouvernance?ok=compte_rendu`, 'demo-gestionnaire')).text();
    expect(apres).toContain('Le compte rendu du comité est joint.');
    expect(apres).toContain(`href="${lien}"`);
    expect(apres).toContain('Remplacer le compte rendu');
    expect(new Uint8Array(await (await page(lien, 'demo-equipe')).arrayBuffer())).toEqual(cr);

    // a committee decided with its minutes in the same form
    const prepare = await t.app.request(`/api/v1/conventions/${id}/comites`, {
      method: 'POST',
      headers: t.api('demo-admin'),
      body: JSON.stringify({ date: '2026-11-20' }),
    });
    const deuxieme = (await prepare.json()).id as number;
    const pd = `comite-${deuxieme}.`;
    const formDecision = await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text();
    expect(formDecision).toContain(
      `action="/conventions/${id}/comites/${deuxieme}/decision" enctype="multipart/form-data"`,
    );
    const decide = await envoyer(
      `/conventions/${id}/comites/${deuxieme}/decision`,
      { [`${pd}decision`]: 'provisoire', [`${pd}motif`]: 'Le temps de renouveler', [`${pd}duree_mois`]: '2' },
      new File([cr.slice().buffer], 'cr-2.pdf'),
      'demo-gestionnaire',
    );
    expect(decide.status, await decide.clone().text()).toBe(303);
    const tenu = (await comites()).find((x: { id: number }) => x.id === deuxieme);
    expect(tenu.decision).toMatchObject({ decision: 'provisoire', duree_mois: 2 });
    expect(tenu.compte_rendu).toMatch(/\/pieces\/[0-9a-f-]{36}$/);

    // the evidence of an obligation as a file, with the state, from its form
    const o = (await obligations()).find(
      (x: { partie: string; etat: string }) => x.partie === 'delegant' && x.etat === 'a_faire',
    );
    const p = `obligation-${o.id}.`;
    const formulaire = await (await page(`/conventions/${id}/gouvernance`, 'demo-partenaire-justice')).text();
    expect(formulaire).toMatch(
      new RegExp(`action="/conventions/${id}/obligations/${o.id}" enctype="multipart/form-data"`),
    );
    const preuve = await pdfDepuisTexte('Page de statistiques');
    const mauvais = await envoyer(
      `/conventions/${id}/obligations/${o.id}`,
      { [`${p}etat`]: 'faite' },
      new File(['<html></html>'], 'stats.html'),
      'demo-partenaire-justice',
    );
    expect(mauvais.status).toBe(400);
    const h = await mauvais.text();
    expect(h).toContain('Ce format n’est pas accepté');
    expect(h).toContain(`id="f-obligation-${o.id}-fichier-erreur"`);
    expect((await obligations()).find((x: { id: number }) => x.id === o.id).etat).toBe('a_faire');
    const fait = await envoyer(
      `/conventions/${id}/obligations/${o.id}`,
      { [`${p}etat`]: 'faite' },
      new File([preuve.slice().buffer], 'stats.pdf'),
      'demo-partenaire-justice',
    );
    expect(fait.status, await fait.clone().text()).toBe(303);
    const lue = (await obligations()).find((x: { id: number }) => x.id === o.id);
    expect(lue).toMatchObject({ etat: 'faite', preuve_url: null, faite_le: '2026-11-23' });
    const piece = (lue.preuve_fichier as string).replace('/api/v1', '');
    expect(await (await page(`/conventions/${id}/gouvernance`, 'demo-partenaire-justice')).text()).toContain(
      `href="${piece}">Preuve jointe</a>`,
    );
  });

  it('shows the FAST promotions to the FAST team with the laureate’s envelope, and to no one else', async () => {
    const r = await page('/fast/promotions', 'demo-gestionnaire');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Promotion FAST 19');
    expect(html).toContain('<div class="fr-table">');
    expect(html).toContain(`href="/conventions/${selex}/gouvernance"`);
    // seLEXpert's envelope of 110 000 €, to commit within six months of its signature of 23 September
    expect(html).toContain('110\u202f000,00\u00a0€, engagé 0,00\u00a0€');
    expect(html).toContain('à engager avant le 23 mars 2027');
    expect(html).toContain('30 novembre 2026');
    expect((await page('/fast/promotions', 'demo-partenaire-justice')).status).toBe(403);
    expect((await page('/fast/promotions', 'demo-equipe')).status).toBe(403);
    expect((await page('/fast/promotions', null)).status).toBe(303);
  });

  it('records a promotion from its form, and shows a malformed one again with its message, recording nothing', async () => {
    const numeros = async () =>
      (await api('/api/v1/fast/promotions')).items.map((p: { numero: number }) => p.numero).sort();
    const avant = await numeros();
    const mauvais = await poster(
      '/fast/promotions',
      { numero: '42', lancement: '2027-03-01', mi_parcours: '2027-02-01', plafond_laureat_centimes: '200 000' },
      'demo-gestionnaire',
    );
    expect(mauvais.status).toBe(400);
    const html = await mauvais.text();
    expect(html).toContain('Cette date précède celle de « lancement »');
    expect(champ(html, 'mi_parcours')).toBe('2027-02-01');
    expect(champ(html, 'plafond_laureat_centimes')).toBe('200 000');
    const sansNumero = await poster('/fast/promotions', { lancement: '2027-03-01' }, 'demo-gestionnaire');
    expect(sansNumero.status).toBe(400);
    expect(await sansNumero.text()).toContain('Indiquez le numéro de la promotion.');
    expect((await poster('/fast/promotions', { numero: '43' }, 'demo-partenaire-justice')).status).toBe(403);
    expect(await numeros()).toEqual(avant);

    const r = await poster(
      '/fast/promotions',
      { numero: '42', lancement: '2027-03-01', mi_parcours: '2027-05-01', plafond_laureat_centimes: '200 000' },
      'demo-gestionnaire',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe('/fast/promotions?ok=promotion#promotion-42');
    const p = (await api('/api/v1/fast/promotions')).items.find((x: { numero: number }) => x.numero === 42);
    expect(p).toMatchObject({
      lancement: '2027-03-01',
      mi_parcours: '2027-05-01',
      plafond_laureat_centimes: 20_000_000,
    });
    const deux = await poster('/fast/promotions', { numero: '42' }, 'demo-gestionnaire');
    expect(deux.status).toBe(409);
    expect(await deux.text()).toContain('La promotion FAST 42 existe déjà.');
  });

  it('records the laureate’s envelope from its form, and shows a malformed one again, changing nothing', async () => {
    const enveloppe = async () =>
      (await api('/api/v1/fast/promotions')).items
        .flatMap((p: { laureats: Array<{ convention_id: string; enveloppe: unknown }> }) => p.laureats)
        .find((l: { convention_id: string }) => l.convention_id === selex).enveloppe;
    const avant = await enveloppe();
    const p = `enveloppe-${selex}.`;
    const chemin = `/fast/enveloppes/${selex}`;
    const sansPreuve = await poster(chemin, { [`${p}engage_centimes`]: '20 000' }, 'demo-gestionnaire');
    expect(sansPreuve.status).toBe(400);
    const h1 = await sansPreuve.text();
    expect(h1).toContain('Un engagement déclaré l’est avec sa preuve : un lien ou un fichier.');
    expect(champ(h1, `${p}engage_centimes`)).toBe('20 000');
    const trop = await poster(
      chemin,
      { [`${p}engage_centimes`]: '120 000', [`${p}preuve_url`]: 'https://preuve.example/ej' },
      'demo-gestionnaire',
    );
    expect(trop.status).toBe(400);
    expect(await trop.text()).toContain('L’engagé déclaré dépasse le montant de l’enveloppe.');
    expect(
      (await poster(chemin, { [`${p}engage_centimes`]: '0', [`${p}montant_centimes`]: '1' }, 'demo-partenaire-justice'))
        .status,
    ).toBe(403);
    expect(await enveloppe()).toEqual(avant);

    const r = await poster(
      chemin,
      { [`${p}engage_centimes`]: '20 000', [`${p}preuve_url`]: 'https://preuve.example/ej' },
      'demo-gestionnaire',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe('/fast/promotions?ok=enveloppe');
    expect(await enveloppe()).toMatchObject({
      montant_centimes: 11_000_000,
      engage_centimes: 2_000_000,
      preuve_url: 'https://preuve.example/ej',
    });
    const html = await (await page('/fast/promotions?ok=enveloppe', 'demo-gestionnaire')).text();
    expect(html).toContain('L’enveloppe de cofinancement est enregistrée.');
    expect(html).toContain('110\u202f000,00\u00a0€, engagé 20\u202f000,00\u00a0€');
  });

  it('lets the FAST laureate’s partner declare its matching envelope from its governance page, and no one else', async () => {
    const html = await (await page(`/conventions/${selex}/gouvernance`, 'demo-partenaire-justice')).text();
    expect(html).toContain('Enveloppe de cofinancement');
    expect(html).toContain(`action="/conventions/${selex}/enveloppe"`);
    // the amount is the DINUM's: the partner's form does not offer it
    expect(html).not.toContain('name="montant_centimes"');
    const chemin = `/conventions/${selex}/enveloppe`;
    const avant = await api(`/api/v1/conventions/${selex}/enveloppe`);
    expect(avant.montant_centimes).toBeGreaterThan(4_000_000);
    const sansPreuve = await poster(chemin, { engage_centimes: '40 000' }, 'demo-partenaire-justice');
    expect(sansPreuve.status).toBe(400);
    const h = await sansPreuve.text();
    expect(h).toContain('Un engagement déclaré l’est avec sa preuve : un lien ou un fichier.');
    expect(champ(h, 'engage_centimes')).toBe('40 000');
    expect(
      (await poster(chemin, { montant_centimes: '1', engage_centimes: '0' }, 'demo-partenaire-justice')).status,
    ).toBe(403);
    expect((await poster(chemin, { engage_centimes: '0' }, 'demo-partenaire-sociaux')).status).toBe(404);
    expect(await api(`/api/v1/conventions/${selex}/enveloppe`)).toEqual(avant);
    const r = await poster(
      chemin,
      { engage_centimes: '40 000', preuve_url: 'https://preuve.example/bon-de-commande' },
      'demo-partenaire-justice',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    expect(r.headers.get('location')).toBe(`/conventions/${selex}/gouvernance?ok=enveloppe#enveloppe`);
    expect(await api(`/api/v1/conventions/${selex}/enveloppe`)).toMatchObject({
      montant_centimes: avant.montant_centimes,
      engage_centimes: 4_000_000,
      preuve_url: 'https://preuve.example/bon-de-commande',
    });
    // a ministry's convention has no envelope
    expect(await (await page(`/conventions/${id}/gouvernance`, 'demo-admin')).text()).not.toContain(
      'Enveloppe de cofinancement',
    );
  });

  /** The fields of the avenant form a page shows, as a browser would send them. */
  const champsAvenant = (html: string) => {
    const f = /<form[^>]*action="\/conventions\/[^"]+\/avenants"[^>]*>([\s\S]*?)<\/form>/.exec(html)![1]!;
    const texte = (x: string) =>
      x
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const out: Record<string, string> = {};
    for (const m of f.matchAll(/<input\b([^>]*)>/g)) {
      const nom = /name="([^"]+)"/.exec(m[1]!)?.[1];
      if (nom && nom !== '_csrf') out[nom] = texte(/value="([^"]*)"/.exec(m[1]!)?.[1] ?? '');
    }
    for (const m of f.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
      out[m[1]!] = texte(m[2]!);
    return out;
  };
  const avenants = async () => (await api(`/api/v1/conventions/${id}/avenants`)).items;

  it('offers to draft the avenant a decision beyond the convention calls for, prefilled from it, and links it once drafted', async () => {
    const liste = await comites();
    const continuer = liste.find((x: { decision: { decision: string } | null }) => x.decision?.decision === 'continue');
    const provisoire = liste.find(
      (x: { decision: { decision: string } | null }) => x.decision?.decision === 'provisoire',
    );
    // 200 000 € granted where the convention allows 10 000 €; two months within its end
    expect(continuer.decision.appelle_avenant).toBe(true);
    expect(provisoire.decision.appelle_avenant).toBe(false);
    expect(continuer).toMatchObject({ avenant_numero: null, avenant: null });
    const lien = `/conventions/${id}/avenants/nouveau?comite=${continuer.id}`;
    const html = await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text();
    expect(html).toContain(`href="${lien}"`);
    expect(html).toContain('Rédiger l’avenant');
    expect(html).not.toContain(`nouveau?comite=${provisoire.id}"`);
    // the team reads that it calls for one, and does not draft it
    const equipe = await (await page(`/conventions/${id}/gouvernance`, 'demo-equipe')).text();
    expect(equipe).toContain('Appelle un avenant');
    expect(equipe).not.toContain('avenants/nouveau?comite=');
    expect((await page(lien, 'demo-equipe')).status).toBe(403);

    const r = await page(lien, 'demo-gestionnaire');
    expect(r.status).toBe(200);
    const formulaire = await r.text();
    const champs = champsAvenant(formulaire);
    // 10 000 € + 200 000 € in the schedule of 2026, AE and CP, and in the maximum; the end stays
    expect(champs).toMatchObject({
      'echeancier.0.annee': '2026',
      'echeancier.0.ae_centimes': '210000',
      'echeancier.0.cp_centimes': '210000',
      total_ae_centimes: '210000',
      date_fin: '2027-12-31',
      'avenant.date_effet': '2026-11-23',
      'avenant.comite': String(continuer.id),
    });
    expect(champs['avenant.objet']).toContain('comité d’investissement du 20 novembre 2026');
    expect(champs['avenant.objet']).toContain('Objectifs atteints');
    expect(formulaire).toContain('Avenant appelé par le comité du 20 novembre 2026');

    // an object left blank: shown again with its message, the committee kept, nothing drafted
    const vide = await poster(`/conventions/${id}/avenants`, { ...champs, 'avenant.objet': ' ' }, 'demo-gestionnaire');
    expect(vide.status).toBe(400);
    const h = await vide.text();
    expect(h).toContain('Indiquez l’objet de l’avenant.');
    expect(champsAvenant(h)['avenant.comite']).toBe(String(continuer.id));
    expect(await avenants()).toEqual([]);
    expect((await comites()).find((x: { id: number }) => x.id === continuer.id).avenant_numero).toBeNull();

    const ok = await poster(`/conventions/${id}/avenants`, champs, 'demo-gestionnaire');
    expect(ok.status, await ok.clone().text()).toBe(303);
    expect(ok.headers.get('location')).toBe(`/conventions/${id}?ok=avenant-1#avenants`);
    const [a] = await avenants();
    expect(a).toMatchObject({ numero: 1, statut: 'brouillon', date_effet: '2026-11-23' });
    expect(a.modifications).toEqual({
      echeancier: [{ annee: 2026, ae_centimes: 21_000_000, cp_centimes: 21_000_000 }],
      total_ae_centimes: 21_000_000,
    });
    expect((await comites()).find((x: { id: number }) => x.id === continuer.id)).toMatchObject({
      avenant_numero: 1,
      avenant: `/api/v1/conventions/${id}/avenants/1`,
    });
    const apres = await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text();
    expect(apres).toContain(`href="/conventions/${id}#avenant-1">avenant n° 1</a>`);
    expect(apres).not.toContain(`href="${lien}"`);
  });

  it('records a decision the decider says calls for an avenant, whose draft waits for the avenant being signed', async () => {
    const prepare = await t.app.request(`/api/v1/conventions/${id}/comites`, {
      method: 'POST',
      headers: t.api('demo-admin'),
      body: JSON.stringify({ date: '2026-11-22' }),
    });
    const cid = (await prepare.json()).id as number;
    const p = `comite-${cid}.`;
    const formDecision = await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text();
    expect(formDecision).toContain(`name="${p}appelle_avenant"`);
    const r = await poster(
      `/conventions/${id}/comites/${cid}/decision`,
      {
        [`${p}decision`]: 'provisoire',
        [`${p}motif`]: 'Le temps de signer l’avenant',
        [`${p}duree_mois`]: '1',
        [`${p}appelle_avenant`]: 'oui',
      },
      'demo-gestionnaire',
    );
    expect(r.status, await r.clone().text()).toBe(303);
    const c = (await comites()).find((x: { id: number }) => x.id === cid);
    expect(c.decision).toMatchObject({ decision: 'provisoire', duree_mois: 1, appelle_avenant: true });
    const lien = `/conventions/${id}/avenants/nouveau?comite=${cid}`;
    expect(await (await page(`/conventions/${id}/gouvernance`, 'demo-gestionnaire')).text()).toContain(
      `href="${lien}"`,
    );
    const champs = champsAvenant(await (await page(lien, 'demo-gestionnaire')).text());
    expect(champs['avenant.objet']).toContain('Prolongation provisoire (un ou deux mois), 1 mois');
    // avenant n° 1 is not signed yet: the next one waits, and the committee stays without its avenant
    const refus = await poster(`/conventions/${id}/avenants`, { ...champs, uo: 'UO-SUITE' }, 'demo-gestionnaire');
    expect(refus.status).toBe(409);
    expect(await refus.text()).toContain('L’avenant n° 1 n’est pas encore signé : signez-le d’abord.');
    expect((await avenants()).map((x: { numero: number }) => x.numero)).toEqual([1]);
    expect((await comites()).find((x: { id: number }) => x.id === cid).avenant_numero).toBeNull();
  });

  it('takes the partner’s evidence of its envelope as a file from its governance page, and shows a wrong file again next to its field', async () => {
    const envoyer = (champs: Record<string, string>, fichier: File | null, user = 'demo-partenaire-justice') => {
      const f = new FormData();
      for (const [k, v] of Object.entries(champs)) f.set(k, v);
      f.set('_csrf', CSRF);
      if (fichier) f.set('fichier', fichier);
      return t.app.request(`/conventions/${selex}/enveloppe`, { method: 'POST', headers: t.as(user), body: f });
    };
    const html = await (await page(`/conventions/${selex}/gouvernance`, 'demo-partenaire-justice')).text();
    expect(html).toContain(`action="/conventions/${selex}/enveloppe" enctype="multipart/form-data"`);
    const avant = await api(`/api/v1/conventions/${selex}/enveloppe`);
    expect(avant.preuve_fichier).toBeNull();
    const mauvais = await envoyer(
      { engage_centimes: '60 000', preuve_url: '' },
      new File(['<html></html>'], 'bon-de-commande.html'),
    );
    expect(mauvais.status).toBe(400);
    const h = await mauvais.text();
    expect(h).toContain('Ce format n’est pas accepté');
    expect(h).toContain('id="f-enveloppe-fichier-erreur"');
    expect(champ(h, 'engage_centimes')).toBe('60 000');
    expect(await api(`/api/v1/conventions/${selex}/enveloppe`)).toEqual(avant);

    const preuve = await pdfDepuisTexte('Bon de commande du cofinancement');
    const ok = await envoyer(
      { engage_centimes: '60 000', preuve_url: '' },
      new File([preuve.slice().buffer], 'bon-de-commande.pdf'),
    );
    expect(ok.status, await ok.clone().text()).toBe(303);
    expect(ok.headers.get('location')).toBe(`/conventions/${selex}/gouvernance?ok=enveloppe#enveloppe`);
    const lue = await api(`/api/v1/conventions/${selex}/enveloppe`);
    expect(lue).toMatchObject({
      montant_centimes: avant.montant_centimes,
      engage_centimes: 6_000_000,
      preuve_url: null,
    });
    expect(lue.preuve_fichier).toMatch(new RegExp(`^/api/v1/conventions/${selex}/pieces/[0-9a-f-]{36}$`));
    const piece = (lue.preuve_fichier as string).replace('/api/v1', '');
    const apres = await (
      await page(`/conventions/${selex}/gouvernance?ok=enveloppe`, 'demo-partenaire-justice')
    ).text();
    expect(apres).toContain(`href="${piece}">preuve jointe</a>`);
    expect(apres).toContain('le fichier déjà joint reste la preuve si vous n’en envoyez pas d’autre');
    expect(new Uint8Array(await (await page(piece, 'demo-partenaire-justice')).arrayBuffer())).toEqual(preuve);
  });
});
