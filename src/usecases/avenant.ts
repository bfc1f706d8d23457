import { peutLireConvention, peutLireCredits, peutModifierConvention, type Acteur } from '../domain/acces.js';
import {
  appliquer,
  controlerAvenant,
  conventionAu,
  numeroSuivant,
  valeursRemplacees,
  versions,
  verifierCopie,
  type Avenant,
  type Modifications,
} from '../domain/avenant.js';
import {
  aeRestantes,
  projetAvenant,
  verifierAvenantAppele,
  type ProjetAvenant,
  type ReunionComite,
} from '../domain/comite.js';
import { controler, estSignee, finEffective, type Convention, type PartieCle } from '../domain/convention.js';
import { peutSigner, verifierSignature } from '../domain/convention-cycle.js';
import { formatDate, isDateIso, today, yearOf, type DateIso } from '../domain/dates.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { differences } from '../domain/journal.js';
import { insererAvenant, insererCopieAvenant, listerAvenants, modifierAvenant } from '../storage/avenant.js';
import { lierAvenantComite, listerComites, verrouillerComite } from '../storage/comite.js';
import * as stockage from '../storage/convention.js';
import { insererSignature, listerSignatures } from '../storage/convention-cycle.js';
import { lireConventionCredits } from '../storage/credit.js';
import { ecrireAvecJournal } from '../storage/journal.js';
import type { Contexte } from './contexte.js';
import { joindre, type PieceJointe } from './convention-cycle.js';
import { synchroniserOuvertures } from './credit.js';
import { lireConvention } from './convention.js';

/** Avenants: drafted, signed by both parties in the circuit's order, applied from their effect date. */

export async function listerAvenantsConvention(ctx: Contexte, acteur: Acteur, id: string): Promise<Avenant[]> {
  return avenantsDe(ctx, acteur, await lireConvention(ctx, acteur, id));
}

/** The avenants of a convention the caller has just read. */
export async function avenantsDe(ctx: Contexte, acteur: Acteur, c: Convention): Promise<Avenant[]> {
  if (!peutLireCredits(acteur, c) && acteur.role !== 'public') throw new NotFoundError('Convention', c.id);
  const avenants = await listerAvenants(ctx.db, c.id);
  // the public reads what was signed only
  return acteur.role === 'public' ? avenants.filter((a) => a.statut === 'signe') : avenants;
}

export async function lireAvenant(ctx: Contexte, acteur: Acteur, id: string, numero: number): Promise<Avenant> {
  const a = (await listerAvenantsConvention(ctx, acteur, id)).find((x) => x.numero === numero);
  if (!a) throw new NotFoundError('Avenant', String(numero));
  return a;
}

/**
 * An avenant with the convention it amends and the one it makes: for a signed one, the versions before and
 * after it; for one being signed, the convention as it stands and with its changes.
 */
export async function lireAvenantEtVersions(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  numero: number,
): Promise<{ avenant: Avenant; avant: Convention; apres: Convention }> {
  const c = await lireConvention(ctx, acteur, id);
  const avenant = await lireAvenant(ctx, acteur, id, numero);
  if (avenant.statut !== 'signe' || !avenant.avant)
    return { avenant, avant: c, apres: appliquer(c, avenant.modifications) };
  const v = versions(c, await listerAvenants(ctx.db, id));
  const i = v.findIndex((x) => x.numero === numero);
  return { avenant, avant: v[i - 1]!.convention, apres: v[i]!.convention };
}

/** The convention as it stood on a day, in the shape of the plain read (the current one carries every signed avenant). */
export async function lireConventionAu(ctx: Contexte, acteur: Acteur, id: string, jour: DateIso): Promise<Convention> {
  if (!isDateIso(jour))
    throw new ValidationError([{ champ: 'date', message: 'Date invalide (attendu : AAAA-MM-JJ).' }]);
  const c = await lireConvention(ctx, acteur, id);
  return conventionAu(c, await listerAvenants(ctx.db, id), jour);
}

/**
 * Drafts the next avenant of a signed convention; its changes are checked against the convention they would
 * make. Drafted from a committee whose decision calls for it, the committee keeps its number, in the same
 * write and journal line.
 */
export async function creerAvenant(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  d: { objet: string; dateEffet: DateIso; modifications: Modifications; comiteId?: number | null },
): Promise<Avenant> {
  let numero = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!peutModifierConvention(acteur, c)) throw new ForbiddenError();
    if (!estSignee(c.statut) || c.statut === 'cloturee')
      throw new ConflictError('TRANSITION_INTERDITE', 'Un avenant modifie une convention signée et non clôturée.');
    let comite: ReunionComite | null = null;
    if (d.comiteId !== undefined && d.comiteId !== null) {
      comite = Number.isSafeInteger(d.comiteId) ? await verrouillerComite(trx, id, d.comiteId) : null;
      if (!comite) throw new NotFoundError('Comité', String(d.comiteId));
      verifierAvenantAppele(comite);
    }
    controlerAvenant(c, d);
    const { erreurs } = controler(appliquer(c, d.modifications));
    if (erreurs.length) throw new ValidationError(erreurs);
    numero = numeroSuivant(await listerAvenants(trx, id));
    const suite = comite ? `, appelé par le comité du ${formatDate(comite.date)}` : '';
    const sujet = {
      conventionId: id,
      objetType: 'avenant',
      objetId: `${id}/${numero}`,
      action: 'avenant',
      changements: differences(c, appliquer(c, d.modifications)),
      commentaire: `Avenant n° ${numero} (projet, effet le ${d.dateEffet}${suite}) : ${d.objet.trim()}`,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
      await insererAvenant(e, {
        conventionId: id,
        numero,
        objet: d.objet.trim(),
        dateEffet: d.dateEffet,
        modifications: d.modifications,
      });
      if (!comite) return;
      await lierAvenantComite(e, comite.id, numero);
      e.noter({ champ: `comite ${comite.id}.avenant`, avant: null, apres: numero });
    });
  });
  return lireAvenant(ctx, acteur, id, numero);
}

