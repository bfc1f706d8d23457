import { createHash, randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ecrireAvecJournal } from '../../src/storage/journal.js';
import { insererProposition } from '../../src/storage/proposition.js';
import { form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { demo } from '../support/demo.js';
import { empreinte } from '../support/hostile.js';

interface Evenement {
  uid: string;
  resume: string;
  debut: string;
  journee: boolean;
  fin: string;
  url: string;
  description: string;
  horodatage: string;
}

/** The feed as a calendar reads it, parsed by ical.js. */
function evenements(texte: string): Evenement[] {
  const cal = new ICAL.Component(ICAL.parse(texte));
  expect(cal.name).toBe('vcalendar');
  expect(cal.getFirstPropertyValue('version')).toBe('2.0');
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      resume: e.summary,
      debut: e.startDate.toString(),
      journee: e.startDate.isDate,
      fin: e.endDate.toString(),
      url: String(v.getFirstPropertyValue('url')),
      description: e.description,
      horodatage: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    };
  });
}

const POST = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(DATABASES)('the personal calendar feed and « Mon compte » on %s', (kind) => {
  let t: TestApp;
  let classe: string;
  const pid = randomUUID();
  const objet = `Audit d’accessibilité ${pid.slice(0, 8)}`;

  beforeAll(async () => {
    t = await testApp(kind);
    classe = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.classe)
        .executeTakeFirstOrThrow()
    ).id;
    // a proposal made by the product team on 20 November: its ordonnateur decides within 7 days
    const equipe = ACTEURS_DEMO.find((a) => a.role === 'equipe')!;
    await t.storage.db.transaction().execute((trx) =>
      ecrireAvecJournal(
        trx,
        equipe,
        new Date('2026-11-20T09:00:00Z'),
        { conventionId: classe, objetType: 'proposition', objetId: pid, action: 'proposition' },
        (e) =>
          insererProposition(e, pid, classe, {
            annee: 2026,
            titulaire: 'Titulaire du test',
            marche: null,
            devis: null,
            objet,
            produit: null,
            montantCentimes: 123_400,
            baseMontant: null,
            dateFinPrestation: null,
            justification: null,
          }),
      ),
    );
  });
  afterAll(async () => t?.close());

  /** Creates (or replaces) the agent's feed from « Mon compte » and gives the address shown once. */
  async function creer(agent: string): Promise<string> {
    const r = await t.app.request('/compte/agenda', {
      method: 'POST',
      headers: t.as(agent, POST),
      body: form({}).toString(),
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const html = await r.text();
    const adresse = /<code id="adresse-agenda">([^<]+)<\/code>/.exec(html)?.[1];
    expect(adresse).toMatch(/^http:\/\/localhost:3000\/agenda\/agd_[A-Za-z0-9_-]{43}$/);
    return adresse!;
  }
  const lire = (adresse: string) => t.app.request(adresse.replace('http://localhost:3000', ''));

  it('shows the agent who they are, and creates a feed whose events are their « À faire » items', async () => {
    const page = await t.app.request('/compte', { headers: t.as('demo-gestionnaire') });
    expect(page.status).toBe(200);
    const html = await page.text();
    const g = ACTEURS_DEMO.find((a) => a.id === 'demo-gestionnaire')!;
    expect(html).toContain('<h1>Mon compte</h1>');
    expect(html).toContain(g.nom);
    expect(html).toContain('Gestionnaire budgétaire DINUM');
    expect(html).toContain('Vous n’avez pas d’adresse d’agenda.');
    expect(await t.app.request('/compte')).toMatchObject({ status: 303 });

    const adresse = await creer('demo-gestionnaire');
    const secret = adresse.split('/').pop()!;
    // only the hash is stored
    const ligne = await t.storage.db
      .selectFrom('agenda')
      .selectAll()
      .where('agent_id', '=', 'demo-gestionnaire')
      .executeTakeFirstOrThrow();
    expect(ligne.hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(await t.storage.db.selectFrom('journal').selectAll().execute())).not.toContain(secret);
    // the address is never shown again
    const apres = await (await t.app.request('/compte', { headers: t.as('demo-gestionnaire') })).text();
    expect(apres).not.toContain(secret);
    expect(apres).toContain(`<code>${secret.slice(0, 10)}…</code>`);

    // fetched by a calendar: no session, no cookie, and nothing written
    const avant = await empreinte(t.storage.db, []);
    const r = await lire(adresse);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const evts = evenements(await r.text());
    expect(await empreinte(t.storage.db, [])).toEqual(avant);

    const e = evts.find((x) => x.uid === `proposition:${pid}`);
    expect(e).toBeDefined();
    expect(e!.journee).toBe(true);
    expect(e!.debut).toBe('2026-11-27');
    expect(e!.fin).toBe('2026-11-28');
    expect(e!.resume).toContain(`« ${objet} »`);
    expect(e!.resume).toMatch(/1\s234,00\s€/u);
    const url = `http://localhost:3000/conventions/${classe}/credits?annee=2026#proposition-${pid}`;
    expect(e!.url).toBe(url);
    expect(e!.description).toContain(url);
    // stamped by the application's clock, never the machine's
    expect(e!.horodatage).toBe(t.ctx.now().toISOString());
    // every event is an item of the agent's « À faire », each once
    const api = (await (await t.app.request('/api/v1/a-faire', { headers: t.api('demo-gestionnaire') })).json()) as {
      items: Array<{ cle: string; echeance: string; libelle: string; action_url: string }>;
    };
    expect(evts.map((x) => x.uid).sort()).toEqual(api.items.map((i) => i.cle).sort());
    for (const i of api.items) {
      const x = evts.find((v) => v.uid === i.cle)!;
      expect([x.debut, x.resume, x.url]).toEqual([i.echeance, i.libelle, `http://localhost:3000${i.action_url}`]);
    }
  });

  it('never shows an agent another agent’s items', async () => {
    const adresse = await creer('demo-partenaire-sociaux');
    const evts = evenements(await (await lire(adresse)).text());
    expect(evts.some((e) => e.uid === `proposition:${pid}`)).toBe(false);
    expect(evts.some((e) => e.url.includes(classe))).toBe(false);
    const msp = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', demo().references.msp)
        .executeTakeFirstOrThrow()
    ).id;
    for (const e of evts) expect(e.url.includes('/conventions/') ? e.url.includes(msp) : true, e.url).toBe(true);
  });

  it('stops the former address when the secret is replaced, and every address once revoked', async () => {
    const premiere = await creer('demo-admin');
    expect((await lire(premiere)).status).toBe(200);
    const seconde = await creer('demo-admin');
    expect(seconde).not.toBe(premiere);
    expect((await lire(premiere)).status).toBe(404);
    expect((await lire(seconde)).status).toBe(200);

    const r = await t.app.request('/compte/agenda/revocation', {
      method: 'POST',
      headers: t.as('demo-admin', POST),
      body: form({}).toString(),
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/compte?ok=revoque#agenda');
    expect((await lire(seconde)).status).toBe(404);
    const page = await (await t.app.request('/compte?ok=revoque', { headers: t.as('demo-admin') })).text();
    expect(page).toContain('Vous n’avez pas d’adresse d’agenda.');
    expect(page).toContain('révoquée');
    const journal = await t.storage.db
      .selectFrom('journal')
      .select(['action', 'acteur_id'])
      .where('objet_type', '=', 'agenda')
      .where('objet_id', '=', 'demo-admin')
      .orderBy('id')
      .execute();
    expect(journal.map((j) => j.action)).toEqual(['creation', 'creation', 'revocation']);
    expect(new Set(journal.map((j) => j.acteur_id))).toEqual(new Set(['demo-admin']));
    // an unknown or malformed secret is not found
    for (const s of ['agd_' + 'x'.repeat(43), 'inconnu', seconde.split('/').pop()!.toUpperCase()])
      expect((await t.app.request(`/agenda/${s}`)).status).toBe(404);
  });

  it('refuses both forms without their CSRF token, and writes nothing', async () => {
    const avant = await empreinte(t.storage.db, ['session.vu_le']);
    for (const chemin of ['/compte/agenda', '/compte/agenda/revocation']) {
      const sans = await t.app.request(chemin, { method: 'POST', headers: t.as('demo-equipe', POST), body: '' });
      expect(sans.status, chemin).toBe(403);
      const faux = await t.app.request(chemin, {
        method: 'POST',
        headers: t.as('demo-equipe', POST),
        body: form({}, false).toString() + '_csrf=' + 'b'.repeat(43),
      });
      expect(faux.status, chemin).toBe(403);
    }
    expect(await empreinte(t.storage.db, ['session.vu_le'])).toEqual(avant);
  });
});
