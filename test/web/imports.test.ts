import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { documentsStockes, televerser } from '../support/televersement.js';
import { seed } from '../support/contract.js';
import { docxBombe, pdfSansTexte } from '../support/documents.js';
import { LIMITES_DEFAUT } from '../../src/importer/limites.js';
import { analyser } from '../../src/importer/analyse.js';
import { versSaisie } from '../../src/importer/saisie.js';
import { champsDepuisConvention } from '../../src/web/form.js';
import { importerConvention } from '../../src/usecases/document.js';
import { lireConvention } from '../../src/storage/convention.js';
import { listerJournal } from '../../src/storage/journal.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';

const ADMIN = 'demo-admin';
const CSRF = 'a'.repeat(43);
const S004 = '004_dae5c40bbfeb0924.txt';

function envoi(files: Array<[string, Uint8Array | string]>, csrf = true): FormData {
  const fd = new FormData();
  if (csrf) fd.set('_csrf', CSRF);
  for (const [nom, contenu] of files)
    fd.append('fichiers', new File([typeof contenu === 'string' ? contenu : new Uint8Array(contenu)], nom));
  return fd;
}

/** What the importer reads off a text, as the form shows it. */
async function lue(texte: string) {
  const a = await analyser(new TextEncoder().encode(texte), 'lu.txt');
  if (!a.ok) throw new Error('lecture');
  return versSaisie(a.extraction, 'a_verifier');
}

