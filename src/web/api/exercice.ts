import { Hono } from 'hono';
import { z } from 'zod';
import type { BilanExercice, CalendrierExercice, PropositionCloture } from '../../domain/exercice.js';
import type { Centimes } from '../../domain/money.js';
import type { Contexte } from '../../usecases/contexte.js';
import {
  cloturerExercice,
  enregistrerAccordReport,
  lireBilan,
  lireCalendrier,
  lireExercice,
  modifierCalendrier,
  type LigneExercice,
} from '../../usecases/exercice.js';
import type { Env } from '../auth.js';
import { envoyerExport, type Colonne } from '../export.js';
import { envoyerDocument } from '../telechargement.js';
import { documentBilan } from '../../generators/bilan.js';
import { today } from '../../domain/dates.js';
import { ajouterChemins, corps, jsonSchema, reponsesErreur, rep, uuidParam } from './openapi.js';
import { centimes, dateIso, invalide, lireJson, valider } from './validation.js';

/** Year-end closing of an exercise: its state and statements, the closing, the délégant's agreements to carry over. */

const clotureEntreeApi = z
  .object({
    convention_id: z
      .uuid()
      .optional()
      .describe('une seule convention ; sans lui, tout le portefeuille que l’on peut clore'),
  })
  .strict();
export const accordReportEntreeApi = z
  .object({
    date_accord: dateIso.describe('date de l’accord du délégant, au plus tard la date limite des reports'),
    auteur: z.string().trim().min(1, 'Indiquez qui, pour le délégant, a donné son accord.').max(300),
    ae_centimes: centimes.nullable().optional().describe('AE à reporter ; sans lui, toutes les AE inutilisées'),
    cp_centimes: centimes.nullable().optional().describe('CP à reporter ; sans lui, tous les CP inutilisés'),
  })
  .strict();
export const calendrierExerciceEntreeApi = z
  .object({ ouverture_cloture: dateIso, limite_report: dateIso, limite_cloture: dateIso })
  .strict();

/** A year in the path: an integer, else the request is invalid. */
export function anneeDe(v: string | undefined): number | null {
  const n = Number(v);
  return /^\d{4}$/.test(v ?? '') && Number.isInteger(n) ? n : null;
}

const calendrierVersApi = (c: CalendrierExercice) => ({
  annee: c.annee,
  ouverture_cloture: c.ouvertureCloture,
  limite_report: c.limiteReport,
  limite_cloture: c.limiteCloture,
});

const bilanVersApi = (b: BilanExercice) => ({
  annee: b.annee,
  ae: {
    mis_a_disposition_centimes: b.misADispositionAe,
    engage_centimes: b.engageAe,
    inutilise_centimes: b.inutiliseAe,
    reporte_centimes: b.reporteAe,
    restitue_centimes: b.restitueAe,
  },
  cp: {
    mis_a_disposition_centimes: b.misADispositionCp,
    certifie_centimes: b.certifie,
    paye_centimes: b.payeCp,
    inutilise_centimes: b.inutiliseCp,
    reporte_centimes: b.reporteCp,
    restitue_centimes: b.restitueCp,
  },
});

const propositionVersApi = (p: PropositionCloture | null) =>
  p && {
    inutilise_ae_centimes: p.inutiliseAe,
    inutilise_cp_centimes: p.inutiliseCp,
    report: { ae_centimes: p.report.aeCentimes, cp_centimes: p.report.cpCentimes },
    restitution: { ae_centimes: p.restitution.aeCentimes, cp_centimes: p.restitution.cpCentimes },
  };

