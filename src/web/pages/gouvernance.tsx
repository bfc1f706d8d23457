import type { Acteur } from '../../domain/acces.js';
import type { DateIso } from '../../domain/dates.js';
import type { VueComites } from '../../usecases/comite.js';
import type { VueObligations } from '../../usecases/obligation.js';
import type { VueEnveloppe } from '../../usecases/promotion.js';
import { SectionComites } from './comite.js';
import { Page } from './layout.js';
import { SectionObligations } from './obligation.js';
import { SectionEnveloppe } from './promotion.js';
import { Refus, type EtatFormulaire, type Flash } from './operation.js';

/** The governance of a convention: its investment committees and the obligations of its parties. */
export function GouvernancePage({
  acteur,
  csrf,
  comites,
  obligations,
  enveloppe,
  aujourdHui,
  etat,
  flash,
}: {
  acteur: Acteur;
  csrf: string;
  comites: VueComites;
  obligations: VueObligations;
  enveloppe: VueEnveloppe | null;
  aujourdHui: DateIso;
  etat: EtatFormulaire | null;
  flash?: Flash;
}) {
  const c = comites.convention;
  const libelle = c.reference ?? 'Convention';
  return (
    <Page
      titre={`Gouvernance — ${libelle}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], [libelle, `/conventions/${c.id}`], ['Gouvernance']]}
      flash={flash}
    >
      <h1>Gouvernance — {libelle}</h1>
      <p>
        Un comité d’investissement au moins tous les {c.comite.periodiciteMois ?? 6} mois, et 30 à 45 jours avant la fin
        de la convention ou l’épuisement de ses AE, décide de la suite à partir des indicateurs d’impact. Chaque partie
        tient ses obligations, avec leur preuve.
      </p>
      <Refus etat={etat} />
      <SectionComites v={comites} csrf={csrf} etat={etat} aujourdHui={aujourdHui} />
      {enveloppe ? <SectionEnveloppe conventionId={c.id} v={enveloppe} csrf={csrf} etat={etat} /> : null}
      <SectionObligations v={obligations} csrf={csrf} etat={etat} />
    </Page>
  );
}
