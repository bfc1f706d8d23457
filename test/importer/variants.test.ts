import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraire, type Extraction } from '../../src/importer/extract.js';
import { champs, expectContract, seed, truth } from '../support/contract.js';

const S000 = '000_81a0a8a1b45d4781.txt';
const S002 = '002_3dd1662a2dcbaa88.txt';
const S004 = '004_dae5c40bbfeb0924.txt';

function lire(text: string): Extraction {
  const { extraction, texte } = extraire(text, 'variante');
  expectContract(extraction, texte);
  return extraction;
}

function remplacer(text: string, pairs: Array<[string | RegExp, string]>): string {
  let out = text;
  for (const [a, b] of pairs) {
    const before = out;
    out = typeof a === 'string' ? out.split(a).join(b) : out.replace(a, b);
    if (out === before) throw new Error(`variante sans effet : ${String(a)}`);
  }
  return out;
}

describe('variants of the seeds: the extractor follows the text, not the seed', () => {
  it('renamed parties, other amounts, codes, dates and duration (seed 000)', () => {
    const t = remplacer(seed(S000), [
      ['Le Ministère de la justice**', "Le Ministère de l'Agriculture et de la Souveraineté alimentaire**"],
      ['13 place Vendôme, 75001 Paris', '78 rue de Varenne, 75007 Paris'],
      ['Représentée par : Anne-Florence Canton', 'Représentée par : Jeanne Martin, secrétaire générale'],
      ['Mon Suivi Justice', 'Ma Ferme Connectée'],
      ['**construire**', '**investiguer**'],
      ['0310-SGAL-SSIC', '0206-DGAL-SIAL'],
      ['200 000€', '345 500 €'],
      ['0310ACAE0602', '0206ACAE0101'],
      ['SEGSSM075', 'AGRI075'],
      ['période de 6 mois', 'période de neuf mois'],
      ['préavis de trois mois', 'préavis de deux mois'],
      ['tous les six mois', 'tous les quatre mois'],
      ['Fait à Paris, le 31/03/2021', 'Fait à Paris, le 15 juin 2022'],
      ["la phase d'accélération du service", 'la phase de consolidation du service'],
    ]);
    const x = lire(t);
    expect(x.delegant).toMatchObject({
      name: "Le Ministère de l'Agriculture et de la Souveraineté alimentaire",
      address: '78 rue de Varenne, 75007 Paris',
      representative: 'Jeanne Martin, secrétaire générale',
    });
    expect(x.dinum_role).toBe('delegataire');
    expect(x.service_name).toBe('Ma Ferme Connectée');
    expect(x.object_verb).toBe('investiguer');
    expect(x.phase).toBe('consolidation');
    expect(x.uo).toBe('0206-DGAL-SIAL');
    expect(x.chorus).toMatchObject({
      centre_financier: '0206-DGAL-SIAL',
      activite: '0206ACAE0101',
      centre_de_cout: 'AGRI075',
    });
    expect(x.schedule).toEqual([{ year: 2021, ae_eur: 345500, cp_eur: 345500 }]);
    expect(x.total_ae_eur).toBe(345500);
    expect(x.signature_date).toBe('2022-06-15');
    expect(x.duration_months).toBe(9);
    expect(x.end_date).toBe('2023-03-15');
    expect(x.notice_months).toBe(2);
    expect(x.committee_period_months).toBe(4);
    expect(x.warnings).toEqual([]);
  });

  it('party blocks in the other order: the roles follow the labels, not the position (seed 000)', () => {
    const text = seed(S000);
    const a = text.indexOf('**Le Ministère de la justice**');
    const et = text.indexOf('\nEt\n');
    const b = text.indexOf('Vu le décret 2004-1085');
    const bloc1 = text.slice(a, et);
    const bloc2 = text.slice(et + 4, b);
    const t = `${text.slice(0, a)}${bloc2.trim()}\n\nEt\n\n${bloc1.trim()}\n\n${text.slice(b)}`;
    const x = lire(t);
    expect(champs(x as never)).toEqual(champs(truth(S000)));
  });

  it('Markdown pipe tables, narrow no-break spaces and Cyrillic look-alikes (seed 004)', () => {
    const t = remplacer(seed(S004), [
      [
        '\tAE\tCP\n2024\t110 000 €\t55 000 €\n2025\t\t55 000 €',
        '| Année | AE | CP |\n|---|---|---|\n| 2024 | 110\u202f000\u00a0€ | 55\u202f000 € |\n| 2025 |  | 55\u202f000 € |',
      ],
      ['Article 6 : Durée', 'Аrticle 6 : Durée'],
      ['Centre financier :\t0352-CFSE-CFIN', 'Centre financier :\t0352-СFSE-CFIN'],
    ]);
    expect(champs(lire(t) as never)).toEqual(champs(truth(S004)));
  });

  it('a page header and page number in the middle of a sentence (seed 000)', () => {
    const t = remplacer(seed(S000), [
      [
        'Elle est conclue pour une période de 6 mois.',
        'Elle est conclue pour une\n\nGOUVERNEMENT\n\nLiberté\nÉgalité\nFraternité\n\n- 4 -\n\npériode de 6 mois.',
      ],
    ]);
    expect(champs(lire(t) as never)).toEqual(champs(truth(S000)));
  });

  it('other role labels, an OCR slip and an alias the name lacks (seed 002)', () => {
    const t = remplacer(seed(S002), [
      ['« le délégataire » ou «la DNUM »', '« le partenaire-délégué » ou « la DNUM »'],
      ['La Fabrique numérique des ministères sociaux', 'La Direction du numérique des ministères sociaux'],
      ['Fait à Paris, le 14/04/2021', 'Fait à Paris, le\n\n14 AVR. 2021'],
    ]);
    const x = lire(t);
    expect(x.delegataire.name).toBe('La Direction du numérique des ministères sociaux (DNUM)');
    expect(x.dinum_role).toBe('delegant');
    expect(x.signature_date).toBe('2021-04-14');
    expect(x.warnings).toEqual([]);
  });

  it('a total that disagrees with the schedule, a UO that is not the centre financier, tranches not summing to 100 %', () => {
    const t = remplacer(seed(S004), [
      ['2024\t110 000 €\t55 000 €', '2024\t100 000 €\t55 000 €'],
      ['Centre financier :\t0352-CFSE-CFIN', 'Centre financier :\t0352-AUTRE-CF'],
      ['Les 50% restants', 'Les 40% restants'],
      ["l'exécution de la délégation. Dans", "l'exécution de la délégation, pour un montant total de 110 000 €. Dans"],
    ]);
    const x = lire(t);
    expect(x.total_ae_eur).toBe(110000);
    expect(x.warnings).toEqual(
      expect.arrayContaining([
        "Le total AE indiqué (110 000 €) diffère de la somme de l'échéancier (100 000 €).",
        "L'UO (0352-CFSE-CFIN) diffère du centre financier des références Chorus (0352-AUTRE-CF).",
        'Les tranches totalisent 90 % et non 100 %.',
      ]),
    );
  });

  it('an end date before the signature is a warning', () => {
    const x = lire(remplacer(seed(S002), [["jusqu'au 31 décembre 2021", "jusqu'au 31 décembre 2020"]]));
    expect(x.end_date).toBe('2020-12-31');
    expect(x.warnings).toContain('La date de fin (2020-12-31) précède la date de signature (2021-04-14).');
  });

  it('a party labelled both ways, or signatures that contradict the header, is a warning, never a silent pick', () => {
    const both = lire(
      remplacer(seed(S000), [
        ['Ci-après dénommée « le délégant »', 'Ci-après dénommée « le délégant » ou « le délégataire »'],
      ]),
    );
    expect(both.warnings.join(' ')).toMatch(/à la fois comme délégant et comme délégataire/);
    const same = lire(
      remplacer(seed(S000), [['« le délégataire » ou « la DINUM »', '« le délégant » ou « la DINUM »']]),
    );
    expect(same.warnings.join(' ')).toMatch(/Les deux parties sont désignées comme délégant/);
    const sig = lire(remplacer(seed(S000), [['**La DINUM**\n', '**Pour le délégant, la DINUM**\n']]));
    expect(sig.warnings.join(' ')).toMatch(
      /Les signatures désignent « .*DINUM » comme délégant alors que l'en-tête en fait le délégataire/,
    );
  });
});

