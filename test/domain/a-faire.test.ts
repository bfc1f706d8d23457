import { describe, expect, it } from 'vitest';
import type { Acteur } from '../../src/domain/acces.js';
import {
  aFaire,
  DELAIS_A_FAIRE,
  parUrgence,
  type ConventionAFaire,
  type DonneesAFaire,
  type ItemAFaire,
} from '../../src/domain/a-faire.js';
import type { GouvernanceAFaire } from '../../src/domain/a-faire-gouvernance.js';
import { PARAMETRES_DEFAUT } from '../../src/domain/calendrier.js';
import type { Obligation } from '../../src/domain/obligation.js';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';
import type { CasInsuffisance } from '../../src/domain/insuffisance.js';

const MINISTERE = '11000201100044';
const DINUM = '13002526500013';

const acteur = (role: Acteur['role'], siret: string | null = null): Acteur => ({
  id: role,
  nom: role,
  role,
  organisationSiret: siret,
  produits: role === 'equipe' ? ['Mon Suivi Justice'] : [],
});
const gestionnaire = acteur('gestionnaire');
const administrateur = acteur('administrateur');
/** the ministry is délégant of convention C1 (the DINUM is délégataire) */
const partenaireDelegant = acteur('partenaire', MINISTERE);
const equipe = acteur('equipe');

const convention = (
  o: Partial<ConventionAFaire> = {},
  statut: ConventionAFaire['portee']['statut'] = 'en_vigueur',
) => ({
  id: 'c1',
  libelle: 'Mon Suivi Justice',
  partenaire: 'Ministère de la Justice',
  portee: {
    produits: ['Mon Suivi Justice'],
    publiee: false,
    statut,
    roleDinum: 'delegataire' as const,
    delegant: { siret: MINISTERE },
    delegataire: { siret: DINUM },
  },
  finEffective: '2027-12-31',
  resiliationEffet: null,
  avenantEnCours: false,
  rapportEnvoye: false,
  ...o,
});

const vide = (o: Partial<DonneesAFaire> = {}): DonneesAFaire => ({
  conventions: [convention()],
  propositions: [],
  engagements: [],
  credits: [],
  alertes: [],
  insuffisances: [],
  exercices: [],
  imports: [],
  gouvernance: [],
  ...o,
});

const P = { calendrier: PARAMETRES_DEFAUT, delais: DELAIS_A_FAIRE };
const items = (d: DonneesAFaire, jour: string, a: Acteur = gestionnaire) => aFaire(d, a, jour, P);
const resume = (l: ItemAFaire[]) => l.map((i) => [i.type, i.echeance, i.urgence]);

describe('« À faire »: proposals to decide', () => {
  const d = vide({
    propositions: [
      {
        id: 'p1',
        conventionId: 'c1',
        objet: 'Développement',
        montantCentimes: 1_200_000,
        annee: 2026,
        proposeLe: '2026-03-02',
        proposeParNom: 'Équipe MSJ',
      },
    ],
  });
  it('asks the ordonnateur, due 7 days after the proposal, late the day after', () => {
    expect(resume(items(d, '2026-03-08'))).toEqual([['proposition_a_decider', '2026-03-09', 'cette_semaine']]);
    expect(resume(items(d, '2026-03-09'))).toEqual([['proposition_a_decider', '2026-03-09', 'cette_semaine']]);
    expect(resume(items(d, '2026-03-10'))).toEqual([['proposition_a_decider', '2026-03-09', 'en_retard']]);
    const [i] = items(d, '2026-03-10');
    expect(i!.conventionId).toBe('c1');
    expect(i!.actionUrl).toBe('/conventions/c1/credits?annee=2026#proposition-p1');
    expect(i!.libelle).toMatch(/12\s000,00/);
  });
  it('is not for the team that proposed, nor for the délégant partner, nor the public', () => {
    expect(items(d, '2026-03-08', equipe)).toEqual([]);
    expect(items(d, '2026-03-08', partenaireDelegant)).toEqual([]);
    expect(items(d, '2026-03-08', acteur('public'))).toEqual([]);
  });
  it('is for the délégataire partner as ordonnateur', () => {
    const dinumDelegant = vide({
      ...d,
      conventions: [
        convention({
          portee: { ...convention().portee, delegant: { siret: DINUM }, delegataire: { siret: MINISTERE } },
        }),
      ],
    });
    expect(items(dinumDelegant, '2026-03-08', partenaireDelegant).map((i) => i.type)).toEqual([
      'proposition_a_decider',
    ]);
  });
  it('says nothing of a convention out of scope', () => {
    expect(items(vide({ ...d, conventions: [] }), '2026-03-08')).toEqual([]);
  });
});

