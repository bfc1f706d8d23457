import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { Contexte } from '../../usecases/contexte.js';
import { envoyerRapport, lireRapport, redigerRapport, relireRapport } from '../../usecases/rapport.js';
import { envoiRapportEntreeApi, rapportEntreeApi } from '../api/rapport.js';
import type { Env } from '../auth.js';
import type { FormFields, TypeChamp } from '../form.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { RapportPage } from '../pages/rapport.js';
import { corps, flashDe, lireFormulaire, traiter } from './operation.js';

/** The end-of-term report's page and its three forms: writing, review, sending. */

async function pageRapport(ctx: Contexte, c: Context<Env>, etat: EtatFormulaire | null = null, status = 200) {
  const v = await lireRapport(ctx, c.var.acteur, c.req.param('id')!);
  return c.html(
    <RapportPage acteur={c.var.acteur} csrf={c.var.csrf} v={v} etat={etat} flash={etat ? null : flashDe(c)} />,
    status as 200,
  );
}

export function rapportPages(ctx: Contexte) {
  const app = new Hono<Env>();
  app.get('/conventions/:id/rapport', (c) => pageRapport(ctx, c));

  const etape = <S extends z.ZodType>(
    chemin: string,
    form: string,
    ok: string,
    types: Record<string, TypeChamp>,
    schema: S,
    run: (c: Context<Env>, id: string, data: z.output<S>) => Promise<unknown>,
    transformer?: (o: Record<string, unknown>) => Record<string, unknown>,
  ) =>
    app.post(`/conventions/:id/${chemin}`, async (c) => {
      const id = c.req.param('id');
      const f: FormFields = await corps(c);
      const { data, erreurs } = lireFormulaire(f, types, schema, transformer);
      return traiter(
        c,
        form,
        f,
        erreurs,
        data &&
          (async () => {
            await run(c, id, data);
            return `/conventions/${id}/rapport?ok=${ok}`;
          }),
        (etat, status) => pageRapport(ctx, c, etat, status),
      );
    });

  etape(
    'rapport',
    'redaction',
    'rapport_redige',
    { avancement: 'texte', previsions: 'texte' },
    rapportEntreeApi,
    (c, id, d) => redigerRapport(ctx, c.var.acteur, id, d),
    // a section left empty is an empty text, not a missing field
    (o) => ({ avancement: o.avancement ?? '', previsions: o.previsions ?? '' }),
  );
  const vide = rapportEntreeApi.pick({});
  etape('rapport/relecture', 'relecture', 'rapport_relu', {}, vide, (c, id) => relireRapport(ctx, c.var.acteur, id));
  etape(
    'rapport/envoi',
    'envoi',
    'rapport_envoye',
    { date: 'texte', destinataires: 'texte' },
    envoiRapportEntreeApi,
    (c, id, d) => envoyerRapport(ctx, c.var.acteur, id, d),
  );
  return app;
}
