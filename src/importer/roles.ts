/** Which party is the délégant and which the délégataire: header labels, appositions in the articles, signatures. */
import { type Role, type PartieLue, rolesDans, partieNommee } from './parties.js';
import type { Document } from './text.js';
const ROLE_FR: Record<Role, string> = { delegant: 'délégant', delegataire: 'délégataire' };

export function attribuerRoles(
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
      const a = appositions.find((x) => x.partie === 0 || x.partie === 1) ?? lirePhraseDeRoles(doc, parties, warnings);
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

/** The party a piece of folded text begins with, read up to the next clause. */
function partieEnTete(parties: PartieLue[], folded: string): number | null {
  const fin = folded.search(/[,;:(]|\s(?:au profit|par|pour|afin|dans|des credits|une subvention|d'un montant)\b/);
  return partieNommee(parties, fin > 0 ? folded.slice(0, fin) : folded.slice(0, 80));
}

const AU_PROFIT = /\bau (?:profit|benefice) (?:de la |de l'|du |des |de |d')\s?/g;
const PAR =
  /\b(?:delegation de gestion|deleguee?s?|consentie?s?|confiee?s?|accordee?s?|attribuee?s?|versee?s?|octroyee?s?|subvention)\s(?:[^.;]{0,80}?\s)?par\s/g;
const ATTRIBUE =
  /\b(?:attribue|accorde|verse|alloue|octroie|delegue|confie)(?:nt)?\s(?:(?:une subvention|des credits)\s(?:[^.;]{0,60}?\s)?)?(?:a la |a l'|au |aux |a )\s?/g;
const SUBVENTION_A = /\bsubvention\s(?:[^.;]{0,60}?\s)?(?:a la |a l'|au |aux )\s?/g;

/**
 * Roles stated by a sentence rather than by labels: "la délégation de gestion par la DGCS au profit de la
 * DINUM", "la DINUM attribue au GIP une subvention". The party that gives (délègue, attribue) is read as
 * délégant, the one that receives as délégataire, and a warning says so.
 */
function lirePhraseDeRoles(
  doc: Document,
  parties: PartieLue[],
  warnings: string[],
): { partie: number; role: Role; texte: string } | null {
  for (const l of doc.lignes) {
    if (
      l.text.length > 20000 ||
      !/au (?:profit|benefice)|\bpar\s|attribu|accord|verse|allou|octroi|subvention|deleg|confi/.test(l.folded)
    )
      continue;
    for (const [a, b] of doc.phrasesDe(l)) {
      const f = l.folded.slice(a, b);
      const trouve = (re: RegExp, role: Role) => {
        for (const m of f.matchAll(re)) {
          const partie = partieEnTete(parties, f.slice(m.index + m[0].length, m.index + m[0].length + 160));
          if (partie !== null) return { partie, role };
        }
        return null;
      };
      const hit =
        trouve(AU_PROFIT, 'delegataire') ??
        trouve(ATTRIBUE, 'delegataire') ??
        trouve(SUBVENTION_A, 'delegataire') ??
        trouve(PAR, 'delegant');
      if (!hit) continue;
      const phrase = l.text.slice(a, b).trim();
      const cite = phrase.length > 160 ? `${phrase.slice(0, 157)}…` : phrase;
      warnings.push(
        `L'en-tête ne nomme pas les rôles : ils sont lus dans la phrase « ${cite} », qui fait de « ${parties[hit.partie]?.nom?.text ?? '?'} » le ${ROLE_FR[hit.role]}.`,
      );
      return { ...hit, texte: phrase };
    }
  }
  return null;
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
