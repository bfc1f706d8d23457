import {
  ACTEUR_SYSTEME,
  peutLireCredits,
  peutModifierConvention,
  type Acteur,
  type PorteeConvention,
} from '../domain/acces.js';
import { finEffective, type Convention, type PartieCle } from '../domain/convention.js';
import { today, type DateIso } from '../domain/dates.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import {
  catalogueDe,
  etatObligation,
  obligationsInitiales,
  verifierObligations,
  type EtatObligation,
  type ModificationObligation,
  type Obligation,
} from '../domain/obligation.js';
import { lireConvention, verrouillerConvention } from '../storage/convention.js';
import type { Trx } from '../storage/database.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import {
  insererCatalogue,
  insererObligation,
  listerObligations,
  modifierObligation,
  verrouillerObligations,
} from '../storage/obligation.js';
import type { Contexte } from './contexte.js';
import { deposerPiece, preparerPiece, type PieceJointe } from './convention-cycle.js';

/** The obligations of each party of a convention: read (started from the catalogue of its kind), completed with evidence. */

export interface VueObligation extends Obligation {
  etatDuJour: EtatObligation;
  /** when it is due next (null once done, for a one-off, or waived) */
  echeanceDuJour: DateIso | null;
}

/** The party an agent acts for: a partner for its organisation's side; the DINUM's budget roles for both. */
function partiesDe(a: Acteur, c: PorteeConvention): PartieCle[] | 'toutes' {
  if (peutModifierConvention(a, c)) return 'toutes';
  if (a.role !== 'partenaire' || !a.organisationSiret) return [];
  const out: PartieCle[] = [];
  if (c.delegant.siret === a.organisationSiret) out.push('delegant');
  if (c.delegataire.siret === a.organisationSiret) out.push('delegataire');
  return out;
}

const vue = (o: Obligation, c: Convention, aujourdHui: DateIso): VueObligation => {
  const e = etatObligation(o, { signature: c.dateSignature, fin: finEffective(c) }, aujourdHui);
  return { ...o, etatDuJour: e.etat, echeanceDuJour: e.echeance };
};

async function initialiser(trx: Trx, ctx: Contexte, c: Convention): Promise<void> {
  const catalogue = obligationsInitiales(c);
  const sujet = {
    conventionId: c.id,
    objetType: 'obligation',
    objetId: c.id,
    action: 'initialisation_obligations',
    commentaire: `Obligations reprises du catalogue ${catalogueDe(c) === 'fast' ? 'FAST' : 'ministère → DINUM'} (${catalogue.length})`,
  };
  await ecrireAvecJournal(trx, ACTEUR_SYSTEME, ctx.now(), sujet, (e) => insererCatalogue(e, c.id, catalogue));
}

export interface VueObligations {
  convention: Convention;
  items: VueObligation[];
  /** the parties whose obligations the actor completes */
  parties: PartieCle[] | 'toutes';
}

/**
 * A convention's obligations with their state of the day. One entered before obligations were kept starts
 * from the catalogue of its kind, once.
 */
export async function lireObligations(ctx: Contexte, acteur: Acteur, conventionId: string): Promise<VueObligations> {
  const c = await lireConvention(ctx.db, conventionId);
  if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
  let items = await listerObligations(ctx.db, [conventionId]);
  if (items.length === 0) {
    await ctx.db.transaction().execute(async (trx) => {
      if ((await verrouillerObligations(trx, conventionId)).length === 0) await initialiser(trx, ctx, c);
    });
    items = await listerObligations(ctx.db, [conventionId]);
  }
  const aujourdHui = today(ctx.now());
  return { convention: c, items: items.map((o) => vue(o, c, aujourdHui)), parties: partiesDe(acteur, c) };
}

const memeDefinition = (o: Obligation, m: ModificationObligation) =>
  o.partie === m.partie &&
  o.libelle === m.libelle &&
  o.echeance === m.echeance &&
  o.dateLimite === m.dateLimite &&
  JSON.stringify(o.mesure) === JSON.stringify(m.mesure);

/** A change of an obligation as sent: with an evidence file, when one comes with it. */
export type SaisieObligation = ModificationObligation & { fichier?: PieceJointe | null };

/**
 * Adds free obligations and completes existing ones. The DINUM's budget roles change anything; a partner
 * gives the evidence of its own party's obligations (done or to do again), never another's, never a
 * waiver, never a new one. The evidence is a link or a file; a file kept stays the evidence while the
 * obligation stays done. All or nothing: one refused item leaves every obligation as it was.
 */