describe('conventions of the family written for the tests', () => {
  const dir = path.resolve(import.meta.dirname, '../fixtures/variants');

  it('a ministry convention with FAST co-financing, pipe tables and two reference blocks', () => {
    const x = lire(fs.readFileSync(path.join(dir, 'classe12.md'), 'utf8'));
    expect(x).toMatchObject({
      kind: 'delegation_de_gestion',
      dinum_role: 'delegataire',
      service_name: 'Classe à 12',
      object_verb: 'accélérer',
      phase: 'construction',
      uo: '0214-CDBU-DNE',
      programme_bop: '0214-CDBU',
      schedule: [
        { year: 2024, ae_eur: 50000, cp_eur: 30000 },
        { year: 2025, ae_eur: null, cp_eur: 20000 },
      ],
      total_ae_eur: 50000,
      fast_cofinancing_eur: 50000,
      tranches: [
        { share_pct: 60, condition: 'à la signature de la convention' },
        { share_pct: 40, condition: "après le comité d'investissement de mi-parcours" },
      ],
      signature_date: '2024-03-01',
      end_date: '2025-12-31',
      duration_months: null,
      notice_months: 2,
      committee_period_months: 3,
      warnings: [],
    });
    expect(x.delegataire.name).toBe('La direction interministérielle du numérique (DINUM)');
    expect(x.chorus).toEqual({
      domaine_fonctionnel: null,
      centre_financier: '0214-CDBU-DNE',
      activite: '021401020301',
      centre_de_cout: 'DNEA075',
      axe_ministeriel: null,
      extra: {
        Ministère: 'Éducation nationale',
        'Activité (libellé)': 'Numérique éducatif',
        'Service prescripteur': 'DINUM-SP',
        Société: 'ETAT',
        "Organisation d'achat": 'OA-SPM',
        'Centre de coûts': 'SGSIDIN075',
      },
    });
  });

  it('a portfolio convention with an explicit 0 line', () => {
    const x = lire(fs.readFileSync(path.join(dir, 'atelier.txt'), 'utf8'));
    expect(x).toMatchObject({
      service_name: 'Atelier numérique',
      object_verb: 'accompagner',
      phase: 'investigation',
      schedule: [
        { year: 2025, ae_eur: 30000, cp_eur: 30000 },
        { year: 2026, ae_eur: 0, cp_eur: 0 },
      ],
      signature_date: '2025-02-12',
      end_date: '2025-12-31',
      committee_period_months: 6,
      notice_months: 3,
      comptable_assignataire: "le CBCM du ministère de l'Europe et des affaires étrangères",
      warnings: [],
    });
  });
});
