/** What the convention is and does: its kind, the service it funds, the object's verb and the phase. */
import { type Span, type Ligne, type Document, phrasesDe, plier } from './text.js';

/** The kind of text, as the contract names it. */
export type Kind = 'delegation_de_gestion' | 'avenant' | 'convention_fast_subvention' | 'partenariat' | 'other';

const PHASES = ['investigation', 'construction', 'acceleration', 'consolidation', 'transfert', 'perennisation'];
const PHASE_RE =
  /\bphases?\s(?:d'|de\s|du\s)?(investigation|construction|acceleration|consolidation|transfert|perennisation)\b/g;
const VERBES_CADRE = new Set([
  'definir',
  'fixer',
  'preciser',
  'determiner',
  'etablir',
  'formaliser',
  'encadrer',
  'organiser',
]);

export function lireNature(doc: Document, finEntete: number, prov: Record<string, Span>): Kind | null {
  const zone = doc.lignes.slice(0, Math.max(1, Math.min(finEntete, 60)));
  const tests: Array<[RegExp, Kind]> = [
    [/\bavenant\b/, 'avenant'],
    [/\bdelegation de gestion\b/, 'delegation_de_gestion'],
    [/\bconvention (?:attributive )?de subvention\b|\bsubvention\b/, 'convention_fast_subvention'],
    [/\bconvention de partenariat\b|\bpartenariat\b/, 'partenariat'],
  ];
  for (const [re, kind] of tests) {
    for (const l of zone) {
      if (l.text.length > 300) continue;
      const m = re.exec(l.folded);
      if (m) {
        prov['/kind'] = doc.span(l.start + m.index, l.start + m.index + m[0].length);
        if (kind === 'convention_fast_subvention' && !/\bfast\b/.test(doc.folded.slice(0, 200_000))) return 'other';
        return kind;
      }
    }
  }
  if (zone.some((l) => /^convention\b/.test(l.folded))) return 'other';
  const head = doc.folded.slice(0, 20_000);
  if (/\bdelegation de gestion\b/.test(head)) return 'delegation_de_gestion';
  return doc.text.trim() ? 'other' : null;
}

const STOP_SERVICE =
  /^(?:ayant|qui|dont|afin|pour|visant|en\s|portee?|developpee?|destinee?|permettant|lancee?|dans|sur|au\s|aux\s|avec|et\s(?:de|d')|conformement)/;

const BOILERPLATE = /\b(?:approche|methode|methodologie|demarche|logique|mode|esprit|modele)\s?(?:de\s|d')?[«"“]?\s?$/;

/** The service or programme funded: Article 1's "service numérique X", else the preamble, else the title. */
export function lireService(doc: Document, objet: Ligne[], finEntete: number): { value: string; span: Span } | null {
  const patterns = [
    /\b(?:service|produit)s?\s(?:public\s)?(?:numerique|digital)s?\s/g,
    /\bstart-?ups?\s(?:d'etat\s)?/g,
    /\bplateformes?\s(?:numeriques?\s)?/g,
    /\bproduit\s/g,
  ];
  const scan = (zone: Ligne[]) => {
    for (const re of patterns) {
      for (const l of zone) {
        if (l.text.length > 20000) continue;
        for (const m of l.folded.matchAll(re)) {
          // "l'approche Startup d'État", "la démarche produit": the programme's method, not a service
          if (BOILERPLATE.test(l.folded.slice(Math.max(0, m.index! - 24), m.index!))) continue;
          let at = m.index! + m[0].length;
          // a portfolio: "plusieurs Startups d'État de l'Atelier numérique du ministère"
          const de = /^(?:de l'|du |de la |des )(?=\S)/.exec(l.folded.slice(at, at + 8));
          const portefeuille = de !== null && /s\s/.test(m[0]);
          if (portefeuille) at += de![0].length;
          const v = nomApres(doc, l, at, portefeuille);
          if (v) return v;
        }
      }
    }
    return null;
  };
  const inArt = scan(objet);
  if (inArt) return inArt;
  const preamble = scan(doc.lignes.slice(finEntete, objet[0]?.n ?? doc.lignes.length));
  if (preamble) return preamble;
  // title: "Convention de délégation de gestion FAST 15 | seLEXpert"
  for (const l of doc.lignes.slice(0, Math.min(finEntete || 30, 60))) {
    const m = /^convention\b[^|\n]{0,200}\|\s?([^|\n]{2,60})$/.exec(l.text.toLowerCase() === l.text ? '' : l.folded);
    if (m) {
      const start = l.start + l.text.lastIndexOf('|') + 1;
      const span = doc.spanTrim(start, l.start + l.text.length);
      if (span.text) return { value: span.text, span };
    }
  }
  return null;
}

/** The name right after "service numérique": quoted, or capitalised words up to a connecting word. */
function nomApres(doc: Document, l: Ligne, at: number, portefeuille = false): { value: string; span: Span } | null {
  const rest = l.text.slice(at, at + 160);
  const quoted = /^[«"“]\s?([^«»"“”]{1,80}?)\s?[»"”]/.exec(rest);
  if (quoted) {
    const value = quoted[1]!;
    if (/^(?:approche|methode|methodologie|demarche)\b/.test(plier(value))) return null;
    const s = l.start + at + quoted[0].indexOf(value);
    return { value, span: doc.span(s, s + value.length) };
  }
  const words = rest.split(/(?=\s)/);
  let len = 0;
  let n = 0;
  for (const w of words) {
    const t = w.trim();
    const f = l.folded.slice(at + len, at + len + w.length).trim();
    if (!t || n >= 8 || STOP_SERVICE.test(`${f} `) || /^[,;.:()]/.test(t)) break;
    if (portefeuille && n > 0 && /^(?:du|de|des)$/.test(f)) break;
    if (n === 0 && !/\p{Lu}/u.test(t) && !/\d/.test(t)) return null;
    len += w.length;
    n++;
    if (/[,;.:)]$/.test(t)) break;
  }
  if (n === 0) return null;
  const span = doc.spanTrim(l.start + at, l.start + at + len);
  const value = span.text.replace(/[,;.:]+$/, '');
  if (!value || /^(?:l'|le |la |les |de |du |des )/i.test(value)) return null;
  return { value, span: doc.span(span.start, span.start + value.length) };
}

/** Infinitive of Article 1's object: "afin de construire", "a pour objet d'accompagner". */
export function lireVerbe(doc: Document, objet: Ligne[]): { value: string; span: Span } | null {
  for (const { l, a, f } of phrasesDe(doc, objet)) {
    if (!/pour objet|a pour but|vise a|objet de la|\bdestine(?:e|s|es)? a\b/.test(f) && !/\bafin (?:de|d')/.test(f))
      continue;
    const m =
      /\bafin (?:de\s|d')\s?([a-z]+(?:er|ir|re|oir))\b/.exec(f) ??
      /\bpour objet (?:de\s|d')\s?([a-z]+(?:er|ir|re|oir))\b/.exec(f) ??
      /\bdestine(?:e|s|es)? a\s([a-z]+(?:er|ir|re|oir))\b/.exec(f);
    const verbe = m?.[1];
    if (!m || !verbe || VERBES_CADRE.has(verbe)) continue;
    const s = l.start + a + m.index + m[0].length - verbe.length;
    const span = doc.span(s, s + verbe.length);
    return { value: span.text.toLowerCase(), span };
  }
  return null;
}

/** The phase the spending covers: "couvre les opérations de dépenses liées à la phase d'accélération". */
export function lirePhase(doc: Document, debut: number): { value: string; span: Span } | null {
  let fallback: { value: string; span: Span } | null = null;
  for (const { l, a, f } of phrasesDe(doc, doc.lignes.slice(debut), 'phase')) {
    if (!f.includes('phase')) continue;
    const found = [...f.matchAll(PHASE_RE)];
    const distinct = new Set(found.map((m) => m[1]));
    if (distinct.size !== 1) continue;
    // one distinct phase: found has at least one match, and its group is set
    const m = found[0]!;
    const phase = m[1]!;
    const s = l.start + a + m.index + m[0].length - phase.length;
    const span = doc.span(s, s + phase.length);
    const hit = { value: span.text.toLowerCase(), span };
    if (PHASES.includes(phase) && /couvre|depenses|credits|financ|autoris/.test(f)) return hit;
    fallback ??= hit;
  }
  return fallback;
}
