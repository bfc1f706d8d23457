import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { seed } from '../support/contract.js';

/**
 * Input no field may hold is the client's error, never a 500, and changes nothing: a malformed escape in
 * the address, a NUL byte or a lone UTF-16 surrogate in a JSON text (refused, naming the field), the same
 * in a form (dropped).
 */
describe.each(DATABASES)('hostile input on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => t?.close());

  const nombre = async () =>
    Number(
      (
        await t.storage.db
          .selectFrom('convention')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers a malformed percent-escape with a 400, logged in or not, page or API', async () => {
    for (const chemin of ['/conventions/%ZZ', '/conventions/%E0%A4%A/credits', '/api/v1/conventions/%ZZ/rapport']) {
      const anonyme = await t.app.request(chemin);
      expect(anonyme.status, chemin).toBe(400);
      const connecte = await t.app.request(chemin, {
        headers: chemin.startsWith('/api/') ? t.api('demo-admin') : t.as('demo-admin'),
      });
      expect(connecte.status, chemin).toBe(400);
      if (chemin.startsWith('/api/')) expect((await connecte.json()).code).toBe('URL_INVALIDE');
      else expect(await connecte.text()).toContain('L’adresse demandée est mal formée');
    }
  });

  it('refuses a NUL byte or a lone surrogate in any JSON text, naming the field, and writes nothing', async () => {
    const avant = await nombre();
    const corps = (reference: string, produit: string) =>
      `{"reference":"${reference}","role_dinum":"delegataire","delegant":{"nom":"Ministère"},"delegataire":{"nom":"DINUM"},"produits":["${produit}"]}`;
    for (const [texte, champ] of [
      [corps('NUL\\u0000', 'Produit'), 'reference'],
      [corps('Surrogat', 'Produit \\ud800'), 'produits.0'],
      [corps('Surrogat bas', '\\udc00 seul'), 'produits.0'],
    ] as const) {
      const r = await t.app.request('/api/v1/conventions', {
        method: 'POST',
        headers: t.api('demo-admin'),
        body: texte,
      });
      expect(r.status, texte).toBe(400);
      const b = await r.json();
      expect(b.code).toBe('DONNEES_INVALIDES');
      expect(b.details.erreurs.map((e: { champ: string }) => e.champ)).toEqual([champ]);
    }
    // a surrogate pair is a character like another
    const paire = await t.app.request('/api/v1/conventions', {
      method: 'POST',
      headers: t.api('demo-admin'),
      body: corps('EMOJI-\\ud83d\\ude00', 'Produit'),
    });
    expect(paire.status, await paire.clone().text()).toBe(201);
    expect(await nombre()).toBe(avant + 1);
  });

  it('drops a NUL byte typed into a form', async () => {
    const liste = await (
      await t.app.request('/api/v1/conventions?q=seLEXpert', { headers: t.api('demo-admin') })
    ).json();
    const id = liste.items[0].id as string;
    const r = await t.app.request(`/conventions/${id}/rapport`, {
      method: 'POST',
      headers: t.as('demo-partenaire-justice', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form({ avancement: 'Avan\u0000cement', previsions: 'Prévisions' }).toString(),
    });
    expect(r.status).toBe(303);
    const rapport = await (
      await t.app.request(`/api/v1/conventions/${id}/rapport`, { headers: t.api('demo-admin') })
    ).json();
    expect(rapport.avancement).toBe('Avancement');
  });

  it('shows the review of a document with absurd amounts, refuses to accept it, and writes no convention', async () => {
    // the sums of the signed text made absurd: the first with more digits than a number holds exactly, the
    // others past the largest amount the product keeps
    let n = 0;
    const texte = seed('004_dae5c40bbfeb0924.txt').replace(/\d{1,3}(?: \d{3})+(?:,\d{2})? ?€/g, () =>
      n++ === 0 ? '999 999 999 999 999 999 999 €' : '999 999 999 999 €',
    );
    const fd = new FormData();
    fd.set('_csrf', 'a'.repeat(43));
    fd.append('fichiers', new File([texte], 'absurde.txt'));
    const envoi = await t.app.request('/imports', { method: 'POST', headers: t.as('demo-admin'), body: fd });
    expect(envoi.status).toBe(303);
    const revue = envoi.headers.get('location')!;
    const page = await t.app.request(revue, { headers: t.as('demo-admin') });
    expect(page.status).toBeLessThan(500);
    const html = await page.text();
    expect(html.includes('Erreur du service')).toBe(false);
    const avant = await nombre();
    const champs = new URLSearchParams({ _csrf: 'a'.repeat(43) });
    for (const m of html.matchAll(/<input\b[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) champs.set(m[1]!, m[2]!);
    champs.set('_csrf', 'a'.repeat(43));
    const acceptation = await t.app.request(`${revue}/accepter`, {
      method: 'POST',
      headers: t.as('demo-admin', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: champs.toString(),
    });
    expect(acceptation.status).toBeGreaterThanOrEqual(400);
    expect(acceptation.status).toBeLessThan(500);
    expect(await nombre()).toBe(avant);
  });
});
