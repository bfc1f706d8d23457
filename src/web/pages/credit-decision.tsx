import type { Child } from 'hono/jsx';
import { peutDeroger, type Acteur } from '../../domain/acces.js';
import type { VueCredits } from '../../usecases/credit.js';
import { Input, Select, type ChampsCtx } from './champs.js';
import { Action, type EtatFormulaire } from './operation.js';

/** The decisions on a convention's credits: tranche release, carry-over, return, availability, suspension. */

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
  // one list drives both the forms shown and which sent form has gone from the page
  const decisions: Array<{ chemin: string; titre: string; bouton: string; champs: (cd: ChampsCtx) => Child }> = [];
  if (nonLiberees.length)
    decisions.push({
      chemin: 'tranches',
      titre: 'Libérer une tranche',
      bouton: 'Consigner la libération',
      champs: (cd) => (
        <>
          {el(
            <Select
              ctx={cd}
              name="rang"
              label="Tranche"
              options={nonLiberees.map(({ rang, t }) => [String(rang), `Tranche ${rang} (${t.partPct} %)`])}
            />,
          )}
          {el(<Input ctx={cd} name="date" label="Date de la décision" type="date" />)}
          {el(<Input ctx={cd} name="decideur" label="Décidée par" hint="ex. comité FAST, bilan de mi-parcours" />)}
          {el(<Input ctx={cd} name="motif" label="Motif" required />)}
        </>
      ),
    });
  decisions.push(
    {
      chemin: 'report',
      titre: 'Reporter des crédits inutilisés sur l’année suivante',
      bouton: 'Enregistrer le report',
      champs: (cd) => (
        <>
          <Montants cd={cd} annee="Depuis l’année" ae="AE (€)" cp="CP (€)" />
          {el(<Input ctx={cd} name="date" label="Date du report" type="date" hint="par défaut aujourd’hui" />)}
          {el(<Input ctx={cd} name="motif" label="Motif (accord du délégant)" required />)}
        </>
      ),
    },
    {
      chemin: 'restitution',
      titre: 'Restituer des crédits au délégant',
      bouton: 'Enregistrer la restitution',
      champs: (cd) => (
        <>
          <Montants cd={cd} annee="Année" ae="AE (€)" cp="CP (€)" />
          {el(<Input ctx={cd} name="date" label="Date de la restitution" type="date" hint="par défaut aujourd’hui" />)}
          {el(<Input ctx={cd} name="motif" label="Motif" required />)}
        </>
      ),
    },
  );
  if (admin)
    decisions.push({
      chemin: 'disponibilite',
      titre: 'Mise à disposition différente de l’échéancier',
      bouton: 'Consigner la mise à disposition',
      champs: (cd) => (
        <>
          <Montants cd={cd} annee="Année" ae="AE mises à disposition (€)" cp="CP mis à disposition (€)" />
          {el(<Input ctx={cd} name="date" label="À compter du" type="date" />)}
          {el(<Input ctx={cd} name="motif" label="Motif (notification du délégant…)" required />)}
        </>
      ),
    });
  if (admin && c.statut === 'en_vigueur')
    decisions.push({
      chemin: 'suspension',
      titre: 'Suspendre la convention (insuffisance de crédits)',
      bouton: 'Suspendre',
      champs: (cd) =>
        el(
          <Input
            ctx={cd}
            name="motif"
            label="Motif"
            hint="ex. crédits insuffisants signalés au délégant le …"
            required
          />,
        ),
    });
  const affiches = decisions.map((d) => `decision-${d.chemin}`);
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
        {decisions.map((d) => (
          <Action
            action={`/conventions/${id}/credits/${d.chemin}`}
            csrf={csrf}
            form={`decision-${d.chemin}`}
            titre={d.titre}
            bouton={d.bouton}
            etat={etat}
            defauts={{ annee: String(annee), date: v.aujourdHui }}
          >
            {d.champs}
          </Action>
        ))}
      </div>
    </>
  );
}
