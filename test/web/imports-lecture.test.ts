import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { SEEDS, seed } from '../support/contract.js';
import { pdfBlanc, pdfNumerise } from '../support/scan.js';
import { LIMITES_DEFAUT } from '../../src/importer/limites.js';
import { documentsStockes, suivreLecture } from '../support/televersement.js';

const ADMIN = 'demo-admin';
const CSRF = 'a'.repeat(43);
// the shortest seed, scanned: two or three pages read by OCR, seconds each
const COURT = [...SEEDS].sort((a, b) => seed(a).length - seed(b).length)[0]!;

function envoi(files: Array<[string, Uint8Array]>): FormData {
  const fd = new FormData();
  fd.set('_csrf', CSRF);
  for (const [nom, contenu] of files) fd.append('fichiers', new File([new Uint8Array(contenu)], nom));
  return fd;
}

describe.each(DATABASES)('the progress of a long reading on %s', (kind) => {
  let t: TestApp;
  let scan: Uint8Array;
  const documents = () => documentsStockes(t);
  const suivre = (url: string) => suivreLecture(t, ADMIN, url);

  beforeAll(async () => {
    // the server's reading: a thread of its own per file, bounded in memory and time
    t = await testApp(kind, { bodyLimit: 4 * 1024 * 1024, config: { limitesImport: LIMITES_DEFAUT } });
    // the standard PDF font cannot draw Cyrillic: the seed's look-alike "СР" is drawn in Latin letters
    scan = await pdfNumerise(seed(COURT).replace(/СР/g, 'CP'));
  }, 60_000);
  afterAll(async () => t?.close());

  it('answers the upload of a scanned PDF with a progress page that reloads itself, page by page, until the review page', async () => {
    const avant = await documents();
    const r = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['scan.pdf', scan]]),
    });
    expect(r.status).toBe(303);
    const url = r.headers.get('location')!;
    expect(url).toMatch(/^\/imports\/lectures\/[A-Za-z0-9_-]{24}$/);

    const page = await t.app.request(url, { headers: t.as(ADMIN) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="2"');
    expect(html).toMatch(/<div class="fr-stepper" id="progression" role="status" aria-live="polite">/);
    expect(html).toContain('« scan.pdf »');
    expect(html).toContain(`href="${url}"`);
    // the reading is the agent's who sent the file: another manager is told it does not exist
    expect((await t.app.request(url, { headers: t.as('demo-gestionnaire') })).status).toBe(404);
    expect((await t.app.request('/imports/lectures/inconnue', { headers: t.as(ADMIN) })).status).toBe(404);

    const { etats, fin } = await suivre(url);
    // the pages read by OCR, one after the other, each in its turn
    const lues = etats.map((e) => /^Page (\d+) sur (\d+) lue$/.exec(e)).filter((m) => m !== null);
    expect(lues.length).toBeGreaterThan(0);
    const total = Number(lues[0]![2]);
    expect(total).toBeGreaterThan(1);
    expect(lues.map((m) => Number(m[1]))).toEqual([...lues.map((m) => Number(m[1]))].sort((a, b) => a - b));
    expect(etats.every((e) => /^(Lecture en cours|Lecture de la page 1 sur \d+|Page \d+ sur \d+ lue)$/.test(e))).toBe(
      true,
    );

    expect(fin.status).toBe(303);
    const review = fin.headers.get('location')!;
    expect(review).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    const verification = await t.app.request(review, { headers: t.as(ADMIN) });
    expect(verification.status).toBe(200);
    expect(await verification.text()).toContain('scan.pdf');
    expect(await documents()).toBe(avant + 1);
    // kept as a reading answered in its request is: a journal line by the agent who sent it
    const ligne = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('objet_id', '=', review.split('/').pop()!)
      .executeTakeFirstOrThrow();
    expect(ligne).toMatchObject({ action: 'depot', acteur_id: ADMIN, objet_type: 'document' });
    // the finished reading still answers its review page, to its agent only
    expect((await t.app.request(url, { headers: t.as(ADMIN) })).headers.get('location')).toBe(review);
    expect((await t.app.request(url, { headers: t.as('demo-gestionnaire') })).status).toBe(404);
  }, 150_000);

  it('shows the importer’s French message when a long reading fails, and keeps nothing', async () => {
    const avant = await documents();
    const r = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['blanc.pdf', await pdfBlanc(2)]]),
    });
    const fin = r.status === 303 ? (await suivre(r.headers.get('location')!)).fin : r;
    expect(fin.status).toBe(422);
    const html = await fin.text();
    expect(html).toContain('Un fichier refusé');
    expect(html).toContain('reconnaissance de caractères (OCR) n&#39;a rien lu sur ses 2 pages');
    expect(await documents()).toBe(avant);
  }, 120_000);
});