describe('« À faire »: orders and payments', () => {
  const engagement = {
    id: 'e1',
    conventionId: 'c1',
    numero: 'BC-2026-0001',
    objet: 'Coaching',
    dateEngagement: '2026-01-10',
    actif: true,
    certifieCentimes: 0,
    payeCentimes: 0,
    servicesFaits: [],
  };
  it('an order without certified work appears more than 60 days after it was placed', () => {
    const d = vide({ engagements: [engagement] });
    // 10 January + 60 days = 11 March
    expect(items(d, '2026-03-10')).toEqual([]);
    expect(items(d, '2026-03-11')).toEqual([]);
    expect(resume(items(d, '2026-03-12'))).toEqual([['service_fait_attendu', '2026-03-11', 'en_retard']]);
    expect(items(vide({ engagements: [{ ...engagement, actif: false }] }), '2026-03-12')).toEqual([]);
    expect(items(d, '2026-03-12', partenaireDelegant)).toEqual([]);
  });
  it('certified work not paid is due 30 days after the oldest certification the payments do not cover', () => {
    const e = {
      ...engagement,
      certifieCentimes: 60_000,
      payeCentimes: 20_000,
      servicesFaits: [
        { date: '2026-02-20', montantCentimes: 40_000 },
        { date: '2026-02-01', montantCentimes: 20_000 },
      ],
    };
    const d = vide({ engagements: [e] });
    // paid 200 € covers the 1 February certification: the 20 February one is due on 22 March
    expect(resume(items(d, '2026-03-14'))).toEqual([['paiement_a_effectuer', '2026-03-22', 'ce_mois']]);
    expect(resume(items(d, '2026-03-15'))).toEqual([['paiement_a_effectuer', '2026-03-22', 'cette_semaine']]);
    expect(resume(items(d, '2026-03-22'))).toEqual([['paiement_a_effectuer', '2026-03-22', 'cette_semaine']]);
    expect(resume(items(d, '2026-03-23'))).toEqual([['paiement_a_effectuer', '2026-03-22', 'en_retard']]);
    expect(items(d, '2026-03-23')[0]!.libelle).toContain('400,00');
    expect(items(vide({ engagements: [{ ...e, payeCentimes: 60_000 }] }), '2026-03-23')).toEqual([]);
  });
});

describe('« À faire »: insufficiency of credits', () => {
  const alerte = {
    id: 7,
    conventionId: 'c1',
    code: 'PLAFOND_AE_DEPASSE',
    message: 'Insuffisance de crédits — 100 € demandés',
    destinataire: 'delegant',
    le: '2026-05-04',
  };
  it('a refusal for lack of credits is to report at once, late the next day', () => {
    const d = vide({ alertes: [alerte] });
    expect(resume(items(d, '2026-05-04'))).toEqual([['refus_a_signaler', '2026-05-04', 'cette_semaine']]);
    expect(resume(items(d, '2026-05-05'))).toEqual([['refus_a_signaler', '2026-05-04', 'en_retard']]);
    expect(items(d, '2026-05-05', partenaireDelegant)).toEqual([]);
  });
  it('other refusals go to the budget agents only', () => {
    const d = vide({ alertes: [{ ...alerte, code: 'CALENDRIER_DEPASSE', destinataire: null }] });
    expect(items(d, '2026-05-04').map((i) => i.type)).toEqual(['alerte']);
    expect(items(d, '2026-05-04', equipe)).toEqual([]);
  });
  const cas: CasInsuffisance = {
    id: 3,
    conventionId: 'c1',
    annee: 2026,
    nature: 'credits',
    ouvertLe: '2026-05-04T09:00:00.000Z',
    ouvertPar: 'x',
    nbRefus: 1,
    details: {},
    information: null,
    reponse: null,
  };
  it('an open case asks the délégataire to inform, then the délégant to answer within 30 days', () => {
    expect(resume(items(vide({ insuffisances: [cas] }), '2026-05-04'))).toEqual([
      ['insuffisance_a_informer', '2026-05-04', 'cette_semaine'],
    ]);
    expect(items(vide({ insuffisances: [cas] }), '2026-05-04', partenaireDelegant)).toEqual([]);
    const informe = {
      ...cas,
      information: { date: '2026-05-06', moyen: 'courriel', justification: null, auteur: 'x', le: '' },
    };
    const d = vide({ insuffisances: [informe] });
    expect(items(d, '2026-05-06', gestionnaire)).toEqual([]);
    expect(resume(items(d, '2026-06-04', partenaireDelegant))).toEqual([
      ['insuffisance_a_repondre', '2026-06-05', 'cette_semaine'],
    ]);
    expect(resume(items(d, '2026-06-05', partenaireDelegant))[0]![2]).toBe('cette_semaine');
    expect(resume(items(d, '2026-06-06', partenaireDelegant))[0]![2]).toBe('en_retard');
    const repondu = {
      ...informe,
      reponse: { date: '2026-05-10', decision: 'refus' as const, motif: 'm', auteur: 'x', le: '' },
    };
    expect(items(vide({ insuffisances: [repondu] }), '2026-05-10', partenaireDelegant)).toEqual([]);
  });
});

