import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
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

/** The file as a calendar reads it, parsed by ical.js. */
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

// the test's own calendar arithmetic, on UTC days: a month later is the same day, clamped to the month's end
const iso = (d: Date) => d.toISOString().slice(0, 10);
const plusJours = (j: string, n: number) => iso(new Date(Date.parse(`${j}T00:00:00Z`) + n * 86_400_000));
function plusMois(j: string, n: number): string {
  const [a, m, d] = j.split('-').map(Number) as [number, number, number];
  const dernier = new Date(Date.UTC(a, m - 1 + n + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(a, m - 1 + n, Math.min(d, dernier))));
}

const BASE = 'http://localhost:3000';
/** what any request touches: the API's rate limit, the token's and the session's last use */
const SANS_LECTURES = ['limite', 'jeton.utilise_le', 'session.vu_le'];

describe.each(DATABASES)('the calendar file of one convention on %s', (kind) => {
  let t: TestApp;
  let selex: string;
  const { jour, references, selex: saisie, chronologie } = demo();
  const fixture = chronologie.selex;
  const annee = Number(jour.slice(0, 4));
  const libelle = saisie.produits.join(', ');
  // a committee the test schedules: it replaces the planned one in the calendar
  const comite = `${annee + 1}-01-15`;

  beforeAll(async () => {
    t = await testApp(kind);
    selex = (
      await t.storage.db
        .selectFrom('convention')
        .select('id')
        .where('reference', '=', references.selex)
        .executeTakeFirstOrThrow()
    ).id;
    const r = await t.app.request(`/api/v1/conventions/${selex}/comites`, {
      method: 'POST',
      headers: t.api('demo-admin'),
      body: JSON.stringify({ date: comite }),
    });
    expect(r.status).toBe(201);
  });
  afterAll(async () => t?.close());

  const uid = (cle: string) => `convention:${selex}:${cle}`;
  const page = (agent: string | null, id = selex) =>
    t.app.request(`/conventions/${id}/agenda.ics`, { headers: agent ? t.as(agent) : {} });
  const api = (agent: string | null, id = selex) =>
    t.app.request(`/api/v1/conventions/${id}/agenda.ics`, { headers: agent ? t.api(agent) : {} });

  it('downloads every dated event of the convention: the caller’s items and its fixed dates', async () => {
    const r = await page('demo-partenaire-justice');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(
      `attachment; filename="convention-${references.selex.replace(/[^A-Za-z0-9_-]/g, '_')}.ics"`,
    );
    const evts = evenements(await r.text());
    expect(new Set(evts.map((e) => e.uid)).size).toBe(evts.length);
    for (const e of evts) {
      expect(e.uid.startsWith(`convention:${selex}:`), e.uid).toBe(true);
      expect(e.journee, e.uid).toBe(true);
      expect(e.fin, e.uid).toBe(plusJours(e.debut, 1));
      expect(e.url.startsWith(`${BASE}/conventions/${selex}`), e.url).toBe(true);
      expect(e.description).toContain(e.url);
      expect(e.description).toContain(libelle);
      // stamped by the application's clock, never the machine's
      expect(e.horodatage).toBe(t.ctx.now().toISOString());
    }
    const le = (cle: string) => {
      const e = evts.find((x) => x.uid === uid(cle));
      expect(e, cle).toBeDefined();
      return e!;
    };

    // signature and end, from the fixture's chronology
    const signature = le(`signature:${selex}`);
    expect(signature.debut).toBe(fixture.signature);
    expect(signature.resume).toBe(`Signature de la convention « ${libelle} »`);
    expect(signature.url).toBe(`${BASE}/conventions/${selex}`);
    expect(le(`fin:${selex}:${fixture.fin}`).debut).toBe(fixture.fin);

    // the committee scheduled stands for the planned one
    const c = le(`comite:${selex}:${comite}`);
    expect(c.debut).toBe(comite);
    expect(c.url).toBe(`${BASE}/conventions/${selex}/gouvernance#comites`);
    expect(evts.filter((e) => e.uid.startsWith(uid('comite:'))).map((e) => e.debut)).toEqual([comite]);

    // the FAST mid-term review: two months after the promotion's launch, a week after the signature
    expect(le(`revue:${selex}`).debut).toBe(plusMois(plusJours(fixture.signature, 7), 2));

    // this year's cut-offs, from the calendar's settings
    const cal = (await (
      await t.app.request('/api/v1/parametres/calendrier', { headers: t.api('demo-admin') })
    ).json()) as {
      limite_engagements: string;
      limite_paiements: string;
    };
    const engagements = le(`limite-engagements:${selex}:${annee}`);
    expect(engagements.debut).toBe(`${annee}-${cal.limite_engagements}`);
    expect(engagements.url).toBe(`${BASE}/conventions/${selex}/credits?annee=${annee}`);
    expect(le(`limite-paiements:${selex}:${annee}`).debut).toBe(`${annee}-${cal.limite_paiements}`);

    // each obligation not waived, on its next due day
    const obligations = await t.storage.db
      .selectFrom('obligation')
      .selectAll()
      .where('convention_id', '=', selex)
      .execute();
    expect(obligations.length).toBeGreaterThan(0);
    const attendues = obligations.flatMap((o) => {
      const recurrente = o.echeance === 'mensuelle' || o.echeance === 'semestrielle';
      if (o.etat === 'levee' || (o.etat === 'faite' && !recurrente)) return [];
      const date = {
        signature: plusMois(fixture.signature, 1),
        mensuelle: plusMois(o.faite_le ?? fixture.signature, 1),
        semestrielle: plusMois(o.faite_le ?? fixture.signature, 6),
        terme: fixture.fin,
        avant_date: o.date_limite,
      }[o.echeance];
      return date ? [{ uid: uid(`obligation:${o.id}:${date}`), date }] : [];
    });
    for (const a of attendues) expect(le(a.uid.slice(uid('').length)).debut).toBe(a.date);
    expect(evts.filter((e) => e.uid.startsWith(uid('obligation:'))).length).toBe(attendues.length);

    // every « À faire » item of this convention for this agent, as the API lists it
    const items = (
      (await (
        await t.app.request(`/api/v1/a-faire?convention_id=${selex}`, { headers: t.api('demo-partenaire-justice') })
      ).json()) as { items: Array<{ cle: string; echeance: string; libelle: string; action_url: string }> }
    ).items;
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      const e = le(i.cle);
      expect([e.debut, e.resume, e.url]).toEqual([i.echeance, i.libelle, `${BASE}${i.action_url}`]);
    }
  });

  it('gives the same file through the API with a token, and again on a second download', async () => {
    const r = await api('demo-partenaire-justice');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="convention-[A-Za-z0-9_-]+\.ics"$/);
    const parApi = evenements(await r.text()).map((e) => [e.uid, e.debut, e.resume]);
    const parPage = evenements(await (await page('demo-partenaire-justice')).text()).map((e) => [
      e.uid,
      e.debut,
      e.resume,
    ]);
    expect(parApi).toEqual(parPage);
    // reading writes nothing, and the same events come back under the same UIDs
    const avant = await empreinte(t.storage.db, SANS_LECTURES);
    const encore = evenements(await (await api('demo-partenaire-justice')).text()).map((e) => [
      e.uid,
      e.debut,
      e.resume,
    ]);
    expect(encore).toEqual(parApi);
    expect(await empreinte(t.storage.db, SANS_LECTURES)).toEqual(avant);
  });

  it('gives the public the published page’s dates only, and hides a convention from whoever may not read it', async () => {
    for (const r of [await page(null), await api(null)]) {
      expect(r.status).toBe(200);
      expect(evenements(await r.text()).map((e) => [e.uid, e.debut])).toEqual([
        [uid(`signature:${selex}`), fixture.signature],
        [uid(`fin:${selex}:${fixture.fin}`), fixture.fin],
      ]);
    }
    // the ministries' partner and the product team do not see seLEXpert
    for (const agent of ['demo-partenaire-sociaux', 'demo-equipe']) {
      expect((await page(agent)).status, agent).toBe(404);
      expect((await api(agent)).status, agent).toBe(404);
    }
    const inconnue = randomUUID();
    expect((await page('demo-admin', inconnue)).status).toBe(404);
    const r = await api('demo-admin', inconnue);
    expect(r.status).toBe(404);
    expect((await r.json()).code).toBe('INTROUVABLE');
  });

  it('links the file from the convention’s page', async () => {
    const html = await (await t.app.request(`/conventions/${selex}`, { headers: t.as('demo-gestionnaire') })).text();
    expect(html).toMatch(
      new RegExp(
        `<a class="fr-link fr-icon-calendar-line fr-link--icon-left" href="/conventions/${selex}/agenda.ics" download="?">\\s*Ajouter au calendrier \\(\\.ics\\)\\s*</a>`,
      ),
    );
  });
});
