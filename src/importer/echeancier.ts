/**
 * The money of the financial article: the AE/CP schedule, totals, FAST co-financing, tranches and the checks
 * that tie them together.
 */
import { normaliserCode } from '../domain/convention.js';
import { celluleMontant, euros, montants, nombreEnLettres, type Cellule } from './french.js';
import { phrases, type Document, type Ligne, type Span } from './text.js';
import type { Lu } from './chorus.js';
export interface LigneEcheancier {
  year: number;
  ae_eur: number | null;
  cp_eur: number | null;
}

export interface EcheancierLu {
  lignes: LigneEcheancier[];
  spans: Array<{ year: Span; ae?: Span; cp?: Span }>;
  /** a "Total" row of the table */
  total: Lu<number> | null;
  warnings: string[];
}

function cellules(l: Ligne): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = 0;
  for (let i = 0; i <= l.text.length; i++) {
    if (i === l.text.length || l.text[i] === '\t') {
      out.push([s, i]);
      s = i + 1;
    }
  }
  return out;
}

const TETE_AE = /^(?:ae|a\.e\.?|autorisations? d'engagements?|montants? (?:en )?ae)\b/;
const TETE_CP = /^(?:cp|c\.p\.?|credits? de paiements?|montants? (?:en )?cp)\b/;
const ANNEE = /^(?:annee\s{0,2}|exercice\s{0,2})?((?:19|20)\d{2})\b/;

/** The AE/CP table: years in rows (or in columns), a blank cell is null, an explicit 0 is 0. */
export function lireEcheancier(doc: Document, debut: number): EcheancierLu | null {
  const lignes = doc.lignes;
  for (let i = debut; i < lignes.length; i++) {
    const h = lignes[i]!;
    if (!h.text.includes('\t') || h.text.length > 400) continue;
    const cells = cellules(h);
    const folded = cells.map(([a, b]) => h.folded.slice(a, b).trim());
    const ae = folded.findIndex((c) => TETE_AE.test(c));
    const cp = folded.findIndex((c) => TETE_CP.test(c));
    if (ae >= 0 && cp >= 0) {
      const r = lignesAnnees(doc, i, ae, cp, folded);
      if (r) return r;
    }
    if (
      folded.filter((c) => ANNEE.test(c)).length >= 1 &&
      folded.every((c) => c === '' || ANNEE.test(c) || /^(?:annees?|exercices?|total)$/.test(c))
    ) {
      const r = colonnesAnnees(doc, i, cells, folded);
      if (r) return r;
    }
  }
  return null;
}

function montant(
  doc: Document,
  l: Ligne,
  cell: [number, number] | undefined,
  year: number,
  warnings: string[],
): { value: number | null; span?: Span } {
  if (!cell) return { value: null };
  const txt = l.folded.slice(cell[0], cell[1]);
  const c: Cellule = celluleMontant(txt);
  if (c.kind === 'vide') return { value: null };
  const span = doc.spanIn(l, cell[0], cell[1]);
  if (c.kind === 'illisible') {
    warnings.push(`Échéancier ${year} : montant illisible « ${span.text} ».`);
    return { value: null };
  }
  return { value: c.value, span };
}

function lignesAnnees(doc: Document, head: number, ae: number, cp: number, tete: string[]): EcheancierLu | null {
  const out: EcheancierLu = { lignes: [], spans: [], total: null, warnings: [] };
  const yearCol = Math.max(
    0,
    tete.findIndex((c) => /^(?:annees?|exercices?)\b/.test(c)),
  );
  // a header without a cell over the years ("AE\tCP" above "2021\t…\t…") is one column short
  const shift = ae === 0 || cp === 0 ? 1 : 0;
  let blanks = 0;
  for (let j = head + 1; j < doc.lignes.length && j < head + 60; j++) {
    const l = doc.lignes[j]!;
    if (l.text.trim() === '') {
      if (++blanks > 1) break;
      continue;
    }
    blanks = 0;
    const cells = cellules(l);
    const cellAnnee = cells[yearCol];
    const first = l.folded.slice(cellAnnee?.[0] ?? 0, cellAnnee?.[1] ?? 0).trim();
    if (/^total\b/.test(first)) {
      const t = montant(doc, l, cells[ae + shift], 0, out.warnings);
      if (t.value !== null && t.span) out.total = { value: t.value, span: t.span };
      continue;
    }
    const y = ANNEE.exec(first);
    // a year was read, so its cell exists
    if (!y || !cellAnnee || cells.length < 2) break;
    const annee = y[1]!;
    const year = Number(annee);
    const at = l.text.indexOf(annee, cellAnnee[0]);
    const yearSpan = doc.span(l.start + at, l.start + at + annee.length);
    const a = montant(doc, l, cells[ae + shift], year, out.warnings);
    const c = montant(doc, l, cells[cp + shift], year, out.warnings);
    if (cells.length < Math.max(ae, cp) + shift + 1 && cells.slice(1).some(([s, e]) => l.text.slice(s, e).trim())) {
      out.warnings.push(
        `Échéancier ${year} : la ligne a moins de cellules que l'en-tête ; vérifiez la répartition AE / CP.`,
      );
    }
    out.lignes.push({ year, ae_eur: a.value, cp_eur: c.value });
    out.spans.push({ year: yearSpan, ae: a.span, cp: c.span });
  }
  return out.lignes.length ? out : null;
}

function colonnesAnnees(
  doc: Document,
  head: number,
  cells: Array<[number, number]>,
  tete: string[],
): EcheancierLu | null {
  const h = doc.lignes[head]!;
  const years = tete.map((c) => ANNEE.exec(c)).map((m) => (m ? Number(m[1]) : null));
  let aeLine: Ligne | null = null;
  let cpLine: Ligne | null = null;
  for (let j = head + 1; j < doc.lignes.length && j < head + 6; j++) {
    const l = doc.lignes[j]!;
    if (!l.text.includes('\t')) continue;
    // a line has at least one cell
    const first = l.folded.slice(0, cellules(l)[0]![1]).trim();
    if (TETE_AE.test(first)) aeLine = l;
    else if (TETE_CP.test(first)) cpLine = l;
  }
  if (!aeLine && !cpLine) return null;
  const out: EcheancierLu = { lignes: [], spans: [], total: null, warnings: [] };
  const aeCells = aeLine ? cellules(aeLine) : [];
  const cpCells = cpLine ? cellules(cpLine) : [];
  years.forEach((year, k) => {
    if (year === null) {
      if (tete[k] === 'total' && aeLine) {
        const t = montant(doc, aeLine, aeCells[k], 0, out.warnings);
        if (t.value !== null && t.span) out.total = { value: t.value, span: t.span };
      }
      return;
    }
    const a = aeLine ? montant(doc, aeLine, aeCells[k], year, out.warnings) : { value: null };
    const c = cpLine ? montant(doc, cpLine, cpCells[k], year, out.warnings) : { value: null };
    out.lignes.push({ year, ae_eur: a.value, cp_eur: c.value });
    // one header cell per year column
    const cell = cells[k]!;
    out.spans.push({ year: doc.spanIn(h, cell[0], cell[1]), ae: a.span, cp: c.span });
  });
  return out.lignes.length ? out : null;
}

/** A total the prose states ("pour un montant total de 200 000 €"). */
export function lireTotal(doc: Document, debut: number): Lu<number> | null {
  const re =
    /\b(?:montant|enveloppe|dotation|budget)\s(?:(?:total|global|maximum|maximal|plafond)(?:e|s)?\b|de la (?:delegation|convention|subvention)\b|des credits(?: delegues)?\b)|\bdans la limite (?:d'un montant )?(?:de|d')|\b(?:credits delegues|subvention),? d'un montant\b/g;
  for (let i = debut; i < doc.lignes.length; i++) {
    const l = doc.lignes[i]!;
    if (l.text.length > 20000 || !/montant|enveloppe|dotation|budget|limite/.test(l.folded)) continue;
    for (const m of l.folded.matchAll(re)) {
      const after = l.folded.slice(m.index!, m.index! + 120);
      const stop = after.search(/[.;:](?:\s|$)/);
      const zone = stop > 0 ? after.slice(0, stop) : after;
      // "porté de 120 000 € à 200 000 €": the amount it becomes
      const porte = /\bporte(?:e|s|es)?\s(?:de\s[^;]{1,40}?\s)?a\s/.exec(zone);
      const found = porte ? montants(zone).find((x) => x.start >= porte.index + porte[0].length) : montants(zone)[0];
      if (found) {
        const span = doc.span(l.start + m.index! + found.start, l.start + m.index! + found.end);
        return { value: found.value, span };
      }
    }
  }
  return null;
}

/** The amount the text says the FAST co-finances. */
export function lireFast(doc: Document): Lu<number> | null {
  for (const l of doc.lignes) {
    if (l.text.length > 20000 || !l.folded.includes('fast')) continue;
    for (const [a, b] of phrases(l.text)) {
      const f = l.folded.slice(a, b);
      const fast = /\bfast\b/.exec(f);
      if (!fast || !/co-?financ|laureat|au titre (?:du|de l'appel|de la promotion) fast|par le fast|subvention/.test(f))
        continue;
      const key = f.search(/co-?financ/);
      const anchor = key >= 0 ? key : fast.index;
      const found = montants(f).sort((x, y) => Math.abs(x.start - anchor) - Math.abs(y.start - anchor))[0];
      if (found) return { value: found.value, span: doc.span(l.start + a + found.start, l.start + a + found.end) };
    }
  }
  return null;
}

export interface TrancheLue {
  share_pct: number;
  condition: string | null;
  spanPct: Span;
  spanCondition: Span | null;
}

const VERSEMENT =
  /\b(?:(?:sera|seront|est|sont|etre)\s)?(?:mis|mise|mises|verse|versee|verses|versees|debloque|debloquee|debloques|debloquees|libere|liberee|liberes|liberees|delegue|deleguee|delegues|deleguees|alloue|allouee|alloues|allouees|ouverts?|ouvertes?)\b(?:\sa\sdispositions?)?/;
const POURCENT = /(?<![\d,.])(\d{1,3}(?:[.,]\d{1,2})?)\s?%/;

/** "50 % du montant sera mis à disposition dès la signature" → {50, "dès la signature de la convention"}. */
export function lireTranches(doc: Document, debut: number): { tranches: TrancheLue[]; warnings: string[] } {
  const tranches: TrancheLue[] = [];
  const warnings: string[] = [];
  let attendu: number | null = null;
  for (let i = debut; i < doc.lignes.length; i++) {
    const l = doc.lignes[i]!;
    if (l.text.length > 20000) continue;
    const temps = /\ben\s(\d|deux|trois|quatre|cinq)\s(?:temps|tranches|fois|versements)\b/.exec(l.folded)?.[1];
    if (temps !== undefined && attendu === null) attendu = /\d/.test(temps) ? Number(temps) : nombreEnLettres(temps);
    if (!l.text.includes('%')) continue;
    for (const [a, b] of phrases(l.text)) {
      const f = l.folded.slice(a, b);
      const pct = POURCENT.exec(f);
      if (!pct) continue;
      const trig = VERSEMENT.exec(f) ?? /\btranche\b/.exec(f);
      if (!trig) continue;
      const share = Number(pct[1]!.replace(',', '.'));
      if (!(share > 0 && share <= 100)) continue;
      let cs = a + Math.max(trig.index + trig[0].length, pct.index + pct[0].length);
      let ce = b;
      while (ce > cs && /[\s.;,]/.test(l.text.charAt(ce - 1))) ce--;
      while (cs < ce && /[\s,:]/.test(l.text.charAt(cs))) cs++;
      // "des crédits" after the share is not the condition
      const rest = l.folded.slice(cs, ce);
      const skip =
        /^(?:(?:du|des|de la|de l')\s(?:montant|credits?|sommes?|dotation|enveloppe)(?:\s(?:total|alloue|prevus?))?\s?)/.exec(
          rest,
        );
      if (skip) cs += skip[0].length;
      let spanCondition: Span | null = null;
      if (ce > cs && !VERSEMENT.test(l.folded.slice(cs, ce).slice(0, 30)))
        spanCondition = doc.span(l.start + cs, l.start + ce);
      else {
        // "À la signature, 50 % des crédits sont versés": the condition comes first
        let s0 = a;
        let e0 = a + pct.index;
        while (s0 < e0 && /[\s\-–*•]/.test(l.text.charAt(s0))) s0++;
        while (e0 > s0 && /[\s,;]/.test(l.text.charAt(e0 - 1))) e0--;
        const before = l.folded.slice(s0, e0);
        if (e0 > s0 && !/^(?:les|le|la|l'|un|une)?$/.test(before.trim()))
          spanCondition = doc.span(l.start + s0, l.start + e0);
      }
      tranches.push({
        share_pct: share,
        condition: spanCondition ? spanCondition.text : null,
        spanPct: doc.span(l.start + a + pct.index, l.start + a + pct.index + pct[0].length),
        spanCondition,
      });
    }
  }
  if (tranches.length) {
    const total = tranches.reduce((t, x) => t + x.share_pct, 0);
    if (Math.abs(total - 100) > 0.01)
      warnings.push(`Les tranches totalisent ${String(total).replace('.', ',')} % et non 100 %.`);
    if (attendu !== null && attendu !== tranches.length)
      warnings.push(`Le texte annonce ${attendu} tranches mais ${tranches.length} ont été lues.`);
  }
  return { tranches, warnings };
}

/** Cross-checks between the financial fields. */
export function controlesFinanciers(x: {
  schedule: LigneEcheancier[] | null;
  totalDeclare: number | null;
  uo: string | null;
  centreFinancier: string | null;
  fast: number | null;
  total: number | null;
  dinumDelegant: boolean;
}): string[] {
  const w: string[] = [];
  if (x.schedule) {
    const sumAe = x.schedule.reduce((t, l) => t + (l.ae_eur ?? 0), 0);
    if (
      x.totalDeclare !== null &&
      x.schedule.some((l) => l.ae_eur !== null) &&
      Math.abs(sumAe - x.totalDeclare) > 0.005
    ) {
      w.push(`Le total AE indiqué (${euros(x.totalDeclare)}) diffère de la somme de l'échéancier (${euros(sumAe)}).`);
    }
    let cumAe = 0;
    let cumCp = 0;
    for (const l of [...x.schedule].sort((a, b) => a.year - b.year)) {
      cumAe += l.ae_eur ?? 0;
      cumCp += l.cp_eur ?? 0;
      if (cumCp > cumAe + 0.005) {
        w.push(`En ${l.year}, les CP cumulés (${euros(cumCp)}) dépassent les AE cumulées (${euros(cumAe)}).`);
        break;
      }
    }
    const years = x.schedule.map((l) => l.year);
    if (new Set(years).size !== years.length) w.push('Une même année figure deux fois dans l’échéancier.');
  }
  if (x.uo && x.centreFinancier && normaliserCode(x.uo) !== normaliserCode(x.centreFinancier)) {
    w.push(`L'UO (${x.uo}) diffère du centre financier des références Chorus (${x.centreFinancier}).`);
  }
  if (x.fast !== null && x.total !== null && x.dinumDelegant && x.fast > x.total) {
    w.push(`Le cofinancement FAST (${euros(x.fast)}) dépasse le total AE (${euros(x.total)}).`);
  }
  return w;
}
