import type { Acteur } from '../../domain/acces.js';
import { LIBELLES_STATUTS_ENVOI, type EnvoiListe } from '../../domain/notification.js';
import { Page } from './layout.js';
import { instantEnMots } from './libelles.js';

/** « Envois »: the e-mails sent, or kept when no mail server is configured, as their recipients read them. */
export function EnvoisPage({ acteur, envois, smtp }: { acteur: Acteur; envois: EnvoiListe[]; smtp: boolean }) {
  return (
    <Page titre="Envois" acteur={acteur} fil={[['Accueil', '/'], ['Administration', '/admin'], ['Envois']]}>
      <h1>Envois</h1>
      <p>
        {smtp
          ? 'Les messages partent par le serveur SMTP configuré ; un échec est réessayé avec un délai croissant.'
          : 'Aucun serveur SMTP n’est configuré (SMTP_URL) : les messages sont conservés ici, tels que leurs destinataires les recevraient.'}
      </p>
      {envois.length === 0 ? <p>Aucun message.</p> : null}
      {envois.map((e) => (
        <section class="fr-card fr-p-2w fr-mb-2w" id={`envoi-${e.id}`}>
          <h2 class="fr-h6 fr-mb-1w">{e.sujet}</h2>
          <p class="fr-text--sm fr-mb-1w">
            À {e.destinataire} — {LIBELLES_STATUTS_ENVOI[e.statut]} — créé le {instantEnMots(e.creeLe)}
            {e.tentatives > 0 ? ` — ${e.tentatives} échec${e.tentatives > 1 ? 's' : ''} : ${e.erreur ?? ''}` : ''}
          </p>
          <pre class="fr-text--sm">{e.texte}</pre>
          {e.elements.length ? (
            <ul class="fr-text--sm">
              {e.elements.map((x) => (
                <li>
                  {x.groupe} : <a href={x.lien}>{x.libelle}</a>
                </li>
              ))}
            </ul>
          ) : null}
          <a href={e.lien}>Ouvrir l’élément</a>
        </section>
      ))}
    </Page>
  );
}
