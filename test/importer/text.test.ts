import { describe, expect, it } from 'vitest';
import { Document, normaliser, phrases, plier } from '../../src/importer/text.js';

describe('normaliser', () => {
  it('removes HTML fragments: footnote calls, links, lists, entities', () => {
    expect(normaliser("l'ANSSI<sup>1</sup> ; le 1<sup>er</sup> mars")).toBe("l'ANSSI ; le 1er mars");
    expect(normaliser('sur la page <a href="https://beta.gouv.fr/approche/">https://beta.gouv.fr/approche/</a>.')).toBe(
      'sur la page https://beta.gouv.fr/approche/.',
    );
    expect(normaliser('Obligation :<ul><li>notifier</li><li>alerter</li></ul>Fin')).toBe(
      'Obligation :\n- notifier\n- alerter\nFin',
    );
    expect(normaliser('A &amp; B &laquo;x&raquo; &#233;t&#xE9;')).toBe('A & B «x» été');
    expect(normaliser('voir <https://doc.incubateur.net/>')).toBe('voir https://doc.incubateur.net/');
  });

  it('keeps a list inside a table cell in its cell', () => {
    expect(normaliser('Violation\tObligation : <ul> <li>• Notifier</li> <li>• Agir</li> </ul>\tDéfinition')).toBe(
      'Violation\tObligation : • Notifier • Agir\tDéfinition',
    );
  });

  it('removes Markdown emphasis, headings, links and escapes', () => {
    expect(normaliser('#### **Article 6 : Modification**')).toBe('Article 6 : Modification');
    expect(normaliser('afin de **construire** le *service*')).toBe('afin de construire le service');
    expect(normaliser('[data.gouv.fr](http://data.gouv.fr) et \\*')).toBe('data.gouv.fr et *');
  });

  it('turns pipe tables into tab rows, a blank cell staying empty', () => {
    expect(
      normaliser('| Année | AE | CP |\n|---|:---:|---|\n| 2024 | 110 000 € | 55 000 € |\n| 2025 |  | 55 000 € |'),
    ).toBe('Année\tAE\tCP\n2024\t110 000 €\t55 000 €\n2025\t\t55 000 €');
    expect(normaliser('Année | AE\n--- | ---\n2024 | 0')).toBe('Année\tAE\n2024\t0');
    // a lone pipe in a title is not a table
    expect(normaliser('Convention FAST 15 | seLEXpert')).toBe('Convention FAST 15 | seLEXpert');
  });

  it('replaces normal and narrow no-break spaces, and look-alike Cyrillic letters', () => {
    expect(normaliser('200\u00a0000\u202f€')).toBe('200 000 €');
    expect(normaliser('\tAE\tСР')).toBe('\tAE\tCP');
    expect(normaliser('Аrticle 1 : Оbjet')).toBe('Article 1 : Objet');
  });

  it('moves footnotes to the end and joins a sentence cut by a page header', () => {
    const t = normaliser(
      'Elle est conclue pour une\n\nGOUVERNEMENT\nLiberté\nÉgalité\nFraternité\n\nPage 3 / 8\n\npériode de 6 mois.\n\n¹ https://exemple.fr\n\nFin.',
    );
    expect(t).toBe('Elle est conclue pour une période de 6 mois.\n\nFin.\n\nhttps://exemple.fr');
    expect(normaliser('Texte.\n<sup>2</sup> <https://franceconnect.gouv.fr/>\nSuite')).toBe(
      'Texte.\nSuite\n\nhttps://franceconnect.gouv.fr/',
    );
  });

  it('joins hard-wrapped lines and hyphenated words, not table rows nor sentences', () => {
    expect(normaliser('la délégation de\ngestion est dé-\nlivrée')).toBe('la délégation de gestion est délivrée');
    expect(normaliser('Fin.\nDébut')).toBe('Fin.\nDébut');
    expect(normaliser('2021\t1 €\n2022\t2 €')).toBe('2021\t1 €\n2022\t2 €');
  });

  it('collapses blank lines and spaces, drops invisible characters', () => {
    expect(normaliser('\n\n\na  b\u200b\u00ad c\n\n\n\nd  \n')).toBe('a b c\n\nd');
  });

  it('is idempotent on its own output', () => {
    const once = normaliser("## Titre\n\n| a | b |\n|---|---|\n| 1 |  |\n\nl'ANSSI<sup>1</sup>");
    expect(normaliser(once)).toBe(once);
  });
});

describe('plier and Document', () => {
  it('folds case and accents one unit for one', () => {
    const s = 'Délégataire DÉC. Œuvre «x» 😀';
    expect(plier(s)).toHaveLength(s.length);
    expect(plier('Délégataire DÉC.')).toBe('delegataire dec.');
  });

  it('indexes lines with offsets into the text', () => {
    const d = new Document('ab\n\ncd');
    expect(d.lignes.map((l) => [l.start, l.text])).toEqual([
      [0, 'ab'],
      [3, ''],
      [4, 'cd'],
    ]);
    expect(d.suivante(0)?.text).toBe('cd');
  });

  it('splits sentences at a full stop followed by a capital, not inside URLs or abbreviated months', () => {
    const t = 'Voir beta.gouv.fr. Elle prend fin le 31 DÉC. 2025. Fin';
    expect(phrases(t).map(([a, b]) => t.slice(a, b))).toEqual([
      'Voir beta.gouv.fr.',
      'Elle prend fin le 31 DÉC. 2025.',
      'Fin',
    ]);
  });
});
