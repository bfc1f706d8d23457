import { describe, expect, it } from 'vitest';
import { analyser } from '../../src/importer/analyse.js';
import { chiffresDesCodes } from '../../src/importer/chorus.js';
import { analyserIsole } from '../../src/importer/isolement.js';
import { SEEDS, champs, expectContract, seed, truth } from '../support/contract.js';
import { pdfBlanc, pdfMixte, pdfNumerise } from '../support/scan.js';

// the shortest seed, scanned end to end: OCR costs seconds per page
const COURT = [...SEEDS].sort((a, b) => seed(a).length - seed(b).length)[0]!;

describe('scanned PDFs, read by OCR', () => {
  it(`reads a scan of ${COURT} into the truth's fields, with the OCR's pages and confidence`, async () => {
    // the standard PDF font cannot draw Cyrillic: the seed's look-alike "СР" is drawn in Latin letters
    const pdf = await pdfNumerise(seed(COURT).replace(/СР/g, 'CP'));
    const progression: string[] = [];
    const a = await analyserIsole(pdf, 'scan.pdf', 'scan.pdf', {
      surOcr: (p) => progression.push(`${p.page}/${p.pages}`),
    });
    if (!a.ok) throw new Error(a.erreur.message);
    expectContract(a.extraction, a.texte);
    const lu = champs(a.extraction as never);
    const attendu = champs(truth(COURT));
    const justes = Object.keys(attendu).filter((k) => JSON.stringify(lu[k]) === JSON.stringify(attendu[k]));
    const faux = Object.keys(attendu).filter((k) => !justes.includes(k) && k !== 'ocr');
    // `ocr` is the one field a scan changes: null in the truth of the text
    expect({ score: justes.length / (Object.keys(attendu).length - 1), faux }).toMatchObject({
      score: expect.toSatisfy((s: number) => s >= 0.9),
    });
    const pages = progression.length;
    expect(pages).toBeGreaterThan(1);
    expect(progression.at(-1)).toBe(`${pages}/${pages}`);
    expect(a.extraction.ocr).toMatchObject({ pages });
    expect(a.extraction.ocr!.mean_confidence).toBeGreaterThan(0);
    expect(a.document.ocr!.map((p) => p.page)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
  }, 90_000);

  it('reads the text page and the scanned page of a mixed PDF, in page order', async () => {
    const a = await analyser(
      await pdfMixte(
        'Convention de délégation de gestion\nArticle 1 : objet de la présente convention',
        'Article 2 : montant\nLe montant total est de 150 000 euros.',
      ),
      'mixte.pdf',
    );
    if (!a.ok) throw new Error(a.erreur.message);
    expect(a.document.ocr?.map((p) => p.page)).toEqual([2]);
    expect(a.extraction.ocr).toMatchObject({ pages: 1 });
    const t = a.document.texte;
    expect(t).toContain('Article 1 : objet de la présente convention');
    expect(t).toContain('Le montant total est de 150 000 euros.');
    expect(t.indexOf('Article 1')).toBeLessThan(t.indexOf('Article 2'));
  }, 30_000);

  it('refuses a scan of blank pages with a stable code and a French message', async () => {
    const a = await analyser(await pdfBlanc(2), 'blanc.pdf');
    expect(a.ok).toBe(false);
    if (a.ok) return;
    expect(a.erreur.code).toBe('PDF_SANS_TEXTE');
    expect(a.erreur.message).toMatch(/reconnaissance de caractères \(OCR\) n'a rien lu sur ses 2 pages/);
  }, 30_000);

  it('refuses more scanned pages than the setting allows, before reading them', async () => {
    const a = await analyser(await pdfBlanc(3), 'gros.pdf', 'gros.pdf', { limites: { ocrPagesMax: 2 } });
    expect(a).toMatchObject({ ok: false, erreur: { code: 'PDF_TROP_VOLUMINEUX' } });
  });
});

describe('digits of Chorus codes read by OCR', () => {
  it.each([
    ['O3l0-SGAL-SSIC', '0310-SGAL-SSIC'],
    ['0352-O1-0l', '0352-01-01'],
    ['03520001O1Ol', '035200010101'],
    ['2lO3456B89,', '2103456889,'],
    ['(0l29-C00l-DINUM)', '(0129-C00l-DINUM)'],
    ['SGSIFABO75', 'SGSIFAB075'],
    ['DINUM2O26', 'DINUM2026'],
    ['BOP-SSIC', 'BOP-SSIC'],
    ['BOOO', 'BOOO'],
    ['Sous-direction', 'Sous-direction'],
    ['SOLIDES', 'SOLIDES'],
    ['Ollioules', 'Ollioules'],
  ])('reads %s as %s', (lu, attendu) => {
    expect(chiffresDesCodes(lu)).toBe(attendu);
  });
});
