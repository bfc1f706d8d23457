import { peutLireCredits, type Acteur } from '../domain/acces.js';
import { estSignee, type Convention } from '../domain/convention.js';
import { today, type DateIso } from '../domain/dates.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Changement } from '../domain/journal.js';
import {
  contenuRapport,
  echeanceRapport,
  envoyer,
  etatRapport,
  peutRedigerRapport,
  peutRelireRapport,
  rapportVide,
  rediger,
  relire,
  type ContenuRapport,
  type Envoi,
  type EtatRapport,
  type RapportFin,
  type Redaction,
} from '../domain/rapport.js';
import { listerAvenants } from '../storage/avenant.js';
import { listerComites } from '../storage/comite.js';
import * as stockage from '../storage/convention.js';
import type { Trx } from '../storage/database.js';
import { listerTousEngagements } from '../storage/engagement.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import { enregistrerRapportFin, lireRapportFin, verrouillerRapportFin } from '../storage/rapport.js';
import type { Contexte } from './contexte.js';
import { lireCredits } from './credit.js';

/** The end-of-term report: drafted from the ledger, completed by the délégataire, reviewed, sent. */

export interface VueRapport {
  convention: Convention;
  rapport: RapportFin;
  etat: EtatRapport;
  /** the convention's end, when the report is due */
  echeance: DateIso | null;
  contenu: ContenuRapport;
  peutRediger: boolean;
  peutRelire: boolean;
  aujourdHui: DateIso;
}

export async function lireRapport(ctx: Contexte, acteur: Acteur, id: string): Promise<VueRapport> {
  const convention = await stockage.lireConvention(ctx.db, id);
  if (!convention || !peutLireCredits(acteur, convention)) throw new NotFoundError('Convention', id);
  // the credits page's own figures, so that the report and the page cannot disagree
  const credits = await lireCredits(ctx, acteur, id);
  const [rapport, engagements, avenants, comites] = await Promise.all([
    lireRapportFin(ctx.db, id),
    listerTousEngagements(ctx.db, id),
    listerAvenants(ctx.db, id),
    listerComites(ctx.db, [id]),
  ]);
  const r = rapport ?? rapportVide(id);
  return {
    convention,
    rapport: r,
    etat: etatRapport(r),
    echeance: echeanceRapport(convention),
    contenu: contenuRapport({ credits: credits.annees.map((l) => l.totaux), engagements, avenants, comites }),
    peutRediger: peutRedigerRapport(acteur, convention),
    peutRelire: peutRelireRapport(acteur),
    aujourdHui: credits.aujourdHui,
  };
}

const CHAMPS: (keyof RapportFin)[] = ['avancement', 'previsions', 'reluPar', 'envoyeLe', 'destinataires'];

/**
 * One step of the report, the convention locked so that two users acting at once act one after the other
 * (the second sees the first's step), with its journal line.
 */
async function etape(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  action: 'redaction' | 'relecture' | 'envoi',
  droit: (c: Convention) => boolean,
  faire: (r: RapportFin, c: Convention, jour: DateIso) => RapportFin,
): Promise<RapportFin> {
  const jour = today(ctx.now());
  return ctx.db.transaction().execute(async (trx: Trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', id);
    if (!droit(c)) throw new ForbiddenError();
    if (!estSignee(c.statut) || c.statut === 'cloturee')
      throw new ConflictError(
        'RAPPORT_HORS_CYCLE',
        c.statut === 'cloturee'
          ? 'La convention est clôturée : son compte rendu ne se modifie plus.'
          : 'La convention n’est pas signée : elle n’a pas encore de compte rendu de fin.',
        { statut: c.statut },
      );
    const avant = (await verrouillerRapportFin(trx, id)) ?? rapportVide(id);
    const apres = faire(avant, c, jour);
    const changements: Changement[] = CHAMPS.filter((k) => avant[k] !== apres[k]).map((k) => ({
      champ: `rapport_fin.${k}`,
      avant: avant[k],
      apres: apres[k],
    }));
    await ecrireAvecJournal(
      trx,
      acteur,
      ctx.now(),
      { conventionId: id, objetType: 'rapport_fin', objetId: id, action: `rapport_fin_${action}`, changements },
      (e) => enregistrerRapportFin(e, apres),
    );
    return apres;
  });
}

export async function redigerRapport(ctx: Contexte, acteur: Acteur, id: string, d: Redaction): Promise<RapportFin> {
  const le = ctx.now().toISOString();
  return etape(
    ctx,
    acteur,
    id,
    'redaction',
    (c) => peutRedigerRapport(acteur, c),
    (r) => rediger(r, d, acteur.nom, le),
  );
}

export async function relireRapport(ctx: Contexte, acteur: Acteur, id: string): Promise<RapportFin> {
  const le = ctx.now().toISOString();
  return etape(
    ctx,
    acteur,
    id,
    'relecture',
    () => peutRelireRapport(acteur),
    (r) => relire(r, acteur.nom, le),
  );
}

/** Sent to the délégant once reviewed, and not before the convention's end. */
export async function envoyerRapport(ctx: Contexte, acteur: Acteur, id: string, d: Envoi): Promise<RapportFin> {
  return etape(
    ctx,
    acteur,
    id,
    'envoi',
    (c) => peutRedigerRapport(acteur, c),
    (r, c, jour) => envoyer(r, d, acteur.nom, jour, echeanceRapport(c)),
  );
}