describe.each(DATABASES)('import pages on %s', (kind) => {
  let t: TestApp;
  const documents = () => documentsStockes(t);

  beforeAll(async () => {
    t = await testApp(kind, { bodyLimit: 64 * 1024 });
  });
  afterAll(async () => t?.close());

  it('offers the upload form to managers only', async () => {
    const r = await t.app.request('/imports', { headers: t.as(ADMIN) });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('name="fichiers"');
    expect((await t.app.request('/imports', { headers: t.as(null) })).status).toBe(303);
    expect((await t.app.request('/imports', { headers: t.as('demo-partenaire-justice') })).status).toBe(403);
  });

  it('reads an upload, shows the text with each value highlighted and linked, then accepts it into a convention', async () => {
    const r = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['selexpert.txt', seed(S004)]]),
    });
    expect(r.status).toBe(303);
    const review = r.headers.get('location')!;
    expect(review).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    const docId = review.split('/').pop()!;

    const page = await t.app.request(review, { headers: t.as(ADMIN) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<mark class="lu"');
    expect(html).toContain('id="src-uo"');
    expect(html).toContain('href="#src-uo"');
    expect(html).toContain('href="#src-schedule-1-cp_eur"');
    expect(html).toMatch(/<mark class="lu" title="UO">0352-CFSE-CFIN<\/mark>/);
    expect(html).toContain('>seLEXpert</textarea>');
    expect(html).not.toContain('Points à vérifier');
    // the clauses are on the review form, for the person to check
    expect(html).toMatch(/<textarea[^>]*name="obligations.delegataire"[^>]*>[^<]*inviter La DINUM à y participer/);
    expect(html).toContain('value="le représentant du partenaire-délégataire"');

    // the person corrects the verb the text did not state, and accepts
    const a = await analyser(new TextEncoder().encode(seed(S004)), 'selexpert.txt');
    if (!a.ok) throw new Error('lecture');
    const f = champsDepuisConvention(versSaisie(a.extraction, 'a_verifier'));
    const body = new URLSearchParams({ ...f, objet_verbe: 'accélérer', statut: 'en_vigueur', _csrf: CSRF });
    const ok = await t.app.request(`/imports/${docId}/accepter`, { method: 'POST', headers: t.as(ADMIN), body });
    expect(ok.status).toBe(303);
    const id = ok.headers.get('location')!.match(/\/conventions\/([0-9a-f-]{36})/)![1]!;
    const c = (await lireConvention(t.storage.db, id))!;
    expect(c.statut).toBe('en_vigueur');
    expect(c.objetVerbe).toBe('accélérer');
    expect(c.echeancier).toEqual([
      { annee: 2024, aeCentimes: 11_000_000, cpCentimes: 5_500_000 },
      { annee: 2025, aeCentimes: null, cpCentimes: 5_500_000 },
    ]);
    expect(c.tranches.map((x) => x.partPct)).toEqual([50, 50]);
    expect(c.imputation.centreDeCout).toBe('SEGSSMM075');
    expect(c.cofinancementFastCentimes).toBe(11_000_000);
    // the clauses come with it: committee, FAST promotion, copies, publication, each party's obligations
    expect(c.comite).toEqual({
      periodiciteMois: 6,
      presidence: 'le représentant du partenaire-délégataire',
      invites: 'La DINUM',
    });
    expect(c.promotionFast).toBe('FAST 15');
    expect(c.destinatairesCopie).toBe('CBCM des services du Premier ministre ; CBCM du partenaire-délégataire');
    expect(c.publication).toBe('gouvernement.fr ; data.gouv.fr (par la DINUM)');
    expect(c.obligations).toContainEqual({ partie: 'delegataire', texte: 'inviter La DINUM à y participer' });
    expect(c.obligations).toContainEqual({
      partie: 'delegataire',
      texte: "Équipe du service : travailler au modèle de pérennisation à entamer avec l'appui de la DINUM",
    });
    expect(c.obligations.filter((o) => o.partie === 'delegant')).toHaveLength(4);
    const journal = await listerJournal(t.storage.db, id);
    expect(journal[0]!.action).toBe('import');
    expect(journal[0]!.commentaire).toMatch(
      new RegExp(`^Importée depuis selexpert\\.txt \\(sha256 ${a.document.sha256}\\), vérifiée et acceptée$`),
    );
    const doc = await t.storage.db
      .selectFrom('document')
      .select(['convention_id', 'sha256', 'taille'])
      .where('id', '=', docId)
      .executeTakeFirstOrThrow();
    expect(doc).toEqual({ convention_id: id, sha256: a.document.sha256, taille: a.document.taille });

    const original = await t.app.request(`/imports/${docId}/original`, { headers: t.as(ADMIN) });
    expect(original.status).toBe(200);
    expect(await original.text()).toBe(seed(S004));
  });

  it('refuses to accept what the form leaves invalid, and keeps the person’s input', async () => {
    const r = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['b.txt', `${seed(S004)}\n`]]),
    });
    const docId = r.headers.get('location')!.split('/').pop()!;
    const body = new URLSearchParams({
      'delegant.nom': '',
      'delegataire.nom': 'DINUM',
      role_dinum: 'delegant',
      total_ae_centimes: 'beaucoup',
      _csrf: CSRF,
    });
    const bad = await t.app.request(`/imports/${docId}/accepter`, { method: 'POST', headers: t.as(ADMIN), body });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('La convention n’a pas été acceptée');
    expect(html).toContain('Montant invalide');
    expect(html).toContain('value="beaucoup"');
  });

  it('accepts a convention imported from the command line, awaiting review', async () => {
    const bytes = new TextEncoder().encode(seed('002_3dd1662a2dcbaa88.txt').replace('Mon Suivi Psy', 'Mon Suivi Test'));
    const a = await analyser(bytes, 'psy.txt');
    if (!a.ok) throw new Error('lecture');
    const admin = ACTEURS_DEMO.find((x) => x.id === ADMIN)!;
    const { convention, documentId } = await importerConvention(t.ctx, admin, a, 'a_verifier');
    expect(convention.statut).toBe('a_verifier');
    const list = await (await t.app.request('/imports', { headers: t.as(ADMIN) })).text();
    expect(list).toContain(`/imports/${documentId}`);
    const page = await (await t.app.request(`/imports/${documentId}`, { headers: t.as(ADMIN) })).text();
    expect(page).toContain(`name="version" value="${convention.version}"`);
    const body = new URLSearchParams({
      ...champsDepuisConvention(convention),
      statut: 'en_vigueur',
      version: String(convention.version),
      _csrf: CSRF,
    });
    // the demo portfolio holds this convention already: accepting it again needs a confirmation
    const refus = await t.app.request(`/imports/${documentId}/accepter`, {
      method: 'POST',
      headers: t.as(ADMIN),
      body,
    });
    expect(refus.status).toBe(409);
    const html = await refus.text();
    expect(html).toContain('Cette convention semble déjà enregistrée');
    expect(html).toContain('name="confirmer_doublon"');
    expect(html).toContain('Mon Suivi Test');
    expect((await lireConvention(t.storage.db, convention.id))!.statut).toBe('a_verifier');
    body.set('confirmer_doublon', 'oui');
    const ok = await t.app.request(`/imports/${documentId}/accepter`, { method: 'POST', headers: t.as(ADMIN), body });
    expect(ok.status).toBe(303);
    const c = (await lireConvention(t.storage.db, convention.id))!;
    expect(c.statut).toBe('en_vigueur');
    expect(c.version).toBe(convention.version + 1);
    expect((await listerJournal(t.storage.db, c.id)).map((l) => l.action)).toEqual(['import', 'acceptation', 'import']);
  });

  it('reads several files at once and reports each refusal without stopping the others', async () => {
    const before = await documents();
    // the PDF is read by OCR, which may take more than a second: then the progress page is followed
    const { reponse: r } = await televerser(
      t,
      ADMIN,
      envoi([
        ['a.txt', `${seed(S004)}\n\n`],
        ['vide.txt', ''],
        ['image.pdf', await pdfSansTexte()],
      ]),
    );
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('2 fichiers refusés');
    expect(html).toContain('Le fichier « vide.txt » est vide.');
    expect(html).toContain('reconnaissance de caractères (OCR)');
    expect(html).toContain('Un fichier lu');
    expect(await documents()).toBe(before + 1);
  });

  it.each([
    [
      'a binary',
      'x.txt',
      () => new Uint8Array(2048).map((_, i) => (i * 31) % 256),
      415,
      'n&#39;est pas un texte lisible',
    ],
    ['an empty', 'vide.md', () => new Uint8Array(), 422, 'est vide'],
    ['a PDF without text', 'scan.pdf', () => pdfSansTexte(), 422, 'ne contient pas de texte'],
    ['an old Word file', 'vieux.doc', () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3, 4]), 415, 'Word 97-2003'],
  ])('refuses %s file with a clear French message and stores nothing', async (_k, nom, make, status, message) => {
    const before = await documents();
    const { reponse: r } = await televerser(t, ADMIN, envoi([[nom, await make()]]));
    expect(r.status).toBe(status);
    expect(await r.text()).toContain(message);
    expect(await documents()).toBe(before);
  });

  it('refuses an oversized upload (413) and an upload without a file or without the form token', async () => {
    const before = await documents();
    const big = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['gros.txt', 'a'.repeat(200 * 1024)]]),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('trop volumineux');
    const none = await t.app.request('/imports', { method: 'POST', headers: t.as(ADMIN), body: envoi([]) });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Choisissez au moins un fichier');
    const forged = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['a.txt', seed(S004)]], false),
    });
    expect(forged.status).toBe(403);
    expect(await documents()).toBe(before);
  });

  it('reads an upload in a thread of its own: a zip bomb gets its code while the server answers others', async () => {
    const isole = await testApp(kind, { bodyLimit: 2 * 1024 * 1024, config: { limitesImport: LIMITES_DEFAUT } });
    try {
      // the thread may take more than a second to start: then the progress page is followed
      const envoiBombe = televerser(isole, ADMIN, envoi([['bombe.docx', docxBombe(120)]]));
      // meanwhile, another request is answered
      const autre = await isole.app.request('/imports', { headers: isole.as(ADMIN) });
      expect(autre.status).toBe(200);
      const { reponse: r } = await envoiBombe;
      expect(r.status).toBe(413);
      expect(await r.text()).toContain(
        'Le fichier Word « bombe.docx » est refusé : une fois décompressé, il ferait 120 Mo',
      );
      const { reponse: ok } = await televerser(isole, ADMIN, envoi([['selexpert.txt', seed(S004)]]));
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    } finally {
      await isole.close();
    }
  }, 120_000);

  it('shows a stored convention the upload repeats, and discards a pending import, journalled, on confirmation', async () => {
    const r = await t.app.request('/imports', {
      method: 'POST',
      headers: t.as(ADMIN),
      body: envoi([['encore.txt', `${seed(S004)}\n\n\n`]]),
    });
    expect(r.status).toBe(303);
    const url = r.headers.get('location')!;
    const documentId = url.split('/').pop()!;
    const page = await (await t.app.request(url, { headers: t.as(ADMIN) })).text();
    // the demo portfolio holds the seed's convention: the review names it and links to it
    expect(page).toContain('Cette convention semble déjà enregistrée');
    const bloc = page.slice(page.indexOf('id="doublons"'));
    const lien = /href="\/conventions\/([0-9a-f-]{36})"/.exec(bloc)?.[1];
    const stockee = await lireConvention(t.storage.db, lien ?? '');
    const texte = await lue(seed(S004));
    expect(stockee?.delegant.nom.toLowerCase()).toBe(texte.delegant.nom.toLowerCase());
    expect(stockee?.dateSignature).toBe(texte.dateSignature);
    expect(page).toContain(`action="/imports/${documentId}/ecarter"`);

    const journalAvant = await t.storage.db.selectFrom('journal').select('id').execute();
    const sansConfirmation = await t.app.request(`${url}/ecarter`, {
      method: 'POST',
      headers: t.as(ADMIN),
      body: new URLSearchParams({ _csrf: CSRF, motif: 'Doublon de la convention déjà saisie' }),
    });
    expect(sansConfirmation.status).toBe(400);
    const refus = await sansConfirmation.text();
    expect(refus).toContain('Cochez la case pour confirmer');
    expect(refus).toContain('Doublon de la convention déjà saisie</textarea>');
    expect(await t.storage.db.selectFrom('journal').select('id').execute()).toHaveLength(journalAvant.length);
    expect(await (await t.app.request('/imports', { headers: t.as(ADMIN) })).text()).toContain(url);

    const ecarte = await t.app.request(`${url}/ecarter`, {
      method: 'POST',
      headers: t.as(ADMIN),
      body: new URLSearchParams({ _csrf: CSRF, motif: 'Doublon de la convention déjà saisie', confirmation: 'oui' }),
    });
    expect(ecarte.status).toBe(303);
    expect(ecarte.headers.get('location')).toBe('/imports?ecarte=1');
    const liste = await (await t.app.request('/imports?ecarte=1', { headers: t.as(ADMIN) })).text();
    expect(liste).toContain('L’import a été écarté');
    expect(liste).not.toContain(url);
    const ligne = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('objet_id', '=', documentId)
      .where('action', '=', 'ecart')
      .executeTakeFirstOrThrow();
    expect(ligne.commentaire).toContain('encore.txt');
    expect(ligne.commentaire).toContain('motif : Doublon de la convention déjà saisie');
    // the document stays, as evidence; its page says so and offers nothing to accept
    const apres = await (await t.app.request(url, { headers: t.as(ADMIN) })).text();
    expect(apres).toContain('Import écarté');
    expect(apres).not.toContain('/ecarter"');
    const encore = await t.app.request(`${url}/accepter`, {
      method: 'POST',
      headers: t.as(ADMIN),
      body: new URLSearchParams({
        ...champsDepuisConvention(await lue(seed(S004))),
        _csrf: CSRF,
        confirmer_doublon: 'oui',
      }),
    });
    expect(encore.status).toBe(409);
    expect(await encore.text()).toContain('a été écarté');
  });

  it('discards an import from the command line with the convention awaiting review it gave', async () => {
    const a = await analyser(new TextEncoder().encode(seed(S004).replace(/\n/g, '\r\n')), 'crlf.txt');
    if (!a.ok) throw new Error('lecture');
    const admin = ACTEURS_DEMO.find((x) => x.id === ADMIN)!;
    const { convention, documentId, doublons } = await importerConvention(t.ctx, admin, a, 'a_verifier');
    expect(doublons.length).toBeGreaterThan(0);
    const r = await t.app.request(`/imports/${documentId}/ecarter`, {
      method: 'POST',
      headers: t.as(ADMIN),
      body: new URLSearchParams({ _csrf: CSRF, confirmation: 'oui' }),
    });
    expect(r.status).toBe(303);
    expect(await lireConvention(t.storage.db, convention.id)).toBeNull();
    const ligne = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('objet_id', '=', documentId)
      .where('action', '=', 'ecart')
      .executeTakeFirstOrThrow();
    expect(ligne.convention_id).toBeNull();
    expect(ligne.commentaire).toContain('convention à vérifier');
    expect(ligne.commentaire).toContain('supprimée');
    // an accepted import cannot be discarded
    const b = await analyser(new TextEncoder().encode(`${seed(S004)}\n \n`), 'accepte.txt');
    if (!b.ok) throw new Error('lecture');
    const acceptee = await importerConvention(t.ctx, admin, b, 'en_vigueur', { confirmeDoublon: true });
    const refus = await t.app.request(`/imports/${acceptee.documentId}/ecarter`, {
      method: 'POST',
      headers: t.as(ADMIN),
      body: new URLSearchParams({ _csrf: CSRF, confirmation: 'oui' }),
    });
    expect(refus.status).toBe(409);
    expect(await lireConvention(t.storage.db, acceptee.convention.id)).not.toBeNull();
  });

  it('answers 404 for an unknown document', async () => {
    expect(
      (await t.app.request('/imports/00000000-0000-4000-8000-000000000000', { headers: t.as(ADMIN) })).status,
    ).toBe(404);
    expect((await t.app.request('/imports/pas-un-id', { headers: t.as(ADMIN) })).status).toBe(404);
  });
});
