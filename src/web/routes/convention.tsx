import { Hono, type Context } from 'hono';
import { DomainError, ValidationError, type FieldError } from '../../domain/errors.js';
import { controler, statutEffectif, conventionVide } from '../../domain/convention.js';
import { peutCreerConvention, peutModifierConvention } from '../../domain/acces.js';
import { ForbiddenError } from '../../domain/errors.js';
import { isDateIso, today } from '../../domain/dates.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  creerConvention,
  lireConvention,
  journalDe,
  listerConventions,
  listerPartenaires,
  modifierConvention,
} from '../../usecases/convention.js';
import type { Env } from '../auth.js';
import { erreursApi, estRefus, toApiError } from '../errors.js';
import { envoyerAgendaConvention } from '../telechargement.js';
import { champsDepuisConvention, lireFormulaire, type FormFields } from '../form.js';
import { filtreApi, filtreDepuisApi } from '../api/convention-json.js';
import { FichePage } from '../pages/convention-fiche.js';
import { BandeauResiliation, SectionCycle } from '../pages/convention-cycle.js';
import { conventionDeSuite } from '../../domain/convention-cycle.js';
import type { EtatFormulaire } from '../pages/operation.js';
import { lireCycle } from '../../usecases/convention-cycle.js';
import { lirePublication } from '../../usecases/publication.js';
import { SectionPublication } from '../pages/publication.js';
import { avenantsDe } from '../../usecases/avenant.js';
import { conventionAu } from '../../domain/avenant.js';
import { BandeauDate, SectionAvenants } from '../pages/avenant.js';
import { FormulairePage } from '../pages/convention-formulaire.js';
import { ListePage, type FiltreSaisi } from '../pages/convention-liste.js';

const FLASH: Record<string, { type: 'success' | 'info'; message: string }> = {
  creee: { type: 'success', message: 'La convention a été créée.' },
  modifiee: { type: 'success', message: 'Les modifications ont été enregistrées.' },
  inchangee: { type: 'info', message: 'Aucune modification à enregistrer.' },
  envoi_signature: { type: 'success', message: 'La convention est envoyée en signature.' },
  retour_brouillon: { type: 'success', message: 'La convention est remise en brouillon.' },
  signature: { type: 'success', message: 'La signature est enregistrée.' },
  copie: { type: 'success', message: 'L’envoi de la copie aux contrôleurs budgétaires est consigné.' },
  reprise: { type: 'success', message: 'La convention est remise en vigueur.' },
  resiliation: { type: 'success', message: 'La résiliation est notifiée.' },
  retrait_resiliation: { type: 'success', message: 'La résiliation est retirée.' },
  cloture: { type: 'success', message: 'La convention est clôturée.' },
  publication: { type: 'success', message: 'La convention est publiée : sa page et son budget sont publics.' },
  retrait_publication: { type: 'success', message: 'La publication est retirée : la convention n’est plus publique.' },
};

/** A convention's page, with its life's section; shown again with a refused action's form and message. */
export async function pageConvention(
  ctx: Contexte,
  c: Context<Env>,
  id: string,
  etat: EtatFormulaire | null,
  status = 200,
) {
  const conv = await lireConvention(ctx, c.var.acteur, id);
  // what the page shows of the convention, read once, in parallel
  const [journal, cycle, avenants, publication] = await Promise.all([
    c.var.acteur.role === 'public' ? [] : journalDe(ctx, c.var.acteur, conv),
    lireCycle(ctx, c.var.acteur, conv),
    avenantsDe(ctx, c.var.acteur, conv),
    lirePublication(ctx, c.var.acteur, conv),
  ]);
  const jour = today(ctx.now());
  const q = c.req.query('date');
  const date = q && isDateIso(q) ? q : null;
  const version = (k: string) => (/^\d{1,6}$/.test(c.req.query(k) ?? '') ? Number(c.req.query(k)) : null);
  // the current version (every signed avenant), or the convention as it stood on the day asked
  const vue = date ? conventionAu(conv, avenants, date) : conv;
  const flash = etat ? null : (FLASH[c.req.query('ok') ?? ''] ?? null);
  return c.html(
    <FichePage
      acteur={c.var.acteur}
      c={vue}
      statut={statutEffectif(conv, jour)}
      journal={journal}
      avertissements={controler(vue).avertissements}
      flash={flash}
      extra={
        <>
          {date ? <BandeauDate date={date} /> : null}
          <BandeauResiliation c={conv} jour={jour} />
          <SectionCycle acteur={c.var.acteur} csrf={c.var.csrf} c={conv} cycle={cycle} jour={jour} etat={etat} />
          <SectionPublication
            acteur={c.var.acteur}
            csrf={c.var.csrf}
            c={conv}
            p={publication}
            jour={jour}
            etat={etat}
          />
          <SectionAvenants
            acteur={c.var.acteur}
            csrf={c.var.csrf}
            c={conv}
            avenants={avenants}
            jour={jour}
            de={version('de')}
            a={version('a')}
            date={date}
            etat={etat}
          />
        </>
      }
    />,
    status as 200,
  );
}

/** Where a refusal is said: each field's own error, else the status, the schedule line of the year concerned, or the form as a whole. */
function erreursDuRefus(e: DomainError, f: FormFields): FieldError[] {
  if (e instanceof ValidationError) return erreursApi(e.erreurs);
  return [{ champ: champDuRefus(e, f), message: e.message }];
}

