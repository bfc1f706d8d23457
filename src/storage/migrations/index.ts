import type { Migration } from 'kysely';
import * as m001 from './001_conventions.js';
import * as m002 from './002_credits.js';
import * as m004 from './004_documents.js';
import * as m005 from './005_acces.js';
import * as m006 from './006_propositions.js';
import * as m007 from './007_grand_livre_date.js';
import * as m007b from './007_tva_engagement.js';
import * as m008e from './008_exercices.js';
import * as m008i from './008_insuffisances.js';
import * as m009 from './009_cycle.js';
import * as m011 from './011_envois.js';
import * as m012 from './012_recherche.js';
import * as m013 from './013_cloture_credit.js';
import * as m014 from './014_rapport_fin.js';
import * as m015 from './015_avenant_copie.js';
import * as m016 from './016_publication.js';
import * as m016d from './016_publication_donnees.js';
import * as m010c from './010_comites.js';
import * as m010o from './010_obligations.js';
import * as m010p from './010_promotions.js';
import * as m017 from './017_limites.js';
import * as m018 from './018_produits_normalises.js';
import * as m019 from './019_mouvement_disponibilite.js';
import * as m020 from './020_portefeuille_somme.js';
import * as m021 from './021_agenda.js';
import * as m022 from './022_preferences.js';
import * as m023 from './023_comite_avenant.js';
import * as m024 from './024_document_ecarte.js';

/** Versioned migrations, applied in name order. Never edit one that has shipped: add the next. */
export const migrations: Record<string, Migration> = {
  '001_conventions': m001,
  '002_credits': m002,
  '004_documents': m004,
  '005_acces': m005,
  '006_propositions': m006,
  '007_grand_livre_date': m007,
  '007_tva_engagement': m007b,
  '008_exercices': m008e,
  '008_insuffisances': m008i,
  '009_cycle': m009,
  '011_envois': m011,
  '010_comites': m010c,
  '010_obligations': m010o,
  '010_promotions': m010p,
  '012_recherche': m012,
  '013_cloture_credit': m013,
  '014_rapport_fin': m014,
  '015_avenant_copie': m015,
  '016_publication': m016,
  '016_publication_donnees': m016d,
  '017_limites': m017,
  '018_produits_normalises': m018,
  '019_mouvement_disponibilite': m019,
  '020_portefeuille_somme': m020,
  '021_agenda': m021,
  '022_preferences': m022,
  '023_comite_avenant': m023,
  '024_document_ecarte': m024,
};
