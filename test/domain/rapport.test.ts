import { describe, expect, it } from 'vitest';
import type { Acteur } from '../../src/domain/acces.js';
import type { Avenant } from '../../src/domain/avenant.js';
import type { ReunionComite } from '../../src/domain/comite.js';
import { totauxVides, type TotauxCredit } from '../../src/domain/credit.js';
import type { Engagement } from '../../src/domain/engagement.js';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import {
  contenuRapport,
  echeanceRapport,
  envoyer,
  etatRapport,
  peutRedigerRapport,
  peutRelireRapport,
  rapportVide,
  rediger,
  relire,
  verifierCloture,
  type RapportFin,
} from '../../src/domain/rapport.js';

const LE = '2026-11-02T09:00:00.000Z';
/** the convention ended before every sending of these tests */
const FIN = '2026-10-31';
const vide = rapportVide('c1');
const redige = rediger(vide, { avancement: 'Livré.', previsions: 'Rien.' }, 'Camille', LE);
const relu = relire(redige, 'Dominique', LE);

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ConflictError || e instanceof ValidationError) return e.code;
    throw e;
  }
  return 'aucune erreur';
}
const champs = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e.erreurs.map((x) => x.champ);
  }
  return [];
};

describe('the end-of-term report: its steps', () => {
  it('goes from to be written to written, reviewed, sent', () => {
    expect(etatRapport(vide)).toBe('a_rediger');
    expect(etatRapport(redige)).toBe('redige');
    expect(etatRapport(relu)).toBe('relu');
    const envoye = envoyer(relu, { date: '2026-11-03', destinataires: ' Ministère ' }, 'Camille', '2026-11-03', FIN);
    expect(etatRapport(envoye)).toBe('envoye');
    expect(envoye).toMatchObject({ envoyeLe: '2026-11-03', destinataires: 'Ministère', envoyePar: 'Camille' });
  });

  it('keeps its text trimmed and asks a new review when the text changes after one', () => {
    expect(redige.avancement).toBe('Livré.');
    const memeTexte = rediger(relu, { avancement: ' Livré. ', previsions: 'Rien.' }, 'Camille', LE);
    expect(memeTexte.reluLe).toBe(LE);
    const change = rediger(relu, { avancement: 'Livré et mesuré.', previsions: 'Rien.' }, 'Camille', LE);
    expect(change.reluLe).toBeNull();
    expect(change.reluPar).toBeNull();
  });

  it('refuses a section over 20 000 characters, naming it', () => {
    expect(champs(() => rediger(vide, { avancement: 'x'.repeat(20_001), previsions: '' }, 'C', LE))).toEqual([
      'avancement',
    ]);
    expect(rediger(vide, { avancement: 'x'.repeat(20_000), previsions: '' }, 'C', LE).avancement).toHaveLength(20_000);
  });

  it('is reviewed only once, and only with both sections written', () => {
    expect(champs(() => relire(vide, 'D', LE))).toEqual(['avancement', 'previsions']);
    const moitie = rediger(vide, { avancement: 'Livré.', previsions: '' }, 'C', LE);
    expect(champs(() => relire(moitie, 'D', LE))).toEqual(['previsions']);
    expect(code(() => relire(relu, 'D', LE))).toBe('RAPPORT_DEJA_RELU');
  });

  it('is sent once reviewed, dated no later than today and no earlier than its review, to someone', () => {
    const envoi = (r: RapportFin, date: string, destinataires = 'Ministère') =>
      envoyer(r, { date, destinataires }, 'C', '2026-11-10', FIN);
    expect(code(() => envoi(redige, '2026-11-03'))).toBe('RAPPORT_NON_RELU');
    expect(champs(() => envoi(relu, '2026-11-11'))).toEqual(['date']);
    expect(champs(() => envoi(relu, '2026-11-01'))).toEqual(['date']);
    expect(champs(() => envoi(relu, '2026-02-30'))).toEqual(['date']);
    expect(champs(() => envoi(relu, '2026-11-02', '  '))).toEqual(['destinataires']);
    expect(envoi(relu, '2026-11-02').envoyeLe).toBe('2026-11-02');
    expect(envoi(relu, '2026-11-10').envoyeLe).toBe('2026-11-10');
  });

  it('changes no more once sent', () => {
    const envoye = envoyer(relu, { date: '2026-11-03', destinataires: 'M' }, 'C', '2026-11-03', FIN);
    expect(code(() => rediger(envoye, { avancement: 'a', previsions: 'b' }, 'C', LE))).toBe('RAPPORT_ENVOYE');
    expect(code(() => relire(envoye, 'D', LE))).toBe('RAPPORT_ENVOYE');
    expect(code(() => envoyer(envoye, { date: '2026-11-03', destinataires: 'M' }, 'C', '2026-11-03', FIN))).toBe(
      'RAPPORT_ENVOYE',
    );
  });

  it('is due at the end, by term or termination', () => {
    const base = { dateSignature: '2026-01-10', dateFin: '2026-12-31', dureeMois: null, resiliationEffet: null };
    expect(echeanceRapport(base)).toBe('2026-12-31');
    expect(echeanceRapport({ ...base, resiliationEffet: '2026-06-15' })).toBe('2026-06-15');
    expect(echeanceRapport({ ...base, dateFin: null })).toBeNull();
  });
});