describe('« À faire »: year-end cut-offs and exercises', () => {
  const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ouverture: '2026-01-01', ...o });
  it('the orders cut-off (12 December) from 21 days before, with AE left', () => {
    const d = vide({ credits: [{ conventionId: 'c1', totaux: t({ ouvertAe: 100_000, engageAe: 40_000 }) }] });
    expect(items(d, '2026-11-20')).toEqual([]);
    expect(resume(items(d, '2026-11-21'))).toEqual([['date_limite_engagements', '2026-12-12', 'ce_mois']]);
    expect(resume(items(d, '2026-12-12'))).toEqual([['date_limite_engagements', '2026-12-12', 'cette_semaine']]);
    expect(items(d, '2026-12-13')).toEqual([]);
    expect(items(d, '2026-12-01')[0]!.libelle).toContain('600,00');
    const engage = vide({ credits: [{ conventionId: 'c1', totaux: t({ ouvertAe: 100_000, engageAe: 100_000 }) }] });
    expect(items(engage, '2026-12-01')).toEqual([]);
  });
  it('the payments cut-off (30 November) from 21 days before, with certified work to pay', () => {
    const d = vide({
      credits: [{ conventionId: 'c1', totaux: t({ ouvertCp: 100_000, certifie: 30_000, payeCp: 10_000 }) }],
    });
    expect(items(d, '2026-11-08')).toEqual([]);
    expect(resume(items(d, '2026-11-09'))).toEqual([['date_limite_paiements', '2026-11-30', 'ce_mois']]);
    expect(resume(items(d, '2026-11-30'))).toEqual([['date_limite_paiements', '2026-11-30', 'cette_semaine']]);
    expect(items(d, '2026-12-01')).toEqual([]);
  });
  it('an exercise to close from its closing opening, late after its deadline, for who may close it', () => {
    const calendrier = {
      annee: 2026,
      ouvertureCloture: '2026-12-13',
      limiteReport: '2026-11-15',
      limiteCloture: '2027-01-31',
    };
    // the DINUM is délégataire of C1: the gestionnaire does not close it, the délégant and the administrator do
    const d = vide({ exercices: [{ conventionId: 'c1', calendrier }] });
    expect(items(d, '2026-12-12', administrateur)).toEqual([]);
    expect(resume(items(d, '2026-12-13', administrateur))).toEqual([['exercice_a_clore', '2027-01-31', 'plus_tard']]);
    expect(resume(items(d, '2027-01-31', partenaireDelegant))).toEqual([
      ['exercice_a_clore', '2027-01-31', 'cette_semaine'],
    ]);
    expect(resume(items(d, '2027-02-01', administrateur))[0]![2]).toBe('en_retard');
    expect(items(d, '2027-02-01', gestionnaire)).toEqual([]);
  });
});

