import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, form, testApp, type TestApp } from '../support/app.js';
import { DATABASES } from '../support/db.js';
import { seed } from '../support/contract.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { analyser } from '../../src/importer/analyse.js';
import { versSaisie } from '../../src/importer/saisie.js';
import { champsDepuisConvention } from '../../src/web/form.js';
import { importerConvention } from '../../src/usecases/document.js';

/**
 * Every kind of write leaves its journal line, with its author (the agent, or the token's name) and what
 * changed. Each write goes through the API or the pages; each line is read back through the API's journal
 * of the convention, or, for the writes that belong to no convention (agents, tokens, calendar), from the
 * journal table, which no route shows yet.
 */

interface Ligne {
  action: string;
  objet_type: string;
  objet_id: string;
  acteur: { id: string; nom: string; role: string };
  changements: Array<{ champ: string; avant: unknown; apres: unknown }>;
  commentaire: string | null;
}

const nom = (id: string) => ACTEURS_DEMO.find((a) => a.id === id)!.nom;
const jeton = (id: string) => `Jeton « Tests — ${id} »`;
const ADMIN = 'demo-admin';
const GESTION = 'demo-gestionnaire';
const EQUIPE = 'demo-equipe-classe12';

const convention = (reference: string, patch: Record<string, unknown> = {}) => ({
  reference,
  role_dinum: 'delegataire',
  statut: 'en_vigueur',
  delegant: { nom: 'Ministère de la Culture', siret: '11004601800013' },
  delegataire: { nom: 'DINUM' },
  produits: ['Pass Journal'],
  phase: 'construction',
  echeancier: [
    { annee: 2026, ae_centimes: 5_000_000, cp_centimes: 5_000_000 },
    { annee: 2027, ae_centimes: 1_000_000, cp_centimes: 1_000_000 },
  ],
  total_ae_centimes: 6_000_000,
  date_signature: '2026-03-01',
  duree_mois: 24,
  ...patch,
});

