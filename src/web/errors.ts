import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../domain/errors.js';

/** The single place where errors become HTTP answers: a status, a stable code, a French message, no internals. */
const STATUS: Record<string, number> = {
  DONNEES_INVALIDES: 400,
  JSON_INVALIDE: 400,
  JSON_TROP_IMBRIQUE: 400,
  URL_INVALIDE: 400,
  INTROUVABLE: 404,
  ACCES_REFUSE: 403,
  NON_AUTHENTIFIE: 401,
  VERSION_OBSOLETE: 409,
  CORPS_TROP_VOLUMINEUX: 413,
  TYPE_NON_SUPPORTE: 415,
  TROP_DE_REQUETES: 429,
  JETON_INVALIDE: 401,
  JETON_EXPIRE: 401,
  JETON_REVOQUE: 401,
  CONNEXION_REFUSEE: 400,
  // a stored figure beyond what a number holds exactly: refused rather than answered rounded
  MONTANT_HORS_LIMITES: 409,
  PROCONNECT_INDISPONIBLE: 503,
  // credits: refusals by a rule, against the state of the stored figures
  PLAFOND_AE_DEPASSE: 409,
  PLAFOND_CP_DEPASSE: 409,
  ANNEE_SANS_CREDITS: 409,
  CALENDRIER_DEPASSE: 409,
  CONVENTION_SUSPENDUE: 409,
  CONVENTION_RESILIEE: 409,
  CONVENTION_TERMINEE: 409,
  CONVENTION_NON_EN_VIGUEUR: 409,
  CONVENTION_NON_SIGNEE: 409,
  CONVENTION_CLOTUREE: 409,
  // a convention's life: the status changes only through its actions
  STATUT_PAR_ACTION: 400,
  TRANSITION_INTERDITE: 409,
  DEJA_SIGNEE: 409,
  ORDRE_SIGNATURE: 409,
  SERVICE_FAIT_SUPERIEUR_ENGAGEMENT: 409,
  PAIEMENT_SUPERIEUR_SERVICE_FAIT: 409,
  SOLDE_INFERIEUR_SERVICE_FAIT: 409,
  ENGAGEMENT_CLOS: 409,
  ENGAGEMENT_ANNULE: 409,
  ENGAGEMENT_CERTIFIE: 409,
  NUMERO_DEJA_UTILISE: 409,
  CREDITS_NON_DISPONIBLES: 409,
  CREDITS_INFERIEURS_CONSOMMATION: 409,
  TRANCHE_INCONNUE: 409,
  TRANCHE_DEJA_LIBEREE: 409,
  // the dated ledger
  EXERCICE_CLOS: 409,
  ENREGISTREMENT_APRES_FIN: 409,
  DATE_HORS_CONVENTION: 409,
  PLAFOND_CONVENTION_DEPASSE: 409,
  // year-end closing (exercice)
  EXERCICE_DEJA_CLOS: 409,
  CLOTURE_PREMATUREE: 409,
  REPORT_HORS_DELAI: 409,
  // insufficiency procedure
  INSUFFISANCE_CLOSE: 409,
  DELEGANT_DEJA_INFORME: 409,
  DELEGANT_NON_INFORME: 409,
};

export interface ApiError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** Domain paths are camelCase (`dateFin`); the API and forms speak snake_case (`date_fin`). */
export function champApi(champ: string): string {
  return champ
    .split('.')
    .map((s) => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`))
    .join('.');
}

export function erreursApi(erreurs: FieldError[]): FieldError[] {
  return erreurs.map((e) => ({ champ: champApi(e.champ), message: e.message }));
}

/** A rule said no to what was sent (not a missing object, not a missing right): the form is shown again with the message. */
export const estRefus = (e: unknown): e is DomainError =>
  e instanceof DomainError && !(e instanceof NotFoundError) && !(e instanceof ForbiddenError);

export function toApiError(e: unknown): { status: number; body: ApiError } {
  if (e instanceof ValidationError) {
    return { status: 400, body: { code: e.code, message: e.message, details: { erreurs: erreursApi(e.erreurs) } } };
  }
  if (e instanceof DomainError) {
    return { status: STATUS[e.code] ?? 409, body: { code: e.code, message: e.message, details: e.details } };
  }
  if (e instanceof HTTPException) {
    const status = e.status;
    const code =
      status === 413
        ? 'CORPS_TROP_VOLUMINEUX'
        : status === 404
          ? 'INTROUVABLE'
          : status === 429
            ? 'TROP_DE_REQUETES'
            : status === 403
              ? 'ACCES_REFUSE'
              : status === 401
                ? 'NON_AUTHENTIFIE'
                : 'REQUETE_INVALIDE';
    const message =
      status === 413
        ? 'Le contenu envoyé est trop volumineux.'
        : status === 429
          ? 'Trop de requêtes : réessayez dans un instant.'
          : e.message || 'Requête invalide.';
    return { status, body: { code, message, details: {} } };
  }
  return {
    status: 500,
    body: {
      code: 'ERREUR_INTERNE',
      message: 'Une erreur inattendue est survenue. Elle a été enregistrée ; réessayez plus tard.',
      details: {},
    },
  };
}

export function apiError(
  c: Context,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
  status?: number,
) {
  return c.json({ code, message, details } satisfies ApiError, (status ?? STATUS[code] ?? 400) as 400);
}
