import type { Acteur } from '../domain/acces.js';
import type { EngagementSaisie } from '../domain/engagement.js';
import type { DateIso } from '../domain/dates.js';
import { ConflictError } from '../domain/errors.js';
import { horlogeFixe } from '../domain/horloge.js';
import type { Contexte } from '../usecases/contexte.js';
import { restituerCredits } from '../usecases/credit-decision.js';
import {
  annulerEngagement,
  constaterServiceFait,
  creerEngagement,
  enregistrerPaiement,
  solderEngagement,
} from '../usecases/engagement.js';
import { proposerEngagement } from '../usecases/proposition.js';
import { ACTEURS_DEMO } from './acteurs.js';
import { jourDans, type ChronologieDemo } from './chronologie.js';

/**
 * Demonstration orders, certified work and payments, recorded through the use cases so that every rule
 * applies, on the days of the demo's chronology: this year's consumption with a refusal for lack of credits,
 * a proposal waiting, a FAST laureate's first orders, and the history of the ended conventions.
 */
const gestionnaire = ACTEURS_DEMO.find((a) => a.id === 'demo-gestionnaire')!;
const partenaireJustice = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-justice')!;
const partenaireSociaux = ACTEURS_DEMO.find((a) => a.id === 'demo-partenaire-sociaux')!;
const equipeClasse = ACTEURS_DEMO.find((a) => a.id === 'demo-equipe-classe12')!;

const bc = (
  o: Partial<EngagementSaisie> &
    Pick<EngagementSaisie, 'annee' | 'dateEngagement' | 'titulaire' | 'objet' | 'montantCentimes'>,
): EngagementSaisie => ({
  numero: null,
  dateFinPrestation: null,
  marche: 'Marché interministériel de prestations agiles (DINUM)',
  devis: null,
  produit: null,
  baseMontant: 'TTC',
  ...o,
});

/** An invoice or payment request number, from its date. */
const piece = (prefixe: string, date: DateIso) =>
  `${prefixe}-${date.slice(0, 4)}-${date.slice(5, 7)}${date.slice(8, 10)}`;

