/**
 * The two parties: the "Entre … Et …" blocks at the head of the convention, with "Adresse :",
 * "Représenté(e) par", "Ci-après dénommé(e) « … »", and the role each block gives its party.
 */
import type { Document, Ligne, Span } from './text.js';

export type Role = 'delegant' | 'delegataire';

export interface PartieLue {
  nom: Span | null;
  /** the name as the convention should show it: with the short alias when the name lacks it */
  nomAffiche: string | null;
  adresse: Span | null;
  representant: Span | null;
  role: Role | null;
  /** the role label as written ("le partenaire-délégataire") */
  libelleRole: Span | null;
  /** short names the text gives ("DNUM", "DINUM") */
  alias: string[];
  /** folded names to recognise the party elsewhere in the text */
  cles: string[];
  estDinum: boolean;
}

export interface PartiesLues {
  parties: PartieLue[];
  /** line after the blocks: the legal basis and preamble start there */
  fin: number;
  warnings: string[];
}

function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 9;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    // the row has b.length + 1 cells: every index below is inside it
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(cur + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

const CIBLES: Array<[string, Role]> = [
  ['delegant', 'delegant'],
  ['delegante', 'delegant'],
  ['delegataire', 'delegataire'],
  ['delegue', 'delegataire'],
  ['deleguee', 'delegataire'],
];

/**
 * The role a folded word names, tolerant to OCR slips ("déléataire", "delegatalre"): the nearest of the
 * role words within two edits, when that nearest is not a tie between the two roles. "délégation" is not
 * a role.
 */
export function roleDuMot(word: string): Role | null {
  const w = word.replace(/^(?:partenaire|ministere|service)[-\s]?/, '');
  if (w.length < 6 || w.length > 14 || w.startsWith('delegation')) return null;
  // OCR may get the first letter wrong ("aélégataire"): then the rest must be exact
  if (!w.startsWith('d')) {
    const hit = CIBLES.find(([cible]) => w.slice(1) === cible.slice(1));
    return hit ? hit[1] : null;
  }
  let best = 9;
  let role: Role | null = null;
  let tie = false;
  for (const [cible, r] of CIBLES) {
    const d = levenshtein(w, cible);
    if (d < best) {
      best = d;
      role = r;
      tie = false;
    } else if (d === best && r !== role) tie = true;
  }
  // short words tolerate one slip ("détenue" is not "délégué"), longer ones two
  return best <= (w.length <= 8 ? 1 : 2) && !tie ? role : null;
}

/** Roles named in a folded piece of text, with their offsets. */
export function rolesDans(folded: string): Array<{ role: Role; start: number; end: number }> {
  const out: Array<{ role: Role; start: number; end: number }> = [];
  for (const m of folded.matchAll(/\b(?:partenaire[-\s]?)?[a-z]e[a-z]{3,11}s?\b/g)) {
    const r = roleDuMot(m[0].replace(/s$/, ''));
    if (r) out.push({ role: r, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

// "Entre les soussignés", "Entre les Membres soussignés", "Entre les parties ci-dessous désignées"
const ENTRE =
  /^[a-z]ntre\b\s*(?:les\s+(?:(?:membres|parties)\s+)?(?:soussigne(?:e)?s|ci-dessous\s+designe(?:e)?s)\s*|les\s+(?:membres|parties)\s*(?=[:,]|$))?[:,]?\s*/;
const SEPARATEUR = /^[ef]t\s*[:,]?\s*$/;
const SEPARATEUR_NOM = /^et\s*[:,]?\s+(?!ensemble\b)(?=\S)/;
const FIN_BLOCS =
  /^(?:vu\b|preambule|il a ete|il est convenu|considerant|et ensemble|ensemble\b|ci-apres (?:ensemble|conjointement|designes)|article\s|titre\s|chapitre\s|les parties\b|sommaire|objet\b|conviennent\b|il a ete convenu)/;
const PART = /^d'(?:une|autre)\s+part\b/;

type Marque = 'adresse' | 'representant' | 'alias';
const MARQUES: Array<[Marque, RegExp]> = [
  [
    'adresse',
    /\b(?:adresse(?: postale)?|siege(?: social)?|dont le siege(?: social)? est(?: situe)?|sise?|situee?|domiciliee?)\b\s*(?:[:,]\s*)?(?:(?:au|a|en)\s+)?/g,
  ],
  ['representant', /\b(?:represente(?:e|\(e\))?s?\s+par|en la personne de)\b\s*:?\s*/g],
  [
    'alias',
    /\b(?:(?:denomme|designe|appele|nomme)(?:e|\(e\))?s?\s+)?ci-?\s?apres\b\s*(?:(?:denomme|designe|appele|nomme)(?:e|\(e\))?s?)?\s*:?\s*/g,
  ],
];

interface Bloc {
  lignes: Array<{ ligne: Ligne; from: number }>;
}

function trimValue(doc: Document, l: Ligne, from: number, to: number): Span | null {
  let b = to;
  // trailing separators and "d'une part"
  const tail = l.folded.slice(from, to);
  const part = /,?\s*d'(?:une|autre)\s+part\s*[,;.]?\s*$/.exec(tail);
  if (part) b = from + part.index;
  while (b > from && /[\s,;:]/.test(l.text.charAt(b - 1))) b--;
  let a = from;
  while (a < b && /[\s,;:]/.test(l.text.charAt(a))) a++;
  if (b <= a) return null;
  return doc.spanIn(l, a, b);
}

function lireBloc(doc: Document, bloc: Bloc, warnings: string[]): PartieLue {
  const p: PartieLue = {
    nom: null,
    nomAffiche: null,
    adresse: null,
    representant: null,
    role: null,
    libelleRole: null,
    alias: [],
    cles: [],
    estDinum: false,
  };
  const rolesVus: Role[] = [];
  let derniere: Marque | null = null;
  for (const { ligne: l, from } of bloc.lignes) {
    const found: Array<{ kind: Marque; start: number; end: number }> = [];
    for (const [kind, re] of MARQUES) {
      re.lastIndex = from;
      for (const m of l.folded.matchAll(re)) {
        if (m.index! < from) continue;
        found.push({ kind, start: m.index!, end: m.index! + m[0].length });
        break;
      }
    }
    found.sort((a, b) => a.start - b.start);
    // an address that goes on on the next line ("75007 Paris", "TSA 30719", "CS 1234")
    if (
      !found.length &&
      p.adresse &&
      derniere === 'adresse' &&
      /^(?:\d{5}\b|tsa\b|cs\b|bp\b|cedex\b)/.test(l.folded) &&
      l.text.length <= 80
    ) {
      p.adresse = doc.spanTrim(p.adresse.start, l.start + l.text.length);
      continue;
    }
    derniere = found.at(-1)?.kind ?? null;
    const firstMark = found[0]?.start ?? l.text.length;
    if (!p.nom && firstMark > from) {
      const nom = trimValue(doc, l, from, firstMark);
      if (nom && !PART.test(l.folded.slice(nom.start - l.start))) p.nom = nom;
    }
    for (const [i, f] of found.entries()) {
      const to = found[i + 1]?.start ?? l.text.length;
      if (f.kind === 'adresse' && !p.adresse) p.adresse = trimValue(doc, l, f.end, to);
      else if (f.kind === 'representant' && !p.representant) p.representant = trimValue(doc, l, f.end, to);
      else if (f.kind === 'alias') {
        const clause = l.text.slice(f.end, to);
        const quoted = [...clause.matchAll(/[«“"]\s*([^«»“”"]{1,80}?)\s*[»”"]/g)];
        const segments = quoted.length
          ? quoted.map((q) => {
              const text = q[1]!;
              return { text, start: f.end + q.index + q[0].indexOf(text) };
            })
          : [{ text: clause.replace(/[,;.]\s*$/, ''), start: f.end }];
        for (const seg of segments) {
          const roles = rolesDans(l.folded.slice(seg.start, seg.start + seg.text.length));
          if (roles.length) {
            for (const r of roles) rolesVus.push(r.role);
            if (!p.libelleRole) p.libelleRole = doc.span(l.start + seg.start, l.start + seg.start + seg.text.length);
          } else if (quoted.length) {
            const court = seg.text.replace(/^(?:les?|la|l')\s*/i, '').trim();
            if (court && court.length <= 40) p.alias.push(court);
          }
        }
      }
    }
  }
  const distincts = [...new Set(rolesVus)];
  if (distincts.length === 1) p.role = distincts[0] ?? null;
  else if (distincts.length > 1) {
    p.role = rolesVus[0] ?? null;
    warnings.push(
      `La partie « ${p.nom?.text ?? '?'} » est désignée à la fois comme délégant et comme délégataire : rôle à vérifier.`,
    );
  }
  if (p.nom) {
    const nom = p.nom.text;
    const folded = doc.folded.slice(p.nom.start, p.nom.end);
    // a short name ("la DNUM") completes the name; a common noun ("le partenaire") does not
    const alias = p.alias.find(
      (a) => /\p{Lu}/u.test(a) && !new RegExp(`(^|[^\\p{L}])${escapeRegex(a)}($|[^\\p{L}])`, 'iu').test(nom),
    );
    p.nomAffiche = alias ? `${nom} (${alias})` : nom;
    const cles = new Set<string>();
    cles.add(folded.replace(/^(?:le|la|les|l')\s*/, ''));
    for (const m of folded.matchAll(/\(([^)]{2,40})\)/g)) cles.add(m[1]!.trim());
    // "le ministère de l'intérieur, secrétariat général, …" is also called by its head
    const tete = /^(?:le|la|les|l')?\s*([^,(«]{3,80}?)\s*[,(«]/.exec(folded);
    if (tete) cles.add(tete[1]!);
    for (const a of p.alias)
      cles.add(
        a
          .toLowerCase()
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, ''),
      );
    p.cles = [...cles].filter((c) => c.length >= 3);
    p.estDinum = [...cles].some((c) => /\bdinum\b|direction interministerielle du numerique/.test(c));
  }
  return p;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Which party a folded line mentions, by its names and short names. */
export function partieNommee(parties: PartieLue[], folded: string): number | null {
  let hit: number | null = null;
  parties.forEach((p, i) => {
    if (p.cles.some((c) => new RegExp(`(^|[^a-z])${escapeRegex(c)}($|[^a-z])`).test(folded)))
      hit = hit === null ? i : hit === i ? i : -1;
  });
  return hit === -1 ? null : hit;
}

/**
 * Where the first party starts when the text has no "Entre": the paragraph before a lone "Et" line, when
 * it describes a party (an address or a representative); -1 otherwise.
 */
function debutSansEntre(doc: Document, et: number): number {
  let k = et - 1;
  while (k >= 0 && doc.lignes[k]!.text.trim() === '') k--;
  let debut = -1;
  for (let n = 0; k >= 0 && n < 6 && doc.lignes[k]!.text.trim() !== ''; k--, n++) {
    const f = doc.lignes[k]!.folded;
    if (/\brepresente(?:e|\(e\))?s?\s+par\b|\bsise?\b|\bdont le siege\b|\badresse\b/.test(f)) debut = k;
  }
  return debut;
}

/** Reads the party blocks in the first lines of the text. */
export function lireParties(doc: Document): PartiesLues {
  const warnings: string[] = [];
  const lignes = doc.lignes;
  const limite = Math.min(lignes.length, 400);
  let i = 0;
  let sansEntre = -1;
  for (; i < limite; i++) {
    const f = lignes[i]!.folded;
    if (ENTRE.test(f)) break;
    if (sansEntre < 0 && SEPARATEUR.test(f)) sansEntre = debutSansEntre(doc, i);
    if (/^article\s+(?:1|1er|premier|i)\b/.test(f) || FIN_BLOCS.test(f)) {
      if (sansEntre >= 0) break;
      return { parties: [], fin: 0, warnings };
    }
  }
  if (i >= limite && sansEntre < 0) return { parties: [], fin: 0, warnings };

  const premier: Bloc = { lignes: [] };
  const blocs: Bloc[] = [premier];
  if (i < limite && ENTRE.test(lignes[i]!.folded)) {
    const first = lignes[i]!;
    const m = ENTRE.exec(first.folded)!;
    if (m[0].length < first.text.length) premier.lignes.push({ ligne: first, from: m[0].length });
  } else {
    // no "Entre": the first party is the paragraph just before the first "Et"
    i = sansEntre;
    premier.lignes.push({ ligne: lignes[i]!, from: 0 });
  }
  let fin = i + 1;
  let nonBlank = 0;
  for (let j = i + 1; j < lignes.length && j < i + 60; j++) {
    const l = lignes[j]!;
    fin = j + 1;
    if (l.text.trim() === '') continue;
    const f = l.folded;
    if (PART.test(f)) continue;
    const bloc = blocs.at(-1)!;
    if (SEPARATEUR.test(f) && blocs.length === 1) {
      blocs.push({ lignes: [] });
      nonBlank = 0;
      continue;
    }
    const sep = SEPARATEUR_NOM.exec(f);
    if (sep && blocs.length === 1 && bloc.lignes.length > 0) {
      blocs.push({ lignes: [{ ligne: l, from: sep[0].length }] });
      nonBlank = 1;
      continue;
    }
    if (FIN_BLOCS.test(f) || nonBlank >= 12) {
      fin = j;
      break;
    }
    bloc.lignes.push({ ligne: l, from: 0 });
    nonBlank++;
  }
  const parties = blocs.filter((b) => b.lignes.length > 0).map((b) => lireBloc(doc, b, warnings));
  if (parties.length < 2) warnings.push('Les deux parties (« Entre … Et … ») n’ont pas été trouvées en tête du texte.');
  return { parties, fin, warnings };
}
