/**
 * The head of a text published in an official bulletin or amending another: the date its title gives
 * (« Convention … du 24 juin 2025 relative à … », a « Du 04 mai 2018 » line), its NOR and bulletin
 * references.
 */
import type { DateIso } from '../domain/dates.js';
import { dates } from './french.js';
import type { Document, Ligne, Span } from './text.js';

/** The lines of the title block: up to the parties, the legal basis or the first article. */
function lignesDeTete(doc: Document): Ligne[] {
  const out: Ligne[] = [];
  for (const l of doc.lignes.slice(0, 40)) {
    if (/^(?:[a-z]ntre\b|vu\b|article\b|preambule\b|il (?:a ete|est) convenu)/.test(l.folded)) break;
    if (l.text.length <= 400) out.push(l);
  }
  return out;
}

const TITRE = /^(?:convention|avenant|accord|protocole|contrat|decision)\b/;

/**
 * The date the title gives the text itself. In « Avenant n° 2 à la convention … du 12 février 2024 » the
 * date is the amended convention's, not the avenant's.
 */
export function lireDateTitre(doc: Document): { value: DateIso; span: Span } | null {
  for (const l of lignesDeTete(doc)) {
    const seule = /^du\s{1,3}/.exec(l.folded);
    if (seule) {
      const [d] = dates(l.folded);
      if (d && d.start === seule[0].length && l.folded.slice(d.end).trim() === '')
        return { value: d.value, span: doc.span(l.start + d.start, l.start + d.end) };
      continue;
    }
    if (!TITRE.test(l.folded)) continue;
    for (const d of dates(l.folded)) {
      const avant = l.folded.slice(0, d.start);
      if (!/\bdu\s{1,2}$/.test(avant)) continue;
      if (/\b(?:a|de)\s(?:la|l')\s?(?:convention|decision|accord)\b/.test(avant)) break;
      return { value: d.value, span: doc.span(l.start + d.start, l.start + d.end) };
    }
  }
  return null;
}

export interface References {
  nor: string | null;
  bulletin: string | null;
}

/** The NOR and the bulletin that published the text, kept as they are written. */
export function lireReferences(doc: Document, prov: Record<string, Span>): References {
  const out: References = { nor: null, bulletin: null };
  for (const l of doc.lignes.slice(0, 60)) {
    if (l.text.length > 400) continue;
    const nor = /\bnor\s?:?\s?([a-z]{4}\s?\d{7}\s?[a-z])\b/.exec(l.folded);
    if (nor && !out.nor) {
      const s = l.start + nor.index + nor[0].length - nor[1]!.length;
      const span = doc.span(s, s + nor[1]!.length);
      out.nor = span.text.replace(/\s/g, '').toUpperCase();
      prov['/references/nor'] = span;
    }
    if (!out.bulletin && /^(?:bulletin officiel|journal officiel|recueil des actes administratifs)\b/.test(l.folded)) {
      const span = doc.spanTrim(l.start, l.start + l.text.length);
      out.bulletin = span.text;
      prov['/references/bulletin'] = span;
    }
  }
  return out;
}