const ligneVersApi = (l: LigneExercice) => ({
  convention_id: l.conventionId,
  convention: l.libelle,
  clos: l.cloture !== null,
  clos_le: l.cloture?.closLe ?? null,
  clos_par: l.cloture?.acteurNom ?? null,
  peut_cloturer: l.peutCloturer,
  bilan: bilanVersApi(l.bilan),
  proposition: propositionVersApi(l.proposition),
  accord_report: l.accord && {
    date_accord: l.accord.dateAccord,
    auteur: l.accord.auteur,
    ae_centimes: l.accord.aeCentimes,
    cp_centimes: l.accord.cpCentimes,
    enregistre_le: l.accord.enregistreLe,
    enregistre_par: l.accord.acteurNom,
  },
});

/** The statement as a table: one line per figure, AE and CP side by side (null where it does not apply). */
export interface LigneBilan {
  rubrique: string;
  ae: Centimes | null;
  cp: Centimes | null;
}

export function lignesBilan(b: BilanExercice): LigneBilan[] {
  return [
    { rubrique: 'Mis à disposition', ae: b.misADispositionAe, cp: b.misADispositionCp },
    { rubrique: 'Engagé', ae: b.engageAe, cp: null },
    { rubrique: 'Service fait certifié', ae: null, cp: b.certifie },
    { rubrique: 'Payé', ae: null, cp: b.payeCp },
    { rubrique: 'Inutilisé', ae: b.inutiliseAe, cp: b.inutiliseCp },
    { rubrique: `Reporté sur ${b.annee + 1}`, ae: b.reporteAe, cp: b.reporteCp },
    { rubrique: 'Restitué au délégant', ae: b.restitueAe, cp: b.restitueCp },
  ];
}

const colonnesBilan = (annee: number, base: string): Colonne<LigneBilan>[] => [
  { titre: `Exercice ${annee}`, valeur: (l) => l.rubrique, largeur: 28 },
  { titre: `AE ${annee} (${base}, €)`, valeur: (l) => l.ae, euros: true },
  { titre: `CP ${annee} (${base}, €)`, valeur: (l) => l.cp, euros: true },
];

