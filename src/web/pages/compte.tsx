import { LIBELLES_ROLES, type Acteur, type Agenda, type Agent } from '../../domain/acces.js';
import { LIBELLES_FREQUENCES } from '../../domain/notification.js';
import type { PreferenceCompte } from '../../usecases/envoi.js';
import { Page } from './layout.js';
import { instantEnMots } from './libelles.js';

const quand = (d: Date) => <time datetime={d.toISOString()}>{instantEnMots(d)}</time>;

/** « Mon compte »: who the agent is, their role and organisation, and their personal calendar feed. */
export function ComptePage(p: {
  acteur: Acteur;
  csrf: string;
  agent: Agent;
  agenda: Agenda | null;
  /** the feed's address, in the answer that created it only */
  adresseCreee: string | null;
  flash?: { type: 'success'; message: string } | null;
  preferences: PreferenceCompte[];
  /** the field errors of a refused change of preferences */
  erreurs?: Record<string, string>;
}) {
  const a = p.agent;
  const nom = [a.prenom, a.nom].filter(Boolean).join(' ') || a.email;
  return (
    <Page titre="Mon compte" acteur={p.acteur} csrf={p.csrf} fil={[['Accueil', '/'], ['Mon compte']]} flash={p.flash}>
      <h1>Mon compte</h1>
      <h2>Mon profil</h2>
      <dl class="fiche">
        <dt>Nom</dt>
        <dd>{nom}</dd>
        <dt>Adresse électronique</dt>
        <dd>{a.email}</dd>
        <dt>Rôle</dt>
        <dd>{LIBELLES_ROLES[a.role]}</dd>
        <dt>Organisation (SIRET)</dt>
        <dd>{a.organisationSiret ?? 'Aucune'}</dd>
        {a.produits.length ? (
          <>
            <dt>Produits</dt>
            <dd>{a.produits.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <p class="fr-text--sm">Seul un administrateur de Délégations modifie votre rôle et votre organisation.</p>

      <h2 id="agenda">Mon agenda « À faire »</h2>
      <p>
        Une adresse personnelle et secrète, à laquelle votre agenda (Thunderbird, Outlook, l’agenda de l’État) s’abonne
        : chaque élément daté de votre liste « À faire » y apparaît le jour de son échéance, avec le lien vers l’action.
        Quiconque connaît l’adresse lit ces éléments : ne la partagez pas, remplacez-la ou révoquez-la si vous pensez
        qu’elle a été vue.
      </p>
      {p.adresseCreee ? (
        <div class="fr-alert fr-alert--success fr-mb-4w" role="status">
          <h3 class="fr-alert__title">Adresse de votre agenda</h3>
          <p>Copiez-la maintenant dans votre agenda : elle ne sera plus jamais affichée.</p>
          <p>
            <code id="adresse-agenda">{p.adresseCreee}</code>
          </p>
        </div>
      ) : null}
      {p.agenda ? (
        <p>
          Adresse active, commençant par <code>{p.agenda.prefixe}…</code>, créée le {quand(p.agenda.creeLe)}.
        </p>
      ) : (
        <p>Vous n’avez pas d’adresse d’agenda.</p>
      )}
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <form method="post" action="/compte/agenda">
            <input type="hidden" name="_csrf" value={p.csrf} />
            <button class="fr-btn" type="submit">
              {p.agenda ? 'Remplacer l’adresse (l’ancienne cesse de fonctionner)' : 'Créer l’adresse de mon agenda'}
            </button>
          </form>
        </li>
        {p.agenda ? (
          <li>
            <form method="post" action="/compte/agenda/revocation">
              <input type="hidden" name="_csrf" value={p.csrf} />
              <button class="fr-btn fr-btn--secondary" type="submit">
                Révoquer l’adresse
              </button>
            </form>
          </li>
        ) : null}
      </ul>

      <h2 id="notifications">Mes messages par courriel</h2>
      <p>
        Pour chaque événement, choisissez de recevoir un message aussitôt, de le retrouver dans le récapitulatif envoyé
        chaque jour ouvré vers 7 heures ou dans celui du lundi matin, ou de ne pas être prévenu. Les messages sont
        envoyés à {a.email} et ne contiennent que ce que vous pouvez voir dans Délégations.
      </p>
      <form method="post" action="/compte/notifications#notifications">
        <input type="hidden" name="_csrf" value={p.csrf} />
        {p.preferences.map((x) => {
          const erreur = p.erreurs?.[x.type];
          return (
            <div class={`fr-select-group${erreur ? ' fr-select-group--error' : ''}`}>
              <label class="fr-label" for={`notification-${x.type}`}>
                {x.libelle}
              </label>
              <select
                class={`fr-select${erreur ? ' fr-select--error' : ''}`}
                id={`notification-${x.type}`}
                name={x.type}
                aria-describedby={erreur ? `notification-${x.type}-erreur` : undefined}
              >
                {x.permises.map((f) => (
                  <option value={f} selected={f === x.frequence}>
                    {LIBELLES_FREQUENCES[f]}
                  </option>
                ))}
              </select>
              {erreur ? (
                <p class="fr-error-text" id={`notification-${x.type}-erreur`}>
                  {erreur}
                </p>
              ) : null}
            </div>
          );
        })}
        <button class="fr-btn" type="submit">
          Enregistrer mes choix
        </button>
      </form>
    </Page>
  );
}
