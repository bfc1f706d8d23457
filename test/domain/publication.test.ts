import { describe, expect, it } from 'vitest';
import type { Engagement } from '../../src/domain/engagement.js';
import { commandesParMarche } from '../../src/domain/publication.js';

const e = (o: Partial<Engagement>): Engagement => ({
  id: 'x',
  conventionId: 'c',
  numero: 'BC-2026-0001',
  annee: 2026,
  dateEngagement: '2026-03-01',
  dateFinPrestation: null,
  titulaire: 'T',
  marche: null,
  devis: null,
  objet: 'o',
  produit: null,
  montantCentimes: 12_000_000,
  baseMontant: 'TTC',
  tauxTva: 20,
  montantImputeCentimes: 12_000_000,
  statut: 'actif',
  libereCentimes: 0,
  certifieCentimes: 0,
  payeCentimes: 0,
  creeLe: '',
  acteurNom: '',
  ...o,
});

describe('the orders’ totals by framework contract', () => {
  it('sums each contract’s orders net of released AE, on both bases at each order’s rate', () => {
    const lignes = commandesParMarche(
      [
        // 120 000 € TTC at 20 %, 24 000 € released when closed: 96 000 € TTC net, 80 000 € HT; 60 000 € paid
        e({ marche: 'Marché B', libereCentimes: 2_400_000, payeCentimes: 6_000_000, statut: 'solde' }),
        // 11 000 € TTC at 10 %: 10 000 € HT
        e({ marche: 'Marché B', montantImputeCentimes: 1_100_000, tauxTva: 10 }),
        e({ marche: 'Marché A', montantImputeCentimes: 600_000, payeCentimes: 600_000 }),
      ],
      'TTC',
    );
    expect(lignes).toEqual([
      { marche: 'Marché A', nombre: 1, engage: { ttc: 600_000, ht: 500_000 }, paye: { ttc: 600_000, ht: 500_000 } },
      {
        marche: 'Marché B',
        nombre: 2,
        engage: { ttc: 10_700_000, ht: 9_000_000 },
        paye: { ttc: 6_000_000, ht: 5_000_000 },
      },
    ]);
  });

  it('leaves cancelled orders out and puts the orders outside any contract last', () => {
    const lignes = commandesParMarche(
      [
        e({ marche: '  ' }),
        e({ marche: null, montantImputeCentimes: 1_000_000, baseMontant: 'HT' }),
        e({ marche: 'Zèbre', statut: 'annule', libereCentimes: 12_000_000 }),
        e({ marche: 'Écoles' }),
      ],
      'HT',
    );
    expect(lignes.map((l) => [l.marche, l.nombre, l.engage])).toEqual([
      // an HT convention: 120 000 € HT is 144 000 € TTC at 20 %
      ['Écoles', 1, { ht: 12_000_000, ttc: 14_400_000 }],
      [null, 2, { ht: 13_000_000, ttc: 15_600_000 }],
    ]);
  });

  it('gives no line when no order was placed', () => {
    expect(commandesParMarche([], 'TTC')).toEqual([]);
  });
});