describe('who writes and who reviews', () => {
  const acteur = (role: Acteur['role'], siret: string | null = null): Acteur => ({
    id: role,
    nom: role,
    role,
    organisationSiret: siret,
    produits: ['Service'],
  });
  const c = {
    produits: ['Service'],
    publiee: true,
    statut: 'en_vigueur' as const,
    roleDinum: 'delegant' as const,
    delegant: { siret: '13002526500013' },
    delegataire: { siret: '11000201100044' },
  };
  it('the délégataire writes it, the DINUM’s budget office reviews it', () => {
    expect(peutRedigerRapport(acteur('partenaire', '11000201100044'), c)).toBe(true);
    expect(peutRedigerRapport(acteur('partenaire', '13002526500013'), c)).toBe(false);
    expect(peutRedigerRapport(acteur('equipe', '11000201100044'), c)).toBe(false);
    expect(peutRedigerRapport(acteur('gestionnaire'), c)).toBe(true);
    expect(peutRelireRapport(acteur('gestionnaire'))).toBe(true);
    expect(peutRelireRapport(acteur('partenaire', '11000201100044'))).toBe(false);
  });
});

const eng = (o: Partial<Engagement>): Engagement => ({
  id: o.numero ?? 'e',
  conventionId: 'c1',
  numero: 'EJ-1',
  annee: 2026,
  dateEngagement: '2026-03-01',
  dateFinPrestation: null,
  titulaire: 'Octo',
  marche: null,
  devis: null,
  objet: 'Développement',
  produit: null,
  montantCentimes: 100_000,
  baseMontant: 'TTC',
  tauxTva: 20,
  montantImputeCentimes: 100_000,
  statut: 'actif',
  libereCentimes: 0,
  certifieCentimes: 0,
  payeCentimes: 0,
  creeLe: LE,
  acteurNom: 'C',
  ...o,
});

