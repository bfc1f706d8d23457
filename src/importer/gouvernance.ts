/**
 * The governance clauses: who chairs the committee and who is invited, who receives a copy, where the
 * convention is published and by whom, the FAST promotion and the partner's matching envelope, the RGPD
 * annex matrix, whether the délégataire is ordonnateur.
 */
import { montants, nombreAvant } from './french.js';
import { type Document, type Ligne, type Span, phrases } from './text.js';

export interface Lu<T> {
  value: T;
  span: Span;
}

export interface ComiteLu {
  chair: Lu<string> | null;
  invited: Lu<string> | null;
}

function* phrasesZone(doc: Document, lignes: Ligne[], mot: string) {
  for (const l of lignes) {
    if (!l.text || l.text.length > 20000 || !l.folded.includes(mot)) continue;
    for (const [a, b] of doc.phrasesDe(l)) yield { l, a, b, f: l.folded.slice(a, b) };
  }
}

/** A noun phrase as written, from `start` in a line, up to a connecting word or punctuation. */
function groupe(doc: Document, l: Ligne, start: number, stop: RegExp, max = 120): Span | null {
  const f = l.folded.slice(start, start + max);
  const m = stop.exec(f);
  const end = start + (m ? m.index : f.length);
  const s = doc.spanTrim(l.start + start, l.start + end);
  return s.text ? s : null;
}

const FIN_GROUPE = /\s(?:qui|afin|pour|et de|lors|dans|selon)\b|[.,;:()]|$/;

export function lireComiteClauses(doc: Document, zone: Ligne[]): ComiteLu {
  let chair: Lu<string> | null = null;
  let invited: Lu<string> | null = null;
  for (const { l, a, f } of phrasesZone(doc, zone, 'comite')) {
    if (!chair) {
      const m = /\b(?:est|sont|sera|seront) presidee?s?\spar\s/.exec(f);
      if (m) {
        const s = groupe(doc, l, a + m.index + m[0].length, FIN_GROUPE);
        if (s) chair = { value: s.text, span: s };
      }
    }
    if (!invited) {
      const inv = /\binvite(?:r|nt)?\s(?!a\s)/.exec(f);
      const part = /^(.{2,60}?)\sparticipe(?:nt|ra|ront)?\sa\s(?:ce|ces|chaque|aux|au)\s(?:comite|comites)\b/.exec(f);
      if (inv) {
        const s = groupe(
          doc,
          l,
          a + inv.index + inv[0].length,
          /\sa\s(?:y\s)?(?:participer|sieger|assister)\b|[.,;:()]|$/,
        );
        if (s) invited = { value: s.text, span: s };
      } else if (part) {
        const s = doc.spanTrim(l.start + a, l.start + a + part[1]!.length);
        if (s.text) invited = { value: s.text, span: s };
      } else {
        const est = /\b(?:est|sont|sera|seront) (?:invitee?s?|associee?s?|convie(?:e|s|es)?)\s(?:a\s)?/.exec(f);
        const sujet = est ? /^(.{2,60}?)\s(?:est|sont|sera|seront)\s/.exec(f) : null;
        if (est && sujet) {
          const s = doc.spanTrim(l.start + a, l.start + a + sujet[1]!.length);
          if (s.text) invited = { value: s.text, span: s };
        }
      }
    }
  }
  return { chair, invited };
}

