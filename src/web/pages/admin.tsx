import { EXPIRATION_JETON_JOURS, LIBELLES_ROLES, ROLES, etatJeton, type Acteur } from '../../domain/acces.js';
import type { FieldError } from '../../domain/errors.js';
import type { Agent, Jeton } from '../../domain/acces.js';
import type { FormFields } from '../form.js';
import { Case, Input, Select, Textarea, type ChampsCtx } from './champs.js';
import { Page } from './layout.js';

const quand = (d: Date | null) =>
  d ? (
    <time datetime={d.toISOString()}>
      {d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' })}
    </time>
  ) : (
    '—'
  );
const ctxDe = (f: FormFields, erreurs: FieldError[]): ChampsCtx => ({
  f,
  erreurs: new Map(erreurs.map((e) => [e.champ, e.message])),
});
const ROLES_AGENT = ROLES.filter((r) => r !== 'public').map((r) => [r, LIBELLES_ROLES[r]] as [string, string]);

function Resume({ erreurs }: { erreurs: FieldError[] }) {
  return erreurs.length ? (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
      <h2 class="fr-alert__title">
        Le formulaire contient {erreurs.length > 1 ? `${erreurs.length} erreurs` : 'une erreur'}
      </h2>
      <ul>
        {erreurs.map((e) => (
          <li>{e.message}</li>
        ))}
      </ul>
    </div>
  ) : null;
}

export function AdminPage({ acteur, agents, jetons }: { acteur: Acteur; agents: number; jetons: number }) {
  return (
    <Page titre="Administration" acteur={acteur} fil={[['Accueil', '/'], ['Administration']]}>
      <h1>Administration</h1>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <div class="fr-tile fr-enlarge-link">
            <div class="fr-tile__body">
              <div class="fr-tile__content">
                <h2 class="fr-tile__title">
                  <a href="/admin/agents">Agents et rôles</a>
                </h2>
                <p class="fr-tile__desc">
                  {agents} agent{agents > 1 ? 's' : ''} : rôle, organisation, produits, désactivation.
                </p>
              </div>
            </div>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <div class="fr-tile fr-enlarge-link">
            <div class="fr-tile__body">
              <div class="fr-tile__content">
                <h2 class="fr-tile__title">
                  <a href="/admin/jetons">Jetons d’API</a>
                </h2>
                <p class="fr-tile__desc">
                  {jetons} jeton{jetons > 1 ? 's' : ''} pour les programmes qui lisent ou écrivent par l’API.
                </p>
              </div>
            </div>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <div class="fr-tile fr-enlarge-link">
            <div class="fr-tile__body">
              <div class="fr-tile__content">
                <h2 class="fr-tile__title">
                  <a href="/admin/envois">Envois de courriels</a>
                </h2>
                <p class="fr-tile__desc">
                  Les rappels et alertes envoyés, ou conservés sans serveur de messagerie, tels que leurs destinataires
                  les reçoivent.
                </p>
              </div>
            </div>
          </div>
        </div>
      </div>
    </Page>
  );
}

export function AgentsPage({
  acteur,
  agents,
  flash,
}: {
  acteur: Acteur;
  agents: Agent[];
  flash?: { type: 'success'; message: string } | null;
}) {
  return (
    <Page
      titre="Agents et rôles"
      acteur={acteur}
      fil={[['Accueil', '/'], ['Administration', '/admin'], ['Agents et rôles']]}
      flash={flash}
    >
      <h1>Agents et rôles</h1>
      <p>
        Un agent apparaît ici à sa première connexion par ProConnect, rattaché à l’organisation de son SIRET, avec le
        rôle partenaire. Donnez-lui ensuite le rôle qui convient.
      </p>
      <div class="fr-table">
        <table>
          <caption>
            {agents.length} agent{agents.length > 1 ? 's' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Adresse</th>
              <th scope="col">Rôle</th>
              <th scope="col">Organisation (SIRET)</th>
              <th scope="col">Produits</th>
              <th scope="col">Dernière connexion</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/agents/${encodeURIComponent(a.id)}`}>
                    {[a.prenom, a.nom].filter(Boolean).join(' ') || a.email}
                  </a>
                </td>
                <td>{a.email}</td>
                <td>{LIBELLES_ROLES[a.role]}</td>
                <td>{a.organisationSiret ?? '—'}</td>
                <td>{a.produits.join(', ') || '—'}</td>
                <td>{quand(a.derniereConnexion)}</td>
                <td>
                  {a.actif ? (
                    <p class="fr-badge fr-badge--success fr-badge--sm">Actif</p>
                  ) : (
                    <p class="fr-badge fr-badge--error fr-badge--sm">Désactivé</p>
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

export function AgentPage({
  acteur,
  csrf,
  agent,
  f,
  erreurs,
}: {
  acteur: Acteur;
  csrf: string;
  agent: Agent;
  f: FormFields;
  erreurs: FieldError[];
}) {
  const ctx = ctxDe(f, erreurs);
  const nom = [agent.prenom, agent.nom].filter(Boolean).join(' ') || agent.email;
  return (
    <Page
      titre={`Agent — ${nom}`}
      acteur={acteur}
      csrf={csrf}
      fil={[['Accueil', '/'], ['Administration', '/admin'], ['Agents et rôles', '/admin/agents'], [nom]]}
    >
      <h1>{nom}</h1>
      <p>
        {agent.email} — identité ProConnect <code>{agent.idpId}</code> / <code>{agent.sub}</code>
        <br />
        Première connexion : {quand(agent.creeLe)} — dernière : {quand(agent.derniereConnexion)}
      </p>
      <Resume erreurs={erreurs} />
      <form method="post" action={`/admin/agents/${encodeURIComponent(agent.id)}`} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <Select ctx={ctx} name="role" label="Rôle" options={ROLES_AGENT} required />
        <Input
          ctx={ctx}
          name="organisationSiret"
          label="SIRET de l’organisation"
          hint="14 chiffres ; donné par ProConnect à chaque connexion"
          inputmode="numeric"
        />
        <Textarea
          ctx={ctx}
          name="produits"
          label="Produits (équipe produit)"
          hint="Un produit par ligne : l’équipe voit les conventions qui les financent."
        />
        <div class="fr-checkbox-group fr-mb-3w">
          <input type="checkbox" id="f-actif" name="actif" value="1" checked={f.actif === '1'} />
          <label class="fr-label" for="f-actif">
            Compte actif
            <span class="fr-hint-text">Un compte désactivé ne peut plus se connecter ; ses sessions sont fermées.</span>
          </label>
        </div>
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
    </Page>
  );
}

export function JetonsPage(p: {
  acteur: Acteur;
  csrf: string;
  jetons: Jeton[];
  maintenant: Date;
  f: FormFields;
  erreurs: FieldError[];
  cree?: { nom: string; valeur: string } | null;
  flash?: { type: 'success'; message: string } | null;
  /** a revocation sent without its box ticked: which token, and the message */
  revocation?: { id: string; erreurs: FieldError[] } | null;
}) {
  const ctx = ctxDe(p.f, p.erreurs);
  const ctxRevocation = (id: string): ChampsCtx => ({
    ...ctxDe({}, p.revocation?.id === id ? p.revocation.erreurs : []),
    form: `revocation-${id}`,
  });
  const etats = {
    valide: ['success', 'Valide'],
    expire: ['warning', 'Expiré'],
    revoque: ['error', 'Révoqué'],
  } as const;
  return (
    <Page
      titre="Jetons d’API"
      acteur={p.acteur}
      csrf={p.csrf}
      fil={[['Accueil', '/'], ['Administration', '/admin'], ['Jetons d’API']]}
      flash={p.flash}
    >
      <h1>Jetons d’API</h1>
      {p.cree ? (
        <div class="fr-alert fr-alert--success fr-mb-4w" role="status">
          <h2 class="fr-alert__title">Jeton « {p.cree.nom} » créé</h2>
          <p>
            Copiez-le maintenant : il ne sera plus jamais affiché. Le programme l’envoie dans l’en-tête{' '}
            <code>Authorization: Bearer …</code>.
          </p>
          <p>
            <code id="jeton-cree">{p.cree.valeur}</code>
          </p>
        </div>
      ) : null}
      <Resume erreurs={p.revocation?.erreurs ?? []} />
      <div class="fr-table">
        <table>
          <caption>
            {p.jetons.length} jeton{p.jetons.length > 1 ? 's' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Début</th>
              <th scope="col">Rôle</th>
              <th scope="col">Organisation</th>
              <th scope="col">Créé le</th>
              <th scope="col">Expire le</th>
              <th scope="col">Dernier usage</th>
              <th scope="col">État</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {p.jetons.length === 0 ? (
              <tr>
                <td colspan={9}>Aucun jeton.</td>
              </tr>
            ) : null}
            {p.jetons.map((j) => {
              const e = etatJeton(j, p.maintenant);
              return (
                <tr>
                  <td>{j.nom}</td>
                  <td>
                    <code>{j.prefixe}…</code>
                  </td>
                  <td>
                    {LIBELLES_ROLES[j.role]}
                    {j.produits.length ? ` (${j.produits.join(', ')})` : ''}
                  </td>
                  <td>{j.organisationSiret ?? '—'}</td>
                  <td>{quand(j.creeLe)}</td>
                  <td>{quand(j.expireLe)}</td>
                  <td>{quand(j.utiliseLe)}</td>
                  <td>
                    <p class={`fr-badge fr-badge--${etats[e][0]} fr-badge--sm`}>{etats[e][1]}</p>
                  </td>
                  <td>
                    {e === 'revoque' ? null : (
                      <form method="post" action={`/admin/jetons/${j.id}/revocation`}>
                        <input type="hidden" name="_csrf" value={p.csrf} />
                        <Case
                          ctx={ctxRevocation(j.id)}
                          name="confirmation"
                          label={`Je confirme la révocation de « ${j.nom} » : elle est définitive.`}
                          required
                        />
                        <button
                          class="fr-btn fr-btn--sm fr-btn--tertiary"
                          type="submit"
                          title={`Révoquer le jeton « ${j.nom} »`}
                        >
                          Révoquer
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2 class="fr-mt-4w">Créer un jeton</h2>
      <Resume erreurs={p.erreurs} />
      <form method="post" action="/admin/jetons" novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <Input
          ctx={ctx}
          name="nom"
          label="Nom"
          hint="Le programme qui l’utilisera, par exemple « Tableau de bord du pôle budget »"
          required
        />
        <Select
          ctx={ctx}
          name="role"
          label="Rôle"
          options={ROLES.map((r) => [r, LIBELLES_ROLES[r]] as [string, string])}
          required
        />
        <Input
          ctx={ctx}
          name="organisationSiret"
          label="SIRET de l’organisation"
          hint="Obligatoire pour un partenaire : le jeton ne verra que les conventions de cette organisation."
          inputmode="numeric"
        />
        <Textarea ctx={ctx} name="produits" label="Produits (équipe produit)" hint="Un produit par ligne." />
        <Input
          ctx={ctx}
          name="expireJours"
          label="Validité en jours"
          hint={`De 1 à ${EXPIRATION_JETON_JOURS.max} jours`}
          inputmode="numeric"
          required
        />
        <button class="fr-btn" type="submit">
          Créer le jeton
        </button>
      </form>
    </Page>
  );
}
