import type { Child } from 'hono/jsx';
import type { Acteur } from '../../domain/acces.js';
import { estSignee, type Convention } from '../../domain/convention.js';
import { formatDate, type DateIso } from '../../domain/dates.js';
import type { EtatPublication } from '../../usecases/publication.js';
import { Input } from './champs.js';
import { Action, Refus, type EtatFormulaire } from './operation.js';

const el = (c: Child) => <div class="fr-fieldset__element">{c}</div>;

/** On a convention's page, for agents: whether it is public, since when and by whom, and the decision's buttons. */
export function SectionPublication({
  acteur,
  csrf,
  c,
  p,
  jour,
  etat,
}: {
  acteur: Acteur;
  csrf: string;
  c: Convention;
  p: EtatPublication;
  jour: DateIso;
  etat: EtatFormulaire | null;
}) {
  if (acteur.role === 'public') return null;
  return (
    <>
      <h2 class="fr-mt-4w" id="publication">
        Publication
      </h2>
      <Refus etat={etat} />
      <p>
        {p.publiee
          ? `Publiée${p.decision ? ` le ${formatDate(p.decision.publieeLe)} par ${p.decision.decideePar}` : ''}`
          : 'Non publiée : ni sa page, ni son budget, ni ses données ne sont publics.'}
        {p.publiee && !estSignee(c.statut) ? ' — visible du public une fois signée.' : ''}
        {p.publiee && estSignee(c.statut) ? (
          <>
            {' '}
            — <a href={`/publiques/conventions/${c.id}`}>page publique</a>.
          </>
        ) : null}
      </p>
      {p.peutDecider ? (
        <div class="fr-grid-row fr-grid-row--gutters">
          {p.publiee ? (
            <Action
              action={`/conventions/${c.id}/publication/retrait`}
              csrf={csrf}
              form="retrait-publication"
              secondaire
              titre="Retirer la publication"
              bouton="Retirer la publication"
              etat={etat}
            />
          ) : (
            <Action
              action={`/conventions/${c.id}/publication`}
              csrf={csrf}
              form="publication"
              titre="Publier la convention et son budget"
              bouton="Publier"
              etat={etat}
              defauts={{ date: jour }}
            >
              {(cd) => el(<Input ctx={cd} name="date" label="Date de publication" type="date" required />)}
            </Action>
          )}
        </div>
      ) : null}
    </>
  );
}