describe('« À faire »: the convention’s life', () => {
  it('a convention ending within 60 days without an avenant under way', () => {
    const d = vide({ conventions: [convention({ finEffective: '2026-06-30', rapportEnvoye: true })] });
    expect(items(d, '2026-04-30')).toEqual([]);
    expect(resume(items(d, '2026-05-01'))).toEqual([['fin_convention', '2026-06-30', 'plus_tard']]);
    expect(resume(items(d, '2026-06-30', equipe))).toEqual([['fin_convention', '2026-06-30', 'cette_semaine']]);
    expect(items(d, '2026-07-01')).toEqual([]);
    expect(
      items(
        vide({ conventions: [convention({ finEffective: '2026-06-30', avenantEnCours: true, rapportEnvoye: true })] }),
        '2026-06-01',
      ),
    ).toEqual([]);
  });
  it('a notice given, until its effect', () => {
    const d = vide({
      conventions: [
        convention(
          { finEffective: '2026-09-30', resiliationEffet: '2026-09-30', rapportEnvoye: true },
          'resiliation_notifiee',
        ),
      ],
    });
    expect(resume(items(d, '2026-09-29'))).toEqual([['resiliation_notifiee', '2026-09-30', 'cette_semaine']]);
    expect(resume(items(d, '2026-09-30'))).toEqual([['resiliation_notifiee', '2026-09-30', 'cette_semaine']]);
    expect(items(d, '2026-10-01')).toEqual([]);
  });
  it('the end-of-term report, from 60 days before the end until it is sent, for the délégataire', () => {
    const d = vide({ conventions: [convention({ finEffective: '2026-06-30', avenantEnCours: true })] });
    expect(items(d, '2026-04-30')).toEqual([]);
    expect(resume(items(d, '2026-05-01'))).toEqual([['rapport_fin', '2026-06-30', 'plus_tard']]);
    // due at the end, late after it, and still there until it is sent, whatever the convention's state
    expect(resume(items(d, '2026-09-01'))).toEqual([['rapport_fin', '2026-06-30', 'en_retard']]);
    const [i] = items(d, '2026-09-01');
    expect(i!.actionUrl).toBe('/conventions/c1/rapport');
    expect(i!.libelle).toContain('30 juin 2026');
    const resiliee = vide({
      conventions: [
        convention(
          { finEffective: '2026-03-31', resiliationEffet: '2026-03-31', avenantEnCours: true },
          'resiliation_notifiee',
        ),
      ],
    });
    expect(resume(items(resiliee, '2026-04-15'))).toEqual([['rapport_fin', '2026-03-31', 'en_retard']]);
    // the ministry is délégant here: the report is the délégataire's; the team does not write it either
    expect(items(d, '2026-09-01', partenaireDelegant)).toEqual([]);
    expect(items(d, '2026-09-01', equipe)).toEqual([]);
    // sent, or closed, or not signed: nothing to do
    for (const c of [
      convention({ finEffective: '2026-06-30', avenantEnCours: true, rapportEnvoye: true }),
      convention({ finEffective: '2026-06-30', avenantEnCours: true }, 'cloturee'),
      convention({ finEffective: '2026-06-30', avenantEnCours: true }, 'en_signature'),
      convention({ finEffective: null, avenantEnCours: true }),
    ])
      expect(items(vide({ conventions: [c] }), '2026-09-01')).toEqual([]);
  });
  it('an import to review within 7 days, for those who may create conventions', () => {
    const d = vide({ imports: [{ id: 'd1', nom: 'convention.pdf', importeLe: '2026-02-01' }] });
    expect(resume(items(d, '2026-02-08'))).toEqual([['import_a_verifier', '2026-02-08', 'cette_semaine']]);
    expect(resume(items(d, '2026-02-09'))).toEqual([['import_a_verifier', '2026-02-08', 'en_retard']]);
    expect(items(d, '2026-02-09')[0]!.conventionId).toBeNull();
    expect(items(d, '2026-02-09', partenaireDelegant)).toEqual([]);
  });
});

describe('« À faire »: urgency groups', () => {
  it('late, this week (7 days), this month (30 days), later, soonest first', () => {
    const d = vide({
      imports: ['2026-01-01', '2026-01-04', '2026-01-05', '2026-01-27', '2026-01-28'].map((j, n) => ({
        id: `d${n}`,
        nom: `f${n}`,
        importeLe: j,
      })),
    });
    // due 7 days after each import; today 4 January
    const l = items(d, '2026-01-04');
    expect(l.map((i) => [i.echeance, i.urgence])).toEqual([
      ['2026-01-08', 'cette_semaine'],
      ['2026-01-11', 'cette_semaine'],
      ['2026-01-12', 'ce_mois'],
      ['2026-02-03', 'ce_mois'],
      ['2026-02-04', 'plus_tard'],
    ]);
    expect(items(d, '2026-01-09')[0]!.urgence).toBe('en_retard');
    expect(parUrgence(l).map((g) => [g.urgence, g.items.length])).toEqual([
      ['cette_semaine', 2],
      ['ce_mois', 2],
      ['plus_tard', 1],
    ]);
  });
});

