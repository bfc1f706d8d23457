import { peutGererCredits, peutLireCredits, type Acteur, type PorteeConvention } from './acces.js';
import { formatEuros, type Centimes } from './money.js';

/**
 * E-mail notifications: who is told of an event and what they read. A recipient is chosen by the same
 * access rules as the pages, and a message holds only what the convention's page shows them.
 */
export type StatutEnvoi = 'a_envoyer' | 'envoye' | 'conserve' | 'abandonne';

export const LIBELLES_STATUTS_ENVOI: Record<StatutEnvoi, string> = {
  a_envoyer: 'À envoyer',
  envoye: 'Envoyé',
  conserve: 'Conservé (pas de serveur SMTP)',
  abandonne: 'Abandonné après plusieurs échecs',
};

/** A message as the « Envois » page shows it. */
export interface EnvoiListe {
  id: number;
  type: string;
  destinataire: string;
  sujet: string;
  texte: string;
  lien: string;
  statut: StatutEnvoi;
  tentatives: number;
  erreur: string | null;
  creeLe: Date;
  envoyeLe: Date | null;
}

export type TypeNotification = 'proposition_a_decider' | 'decision_proposition' | 'refus_insuffisance';

/** An agent who may receive e-mails: an actor with an address. */
export type Destinataire = Acteur & { email: string };

export interface Message {
  type: TypeNotification;
  /** the event's key and the recipient's: never two messages for one event and one person */
  cle: string;
  agentId: string;
  destinataire: string;
  sujet: string;
  texte: string;
  html: string;
  /** the page of the item, a path of the site */
  lien: string;
  conventionId: string | null;
}

export interface ConventionNotifiee {
  id: string;
  libelle: string;
  portee: PorteeConvention;
}

const echapper = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function message(
  type: TypeNotification,
  cle: string,
  d: Destinataire,
  c: ConventionNotifiee,
  sujet: string,
  paragraphes: string[],
  lien: string,
): Message {
  const salut = `Bonjour ${d.nom},`;
  return {
    type,
    cle: `${cle}:${d.id}`,
    agentId: d.id,
    destinataire: d.email,
    sujet,
    texte: [salut, '', ...paragraphes.flatMap((p) => [p, ''])].join('\n').trimEnd(),
    html: [`<p>${echapper(salut)}</p>`, ...paragraphes.map((p) => `<p>${echapper(p).replace(/\n/g, '<br>')}</p>`)].join(
      '\n',
    ),
    lien,
    conventionId: c.id,
  };
}

/** The link and the signature, added when the message leaves, with the site's public address. */
export function avecLien(
  m: Pick<Message, 'texte' | 'html' | 'lien'>,
  baseUrl: string,
): { texte: string; html: string } {
  const url = new URL(m.lien, baseUrl).toString();
  return {
    texte: `${m.texte}\n\nOuvrir dans Délégations : ${url}\n\n-- \nDélégations — beta.gouv.fr`,
    html: `${m.html}\n<p><a href="${echapper(url)}">Ouvrir dans Délégations</a></p>\n<p>— Délégations, beta.gouv.fr</p>`,
  };
}

export interface PropositionNotifiee {
  id: string;
  objet: string;
  montantCentimes: Centimes;
  annee: number;
  proposeParId: string;
  proposeParNom: string;
}

/** A proposal to decide: the ordonnateurs of the convention (its budget agents, or the délégataire partner). */
export function messagesPropositionADecider(
  c: ConventionNotifiee,
  p: PropositionNotifiee,
  agents: Destinataire[],
): Message[] {
  return agents
    .filter((a) => a.role !== 'administrateur' && a.id !== p.proposeParId && peutGererCredits(a, c.portee))
    .map((a) =>
      message(
        'proposition_a_decider',
        `proposition:${p.id}`,
        a,
        c,
        `[Délégations] Proposition à valider — ${c.libelle}`,
        [
          `${p.proposeParNom} propose un bon de commande sur la convention « ${c.libelle} » : ${p.objet}, ${formatEuros(p.montantCentimes)} d’AE ${p.annee}.`,
          'Vous pouvez la valider (le bon de commande est alors engagé, avec toutes les règles de plafond et de calendrier) ou la refuser avec un motif que l’équipe lira.',
        ],
        `/conventions/${c.id}/credits?annee=${p.annee}#proposition-${p.id}`,
      ),
    );
}

/** The decision on a proposal, to whoever proposed it, if they may still read the convention. */
export function messagesDecisionProposition(
  c: ConventionNotifiee,
  p: PropositionNotifiee,
  decision: { validee: boolean; motif: string | null; parNom: string; numero: string | null },
  agents: Destinataire[],
): Message[] {
  return agents
    .filter((a) => a.id === p.proposeParId && peutLireCredits(a, c.portee))
    .map((a) =>
      message(
        'decision_proposition',
        `decision:${p.id}`,
        a,
        c,
        `[Délégations] Proposition ${decision.validee ? 'validée' : 'refusée'} — ${p.objet}`,
        decision.validee
          ? [
              `${decision.parNom} a validé votre proposition « ${p.objet} » (${formatEuros(p.montantCentimes)} d’AE ${p.annee}) sur la convention « ${c.libelle} » : le bon de commande${decision.numero ? ` ${decision.numero}` : ''} est engagé.`,
            ]
          : [
              `${decision.parNom} a refusé votre proposition « ${p.objet} » (${formatEuros(p.montantCentimes)} d’AE ${p.annee}) sur la convention « ${c.libelle} ».`,
              `Motif : ${decision.motif ?? ''}`,
            ],
        `/conventions/${c.id}/credits?annee=${p.annee}#propositions`,
      ),
    );
}

/** Waits before the next try after `tentatives` failures: 1, 2, 4, 8 minutes…; none after `max`. */
export function prochainEssai(maintenant: Date, tentatives: number, max = 6): Date | null {
  if (tentatives >= max) return null;
  return new Date(maintenant.getTime() + 60_000 * 2 ** Math.max(0, tentatives - 1));
}
