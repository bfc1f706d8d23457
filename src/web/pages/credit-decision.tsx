import type { Child } from 'hono/jsx';
import { peutDeroger, type Acteur } from '../../domain/acces.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Input, Select, type ChampsCtx } from './champs.js';
import { ctxDe, Formulaire, type EtatFormulaire } from './operation.js';

/** The decisions on a convention's credits: tranche release, carry-over, return, availability, suspension. */

/** One decision form in the grid, its own form: an error shows in it and leaves the others as they were. */
function Decision(props: {
  id: string;
  csrf: string;
  chemin: string;
  titre: string;
  bouton: string;
  etat: EtatFormulaire | null;
  children: Child;
}) {
  return (
    <div class="fr-col-12 fr-col-md-6">
      <Formulaire
        action={`/conventions/${props.id}/credits/${props.chemin}`}
        csrf={props.csrf}
        titre={props.titre}
        etat={props.etat}
        form={`decision-${props.chemin}`}
        bouton={props.bouton}
      >
        {props.children}
      </Formulaire>
    </div>
  );
}

const el = (c: Child) => <div class="fr-fieldset__element">{c}</div>;

/** Year, AE and CP of a carry-over, a return or an availability. */
function Montants({ cd, annee, ae, cp }: { cd: ChampsCtx; annee: string; ae: string; cp: string }) {
  return (
    <>
      {el(<Input ctx={cd} name="annee" label={annee} inputmode="numeric" />)}
      {el(<Input ctx={cd} name="ae_centimes" label={ae} inputmode="decimal" />)}
      {el(<Input ctx={cd} name="cp_centimes" label={cp} inputmode="decimal" />)}
    </>
  );
}

/** The decision forms of a budget agent; availability and suspension are an administrator's. */
export function Decisions({
  acteur,
  csrf,
  v,
  annee,
  etat,
}: {
  acteur: Acteur;
  csrf: string;
  v: VueCredits;
  annee: number;
  etat: EtatFormulaire | null;
}) {
  const c = v.convention;
  const id = c.id;
  const admin = peutDeroger(acteur);
  const nonLiberees = c.tranches
    .map((t, i) => ({ rang: i + 1, t }))
    .filter(({ rang }) => rang > 1 && !c.liberations.some((l) => l.rang === rang));
  const ctxs = (chemin: string) => ctxDe(etat, `decision-${chemin}`, { annee: String(annee), date: v.aujourdHui });
  const affiches = [
    nonLiberees.length ? 'tranches' : null,
    'report',
    'restitution',
    admin ? 'disponibilite' : null,
    admin && c.statut === 'en_vigueur' ? 'suspension' : null,
  ].map((x) => x && `decision-${x}`);
  // a decision sent from a form the page no longer shows (the tranche released meanwhile): its errors above
  const orphelin = etat && etat.form.startsWith('decision-') && !affiches.includes(etat.form) ? etat : null;
  return (
    <>
      <h2 class="fr-mt-4w">Décisions sur les crédits</h2>
      {orphelin && orphelin.erreurs.length ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          <ul>
            {orphelin.erreurs.map((e) => (
              <li>{e.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters">
        {nonLiberees.length ? (
          <Decision
            id={id}
            csrf={csrf}
            chemin="tranches"
            etat={etat}
            titre="Libérer une tranche"
            bouton="Consigner la libération"
          >
            {el(
              <Select
                ctx={ctxs('tranches')}
                name="rang"
                label="Tranche"
                options={nonLiberees.map(({ rang, t }) => [String(rang), `Tranche ${rang} (${t.partPct} %)`])}
              />,
            )}
            {el(<Input ctx={ctxs('tranches')} name="date" label="Date de la décision" type="date" />)}
            {el(
              <Input
                ctx={ctxs('tranches')}
                name="decideur"
                label="Décidée par"
                hint="ex. comité FAST, bilan de mi-parcours"
              />,
            )}
            {el(<Input ctx={ctxs('tranches')} name="motif" label="Motif" required />)}
          </Decision>
        ) : null}
        <Decision
          id={id}
          csrf={csrf}
          chemin="report"
          etat={etat}
          titre="Reporter des crédits inutilisés sur l’année suivante"
          bouton="Enregistrer le report"
        >
          <Montants cd={ctxs('report')} annee="Depuis l’année" ae="AE (€)" cp="CP (€)" />
          {el(
            <Input ctx={ctxs('report')} name="date" label="Date du report" type="date" hint="par défaut aujourd’hui" />,
          )}
          {el(<Input ctx={ctxs('report')} name="motif" label="Motif (accord du délégant)" required />)}
        </Decision>
        <Decision
          id={id}
          csrf={csrf}
          chemin="restitution"
          etat={etat}
          titre="Restituer des crédits au délégant"
          bouton="Enregistrer la restitution"
        >
          <Montants cd={ctxs('restitution')} annee="Année" ae="AE (€)" cp="CP (€)" />
          {el(
            <Input
              ctx={ctxs('restitution')}
              name="date"
              label="Date de la restitution"
              type="date"
              hint="par défaut aujourd’hui"
            />,
          )}
          {el(<Input ctx={ctxs('restitution')} name="motif" label="Motif" required />)}
        </Decision>
        {admin ? (
          <Decision
            id={id}
            csrf={csrf}
            chemin="disponibilite"
            etat={etat}
            titre="Mise à disposition différente de l’échéancier"
            bouton="Consigner la mise à disposition"
          >
            <Montants
              cd={ctxs('disponibilite')}
              annee="Année"
              ae="AE mises à disposition (€)"
              cp="CP mis à disposition (€)"
            />
            {el(<Input ctx={ctxs('disponibilite')} name="date" label="À compter du" type="date" />)}
            {el(<Input ctx={ctxs('disponibilite')} name="motif" label="Motif (notification du délégant…)" required />)}
          </Decision>
        ) : null}
        {admin && c.statut === 'en_vigueur' ? (
          <Decision
            id={id}
            csrf={csrf}
            chemin="suspension"
            etat={etat}
            titre="Suspendre la convention (insuffisance de crédits)"
            bouton="Suspendre"
          >
            {el(
              <Input
                ctx={ctxs('suspension')}
                name="motif"
                label="Motif"
                hint="ex. crédits insuffisants signalés au délégant le …"
                required
              />,
            )}
          </Decision>
        ) : null}
      </div>
    </>
  );
}
