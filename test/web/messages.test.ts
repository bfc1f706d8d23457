import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { creerConvention } from '../../src/usecases/convention.js';
import { demo } from '../support/demo.js';
import { DATABASES, contexte } from '../support/db.js';
import { form, testApp, type TestApp } from '../support/app.js';

const admin = ACTEURS_DEMO.find((a) => a.role === 'administrateur')!;

/** What a person must never read in an error: the schema library's English, or a field's name in the API. */
const ANGLAIS = /Invalid|expected|received|Too big|Too small|Required|Unrecognized/i;
const IDENTIFIANT = /\b[a-z]+_[a-z_]+\b/;

const decoder = (s: string) =>
  s
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** The error shown under the field named `name`, in the form that was sent (the other forms show none). */
function erreurSous(html: string, name: string): string | undefined {
  const nom = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(
    `name="${nom}"(?:(?!fr-input-group|fr-select-group|fr-fieldset__element)[\\s\\S])*?<p class="fr-error-text"[^>]*>([^<]*)</p>`,
    'g',
  );
  const trouves = [...html.matchAll(re)].map((m) => decoder(m[1]!.trim()));
  return trouves[0];
}

/** Every message of errors on the page: under the fields and in the alerts. */
function messagesErreur(html: string): string[] {
  const sous = [...html.matchAll(/<p class="fr-error-text"[^>]*>([^<]*)<\/p>/g)].map((m) => decoder(m[1]!));
  const alertes = [...html.matchAll(/<div class="fr-alert fr-alert--error[^"]*"[^>]*>([\s\S]*?)<\/div>/g)].map((m) =>
    decoder(m[1]!.replace(/<[^>]+>/g, ' ')),
  );
  return [...sous, ...alertes];
}

function sansAnglaisNiIdentifiant(html: string) {
  const messages = messagesErreur(html);
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    expect(m, m).not.toMatch(ANGLAIS);
    expect(m, m).not.toMatch(IDENTIFIANT);
  }
}

