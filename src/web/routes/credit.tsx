import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { Contexte } from '../../usecases/contexte.js';
import { suspendreConvention } from '../../usecases/convention-cycle.js';
import { lirePageCredits } from '../../usecases/credit.js';
import {
  deciderDisponibilite,
  libererTranche,
  reporterCredits,
  restituerCredits,
} from '../../usecases/credit-decision.js';
import {
  disponibiliteEntreeApi,
  liberationEntreeApi,
  mouvementCreditsEntreeApi,
  suspensionEntreeApi,
} from '../api/credit.js';
import type { Env } from '../auth.js';
import { anneeLue, type FormFields, type TypeChamp } from '../form.js';
import { CreditsPage } from '../pages/credit.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { corps, flashDe, lireFormulaire, traiter } from './operation.js';

/** The credits page of a convention (one year at a time) and the decisions taken on its credits. */

export async function pageCredits(
  ctx: Contexte,
  c: Context<Env>,
  id: string,
  annee: number | null,
  etat: EtatFormulaire | null,
  status = 200,
) {
  const page = Math.max(1, Math.min(100_000, Number(c.req.query('page')) || 1));
  const p = await lirePageCredits(ctx, c.var.acteur, id, { annee, page, taille: 50 });
  return c.html(
    <CreditsPage
      acteur={c.var.acteur}
      csrf={c.var.csrf}
      v={p.vue}
      annee={p.annee}
      engagements={{ ...p.engagements, page, taille: 50 }}
      disponibilites={p.disponibilites}
      serie={p.serie}
      refus={p.refus}
      propositions={p.propositions}
      etat={etat}
      flash={status === 200 ? flashDe(c) : null}
    />,
    status as 200,
  );
}

export function creditPages(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/conventions/:id/credits', async (c) => {
    return pageCredits(ctx, c, c.req.param('id'), anneeLue(c.req.query('annee')), null);
  });

  /** Decisions on a convention's credits share one pattern: form → API schema → use case → back to the page. */
  const decision = <S extends z.ZodType>(
    chemin: string,
    ok: string,
    types: Record<string, TypeChamp>,
    schema: S,
    /** the warnings of the decision, when it has any */
    run: (c: Context<Env>, id: string, data: z.output<S>, f: FormFields) => Promise<string[] | void>,
    transformer?: (o: Record<string, unknown>) => Record<string, unknown>,
  ) =>
    app.post(`/conventions/:id/credits/${chemin}`, async (c) => {
      const id = c.req.param('id');
      const f = await corps(c);
      const { data, erreurs } = lireFormulaire(f, types, schema, transformer);
      const annee = anneeLue(f.annee);
      return traiter(
        c,
        `decision-${chemin}`,
        f,
        erreurs,
        data &&
          (async () => {
            const avertissements = (await run(c, id, data, f)) ?? [];
            return { url: `/conventions/${id}/credits?${annee ? `annee=${annee}&` : ''}ok=${ok}`, avertissements };
          }),
        (etat, status) => pageCredits(ctx, c, id, annee, etat, status),
      );
    });

  const montantsAnnee: Record<string, TypeChamp> = {
    annee: 'entier',
    ae_centimes: 'euros',
    cp_centimes: 'euros',
    motif: 'texte',
  };
  // a blank amount on one side of AE/CP means none of it
  const avecZero = (o: Record<string, unknown>) => ({ ae_centimes: 0, cp_centimes: 0, ...o });
  decision(
    'tranches',
    'tranche',
    { date: 'texte', motif: 'texte', decideur: 'texte' },
    liberationEntreeApi,
    (c, id, d, f) =>
      libererTranche(ctx, c.var.acteur, id, Number(f.rang), { date: d.date, motif: d.motif, decideur: d.decideur }),
  );
  decision(
    'disponibilite',
    'disponibilite',
    { ...montantsAnnee, date: 'texte' },
    disponibiliteEntreeApi,
    (c, id, d) =>
      deciderDisponibilite(ctx, c.var.acteur, id, {
        annee: d.annee,
        aeCentimes: d.ae_centimes,
        cpCentimes: d.cp_centimes,
        date: d.date,
        motif: d.motif,
      }),
    avecZero,
  );
  decision(
    'report',
    'report',
    { ...montantsAnnee, date: 'texte' },
    mouvementCreditsEntreeApi,
    (c, id, d) =>
      reporterCredits(ctx, c.var.acteur, id, {
        annee: d.annee,
        aeCentimes: d.ae_centimes,
        cpCentimes: d.cp_centimes,
        motif: d.motif,
        date: d.date,
      }),
    avecZero,
  );
  decision(
    'restitution',
    'restitution',
    { ...montantsAnnee, date: 'texte' },
    mouvementCreditsEntreeApi,
    (c, id, d) =>
      restituerCredits(ctx, c.var.acteur, id, {
        annee: d.annee,
        aeCentimes: d.ae_centimes,
        cpCentimes: d.cp_centimes,
        motif: d.motif,
        date: d.date,
      }),
    avecZero,
  );
  decision('suspension', 'suspension', { motif: 'texte' }, suspensionEntreeApi, async (c, id, d) => {
    await suspendreConvention(ctx, c.var.acteur, id, d.motif);
  });

  return app;
}
