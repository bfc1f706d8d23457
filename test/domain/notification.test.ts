import { describe, expect, it } from 'vitest';
import type { ItemAFaire } from '../../src/domain/a-faire.js';
import {
  avecLien,
  frequence,
  frequencesPermises,
  repartir,
  type Destinataire,
  type Message,
} from '../../src/domain/notification.js';
import { messageRecapitulatif, messagesEcheances, recapitulatifsDus } from '../../src/domain/notification-echeance.js';

const AGENT: Destinataire = {
  id: 'agent-1',
  nom: 'Dominique Budget',
  email: 'dominique@example.gouv.fr',
  role: 'gestionnaire',
  organisationSiret: null,
  produits: [],
};

const item = (type: ItemAFaire['type'], echeance: string, cle = `${type}:c1:${echeance}`): ItemAFaire => ({
  cle,
  type,
  echeance,
  urgence: 'ce_mois',
  conventionId: 'c1',
  conventionLibelle: 'Mon Produit',
  partenaire: 'Ministère',
  libelle: `Libellé ${type}`,
  actionUrl: `/conventions/c1#${type}`,
  actionDirecte: null,
});

const types = (items: ItemAFaire[], jour: string) => messagesEcheances(items, AGENT, jour).map((m) => m.type);

describe('messages that time causes', () => {
  it('tells of a cut-off from 7 days before it, up to its day, not after', () => {
    for (const t of ['date_limite_engagements', 'date_limite_paiements'] as const) {
      const i = [item(t, '2026-12-12')];
      expect(types(i, '2026-12-04')).toEqual([]); // 8 days before
      expect(types(i, '2026-12-05')).toEqual(['date_limite_proche']); // 7 days
      expect(types(i, '2026-12-12')).toEqual(['date_limite_proche']); // the day itself
      expect(types(i, '2026-12-13')).toEqual([]);
    }
  });

  it('tells of a convention ending from 45 days before', () => {
    const i = [item('fin_convention', '2027-03-31')];
    expect(types(i, '2027-02-13')).toEqual([]); // 46 days
    expect(types(i, '2027-02-14')).toEqual(['fin_convention_proche']); // 45 days
  });

  it('tells of a committee or a FAST review from 7 days before', () => {
    for (const t of ['comite_a_tenir', 'revue_mi_parcours'] as const) {
      const i = [item(t, '2027-01-15')];
      expect(types(i, '2027-01-07')).toEqual([]);
      expect(types(i, '2027-01-08')).toEqual(['comite_a_tenir']);
    }
  });

  it('tells of an obligation in the week it becomes late, not before, and not years later', () => {
    const i = [item('obligation_a_remplir', '2026-12-31')];
    expect(types(i, '2026-12-31')).toEqual([]);
    expect(types(i, '2027-01-01')).toEqual(['obligation_en_retard']);
    expect(types(i, '2027-01-07')).toEqual(['obligation_en_retard']);
    expect(types(i, '2027-01-08')).toEqual([]);
  });

  it('says nothing of the other kinds of items', () => {
    expect(types([item('proposition_a_decider', '2026-12-05'), item('alerte', '2026-12-05')], '2026-12-05')).toEqual(
      [],
    );
  });

  it('keys each message on its item and recipient, so that the next days do not send it again', () => {
    const i = [item('date_limite_engagements', '2026-12-12', 'limite-engagements:c1:2026')];
    const [a] = messagesEcheances(i, AGENT, '2026-12-05');
    const [b] = messagesEcheances(i, AGENT, '2026-12-09');
    expect(a!.cle).toBe('echeance:limite-engagements:c1:2026:agent-1');
    expect(b!.cle).toBe(a!.cle);
    expect(a!.sujet).toBe('[Délégations] Date limite des engagements le 12 décembre 2026 — Mon Produit');
    expect(a!.sujet).toContain('Mon Produit');
    expect(a!.texte).toContain('dans 7 jours');
    expect(a!.lien).toBe('/conventions/c1#date_limite_engagements');
    expect(a!.destinataire).toBe('dominique@example.gouv.fr');
  });
});