function champDuRefus(e: DomainError, f: FormFields): string {
  if (e.code === 'STATUT_PAR_ACTION') return 'statut';
  const annee = e.details.annee;
  if (typeof annee !== 'number') return '(corps)';
  const ligne = Object.keys(f).find((k) => /^echeancier\.\d+\.annee$/.test(k) && f[k]?.trim() === String(annee));
  return ligne ? ligne.replace(/annee$/, 'ae_centimes') : '(corps)';
}

export function conventionPages(ctx: Contexte, opts: { urlPublique: string }) {
  const app = new Hono<Env>();

  app.get('/', async (c) => {
    const parsed = filtreApi.safeParse(c.req.query());
    const fallback = filtreApi.parse({
      q: c.req.query('q')?.slice(0, 200),
      partenaire: c.req.query('partenaire')?.slice(0, 200),
    });
    const f: FiltreSaisi = parsed.success ? parsed.data : fallback;
    const erreurs = parsed.success ? [] : ['Certains filtres sont invalides et ont été ignorés.'];
    const page = await listerConventions(ctx, c.var.acteur, filtreDepuisApi(parsed.success ? parsed.data : fallback));
    const partenaires = c.var.acteur.role === 'public' ? [] : await listerPartenaires(ctx, c.var.acteur);
    return c.html(<ListePage acteur={c.var.acteur} page={page} f={f} erreurs={erreurs} partenaires={partenaires} />);
  });

  app.get('/nouvelle', async (c) => {
    if (!peutCreerConvention(c.var.acteur)) throw new ForbiddenError();
    // « préparer la suite » : prefilled from the convention it follows
    const suite = c.req.query('suite');
    const precedente = suite ? await lireConvention(ctx, c.var.acteur, suite) : null;
    return c.html(
      <FormulairePage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        f={champsDepuisConvention(precedente ? conventionDeSuite(precedente) : conventionVide())}
        erreurs={[]}
        action="/conventions"
        titre={
          precedente ? `Convention faisant suite à ${precedente.reference ?? 'la convention'}` : 'Nouvelle convention'
        }
      />,
    );
  });

  app.post('/', async (c) => {
    if (!peutCreerConvention(c.var.acteur)) throw new ForbiddenError();
    const { f, saisie, erreurs } = lireFormulaire(await c.req.parseBody({ all: true }));
    const reafficher = (erreurs: FieldError[], status: number) =>
      c.html(
        <FormulairePage
          acteur={c.var.acteur}
          csrf={c.var.csrf}
          f={f}
          erreurs={erreurs}
          action="/conventions"
          titre="Nouvelle convention"
        />,
        status as 400,
      );
    if (!saisie) return reafficher(erreurs, 400);
    try {
      const { convention } = await creerConvention(ctx, c.var.acteur, saisie);
      return c.redirect(`/conventions/${convention.id}?ok=creee`, 303);
    } catch (e) {
      if (!estRefus(e)) throw e;
      return reafficher(erreursDuRefus(e, f), toApiError(e).status);
    }
  });

  app.get('/:id', (c) => pageConvention(ctx, c, c.req.param('id'), null));
  // the convention's dated events, to import into a calendar: the same file as the API's
  app.get('/:id/agenda.ics', (c) => envoyerAgendaConvention(c, ctx, opts.urlPublique));

  app.get('/:id/modifier', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    if (!peutModifierConvention(c.var.acteur, conv)) throw new ForbiddenError();
    return c.html(
      <FormulairePage
        acteur={c.var.acteur}
        csrf={c.var.csrf}
        f={champsDepuisConvention(conv)}
        erreurs={[]}
        action={`/conventions/${conv.id}/modifier`}
        titre={`Modifier — ${conv.produits.join(', ') || conv.reference || 'convention'}`}
        version={conv.version}
        avertissements={controler(conv).avertissements}
      />,
    );
  });

  app.post('/:id/modifier', async (c) => {
    const conv = await lireConvention(ctx, c.var.acteur, c.req.param('id'));
    if (!peutModifierConvention(c.var.acteur, conv)) throw new ForbiddenError();
    const { f, saisie, erreurs } = lireFormulaire(await c.req.parseBody({ all: true }));
    const version = Number(f.version);
    const reafficher = (champs: FormFields, erreurs: FieldError[], status: number) =>
      c.html(
        <FormulairePage
          acteur={c.var.acteur}
          csrf={c.var.csrf}
          f={champs}
          erreurs={erreurs}
          action={`/conventions/${conv.id}/modifier`}
          titre={`Modifier — ${conv.produits.join(', ') || conv.reference || 'convention'}`}
          version={Number.isInteger(version) ? version : conv.version}
        />,
        status as 400,
      );
    if (!saisie || !Number.isInteger(version)) return reafficher(f, erreurs, 400);
    try {
      const { convention } = await modifierConvention(ctx, c.var.acteur, conv.id, saisie, version);
      return c.redirect(`/conventions/${conv.id}?ok=${convention.version === version ? 'inchangee' : 'modifiee'}`, 303);
    } catch (e) {
      // any refusal (someone saved in between, a schedule below what is already committed…) shows the form
      // again with what was typed, the message next to the field it concerns, and the API's status; a status
      // changed here is put back, since only its action changes it
      if (!estRefus(e)) throw e;
      const champs = e.code === 'STATUT_PAR_ACTION' ? { ...f, statut: conv.statut } : f;
      return reafficher(champs, erreursDuRefus(e, f), toApiError(e).status);
    }
  });

  return app;
}