export async function modifierObligations(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  saisies: SaisieObligation[],
): Promise<void> {
  const aujourdHui = today(ctx.now());
  // the files checked first: a wrong one refuses the whole change
  const fichiers = saisies.map((m, i) =>
    m.fichier ? preparerPiece(m.fichier, 'justificatif', `items.${i}.preuve_fichier`) : null,
  );
  await lireObligations(ctx, acteur, conventionId);
  await ctx.db.transaction().execute(async (trx) => {
    const c = await verrouillerConvention(trx, conventionId);
    if (!c || !peutLireCredits(acteur, c)) throw new NotFoundError('Convention', conventionId);
    const parties = partiesDe(acteur, c);
    if (parties !== 'toutes' && parties.length === 0) throw new ForbiddenError();
    const existantes = new Map((await verrouillerObligations(trx, conventionId)).map((o) => [o.id, o]));
    for (const m of saisies) {
      if (m.id !== null && !existantes.has(m.id)) throw new NotFoundError('Obligation', String(m.id));
      if (parties === 'toutes') continue;
      const o = m.id !== null ? existantes.get(m.id)! : null;
      if (!o || !parties.includes(o.partie) || !memeDefinition(o, m) || m.etat === 'levee') throw new ForbiddenError();
    }
    const ms: ModificationObligation[] = saisies.map(({ fichier: _f, ...m }, i) => {
      void _f;
      const gardee = m.id !== null ? existantes.get(m.id)!.preuvePieceId : null;
      return { ...m, preuvePieceId: m.etat === 'faite' ? (fichiers[i]?.id ?? gardee) : null };
    });
    verifierObligations(ms);
    const preuve = (o: { preuveUrl: string | null; preuvePieceId?: string | null }) =>
      o.preuveUrl ?? (o.preuvePieceId ? `fichier ${o.preuvePieceId}` : null);
    const changements = ms.map((m) => ({
      champ: m.id !== null ? `obligation ${m.id}` : 'obligation',
      avant: m.id !== null ? { etat: existantes.get(m.id)!.etat, preuve: preuve(existantes.get(m.id)!) } : null,
      apres: { libelle: m.libelle, etat: m.etat, preuve: preuve(m) },
    }));
    const sujet = {
      conventionId,
      objetType: 'obligation',
      objetId: conventionId,
      action: 'modification_obligations',
      changements,
      commentaire: ms
        .map((m) => `${m.libelle} : ${m.etat === 'faite' ? 'faite' : m.etat === 'levee' ? 'levée' : 'à faire'}`)
        .join(' ; '),
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
      for (const f of fichiers) if (f) await deposerPiece(e, conventionId, f);
      for (const m of ms) {
        if (m.id === null) {
          await insererObligation(e, conventionId, m, aujourdHui);
          continue;
        }
        const o = existantes.get(m.id)!;
        const nouvellePreuve =
          m.etat === 'faite' &&
          (o.etat !== 'faite' || o.preuveUrl !== m.preuveUrl || o.preuvePieceId !== m.preuvePieceId);
        await modifierObligation(e, m.id, {
          ...m,
          motifLevee: m.etat === 'levee' ? m.motifLevee : null,
          faiteLe: nouvellePreuve ? aujourdHui : o.faiteLe,
        });
      }
    });
  });
}

/** The evidence file of one obligation, which it marks done: for the API's upload, with the rights above. */
export async function deposerPreuve(
  ctx: Contexte,
  acteur: Acteur,
  conventionId: string,
  id: number,
  fichier: PieceJointe | null,
): Promise<void> {
  if (!fichier) throw new ValidationError([{ champ: 'preuve_fichier', message: 'Joignez le fichier de la preuve.' }]);
  const o = (await lireObligations(ctx, acteur, conventionId)).items.find((x) => x.id === id);
  if (!o) throw new NotFoundError('Obligation', String(id));
  await modifierObligations(ctx, acteur, conventionId, [
    {
      id: o.id,
      partie: o.partie,
      libelle: o.libelle,
      echeance: o.echeance,
      dateLimite: o.dateLimite,
      mesure: o.mesure,
      etat: 'faite',
      preuveUrl: o.etat === 'faite' ? o.preuveUrl : null,
      motifLevee: null,
      fichier,
    },
  ]);
}
