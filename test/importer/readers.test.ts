import { describe, expect, it } from 'vitest';
import { analyser } from '../../src/importer/analyse.js';
import { ImportError } from '../../src/importer/limites.js';
import { decoderTexte, htmlVersTexte, lireFichier } from '../../src/importer/readers.js';
import { champsEssentiels, expectContract, SEEDS, seed, truth } from '../support/contract.js';
import { docxBombe, docxDepuisTexte, pdfDepuisTexte, pdfGonfle, pdfSansTexte } from '../support/documents.js';

async function refus(bytes: Uint8Array, nom: string, opts = {}): Promise<ImportError> {
  try {
    await lireFichier(bytes, nom, opts);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('aucun refus');
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('text files', () => {
  it('reads UTF-8 with a BOM, and Windows-1252', async () => {
    expect((await lireFichier(enc('\ufeffDélégant'), 'a.txt')).texte).toBe('Délégant');
    expect(decoderTexte(new Uint8Array([0x44, 0xe9, 0x6c, 0xe9, 0x67, 0x61, 0x6e, 0x74, 0x20, 0x80]), 'a.txt')).toBe(
      'Délégant €',
    );
    const md = await lireFichier(enc('# Titre'), 'a.md');
    expect(md).toMatchObject({ format: 'markdown', mediaType: 'text/markdown', taille: 7 });
    expect(md.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an empty, blank, binary or oversized file with a specific code and a French message', async () => {
    expect(await refus(new Uint8Array(), 'vide.txt')).toMatchObject({
      code: 'FICHIER_VIDE',
      message: 'Le fichier « vide.txt » est vide.',
    });
    expect((await refus(enc(' \n\t\n'), 'blanc.txt')).code).toBe('FICHIER_VIDE');
    const bin = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(await refus(bin, 'x.txt')).toMatchObject({ code: 'FICHIER_BINAIRE' });
    expect((await refus(bin, 'x.txt')).message).toMatch(/n'est pas un texte lisible/);
    const big = await refus(enc('a'.repeat(2000)), 'gros.txt', { tailleMax: 1000 });
    expect(big.code).toBe('FICHIER_TROP_GROS');
    expect(big.message).toMatch(/la limite est de/);
  });

  it('refuses Word 97, images and other archives, saying what to do', async () => {
    expect(await refus(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'a.doc')).toMatchObject({
      code: 'FORMAT_NON_PRIS_EN_CHARGE',
    });
    expect((await refus(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'a.doc')).message).toMatch(
      /enregistrez-le en \.docx ou en PDF/,
    );
    expect((await refus(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]), 'scan.png')).message).toMatch(/OCR/);
    expect((await refus(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'a.zip')).code).toBe(
      'FORMAT_NON_PRIS_EN_CHARGE',
    );
    expect((await refus(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'a.docx')).code).toBe('DOCX_ILLISIBLE');
  });
});

describe('PDF', () => {
  it.each(SEEDS)('reads the text layer of %s into the same fields', async (name) => {
    // the standard PDF font cannot draw Cyrillic: the seed's look-alike "СР" is drawn in Latin letters
    const pdf = await pdfDepuisTexte(seed(name).replace(/СР/g, 'CP'));
    const a = await analyser(pdf, name.replace('.txt', '.pdf'));
    if (!a.ok) throw new Error(a.erreur.message);
    expect(a.document).toMatchObject({ format: 'pdf', mediaType: 'application/pdf' });
    expectContract(a.extraction, a.texte);
    expect(champsEssentiels(a.extraction as never)).toEqual(champsEssentiels(truth(name)));
  });

  it('turns wide gaps into table cells', async () => {
    const doc = await lireFichier(
      await pdfDepuisTexte('Échéancier\n\tAE\tCP\n2024\t110 000 €\t\n2025\t0\t55 000 €'),
      'e.pdf',
    );
    expect(doc.texte.split('\n').slice(1)).toEqual(['\tAE\tCP', '2024\t110 000 €', '2025\t0\t55 000 €']);
  });

  it('refuses a PDF without a text layer, and a damaged one', async () => {
    expect(await refus(await pdfSansTexte(), 'scan.pdf')).toMatchObject({ code: 'PDF_SANS_TEXTE' });
    expect((await refus(await pdfSansTexte(), 'scan.pdf')).message).toMatch(/reconnaissance de caractères \(OCR\)/);
    expect((await refus(enc("%PDF-1.7\nceci n'est pas un PDF"), 'casse.pdf')).code).toBe('PDF_ILLISIBLE');
  });
});

describe('Word (.docx)', () => {
  it.each(SEEDS)('reads paragraphs and tables of %s into the same fields', async (name) => {
    const docx = await docxDepuisTexte(seed(name));
    const a = await analyser(docx, name.replace('.txt', '.docx'));
    if (!a.ok) throw new Error(a.erreur.message);
    expect(a.document.format).toBe('docx');
    expectContract(a.extraction, a.texte);
    expect(champsEssentiels(a.extraction as never)).toEqual(champsEssentiels(truth(name)));
  });

  it('keeps table cells, blank ones included, on one tab-separated line', () => {
    expect(
      htmlVersTexte(
        '<p>Avant</p><table><tr><td><p>2025</p></td><td></td><td><p>55 000</p><p>€</p></td></tr></table><p>Après</p>',
      ),
    ).toBe('Avant\n\n2025\t\t55 000 €\nAprès\n');
  });
});

describe('hostile files are refused before they are inflated', () => {
  it('a zip bomb .docx gets DOCX_TROP_VOLUMINEUX', async () => {
    const bombe = docxBombe(120);
    expect(bombe.length).toBeLessThan(1024 * 1024);
    const e = await refus(bombe, 'bombe.docx');
    expect(e.code).toBe('DOCX_TROP_VOLUMINEUX');
    expect(e.message).toMatch(/^Le fichier Word « bombe\.docx » est refusé : une fois décompressé, il ferait 120 Mo/);
    // a lying central directory is caught by the bounded inflation
    expect((await refus(bombe, 'bombe.docx', { limites: { docxDecompresseMax: 10 * 1024 * 1024 } })).code).toBe(
      'DOCX_TROP_VOLUMINEUX',
    );
  });

  it('a PDF whose stream inflates beyond the limit gets PDF_TROP_VOLUMINEUX; too many pages too', async () => {
    const e = await refus(pdfGonfle(60), 'gonfle.pdf', { limites: { pdfDecompresseMax: 50 * 1024 * 1024 } });
    expect(e.code).toBe('PDF_TROP_VOLUMINEUX');
    expect(e.message).toMatch(/ses contenus décompressés dépassent 50 Mo/);
    const pages = await refus(await pdfDepuisTexte(seed(SEEDS[0]!)), 'long.pdf', { limites: { pdfPagesMax: 1 } });
    expect(pages.code).toBe('PDF_TROP_VOLUMINEUX');
    expect(pages.message).toMatch(/il a \d+ pages \(au plus 1\)/);
  });
});
