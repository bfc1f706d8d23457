import { peutDeciderCredits, peutDeroger, type Acteur } from '../../domain/acces.js';
import { LIBELLES_PARAMETRES, type ParametresCalendrier } from '../../domain/calendrier.js';
import type { FieldError } from '../../domain/errors.js';
import type { AlerteEnregistree } from '../../domain/alerte.js';
import type { AlerteConvention } from '../../usecases/credits.js';
import type { FormFields } from '../form.js';
import { Input } from './champs.js';
import { Page } from './layout.js';

const TITRES: Record<string, string> = {
  sous_consommation: 'Crédits qui ne seront pas consommés',
  date_limite_engagements: 'Date limite des engagements proche',
  date_limite_paiements: 'Date limite des paiements proche',
  fin_avec_ae: 'Convention qui s’achève avec des AE',
};

export function AlertesPage({ acteur, csrf, calculees, enregistrees, toutes, flash }: { acteur: Acteur; csrf: string; calculees: AlerteConvention[]; enregistrees: AlerteEnregistree[]; toutes: boolean; flash?: { type: 'success'; message: string } | null }) {
  const traiter = peutDeciderCredits(acteur);
  return (
    <Page titre="Alertes sur les crédits" acteur={acteur} csrf={csrf} fil={[['Accueil', '/'], ['Alertes sur les crédits']]} flash={flash}>
      <h1>Alertes sur les crédits</h1>
      <h2>Cette année</h2>
      {calculees.length === 0 ? <p>Aucune alerte.</p> : null}
      {Object.keys(TITRES).map((type) => {
        const liste = calculees.filter((a) => a.type === type);
        return liste.length ? (
          <div class="fr-alert fr-alert--warning fr-mb-2w">
            <h3 class="fr-alert__title">{TITRES[type]} ({liste.length})</h3>
            <ul>{liste.map((a) => <li><a href={`/conventions/${a.conventionId}/credits?annee=${a.annee}`}>{a.libelle}</a> : {a.message}</li>)}</ul>
          </div>
        ) : null;
      })}
      <h2 class="fr-mt-4w">Refus et insuffisances de crédits</h2>
      <p>
        {toutes ? <a class="fr-link" href="/credits/alertes">N’afficher que les alertes à traiter</a> : <a class="fr-link" href="/credits/alertes?toutes=1">Afficher aussi les alertes traitées</a>}
      </p>
      <div class="fr-table">
        <table>
          <caption>Refus enregistrés{toutes ? '' : ' à traiter'}</caption>
          <thead><tr><th scope="col">Date</th><th scope="col">Convention</th><th scope="col">Refus</th><th scope="col">Demandé par</th><th scope="col">Suite</th></tr></thead>
          <tbody>
            {enregistrees.length === 0 ? <tr><td colspan={5}>Aucun refus.</td></tr> : null}
            {enregistrees.map((a) => (
              <tr>
                <td><time datetime={a.le}>{new Date(a.le).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</time></td>
                <td><a href={`/conventions/${a.conventionId}/credits${a.annee ? `?annee=${a.annee}` : ''}`}>{a.conventionLibelle}</a></td>
                <td>
                  {a.message}
                  <span class="fr-hint-text"><code>{a.code}</code>{a.destinataire === 'delegant' ? ' — à signaler au délégant ; un administrateur peut suspendre la convention depuis sa page de crédits' : ''}</span>
                </td>
                <td>{a.acteurNom}</td>
                <td>
                  {a.traiteeLe ? (
                    `Traitée par ${a.traiteePar}`
                  ) : traiter ? (
                    <form method="post" action={`/credits/alertes/${a.id}/traitement`}>
                      <input type="hidden" name="_csrf" value={csrf} />
                      <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">Marquer traitée</button>
                    </form>
                  ) : (
                    'À traiter'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}

const CHAMPS: Array<[keyof ParametresCalendrier, string, string]> = [
  ['limitePaiements', 'limite_paiements', 'MM-JJ, ex. 11-30'],
  ['limiteEngagements', 'limite_engagements', 'MM-JJ, ex. 12-12'],
  ['limiteReport', 'limite_report', 'MM-JJ, ex. 11-15'],
  ['reprise', 'reprise', 'MM-JJ, ex. 02-01'],
  ['avertissementJours', 'avertissement_jours', 'nombre de jours'],
  ['debutAlertesSousConsommation', 'debut_alertes_sous_consommation', 'MM-JJ, ex. 09-15'],
];

export function CalendrierPage({ acteur, csrf, f, erreurs, flash }: { acteur: Acteur; csrf: string; f: FormFields; erreurs: FieldError[]; flash?: { type: 'success' | 'info'; message: string } | null }) {
  const ctx = { f, erreurs: new Map(erreurs.map((e) => [e.champ, e.message])) };
  const modifiable = peutDeroger(acteur);
  return (
    <Page titre="Calendrier de fin de gestion" acteur={acteur} csrf={csrf} fil={[['Accueil', '/'], ['Calendrier de fin de gestion']]} flash={flash}>
      <h1>Calendrier de fin de gestion</h1>
      <p>Ces dates s’appliquent chaque année à l’exercice en cours. Avant une date limite, les opérations reçoivent un avertissement ; après, elles sont refusées, sauf dérogation d’un administrateur avec son motif.</p>
      {erreurs.length ? <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>Le calendrier n’a pas été enregistré : corrigez les champs signalés.</p></div> : null}
      <form method="post" action="/credits/calendrier" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset class="fr-fieldset" disabled={!modifiable}>
          <legend class="fr-fieldset__legend">Dates {modifiable ? '' : '(modifiables par un administrateur)'}</legend>
          {CHAMPS.map(([cle, nom, indice]) => <div class="fr-fieldset__element"><Input ctx={ctx} name={nom} label={LIBELLES_PARAMETRES[cle]} hint={indice} /></div>)}
          <div class="fr-fieldset__element"><Input ctx={ctx} name="motif" label="Motif du changement" hint="ex. circulaire de fin de gestion 2026" /></div>
          {modifiable ? <div class="fr-fieldset__element"><button class="fr-btn" type="submit">Enregistrer</button></div> : null}
        </fieldset>
      </form>
    </Page>
  );
}