describe.each(DATABASES)('validation messages in French on %s', (kind) => {
  let t: TestApp;
  let id: string;
  let eid: string;
  const poster = (path: string, fields: Record<string, string>, user = 'demo-admin') =>
    t.app.request(path, {
      method: 'POST',
      headers: t.as(user, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form(fields).toString(),
    });
  const json = (path: string, body: unknown, user = 'demo-gestionnaire') =>
    t.app.request(path, { method: 'POST', headers: t.api(user), body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await testApp(kind);
    id = (await creerConvention(contexte(t.storage), admin, { ...demo().atelier, reference: 'MESSAGES' })).convention
      .id;
    const r = await json(`/api/v1/conventions/${id}/engagements`, {
      annee: 2026,
      montant_centimes: 1_000_000,
      objet: 'Coaching',
      titulaire: 'Octo',
      date_engagement: '2026-06-01',
    });
    expect(r.status).toBe(201);
    eid = (await r.json()).id;
    // half of it certified, so that the order's page offers the payment form
    const sf = await json(`/api/v1/conventions/${id}/engagements/${eid}/services-faits`, {
      montant_centimes: 500_000,
      date: '2026-06-02',
    });
    expect(sf.status).toBe(201);
  });
  afterAll(async () => t?.close());

  it('says what is wrong with each field of the convention form, naming it as the page labels it', async () => {
    const r = await poster('/conventions', {
      role_dinum: 'chef',
      'delegant.nom': '',
      'delegataire.nom': 'DINUM',
      'echeancier.0.annee': '1990',
      'echeancier.0.ae_centimes': '10 000',
      'tranches.0.part_pct': '150',
      duree_mois: '0',
      preavis_mois: '61',
      date_signature: '2026-02-30',
      'delegant.siret': '123',
    });
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(erreurSous(html, 'role_dinum')).toBe('Choisissez le rôle de la DINUM parmi les valeurs proposées.');
    expect(erreurSous(html, 'delegant.nom')).toBe('Indiquez le nom du délégant.');
    expect(erreurSous(html, 'echeancier.0.annee')).toBe('L’année de la ligne 1 doit être comprise entre 2000 et 2100.');
    expect(erreurSous(html, 'tranches.0.part_pct')).toBe(
      'La part de la tranche 1 doit être comprise entre 0,01 et 100.',
    );
    expect(erreurSous(html, 'duree_mois')).toBe('La durée en mois doit être comprise entre 1 et 240.');
    expect(erreurSous(html, 'preavis_mois')).toBe('Le préavis de résiliation en mois doit être compris entre 1 et 60.');
    expect(erreurSous(html, 'date_signature')).toBe(
      'La date de signature n’est pas une date valide (attendu : AAAA-MM-JJ).',
    );
    expect(erreurSous(html, 'delegant.siret')).toBe('Le SIRET compte 14 chiffres.');
    sansAnglaisNiIdentifiant(html);
  });

  it('says what is wrong in the order form', async () => {
    const r = await poster(
      `/conventions/${id}/credits/engagements`,
      { titulaire: 'Octo', objet: '', montant_centimes: '', annee: '1990', taux_tva: '7', base_montant: 'TVA' },
      'demo-gestionnaire',
    );
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(erreurSous(html, 'montant_centimes')).toBe('Indiquez le montant en euros.');
    expect(erreurSous(html, 'objet')).toBe('Indiquez l’objet de la commande.');
    expect(erreurSous(html, 'annee')).toBe('L’année budgétaire doit être comprise entre 2000 et 2100.');
    expect(erreurSous(html, 'taux_tva')).toBe('Choisissez le taux de TVA parmi les valeurs proposées.');
    expect(erreurSous(html, 'base_montant')).toBe('Choisissez la base du montant parmi les valeurs proposées.');
    expect(html).toContain('value="Octo"'); // what was typed is kept
    sansAnglaisNiIdentifiant(html);
  });

  it('says what is wrong in the service fait and payment forms of an order', async () => {
    const base = `/conventions/${id}/credits/engagements/${eid}`;
    const sf = await poster(`${base}/service-fait`, { mode: 'pourcentage', pourcentage: '150' }, 'demo-gestionnaire');
    expect(sf.status).toBe(400);
    const sfHtml = await sf.text();
    expect(erreurSous(sfHtml, 'pourcentage')).toBe('Le pourcentage doit être compris entre 0 et 100.');
    sansAnglaisNiIdentifiant(sfHtml);
    const aucun = await poster(`${base}/service-fait`, { mode: 'montant', montant_centimes: '' }, 'demo-gestionnaire');
    expect(erreurSous(await aucun.text(), 'montant_centimes')).toBe(
      'Indiquez un montant, un pourcentage ou le reste de la commande : un seul des trois.',
    );

    const p = await poster(
      `${base}/paiement`,
      { montant_centimes: '', reference: '', date: '2026-13-01' },
      'demo-gestionnaire',
    );
    expect(p.status).toBe(400);
    const pHtml = await p.text();
    expect(erreurSous(pHtml, 'montant_centimes')).toBe('Indiquez le montant en euros.');
    expect(erreurSous(pHtml, 'reference')).toBe('Indiquez la référence de la facture ou de la demande de paiement.');
    expect(erreurSous(pHtml, 'date')).toBe('La date du paiement n’est pas une date valide (attendu : AAAA-MM-JJ).');
    sansAnglaisNiIdentifiant(pHtml);
  });

  it('says what is wrong in the credits decision forms', async () => {
    const report = await poster(`/conventions/${id}/credits/report`, { annee: '', ae_centimes: '1 000', motif: '' });
    expect(report.status).toBe(400);
    const rHtml = await report.text();
    expect(erreurSous(rHtml, 'annee')).toBe('Indiquez l’année.');
    expect(erreurSous(rHtml, 'motif')).toBe('Indiquez le motif.');
    sansAnglaisNiIdentifiant(rHtml);

    const dispo = await poster(`/conventions/${id}/credits/disponibilite`, {
      annee: '2026',
      ae_centimes: '-5',
      motif: 'Notification',
    });
    expect(dispo.status).toBe(400);
    const dHtml = await dispo.text();
    expect(erreurSous(dHtml, 'date')).toBe('Indiquez la date de prise d’effet.');
    expect(erreurSous(dHtml, 'ae_centimes')).toBe('Un montant ne peut pas être négatif.');
    sansAnglaisNiIdentifiant(dHtml);

    // this convention has no tranche left to release: the page has no such form, the message shows above
    const tranche = await poster(`/conventions/${id}/credits/tranches`, { rang: '1', date: 'hier', motif: 'Bilan' });
    expect(tranche.status).toBe(400);
    const tHtml = await tranche.text();
    expect(tHtml).not.toContain('action="/conventions/' + id + '/credits/tranches"');
    expect(decoder(tHtml)).toContain(
      '<li>La date de la décision n’est pas une date valide (attendu : AAAA-MM-JJ).</li>',
    );
  });

  it('answers the API with its stable code and the same French messages', async () => {
    const r = await json(`/api/v1/conventions/${id}/engagements`, {
      annee: 2026,
      objet: 'Coaching',
      titulaire: 'Octo',
      taux_tva: 7,
      inconnu: true,
    });
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.code).toBe('DONNEES_INVALIDES');
    expect(body.message).toBe('Certaines informations sont invalides.');
    expect(body.details.erreurs).toEqual(
      expect.arrayContaining([
        { champ: 'montant_centimes', message: 'Indiquez le montant en euros.' },
        { champ: 'taux_tva', message: 'Choisissez le taux de TVA parmi les valeurs proposées.' },
        { champ: 'inconnu', message: 'Cette information n’est pas attendue.' },
      ]),
    );
    expect(body.details.erreurs).toHaveLength(3);

    const sf = await json(`/api/v1/conventions/${id}/engagements/${eid}/services-faits`, { pourcentage: 150 });
    expect(sf.status).toBe(400);
    expect((await sf.json()).details.erreurs).toEqual([
      { champ: 'pourcentage', message: 'Le pourcentage doit être compris entre 0 et 100.' },
    ]);

    const conv = await json(
      '/api/v1/conventions',
      { role_dinum: 'delegant', delegant: { nom: 'DINUM' }, delegataire: { nom: 'X' }, duree_mois: 'douze' },
      'demo-admin',
    );
    expect(conv.status).toBe(400);
    expect((await conv.json()).details.erreurs).toEqual([
      { champ: 'duree_mois', message: 'La durée en mois doit être un nombre.' },
    ]);

    const filtre = await t.app.request('/api/v1/conventions?taille=1000', { headers: t.as('demo-admin') });
    expect(filtre.status).toBe(400);
    const f = await filtre.json();
    expect(f.code).toBe('DONNEES_INVALIDES');
    expect(f.details.erreurs).toEqual([
      { champ: 'taille', message: 'Le nombre de lignes par page doit être compris entre 1 et 200.' },
    ]);
    for (const e of [...body.details.erreurs, ...f.details.erreurs]) {
      expect(e.message).not.toMatch(ANGLAIS);
      expect(e.message).not.toMatch(IDENTIFIANT);
    }
  });
});
