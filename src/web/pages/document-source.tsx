import type { Child } from 'hono/jsx';
import type { Span } from '../../importer/text.js';

// The review page's source text: each value read is highlighted where it stands in the signed text, and
// each form field links to it.

/** Form field → where its value was read (JSON Pointer of the extraction). */
export function pointeurDuChamp(name: string): string | null {
  const fixes: Record<string, string> = {
    nature: '/kind',
    role_dinum: '/dinum_role',
    produits: '/service_name',
    objet_verbe: '/object_verb',
    phase: '/phase',
    uo: '/uo',
    programme_bop: '/programme_bop',
    total_ae_centimes: '/total_ae_eur',
    cofinancement_fast_centimes: '/fast_cofinancing_eur',
    comptable_assignataire: '/comptable_assignataire',
    date_signature: '/signature_date',
    date_fin: '/end_date',
    duree_mois: '/duration_months',
    preavis_mois: '/notice_months',
    'comite.periodicite_mois': '/committee_period_months',
    'comite.presidence': '/clauses/committee/chair',
    'comite.invites': '/clauses/committee/invited',
    promotion_fast: '/clauses/fast/promotion',
    destinataires_copie: '/clauses/copies_to/0',
    publication: '/clauses/publication/0/channel',
    'obligations.delegant': '/clauses/obligations/0/text',
    'obligations.delegataire': '/clauses/obligations/0/text',
  };
  const fixe = fixes[name];
  if (fixe) return fixe;
  let m = /^(delegant|delegataire)\.(nom|adresse|representant)$/.exec(name);
  if (m) return `/${m[1]}/${{ nom: 'name', adresse: 'address', representant: 'representative' }[m[2] as 'nom']}`;
  m = /^imputation\.(\w+)$/.exec(name);
  if (m) return `/chorus/${m[1]}`;
  m = /^echeancier\.(\d+)\.(annee|ae_centimes|cp_centimes)$/.exec(name);
  if (m) return `/schedule/${m[1]}/${{ annee: 'year', ae_centimes: 'ae_eur', cp_centimes: 'cp_eur' }[m[2] as 'annee']}`;
  m = /^tranches\.(\d+)\.(part_pct|condition)$/.exec(name);
  if (m) return `/tranches/${m[1]}/${m[2] === 'part_pct' ? 'share_pct' : 'condition'}`;
  return null;
}

/** HTML id of a span's anchor in the source text. */
export const ancre = (pointeur: string) =>
  `src${pointeur
    .replace(/~1/g, '-')
    .replace(/~0/g, '~')
    .replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/**
 * The normalised text with every span read highlighted: each stretch covered by one or more spans is a
 * `<mark>` (its title names the fields), and each span starts with an anchor the fields link to.
 */
export function TexteSource({
  texte,
  provenance,
  libelles,
}: {
  texte: string;
  provenance: Record<string, Span>;
  libelles: (ptr: string) => string;
}) {
  const spans = Object.entries(provenance).filter(([, s]) => s.start >= 0 && s.end <= texte.length && s.start <= s.end);
  const bornes = new Set<number>([0, texte.length]);
  for (const [, s] of spans) {
    bornes.add(s.start);
    bornes.add(s.end);
  }
  const points = [...bornes].sort((a, b) => a - b);
  const debuts = new Map<number, string[]>();
  for (const [p, s] of spans) debuts.set(s.start, [...(debuts.get(s.start) ?? []), p]);
  const out: Child[] = [];
  for (const [i, a] of points.slice(0, -1).entries()) {
    const b = points[i + 1] ?? a;
    for (const p of debuts.get(a) ?? []) out.push(<span id={ancre(p)} class="ancre-source" />);
    const morceau = texte.slice(a, b);
    const couvrants = spans.filter(([, s]) => s.start <= a && s.end >= b && s.end > s.start);
    out.push(
      couvrants.length ? (
        <mark class="lu" title={couvrants.map(([p]) => libelles(p)).join(' · ')}>
          {morceau}
        </mark>
      ) : (
        morceau
      ),
    );
  }
  for (const p of debuts.get(texte.length) ?? []) out.push(<span id={ancre(p)} class="ancre-source" />);
  return (
    <pre class="source-texte" tabindex={0} aria-label="Texte du document, valeurs lues surlignées">
      {out}
    </pre>
  );
}

const LIBELLES: Array<[RegExp, string]> = [
  [/^\/kind$/, 'Nature'],
  [/^\/(delegant|delegataire)\/name$/, 'Nom du $1'],
  [/^\/(delegant|delegataire)\/address$/, 'Adresse du $1'],
  [/^\/(delegant|delegataire)\/representative$/, 'Représentant du $1'],
  [/^\/dinum_role$/, 'Rôle de la DINUM'],
  [/^\/service_name$/, 'Service financé'],
  [/^\/object_verb$/, 'Verbe de l’objet'],
  [/^\/phase$/, 'Phase'],
  [/^\/uo$/, 'UO'],
  [/^\/programme_bop$/, 'Programme / BOP'],
  [/^\/chorus\/extra\/(.+)$/, 'Chorus — $1'],
  [/^\/chorus\/(\w+)$/, 'Chorus — $1'],
  [/^\/schedule\/(\d+)\/year$/, 'Échéancier, ligne $1 — année'],
  [/^\/schedule\/(\d+)\/ae_eur$/, 'Échéancier, ligne $1 — AE'],
  [/^\/schedule\/(\d+)\/cp_eur$/, 'Échéancier, ligne $1 — CP'],
  [/^\/total_ae_eur$/, 'Total AE'],
  [/^\/fast_cofinancing_eur$/, 'Cofinancement FAST'],
  [/^\/tranches\/(\d+)\/share_pct$/, 'Tranche $1 — part'],
  [/^\/tranches\/(\d+)\/condition$/, 'Tranche $1 — condition'],
  [/^\/signature_date$/, 'Date de signature'],
  [/^\/end_date$/, 'Date de fin'],
  [/^\/duration_months$/, 'Durée (mois)'],
  [/^\/notice_months$/, 'Préavis (mois)'],
  [/^\/comptable_assignataire$/, 'Comptable assignataire'],
  [/^\/committee_period_months$/, 'Périodicité du comité'],
];

export function libelleDuPointeur(ptr: string): string {
  const decoded = ptr.replace(/~1/g, '/').replace(/~0/g, '~');
  for (const [re, label] of LIBELLES) {
    const m = re.exec(decoded);
    if (m)
      return label.replace(
        /\$1/g,
        /^\d+$/.test(m[1] ?? '') ? String(Number(m[1]) + 1) : (m[1] ?? '').replace(/_/g, ' '),
      );
  }
  return decoded;
}