/** « Une copie de la convention est transmise au CBCM … et au CBCM du délégant. » */
export function lireCopies(doc: Document, zone: Ligne[]): Array<Lu<string>> {
  const out: Array<Lu<string>> = [];
  for (const { l, a, b, f } of phrasesZone(doc, zone, 'copie')) {
    if (/\bavenant\b/.test(f)) continue;
    const m =
      /\bcopies?\b[^.;]{0,60}?\b(?:est|sont|sera|seront)\s(?:transmise?s?|adressee?s?|envoyee?s?|communiquee?s?)\s/.exec(
        f,
      );
    if (!m) continue;
    let at = a + m.index + m[0].length;
    const end = b;
    while (at < end) {
      const prep = /^(?:et\s)?(?:au|aux|a la|a l'|a)\s?/.exec(l.folded.slice(at, end));
      if (!prep) break;
      at += prep[0].length;
      const rest = l.folded.slice(at, end);
      const stop = /\s(?:et\s(?:au|aux|a la|a l'|a)\s|ainsi qu)|,\s(?:au|aux|a)\s|[.;]|$/.exec(rest);
      const to = at + (stop ? stop.index : rest.length);
      const s = doc.spanTrim(l.start + at, l.start + to);
      if (s.text) out.push({ value: s.text, span: s });
      at = to;
      const sep = /^(?:,\s|\s)/.exec(l.folded.slice(at, end));
      if (!sep) break;
      at += sep[0].length;
    }
    if (out.length) break;
  }
  return out;
}

export interface PublicationLue {
  channel: string;
  by: string | null;
  span: Span;
}

/** « publiée sur le site gouvernement.fr … et par le délégataire sur la plateforme data.gouv.fr ». */
export function lirePublication(doc: Document, zone: Ligne[]): PublicationLue[] {
  const out: PublicationLue[] = [];
  for (const { l, a, f } of phrasesZone(doc, zone, 'publi')) {
    if (!/\bpubliee?s?\b|\bpublication\b|\bpubliera\b/.test(f)) continue;
    // what is inside parentheses is an address of the channel, not another one
    let depth = 0;
    const hors = [...f].map((c) => {
      if (c === '(') depth++;
      const v = depth > 0 ? ' ' : c;
      if (c === ')') depth = Math.max(0, depth - 1);
      return v;
    });
    const visible = hors.join('');
    for (const m of visible.matchAll(/(?<![\w./-])((?:[a-z0-9-]{2,40}\.){1,3}(?:fr|eu|org|com|net))\b(?![\w/-])/g)) {
      const channel = m[1]!;
      if (out.some((p) => p.channel === channel)) continue;
      const before = visible.slice(0, m.index);
      // the last « par » before the channel names who publishes there (« géré par le SIG et par la DINUM sur »)
      const par =
        /\bpar\s((?:le|la|les|l')\s?(?:(?!\bpar\s)[^,;()]){1,60}?)\s(?:sur|dans)\s(?:le site\s|la plateforme\s|le portail\s)?(?:internet\s)?$/.exec(
          before,
        );
      const by = par ? doc.spanTrim(l.start + a + par.index + 4, l.start + a + par.index + 4 + par[1]!.length) : null;
      const span = doc.span(l.start + a + m.index!, l.start + a + m.index! + channel.length);
      out.push({ channel: span.text, by: by?.text ?? null, span });
    }
  }
  return out;
}

export interface FastLu {
  promotion: Lu<string> | null;
  partner_matching_eur: Lu<number> | null;
  partner_matching_within_months: Lu<number> | null;
}

/** The FAST promotion (« FAST 15 ») and the envelope the partner must plan itself, with its delay. */
export function lireFastClauses(doc: Document, debut: number): FastLu {
  let promotion: Lu<string> | null = null;
  let matching: Lu<number> | null = null;
  let within: Lu<number> | null = null;
  for (const l of doc.lignes) {
    if (l.text.length > 20000 || !l.folded.includes('fast')) continue;
    const m =
      /\bfast\s(?:n°\s?)?(\d{1,2})\b|\bfast\s(?:#|promotion\s)(\d{1,2})\b|\bpromotion\s(\d{1,2})\sdu\sfast\b/.exec(
        l.folded,
      );
    if (m) {
      promotion = {
        value: doc.span(l.start + m.index, l.start + m.index + m[0].length).text,
        span: doc.span(l.start + m.index, l.start + m.index + m[0].length),
      };
      break;
    }
  }
  for (const l of doc.lignes.slice(debut)) {
    if (l.text.length > 20000 || !/enveloppe|contrepartie|abonde|cofinancement/.test(l.folded)) continue;
    for (const [a, b] of phrases(l.text)) {
      const f = l.folded.slice(a, b);
      const e =
        /\b(?:prevoir|mobiliser|engager|consacrer|inscrire)\s(?:une\s)?(?:enveloppe|contrepartie|budget)(?:\sde\scofinancement)?\b|\benveloppe de cofinancement\b|\babondement\b/.exec(
          f,
        );
      if (!e) continue;
      const found = montants(f.slice(e.index))[0];
      if (!found) continue;
      matching = {
        value: found.value,
        span: doc.span(l.start + a + e.index + found.start, l.start + a + e.index + found.end),
      };
      const d = /\bdans (?:les|un delai de|le delai de)\s/.exec(f);
      if (d) {
        const unit = /^[^.;]{0,30}?\bmois\b/.exec(f.slice(d.index + d[0].length));
        if (unit) {
          const at = d.index + d[0].length + unit[0].length - 4;
          const n = nombreAvant(f, at);
          if (n && n.value > 0)
            within = { value: n.value, span: doc.span(l.start + a + n.start, l.start + a + at + 4) };
        }
      }
      break;
    }
    if (matching) break;
  }
  return { promotion, partner_matching_eur: matching, partner_matching_within_months: within };
}

export interface LigneRgpdLue {
  row: string;
  dinum: string | null;
  partner: string | null;
  span: Span;
}

function cells(text: string): string[] {
  return text.split('\t').map((c) => c.replace(/\s+/g, ' ').trim());
}

/**
 * The RGPD annex: a table whose header names the DINUM and the partner (« Délégant », « Partenaire »,
 * « Responsable de traitement »), one row per responsibility; a row whose first cell is blank goes on the
 * row above.
 */
export function lireRgpd(doc: Document, debut: number): LigneRgpdLue[] | null {
  const lignes = doc.lignes;
  for (let i = debut; i < lignes.length; i++) {
    const h = lignes[i]!;
    if (!h.text.includes('\t') || h.text.length > 300) continue;
    const head = cells(h.folded);
    const dinum = head.findIndex((c) => /^(?:la\s)?dinum\b|sous-traitant/.test(c));
    const partner = head.findIndex(
      (c, k) =>
        k !== dinum &&
        k > 0 &&
        /^(?:le\s)?(?:delegant|partenaire|responsable|ministere|administration|delegataire)/.test(c),
    );
    if (dinum < 1 || partner < 1) continue;
    // a RGPD table: its title or the text around speaks of personal data
    const contexte = lignes
      .slice(Math.max(0, i - 4), i + 4)
      .map((l) => l.folded)
      .join(' ');
    if (!/rgpd|donnees|traitement|vie privee|responsabilit/.test(contexte)) continue;
    const out: LigneRgpdLue[] = [];
    let blanks = 0;
    for (let j = i + 1; j < lignes.length; j++) {
      const l = lignes[j]!;
      if (l.text.trim() === '') {
        if (++blanks > 1) break;
        continue;
      }
      blanks = 0;
      if (!l.text.includes('\t')) break;
      const c = cells(l.text);
      const v = (k: number) => (c[k] ? c[k] : null);
      const last = out.at(-1);
      if (!c[0] && last) {
        const join = (x: string | null, y: string | null) => (x && y ? `${x} ${y}` : (x ?? y));
        last.dinum = join(last.dinum, v(dinum));
        last.partner = join(last.partner, v(partner));
        last.span = doc.span(last.span.start, l.start + l.text.length);
        continue;
      }
      if (!c[0]) continue;
      out.push({ row: c[0], dinum: v(dinum), partner: v(partner), span: doc.span(l.start, l.start + l.text.length) });
    }
    if (out.length) return out;
  }
  return null;
}

/** « Le délégataire est ordonnateur des dépenses et des recettes … » : true; « n'est pas ordonnateur »: false. */
export function lireOrdonnateur(doc: Document, zone: Ligne[]): Lu<boolean> | null {
  for (const { l, a, f } of phrasesZone(doc, zone, 'ordonnat')) {
    const m = /\bordonnat(?:eur|rice)s?\b/.exec(f);
    if (!m) continue;
    if (!/deleg|partenaire/.test(f)) continue;
    const negation = /\bn'(?:est|agit|a)\s(?:pas|aucun)|\bne\s(?:sera|saurait|peut)\s/.test(f.slice(0, m.index));
    return { value: !negation, span: doc.span(l.start + a + m.index, l.start + a + m.index + m[0].length) };
  }
  return null;
}
