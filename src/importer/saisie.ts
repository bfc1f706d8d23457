/** From what was read off a document to what a person would enter: the domain's `ConventionSaisie`. */
import { PHASES, conventionVide, type ConventionSaisie, type Phase, type Statut } from '../domain/convention.js';
import { eurosToCentimes } from '../domain/money.js';
import type { Extraction, PartieExtraite } from './extract.js';

/** A sum with more digits than a number holds exactly is left for the person to type: never rounded. */
const cents = (v: number | null) =>
  v === null || !Number.isSafeInteger(Math.round(v * 100)) ? null : eurosToCentimes(v);

/** "accélération" → "acceleration"; a phase outside the beta.gouv.fr list is left out. */
function phaseDepuisTexte(v: string | null): Phase | null {
  if (!v) return null;
  const p = v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
  return (PHASES as readonly string[]).includes(p) ? (p as Phase) : null;
}

function partie(p: PartieExtraite): ConventionSaisie['delegant'] {
  return {
    nom: p.name ?? '',
    nomCourt: p.short_name,
    adresse: p.address,
    representant: p.representative,
    libelleRole: p.role_label,
    siret: null,
  };
}

const borne = (v: string | null, max: number) => (v === null ? null : v.length > max ? `${v.slice(0, max - 1)}…` : v);

/** Who owes each commitment, as the convention's two parties: the DINUM and the partner resolved to their role. */
function obligations(x: Extraction): ConventionSaisie['obligations'] {
  const dinum = x.dinum_role === 'delegant' || x.dinum_role === 'delegataire' ? x.dinum_role : null;
  const partenaire = dinum === 'delegant' ? 'delegataire' : dinum === 'delegataire' ? 'delegant' : null;
  const out: ConventionSaisie['obligations'] = [];
  for (const o of x.clauses.obligations) {
    const texte = borne(o.text, 2000)!;
    if (o.party === 'delegant' || o.party === 'delegataire') out.push({ partie: o.party, texte });
    else if (o.party === 'dinum' && dinum) out.push({ partie: dinum, texte });
    else if (o.party === 'partenaire' && partenaire) out.push({ partie: partenaire, texte });
    else if (o.party === 'equipe' && partenaire)
      out.push({ partie: partenaire, texte: borne(`Équipe du service : ${o.text}`, 2000)! });
    else if (o.party === 'parties') {
      out.push({ partie: 'delegant', texte }, { partie: 'delegataire', texte });
    }
  }
  return out.slice(0, 200);
}

export function versSaisie(x: Extraction, statut: Statut): ConventionSaisie {
  const c = conventionVide();
  return {
    ...c,
    nature: x.kind ?? 'other',
    statut,
    roleDinum: x.dinum_role === 'delegant' || x.dinum_role === 'delegataire' ? x.dinum_role : 'autre',
    delegant: partie(x.delegant),
    delegataire: partie(x.delegataire),
    produits: x.service_name ? [x.service_name] : [],
    objetVerbe: x.object_verb,
    phase: phaseDepuisTexte(x.phase),
    uo: x.uo,
    programmeBop: x.programme_bop,
    imputation: {
      domaineFonctionnel: x.chorus.domaine_fonctionnel,
      centreFinancier: x.chorus.centre_financier,
      activite: x.chorus.activite,
      centreDeCout: x.chorus.centre_de_cout,
      axeMinisteriel: x.chorus.axe_ministeriel,
      extra: { ...(x.chorus.extra ?? {}) },
    },
    comptableAssignataire: x.comptable_assignataire,
    echeancier: (x.schedule ?? []).map((l) => ({
      annee: l.year,
      aeCentimes: cents(l.ae_eur),
      cpCentimes: cents(l.cp_eur),
    })),
    totalAeCentimes: cents(x.total_ae_eur),
    cofinancementFastCentimes: cents(x.fast_cofinancing_eur),
    tranches: (x.tranches ?? []).map((t) => ({ partPct: t.share_pct, condition: t.condition })),
    dateSignature: x.signature_date,
    dateFin: x.end_date,
    dureeMois: x.duration_months,
    preavisMois: x.notice_months,
    promotionFast: borne(x.clauses.fast?.promotion ?? null, 100),
    comite: {
      periodiciteMois: x.committee_period_months,
      presidence: borne(x.clauses.committee.chair, 500),
      invites: borne(x.clauses.committee.invited, 500),
    },
    obligations: obligations(x),
    rgpd: (x.clauses.rgpd ?? []).slice(0, 100).map((r) => ({
      theme: borne(r.row, 500)!,
      dinum: borne(r.dinum ?? '', 5000)!,
      partenaire: borne(r.partner ?? '', 5000)!,
    })),
    destinatairesCopie: borne(x.clauses.copies_to.join(' ; ') || null, 1000),
    publication: borne(
      x.clauses.publication.map((p) => (p.by ? `${p.channel} (par ${p.by})` : p.channel)).join(' ; ') || null,
      1000,
    ),
  };
}
