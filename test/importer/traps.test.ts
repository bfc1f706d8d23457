import { describe, expect, it } from 'vitest';
import { extraire, type Extraction } from '../../src/importer/extract.js';
import { expectContract } from '../support/contract.js';

/** A small convention of the family, with parts to override. */
function convention(
  p: { entete?: string; objet?: string; finances?: string; chorus?: string; duree?: string; fin?: string } = {},
): string {
  return [
    'Convention de délégation de gestion',
    '',
    p.entete ??
      [
        'Entre',
        'Le ministère de la Culture',
        'Adresse : 3 rue de Valois, 75001 Paris',
        'Représenté par Mme Test, secrétaire générale',
        'Ci-après dénommé « le délégant »',
        'Et',
        'La Direction interministérielle du numérique (DINUM)',
        'Adresse : 20 avenue de Ségur, 75007 Paris',
        'Représentée par M. Essai, directeur',
        'Ci-après dénommée « le délégataire »',
      ].join('\n'),
    '',
    'Vu le décret 2004-1085,',
    '',
    'Article 1 : Objet',
    p.objet ??
      'La présente convention a pour objet de définir les modalités afin de construire le service numérique Culture Pass ayant pour objectif de tester.',
    '',
    'Article 2 : Exécution financière',
    p.finances ?? '\tAE\tCP\n2024\t10 000 €\t10 000 €',
    '',
    p.chorus ?? 'Références Chorus :\nCentre financier :\t0175-CDBU-DG\nCentre de coût :\tCULT075',
    '',
    'Article 3 : Durée',
    p.duree ?? "Elle est conclue jusqu'au 31/12/2024. Préavis de trois mois.",
    '',
    p.fin ?? 'Fait à Paris, le 2 janvier 2024',
  ].join('\n');
}

function lire(t: string): Extraction {
  const { extraction, texte } = extraire(t, 'piege');
  expectContract(extraction, texte);
  return extraction;
}

