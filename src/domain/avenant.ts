/** States of an avenant: drafted, signed by the partner, signed by both (then it applies from its effect date). */
export type StatutAvenant = 'brouillon' | 'signee_partenaire' | 'signe';
