/**
 * Reads one convention's text into the contract `convention-extract.schema.json`: every key present,
 * null where the text does not state it, amounts in whole euros, ISO dates, and for each value found the
 * span of the normalised text it was read from.
 */
import { addMonths, type DateIso } from '../domain/dates.js';
import { dateApres, dates, nombreAvant } from './french.js';
import {
  controlesFinanciers,
  lireChorus,
  lireEcheancier,
  lireFast,
  lireProgramme,
  lireTotal,
  lireTranches,
  lireUo,
  type Chorus,
  type LigneEcheancier,
} from './finances.js';
import { lireParties, partieNommee, rolesDans, type PartieLue, type Role } from './parties.js';
import { Document, normaliser, type Ligne, type Span } from './text.js';

export type Kind = 'delegation_de_gestion' | 'avenant' | 'convention_fast_subvention' | 'partenariat' | 'other';

export interface PartieExtraite {
  name: string | null;
  representative: string | null;
  address: string | null;
  /** short name the text gives the party ("DNUM"), beyond the contract */
  short_name: string | null;
  /** the role label as written ("le partenaire-délégataire"), beyond the contract */
  role_label: string | null;
}

export interface Extraction {
  source: string;
  kind: Kind | null;
  delegant: PartieExtraite;
  delegataire: PartieExtraite;
  dinum_role: 'delegant' | 'delegataire' | 'other' | null;
  service_name: string | null;
  object_verb: string | null;
  phase: string | null;
  uo: string | null;
  programme_bop: string | null;
  chorus: Chorus;
  schedule: LigneEcheancier[] | null;
  total_ae_eur: number | null;
  fast_cofinancing_eur: number | null;
  tranches: Array<{ share_pct: number; condition: string | null }> | null;
  signature_date: DateIso | null;
  end_date: DateIso | null;
  duration_months: number | null;
  notice_months: number | null;
  comptable_assignataire: string | null;
  committee_period_months: number | null;
  warnings: string[];
  provenance: Record<string, Span>;
}

export interface Resultat {
  extraction: Extraction;
  /** the normalised text the provenance spans point into */
  texte: string;
}

function partieVide(): PartieExtraite {
  return { name: null, representative: null, address: null, short_name: null, role_label: null };
}