/**
 * The avenant a decided committee calls for, to prefill the draft: its object citing the committee, and
 * the changes the decision implies, against the convention as it stands and the AE engaged so far.
 */
export async function projetAvenantComite(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  comiteId: number,
): Promise<ProjetAvenant & { comite: ReunionComite }> {
  const c = await lireConvention(ctx, acteur, id);
  if (!peutModifierConvention(acteur, c)) throw new ForbiddenError();
  const comite = Number.isSafeInteger(comiteId)
    ? (await listerComites(ctx.db, [id])).find((x) => x.id === comiteId)
    : undefined;
  if (!comite) throw new NotFoundError('Comité', String(comiteId));
  verifierAvenantAppele(comite);
  const aujourdHui = today(ctx.now());
  const credits = await lireConventionCredits(ctx.db, id);
  const situation = {
    fin: finEffective(c),
    restantAeCentimes: aeRestantes(c, credits?.credits ?? [], yearOf(aujourdHui)),
  };
  return { ...projetAvenant(c, { ...comite, decision: comite.decision! }, situation, aujourdHui), comite };
}

/**
 * One party's signature of an avenant, in the circuit's order. The last one applies its changes to the
 * convention, keeping the values they replace; the credits follow the amended schedule from its effect
 * date only. Two users signing at once: the convention's row lock makes the second see the first.
 */
export async function signerAvenant(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  numero: number,
  d: { partie: PartieCle; date: DateIso; signataire?: string | null; document?: PieceJointe | null },
): Promise<Avenant> {
  const jour = today(ctx.now());
  await ctx.db.transaction().execute(async (trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!peutSigner(acteur, c, d.partie)) throw new ForbiddenError();
    const a = (await listerAvenants(trx, id)).find((x) => x.numero === numero);
    if (!a) throw new NotFoundError('Avenant', String(numero));
    if (a.statut === 'signe')
      throw new ConflictError('DEJA_SIGNEE', `L’avenant n° ${numero} est déjà signé par les deux parties.`);
    const { derniere } = verifierSignature(c, await listerSignatures(trx, id, numero), d.partie, d.date, jour);
    const sujet = {
      conventionId: id,
      objetType: 'avenant',
      objetId: `${id}/${numero}`,
      action: derniere ? 'avenant_signe' : 'signature_avenant',
      changements: [{ champ: `avenant ${numero}.signature.${d.partie}`, avant: null, apres: d.date }],
      commentaire: derniere ? `Avenant n° ${numero} signé, effet le ${a.dateEffet}` : null,
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, async (e) => {
      await insererSignature(e, id, numero, {
        partie: d.partie,
        date: d.date,
        signataire: d.signataire ?? null,
        pieceId: await joindre(e, id, d.document),
      });
      if (!derniere) return modifierAvenant(e, id, numero, { statut: 'signee_partenaire' });
      const apres = appliquer(c, a.modifications);
      const { erreurs } = controler(apres);
      if (erreurs.length) throw new ValidationError(erreurs);
      e.noter(...differences(c, apres));
      await modifierAvenant(e, id, numero, {
        statut: 'signe',
        avant: valeursRemplacees(c, a.modifications),
        dateSignature: d.date,
      });
      const ok = await stockage.modifierConvention(e, id, apres, c.version);
      if (!ok) throw new ConflictError('VERSION_OBSOLETE', 'La convention a été modifiée entre-temps.');
      await synchroniserOuvertures(e, id, a.dateEffet);
    });
  });
  return lireAvenant(ctx, acteur, id, numero);
}

/**
 * Records that a signed avenant was sent to a budget controller (the conventions send every change to the
 * CBCM): to whom, when. The DINUM's budget roles record it.
 */
export async function consignerCopieAvenant(
  ctx: Contexte,
  acteur: Acteur,
  id: string,
  numero: number,
  d: { destinataire: string; date: DateIso },
): Promise<Avenant> {
  const jour = today(ctx.now());
  await ctx.db.transaction().execute(async (trx) => {
    const c = await stockage.verrouillerConvention(trx, id);
    if (!c || !peutLireConvention(acteur, c)) throw new NotFoundError('Convention', id);
    if (!peutModifierConvention(acteur, c)) throw new ForbiddenError();
    const a = (await listerAvenants(trx, id)).find((x) => x.numero === numero);
    if (!a) throw new NotFoundError('Avenant', String(numero));
    const copie = { destinataire: d.destinataire.trim(), date: d.date };
    verifierCopie(a, copie, jour);
    const sujet = {
      conventionId: id,
      objetType: 'avenant',
      objetId: `${id}/${numero}`,
      action: 'copie_avenant',
      changements: [{ champ: `avenant ${numero}.copie`, avant: null, apres: `${copie.destinataire}, ${copie.date}` }],
    };
    await ecrireAvecJournal(trx, acteur, ctx.now(), sujet, (e) => insererCopieAvenant(e, id, numero, copie));
  });
  return lireAvenant(ctx, acteur, id, numero);
}
