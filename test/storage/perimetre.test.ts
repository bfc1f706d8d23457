import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_PUBLIC, peutLireConvention, perimetre, type Acteur } from '../../src/domain/acces.js';
import type { ConventionSaisie, Partie, Statut } from '../../src/domain/convention.js';
import { filtrePerimetre, lireConvention } from '../../src/storage/convention.js';
import type { Storage } from '../../src/storage/database.js';
import { listerAlertesCredits } from '../../src/usecases/alerte.js';
import {
  creerConvention,
  lireConvention as lireConventionActeur,
  listerConventions,
  listerPartenaires,
} from '../../src/usecases/convention.js';
import { creerEngagement } from '../../src/usecases/engagement.js';
import { suspendreConvention } from '../../src/usecases/convention-cycle.js';
import { DATABASES, contexte, freshStorage } from '../support/db.js';
import { demo } from '../support/demo.js';

const SIRET_A = '11000201100044';
const SIRET_B = '11000801300017';
const SIRET_C = '11004301500012';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const acteur = (
  id: string,
  role: Acteur['role'],
  organisationSiret: string | null,
  produits: string[] = [],
): Acteur => ({ id, nom: id, role, organisationSiret, produits });
const partenaireA = acteur('partenaire-a', 'partenaire', SIRET_A);
const partenaireB = acteur('partenaire-b', 'partenaire', SIRET_B);
const sansOrganisation = acteur('partenaire-sans-siret', 'partenaire', null);
const equipeMsj = acteur('equipe-msj', 'equipe', null, ['Mon Suivi Justice']);
const equipeMinuscules = acteur('equipe-minuscules', 'equipe', null, ['mon suivi justice']);
const equipeRattachee = acteur('equipe-rattachee', 'equipe', SIRET_C, ['seLEXpert']);
// product names as people type them: case, accents, spaces and apostrophes differ from the convention's
const equipeSansAccents = acteur('equipe-sans-accents', 'equipe', null, ['demarches  simplifiees ']);
const equipeCapitales = acteur('equipe-capitales', 'equipe', null, ['DÉMARCHES SIMPLIFIÉES']);
const equipeDecomposee = acteur('equipe-decomposee', 'equipe', null, ['Classe a\u0300 12', 'L\u2019Atelier']);
const equipeVoisine = acteur('equipe-voisine', 'equipe', null, ['Démarches', 'Classe à 1']);
const EQUIPES_NOMS = [equipeSansAccents, equipeCapitales, equipeDecomposee, equipeVoisine];
const ACTEURS = [
  ...EQUIPES_NOMS,
  admin,
  acteur('gestionnaire', 'gestionnaire', null),
  partenaireA,
  partenaireB,
  sansOrganisation,
  equipeMsj,
  equipeMinuscules,
  equipeRattachee,
  ACTEUR_PUBLIC,
];

