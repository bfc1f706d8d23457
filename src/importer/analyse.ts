/** One file from bytes to extraction: read, normalise, extract; a refusal becomes a per-file error. */
import { clausesVides, extraire, type Extraction } from './extract.js';
import { ImportError, type Limites } from './limites.js';
import { lireFichier, type DocumentLu } from './readers.js';

export interface ErreurImport {
  code: string;
  message: string;
}

export type Analyse =
  | { ok: true; document: DocumentLu; contenu: Uint8Array; texte: string; extraction: Extraction }
  | { ok: false; nom: string; erreur: ErreurImport };

/** The contract's shape with every value null: what `--json` prints for a file that could not be read. */
export function extractionVide(source: string): Extraction {
  const partie = () => ({ name: null, representative: null, address: null, short_name: null, role_label: null });
  return {
    source,
    kind: null,
    delegant: partie(),
    delegataire: partie(),
    dinum_role: null,
    service_name: null,
    object_verb: null,
    phase: null,
    uo: null,
    programme_bop: null,
    chorus: {
      domaine_fonctionnel: null,
      centre_financier: null,
      activite: null,
      centre_de_cout: null,
      axe_ministeriel: null,
      extra: {},
    },
    schedule: null,
    total_ae_eur: null,
    fast_cofinancing_eur: null,
    tranches: null,
    signature_date: null,
    end_date: null,
    duration_months: null,
    notice_months: null,
    comptable_assignataire: null,
    committee_period_months: null,
    warnings: [],
    provenance: {},
    clauses: clausesVides(),
    ocr: null,
    references: { nor: null, bulletin: null },
  };
}

export async function analyser(
  bytes: Uint8Array,
  nom: string,
  source = nom,
  opts: { tailleMax?: number; limites?: Partial<Limites> } = {},
): Promise<Analyse> {
  try {
    const document = await lireFichier(bytes, nom, opts);
    const { extraction, texte } = extraire(document.texte, source);
    return { ok: true, document, contenu: bytes, texte, extraction };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, nom, erreur: { code: e.code, message: e.message } };
    throw e;
  }
}
