import type { Acteur } from '../domain/acces.js';
import { SIRET_JUSTICE, SIRET_SOCIAUX } from './conventions.js';

/** Demo users of each role, offered by the development login of the embedded mode. */
export const ACTEURS_DEMO: Acteur[] = [
  {
    id: 'demo-admin',
    nom: 'Camille Admin (administratrice)',
    role: 'administrateur',
    organisationSiret: '13002526500013',
    produits: [],
  },
  {
    id: 'demo-gestionnaire',
    nom: 'Dominique Budget (pôle budget DINUM)',
    role: 'gestionnaire',
    organisationSiret: '13002526500013',
    produits: [],
  },
  {
    id: 'demo-partenaire-justice',
    nom: 'Alex Finances (ministère de la Justice)',
    role: 'partenaire',
    organisationSiret: SIRET_JUSTICE,
    produits: [],
  },
  {
    id: 'demo-partenaire-sociaux',
    nom: 'Sacha Finances (ministères sociaux)',
    role: 'partenaire',
    organisationSiret: SIRET_SOCIAUX,
    produits: [],
  },
  {
    id: 'demo-equipe',
    nom: 'Lou Intra (équipe Mon Suivi Justice)',
    role: 'equipe',
    organisationSiret: null,
    produits: ['Mon Suivi Justice'],
  },
  {
    id: 'demo-equipe-classe12',
    nom: 'Noa Intra (équipe Classe à 12)',
    role: 'equipe',
    organisationSiret: null,
    produits: ['Classe à 12'],
  },
];