describe('traps of real texts (DOMAIN §7)', () => {
  it('the baseline reads cleanly', () => {
    const x = lire(convention());
    expect(x).toMatchObject({
      dinum_role: 'delegataire',
      service_name: 'Culture Pass',
      object_verb: 'construire',
      signature_date: '2024-01-02',
      end_date: '2024-12-31',
      notice_months: 3,
      warnings: [],
    });
    expect(x.uo).toBe('0175-CDBU-DG');
  });

  it('Cyrillic look-alikes in labels and codes', () => {
    const x = lire(
      convention({
        finances: '\tАЕ\tСР\n2024\t10 000 €\t10 000 €',
        chorus: 'Références Chorus :\nСentre financier :\t0175-СDBU-DG',
      }),
    );
    expect(x.schedule).toEqual([{ year: 2024, ae_eur: 10000, cp_eur: 10000 }]);
    expect(x.chorus.centre_financier).toBe('0175-CDBU-DG');
  });

  it('narrow and normal no-break spaces in amounts, "euros" spelled out', () => {
    const x = lire(convention({ finances: '\tAE\tCP\n2024\t50\u202f000\u00a0€\t50\u00a0000 euros' }));
    expect(x.schedule).toEqual([{ year: 2024, ae_eur: 50000, cp_eur: 50000 }]);
  });

  it.each([
    ['Fait à Paris, le 23/09/24', '2024-09-23'],
    ['Fait à Paris, le 1er mars 2024', '2024-03-01'],
    ['Fait à Paris, le\n\n31 DÉC. 2024', '2024-12-31'],
    ['Fait à Paris, le\n1 er mars 2024', '2024-03-01'],
    ['Fait à Paris, le 10/03/2024\nFait à Paris, le 31/03/2024', '2024-03-31'],
  ])('signature date: %j', (fin, iso) => {
    expect(lire(convention({ fin })).signature_date).toBe(iso);
  });

  it('a pipe table where a blank cell is null and an explicit 0 is 0', () => {
    const x = lire(
      convention({ finances: '| | AE | CP |\n|---|---|---|\n| 2024 | 30 000 € | |\n| 2025 | 0 | 30 000 € |' }),
    );
    expect(x.schedule).toEqual([
      { year: 2024, ae_eur: 30000, cp_eur: null },
      { year: 2025, ae_eur: 0, cp_eur: 30000 },
    ]);
    expect(x.provenance['/schedule/1/ae_eur']?.text).toBe('0');
    expect(x.provenance['/schedule/0/cp_eur']).toBeUndefined();
  });

  it('a schedule with the years in columns', () => {
    const x = lire(convention({ finances: '\t2024\t2025\nAE\t20 000 €\t0 €\nCP\t10 000 €\t10 000 €' }));
    expect(x.schedule).toEqual([
      { year: 2024, ae_eur: 20000, cp_eur: 10000 },
      { year: 2025, ae_eur: 0, cp_eur: 10000 },
    ]);
  });

  it('codes with a "UO" prefix or a stray space; a label after a code goes to extra', () => {
    const x = lire(
      convention({
        objet:
          "afin de construire le service numérique Culture Pass. Le délégant autorise la DINUM à consommer les crédits de l'UO 0175 -CDBU-DG.",
        chorus:
          'Références Chorus :\nCentre financier :\tUO 0175-CDBU-DG\nActivité(s) :\t035200010101 Domaine appli métier\nDomaine fonctionnel : 0175-02 -01\nCentre de coût :\tCULT 075\nAxe ministériel 2 :\tAxe 2\nService exécutant :\tSE-CULT',
      }),
    );
    expect(x.uo).toBe('0175-CDBU-DG');
    expect(x.chorus).toEqual({
      domaine_fonctionnel: '0175-02-01',
      centre_financier: '0175-CDBU-DG',
      activite: '035200010101',
      centre_de_cout: 'CULT075',
      axe_ministeriel: 'Axe 2',
      extra: { 'Activité(s) (libellé)': 'Domaine appli métier', 'Service exécutant': 'SE-CULT' },
    });
    expect(x.provenance['/chorus/activite']?.text).toBe('035200010101');
    expect(x.warnings).toEqual([]);
  });

  it('role labels with OCR slips and a mistyped separator', () => {
    const x = lire(
      convention({
        entete:
          'Entre\nLa DINUM\nAdresse : 20 avenue de Ségur\nCi-après dénommée « le délégant »\nFt\nLe ministère de la Culture\nReprésenté par : Mme Test\nCi-après dénommé « le partenaire-déléataire »',
      }),
    );
    expect(x.dinum_role).toBe('delegant');
    expect(x.delegataire).toMatchObject({ name: 'Le ministère de la Culture', representative: 'Mme Test' });
    expect(x.delegataire.role_label).toBe('le partenaire-déléataire');
    const y = lire(
      convention()
        .replace('« le délégataire »', '« le aélégataire »')
        .replace('Article 3', 'Rrticle 3')
        .replace('Fait à', 'Eait à'),
    );
    expect(y.dinum_role).toBe('delegataire');
    expect(y.signature_date).toBe('2024-01-02');
    expect(y.end_date).toBe('2024-12-31');
  });

  it('party blocks on one line each, and "sise" / "représentée par" inline', () => {
    const x = lire(
      convention({
        entete:
          "Entre le ministère de la Culture, sis 3 rue de Valois 75001 Paris, représenté par Mme Test, ci-après dénommé « le délégant », d'une part,\n\nEt la DINUM, sise 20 avenue de Ségur 75007 Paris, représentée par M. Essai, ci-après dénommée « le délégataire », d'autre part.",
      }),
    );
    expect(x.delegant).toMatchObject({
      name: 'le ministère de la Culture',
      address: '3 rue de Valois 75001 Paris',
      representative: 'Mme Test',
    });
    expect(x.delegataire).toMatchObject({
      name: 'la DINUM',
      address: '20 avenue de Ségur 75007 Paris',
      representative: 'M. Essai',
    });
    expect(x.dinum_role).toBe('delegataire');
  });

  it('an address that goes on on the next line', () => {
    const x = lire(
      convention().replace(
        'Adresse : 20 avenue de Ségur, 75007 Paris',
        'Adresse : 20 avenue de Ségur\nTSA 30719\n75334 Paris Cedex 07',
      ),
    );
    expect(x.delegataire.address).toBe('20 avenue de Ségur TSA 30719 75334 Paris Cedex 07');
    expect(x.delegataire.representative).toBe('M. Essai, directeur');
  });

  it('roles given only in the articles ("la DINUM, délégant,"), and "dénommée ci-après"', () => {
    const x = lire(
      convention({
        entete:
          'Entre\nLa DINUM\nAdresse : 20 avenue de Ségur\nDénommée ci-après « la DINUM »\nEt\nLe ministère de la Culture\nReprésenté par : Mme Test\nDénommé ci-après « le partenaire »',
        objet:
          'La présente convention a pour objet de définir les modalités selon lesquelles la DINUM, délégant, autorise le partenaire, délégataire, à consommer des crédits afin de construire le service numérique Culture Pass.',
      }),
    );
    expect(x.dinum_role).toBe('delegant');
    expect(x.delegant.name).toBe('La DINUM');
    expect(x.delegataire).toMatchObject({ name: 'Le ministère de la Culture', representative: 'Mme Test' });
  });

  it('a reporting period is not the duration of the convention', () => {
    const x = lire(
      convention({
        duree:
          "Le délégataire rend compte de l'emploi des crédits à l'issue d'une période de six mois. Elle est conclue jusqu'au 31/12/2024.",
      }),
    );
    expect(x.duration_months).toBeNull();
    expect(x.end_date).toBe('2024-12-31');
  });

  it('numbers in words for duration, notice and committees', () => {
    const x = lire(
      convention({
        duree:
          "La présente convention est conclue pour une durée de douze (12) mois à compter de sa signature. Le comité d'investissement se réunit tous les trois mois. Préavis d'un mois.",
      }),
    );
    expect(x.duration_months).toBe(12);
    expect(x.end_date).toBe('2025-01-02');
    expect(x.committee_period_months).toBe(3);
    expect(x.notice_months).toBe(1);
  });

  it('a duration stated in years, and a duration that contradicts the end date', () => {
    expect(lire(convention({ duree: 'Elle est conclue pour une durée de deux ans.' })).duration_months).toBe(24);
    const x = lire(convention({ duree: "Elle est conclue pour une période de 6 mois, soit jusqu'au 31/12/2024." }));
    expect(x.warnings).toContain(
      'La durée de 6 mois donne une fin au 2024-07-02, différente de la date de fin indiquée (2024-12-31).',
    );
  });

  it('the end stated with other verbs: "s’achève le", "prendra fin le", "expirera le"', () => {
    for (const duree of [
      "La convention prend effet à sa signature et s'achève le 31 déc. 2024.",
      'Elle prendra fin le 31/12/2024.',
      'La présente convention expirera le 31 décembre 2024.',
    ]) {
      expect(lire(convention({ duree })).end_date).toBe('2024-12-31');
    }
  });

  it('an amount the schedule cannot read is a warning, not a guess', () => {
    const x = lire(convention({ finances: '\tAE\tCP\n2024\tvoir annexe\t10 000 €' }));
    expect(x.schedule).toEqual([{ year: 2024, ae_eur: null, cp_eur: 10000 }]);
    expect(x.warnings).toContain('Échéancier 2024 : montant illisible « voir annexe ».');
  });

  it('an avenant is recognised from its title', () => {
    const x = lire(
      convention().replace(
        'Convention de délégation de gestion',
        'Avenant n° 1 à la convention de délégation de gestion',
      ),
    );
    expect(x.kind).toBe('avenant');
  });

  it('a text with no convention in it gives nulls, not guesses', () => {
    const x = lire('Bonjour,\n\nVoici le compte rendu de la réunion du 3 mars 2024.\n');
    expect(x).toMatchObject({
      kind: 'other',
      dinum_role: null,
      service_name: null,
      uo: null,
      schedule: null,
      signature_date: null,
      tranches: null,
    });
    expect(x.delegant).toEqual({ name: null, representative: null, address: null, short_name: null, role_label: null });
  });
});

describe('role words', () => {
  it('tolerates OCR slips but not other words', async () => {
    const { roleDuMot } = await import('../../src/importer/parties.js');
    expect(roleDuMot('delegant')).toBe('delegant');
    expect(roleDuMot('delegataire')).toBe('delegataire');
    expect(roleDuMot('partenaire-deleataire')).toBe('delegataire');
    expect(roleDuMot('delegatalre')).toBe('delegataire');
    expect(roleDuMot('aelegataire')).toBe('delegataire');
    expect(roleDuMot('deleguee')).toBe('delegataire');
    expect(roleDuMot('delegation')).toBeNull();
    expect(roleDuMot('detenue')).toBeNull();
    expect(roleDuMot('decembre')).toBeNull();
    expect(roleDuMot('elegant')).toBeNull();
  });
});
