/**
 * Reads one convention's text into the contract `convention-extract.schema.json`: every key present,
 * null where the text does not state it, amounts in whole euros, ISO dates, and for each value found the
 * span of the normalised text it was read from.
 */
import { addMonths, type DateIso } from '../domain/dates.js';
import { lireChorus, lireProgramme, lireUo, type Chorus } from './chorus.js';
import {
  controlesFinanciers,
  lireEcheancier,
  lireFast,
  lireTotal,
  lireTranches,
  type LigneEcheancier,
} from './echeancier.js';
import { lireParties, type PartieLue } from './parties.js';
import { Document, normaliser, type Ligne, type Span } from './text.js';
import { type Kind, lireNature, lireService, lireVerbe, lirePhase } from './objet.js';
import { attribuerRoles } from './roles.js';
import { lireDateTitre, lireReferences, type References } from './entete.js';
import { lireSignature, lireFin, lireDuree, lirePreavis, lireComite, lireComptable } from './clauses.js';
import { lireEngagements, type Echeance, type PartieObligation, type QuandRapport } from './engagements.js';
import {
  lireComiteClauses,
  lireCopies,
  lireFastClauses,
  lireOrdonnateur,
  lirePublication,
  lireRgpd,
} from './gouvernance.js';

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
  clauses: Clauses;
  ocr: { pages: number; mean_confidence: number } | null;
  /** NOR and bulletin of a published text, beyond the contract */
  references: References;
}

export interface Clauses {
  obligations: Array<{ party: PartieObligation; text: string; due: Echeance | null }>;
  committee: { period_months: number | null; chair: string | null; invited: string | null };
  reporting: Array<{ when: QuandRapport; what: string }>;
  copies_to: string[];
  publication: Array<{ channel: string; by: string | null }>;
  fast: {
    promotion: string | null;
    cofinancing_eur: number | null;
    partner_matching_eur: number | null;
    partner_matching_within_months: number | null;
  } | null;
  rgpd: Array<{ row: string; dinum: string | null; partner: string | null }> | null;
  ordonnateur: boolean | null;
}

export function clausesVides(): Clauses {
  return {
    obligations: [],
    committee: { period_months: null, chair: null, invited: null },
    reporting: [],
    copies_to: [],
    publication: [],
    fast: null,
    rgpd: null,
    ordonnateur: null,
  };
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
function pointeur(...segments: Array<string | number>): string {
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

/** Extracts every field of the contract from already-normalised text. */
function extraireDocument(doc: Document, source = ''): Extraction {
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
  const references = lireReferences(doc, prov);

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
  // a text published in a bulletin may carry its date in the title only
  const signature = lireSignature(doc) ?? lireDateTitre(doc);
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

  // clauses: what the articles commit each party to
  const finArticles = finDesArticles(doc, debutArticles);
  const zoneArticles = lignes.slice(debutArticles, finArticles);
  const eng = lireEngagements(doc, debutArticles, finArticles, { parties: lues.parties, delegant, delegataire });
  eng.obligations.forEach((o, k) => (prov[pointeur('clauses', 'obligations', k, 'text')] = o.span));
  eng.reporting.forEach((r, k) => (prov[pointeur('clauses', 'reporting', k, 'what')] = r.span));
  const cc = lireComiteClauses(doc, zoneArticles);
  if (cc.chair) prov['/clauses/committee/chair'] = cc.chair.span;
  if (cc.invited) prov['/clauses/committee/invited'] = cc.invited.span;
  const copies = lireCopies(doc, zoneArticles);
  copies.forEach((c, k) => (prov[pointeur('clauses', 'copies_to', k)] = c.span));
  const publication = lirePublication(doc, zoneArticles);
  publication.forEach((p, k) => (prov[pointeur('clauses', 'publication', k, 'channel')] = p.span));
  const estFast = /\bfast\b/.test(doc.folded.slice(0, 400_000));
  const fc = estFast ? lireFastClauses(doc, debutArticles) : null;
  if (fc?.promotion) prov['/clauses/fast/promotion'] = fc.promotion.span;
  if (fc?.partner_matching_eur) prov['/clauses/fast/partner_matching_eur'] = fc.partner_matching_eur.span;
  if (fc?.partner_matching_within_months)
    prov['/clauses/fast/partner_matching_within_months'] = fc.partner_matching_within_months.span;
  const rgpd = lireRgpd(doc, finArticles);
  rgpd?.forEach((r, k) => (prov[pointeur('clauses', 'rgpd', k, 'row')] = r.span));
  const ordonnateur = lireOrdonnateur(doc, lignes.slice(lues.fin));
  if (ordonnateur) prov['/clauses/ordonnateur'] = ordonnateur.span;
  const clauses: Clauses = {
    obligations: eng.obligations.map(({ party, text, due }) => ({ party, text, due })),
    committee: {
      period_months: comite?.value ?? null,
      chair: cc.chair?.value ?? null,
      invited: cc.invited?.value ?? null,
    },
    reporting: eng.reporting.map(({ when, what }) => ({ when, what })),
    copies_to: copies.map((c) => c.value),
    publication: publication.map(({ channel, by }) => ({ channel, by })),
    fast: estFast
      ? {
          promotion: fc?.promotion?.value ?? null,
          cofinancing_eur: fast?.value ?? null,
          partner_matching_eur: fc?.partner_matching_eur?.value ?? null,
          partner_matching_within_months: fc?.partner_matching_within_months?.value ?? null,
        }
      : null,
    rgpd: rgpd ? rgpd.map(({ row, dinum, partner }) => ({ row, dinum, partner })) : null,
    ordonnateur: ordonnateur?.value ?? null,
  };

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
    clauses,
    ocr: null,
    references,
  };
}

/** The line where the articles stop: the signature block (« Fait à … ») or the first annex. */
function finDesArticles(doc: Document, debut: number): number {
  let fin = doc.lignes.length;
  for (let i = doc.lignes.length - 1; i > debut; i--) {
    const f = doc.lignes[i]!.folded;
    if (f.length > 300) continue;
    if (/^(?:[a-z]ait|signe)e?\s(?:a|en)\b/.test(f)) return i;
    if (/^annexe\b/.test(f)) fin = i;
  }
  return fin;
}

/** Normalises then extracts. */
export function extraire(raw: string, source = ''): Resultat {
  const texte = normaliser(raw);
  return { extraction: extraireDocument(new Document(texte), source), texte };
}
