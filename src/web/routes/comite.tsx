import { Hono } from 'hono';
import type { DecisionComite, NatureComite, PhaseProduit } from '../../domain/comite.js';
import { NotFoundError, type FieldError } from '../../domain/errors.js';
import { deciderComite, joindreCompteRendu, preparerComite } from '../../usecases/comite.js';
import type { Contexte } from '../../usecases/contexte.js';
import { decisionEntreeApi, preparationEntreeApi } from '../api/comite.js';
import { valider } from '../api/validation.js';
import type { Env } from '../auth.js';
import { champsVersApi, type FormFields, type TypeChamp } from '../form.js';
import { rowsOf } from '../pages/champs.js';
import { prefixeDecision } from '../pages/comite.js';
import { fichier } from './convention-cycle.js';
import { corps, traiter } from './operation.js';
import { lireAvecRequis, pageGouvernance, renommer, sansPrefixe } from './gouvernance.js';

/** Planning a committee and recording its decision, from the governance page. */

const COLONNES = ['nom', 'unite', 'valeur', 'cible', 'source'] as const;

/** The indicator rows the person filled in (the blank ones are dropped). */
const lignesRemplies = (f: FormFields) =>
  rowsOf(f, 'indicateurs', 0).filter((i) => COLONNES.some((k) => (f[`indicateurs.${i}.${k}`] ?? '').trim() !== ''));

/** The form's flat fields as the API's preparation: indicators as a list, the team's request as an object. */
function preparationDuFormulaire(o: Record<string, unknown>, lignes: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['nature', 'date', 'presidence'] as const) if (o[k] !== undefined) out[k] = o[k];
  if (typeof o.participants === 'string')
    out.participants = o.participants
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  out.indicateurs = lignes.map((i) => {
    const ind: Record<string, unknown> = { nom: o[`indicateurs.${i}.nom`] ?? '' };
    for (const k of COLONNES.slice(1))
      if (o[`indicateurs.${i}.${k}`] !== undefined) ind[k] = o[`indicateurs.${i}.${k}`];
    return ind;
  });
  const demande = ['equipe', 'budget_centimes', 'duree_mois'].filter((k) => o[`demande.${k}`] !== undefined);
  if (demande.length)
    out.demande = {
      equipe: o['demande.equipe'] ?? '',
      ...Object.fromEntries(demande.filter((k) => k !== 'equipe').map((k) => [k, o[`demande.${k}`]])),
    };
  return out;
}

export function comitePages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.post('/conventions/:id/comites', async (c) => {
    const id = c.req.param('id');
    const f = await corps(c);
    const lignes = lignesRemplies(f);
    const types: Record<string, TypeChamp> = {
      nature: 'texte',
      date: 'texte',
      presidence: 'texte',
      participants: 'texte',
      'demande.equipe': 'texte',
      'demande.budget_centimes': 'euros',
      'demande.duree_mois': 'entier',
    };
    for (const i of lignes)
      Object.assign(types, {
        [`indicateurs.${i}.nom`]: 'texte',
        [`indicateurs.${i}.unite`]: 'texte',
        [`indicateurs.${i}.valeur`]: 'nombre',
        [`indicateurs.${i}.cible`]: 'nombre',
        [`indicateurs.${i}.source`]: 'texte',
      });
    // the API numbers the indicators it is given; the form, the rows it shows
    const versFormulaire = (champ: string) =>
      champ.replace(/^indicateurs\.(\d+)\./, (_, k: string) => `indicateurs.${lignes[Number(k)] ?? k}.`);
    const { entree, erreurs } = champsVersApi(f, types);
    const p = valider(preparationEntreeApi, preparationDuFormulaire(entree, lignes));
    const vus = new Set(erreurs.map((e) => e.champ));
    const toutes: FieldError[] = [...erreurs];
    if (!p.ok) for (const e of renommer(p.erreurs, versFormulaire)) if (!vus.has(e.champ)) toutes.push(e);
    if (toutes.length || !p.ok) return pageGouvernance(ctx, c, { form: 'comite', f, erreurs: toutes }, 400);
    const d = p.data;
    return traiter(
      c,
      'comite',
      f,
      [],
      async () => {
        await preparerComite(ctx, c.var.acteur, id, {
          nature: d.nature as NatureComite,
          date: d.date,
          presidence: d.presidence,
          participants: d.participants,
          indicateurs: d.indicateurs,
          demande: d.demande && {
            equipe: d.demande.equipe,
            budgetCentimes: d.demande.budget_centimes,
            dureeMois: d.demande.duree_mois,
          },
        });
        return `/conventions/${id}/gouvernance?ok=comite#comites`;
      },
      (etat, status) => pageGouvernance(ctx, c, { ...etat, erreurs: renommer(etat.erreurs, versFormulaire) }, status),
    );
  });

  app.post('/conventions/:id/comites/:cid/decision', async (c) => {
    const id = c.req.param('id');
    const cid = Number(c.req.param('cid'));
    if (!Number.isSafeInteger(cid)) throw new NotFoundError('Comité', c.req.param('cid'));
    const prefixe = prefixeDecision(cid);
    const f = await corps(c);
    const compteRendu = await fichier(c);
    delete f.fichier;
    const types: Record<string, TypeChamp> = {
      decision: 'texte',
      motif: 'texte',
      budget_centimes: 'euros',
      duree_mois: 'entier',
      phase: 'texte',
      tranche: 'entier',
    };
    const champs = sansPrefixe(f, prefixe);
    const { data, erreurs } = lireAvecRequis(
      champs,
      types,
      decisionEntreeApi,
      {
        decision: 'Choisissez la décision du comité.',
        motif: 'Indiquez ce que le comité a retenu.',
      },
      // the box, ticked or not
      (o) => ({ ...o, appelle_avenant: champs.appelle_avenant === 'oui' }),
    );
    return traiter(
      c,
      `decision-${cid}`,
      f,
      erreurs,
      data &&
        (async () => {
          await deciderComite(ctx, c.var.acteur, id, cid, {
            decision: data.decision as DecisionComite,
            motif: data.motif,
            budgetCentimes: data.budget_centimes,
            dureeMois: data.duree_mois,
            phase: data.phase as PhaseProduit | null,
            tranche: data.tranche,
            appelleAvenant: data.appelle_avenant,
            compteRendu,
          });
          return `/conventions/${id}/gouvernance?ok=decision#comites`;
        }),
      (etat, status) =>
        pageGouvernance(ctx, c, { ...etat, erreurs: renommer(etat.erreurs, (x) => prefixe + x) }, status),
    );
  });

  app.post('/conventions/:id/comites/:cid/compte-rendu', async (c) => {
    const id = c.req.param('id');
    const cid = Number(c.req.param('cid'));
    if (!Number.isSafeInteger(cid)) throw new NotFoundError('Comité', c.req.param('cid'));
    const f = await corps(c);
    const piece = await fichier(c);
    delete f.fichier;
    return traiter(
      c,
      `compte-rendu-${cid}`,
      f,
      [],
      async () => {
        await joindreCompteRendu(ctx, c.var.acteur, id, cid, piece);
        return `/conventions/${id}/gouvernance?ok=compte_rendu#comites`;
      },
      (etat, status) => pageGouvernance(ctx, c, etat, status),
    );
  });

  return app;
}