describe('« À faire »: governance', () => {
  const gouv = (o: Partial<GouvernanceAFaire> = {}): GouvernanceAFaire => ({
    conventionId: 'c1',
    dateSignature: '2026-06-01',
    periodiciteMois: 6,
    comites: [],
    miParcours: null,
    laureat: false,
    enveloppe: null,
    obligations: [],
    ...o,
  });
  const obligation = (o: Partial<Obligation>): Obligation => ({
    id: 1,
    conventionId: 'c1',
    partie: 'delegant',
    code: null,
    libelle: 'Demander les habilitations Chorus',
    echeance: 'signature',
    dateLimite: null,
    mesure: null,
    etat: 'a_faire',
    preuveUrl: null,
    preuvePieceId: null,
    motifLevee: null,
    faiteLe: null,
    modifiePar: null,
    ...o,
  });
  const d = (g: GouvernanceAFaire) => vide({ gouvernance: [g] });
  const decide = {
    decision: 'continue' as const,
    motif: 'Objectifs atteints',
    budgetCentimes: null,
    dureeMois: null,
    phase: null,
    trancheLiberee: null,
    appelleAvenant: false,
    auteur: 'demo-gestionnaire',
    le: '2026-11-01T10:00:00Z',
  };

  it('plans the committee six months after the signature, shown within 30 days of it', () => {
    expect(items(d(gouv()), '2026-10-31')).toEqual([]);
    expect(resume(items(d(gouv()), '2026-11-10'))).toEqual([['comite_a_tenir', '2026-12-01', 'ce_mois']]);
    expect(items(d(gouv()), '2026-11-10')[0]!.actionUrl).toBe('/conventions/c1/gouvernance#planifier');
  });

  it('waits for the decision of a committee already scheduled, late once its day has passed', () => {
    const g = gouv({ comites: [{ nature: 'investissement', date: '2026-11-20', decision: null }] });
    expect(resume(items(d(g), '2026-11-23'))).toEqual([['comite_a_tenir', '2026-11-20', 'en_retard']]);
    expect(items(d(g), '2026-11-23')[0]!.libelle).toContain('décision est à enregistrer');
  });

  it('has nothing to say once the committee has decided, until the next period comes near', () => {
    const g = gouv({ comites: [{ nature: 'investissement', date: '2026-11-01', decision: decide }] });
    expect(items(d(g), '2026-11-23')).toEqual([]);
    expect(resume(items(d(g), '2027-04-15'))).toEqual([['comite_a_tenir', '2027-05-01', 'ce_mois']]);
  });

  it('reminds a FAST laureate’s mid-term review, and the partner’s envelope before its deadline', () => {
    const g = gouv({
      periodiciteMois: 12,
      laureat: true,
      miParcours: '2026-11-30',
      enveloppe: {
        conventionId: 'c1',
        montantCentimes: 11_000_000,
        engageCentimes: 2_000_000,
        preuveUrl: null,
        preuvePieceId: null,
        declarePar: null,
        declareLe: null,
      },
    });
    const l = items(d(g), '2026-11-23');
    expect(resume(l)).toEqual([
      ['revue_mi_parcours', '2026-11-30', 'cette_semaine'],
      ['enveloppe_a_engager', '2026-12-01', 'ce_mois'],
    ]);
    expect(l[1]!.libelle).toMatch(/90\s000,00/);
    const engagee = { ...g, enveloppe: { ...g.enveloppe!, engageCentimes: 11_000_000 } };
    expect(resume(items(d(engagee), '2026-11-23'))).toEqual([['revue_mi_parcours', '2026-11-30', 'cette_semaine']]);
    const tenue = {
      ...engagee,
      comites: [{ nature: 'mi_parcours' as const, date: '2026-11-20', decision: decide }],
    };
    expect(items(d(tenue), '2026-11-23')).toEqual([]);
  });

  it('lists obligations late or due within 30 days, not those done, waived or far off', () => {
    const g = gouv({
      periodiciteMois: 12,
      obligations: [
        obligation({ id: 1 }),
        obligation({ id: 2, etat: 'faite', faiteLe: '2026-06-15' }),
        obligation({ id: 3, etat: 'levee', motifLevee: 'Sans objet' }),
        obligation({ id: 4, echeance: 'avant_date', dateLimite: '2026-12-10', libelle: 'Publier le code source' }),
        obligation({ id: 5, echeance: 'avant_date', dateLimite: '2027-03-01' }),
        obligation({ id: 6, echeance: 'mensuelle', etat: 'faite', faiteLe: '2026-11-01', partie: 'delegataire' }),
      ],
    });
    const l = items(d(g), '2026-11-23');
    expect(resume(l)).toEqual([
      ['obligation_a_remplir', '2026-07-01', 'en_retard'],
      ['obligation_a_remplir', '2026-12-01', 'ce_mois'],
      ['obligation_a_remplir', '2026-12-10', 'ce_mois'],
    ]);
    expect(l[0]!.libelle).toMatch(/^En retard : Demander les habilitations Chorus \(délégant\)/);
    expect(l[2]!.libelle).toContain('Publier le code source');
  });

  it('shows none of it to a partner of another organisation', () => {
    const autre = acteur('partenaire', '11000801300017');
    expect(items(d(gouv()), '2026-11-23', autre)).toEqual([]);
  });
});
