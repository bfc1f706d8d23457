/**
 * What the articles commit each party to: the commitments under « s'engage à » / « par les présentes » /
 * « Dès la signature …, le délégant : », sentence by sentence or list item by list item, each with the
 * party that owes it and when it is due; and the reports the délégataire owes.
 */
import { type PartieLue, partieNommee, rolesDans } from './parties.js';
import { type Document, type Ligne, type Span, phrases } from './text.js';

export type PartieObligation = 'delegant' | 'delegataire' | 'dinum' | 'partenaire' | 'equipe' | 'parties';
export type Echeance = 'signature' | 'monthly' | 'six_monthly' | 'term' | 'continuous';
export type QuandRapport = 'monthly' | 'six_months' | 'term' | 'on_request' | 'year_end' | 'other';

export interface ObligationLue {
  party: PartieObligation;
  text: string;
  due: Echeance | null;
  span: Span;
}

export interface RapportLu {
  when: QuandRapport;
  what: string;
  span: Span;
}

/** The two parties with their roles, to resolve « la DINUM », « le MJ », « celui-ci » to a role. */
export interface Roles {
  parties: PartieLue[];
  delegant: PartieLue | null;
  delegataire: PartieLue | null;
}

const ENGAGE = /\b(?:s'engagent|s'engage|s'obligent|s'oblige)\s(?:a|au|aux|envers\s[^,;]{1,60}?\sa)\b\s?/;
const PAR_PRESENTES = /^(?:[-\s]*)par les presentes,\s/;
/** « Dès la signature de la présente convention, le délégant : » */
const DES_SIGNATURE = /^(?:des|a compter de|a) la signature\b[^:]{0,120},\s?([^,:]{2,80}?)\s?:\s*$/;
/** a subject and a future tense of a commitment verb: « La DINUM fournira au délégant … » */
const FUTUR =
  /^((?:le|la|les|l')\s?[^,;:]{1,80}?)\s(fournira|fourniront|transmettra|transmettront|remettra|remettront|devra|devront|mettra|mettront|communiquera|communiqueront)\b/;

/** « L'équipe pourra choisir … mais devra présenter … » */
const MAIS_DEVRA =
  /^((?:le|la|les|l')\s?[^,;:]{1,80}?)\s(?:pourra|pourront|peut|peuvent)\s[^.;]{1,200}?\smais\s(devra|devront)\b/;

function echeance(f: string): Echeance | null {
  if (
    /\b(?:des|a) la signature\b|\bsignature de la presente convention\b(?! la|\spar)/.test(f) &&
    !/\bsuivant(?:s|e|es)? la signature\b/.test(f)
  )
    return 'signature';
  if (/\bmensuel(?:le)?s?\b|\bchaque mois\b|\btous les mois\b|\bbase mensuelle\b/.test(f)) return 'monthly';
  if (/\bsemestriel(?:le)?s?\b|\btous les (?:six|6) mois\b|\bchaque semestre\b/.test(f)) return 'six_monthly';
  if (
    /\bau terme\b|\ba l'issue de la (?:presente )?convention\b|\ba la fin de la (?:presente )?convention\b|\ba l'echeance\b/.test(
      f,
    )
  )
    return 'term';
  if (/\bregulierement\b|\ben continu\b|\btout au long\b|\bsur la duree\b|\bpendant toute la duree\b/.test(f))
    return 'continuous';
  return null;
}

function roleDe(p: PartieLue | null | undefined, roles: Roles): 'delegant' | 'delegataire' | null {
  if (!p) return null;
  if (p === roles.delegant) return 'delegant';
  if (p === roles.delegataire) return 'delegataire';
  return null;
}

/** The party a subject names, resolved to a role where the text allows it. */
function partieDuSujet(sujet: string, roles: Roles, precedent: PartieObligation | null): PartieObligation | null {
  const s = sujet.trim();
  if (!s) return null;
  if (/\b(?:celui-ci|celle-ci|ce dernier|cette derniere|il|elle)\s*$/.test(s) && precedent) return precedent;
  const equipe = /\b(?:l'equipe|les equipes|l'intrapreneur|les intrapreneurs|l'intrapreneur\(e\))\b/.test(s);
  const nommee = partieNommee(roles.parties, s);
  const role = rolesDans(s);
  const partieLue = role.length === 1 ? role[0]!.role : nommee !== null ? roleDe(roles.parties[nommee], roles) : null;
  if (/\b(?:les partenaires|les parties|ensemble des parties|chacune des parties|les deux parties)\b/.test(s))
    return 'parties';
  if (partieLue && role.length <= 1) return partieLue;
  if (role.length > 1) return 'parties';
  if (/\bla dinum\b|\bdinum\b/.test(s)) {
    const dinum = roles.delegant?.estDinum ? 'delegant' : roles.delegataire?.estDinum ? 'delegataire' : null;
    return dinum ?? 'dinum';
  }
  if (/\ble partenaire\b|\bpartenaire\b/.test(s)) {
    const autre = roles.delegant?.estDinum ? 'delegataire' : roles.delegataire?.estDinum ? 'delegant' : null;
    return autre ?? 'partenaire';
  }
  if (equipe) return 'equipe';
  return null;
}

/** The last role named before `at` in a folded sentence (for « celui-ci »). */
function dernierRole(f: string, at: number, roles: Roles): PartieObligation | null {
  const r = rolesDans(f.slice(0, at)).at(-1);
  if (r) return r.role;
  return partieDuSujet(f.slice(Math.max(0, at - 60), at), roles, null);
}

const MARQUE_ITEM = /^(?:-\s+)?(?:o\s+(?=\p{Ll}))?/u;

function texteItem(doc: Document, l: Ligne): { text: string; span: Span } | null {
  const m = /^-\s+(?:o\s+(?=\p{Ll}))?/u.exec(l.text) ?? MARQUE_ITEM.exec(l.text);
  const from = m ? m[0].length : 0;
  let to = l.text.length;
  while (to > from && /[\s;:.,]/.test(l.text.charAt(to - 1))) to--;
  if (to <= from) return null;
  const span = doc.span(l.start + from, l.start + to);
  return { text: span.text, span };
}

/** An item that introduces sub-items: « … pour assurer : », « … notamment : », « … suivants : ». */
function ouvreSousListe(folded: string): boolean {
  const m = /([a-z]+)\s?:\s*$/.exec(folded);
  return !!m && /^(?:[a-z]+(?:er|ir|re)|notamment|suivants?|suivantes?|suit|savoir|dont|comme)$/.test(m[1]!);
}

function estItem(l: Ligne): boolean {
  return /^-\s+\S/.test(l.text) || /^\p{Ll}/u.test(l.text);
}

export interface EngagementsLus {
  obligations: ObligationLue[];
  reporting: RapportLu[];
}

const RAPPORT =
  /\brendre compte\b|\breporting\b|\bremontee\b|\btableau de bord\b|\brapport\b|\bbilan\b|\bcompte rendu\b/;

function quandRapport(f: string, due: Echeance | null): QuandRapport | null {
  if (due === 'monthly') return 'monthly';
  if (due === 'term') return 'term';
  if (/\bsix mois\b|\b6 mois\b|\bsemestriel/.test(f)) return 'six_months';
  if (/\ba la demande\b|\bsur demande\b/.test(f)) return 'on_request';
  if (/\bfin d'annee\b|\bfin de gestion\b|\bfin d'exercice\b/.test(f)) return 'year_end';
  return null;
}

/** Reads the commitments of the articles, from `debut` to the signature block. */
export function lireEngagements(doc: Document, debut: number, fin: number, roles: Roles): EngagementsLus {
  const obligations: ObligationLue[] = [];
  const reporting: RapportLu[] = [];
  const lignes = doc.lignes;
  let dernier: PartieObligation | null = null;
  const ajouter = (party: PartieObligation, text: string, span: Span, due: Echeance | null, f: string) => {
    if (!text.trim()) return;
    obligations.push({ party, text, due, span });
    const estRapport = RAPPORT.test(f) || (due === 'monthly' && /\bmise? a jour\b|\bcreation\b|\bremontee\b/.test(f));
    const quand = estRapport ? quandRapport(f, due) : null;
    if (quand && (party === 'delegataire' || party === 'partenaire' || party === 'equipe')) {
      reporting.push({ when: quand, what: text, span });
    }
  };

  for (let i = debut; i < fin && i < lignes.length; i++) {
    const l = lignes[i]!;
    if (!l.text || l.text.length > 20000) continue;
    for (const [a, b] of phrases(l.text)) {
      const f = l.folded.slice(a, b);
      let party: PartieObligation | null = null;
      let reste = -1;
      let dueIntro: Echeance | null = null;
      const e = ENGAGE.exec(f);
      const sig = DES_SIGNATURE.exec(f);
      const futur = FUTUR.exec(f.replace(/^[-\s]+/, '')) ?? MAIS_DEVRA.exec(f.replace(/^[-\s]+/, ''));
      if (e) {
        const avant = f.slice(0, e.index);
        const sujet = avant.slice(avant.lastIndexOf(',') + 1);
        const qui = / qui\s*$/.exec(avant);
        party = qui
          ? dernierRole(f, qui.index, roles)
          : (partieDuSujet(sujet.replace(/^par les presentes\s?/, ''), roles, dernier) ??
            partieDuSujet(avant, roles, dernier));
        reste = e.index + e[0].length;
      } else if (PAR_PRESENTES.test(f)) {
        const p = PAR_PRESENTES.exec(f)!;
        const verbe = /^((?:le|la|les|l')\s?[^,;:]{1,80}?)\s(?=[a-z]+(?:e|ent)\b)/.exec(f.slice(p[0].length));
        if (verbe) {
          party = partieDuSujet(verbe[1]!, roles, dernier);
          reste = p[0].length + verbe[0].length;
        }
      } else if (sig) {
        party = partieDuSujet(sig[1]!, roles, dernier);
        dueIntro = 'signature';
        reste = f.length;
      } else if (futur) {
        const off = f.length - f.replace(/^[-\s]+/, '').length;
        party = partieDuSujet(futur[1]!, roles, dernier);
        reste = off + futur.index + futur[0].length - futur[2]!.length;
      }
      if (!party || reste < 0) continue;
      dernier = party;
      let ta = reste;
      let tb = f.length;
      while (tb > ta && /[\s;.,]/.test(l.text.charAt(a + tb - 1))) tb--;
      const introduit = l.text.charAt(a + tb - 1) === ':';
      if (introduit) {
        tb--;
        while (tb > ta && /\s/.test(l.text.charAt(a + tb - 1))) tb--;
      }
      const dueSentence = dueIntro ?? echeance(f);
      if (!introduit && tb > ta) {
        while (ta < tb && /\s/.test(l.text.charAt(a + ta))) ta++;
        const span = doc.span(l.start + a + ta, l.start + a + tb);
        ajouter(party, span.text, span, dueSentence, f);
        continue;
      }
      if (!introduit) continue;
      // a list follows: one commitment per item, until a line that is not an item
      let j = i + 1;
      let blanks = 0;
      let parent: Echeance | null = null;
      let sousListe = false;
      for (; j < fin && j < lignes.length; j++) {
        const it = lignes[j]!;
        if (it.text.trim() === '') {
          if (++blanks > 1) break;
          continue;
        }
        blanks = 0;
        if (!estItem(it)) break;
        const t = texteItem(doc, it);
        if (!t) continue;
        const due: Echeance | null = echeance(it.folded) ?? (sousListe ? parent : null) ?? dueIntro;
        ajouter(party, t.text, t.span, due, it.folded);
        if (ouvreSousListe(it.folded)) {
          sousListe = true;
          parent = due;
        } else if (sousListe && /\.\s*$/.test(it.text)) sousListe = false;
      }
      i = j - 1;
      break;
    }
  }
  return { obligations, reporting };
}