describe('the closing of a convention', () => {
  const envoye = envoyer(relu, { date: '2026-11-03', destinataires: 'M' }, 'C', '2026-11-03', FIN);
  it('needs its last orders paid or closed, named, before its report', () => {
    const ouverts = [
      eng({ numero: 'EJ-1', certifieCentimes: 100_000, payeCentimes: 40_000 }),
      eng({ numero: 'EJ-2' }),
      eng({ numero: 'EJ-3', certifieCentimes: 100_000, payeCentimes: 100_000 }),
      eng({ numero: 'EJ-4', statut: 'solde', libereCentimes: 60_000, certifieCentimes: 40_000, payeCentimes: 40_000 }),
      eng({ numero: 'EJ-5', statut: 'annule', libereCentimes: 100_000 }),
      // released down to what was paid, still active: nothing left to pay
      eng({ numero: 'EJ-6', libereCentimes: 30_000, certifieCentimes: 70_000, payeCentimes: 70_000 }),
    ];
    try {
      verifierCloture(null, ouverts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).code).toBe('CLOTURE_ENGAGEMENTS_OUVERTS');
      expect((e as ConflictError).details).toEqual({ engagements: ['EJ-1', 'EJ-2'] });
      expect((e as ConflictError).message).toContain('EJ-1, EJ-2');
    }
    expect(code(() => verifierCloture(redige, ouverts.slice(2)))).toBe('CLOTURE_SANS_RAPPORT');
    expect(code(() => verifierCloture(relu, []))).toBe('CLOTURE_SANS_RAPPORT');
    expect(code(() => verifierCloture(envoye, ouverts.slice(2)))).toBe('aucune erreur');
  });
});

describe('what the report says', () => {
  const t = (o: Partial<TotauxCredit>): TotauxCredit => ({ ...totauxVides(2026), ...o });
  const credits = [
    // 2025: 100 000 € made available, 70 000 € ordered, 20 000 € carried over, 10 000 € returned
    t({
      annee: 2025,
      baseAe: 10_000_000,
      baseCp: 8_000_000,
      engageAe: 7_000_000,
      certifie: 6_000_000,
      payeCp: 6_000_000,
      reporteSortantAe: 2_000_000,
      reporteSortantCp: 1_000_000,
      restitueAe: 1_000_000,
      restitueCp: 1_000_000,
    }),
    // 2026: 50 000 € of its own plus the carry-over
    t({
      annee: 2026,
      baseAe: 5_000_000,
      baseCp: 5_000_000,
      reporteEntrantAe: 2_000_000,
      reporteEntrantCp: 1_000_000,
      engageAe: 4_000_000,
      certifie: 3_000_000,
      payeCp: 4_500_000,
    }),
  ];
  const avenant = (numero: number, statut: Avenant['statut']) =>
    ({ numero, statut, objet: `A${numero}`, dateEffet: '2026-01-01', dateSignature: null }) as Avenant;
  const comite = (id: number, decide: boolean) =>
    ({
      id,
      date: '2026-05-01',
      indicateurs: [],
      decision: decide ? { decision: 'continue' } : null,
    }) as unknown as ReunionComite;
  const c = contenuRapport({
    credits,
    engagements: [eng({ numero: 'EJ-1', certifieCentimes: 100_000, payeCentimes: 100_000 }), eng({ numero: 'EJ-2' })],
    avenants: [avenant(1, 'signe'), avenant(2, 'brouillon')],
    comites: [comite(1, true), comite(2, false)],
  });

  it('gives each year’s statement, made available including what was carried in', () => {
    expect(c.annees.map((a) => [a.annee, a.misADispositionAe, a.engageAe, a.reporteAe, a.restitueAe])).toEqual([
      [2025, 10_000_000, 7_000_000, 2_000_000, 1_000_000],
      [2026, 7_000_000, 4_000_000, 0, 0],
    ]);
  });

  it('counts a carry-over once over the whole convention', () => {
    expect(c.total).toEqual({
      misADispositionAe: 15_000_000,
      misADispositionCp: 13_000_000,
      engageAe: 11_000_000,
      certifie: 9_000_000,
      payeCp: 10_500_000,
      restitueAe: 1_000_000,
      restitueCp: 1_000_000,
      // 150 000 − 110 000 − 10 000; 130 000 − 105 000 − 10 000
      inutiliseAe: 3_000_000,
      inutiliseCp: 1_500_000,
    });
  });

  it('lists the orders with their state, signed avenants and decided committees only', () => {
    expect(c.engagements.map((e) => [e.numero, e.etat])).toEqual([
      ['EJ-1', 'paye'],
      ['EJ-2', 'engage'],
    ]);
    expect(c.avenants.map((a) => a.numero)).toEqual([1]);
    expect(c.comites.map((k) => k.id)).toEqual([1]);
  });
});
