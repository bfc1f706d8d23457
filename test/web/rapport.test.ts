import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ouvrirSession } from '../../src/usecases/acces.js';
import { CSRF, form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { textePdf, texteDocx } from '../support/lecture.js';

/**
 * The end-of-term report through the API and the pages: the délégataire writes it, the DINUM reviews it,
 * it is sent once the convention has ended, and only then may the convention be closed. The clock moves
 * from September, while the convention runs, to November, after its end on 31 October.
 */

const DINUM = '13002526500013';
const JUSTICE = '11000201100044';
const PARTENAIRE = 'demo-partenaire-justice';

const aplatir = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.each(DATABASES)('the end-of-term report on %s', (kind) => {
  let t: TestApp;
  let jour = '2026-09-15';
  let id: string;
  let ouvert: string;
  beforeAll(async () => {
    t = await testApp(kind, { now: () => new Date(`${jour}T10:00:00Z`) });
  });
  afterAll(async () => t?.close());

  const envoyer = (method: string, path: string, body: unknown, user: string) =>
    t.app.request(path, { method, headers: t.api(user), body: JSON.stringify(body) });
  const post = (path: string, body: unknown, user = PARTENAIRE) => envoyer('POST', path, body, user);
  const lire = async (path: string, user = PARTENAIRE) => {
    const r = await t.app.request(path, { headers: t.api(user) });
    expect(r.status, path).toBe(200);
    return r.json();
  };
  const rapport = () => lire(`/api/v1/conventions/${id}/rapport`);
  const journal = async () =>
    (
      await t.storage.db
        .selectFrom('journal')
        .select(['action'])
        .where('convention_id', '=', id)
        .where('objet_type', '=', 'rapport_fin')
        .orderBy('id')
        .execute()
    ).map((l) => l.action);
  /** a browser's headers, its session opened on the day it acts */
  const navigateur = async (user: string, extra: Record<string, string> = {}) => ({
    cookie: `delegations_csrf=${CSRF}; delegations_session=${(await ouvrirSession(t.ctx, user)).jeton}`,
    ...extra,
  });

  it('is written, reviewed once, refused before the term, then sent; the convention closes only after', async () => {
    const c = await post(
      '/api/v1/conventions',
      {
        reference: 'RAPPORT-1',
        role_dinum: 'delegant',
        delegant: { nom: 'DINUM', siret: DINUM },
        delegataire: { nom: 'DNUM du ministère de la Justice', siret: JUSTICE },
        produits: ['Service du rapport'],
        echeancier: [{ annee: 2026, ae_centimes: 10_000_000, cp_centimes: 10_000_000 }],
        total_ae_centimes: 10_000_000,
        statut: 'en_vigueur',
        date_signature: '2026-01-10',
        date_fin: '2026-10-31',
      },
      'demo-gestionnaire',
    );
    expect(c.status, await c.clone().text()).toBe(201);
    id = (await c.json()).id;
    const commande = async (montant: number, date: string) => {
      const r = await post(`/api/v1/conventions/${id}/engagements`, {
        annee: 2026,
        montant_centimes: montant,
        objet: 'Développement',
        titulaire: 'Octo',
        date_engagement: date,
        numero: `EJ-${montant}`,
      });
      expect(r.status, await r.clone().text()).toBe(201);
      return (await r.json()).id as string;
    };
    const paye = await commande(1_000_000, '2026-09-01');
    const sf = await post(`/api/v1/conventions/${id}/engagements/${paye}/services-faits`, {
      total: true,
      date: '2026-09-10',
    });
    expect(sf.status, await sf.clone().text()).toBe(201);
    const p = await post(`/api/v1/conventions/${id}/engagements/${paye}/paiements`, {
      montant_centimes: 1_000_000,
      reference: 'F-1',
      date: '2026-09-12',
    });
    expect(p.status, await p.clone().text()).toBe(201);
    ouvert = await commande(500_000, '2026-09-14');

    // drafted from the data
    const vide = await rapport();
    expect(vide).toMatchObject({ etat: 'a_rediger', echeance: '2026-10-31', avancement: '', previsions: '' });
    expect(vide.annees).toEqual([
      {
        annee: 2026,
        ae: expect.objectContaining({ mis_a_disposition: 10_000_000, engage: 1_500_000 }),
        cp: expect.objectContaining({ certifie: 1_000_000, paye: 1_000_000 }),
      },
    ]);
    expect(vide.engagements.map((e: { numero: string; etat: string }) => [e.numero, e.etat])).toEqual([
      ['EJ-1000000', 'paye'],
      ['EJ-500000', 'engage'],
    ]);

    // the délégataire writes; the délégant partner may not, nor review
    const sections = { avancement: 'Service livré.\n\nMesuré en septembre.', previsions: 'Aucune commande.' };
    const etranger = await envoyer('PUT', `/api/v1/conventions/${id}/rapport`, sections, 'demo-partenaire-sociaux');
    expect(etranger.status).toBe(404);
    const inconnu = await envoyer('PUT', `/api/v1/conventions/${id}/rapport`, { ...sections, x: 1 }, PARTENAIRE);
    expect(inconnu.status).toBe(400);
    expect(await journal()).toEqual([]);
    const ecrit = await envoyer('PUT', `/api/v1/conventions/${id}/rapport`, sections, PARTENAIRE);
    expect(ecrit.status, await ecrit.clone().text()).toBe(200);
    expect(await ecrit.json()).toMatchObject({ etat: 'redige', ...sections, redige_par: expect.any(String) });
    expect((await post(`/api/v1/conventions/${id}/rapport/relecture`, {})).status).toBe(403);

    // two reviewers at once: one review
    const [a, b] = await Promise.all([
      post(`/api/v1/conventions/${id}/rapport/relecture`, {}, 'demo-gestionnaire'),
      post(`/api/v1/conventions/${id}/rapport/relecture`, {}, 'demo-admin'),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await (a.status === 409 ? a : b).json()).code).toBe('RAPPORT_DEJA_RELU');
    expect(await journal()).toEqual(['rapport_fin_redaction', 'rapport_fin_relecture']);

    // not before the term, and nothing changes
    const tot = await post(`/api/v1/conventions/${id}/rapport/envoi`, { date: '2026-09-15', destinataires: 'DINUM' });
    expect(tot.status).toBe(409);
    expect(await tot.json()).toMatchObject({ code: 'RAPPORT_AVANT_TERME', details: { fin_effective: '2026-10-31' } });
    expect(await rapport()).toMatchObject({ etat: 'relu', envoye_le: null });

    // after the end: closing waits for the open order, then for the report
    jour = '2026-11-23';
    const cloture = () => post(`/api/v1/conventions/${id}/cloture`, { motif: 'Fin' }, 'demo-gestionnaire');
    const ouverte = await cloture();
    expect(ouverte.status).toBe(409);
    expect(await ouverte.json()).toMatchObject({
      code: 'CLOTURE_ENGAGEMENTS_OUVERTS',
      details: { engagements: ['EJ-500000'] },
    });
    const annule = await post(`/api/v1/conventions/${id}/engagements/${ouvert}/annulation`, { motif: 'Non réalisé' });
    expect(annule.status, await annule.clone().text()).toBe(200);
    const sansRapport = await cloture();
    expect(sansRapport.status).toBe(409);
    expect((await sansRapport.json()).code).toBe('CLOTURE_SANS_RAPPORT');
    expect((await lire(`/api/v1/conventions/${id}`)).statut).toBe('en_vigueur');

    // a change after the review asks for a new one
    const revu = await envoyer(
      'PUT',
      `/api/v1/conventions/${id}/rapport`,
      { ...sections, previsions: 'Aucune commande ; 85 000 € restitués.' },
      PARTENAIRE,
    );
    expect(await revu.json()).toMatchObject({ etat: 'redige', relu_le: null });
    expect(
      (await post(`/api/v1/conventions/${id}/rapport/envoi`, { date: '2026-11-23', destinataires: 'DINUM' })).status,
    ).toBe(409);
    expect((await post(`/api/v1/conventions/${id}/rapport/relecture`, {}, 'demo-gestionnaire')).status).toBe(201);

    // sending: a date in the future, no recipient, then sent
    const futur = await post(`/api/v1/conventions/${id}/rapport/envoi`, { date: '2026-11-24', destinataires: 'DINUM' });
    expect(futur.status).toBe(400);
    expect((await futur.json()).details.erreurs.map((e: { champ: string }) => e.champ)).toEqual(['date']);
    expect(
      (await post(`/api/v1/conventions/${id}/rapport/envoi`, { date: '2026-11-23', destinataires: ' ' })).status,
    ).toBe(400);
    const envoye = await post(`/api/v1/conventions/${id}/rapport/envoi`, {
      date: '2026-11-23',
      destinataires: 'Bureau budgétaire de la DINUM',
    });
    expect(envoye.status, await envoye.clone().text()).toBe(201);
    expect(await envoye.json()).toMatchObject({
      etat: 'envoye',
      envoye_le: '2026-11-23',
      destinataires: 'Bureau budgétaire de la DINUM',
    });
    const apres = await envoyer('PUT', `/api/v1/conventions/${id}/rapport`, sections, PARTENAIRE);
    expect(apres.status).toBe(409);
    expect((await apres.json()).code).toBe('RAPPORT_ENVOYE');
    expect((await rapport()).previsions).toBe('Aucune commande ; 85 000 € restitués.');

    expect((await cloture()).status).toBe(200);
    expect((await lire(`/api/v1/conventions/${id}`)).statut).toBe('cloturee');
    const clos = await envoyer('PUT', `/api/v1/conventions/${id}/rapport`, sections, PARTENAIRE);
    expect((await clos.json()).code).toBe('RAPPORT_HORS_CYCLE');
    expect(await journal()).toEqual([
      'rapport_fin_redaction',
      'rapport_fin_relecture',
      'rapport_fin_redaction',
      'rapport_fin_relecture',
      'rapport_fin_envoi',
    ]);
  });

  it('generates the demo seLEXpert report as DOCX and PDF, with the year totals the credits page shows', async () => {
    const liste = await lire('/api/v1/conventions?q=seLEXpert', 'demo-gestionnaire');
    const selex = liste.items[0].id as string;
    const page = await (
      await t.app.request(`/conventions/${selex}/credits`, { headers: await navigateur(PARTENAIRE) })
    ).text();
    // each year's row of the credits table: AE engagées, service fait and CP payés, as the page writes them
    const lignes = [...page.matchAll(/<tr[^>]*>\s*<th scope="row"><a[^>]*>(\d{4})<\/a><\/th>(.*?)<\/tr>/gs)].map(
      (m) => ({
        annee: m[1]!,
        cellules: [...m[2]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => aplatir(c[1]!.replace(/<[^>]+>/g, ''))),
      }),
    );
    expect(lignes.length).toBeGreaterThan(0);
    const attendus = lignes.flatMap((l) => [l.cellules[2]!, l.cellules[3]!, l.cellules[7]!]);
    expect(
      attendus.some((x) => /[1-9]/.test(x)),
      attendus.join(' | '),
    ).toBe(true);

    for (const format of ['docx', 'pdf'] as const) {
      const r = await t.app.request(`/api/v1/conventions/${selex}/rapport.${format}`, { headers: t.api(PARTENAIRE) });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-modele-document')).toBe('rapport-v1');
      const octets = await r.arrayBuffer();
      const texte = format === 'docx' ? await texteDocx(octets) : await textePdf(octets);
      expect(texte).toContain('Compte rendu de fin de convention');
      expect(texte).toContain('À compléter par le délégataire.');
      for (const l of lignes) expect(texte).toContain(l.annee);
      for (const x of attendus) expect(texte, `${format} : ${x}`).toContain(x);
    }
    const etranger = await t.app.request(`/api/v1/conventions/${selex}/rapport.pdf`, {
      headers: t.api('demo-partenaire-sociaux'),
    });
    expect(etranger.status).toBe(404);
  });

  it('works as a page without JavaScript: an error keeps what was typed, a refusal says why', async () => {
    const liste = await lire('/api/v1/conventions?q=seLEXpert', 'demo-gestionnaire');
    const selex = liste.items[0].id as string;
    const envoyerForm = async (chemin: string, champs: Record<string, string>, user: string) =>
      t.app.request(`/conventions/${selex}/${chemin}`, {
        method: 'POST',
        headers: await navigateur(user, { 'content-type': 'application/x-www-form-urlencoded' }),
        body: form(champs).toString(),
      });
    const fiche = await (
      await t.app.request(`/conventions/${selex}`, { headers: await navigateur(PARTENAIRE) })
    ).text();
    expect(fiche).toContain(`href="/conventions/${selex}/rapport"`);
    const vide = await (
      await t.app.request(`/conventions/${selex}/rapport`, { headers: await navigateur(PARTENAIRE) })
    ).text();
    expect(vide).toContain('À rédiger');
    expect(vide).toContain('name="avancement"');
    expect(vide).not.toContain('action="/conventions/' + selex + '/rapport/relecture"');

    const long = await envoyerForm(
      'rapport',
      { avancement: `Étape franchie. ${'x'.repeat(20_000)}`, previsions: 'Suite' },
      PARTENAIRE,
    );
    expect(long.status).toBe(400);
    const html = await long.text();
    expect(html).toContain('dépasse 20');
    expect(html).toContain('Étape franchie.');
    expect(html).toContain('aria-invalid="true"');
    expect((await rapport()).etat).toBe('envoye'); // the other convention's report, untouched

    const ok = await envoyerForm(
      'rapport',
      { avancement: 'Étape franchie.\nDeux lignes.', previsions: 'Suite' },
      PARTENAIRE,
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/conventions/${selex}/rapport?ok=rapport_redige`);
    const redige = await (
      await t.app.request(ok.headers.get('location')!, { headers: await navigateur('demo-gestionnaire') })
    ).text();
    expect(redige).toContain('Le compte rendu de fin est enregistré.');
    expect(redige).toContain('Étape franchie.\nDeux lignes.');
    expect(redige).toContain(`action="/conventions/${selex}/rapport/relecture"`);
    expect((await envoyerForm('rapport/relecture', {}, 'demo-gestionnaire')).status).toBe(303);

    // seLEXpert runs on: sending is refused, with what was typed kept
    const tot = await envoyerForm('rapport/envoi', { date: '2026-11-23', destinataires: 'Bureau FAST' }, PARTENAIRE);
    expect(tot.status).toBe(409);
    const refus = await tot.text();
    expect(refus).toContain('Opération refusée');
    expect(refus).toContain('s’envoie au terme de la convention');
    expect(refus).toContain('value="Bureau FAST"');
  });
});
