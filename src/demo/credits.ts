import type { Acteur } from '../domain/acces.js';
import type { EngagementSaisie } from '../domain/engagement.js';
import { ConflictError, DomainError } from '../domain/errors.js';
import type { Contexte } from '../usecases/conventions.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  enregistrerPaiement,
  libererTranche,
  proposerEngagement,
  restituerCredits,
  solderEngagement,
} from '../usecases/credits.js';
import { ACTEURS_DEMO } from './acteurs.js';

/**
 * Demonstration orders, certified work and payments, recorded through the use cases so that every rule
 * applies. The 2026 conventions show consumption, a refusal and the year-end alerts of late November.
 */
const gestionnaire = ACTEURS_DEMO.find((a) => a.id === 'demo-gestionnaire')!;
const partenaireJustice = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-justice')!;
const partenaireSociaux = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-sociaux')!;
const equipeClasse = ACTEURS_DEMO.find((a) => a.id === 'demo-equipe-classe12')!;

const bc = (o: Partial<EngagementSaisie> & Pick<EngagementSaisie, 'annee' | 'dateEngagement' | 'titulaire' | 'objet' | 'montantCentimes'>): EngagementSaisie => ({
  numero: null,
  dateFinPrestation: null,
  marche: 'Marché interministériel de prestations agiles (DINUM)',
  devis: null,
  produit: null,
  baseMontant: 'TTC',
  ...o,
});