/** JSON Pointer escaping of one path segment. */
export function pointeur(...segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

interface Article {
  numero: string;
  titre: string;
  debut: number;
  fin: number;
}

const ARTICLE =
  /^[a-z]rticle\s{1,3}(\d{1,2}|1er|premier|[ivx]{1,5})\b\s{0,3}(?:er\b)?\s{0,3}[:.\-–—]?\s{0,3}(.{0,200})$/;

function articles(doc: Document): Article[] {
  const out: Article[] = [];
  for (const l of doc.lignes) {
    if (l.text.length > 240) continue;
    const m = ARTICLE.exec(l.folded);
    if (!m) continue;
    const precedent = out.at(-1);
    if (precedent) precedent.fin = l.n;
    const numero = m[1] === 'premier' || m[1] === '1er' || m[1] === 'i' ? '1' : m[1]!;
    out.push({ numero, titre: m[2]!, debut: l.n, fin: doc.lignes.length });
  }
  return out;
}

function lignesDe(doc: Document, a: Article | undefined, defaut: [number, number]): Ligne[] {
  const [d, f] = a ? [a.debut, a.fin] : defaut;
  return doc.lignes.slice(d, f);
}

/** Sentences of some lines, with the line they belong to. */
function* phrasesDe(
  doc: Document,
  lignes: Ligne[],
  mot?: string,
): Generator<{ l: Ligne; a: number; b: number; f: string }> {
  for (const l of lignes) {
    if (!l.text || l.text.length > 20000 || (mot && !l.folded.includes(mot))) continue;
    for (const [a, b] of doc.phrasesDe(l)) yield { l, a, b, f: l.folded.slice(a, b) };
  }
}

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

/** Extracts every field of the contract from already-normalised text. */
export function extraireDocument(doc: Document, source = ''): Extraction {
  const warnings: string[] = [];
  const prov: Record<string, Span> = {};
  const lignes = doc.lignes;
  const arts = articles(doc);
  const art1 = arts.find((a) => a.numero === '1');
  const debutArticles = art1 ? art1.debut : 0;

  // parties and roles
  const lues = lireParties(doc);
  warnings.push(...lues.warnings);
  const { delegant, delegataire } = attribuerRoles(doc, lues.parties, warnings);
  const sortie = (p: PartieLue | null, cle: 'delegant' | 'delegataire'): PartieExtraite => {
    const out = partieVide();
    if (!p) return out;
    out.name = p.nomAffiche;
    out.address = p.adresse?.text.replace(/\s*\n\s*/g, ' ') ?? null;
    out.representative = p.representant?.text ?? null;
    out.short_name = p.alias[0] ?? null;
    out.role_label = p.libelleRole?.text ?? null;
    if (p.nom) prov[pointeur(cle, 'name')] = p.nom;
    if (p.adresse) prov[pointeur(cle, 'address')] = p.adresse;
    if (p.representant) prov[pointeur(cle, 'representative')] = p.representant;
    return out;
  };
  let dinumRole: Extraction['dinum_role'] = null;
  if (delegant?.estDinum && !delegataire?.estDinum) dinumRole = 'delegant';
  else if (delegataire?.estDinum && !delegant?.estDinum) dinumRole = 'delegataire';
  else if (delegant && delegataire) dinumRole = 'other';
  const dinum = dinumRole === 'delegant' ? delegant : dinumRole === 'delegataire' ? delegataire : null;
  if (dinum?.libelleRole) prov['/dinum_role'] = dinum.libelleRole;

  // kind, from the title
  const kind = lireNature(doc, lues.parties.length ? lues.fin : 40, prov);

  // object: service, verb, phase
  const objet = lignesDe(doc, art1, [0, lignes.length]);
  const service = lireService(doc, objet, lues.fin);
  if (service) prov['/service_name'] = service.span;
  const verbe = lireVerbe(doc, objet);
  if (verbe) prov['/object_verb'] = verbe.span;
  const phase = lirePhase(doc, debutArticles);
  if (phase) prov['/phase'] = phase.span;

  // finances
  const chorusLu = lireChorus(doc, lues.fin);
  for (const [k, s] of Object.entries(chorusLu.spans)) if (k !== 'extra' && s) prov[pointeur('chorus', k)] = s as Span;
  for (const [k, s] of Object.entries(chorusLu.spans.extra)) prov[pointeur('chorus', 'extra', k)] = s;
  const uos = lireUo(doc, chorusLu.lignes);
  let uo: string | null = null;
  const [premiereUo] = uos;
  if (premiereUo) {
    uo = premiereUo.value;
    prov['/uo'] = premiereUo.span;
    const distinct = [...new Set(uos.map((u) => u.value))];
    if (distinct.length > 1)
      warnings.push(`Le texte cite plusieurs UO (${distinct.join(', ')}) : la première a été retenue.`);
  } else if (chorusLu.chorus.centre_financier) {
    uo = chorusLu.chorus.centre_financier;
    if (chorusLu.spans.centre_financier) prov['/uo'] = chorusLu.spans.centre_financier;
  }
  const programme = chorusLu.programme ?? lireProgramme(doc);
  if (programme) prov['/programme_bop'] = programme.span;

  const ech = lireEcheancier(doc, lues.fin);
  let schedule: LigneEcheancier[] | null = null;
  if (ech) {
    schedule = ech.lignes;
    warnings.push(...ech.warnings);
    ech.spans.forEach((s, k) => {
      prov[pointeur('schedule', k, 'year')] = s.year;
      if (s.ae) prov[pointeur('schedule', k, 'ae_eur')] = s.ae;
      if (s.cp) prov[pointeur('schedule', k, 'cp_eur')] = s.cp;
    });
  }
  const declare = ech?.total ?? lireTotal(doc, lues.fin);
  let total: number | null = null;
  if (declare) {
    total = declare.value;
    prov['/total_ae_eur'] = declare.span;
  } else if (schedule && schedule.some((l) => l.ae_eur !== null)) {
    total = schedule.reduce((t, l) => t + (l.ae_eur ?? 0), 0);
    const firstAe = ech!.spans.find((s) => s.ae);
    if (firstAe?.ae && schedule.filter((l) => l.ae_eur !== null).length === 1) prov['/total_ae_eur'] = firstAe.ae;
  }
  const fast = lireFast(doc);
  if (fast) prov['/fast_cofinancing_eur'] = fast.span;
  const tr = lireTranches(doc, debutArticles || lues.fin);
  warnings.push(...tr.warnings);
  tr.tranches.forEach((t, k) => {
    prov[pointeur('tranches', k, 'share_pct')] = t.spanPct;
    if (t.spanCondition) prov[pointeur('tranches', k, 'condition')] = t.spanCondition;
  });

  // term and governance
  const signature = lireSignature(doc);
  if (signature) prov['/signature_date'] = signature.span;
  const duree = arts.find((a) => /\bduree\b|date d'effet|entree en vigueur|\bterme\b/.test(a.titre));
  const zoneDuree = lignesDe(doc, duree, [debutArticles, lignes.length]);
  const fin = lireFin(doc, zoneDuree);
  const mois = lireDuree(doc, zoneDuree);
  let endDate: DateIso | null = null;
  if (fin) {
    endDate = fin.value;
    prov['/end_date'] = fin.span;
  }
  if (mois) {
    prov['/duration_months'] = mois.span;
    const depart = mois.depuis ?? signature?.value ?? null;
    if (depart) {
      const parDuree = addMonths(depart, mois.value);
      if (!endDate) endDate = parDuree;
      else if (parDuree !== endDate)
        warnings.push(
          `La durée de ${mois.value} mois donne une fin au ${parDuree}, différente de la date de fin indiquée (${endDate}).`,
        );
    }
  }
  if (endDate && signature && endDate < signature.value)
    warnings.push(`La date de fin (${endDate}) précède la date de signature (${signature.value}).`);
  const preavis = lirePreavis(doc, lignes.slice(debutArticles));
  if (preavis) prov['/notice_months'] = preavis.span;
  const comite = lireComite(doc, lignes.slice(debutArticles));
  if (comite) prov['/committee_period_months'] = comite.span;
  const comptable = lireComptable(doc, lignes.slice(lues.fin)) ?? chorusLu.comptable;
  if (comptable) prov['/comptable_assignataire'] = comptable.span;

  warnings.push(
    ...controlesFinanciers({
      schedule,
      totalDeclare: declare?.value ?? null,
      uo,
      centreFinancier: chorusLu.chorus.centre_financier,
      fast: fast?.value ?? null,
      total,
      dinumDelegant: dinumRole === 'delegant',
    }),
  );

  return {
    source,
    kind,
    delegant: sortie(delegant, 'delegant'),
    delegataire: sortie(delegataire, 'delegataire'),
    dinum_role: dinumRole,
    service_name: service?.value ?? null,
    object_verb: verbe?.value ?? null,
    phase: phase?.value ?? null,
    uo,
    programme_bop: programme?.value ?? null,
    chorus: chorusLu.chorus,
    schedule,
    total_ae_eur: total,
    fast_cofinancing_eur: fast?.value ?? null,
    tranches: tr.tranches.length ? tr.tranches.map((t) => ({ share_pct: t.share_pct, condition: t.condition })) : null,
    signature_date: signature?.value ?? null,
    end_date: endDate,
    duration_months: mois?.value ?? null,
    notice_months: preavis?.value ?? null,
    comptable_assignataire: comptable?.value ?? null,
    committee_period_months: comite?.value ?? null,
    warnings: [...new Set(warnings)],
    provenance: prov,
  };
}

/** Normalises then extracts. */
export function extraire(raw: string, source = ''): Resultat {
  const texte = normaliser(raw);
  return { extraction: extraireDocument(new Document(texte), source), texte };
}

const ROLE_FR: Record<Role, string> = { delegant: 'délégant', delegataire: 'délégataire' };

function attribuerRoles(
  doc: Document,
  parties: PartieLue[],
  warnings: string[],
): { delegant: PartieLue | null; delegataire: PartieLue | null } {
  const [p1, p2] = parties;
  if (!p1) return { delegant: null, delegataire: null };
  // appositions in the body ("du délégant (la DINUM)") name a role too
  const appositions = lireAppositions(doc, parties);
  if (p2) {
    if (p1.role && p2.role && p1.role === p2.role) {
      warnings.push(`Les deux parties sont désignées comme ${ROLE_FR[p1.role]} dans l'en-tête : rôles à vérifier.`);
      p2.role = p1.role === 'delegant' ? 'delegataire' : 'delegant';
    } else if (p1.role && !p2.role) p2.role = p1.role === 'delegant' ? 'delegataire' : 'delegant';
    else if (!p1.role && p2.role) p1.role = p2.role === 'delegant' ? 'delegataire' : 'delegant';
    else if (!p1.role && !p2.role) {
      const a = appositions.find((x) => x.partie === 0 || x.partie === 1);
      if (a) {
        const [nommee, autre] = a.partie === 0 ? [p1, p2] : [p2, p1];
        nommee.role = a.role;
        autre.role = a.role === 'delegant' ? 'delegataire' : 'delegant';
      } else {
        warnings.push(
          `Le texte ne dit pas quelle partie est le délégant et laquelle est le délégataire (« ${p1.nom?.text ?? '?'} », « ${p2.nom?.text ?? '?'} ») : rôles à préciser.`,
        );
        return { delegant: null, delegataire: null };
      }
    }
  } else if (!p1.role) return { delegant: null, delegataire: null };

  for (const a of appositions) {
    const p = parties[a.partie];
    if (p?.role && p.role !== a.role) {
      warnings.push(
        `Le texte désigne « ${a.texte} » comme ${ROLE_FR[a.role]} alors que l'en-tête en fait le ${ROLE_FR[p.role]} : rôles à vérifier.`,
      );
    }
  }
  for (const s of lireSignatures(doc, parties)) {
    const p = parties[s.partie];
    if (p?.role && p.role !== s.role) {
      warnings.push(
        `Les signatures désignent « ${s.texte} » comme ${ROLE_FR[s.role]} alors que l'en-tête en fait le ${ROLE_FR[p.role]} : rôles à vérifier.`,
      );
    }
  }
  const find = (r: Role) => parties.find((p) => p.role === r) ?? null;
  return { delegant: find('delegant'), delegataire: find('delegataire') };
}

/** "le délégant (la DINUM)", "au délégataire, la DNUM," in the articles. */
function lireAppositions(doc: Document, parties: PartieLue[]): Array<{ partie: number; role: Role; texte: string }> {
  const out: Array<{ partie: number; role: Role; texte: string }> = [];
  // "le délégant (la DINUM)", "le délégant, la DINUM," / "la DINUM (délégant)", "la DINUM, délégant,"
  const formes: Array<{ re: RegExp; role: number; nom: number }> = [
    {
      re: /\b((?:partenaire-?)?d[a-z]{5,12})\s?(?:\(\s?((?:la |le |l')?[^(),;]{2,40}?)\)|,\s((?:la |le |l')[^(),;]{2,40}?),)/g,
      role: 1,
      nom: 2,
    },
    {
      re: /(?:^|[\s(])((?:la |le |l')?[a-z][^(),;]{1,40}?)(?:\s?\(\s?|,\s(?:en (?:qualite de|tant que)\s)?)((?:partenaire-?)?d[a-z]{5,12})(?:\)|,)/g,
      role: 2,
      nom: 1,
    },
  ];
  for (const l of doc.lignes) {
    if (l.text.length > 20000 || !/deleg/.test(l.folded)) continue;
    for (const { re, role, nom } of formes) {
      for (const m of l.folded.matchAll(re)) {
        const roles = rolesDans(m[role]!);
        const n = m[nom] ?? m[nom + 1];
        if (roles.length !== 1 || !n) continue;
        const partie = partieNommee(parties, n);
        if (partie === null) continue;
        const at = m.index! + m[0].indexOf(n);
        out.push({ partie, role: roles[0]!.role, texte: l.text.slice(at, at + n.length) });
      }
    }
  }
  return out;
}

/** Role words in the signature block and the party they stand next to. */
function lireSignatures(doc: Document, parties: PartieLue[]): Array<{ partie: number; role: Role; texte: string }> {
  const out: Array<{ partie: number; role: Role; texte: string }> = [];
  let fait = -1;
  for (const l of doc.lignes) if (/^(?:[a-z]ait|signe)\s(?:a|en)\b/.test(l.folded)) fait = l.n;
  if (fait < 0) return out;
  for (let i = fait + 1; i < doc.lignes.length && i < fait + 40; i++) {
    const l = doc.lignes[i]!;
    if (/^annexe\b/.test(l.folded)) break;
    const roles = rolesDans(l.folded);
    if (roles.length !== 1) continue;
    let partie = partieNommee(parties, l.folded);
    let texte = l.text;
    if (partie === null) {
      const next = doc.suivante(i, 2);
      if (next && rolesDans(next.folded).length === 0) {
        partie = partieNommee(parties, next.folded);
        texte = next.text;
      }
    }
    if (partie !== null) out.push({ partie, role: roles[0]!.role, texte: texte.replace(/[,;:]$/, '') });
  }
  return out;
}

function lireNature(doc: Document, finEntete: number, prov: Record<string, Span>): Kind | null {
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

/** The service or programme funded: Article 1's "service numérique X", else the preamble, else the title. */
function lireService(doc: Document, objet: Ligne[], finEntete: number): { value: string; span: Span } | null {
  const patterns = [
    /\b(?:service|produit)s?\s(?:public\s)?(?:numerique|digital)s?\s/g,
    /\bstart-?ups?\s(?:d'etat\s)?/g,
    /\bproduit\s/g,
  ];
  const scan = (zone: Ligne[]) => {
    for (const re of patterns) {
      for (const l of zone) {
        if (l.text.length > 20000) continue;
        for (const m of l.folded.matchAll(re)) {
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
function lireVerbe(doc: Document, objet: Ligne[]): { value: string; span: Span } | null {
  for (const { l, a, f } of phrasesDe(doc, objet)) {
    if (!/pour objet|a pour but|vise a|objet de la/.test(f) && !/\bafin (?:de|d')/.test(f)) continue;
    const m =
      /\bafin (?:de\s|d')\s?([a-z]+(?:er|ir|re|oir))\b/.exec(f) ??
      /\bpour objet (?:de\s|d')\s?([a-z]+(?:er|ir|re|oir))\b/.exec(f);
    const verbe = m?.[1];
    if (!m || !verbe || VERBES_CADRE.has(verbe)) continue;
    const s = l.start + a + m.index + m[0].length - verbe.length;
    const span = doc.span(s, s + verbe.length);
    return { value: span.text.toLowerCase(), span };
  }
  return null;
}

/** The phase the spending covers: "couvre les opérations de dépenses liées à la phase d'accélération". */
function lirePhase(doc: Document, debut: number): { value: string; span: Span } | null {
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

/** "Fait à Paris, le 31/03/2021", the date possibly on a following line; the last signature counts. */
function lireSignature(doc: Document): { value: DateIso; span: Span } | null {
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
function lireFin(doc: Document, zone: Ligne[]): { value: DateIso; span: Span } | null {
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
function lireDuree(doc: Document, zone: Ligne[]): { value: number; span: Span; depuis: DateIso | null } | null {
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
function lirePreavis(doc: Document, zone: Ligne[]): { value: number; span: Span } | null {
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
function lireComite(doc: Document, zone: Ligne[]): { value: number; span: Span } | null {
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
function lireComptable(doc: Document, zone: Ligne[]): { value: string; span: Span } | null {
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
