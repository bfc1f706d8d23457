import type { Child } from 'hono/jsx';
import { formatDate } from '../../domain/dates.js';
import { etatEngagement, LIBELLES_ETAT_ENGAGEMENT, montantNet, type Engagement } from '../../domain/engagement.js';
import { formatEuros as m } from '../../domain/money.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Input, Select, type ChampsCtx as Ctx } from './champs.js';
import { BADGE_ETAT } from './libelles.js';
import { ctxDe, Formulaire, type EtatFormulaire } from './operation.js';

/** A year's orders on the credits page: their table, and the form of a new order (whose fields a proposal shares). */

export function TableauEngagements({
  engagements,
  total,
  page,
  taille,
  id,
  annee,
}: {
  engagements: Engagement[];
  total: number;
  page: number;
  taille: number;
  id: string;
  annee: number;
}) {
  const pages = Math.max(1, Math.ceil(total / taille));
  return (
    <>
      <div class="fr-table">
        <table>
          <caption>
            Bons de commande {annee} ({total})
          </caption>
          <thead>
            <tr>
              <th scope="col">Numéro</th>
              <th scope="col">Date</th>
              <th scope="col">Titulaire</th>
              <th scope="col">Objet</th>
              <th scope="col">Montant</th>
              <th scope="col">Service fait</th>
              <th scope="col">Payé</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {engagements.length === 0 ? (
              <tr>
                <td colspan={8}>Aucun bon de commande sur {annee}.</td>
              </tr>
            ) : null}
            {engagements.map((e) => (
              <tr>
                <td>
                  <a href={`/conventions/${id}/credits/engagements/${e.id}`}>{e.numero}</a>
                </td>
                <td>{formatDate(e.dateEngagement)}</td>
                <td>
                  {e.titulaire}
                  {e.marche ? <span class="fr-hint-text">{e.marche}</span> : null}
                </td>
                <td>
                  {e.objet}
                  {e.produit ? <span class="fr-hint-text">{e.produit}</span> : null}
                </td>
                <td class="montant">
                  {m(e.montantCentimes)} {e.baseMontant}
                  {e.montantImputeCentimes !== e.montantCentimes ? (
                    <span class="fr-hint-text">imputé {m(e.montantImputeCentimes)}</span>
                  ) : null}
                  {e.libereCentimes ? <span class="fr-hint-text">net {m(montantNet(e))}</span> : null}
                </td>
                <td class="montant">{m(e.certifieCentimes)}</td>
                <td class="montant">{m(e.payeCentimes)}</td>
                <td>
                  <p class={`fr-badge fr-badge--sm ${BADGE_ETAT[etatEngagement(e)]}`}>
                    {LIBELLES_ETAT_ENGAGEMENT[etatEngagement(e)]}
                  </p>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav role="navigation" class="fr-pagination" aria-label="Pagination des bons de commande">
          <ul class="fr-pagination__list">
            {page > 1 ? (
              <li>
                <a
                  class="fr-pagination__link fr-pagination__link--prev"
                  href={`/conventions/${id}/credits?annee=${annee}&page=${page - 1}#engagements`}
                >
                  Page précédente
                </a>
              </li>
            ) : null}
            <li>
              <a class="fr-pagination__link" aria-current="page">
                {page} / {pages}
              </a>
            </li>
            {page < pages ? (
              <li>
                <a
                  class="fr-pagination__link fr-pagination__link--next"
                  href={`/conventions/${id}/credits?annee=${annee}&page=${page + 1}#engagements`}
                >
                  Page suivante
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

export const el = (c: Child) => <div class="fr-fieldset__element fr-col-12 fr-col-md-6">{c}</div>;

/** What an order and a proposal both say: who, what, how much, on which year's credits. */
export function ChampsCommande({ ctx }: { ctx: Ctx }) {
  return (
    <>
      {el(<Input ctx={ctx} name="titulaire" label="Titulaire du marché" required />)}
      {el(<Input ctx={ctx} name="marche" label="Marché-cadre" />)}
      {el(<Input ctx={ctx} name="objet" label="Objet" required />)}
      {el(<Input ctx={ctx} name="devis" label="Référence du devis" />)}
      {el(
        <Input
          ctx={ctx}
          name="montant_centimes"
          label="Montant (€)"
          hint="ex. 12 000 ou 1 250,50"
          inputmode="decimal"
          required
        />,
      )}
      {el(
        <Select
          ctx={ctx}
          name="base_montant"
          label="Base du montant"
          options={[
            ['TTC', 'TTC (toutes taxes comprises)'],
            ['HT', 'HT (hors taxes)'],
          ]}
        />,
      )}
      {el(<Input ctx={ctx} name="annee" label="Année budgétaire" inputmode="numeric" required />)}
    </>
  );
}

export function FormulaireEngagement({
  v,
  annee,
  csrf,
  etat,
  admin,
}: {
  v: VueCredits;
  annee: number;
  csrf: string;
  etat: EtatFormulaire | null;
  admin: boolean;
}) {
  const c = v.convention;
  const ce = ctxDe(etat, 'engagement', {
    annee: String(annee),
    date_engagement: v.aujourdHui,
    base_montant: c.baseMontants,
    taux_tva: '20',
  });
  return (
    <Formulaire
      action={`/conventions/${c.id}/credits/engagements`}
      csrf={csrf}
      titre="Nouveau bon de commande"
      etat={etat}
      form="engagement"
      bouton="Enregistrer le bon de commande"
      id="nouvel-engagement"
    >
      <div class="fr-grid-row fr-grid-row--gutters fr-col-12">
        <ChampsCommande ctx={ce} />
        {el(
          <Select
            ctx={ce}
            name="taux_tva"
            label="Taux de TVA"
            hint={`un montant saisi sur une autre base que la convention (${c.baseMontants}) y est imputé converti à ce taux`}
            options={[
              ['20', '20 %'],
              ['10', '10 %'],
              ['5.5', '5,5 %'],
              ['0', '0 %'],
            ]}
          />,
        )}
        {el(<Input ctx={ce} name="date_engagement" label="Date de la commande" type="date" required />)}
        {c.produits.length > 1
          ? el(
              <Select
                ctx={ce}
                name="produit"
                label="Produit servi"
                vide="Non précisé"
                options={c.produits.map((p) => [p, p])}
              />,
            )
          : null}
        {el(
          <Input
            ctx={ce}
            name="numero"
            label="Numéro (Chorus)"
            hint="laissez vide pour un numéro automatique BC-AAAA-N"
          />,
        )}
        {el(<Input ctx={ce} name="date_fin_prestation" label="Fin de prestation prévue" type="date" />)}
        {admin
          ? el(
              <Input
                ctx={ce}
                name="derogation_motif"
                label="Motif de dérogation au calendrier"
                hint="administrateur : seulement après une date limite"
              />,
            )
          : null}
      </div>
    </Formulaire>
  );
}
