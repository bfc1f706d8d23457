import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEUR_PUBLIC, type Acteur } from '../../src/domain/acces.js';
import { demo } from '../support/demo.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import {
  creerConvention,
  lireConvention,
  lireJournal,
  listerConventions,
  modifierConvention,
} from '../../src/usecases/convention.js';
import { suspendreConvention } from '../../src/usecases/convention-cycle.js';
import { seedDemo } from '../../src/demo/seed.js';
import { CLES_TRI, type CleTri, type ConventionResume } from '../../src/domain/convention-liste.js';
import { DATABASES, contexte, freshStorage } from '../support/db.js';
import type { Storage } from '../../src/storage/database.js';
import * as m012 from '../../src/storage/migrations/012_recherche.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;
const partenaireJustice = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-justice')!;
const partenaireSociaux = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-sociaux')!;

describe.each(DATABASES)('conventions on %s', (kind) => {
  let s: Storage;
  beforeAll(async () => {
    s = await freshStorage(kind);
    await seedDemo(contexte(s));
  });
  afterAll(async () => s?.close());

  it('stores and reads back every field of a convention, blank distinct from 0', async () => {
    const ctx = contexte(s);
    const { atelier: source, chronologie } = demo();
    const page = await listerConventions(ctx, admin, { q: 'Atelier', page: 1, taille: 10 });
    expect(page.total).toBe(1);
    const c = await lireConvention(ctx, admin, page.items[0]!.id);
    const { id, version, creeLe, modifieLe, resiliationEffet, ...saisie } = c;
    expect(resiliationEffet).toBeNull();
    expect(saisie).toEqual(source);
    expect(c.echeancier[1]).toEqual({ annee: chronologie.anneeActivite + 1, aeCentimes: 0, cpCentimes: 0 });
    const selex = await listerConventions(ctx, admin, { q: 'seLEXpert', page: 1, taille: 10 });
    const sc = await lireConvention(ctx, admin, selex.items[0]!.id);
    expect(sc.echeancier[1]).toEqual({ annee: chronologie.selex.anneeAe + 1, aeCentimes: null, cpCentimes: 5_500_000 });
    expect(sc.tranches.map((t) => t.partPct)).toEqual([50, 50]);
    void id;
    void version;
    void creeLe;
    void modifieLe;
  });

  it('filters, sorts, paginates and totals the register', async () => {
    const ctx = contexte(s);
    const all = await listerConventions(ctx, admin, { page: 1, taille: 2 });
    const { conventions, chronologie, references } = demo();
    expect(all.total).toBe(conventions.length);
    expect(all.items).toHaveLength(2);
    expect(all.totalAeCentimes).toBe(
      conventions.reduce((t, c) => t + c.echeancier.reduce((u, l) => u + (l.aeCentimes ?? 0), 0), 0),
    );
    const delegant = await listerConventions(ctx, admin, { roleDinum: 'delegant', page: 1, taille: 50 });
    expect(delegant.items.map((i) => i.produits[0]).sort()).toEqual(['Mon Suivi Psy', 'seLEXpert']);
    // seLEXpert's second year: its CP only, no AE
    const suivante = await listerConventions(ctx, admin, { annee: chronologie.selex.anneeAe + 1, page: 1, taille: 50 });
    const selex = suivante.items.find((i) => i.produits[0] === 'seLEXpert')!;
    expect(selex).toMatchObject({ aeCentimes: 0, cpCentimes: 5_500_000 });
    const terminees = await listerConventions(ctx, admin, { statut: 'terminee', page: 1, taille: 50 });
    expect(terminees.items.map((i) => i.reference).sort()).toEqual([references.msj, references.msp].sort());
    const parMontant = await listerConventions(ctx, admin, { tri: '-montant', page: 1, taille: 50 });
    expect(parMontant.items[0]!.produits[0]).toBe('Mon Suivi Justice');
    const partenaire = await listerConventions(ctx, admin, { partenaire: 'justice', page: 1, taille: 50 });
    expect(partenaire.total).toBe(2);
    const injection = await listerConventions(ctx, admin, { q: "%' OR 1=1 --", page: 1, taille: 50 });
    expect(injection.total).toBe(0);
  });

  it('finds a partner whatever its accents, case and apostrophes, and never by another party', async () => {
    const ctx = contexte(s);
    const nb = async (partenaire: string) =>
      (await listerConventions(ctx, admin, { partenaire, page: 1, taille: 50 })).total;
    const exact = await nb('Ministère de l’Éducation');
    expect(exact).toBe(1);
    expect(await nb("ministere de l'education")).toBe(exact);
    expect(await nb('MINISTÈRE DE L’EDUCATION')).toBe(exact);
    expect(await nb('fabrique numerique')).toBe(1);
    // the DINUM is a party to every convention but the partner of none
    expect(await nb('Direction Interministérielle')).toBe(0);
    expect(await nb('%')).toBe(0);
  });

  it('gives each convention its committed and paid amounts, and sorts by every column', async () => {
    const ctx = contexte(s);
    const lignes = await s.db
      .selectFrom('engagement')
      .select(['convention_id', 'annee', 'montant_impute', 'libere', 'paye'])
      .execute();
    const attendu = (id: string, annee?: number) =>
      lignes
        .filter((l) => l.convention_id === id && (annee === undefined || l.annee === annee))
        .reduce((t, l) => ({ engage: t.engage + l.montant_impute - l.libere, paye: t.paye + l.paye }), {
          engage: 0,
          paye: 0,
        });
    const tout = await listerConventions(ctx, admin, { page: 1, taille: 50 });
    expect(tout.items.some((i) => i.engageAeCentimes > 0 && i.payeCpCentimes > 0)).toBe(true);
    for (const i of tout.items) expect({ engage: i.engageAeCentimes, paye: i.payeCpCentimes }).toEqual(attendu(i.id));
    const annee = demo().chronologie.anneeActivite;
    for (const i of (await listerConventions(ctx, admin, { annee, page: 1, taille: 50 })).items)
      expect({ engage: i.engageAeCentimes, paye: i.payeCpCentimes }).toEqual(attendu(i.id, annee));

    const ids = tout.items.map((i) => i.id).sort();
    const valeur: Partial<Record<CleTri, (i: ConventionResume) => number | string | null>> = {
      montant: (i) => i.aeCentimes,
      cp: (i) => i.cpCentimes,
      engage: (i) => i.engageAeCentimes,
      paye: (i) => i.payeCpCentimes,
      signature: (i) => i.dateSignature,
      fin: (i) => i.finEffective,
    };
    for (const cle of CLES_TRI) {
      const monte = (await listerConventions(ctx, admin, { tri: cle, page: 1, taille: 50 })).items;
      const descend = (await listerConventions(ctx, admin, { tri: `-${cle}`, page: 1, taille: 50 })).items;
      expect(monte.map((i) => i.id).sort()).toEqual(ids);
      expect(descend.map((i) => i.id).sort()).toEqual(ids);
      const v = valeur[cle];
      if (!v) continue;
      const vus = (items: ConventionResume[]) => items.map(v).filter((x) => x !== null);
      const croissant = (xs: Array<number | string>) => xs.every((x, k) => k === 0 || xs[k - 1]! <= x);
      expect(croissant(vus(monte)), cle).toBe(true);
      expect(croissant(vus(descend).reverse()), `-${cle}`).toBe(true);
      expect(new Set(vus(monte)).size, cle).toBeGreaterThan(1);
    }
  });

  it('scopes what each role sees', async () => {
    const ctx = contexte(s);
    const justice = await listerConventions(ctx, partenaireJustice, { page: 1, taille: 50 });
    expect(justice.items.map((i) => i.produits[0]).sort()).toEqual(['Mon Suivi Justice', 'seLEXpert']);
    const sociaux = await listerConventions(ctx, partenaireSociaux, { page: 1, taille: 50 });
    expect(sociaux.items.map((i) => i.produits[0])).toEqual(['Mon Suivi Psy']);
    await expect(lireConvention(ctx, partenaireSociaux, justice.items[0]!.id)).rejects.toMatchObject({
      code: 'INTROUVABLE',
    });
    const pub = await listerConventions(ctx, ACTEUR_PUBLIC, { page: 1, taille: 50 });
    expect(pub.total).toBe(demo().conventions.filter((c) => c.publiee).length);
  });

  it('journals every change with its author, before and after, in the same transaction', async () => {
    const ctx = contexte(s);
    const { convention } = await creerConvention(ctx, admin, { ...demo().msj, reference: 'TEST-J' });
    const { convention: v2 } = await modifierConvention(
      ctx,
      admin,
      convention.id,
      { ...convention, uo: '0310-AUTRE', preavisMois: 2 },
      convention.version,
    );
    expect(v2.version).toBe(convention.version + 1);
    const journal = await lireJournal(ctx, admin, convention.id);
    expect(journal[0]!.action).toBe('modification');
    expect(journal[0]!.acteur.nom).toBe(admin.nom);
    expect(journal[0]!.changements).toEqual([
      { champ: 'uo', avant: '0310-SGAL-SSIC', apres: '0310-AUTRE' },
      { champ: 'preavisMois', avant: 3, apres: 2 },
    ]);
    expect(journal[1]!.action).toBe('creation');
  });

  it('refuses a stale version and an invalid convention, leaving the stored data as it was', async () => {
    const ctx = contexte(s);
    const { convention } = await creerConvention(ctx, admin, { ...demo().msp, reference: 'TEST-V' });
    await modifierConvention(ctx, admin, convention.id, { ...convention, objet: 'premier' }, convention.version);
    await expect(
      modifierConvention(ctx, admin, convention.id, { ...convention, objet: 'second' }, convention.version),
    ).rejects.toMatchObject({ code: 'VERSION_OBSOLETE' });
    await expect(
      modifierConvention(ctx, admin, convention.id, { ...convention, dateFin: '2020-01-01' }, convention.version + 1),
    ).rejects.toMatchObject({ code: 'DONNEES_INVALIDES' });
    const after = await lireConvention(ctx, admin, convention.id);
    expect(after.objet).toBe('premier');
    expect(after.dateFin).toBe(convention.dateFin);
    expect((await lireJournal(ctx, admin, convention.id)).length).toBe(2);
  });

  it('lets only budget roles change a convention', async () => {
    const ctx = contexte(s);
    const page = await listerConventions(ctx, partenaireJustice, { page: 1, taille: 1 });
    const c = await lireConvention(ctx, partenaireJustice, page.items[0]!.id);
    await expect(
      modifierConvention(ctx, partenaireJustice, c.id, { ...c, objet: 'x' }, c.version),
    ).rejects.toMatchObject({ code: 'ACCES_REFUSE' });
    await expect(creerConvention(ctx, partenaireJustice as Acteur, demo().msj)).rejects.toMatchObject({
      code: 'ACCES_REFUSE',
    });
    const suspended = await suspendreConvention(ctx, admin, c.id, 'Insuffisance de crédits');
    expect(suspended.statut).toBe('suspendue');
    expect((await lireJournal(ctx, admin, c.id))[0]?.commentaire).toBe('Insuffisance de crédits');
  });

  it('searches the register without regard to case or accents, also in rows stored before the search column', async () => {
    const vide = await freshStorage(kind); // no demonstration data: only the conventions below can match
    try {
      const ctx = contexte(vide);
      const base = demo().msj;
      const { convention: a } = await creerConvention(ctx, admin, {
        ...base,
        reference: 'RECH-1',
        produits: ['Classe à 12'],
        delegant: { ...base.delegant, nom: 'Ministère de l’Éducation nationale' },
        objet: 'Œuvres ÉTÉ',
      });
      const { convention: b } = await creerConvention(ctx, admin, {
        ...base,
        reference: 'RECH-2',
        produits: ['Classe 12'],
      });
      const ids = async (q: string) =>
        (await listerConventions(ctx, admin, { q, page: 1, taille: 50 })).items.map((i) => i.id).sort();
      for (const q of [
        'education',
        'EDUCATION',
        'Éducation',
        'éducation',
        'classe a 12',
        'CLASSE À 12',
        "l'education",
        'oeuvres ete',
      ])
        expect(await ids(q), q).toEqual([a.id]);
      expect(await ids('classe 12')).toEqual([b.id]);
      // a search never spans two fields
      expect(await ids('nationale oeuvres')).toEqual([]);

      // a rename is searched under its new name only
      await modifierConvention(ctx, admin, a.id, { ...a, produits: ['Collège numérique'] }, a.version);
      expect(await ids('classe a 12')).toEqual([]);
      expect(await ids('college NUMERIQUE')).toEqual([a.id]);

      // rows written before the column existed are filled by its migration
      await m012.down(vide.db as never);
      await m012.up(vide.db as never);
      expect(await ids('COLLEGE numérique')).toEqual([a.id]);
      expect(await ids('education')).toEqual([a.id]);
    } finally {
      await vide.close();
    }
  });
});
