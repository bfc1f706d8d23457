/** The dated clauses: signature, end or duration, notice, committee rhythm, comptable assignataire. */
import type { DateIso } from '../domain/dates.js';
import { nombreAvant, dates, dateApres } from './french.js';
import { type Span, type Ligne, type Document, phrasesDe } from './text.js';
/** "Fait à Paris, le 31/03/2021", the date possibly on a following line; the last signature counts. */
export function lireSignature(doc: Document): { value: DateIso; span: Span } | null {
  let best: { value: DateIso; span: Span } | null = null;
  const consider = (v: DateIso, span: Span) => {
    if (!best || v > best.value) best = { value: v, span };
  };
  for (const l of doc.lignes) {
    if (l.text.length > 400) continue;
    const m = /^(?:[a-z]ait|signe)e?\s(?:a|en)\b|^a\s[a-z' -]{2,40},\s?le\b|^(?:date de signature|signee? le)\b/.exec(
      l.folded,
    );
    if (!m) continue;
    const same = dates(l.folded.slice(m.index + m[0].length));
    if (same.length) {
      for (const d of same) consider(d.value, doc.span(l.start + m[0].length + d.start, l.start + m[0].length + d.end));
      continue;
    }
    let next: Ligne | null = l;
    for (let k = 0; k < 3 && next; k++) {
      next = doc.suivante(next.n, 3);
      if (!next || next.text.length > 80) break;
      const d = dates(next.folded);
      if (d.length) {
        for (const x of d) consider(x.value, doc.span(next.start + x.start, next.start + x.end));
        break;
      }
    }
  }
  return best;
}

/** "Elle est conclue jusqu'au 31 décembre 2025", "prend fin le …", "s'achève le …". */
export function lireFin(doc: Document, zone: Ligne[]): { value: DateIso; span: Span } | null {
  for (const { l, a, f } of phrasesDe(doc, zone)) {
    if (/preavis|report|mi-novembre/.test(f)) continue;
    const m =
      /\bjusqu'(?:au|a|a la date du)\s|\bprend(?:ra)? fin\s(?:le\s)?|\bexpire(?:ra)?\s(?:le\s)?|\bse termine(?:ra)?\s(?:le\s)?|\bs'acheve(?:ra)?\s(?:le\s)?|\bfin le\s|\becheance\s(?:du|le|au)\s|\bau plus tard le\s|\bdate de fin\s?:?\s/.exec(
        f,
      );
    if (!m) continue;
    const d = dateApres(f, m.index + m[0].length, 40);
    if (d) return { value: d.value, span: doc.span(l.start + a + d.start, l.start + a + d.end) };
  }
  return null;
}

/** "conclue pour une période de 6 mois", "pour une durée de douze (12) mois", "d'un an". */
export function lireDuree(doc: Document, zone: Ligne[]): { value: number; span: Span; depuis: DateIso | null } | null {
  for (const { l, a, f } of phrasesDe(doc, zone)) {
    if (/preavis|comite|engager|rend(?:re)? compte|rapport|bilan|a l'issue/.test(f)) continue;
    // outside an article about the term, only a sentence about the convention itself states its duration
    if (!/conclu|convention|valable|vigueur|elle est/.test(f)) continue;
    const m =
      /\b(?:(?:conclue?|valable|etablie|signee)\s(?:pour\s)?(?:une\s(?:duree|periode)\s(?:de\s|d')?)?|(?:duree|periode)\s(?:de\s|d')|pour\s)/.exec(
        f,
      );
    if (!m) continue;
    const after = f.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const unit = /^[^.;]{0,30}?\b(mois|ans?|annees?)\b/.exec(after);
    if (!unit) continue;
    const unite = unit[1]!;
    const at = m.index + m[0].length + unit.index + unit[0].length - unite.length;
    const n = nombreAvant(f, at);
    if (!n || n.value <= 0) continue;
    const value = unite === 'mois' ? n.value : n.value * 12;
    const depuis = /a compter (?:du|de la date du)\s/.exec(f);
    const d = depuis ? dateApres(f, depuis.index + depuis[0].length, 40) : null;
    return { value, span: doc.span(l.start + a + n.start, l.start + a + at + unite.length), depuis: d?.value ?? null };
  }
  return null;
}

/** "sous réserve du respect d'un préavis de trois mois". */
export function lirePreavis(doc: Document, zone: Ligne[]): { value: number; span: Span } | null {
  for (const { l, a, f } of phrasesDe(doc, zone, 'preavis')) {
    const p = f.indexOf('preavis');
    if (p < 0) continue;
    const after = f.slice(p, p + 60);
    const unit = /\b(mois|ans?|jours)\b/.exec(after);
    const unite = unit?.[1];
    if (!unit || !unite || unite === 'jours') continue;
    const at = p + unit.index;
    const n = nombreAvant(f, at);
    if (!n || n.value <= 0 || n.start < p) continue;
    return {
      value: unite === 'mois' ? n.value : n.value * 12,
      span: doc.span(l.start + a + n.start, l.start + a + at + unite.length),
    };
  }
  return null;
}

const RYTHMES: Array<[RegExp, number]> = [
  [/\bmensuel(?:le)?s?\b/, 1],
  [/\bbimestriel(?:le)?s?\b/, 2],
  [/\btrimestriel(?:le)?s?\b/, 3],
  [/\bsemestriel(?:le)?s?\b|\btous les semestres\b|\bdeux fois par an\b/, 6],
  [/\bannuel(?:le)?s?\b|\btous les ans\b|\bune fois par an\b/, 12],
];

/** "comité d'investissement organisé tous les six mois", "comités semestriels". */
export function lireComite(doc: Document, zone: Ligne[]): { value: number; span: Span } | null {
  let rythme: { value: number; span: Span } | null = null;
  for (const { l, a, f } of phrasesDe(doc, zone, 'comite')) {
    if (!/\bcomites?\b/.test(f)) continue;
    const m = /\b(?:tous|toutes) les\s((?:[a-z]+[\s-]){0,2}?[a-z0-9]+)\s?(?:\(\s?\d{1,2}\s?\)\s?)?mois\b/.exec(f);
    if (m) {
      const at = m.index + m[0].length - 4;
      const n = nombreAvant(f, at);
      if (n && n.value > 0) return { value: n.value, span: doc.span(l.start + a + n.start, l.start + a + at + 4) };
    }
    if (!rythme) {
      for (const [re, v] of RYTHMES) {
        const r = re.exec(f);
        if (r) {
          rythme = { value: v, span: doc.span(l.start + a + r.index, l.start + a + r.index + r[0].length) };
          break;
        }
      }
    }
  }
  return rythme;
}

/** "Le comptable assignataire de la dépense est le CBCM …". */
export function lireComptable(doc: Document, zone: Ligne[]): { value: string; span: Span } | null {
  for (const { l, a, b, f } of phrasesDe(doc, zone, 'comptable')) {
    const m = /\ble comptable assignataire(?:\s(?:de la depense|des depenses|de la delegation))?\s(?:est|sera)\s/.exec(
      f,
    );
    if (!m) continue;
    const span = doc.spanTrim(l.start + a + m.index + m[0].length, l.start + b);
    const text = span.text.replace(/\.$/, '');
    if (!text) continue;
    return { value: text, span: doc.span(span.start, span.start + text.length) };
  }
  return null;
}
