import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo } from '../support/demo.js';
import { pdfDepuisTexte } from '../support/documents.js';
import { DATABASES } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';

interface Item {
  id: number;
  partie: string;
  code: string | null;
  libelle: string;
  echeance: string;
  date_limite: string | null;
  mesure: { valeur: number; unite: string } | null;
  etat: string;
  etat_du_jour: string;
  echeance_du_jour: string | null;
  preuve_url: string | null;
  motif_levee: string | null;
}

/**
 * Obligations of each party, on the demo: seLEXpert (FAST, the DINUM délégant, the Justice ministry
 * délégataire) and Mon Suivi Justice (the Justice ministry délégant, the DINUM délégataire).
 */
describe.each(DATABASES)('obligations on %s', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const { references, chronologie } = demo();
  const get = (path: string, user = 'demo-admin') => t.app.request(path, { headers: t.api(user) });
  const put = (path: string, body: unknown, user = 'demo-admin') =>
    t.app.request(path, { method: 'PUT', headers: t.api(user), body: JSON.stringify(body) });
  const items = async (id: string, user = 'demo-admin'): Promise<Item[]> =>
    (await (await get(`/api/v1/conventions/${id}/obligations`, user)).json()).items;
  const entree = (o: Item, change: Partial<Item> = {}) => {
    const { id, partie, libelle, echeance, date_limite, mesure, etat, preuve_url, motif_levee } = { ...o, ...change };
    return { id, partie, libelle, echeance, date_limite, mesure, etat, preuve_url, motif_levee };
  };
  const etat = (id: string) =>
    Promise.all([
      t.storage.db.selectFrom('obligation').selectAll().where('convention_id', '=', id).orderBy('id').execute(),
      t.storage.db.selectFrom('journal').select('id').where('convention_id', '=', id).execute(),
    ]);

  beforeAll(async () => {
    t = await testApp(kind);
    for (const k of ['selex', 'msj'] as const)
      ids[k] = (
        await t.storage.db
          .selectFrom('convention')
          .select('id')
          .where('reference', '=', references[k])
          .executeTakeFirstOrThrow()
      ).id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('starts a FAST convention from the FAST catalogue: the partner’s team effort in days per week, what is late since signature', async () => {
    const l = await items(ids.selex!);
    const dev = l.find((o) => o.code === 'effort_developpeur')!;
    expect(dev).toMatchObject({ partie: 'delegataire', mesure: { valeur: 1, unite: 'jour par semaine' } });
    expect(l.find((o) => o.code === 'effort_deploiement')!.mesure).toEqual({ valeur: 2, unite: 'jours par semaine' });
    // the DINUM (délégant) owes the acceleration support
    expect(l.find((o) => o.code === 'accompagnement_fast')!.partie).toBe('delegant');
    // signed two months ago: what was due within the month of signature is late
    const habilitations = l.find((o) => o.code === 'habilitations_chorus')!;
    expect(habilitations).toMatchObject({ partie: 'delegataire', etat_du_jour: 'en_retard' });
    expect(habilitations.echeance_du_jour! < chronologie.aujourdHui).toBe(true);
    // read twice, started once
    expect(await items(ids.selex!)).toHaveLength(l.length);
  });

  it('starts a ministry’s convention from its catalogue: the partner is the délégant', async () => {
    const l = await items(ids.msj!);
    expect(l.find((o) => o.code === 'manifeste')!.partie).toBe('delegant');
    expect(l.find((o) => o.code === 'compte_rendu_terme')!.partie).toBe('delegataire');
    expect(l.some((o) => o.code === 'effort_developpeur')).toBe(false);
  });

  it('lets a partner complete its own obligation with its evidence, and nothing else', async () => {
    const l = await items(ids.selex!, 'demo-partenaire-justice');
    const habilitations = l.find((o) => o.code === 'habilitations_chorus')!;
    const accompagnement = l.find((o) => o.code === 'accompagnement_fast')!;
    const chemin = `/api/v1/conventions/${ids.selex}/obligations`;
    const avant = await etat(ids.selex!);
    // done without evidence, a waiver, another party's, a new one, an unknown one: all refused, nothing changes
    expect(
      (await put(chemin, { items: [entree(habilitations, { etat: 'faite' })] }, 'demo-partenaire-justice')).status,
    ).toBe(400);
    expect(
      (
        await put(
          chemin,
          { items: [entree(habilitations, { etat: 'levee', motif_levee: 'Inutile' })] },
          'demo-partenaire-justice',
        )
      ).status,
    ).toBe(403);
    const preuve = 'https://chorus.example/demande/42';
    expect(
      (
        await put(
          chemin,
          {
            items: [
              entree(habilitations, { etat: 'faite', preuve_url: preuve }),
              entree(accompagnement, { etat: 'faite', preuve_url: preuve }),
            ],
          },
          'demo-partenaire-justice',
        )
      ).status,
    ).toBe(403);
    expect(
      (await put(chemin, { items: [{ ...entree(habilitations), id: null }] }, 'demo-partenaire-justice')).status,
    ).toBe(403);
    expect((await put(chemin, { items: [{ ...entree(habilitations), id: 999_999 }] })).status).toBe(404);
    expect((await put(chemin, { items: [entree(habilitations, { preuve_url: 'pas un lien' })] })).status).toBe(400);
    expect(await etat(ids.selex!)).toEqual(avant);

    const r = await put(
      chemin,
      { items: [entree(habilitations, { etat: 'faite', preuve_url: preuve })] },
      'demo-partenaire-justice',
    );
    expect(r.status).toBe(200);
    const fait = ((await r.json()).items as Item[]).find((o) => o.id === habilitations.id)!;
    expect(fait).toMatchObject({ etat: 'faite', etat_du_jour: 'faite', preuve_url: preuve });
    // another organisation's partner does not see them, the product team does not complete them
    expect((await get(chemin, 'demo-partenaire-sociaux')).status).toBe(404);
    const msj = await items(ids.msj!, 'demo-equipe');
    expect(
      (await put(`/api/v1/conventions/${ids.msj}/obligations`, { items: [entree(msj[0]!)] }, 'demo-equipe')).status,
    ).toBe(403);
  });

  it('takes a file as the evidence of the partner’s own obligation, keeps it while done, and refuses a wrong one', async () => {
    const l = await items(ids.msj!, 'demo-partenaire-justice');
    const o = l.find((x) => x.partie === 'delegant' && x.etat === 'a_faire')!;
    const dinum = l.find((x) => x.partie === 'delegataire')!;
    const envoyer = (oid: number, nom: string, contenu: Uint8Array, user = 'demo-partenaire-justice') => {
      const f = new FormData();
      f.set('fichier', new File([contenu.slice().buffer], nom));
      return t.app.request(`/api/v1/conventions/${ids.msj}/obligations/${oid}/preuve`, {
        method: 'POST',
        headers: { authorization: t.api(user).authorization! },
        body: f,
      });
    };
    const preuve = await pdfDepuisTexte('Désignation de l’intrapreneur et du sponsor');
    const avant = await etat(ids.msj!);
    // another party's, another organisation's, a file that is no PDF, no file at all: refused, nothing changes
    expect((await envoyer(dinum.id, 'preuve.pdf', preuve)).status).toBe(403);
    expect((await envoyer(o.id, 'preuve.pdf', preuve, 'demo-partenaire-sociaux')).status).toBe(404);
    const deguise = await envoyer(o.id, 'preuve.pdf', new TextEncoder().encode('pas un PDF'));
    expect(deguise.status).toBe(400);
    expect((await deguise.json()).details.erreurs[0]).toEqual({
      champ: 'items.0.preuve_fichier',
      message: 'Le fichier « preuve.pdf » n’est pas un PDF lisible : vérifiez qu’il n’est pas abîmé.',
    });
    expect((await envoyer(999_999, 'preuve.pdf', preuve)).status).toBe(404);
    expect(await etat(ids.msj!)).toEqual(avant);
    expect(
      await t.storage.db.selectFrom('piece').select('id').where('convention_id', '=', ids.msj!).execute(),
    ).toHaveLength(0);

    const r = await envoyer(o.id, 'designation.pdf', preuve);
    expect(r.status, await r.clone().text()).toBe(201);
    const fait = ((await r.json()).items as Array<Item & { preuve_fichier: string | null }>).find(
      (x) => x.id === o.id,
    )!;
    expect(fait).toMatchObject({ etat: 'faite', etat_du_jour: 'faite', preuve_url: null });
    expect(new Uint8Array(await (await get(fait.preuve_fichier!, 'demo-partenaire-justice')).arrayBuffer())).toEqual(
      preuve,
    );
    // saved again as done without a link: the file stays its evidence; set to do again, it no longer is
    const chemin = `/api/v1/conventions/${ids.msj}/obligations`;
    const encore = await put(chemin, { items: [entree(fait, { etat: 'faite' })] }, 'demo-partenaire-justice');
    expect(encore.status).toBe(200);
    expect(
      ((await encore.json()).items as Array<{ id: number; preuve_fichier: string }>).find((x) => x.id === o.id)!
        .preuve_fichier,
    ).toBe(fait.preuve_fichier);
    const refaire = await put(chemin, { items: [entree(fait, { etat: 'a_faire' })] }, 'demo-partenaire-justice');
    expect(
      ((await refaire.json()).items as Array<{ id: number; preuve_fichier: string | null }>).find((x) => x.id === o.id),
    ).toMatchObject({
      etat: 'a_faire',
      preuve_fichier: null,
    });
    const journal = await t.storage.db
      .selectFrom('journal')
      .select(['action', 'changements'])
      .where('convention_id', '=', ids.msj!)
      .where('action', '=', 'modification_obligations')
      .orderBy('id')
      .execute();
    expect(JSON.stringify(journal[0]!.changements)).toContain('designation.pdf (sha256 ');
  });

  it('lets the DINUM add a free obligation before a date, and waive one with its reason', async () => {
    const chemin = `/api/v1/conventions/${ids.selex}/obligations`;
    const limite = `${chronologie.annee + 1}-03-31`;
    const libre = {
      partie: 'delegataire',
      libelle: 'Envoyer le modèle de pérennisation',
      echeance: 'avant_date',
      etat: 'a_faire',
    };
    expect((await put(chemin, { items: [libre] })).status).toBe(400);
    const r = await put(chemin, { items: [{ ...libre, date_limite: limite }] }, 'demo-gestionnaire');
    expect(r.status).toBe(200);
    const ajoutee = ((await r.json()).items as Item[]).find((o) => o.libelle === libre.libelle)!;
    expect(ajoutee).toMatchObject({ code: null, etat_du_jour: 'due', echeance_du_jour: limite });
    const manifeste = (await items(ids.selex!)).find((o) => o.code === 'manifeste')!;
    expect((await put(chemin, { items: [entree(manifeste, { etat: 'levee' })] })).status).toBe(400);
    const l = await put(chemin, { items: [entree(manifeste, { etat: 'levee', motif_levee: 'Déjà signataire' })] });
    expect(((await l.json()).items as Item[]).find((o) => o.id === manifeste.id)).toMatchObject({
      etat_du_jour: 'levee',
      motif_levee: 'Déjà signataire',
    });
  });

  it('adds a free obligation from the governance page, keeps what was typed on an error, and refuses a partner', async () => {
    const chemin = `/conventions/${ids.msj}/obligations`;
    const poster = (champs: Record<string, string>, user = 'demo-gestionnaire') =>
      t.app.request(chemin, { method: 'POST', headers: t.as(user), body: form(champs) });
    const p = 'obligation-nouvelle.';
    const page = await (
      await t.app.request(`/conventions/${ids.msj}/gouvernance`, { headers: t.as('demo-gestionnaire') })
    ).text();
    expect(page.includes('Ajouter une obligation')).toBe(true);
    const partenaire = await (
      await t.app.request(`/conventions/${ids.msj}/gouvernance`, { headers: t.as('demo-partenaire-justice') })
    ).text();
    expect(partenaire.includes('Ajouter une obligation')).toBe(false);

    const [avant] = await etat(ids.msj!);
    const manque = await poster({ [`${p}partie`]: 'delegant', [`${p}libelle`]: 'Comité de pilotage trimestriel' });
    expect(manque.status).toBe(400);
    const html = await manque.text();
    expect(html.includes('Choisissez quand elle est due.')).toBe(true);
    expect(html.includes('Choisissez cette valeur parmi')).toBe(false);
    expect(html.includes('value="Comité de pilotage trimestriel"')).toBe(true);
    expect(
      (
        await poster(
          { [`${p}partie`]: 'delegant', [`${p}libelle`]: 'x', [`${p}echeance`]: 'terme' },
          'demo-partenaire-justice',
        )
      ).status,
    ).toBe(403);
    expect((await etat(ids.msj!))[0]).toEqual(avant);

    const ok = await poster({
      [`${p}partie`]: 'delegant',
      [`${p}libelle`]: 'Comité de pilotage trimestriel',
      [`${p}echeance`]: 'avant_date',
      [`${p}date_limite`]: `${chronologie.annee + 1}-02-15`,
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/conventions/${ids.msj}/gouvernance?ok=obligation_ajoutee#obligations`);
    expect((await items(ids.msj!)).find((o) => o.libelle === 'Comité de pilotage trimestriel')).toMatchObject({
      code: null,
      partie: 'delegant',
      echeance: 'avant_date',
      date_limite: `${chronologie.annee + 1}-02-15`,
      etat: 'a_faire',
    });
  });
});
