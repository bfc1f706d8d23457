import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import type { Acteur } from '../../src/domain/acces.js';
import { lireComites } from '../../src/usecases/comite.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';

const ADMIN = ACTEURS_DEMO.find((a) => a.id === 'demo-admin')!;
// the délégant of « Classe à 12 » (the Education ministry), who may not see a Justice convention
const EDUCATION: Acteur = {
  id: 'education',
  nom: 'Agent de l’Éducation',
  role: 'partenaire',
  organisationSiret: demo().classe.delegant.siret,
  produits: [],
};

describe.each(DATABASES)('one committee for a product funded by several conventions, on %s', (kind) => {
  let t: TestApp;
  let classe: string;
  const prochain = async (id: string, user: string) =>
    (await t.app.request(`/api/v1/conventions/${id}/comites/prochain`, { headers: t.api(user) })).json() as Promise<{
      date: string | null;
      regle: string;
      explication: string;
    }>;

  beforeAll(async () => {
    t = await testApp(kind);
    classe = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.classe)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  it('plans the product’s committee from the other convention too, and tells only who may see it', async () => {
    const avant = await prochain(classe, 'demo-gestionnaire');
    expect(avant.explication).not.toContain('commun');
    const avantEducation = (await lireComites(t.ctx, EDUCATION, classe)).prochain;
    expect(avantEducation).toEqual(avant);

    // a second convention for the same product, with the Justice ministry, signed on 2 February 2026
    await creerConvention(t.ctx, ADMIN, {
      ...demo().msj,
      reference: 'CLASSE-JUSTICE',
      produits: ['Classe à 12'],
      dateSignature: '2026-02-02',
      dateFin: '2027-01-20',
      dureeMois: null,
      publiee: false,
    });
    const apres = await prochain(classe, 'demo-gestionnaire');
    expect(apres.explication).toContain(
      'Comité commun au produit « Classe à 12 », financé aussi par « CLASSE-JUSTICE »',
    );
    // no committee held yet for the product: six months (Classe à 12's period) after the other's signature
    // comes before 45 days ahead of its end (6 December 2026) and before this convention's own plan
    expect(avant.date! > '2026-08-02').toBe(true);
    expect(apres).toMatchObject({ date: '2026-08-02', regle: 'periodicite' });
    expect(apres.explication).toContain('Date fixée par la convention « CLASSE-JUSTICE »');
    // the Education ministry may not read the Justice convention: its plan tells nothing of it
    expect((await lireComites(t.ctx, EDUCATION, classe)).prochain).toEqual(avantEducation);
  });
});