describe.each(DATABASES)('one access scope in SQL on %s', (kind) => {
  let s: Storage;
  const ctx = () => contexte(s);
  const ids: Record<string, string> = {};

  async function lisibles(a: Acteur): Promise<string[]> {
    const page = await listerConventions(ctx(), a, { page: 1, taille: 500 });
    return page.items.map((i) => i.reference ?? '').sort();
  }

  beforeAll(async () => {
    s = await freshStorage(kind);
    const base = demo().classe;
    const partie = (nom: string, siret: string): Partie => ({ ...base.delegant, nom, siret });
    const convention = (reference: string, o: Partial<ConventionSaisie>): ConventionSaisie => ({
      ...base,
      reference,
      statut: 'en_vigueur',
      publiee: true,
      ...o,
    });
    const justice = { delegant: partie('Ministère A', SIRET_A), produits: ['Mon Suivi Justice'] };
    const cas: ConventionSaisie[] = [
      convention('T-A', justice),
      convention('T-B', { delegant: partie('Ministère B', SIRET_B), produits: ['Mon Suivi Psy'] }),
      convention('T-A-DELEGATAIRE', {
        roleDinum: 'delegant',
        delegant: base.delegataire,
        delegataire: partie('Ministère A', SIRET_A),
        produits: ['seLEXpert'],
        publiee: false,
      }),
      convention('T-C', { delegant: partie('Ministère C', SIRET_C), produits: ['Classe à 12'] }),
      // published but not yet in force, and one in force but never published: the public sees neither
      ...(['a_verifier', 'brouillon', 'en_vigueur'] as Statut[]).map((statut) =>
        convention(`T-A-${statut === 'en_vigueur' ? 'suspendue' : statut}`, { ...justice, statut }),
      ),
      convention('T-A-NON-PUBLIEE', { ...justice, publiee: false }),
      // no party a test actor belongs to: only the product names give access
      ...(
        [
          ['T-DS', 'Démarches Simplifiées'],
          ['T-DS-ESPACES', '  Démarches   simplifiées'],
          ['T-ATELIER', "l'atelier"],
        ] as const
      ).map(([reference, produit]) =>
        convention(reference, {
          delegant: { ...base.delegant, nom: 'Ministère A', siret: null },
          produits: [produit],
          publiee: false,
        }),
      ),
    ];
    for (const c of cas) ids[c.reference!] = (await creerConvention(ctx(), admin, c)).convention.id;
    // suspended by its action, as only it may
    await suspendreConvention(ctx(), admin, ids['T-A-suspendue']!, 'Insuffisance de crédits');
  });
  afterAll(async () => s?.close());

  it('hides from the public what is unpublished, a draft or still under review, even when published', async () => {
    expect(await lisibles(ACTEUR_PUBLIC)).toEqual(['T-A', 'T-A-suspendue', 'T-B', 'T-C']);
  });

  it('gives a partner the conventions its organisation signed, and a product team its products whatever their case', async () => {
    expect(await lisibles(partenaireA)).toEqual([
      'T-A',
      'T-A-DELEGATAIRE',
      'T-A-NON-PUBLIEE',
      'T-A-a_verifier',
      'T-A-brouillon',
      'T-A-suspendue',
    ]);
    expect(await lisibles(partenaireB)).toEqual(['T-B']);
    expect(await lisibles(sansOrganisation)).toEqual([]);
    expect(await lisibles(equipeMinuscules)).toEqual(await lisibles(equipeMsj));
    expect(await lisibles(equipeRattachee)).toEqual(['T-A-DELEGATAIRE', 'T-C']);
  });

  it('agrees with the domain rule for every actor and every convention', async () => {
    for (const a of ACTEURS) {
      const attendues: string[] = [];
      for (const [reference, id] of Object.entries(ids))
        if (peutLireConvention(a, (await lireConvention(s.db, id))!)) attendues.push(reference);
      attendues.sort();
      expect(await lisibles(a), a.id).toEqual(attendues);
      // the filter alone, as every list applies it
      const rows = await s.db
        .selectFrom('convention as c')
        .select('c.reference')
        .where(filtrePerimetre(perimetre(a), 'c'))
        .execute();
      expect(rows.map((r) => r.reference ?? '').sort(), a.id).toEqual(attendues);
    }
  });

  it('scopes the partner suggestions and the alerts to what the actor may read', async () => {
    expect(await listerPartenaires(ctx(), partenaireB)).toEqual(['Ministère B']);
    expect(await listerPartenaires(ctx(), admin)).toEqual(['Ministère A', 'Ministère B', 'Ministère C']);
    const commande = {
      numero: null,
      annee: 2026,
      dateEngagement: '2026-11-20',
      dateFinPrestation: null,
      titulaire: 'T',
      marche: null,
      devis: null,
      objet: 'O',
      produit: null,
      montantCentimes: 900_000_000,
      baseMontant: null,
    };
    await expect(creerEngagement(ctx(), admin, ids['T-A']!, commande)).rejects.toMatchObject({
      code: 'PLAFOND_AE_DEPASSE',
    });
    expect((await listerAlertesCredits(ctx(), partenaireA)).enregistrees.map((a) => a.conventionId)).toEqual([
      ids['T-A'],
    ]);
    expect((await listerAlertesCredits(ctx(), partenaireB)).enregistrees).toEqual([]);
  });

  it('compares product names one way, by id as in the lists: case, accents, spaces and apostrophes aside', async () => {
    const parId = async (a: Acteur) => {
      const lues: string[] = [];
      for (const [reference, id] of Object.entries(ids)) {
        const c = await lireConventionActeur(ctx(), a, id).catch(() => null);
        if (c) lues.push(reference);
      }
      return lues.sort();
    };
    const attendu: Record<string, string[]> = {
      'equipe-sans-accents': ['T-DS', 'T-DS-ESPACES'],
      'equipe-capitales': ['T-DS', 'T-DS-ESPACES'],
      'equipe-decomposee': ['T-ATELIER', 'T-C'],
      'equipe-voisine': [],
    };
    for (const a of EQUIPES_NOMS) {
      expect(await lisibles(a), a.id).toEqual(attendu[a.id]);
      expect(await parId(a), a.id).toEqual(attendu[a.id]);
    }
  });
});