describe('digests', () => {
  // local times: the server's day, as everywhere in the product
  const le = (j: string, h: string) => new Date(`${j}T${h}`);

  it('falls from 7 a.m.: daily on working days, weekly on Mondays, none at the week-end', () => {
    expect(recapitulatifsDus(le('2026-12-07', '06:59:59'))).toBeNull();
    expect(recapitulatifsDus(le('2026-12-07', '07:00:00'))).toEqual({
      jour: '2026-12-07',
      frequences: ['quotidien', 'hebdomadaire'],
    }); // a Monday
    expect(recapitulatifsDus(le('2026-12-08', '18:00:00'))).toEqual({ jour: '2026-12-08', frequences: ['quotidien'] });
    expect(recapitulatifsDus(le('2026-12-05', '09:00:00'))).toEqual({ jour: '2026-12-05', frequences: [] }); // Saturday
    expect(recapitulatifsDus(le('2026-12-06', '09:00:00'))).toEqual({ jour: '2026-12-06', frequences: [] });
  });

  it('lists the held messages and the « À faire » items, or is not written when there is nothing', () => {
    expect(messageRecapitulatif(AGENT, '2026-12-07', true, [], null)).toBeNull();
    expect(messageRecapitulatif(AGENT, '2026-12-07', true, [], [])).toBeNull();
    const m = messageRecapitulatif(
      AGENT,
      '2026-12-07',
      true,
      [{ id: 4, sujet: '[Délégations] Proposition à valider — Mon Produit', lien: '/conventions/c1/credits' }],
      [item('exercice_a_clore', '2026-12-31')],
    )!;
    expect(m.cle).toBe('recapitulatif:2026-12-07:agent-1');
    expect(m.sujet).toBe('[Délégations] Votre semaine du 7 décembre 2026 : 1 notification et 1 élément à faire');
    expect(m.elements).toEqual([
      { groupe: 'Vos notifications', libelle: 'Proposition à valider — Mon Produit', lien: '/conventions/c1/credits' },
      {
        groupe: 'À faire — ce mois-ci',
        libelle: '31 décembre 2026 : Libellé exercice_a_clore (Mon Produit)',
        lien: '/conventions/c1#exercice_a_clore',
      },
    ]);
    const corps = avecLien(m, 'https://delegations.example.gouv.fr');
    expect(corps.texte).toContain(
      'Vos notifications\n- Proposition à valider — Mon Produit\n  https://delegations.example.gouv.fr/conventions/c1/credits',
    );
    expect(corps.html).toContain('<a href="https://delegations.example.gouv.fr/conventions/c1#exercice_a_clore">');
    expect(corps.texte).toContain('Ouvrir dans Délégations : https://delegations.example.gouv.fr/a-faire');
  });
});

describe('each agent’s choices', () => {
  const m = (type: Message['type'], agentId = 'agent-1') =>
    ({ type, cle: `${type}:${agentId}`, agentId }) as unknown as Message;

  it('sends at once by default, holds for a digest, or writes nothing', () => {
    const prefs = new Map([
      ['agent-1', { proposition_a_decider: 'aucun', decision_proposition: 'hebdomadaire' } as const],
    ]);
    const r = repartir(
      [m('proposition_a_decider'), m('decision_proposition'), m('refus_insuffisance'), m('proposition_a_decider', 'b')],
      prefs,
    );
    expect(r.map((x) => [x.cle, x.statut, x.regroupement])).toEqual([
      ['decision_proposition:agent-1', 'differe', 'hebdomadaire'],
      ['refus_insuffisance:agent-1', 'a_envoyer', null],
      ['proposition_a_decider:b', 'a_envoyer', null],
    ]);
  });

  it('never sends « À faire » at once, and sends it on Mondays unless told otherwise', () => {
    expect(frequencesPermises('recapitulatif_a_faire')).not.toContain('immediat');
    expect(frequence(undefined, 'recapitulatif_a_faire')).toBe('hebdomadaire');
    expect(frequence({}, 'obligation_en_retard')).toBe('immediat');
  });
});