export function exerciceApi(ctx: Contexte) {
  const app = new Hono<Env>();

  app.get('/exercices/:annee', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    const v = await lireExercice(ctx, c.var.acteur, annee);
    return c.json({
      annee,
      aujourd_hui: v.aujourdHui,
      calendrier: calendrierVersApi(v.calendrier),
      clos: v.portefeuille !== null,
      clos_le: v.portefeuille?.closLe ?? null,
      clos_par: v.portefeuille?.acteurNom ?? null,
      conventions: v.conventions.map(ligneVersApi),
    });
  });

  app.post('/exercices/:annee/cloture', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    const brut = (await c.req.text()).trim();
    const p = valider(clotureEntreeApi, brut ? await lireJson(c) : {});
    if (!p.ok) return invalide(c, p.erreurs);
    const r = await cloturerExercice(ctx, c.var.acteur, annee, p.data.convention_id ?? null);
    return c.json(
      {
        annee,
        portefeuille: r.portefeuille,
        conventions: r.conventions.map((x) => ({
          convention_id: x.conventionId,
          bilan: bilanVersApi(x.bilan),
          cloture: propositionVersApi(x.proposition),
        })),
      },
      201,
    );
  });

  app.put('/exercices/:annee/calendrier', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    const p = valider(calendrierExerciceEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const cal = await modifierCalendrier(ctx, c.var.acteur, {
      annee,
      ouvertureCloture: p.data.ouverture_cloture,
      limiteReport: p.data.limite_report,
      limiteCloture: p.data.limite_cloture,
    });
    return c.json(calendrierVersApi(cal));
  });

  app.get('/exercices/:annee/calendrier', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    return c.json(calendrierVersApi(await lireCalendrier(ctx, annee)));
  });

  app.post('/conventions/:id/exercices/:annee/accord-report', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    const p = valider(accordReportEntreeApi, await lireJson(c));
    if (!p.ok) return invalide(c, p.erreurs);
    const id = c.req.param('id');
    await enregistrerAccordReport(ctx, c.var.acteur, id, annee, {
      dateAccord: p.data.date_accord,
      auteur: p.data.auteur,
      aeCentimes: p.data.ae_centimes ?? null,
      cpCentimes: p.data.cp_centimes ?? null,
    });
    const b = await lireBilan(ctx, c.var.acteur, id, annee);
    return c.json(ligneVersApi(b.ligne), 201);
  });

  app.get('/conventions/:id/exercices/:annee/bilan', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    const b = await lireBilan(ctx, c.var.acteur, c.req.param('id'), annee);
    return c.json({
      ...ligneVersApi(b.ligne),
      annee,
      base_montants: b.convention.baseMontants,
      clos_le: b.closLe,
      calendrier: calendrierVersApi(b.calendrier),
    });
  });

  for (const format of ['csv', 'xlsx']) {
    app.get(`/conventions/:id/exercices/:annee/bilan.${format}`, async (c) => {
      const annee = anneeDe(c.req.param('annee'));
      if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
      const b = await lireBilan(ctx, c.var.acteur, c.req.param('id'), annee);
      const nom = `bilan-${annee}-${(b.convention.reference ?? b.convention.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
      return envoyerExport(c, format, nom, colonnesBilan(annee, b.convention.baseMontants), lignesBilan(b.ligne.bilan));
    });
  }
  app.get('/conventions/:id/exercices/:annee/bilan.pdf', async (c) => {
    const annee = anneeDe(c.req.param('annee'));
    if (annee === null) return invalide(c, [{ champ: 'annee', message: 'Année invalide.' }]);
    const b = await lireBilan(ctx, c.var.acteur, c.req.param('id'), annee);
    const nom = `bilan-${annee}-${(b.convention.reference ?? b.convention.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const document = documentBilan({
      reference: b.convention.reference ?? 'sans référence',
      delegant: b.convention.delegant,
      delegataire: b.convention.delegataire,
      baseMontants: b.convention.baseMontants,
      annee,
      lignes: lignesBilan(b.ligne.bilan),
      closLe: b.closLe,
      aujourdHui: today(ctx.now()),
    });
    return envoyerDocument(c, 'pdf', nom, document);
  });

  return app;
}

// ---- OpenAPI -------------------------------------------------------------------------------------

const anneeParam = {
  name: 'annee',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 2000, maximum: 2100 },
};
const idParam = uuidParam('id');
const montants = { type: 'object', additionalProperties: { type: 'integer' } };
const bilanSchema = {
  type: 'object',
  description:
    'Bilan de l’exercice : AE (mis à disposition, engagé, inutilisé, reporté, restitué) et CP (mis à disposition, certifié, payé, inutilisé, reporté, restitué), en centimes',
  properties: { annee: { type: 'integer' }, ae: montants, cp: montants },
};
const ligneSchema = {
  type: 'object',
  properties: {
    convention_id: { type: 'string', format: 'uuid' },
    convention: { type: 'string' },
    clos: { type: 'boolean' },
    clos_le: { type: ['string', 'null'], format: 'date-time' },
    clos_par: { type: ['string', 'null'] },
    peut_cloturer: { type: 'boolean' },
    bilan: bilanSchema,
    proposition: {
      type: ['object', 'null'],
      description:
        'ce que fera la clôture des crédits inutilisés : report (accord du délégant) et restitution ; null une fois clos',
    },
    accord_report: {
      type: ['object', 'null'],
      description: 'accord du délégant sur un report : date, auteur, montants',
    },
  },
};

ajouterChemins(
  {
    '/exercices/{annee}': {
      get: {
        operationId: 'lireExercice',
        summary:
          'État de l’exercice (calendrier, clôture) et bilan provisoire ou définitif de chaque convention lisible',
        parameters: [anneeParam],
        responses: { '200': rep('Exercice', 'Exercice'), ...reponsesErreur(400, 401, 403) },
      },
    },
    '/exercices/{annee}/cloture': {
      post: {
        operationId: 'cloturerExercice',
        summary:
          'Clôture de gestion de l’année (administrateur, ou gestionnaire budgétaire du délégant) : fige l’année, reporte ce que le délégant a accepté, restitue le reste. Sans convention_id : tout le portefeuille que l’on peut clore',
        parameters: [anneeParam],
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ClotureEntree' } } },
        },
        responses: {
          '201': { description: 'Exercice clos, avec le bilan de chaque convention' },
          ...reponsesErreur(400, 401, 403, 404, 409),
        },
      },
    },
    '/exercices/{annee}/calendrier': {
      get: {
        operationId: 'lireCalendrierExercice',
        summary: 'Dates de l’exercice : ouverture de la clôture, limite des reports, clôture attendue',
        parameters: [anneeParam],
        responses: { '200': rep('Calendrier de l’exercice', 'CalendrierExercice'), ...reponsesErreur(400, 401) },
      },
      put: {
        operationId: 'modifierCalendrierExercice',
        summary: 'Administrateur : fixe les dates de cet exercice seulement (journalisé)',
        parameters: [anneeParam],
        requestBody: corps('CalendrierExercice'),
        responses: { '200': rep('Calendrier de l’exercice', 'CalendrierExercice'), ...reponsesErreur(400, 401, 403) },
      },
    },
    '/conventions/{id}/exercices/{annee}/accord-report': {
      post: {
        operationId: 'enregistrerAccordReport',
        summary:
          'Consigne l’accord du délégant sur le report des crédits inutilisés (avant la date limite des reports)',
        parameters: [idParam, anneeParam],
        requestBody: corps('AccordReportEntree'),
        responses: { '201': rep('Ligne de l’exercice', 'LigneExercice'), ...reponsesErreur(400, 401, 403, 404, 409) },
      },
    },
    '/conventions/{id}/exercices/{annee}/bilan': {
      get: {
        operationId: 'lireBilanExercice',
        summary: 'Bilan de l’année de la convention (définitif une fois clos) ; aussi en .csv, .xlsx et .pdf',
        parameters: [idParam, anneeParam],
        responses: { '200': rep('Bilan', 'LigneExercice'), ...reponsesErreur(400, 401, 404) },
      },
    },
    '/conventions/{id}/exercices/{annee}/bilan.csv': {
      get: {
        operationId: 'exporterBilanCsv',
        summary: 'Bilan de l’année en CSV (UTF-8 avec BOM, séparateur ;)',
        parameters: [idParam, anneeParam],
        responses: { '200': { description: 'CSV', content: { 'text/csv': {} } }, ...reponsesErreur(400, 401, 404) },
      },
    },
    '/conventions/{id}/exercices/{annee}/bilan.pdf': {
      get: {
        operationId: 'exporterBilanPdf',
        summary: 'Bilan de l’année en PDF, à adresser au délégant',
        parameters: [idParam, anneeParam],
        responses: {
          '200': { description: 'PDF', content: { 'application/pdf': {} } },
          ...reponsesErreur(400, 401, 404),
        },
      },
    },
    '/conventions/{id}/exercices/{annee}/bilan.xlsx': {
      get: {
        operationId: 'exporterBilanXlsx',
        summary: 'Bilan de l’année en XLSX',
        parameters: [idParam, anneeParam],
        responses: {
          '200': {
            description: 'XLSX',
            content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {} },
          },
          ...reponsesErreur(400, 401, 404),
        },
      },
    },
  },
  {
    ClotureEntree: jsonSchema(clotureEntreeApi),
    AccordReportEntree: jsonSchema(accordReportEntreeApi),
    CalendrierExercice: jsonSchema(calendrierExerciceEntreeApi),
    LigneExercice: ligneSchema,
    Exercice: {
      type: 'object',
      properties: {
        annee: { type: 'integer' },
        calendrier: { type: 'object' },
        clos: { type: 'boolean', description: 'clos pour tout le portefeuille' },
        clos_le: { type: ['string', 'null'] },
        conventions: { type: 'array', items: ligneSchema },
      },
    },
  },
);
