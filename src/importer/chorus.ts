/**
 * The references of the financial article: UO, programme / BOP and the Chorus imputation blocks.
 */
import { type Document, type Ligne, type Span } from './text.js';

export interface Chorus {
  domaine_fonctionnel: string | null;
  centre_financier: string | null;
  activite: string | null;
  centre_de_cout: string | null;
  axe_ministeriel: string | null;
  extra: Record<string, string>;
}

export type CleChorus = Exclude<keyof Chorus, 'extra'>;

export interface Lu<T> {
  value: T;
  span: Span;
}

export interface ChorusLu {
  chorus: Chorus;
  spans: Partial<Record<CleChorus, Span>> & { extra: Record<string, Span> };
  programme: Lu<string> | null;
  comptable: Lu<string> | null;
  /** lines that belong to a reference block (not prose) */
  lignes: Set<number>;
}

const TITRE_BLOC =
  /^(?:les\s+)?(?:references?\s+(?:chorus|d'imputation|budgetaires?|comptables?|de (?:la )?depense)|imputations?\s*(?:budgetaires?|chorus|comptables?|de (?:la )?depense)?\b|parametrage\b|references?\s*:|donnees? chorus)/;
const BLOC_ACHAT = /parametrage|adherence|achat/;

function cleChorus(label: string): CleChorus | 'programme' | 'comptable' | null {
  const l = label.replace(/\(s\)/g, '').replace(/\s+/g, ' ').trim();
  if (/^domaines? fonctionnels?\b/.test(l)) return 'domaine_fonctionnel';
  if (/^(?:centres? financiers?|unite operationnelle|uo)\b/.test(l)) return 'centre_financier';
  if (/^activites?\b/.test(l)) return 'activite';
  if (/^centres? de couts?\b/.test(l)) return 'centre_de_cout';
  if (/^axes? ministeriels?\b/.test(l)) return 'axe_ministeriel';
  if (/^(?:code )?(?:programme|bop)\b|^programme\s*\/\s*bop/.test(l)) return 'programme';
  if (/^comptable assignataire\b/.test(l)) return 'comptable';
  return null;
}

interface Couple {
  label: Span;
  value: Span;
  /** the value as a string: cells joined by a space */
  texte: string;
}

/** "Label :\tvalue", "Label\tvalue" or "Label : value" on one line. */
function couple(doc: Document, l: Ligne): Couple | null {
  const t = l.text;
  if (t.length > 300) return null;
  if (t.includes('\t')) {
    const cells: Array<[number, number]> = [];
    let s = 0;
    for (let i = 0; i <= t.length; i++) {
      if (i === t.length || t[i] === '\t') {
        if (t.slice(s, i).trim()) cells.push([s, i]);
        s = i + 1;
      }
    }
    const [premiere, seconde] = cells;
    if (!premiere || !seconde) {
      // "Label : value" written with a trailing tab
      return premiere ? coupleDeuxPoints(doc, l, premiere[0], premiere[1]) : null;
    }
    const [a, b] = premiere;
    const label = labelSpan(doc, l, a, b);
    if (!label) return null;
    const value = doc.spanIn(l, seconde[0], cells[cells.length - 1]![1]);
    return value.text ? { label, value, texte: value.text.replace(/\t+/g, ' ') } : null;
  }
  return coupleDeuxPoints(doc, l, 0, t.length);
}

function labelSpan(doc: Document, l: Ligne, a: number, b: number): Span | null {
  let end = b;
  while (end > a && /[\s:]/.test(l.text.charAt(end - 1))) end--;
  const s = doc.spanIn(l, a, end);
  const words = s.text.split(/\s+/).length;
  if (
    !s.text ||
    words > 7 ||
    !/^\p{L}/u.test(s.text) ||
    /[.;!?]$/.test(s.text) ||
    /^(?:article|annexe|titre|chapitre|section)\b/i.test(s.text)
  )
    return null;
  return s;
}

function coupleDeuxPoints(doc: Document, l: Ligne, a: number, b: number): Couple | null {
  const colon = l.text.indexOf(':', a);
  if (colon < 0 || colon >= b || colon - a > 80) return null;
  const label = labelSpan(doc, l, a, colon);
  if (!label) return null;
  const value = doc.spanIn(l, colon + 1, b);
  if (!value.text || value.text.length > 200) return null;
  return { label, value, texte: value.text };
}

/** A code alone: "UO 0214-ABC" → "0214-ABC", "0310 -09-02" → "0310-09-02"; a label after it is returned apart. */
function code(value: string): { code: string; libelle: string | null } {
  const v = value.replace(/^(?:UO|CF)\s*[:.]?\s+(?=\S*\d)/i, '');
  const m = /^([A-Z0-9]+(?:\s?[-/.]\s?[A-Z0-9]+)*)(?:\s+([A-Z0-9]*\d[A-Z0-9]*)(?=\s|$))?(?:\s*[-–:,]?\s+(.+))?$/.exec(
    v,
  );
  if (!m || !/\d/.test(m[1] + (m[2] ?? ''))) return { code: v, libelle: null };
  const [, premier = '', second, reste] = m;
  // "SEGSSM 075": a stray space inside a code
  const joined = second && !/\d/.test(premier) ? premier + second : premier;
  const rest = second && /\d/.test(premier) ? [second, reste].filter(Boolean).join(' ') : reste;
  return { code: joined.replace(/\s+/g, ''), libelle: rest ? rest.trim() : null };
}

/** Labelled reference blocks ("Références Chorus", imputation, purchasing set-up). */
export function lireChorus(doc: Document, debut: number): ChorusLu {
  const chorus: Chorus = {
    domaine_fonctionnel: null,
    centre_financier: null,
    activite: null,
    centre_de_cout: null,
    axe_ministeriel: null,
    extra: {},
  };
  const out: ChorusLu = { chorus, spans: { extra: {} }, programme: null, comptable: null, lignes: new Set() };
  const lignes = doc.lignes;
  const addExtra = (label: string, value: string, span: Span) => {
    let k = label;
    for (let n = 2; k in chorus.extra; n++) k = `${label} (${n})`;
    chorus.extra[k] = value;
    out.spans.extra[k] = span;
  };

  for (let i = debut; i < lignes.length; i++) {
    const l = lignes[i]!;
    if (l.text.length > 300) continue;
    const titre = TITRE_BLOC.test(l.folded) && l.text.length <= 120;
    const first = titre ? null : couple(doc, l);
    if (!titre && !(first && cleChorus(doc.folded.slice(first.label.start, first.label.end)))) continue;
    const achat = titre && BLOC_ACHAT.test(l.folded);
    // the title line may carry a value of its own ("Références Chorus : UO SSIC")
    let j = i;
    let blanks = 0;
    for (; j < lignes.length; j++) {
      const lj = lignes[j]!;
      if (lj.text.trim() === '') {
        if (++blanks > 1) break;
        continue;
      }
      blanks = 0;
      const c = couple(doc, lj);
      if (!c) {
        if (j === i) continue;
        break;
      }
      out.lignes.add(j);
      const labelFolded = doc.folded.slice(c.label.start, c.label.end);
      const cle = j === i && titre ? null : cleChorus(labelFolded);
      const label = c.label.text.replace(/\s+/g, ' ');
      if (cle === 'programme') {
        if (!out.programme) out.programme = { value: c.texte, span: c.value };
        else addExtra(label, c.texte, c.value);
      } else if (cle === 'comptable') {
        if (!out.comptable) out.comptable = { value: c.texte, span: c.value };
        else addExtra(label, c.texte, c.value);
      } else if (cle && !achat && chorus[cle] === null) {
        if (cle === 'axe_ministeriel') {
          chorus[cle] = c.texte;
          out.spans[cle] = c.value;
        } else {
          const { code: v, libelle } = code(c.texte);
          chorus[cle] = v;
          // offsets in the value as written (a tab is one character, like the space that replaced it)
          const li = libelle ? c.value.text.replace(/\t/g, ' ').lastIndexOf(libelle) : -1;
          out.spans[cle] = li > 0 ? doc.spanTrim(c.value.start, c.value.start + li) : c.value;
          if (libelle)
            addExtra(`${label} (libellé)`, libelle, li > 0 ? doc.span(c.value.start + li, c.value.end) : c.value);
        }
      } else addExtra(label, c.texte, c.value);
    }
    i = j - 1;
  }
  return out;
}

const UO_RE =
  /\b(?:\(uo\)|uo|unite operationnelle|centre financier)\s{0,3}(?:\(uo\)\s{0,3})?(?:n°\s{0,2}|:\s{0,2})?([0-9]{3,4}(?:\s?-\s?[a-z0-9]{2,12}){1,4})\b/g;

/** Every UO code the prose names ("(UO) 0310-SGAL-SSIC", "UO 0214 -ABC"). */
export function lireUo(doc: Document, horsLignes: Set<number>): Array<Lu<string>> {
  const out: Array<Lu<string>> = [];
  for (const l of doc.lignes) {
    if (horsLignes.has(l.n) || !l.folded.includes('u') || l.text.length > 20000) continue;
    for (const m of l.folded.matchAll(UO_RE)) {
      const code = m[1]!;
      const start = l.start + m.index + m[0].length - code.length;
      const span = doc.span(start, start + code.length);
      out.push({ value: span.text.replace(/\s+/g, '').toUpperCase(), span });
    }
  }
  return out;
}

/** "BOP 352 « innovation et transformations numériques »", "programme 129". */
export function lireProgramme(doc: Document): Lu<string> | null {
  for (const l of doc.lignes) {
    if (l.text.length > 20000) continue;
    const m = /\b(?:bop|programme)\s{1,2}(?:n°\s{0,2})?\d{3}\b/.exec(l.folded);
    if (!m) continue;
    let end = m.index + m[0].length;
    const title = /^\s{0,2}[«"“]\s?[^«»"“”\n]{1,120}?\s?[»"”]/.exec(l.text.slice(end));
    if (title) end += title[0].length;
    const span = doc.span(l.start + m.index, l.start + end);
    return { value: span.text, span };
  }
  return null;
}

// OCR's look-alikes of digits: O for 0, l and I for 1, S for 5, B for 8
const SOSIES: Record<string, string> = { O: '0', o: '0', l: '1', I: '1', '|': '1', S: '5', B: '8' };
const SOSIE_OU_CHIFFRE = /^[\dOolI|SB]+$/;
const chiffres = (s: string) => s.replace(/[OolI|SB]/g, (c) => SOSIES[c]!);
const partChiffres = (s: string) => (s.match(/\d/g)?.length ?? 0) / s.length;

/**
 * A word read by OCR with digits put back where Chorus's formats have digits: a long number (activité of
 * 12 digits, engagement juridique of 10, SIRET of 14) made mostly of digits, the 4-digit programme that
 * opens a centre financier / UO / domaine fonctionnel ("O3l0-SGAL-SSIC"), and the numeric segments after
 * it ("0352-O1-01"), the number that ends a code of capitals (centre de coût "SGSIFABO75"). Segments of
 * letters ("SGAL") are left as read.
 */
export function chiffresDesCodes(mot: string): string {
  const m = /^([(«"]?)(.*?)([.,;:)»"]*)$/.exec(mot)!;
  const [, avant = '', coeur = '', apres = ''] = m;
  if (coeur.length >= 8 && coeur.length <= 14 && SOSIE_OU_CHIFFRE.test(coeur) && partChiffres(coeur) >= 0.6)
    return avant + chiffres(coeur) + apres;
  // a code of capitals ending with its number ("SGSIFAB075"): an O in that number is a zero
  const numero = /^([A-Z][A-Z\d]{2,10}?)([O\d]{3,})$/.exec(coeur);
  if (numero && (numero[2]!.match(/\d/g)?.length ?? 0) >= 2)
    return avant + numero[1] + numero[2]!.replace(/O/g, '0') + apres;
  const segments = coeur.split('-');
  const [premier = ''] = segments;
  if (
    segments.length < 2 ||
    premier.length !== 4 ||
    !SOSIE_OU_CHIFFRE.test(premier) ||
    partChiffres(premier) < 0.5 ||
    segments.slice(1).some((s) => !/^[\p{L}\d|]{1,12}$/u.test(s))
  )
    return mot;
  const lus = segments.map((s, i) =>
    i === 0 || (s.length >= 2 && SOSIE_OU_CHIFFRE.test(s) && partChiffres(s) >= 0.5) ? chiffres(s) : s,
  );
  return avant + lus.join('-') + apres;
}