export async function seedCreditsDemo(ctx: Contexte, ids: Record<string, string>): Promise<void> {
  const commande = async (a: Acteur, ref: string, s: EngagementSaisie) => (await creerEngagement(ctx, a, ids[ref], s)).valeur.id;
  const sf = (a: Acteur, ref: string, e: string, d: Parameters<typeof constaterServiceFait>[4], date: string, certificateur: string) => constaterServiceFait(ctx, a, ids[ref], e, d, { date, certificateur });
  const paie = (a: Acteur, ref: string, e: string, montantCentimes: number, date: string, reference: string) => enregistrerPaiement(ctx, a, ids[ref], e, { montantCentimes, date, reference });

  // Atelier numérique (2026, 30 000 €, ends 31 December): coaching of the workshop's start-ups.
  const ATELIER = 'DDG-2026-ATELIER';
  const a1 = await commande(gestionnaire, ATELIER, bc({ annee: 2026, dateEngagement: '2026-03-10', titulaire: 'Octo Technology', devis: 'DV-2026-014', objet: 'Coaching produit — Startup d’État « Visas »', produit: 'Startups d’État de l’atelier', montantCentimes: 1_200_000, dateFinPrestation: '2026-06-30' }));
  await sf(gestionnaire, ATELIER, a1, { total: true }, '2026-06-30', 'Claire Dupont, responsable de l’atelier');
  await paie(gestionnaire, ATELIER, a1, 1_200_000, '2026-07-20', 'FAC-OCTO-2026-0712');
  const a2 = await commande(gestionnaire, ATELIER, bc({ annee: 2026, dateEngagement: '2026-06-02', titulaire: 'Scopyleft', devis: 'DV-2026-051', objet: 'Coaching produit — Startup d’État « Consulat »', produit: 'Startups d’État de l’atelier', montantCentimes: 960_000, dateFinPrestation: '2026-12-15' }));
  await sf(gestionnaire, ATELIER, a2, { pourcentage: 50 }, '2026-09-15', 'Claire Dupont, responsable de l’atelier');
  await paie(gestionnaire, ATELIER, a2, 480_000, '2026-10-05', 'FAC-SCOP-2026-0930');
  await refusAttendu(() => commande(gestionnaire, ATELIER, bc({ annee: 2026, dateEngagement: '2026-11-16', titulaire: 'Octo Technology', devis: 'DV-2026-088', objet: 'Coaching produit — trois nouvelles Startups d’État', montantCentimes: 1_000_000 })));

  // Classe à 12 (2026, 50 000 € with FAST co-financing): acceleration of the service.
  const CLASSE = 'DDG-2026-CLASSE12';
  const c1 = await commande(gestionnaire, CLASSE, bc({ annee: 2026, dateEngagement: '2026-05-20', titulaire: 'Beta Dev SAS', devis: 'Q-4471', objet: 'Développement — sprints 1 à 8', produit: 'Classe à 12', montantCentimes: 2_400_000, dateFinPrestation: '2026-12-31' }));
  await sf(gestionnaire, CLASSE, c1, { pourcentage: 60 }, '2026-07-31', 'Intrapreneure Classe à 12');
  await paie(gestionnaire, CLASSE, c1, 1_440_000, '2026-08-25', 'DP-2026-000812');
  await sf(gestionnaire, CLASSE, c1, { pourcentage: 20 }, '2026-10-15', 'Intrapreneure Classe à 12');
  const c2 = await commande(gestionnaire, CLASSE, bc({ annee: 2026, dateEngagement: '2026-06-15', titulaire: 'Access42', devis: 'A42-2026-19', objet: 'Audit d’accessibilité RGAA', produit: 'Classe à 12', montantCentimes: 500_000 }));
  await annulerEngagement(ctx, gestionnaire, ids[CLASSE], c2, 'Audit pris en charge par le ministère');
  const c3 = await commande(gestionnaire, CLASSE, bc({ annee: 2026, dateEngagement: '2026-09-01', titulaire: 'Studio Design Public', devis: 'SDP-77', objet: 'Design UX — parcours de partage', produit: 'Classe à 12', montantCentimes: 800_000 }));
  await sf(gestionnaire, CLASSE, c3, { total: true }, '2026-10-30', 'Intrapreneure Classe à 12');
  // the team prepares its next order for the ordonnateur; skipped once the 2026 credits can no longer be proposed
  await proposerEngagement(ctx, equipeClasse, ids[CLASSE], {
    annee: 2026,
    titulaire: 'Studio Design Public',
    marche: 'Marché interministériel de prestations agiles (DINUM)',
    devis: 'SDP-91',
    objet: 'Tests utilisateurs — six sessions en classe',
    produit: 'Classe à 12',
    montantCentimes: 350_000,
    baseMontant: 'TTC',
    dateFinPrestation: null,
    justification: 'Valider le parcours de partage avec des enseignants avant la généralisation de janvier.',
  }).catch((e: unknown) => {
    if (!(e instanceof DomainError)) throw e;
  });

  // seLEXpert (FAST 15): AE 2024 by tranches, CP over 2024 and 2025.
  const SELEX = 'FAST15-SELEXPERT';
  const s1 = await commande(partenaireJustice, SELEX, bc({ annee: 2024, dateEngagement: '2024-10-01', titulaire: 'Ippon Technologies', marche: 'Marché ministériel de développement (MJ)', objet: 'Développeur à mi-temps — passage à l’échelle', produit: 'seLEXpert', montantCentimes: 5_500_000 }));
  await libererTranche(ctx, gestionnaire, ids[SELEX], 2, { date: '2024-11-15', motif: 'Bilan de mi-parcours favorable : équipe et sponsor mobilisés', decideur: 'Comité FAST' });
  const s2 = await commande(partenaireJustice, SELEX, bc({ annee: 2024, dateEngagement: '2024-11-20', titulaire: 'Ippon Technologies', marche: 'Marché ministériel de développement (MJ)', objet: 'Chargé(e) de déploiement — deux jours par semaine', produit: 'seLEXpert', montantCentimes: 5_500_000 }));
  await sf(partenaireJustice, SELEX, s1, { pourcentage: 50 }, '2024-11-20', 'DNUM du MJ');
  await paie(partenaireJustice, SELEX, s1, 2_750_000, '2024-11-25', 'DP-MJ-2024-1125');
  await sf(partenaireJustice, SELEX, s1, { total: true }, '2025-03-31', 'DNUM du MJ');
  await paie(partenaireJustice, SELEX, s1, 2_750_000, '2025-04-15', 'DP-MJ-2025-0415');
  await sf(partenaireJustice, SELEX, s2, { montantCentimes: 4_000_000 }, '2025-06-30', 'DNUM du MJ');
  await paie(partenaireJustice, SELEX, s2, 2_750_000, '2025-07-15', 'DP-MJ-2025-0715');
  await solderEngagement(ctx, partenaireJustice, ids[SELEX], s2, null, 'Fin de la mission de déploiement');

  // Mon Suivi Justice (2021): one order, certified and paid in full.
  const MSJ = 'DDG-2021-MSJ';
  const j1 = await commande(gestionnaire, MSJ, bc({ annee: 2021, dateEngagement: '2021-04-15', titulaire: 'Octo Technology', objet: 'Équipe produit — construction', produit: 'Mon Suivi Justice', montantCentimes: 20_000_000 }));
  await sf(gestionnaire, MSJ, j1, { total: true }, '2021-09-30', 'Intrapreneur Mon Suivi Justice');
  await paie(gestionnaire, MSJ, j1, 20_000_000, '2021-10-20', 'DP-2021-004512');

  // Mon Suivi Psy (2021, FAST): closed at 80 %, the AE left returned to the DINUM.
  const MSP = 'DDG-2021-MSP';
  const p1 = await commande(partenaireSociaux, MSP, bc({ annee: 2021, dateEngagement: '2021-05-03', titulaire: 'Fabrique numérique — titulaire du marché agile', objet: 'Accélération — équipe produit', produit: 'Mon Suivi Psy', montantCentimes: 13_800_000 }));
  await sf(partenaireSociaux, MSP, p1, { pourcentage: 80 }, '2021-10-29', 'DNUM des ministères sociaux');
  await paie(partenaireSociaux, MSP, p1, 11_040_000, '2021-11-19', 'DP-MSO-2021-1119');
  await solderEngagement(ctx, partenaireSociaux, ids[MSP], p1, null, 'Phase d’accélération terminée');
  await restituerCredits(ctx, gestionnaire, ids[MSP], { annee: 2021, aeCentimes: 2_760_000, cpCentimes: 0, motif: 'AE non consommées remontées à la DINUM' });
}

async function refusAttendu(op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (e) {
    if (e instanceof ConflictError) return; // recorded as an alert to the délégant
    throw e;
  }
  throw new Error('la commande de démonstration aurait dû être refusée');
}