export async function seedCreditsDemo(ctx: Contexte, ids: Record<string, string>, ch: ChronologieDemo): Promise<void> {
  const id = (ref: string): string => {
    const v = ids[ref];
    if (!v) throw new Error(`Convention de démonstration inconnue : ${ref}`);
    return v;
  };
  // each act is recorded on the day it takes effect, as a budget office would have: the ledger's rules
  // look at both dates, and a payment recorded after the year's cut-off would be refused
  const le = (date: DateIso): Contexte => ({ ...ctx, now: horlogeFixe(`${date}T12:00:00`) });
  const commande = async (a: Acteur, ref: string, s: EngagementSaisie) =>
    (await creerEngagement(le(s.dateEngagement), a, id(ref), s)).valeur.id;
  const sf = (
    a: Acteur,
    ref: string,
    e: string,
    d: Parameters<typeof constaterServiceFait>[4],
    date: string,
    certificateur: string,
  ) => constaterServiceFait(le(date), a, id(ref), e, d, { date, certificateur });
  const paie = (a: Acteur, ref: string, e: string, montantCentimes: number, date: string, reference: string) =>
    enregistrerPaiement(le(date), a, id(ref), e, { montantCentimes, date, reference });
  const { references: r, anneeActivite: an } = ch;

  // Atelier numérique (30 000 €, ends within weeks): coaching of the workshop's start-ups; the last order is refused.
  const fa = ch.atelier.fenetre;
  const atelier = (x: number) => jourDans(fa, x);
  const a1 = await commande(
    gestionnaire,
    r.atelier,
    bc({
      annee: an,
      dateEngagement: atelier(0.08),
      titulaire: 'Octo Technology',
      devis: `DV-${an}-014`,
      objet: 'Coaching produit — Startup d’État « Visas »',
      produit: 'Startups d’État de l’atelier',
      montantCentimes: 1_200_000,
      dateFinPrestation: atelier(0.48),
    }),
  );
  await sf(gestionnaire, r.atelier, a1, { total: true }, atelier(0.48), 'Claire Dupont, responsable de l’atelier');
  await paie(gestionnaire, r.atelier, a1, 1_200_000, atelier(0.55), piece('FAC-OCTO', atelier(0.55)));
  const a2 = await commande(
    gestionnaire,
    r.atelier,
    bc({
      annee: an,
      dateEngagement: atelier(0.38),
      titulaire: 'Scopyleft',
      devis: `DV-${an}-051`,
      objet: 'Coaching produit — Startup d’État « Consulat »',
      produit: 'Startups d’État de l’atelier',
      montantCentimes: 960_000,
      dateFinPrestation: ch.atelier.fin,
    }),
  );
  await sf(gestionnaire, r.atelier, a2, { pourcentage: 50 }, atelier(0.75), 'Claire Dupont, responsable de l’atelier');
  await paie(gestionnaire, r.atelier, a2, 480_000, atelier(0.83), piece('FAC-SCOP', atelier(0.83)));
  await refusAttendu(() =>
    commande(
      gestionnaire,
      r.atelier,
      bc({
        annee: an,
        dateEngagement: atelier(0.975),
        titulaire: 'Octo Technology',
        devis: `DV-${an}-088`,
        objet: 'Coaching produit — trois nouvelles Startups d’État',
        montantCentimes: 1_000_000,
      }),
    ),
  );

  // Classe à 12 (50 000 € with FAST co-financing): acceleration of the service.
  const fc = ch.classe.fenetre;
  const classe = (x: number) => jourDans(fc, x);
  const c1 = await commande(
    gestionnaire,
    r.classe,
    bc({
      annee: an,
      dateEngagement: classe(0.08),
      titulaire: 'Beta Dev SAS',
      devis: 'Q-4471',
      objet: 'Développement — sprints 1 à 8',
      produit: 'Classe à 12',
      montantCentimes: 2_400_000,
      dateFinPrestation: `${an}-12-31`,
    }),
  );
  await sf(gestionnaire, r.classe, c1, { pourcentage: 60 }, classe(0.43), 'Intrapreneure Classe à 12');
  await paie(gestionnaire, r.classe, c1, 1_440_000, classe(0.56), piece('DP', classe(0.56)));
  await sf(gestionnaire, r.classe, c1, { pourcentage: 20 }, classe(0.81), 'Intrapreneure Classe à 12');
  const c2 = await commande(
    gestionnaire,
    r.classe,
    bc({
      annee: an,
      dateEngagement: classe(0.21),
      titulaire: 'Access42',
      devis: `A42-${an}-19`,
      objet: 'Audit d’accessibilité RGAA',
      produit: 'Classe à 12',
      montantCentimes: 500_000,
    }),
  );
  await annulerEngagement(ctx, gestionnaire, id(r.classe), c2, 'Audit pris en charge par le ministère');
  const c3 = await commande(
    gestionnaire,
    r.classe,
    bc({
      annee: an,
      dateEngagement: classe(0.59),
      titulaire: 'Studio Design Public',
      devis: 'SDP-77',
      objet: 'Design UX — parcours de partage',
      produit: 'Classe à 12',
      montantCentimes: 800_000,
    }),
  );
  await sf(gestionnaire, r.classe, c3, { total: true }, classe(0.88), 'Intrapreneure Classe à 12');
  // the team's next order waits for the ordonnateur
  await proposerEngagement(ctx, equipeClasse, id(r.classe), {
    annee: ch.anneeProposition,
    titulaire: 'Studio Design Public',
    marche: 'Marché interministériel de prestations agiles (DINUM)',
    devis: 'SDP-91',
    objet: 'Tests utilisateurs — six sessions en classe',
    produit: 'Classe à 12',
    montantCentimes: 350_000,
    baseMontant: 'TTC',
    dateFinPrestation: null,
    justification: 'Valider le parcours de partage avec des enseignants avant la généralisation.',
  });

  // seLEXpert (FAST): the first tranche is open since the signature, the second waits for the mid-term review.
  const fenetreSelex = ch.selex.fenetre;
  if (fenetreSelex) {
    const date = jourDans(fenetreSelex, 0.2);
    const s1 = await commande(
      partenaireJustice,
      r.selex,
      bc({
        annee: ch.selex.anneeAe,
        dateEngagement: date,
        titulaire: 'Ippon Technologies',
        marche: 'Marché ministériel de développement (MJ)',
        objet: 'Développeur à mi-temps — passage à l’échelle',
        produit: 'seLEXpert',
        montantCentimes: 3_000_000,
      }),
    );
    await sf(
      partenaireJustice,
      r.selex,
      s1,
      { pourcentage: 30 },
      jourDans({ debut: date, fin: ch.aujourdHui }, 0.7),
      'DNUM du MJ',
    );
  }

  // Mon Suivi Justice (ended five years ago): one order, certified and paid in full.
  const h = ch.anneeHistorique;
  const j1 = await commande(
    gestionnaire,
    r.msj,
    bc({
      annee: h,
      dateEngagement: `${h}-04-15`,
      titulaire: 'Octo Technology',
      objet: 'Équipe produit — construction',
      produit: 'Mon Suivi Justice',
      montantCentimes: 20_000_000,
    }),
  );
  await sf(gestionnaire, r.msj, j1, { total: true }, `${h}-09-30`, 'Intrapreneur Mon Suivi Justice');
  await paie(gestionnaire, r.msj, j1, 20_000_000, `${h}-10-20`, `DP-${h}-004512`);

  // Mon Suivi Psy (FAST, ended): closed at 80 %, the AE left returned to the DINUM.
  const p1 = await commande(
    partenaireSociaux,
    r.msp,
    bc({
      annee: h,
      dateEngagement: `${h}-05-03`,
      titulaire: 'Fabrique numérique — titulaire du marché agile',
      objet: 'Accélération — équipe produit',
      produit: 'Mon Suivi Psy',
      montantCentimes: 13_800_000,
    }),
  );
  await sf(partenaireSociaux, r.msp, p1, { pourcentage: 80 }, `${h}-10-29`, 'DNUM des ministères sociaux');
  await paie(partenaireSociaux, r.msp, p1, 11_040_000, `${h}-11-19`, `DP-MSO-${h}-1119`);
  await solderEngagement(le(`${h}-11-20`), partenaireSociaux, id(r.msp), p1, null, 'Phase d’accélération terminée');
  await restituerCredits(le(`${h}-11-20`), gestionnaire, id(r.msp), {
    annee: h,
    aeCentimes: 2_760_000,
    cpCentimes: 0,
    motif: 'AE non consommées remontées à la DINUM',
  });
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
