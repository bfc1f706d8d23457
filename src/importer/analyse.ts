/** One file from bytes to extraction: read, normalise, extract; a refusal becomes a per-file error. */
import { clausesVides, extraire, type Extraction } from './extract.js';
import { ImportError } from './limites.js';
import { lireFichier, type DocumentLu, type OptionsLecture } from './readers.js';

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

/** Below this confidence (0–100), tesseract misreads enough characters for a page to be checked by eye. */
const CONFIANCE_OCR_MIN = 70;

export async function analyser(
  bytes: Uint8Array,
  nom: string,
  source = nom,
  opts: OptionsLecture = {},
): Promise<Analyse> {
  try {
    const document = await lireFichier(bytes, nom, opts);
    const { extraction, texte } = extraire(document.texte, source);
    if (document.ocr) {
      const pages = document.ocr;
      const moyenne = pages.reduce((s, p) => s + p.confiance, 0) / pages.length;
      extraction.ocr = { pages: pages.length, mean_confidence: Math.round(moyenne * 10) / 10 };
      for (const p of pages)
        if (p.confiance < CONFIANCE_OCR_MIN)
          extraction.warnings.push(
            `La page ${p.page} est numérisée et a été lue par reconnaissance de caractères avec une confiance de ${Math.round(p.confiance)} % : vérifiez les valeurs qui en viennent.`,
          );
    }
    return { ok: true, document, contenu: bytes, texte, extraction };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, nom, erreur: { code: e.code, message: e.message } };
    throw e;
  }
}
