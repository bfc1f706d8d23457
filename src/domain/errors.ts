/** A rule of the domain was broken. `code` is stable (API clients rely on it); `message` is French for people. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface FieldError {
  /** dotted path of the field, e.g. `echeancier.0.aeCentimes` */
  champ: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(readonly erreurs: FieldError[]) {
    super('DONNEES_INVALIDES', 'Certaines informations sont invalides.', { erreurs });
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('INTROUVABLE', `${what} introuvable.`, { id });
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "Vous n'avez pas les droits pour cette action.") {
    super('ACCES_REFUSE', message);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'ConflictError';
  }
}