describe.each(DATABASES)('journal of every write on %s', (kind) => {
  let t: TestApp;
  const api = async (method: string, url: string, qui: string, body?: unknown) => {
    const r = await t.app.request(url, {
      method,
      headers: t.api(qui),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(
      r.status,
      `${method} ${url} : ${r.status === 201 || r.status === 200 ? '' : await r.clone().text()}`,
    ).toBeLessThan(300);
    return r.json();
  };
  const page = async (url: string, qui: string, champs: Record<string, string>) => {
    const r = await t.app.request(url, {
      method: 'POST',
      headers: t.as(qui, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: form(champs),
    });
    expect(r.status, `POST ${url}`).toBeLessThan(400);
    return r;
  };
  const journal = async (id: string): Promise<Ligne[]> =>
    (await api('GET', `/api/v1/conventions/${id}/journal`, ADMIN)).items;
  /** the latest line of an action on an object of a convention */
  const ligne = async (conventionId: string, action: string, objetId?: string): Promise<Ligne> => {
    const l = (await journal(conventionId)).find(
      (x) => x.action === action && (objetId === undefined || x.objet_id === objetId),
    );
    expect(l, `journal line ${action}`).toBeDefined();
    return l!;
  };
  /** lines of writes outside any convention */
  const horsConvention = async (objetType: string, objetId: string, action: string) => {
    const r = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('convention_id', 'is', null)
      .where('objet_type', '=', objetType)
      .where('objet_id', '=', objetId)
      .where('action', '=', action)
      .execute();
    expect(r, `journal line ${objetType} ${action}`).toHaveLength(1);
    return r[0]!;
  };
  const nouvelle = async (reference: string, patch: Record<string, unknown> = {}) =>
    (await api('POST', '/api/v1/conventions', ADMIN, convention(reference, patch))) as { id: string; version: number };
  const commande = async (id: string, montant: number) =>
    (await api('POST', `/api/v1/conventions/${id}/engagements`, GESTION, {
      annee: 2026,
      montant_centimes: montant,
      objet: 'Sprint',
      titulaire: 'Octo Technology',
    })) as { id: string; numero: string };

  beforeAll(async () => {
    t = await testApp(kind, { bodyLimit: 256 * 1024 });
  });
  afterAll(async () => t?.close());

  it('convention created, modified and suspended', async () => {
    const c = await nouvelle('J-CONV');
    const creation = await ligne(c.id, 'creation');
    expect(creation.acteur.nom).toBe(jeton(ADMIN));
    expect(creation.changements).toContainEqual({ champ: 'reference', avant: null, apres: 'J-CONV' });

    const lue = await api('GET', `/api/v1/conventions/${c.id}`, ADMIN);
    const { id, version, cree_le, modifie_le, statut_effectif, fin_effective, avertissements, ...entree } = lue;
    void [id, cree_le, modifie_le, statut_effectif, fin_effective, avertissements];
    await api('PUT', `/api/v1/conventions/${c.id}`, ADMIN, { ...entree, version, preavis_mois: 2 });
    const modification = await ligne(c.id, 'modification');
    expect(modification.acteur.nom).toBe(jeton(ADMIN));
    expect(modification.changements).toEqual([expect.objectContaining({ avant: null, apres: 2 })]);

    await api('POST', `/api/v1/conventions/${c.id}/suspension`, ADMIN, {
      motif: 'Crédits insuffisants signalés au délégant',
    });
    const statut = await ligne(c.id, 'suspension');
    expect(statut).toMatchObject({
      acteur: { nom: jeton(ADMIN) },
      changements: [{ champ: 'statut', avant: 'en_vigueur', apres: 'suspendue' }],
      commentaire: 'Crédits insuffisants signalés au délégant',
    });
  });

  it('order, service fait, payment, closing at actual amount and cancelling', async () => {
    const c = await nouvelle('J-ORDRE');
    const e = await commande(c.id, 1_000_000);
    expect(await ligne(c.id, 'engagement', e.id)).toMatchObject({
      objet_type: 'engagement',
      acteur: { nom: jeton(GESTION) },
      changements: expect.arrayContaining([
        { champ: 'numero', avant: null, apres: e.numero },
        { champ: 'titulaire', avant: null, apres: 'Octo Technology' },
      ]),
    });

    await api('POST', `/api/v1/conventions/${c.id}/engagements/${e.id}/services-faits`, GESTION, { pourcentage: 40 });
    expect(await ligne(c.id, 'service_fait', e.id)).toMatchObject({
      acteur: { nom: jeton(GESTION) },
      changements: [
        { champ: 'certifie', avant: 0, apres: 400_000 },
        { champ: 'date_effet', avant: null, apres: '2026-11-23' },
      ],
    });

    await api('POST', `/api/v1/conventions/${c.id}/engagements/${e.id}/paiements`, GESTION, {
      montant_centimes: 300_000,
      reference: 'FAC-J-1',
    });
    const paiement = await ligne(c.id, 'paiement', e.id);
    expect(paiement).toMatchObject({
      acteur: { nom: jeton(GESTION) },
      changements: [
        { champ: 'paye', avant: 0, apres: 300_000 },
        { champ: 'date_effet', avant: null, apres: '2026-11-23' },
      ],
    });
    expect(paiement.commentaire).toContain('FAC-J-1');

    await api('POST', `/api/v1/conventions/${c.id}/engagements/${e.id}/solde`, GESTION, { motif: 'Fin de mission' });
    const solde = await ligne(c.id, 'solde', e.id);
    expect(solde).toMatchObject({
      acteur: { nom: jeton(GESTION) },
      changements: expect.arrayContaining([
        { champ: 'statut', avant: 'actif', apres: 'solde' },
        { champ: 'libere', avant: 0, apres: 600_000 },
      ]),
    });
    expect(solde.commentaire!.replace(/\s/g, ' ')).toContain('6 000,00 €');

    const e2 = await commande(c.id, 200_000);
    await page(`/conventions/${c.id}/credits/engagements/${e2.id}/annulation`, GESTION, {
      motif: 'Commande en double',
      confirmation: 'oui',
    });
    const annulation = await ligne(c.id, 'annulation', e2.id);
    expect(annulation).toMatchObject({
      acteur: { nom: nom(GESTION) },
      changements: expect.arrayContaining([{ champ: 'statut', avant: 'actif', apres: 'annule' }]),
    });
    expect(annulation.commentaire).toContain('Commande en double');
  });

  it('carry-over, return, tranche release and availability decision', async () => {
    const c = await nouvelle('J-CREDITS');
    await api('POST', `/api/v1/conventions/${c.id}/credits/reports`, GESTION, {
      annee: 2026,
      ae_centimes: 100_000,
      cp_centimes: 50_000,
      motif: 'Accord du délégant',
    });
    const report = await ligne(c.id, 'report');
    expect(report).toMatchObject({ objet_type: 'credit', acteur: { nom: jeton(GESTION) } });
    expect(report.commentaire!.replace(/\s/g, ' ')).toMatch(
      /1 000,00 € d’AE et 500,00 € de CP de 2026 sur 2027 : Accord du délégant/,
    );

    await api('POST', `/api/v1/conventions/${c.id}/credits/restitutions`, GESTION, {
      annee: 2026,
      ae_centimes: 200_000,
      cp_centimes: 0,
      motif: 'Remontée',
    });
    const restitution = await ligne(c.id, 'restitution');
    expect(restitution.acteur.nom).toBe(jeton(GESTION));
    expect(restitution.commentaire!.replace(/\s/g, ' ')).toMatch(/2 000,00 € d’AE et 0,00 € de CP 2026 : Remontée/);

    await api('POST', `/api/v1/conventions/${c.id}/credits/disponibilites`, ADMIN, {
      annee: 2027,
      ae_centimes: 300_000,
      cp_centimes: 300_000,
      date: '2026-11-20',
      motif: 'Notification du délégant',
    });
    const disponibilite = await ligne(c.id, 'disponibilite');
    expect(disponibilite.acteur.nom).toBe(jeton(ADMIN));
    expect(disponibilite.commentaire!.replace(/\s/g, ' ')).toContain(
      'Crédits 2027 mis à disposition : 3 000,00 € d’AE',
    );

    const fast = await nouvelle('J-TRANCHES', {
      tranches: [
        { part_pct: 50, condition: 'à la signature' },
        { part_pct: 50, condition: 'après le bilan de mi-parcours' },
      ],
    });
    await api('POST', `/api/v1/conventions/${fast.id}/credits/tranches/2/liberation`, GESTION, {
      date: '2026-11-20',
      motif: 'Bilan favorable',
      decideur: 'Comité FAST',
    });
    const tranche = await ligne(fast.id, 'liberation_tranche');
    expect(tranche.acteur.nom).toBe(jeton(GESTION));
    expect(tranche.commentaire).toContain('Tranche 2 (50 %)');
  });

  it('proposal made, approved and refused', async () => {
    const c = await nouvelle('J-PROPOSITIONS', { produits: ['Classe à 12'] });
    const proposer = async (objet: string) =>
      (await api('POST', `/api/v1/conventions/${c.id}/propositions`, EQUIPE, {
        titulaire: 'Access42',
        objet,
        montant_centimes: 100_000,
        annee: 2026,
      })) as { id: string };
    // the product team may only propose on its own product's conventions
    const p1 = await proposer('Audit RGAA');
    expect(await ligne(c.id, 'proposition', p1.id)).toMatchObject({
      objet_type: 'proposition',
      acteur: { nom: jeton(EQUIPE) },
    });
    await api('POST', `/api/v1/conventions/${c.id}/propositions/${p1.id}/validation`, GESTION, {});
    expect(await ligne(c.id, 'validation', p1.id)).toMatchObject({
      acteur: { nom: jeton(GESTION) },
      changements: [{ champ: 'statut', avant: 'a_valider', apres: 'validee' }],
    });
    const p2 = await proposer('Tests utilisateurs');
    await page(`/conventions/${c.id}/credits/propositions/${p2.id}/refus`, GESTION, { motif: 'Hors enveloppe' });
    expect(await ligne(c.id, 'refus', p2.id)).toMatchObject({
      acteur: { nom: nom(GESTION) },
      changements: [{ champ: 'statut', avant: 'a_valider', apres: 'refusee' }],
      commentaire: 'Hors enveloppe',
    });
  });

  it('alert dealt with', async () => {
    const c = await nouvelle('J-ALERTE', {
      echeancier: [{ annee: 2026, ae_centimes: 100_000, cp_centimes: 100_000 }],
      total_ae_centimes: 100_000,
    });
    const refus = await t.app.request(`/api/v1/conventions/${c.id}/engagements`, {
      method: 'POST',
      headers: t.api(GESTION),
      body: JSON.stringify({ annee: 2026, montant_centimes: 200_000, objet: 'Trop', titulaire: 'T' }),
    });
    expect(refus.status).toBe(409);
    const alertes = await api('GET', '/api/v1/credits/alertes', ADMIN);
    const alerte = alertes.enregistrees.find((a: { convention_id: string }) => a.convention_id === c.id);
    await api('POST', `/api/v1/credits/alertes/${alerte.id}/traitement`, GESTION, {});
    const l = await ligne(c.id, 'traitement', String(alerte.id));
    expect(l).toMatchObject({
      objet_type: 'alerte',
      acteur: { nom: jeton(GESTION) },
      changements: [{ champ: 'traitee', avant: false, apres: true }],
    });
    expect(l.commentaire).toContain('Insuffisance de crédits');
  });

  it('imported document accepted', async () => {
    const fd = new FormData();
    fd.set('_csrf', CSRF);
    fd.append('fichiers', new File([seed('004_dae5c40bbfeb0924.txt')], 'selexpert.txt'));
    const depot = await t.app.request('/imports', { method: 'POST', headers: t.as(ADMIN), body: fd });
    expect(depot.status).toBe(303);
    const docId = depot.headers.get('location')!.split('/').pop()!;
    const a = await analyser(new TextEncoder().encode(seed('004_dae5c40bbfeb0924.txt')), 'selexpert.txt');
    if (!a.ok) throw new Error('lecture du document');
    const champs = champsDepuisConvention(versSaisie(a.extraction, 'a_verifier'));
    const accepte = await page(`/imports/${docId}/accepter`, ADMIN, {
      ...champs,
      reference: 'J-IMPORT',
      objet_verbe: 'accélérer',
      statut: 'en_vigueur',
    });
    const id = accepte.headers.get('location')!.match(/\/conventions\/([0-9a-f-]{36})/)![1]!;
    const l = await ligne(id, 'import');
    expect(l.acteur.nom).toBe(nom(ADMIN));
    expect(l.commentaire).toContain('selexpert.txt');
    expect(l.changements).toContainEqual({ champ: 'reference', avant: null, apres: 'J-IMPORT' });
  });

  it('document imported for review (as the command line does), then accepted in the application', async () => {
    const a = await analyser(new TextEncoder().encode(seed('002_3dd1662a2dcbaa88.txt')), 'monsuivipsy.txt');
    if (!a.ok) throw new Error('lecture du document');
    const admin = ACTEURS_DEMO.find((x) => x.id === ADMIN)!;
    const { convention, documentId } = await importerConvention(t.ctx, admin, a, 'a_verifier');
    const champs = champsDepuisConvention({ ...convention, reference: 'J-REVUE' });
    // same parties, signature date and UO as a demo convention: accepted on confirmation
    await page(`/imports/${documentId}/accepter`, GESTION, {
      ...champs,
      version: String(convention.version),
      confirmer_doublon: 'oui',
    });
    const l = await ligne(convention.id, 'import');
    expect(l.acteur.nom).toBe(nom(GESTION));
    expect(l.commentaire).toMatch(/^Importée depuis monsuivipsy\.txt .*, vérifiée et acceptée$/);
    expect((await ligne(convention.id, 'acceptation')).changements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ avant: 'a_verifier', apres: 'en_vigueur' }),
        expect.objectContaining({ apres: 'J-REVUE' }),
      ]),
    );
  });

  it('calendar settings changed', async () => {
    const cal = await api('GET', '/api/v1/parametres/calendrier', ADMIN);
    await api('PUT', '/api/v1/parametres/calendrier', ADMIN, {
      ...cal,
      avertissement_jours: cal.avertissement_jours + 1,
      motif: 'Circulaire de fin de gestion',
    });
    const r = await t.storage.db
      .selectFrom('journal')
      .selectAll()
      .where('convention_id', 'is', null)
      .where('commentaire', '=', 'Circulaire de fin de gestion')
      .execute();
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({
      acteur_nom: jeton(ADMIN),
      changements: [{ avant: cal.avertissement_jours, apres: cal.avertissement_jours + 1 }],
    });
    await api('PUT', '/api/v1/parametres/calendrier', ADMIN, { ...cal, motif: 'Retour aux dates par défaut' });
  });

  it('role changed, token created and revoked', async () => {
    const agent = await t.storage.db
      .selectFrom('agent')
      .select('id')
      .where('id', '=', 'demo-partenaire-sociaux')
      .executeTakeFirstOrThrow();
    await page(`/admin/agents/${agent.id}`, ADMIN, {
      role: 'gestionnaire',
      organisationSiret: '',
      produits: '',
      actif: '1',
    });
    const role = await horsConvention('agent', agent.id, 'modification');
    expect(role).toMatchObject({ acteur_nom: nom(ADMIN) });
    expect(role.changements).toContainEqual({ champ: 'role', avant: 'partenaire', apres: 'gestionnaire' });
    await page(`/admin/agents/${agent.id}`, ADMIN, {
      role: 'partenaire',
      organisationSiret: '11000801300017',
      produits: '',
      actif: '1',
    });

    const cree = await page('/admin/jetons', ADMIN, {
      nom: 'Tableau de bord du journal',
      role: 'gestionnaire',
      expireJours: '30',
    });
    expect(cree.status).toBe(201);
    const j = await t.storage.db
      .selectFrom('jeton')
      .select('id')
      .where('nom', '=', 'Tableau de bord du journal')
      .executeTakeFirstOrThrow();
    const creation = await horsConvention('jeton', j.id, 'creation');
    expect(creation).toMatchObject({ acteur_nom: nom(ADMIN) });
    expect(creation.changements).toContainEqual({ champ: 'role', avant: null, apres: 'gestionnaire' });
    await page(`/admin/jetons/${j.id}/revocation`, ADMIN, { confirmation: 'oui' });
    expect(await horsConvention('jeton', j.id, 'revocation')).toMatchObject({ acteur_nom: nom(ADMIN) });
  });
});
