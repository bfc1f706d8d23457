import { peutGererCredits, peutLireCredits, type Acteur, type PorteeConvention } from './acces.js';
import { formatEuros, type Centimes } from './money.js';

/**
 * E-mail notifications: who is told of an event and what they read. A recipient is chosen by the same
 * access rules as the pages, and a message holds only what the convention's page shows them.
 */
export type StatutEnvoi = 'a_envoyer' | 'envoye' | 'conserve' | 'abandonne' | 'differe' | 'regroupe';

export const LIBELLES_STATUTS_ENVOI: Record<StatutEnvoi, string> = {
  a_envoyer: 'À envoyer',
  envoye: 'Envoyé',
  conserve: 'Conservé (pas de serveur SMTP)',
  abandonne: 'Abandonné après plusieurs échecs',
  differe: 'En attente du prochain récapitulatif',
  regroupe: 'Envoyé dans un récapitulatif',
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
  /** a digest's lines */
  elements: ElementRecapitulatif[];
}

export type TypeNotification =
  | 'proposition_a_decider'
  | 'decision_proposition'
  | 'refus_insuffisance'
  | 'date_limite_proche'
  | 'fin_convention_proche'
  | 'comite_a_tenir'
  | 'obligation_en_retard'
  | 'recapitulatif_a_faire';

/** What « Mon compte » lists, in this order; the digest itself is `recapitulatif`, which no one configures. */
export const LIBELLES_TYPES_NOTIFICATION: Record<TypeNotification, string> = {
  proposition_a_decider: 'Une proposition de bon de commande à valider ou refuser',
  decision_proposition: 'La décision sur une de mes propositions',
  refus_insuffisance: 'Un engagement refusé faute de crédits, à signaler au délégant',
  date_limite_proche: 'Une date limite de fin de gestion dans 7 jours',
  fin_convention_proche: 'Une convention qui prend fin dans 45 jours',
  comite_a_tenir: 'Un comité d’investissement ou une revue FAST à tenir dans 7 jours',
  obligation_en_retard: 'Une obligation en retard',
  recapitulatif_a_faire: 'Ma liste « À faire » complète',
};

/**
 * How often an agent hears of a kind of event: at once, in the digest of each working morning, in
 * Monday's, or never. The list « À faire » is a digest by nature: it is never sent « immédiatement ».
 */
export type Frequence = 'immediat' | 'quotidien' | 'hebdomadaire' | 'aucun';

export const LIBELLES_FREQUENCES: Record<Frequence, string> = {
  immediat: 'Immédiatement',
  quotidien: 'Récapitulatif quotidien',
  hebdomadaire: 'Récapitulatif du lundi',
  aucun: 'Jamais',
};

const FREQUENCES: Frequence[] = ['immediat', 'quotidien', 'hebdomadaire', 'aucun'];

export function frequencesPermises(type: TypeNotification): Frequence[] {
  return type === 'recapitulatif_a_faire' ? ['quotidien', 'hebdomadaire', 'aucun'] : FREQUENCES;
}

/** What an agent gets before choosing: events at once, and « À faire » every Monday morning. */
const FREQUENCE_PAR_DEFAUT = (type: TypeNotification): Frequence =>
  type === 'recapitulatif_a_faire' ? 'hebdomadaire' : 'immediat';

/** An agent's choices, by kind; a kind not chosen takes its default. */
export type Preferences = Partial<Record<TypeNotification, Frequence>>;

export const frequence = (p: Preferences | undefined, type: TypeNotification): Frequence =>
  p?.[type] ?? FREQUENCE_PAR_DEFAUT(type);

/** How a message is queued under its recipient's choices: sent, kept for a digest, or not at all. */
export function repartir(messages: Message[], preferences: ReadonlyMap<string, Preferences>): MessageReparti[] {
  return messages.flatMap((m): MessageReparti[] => {
    const f = m.type === 'recapitulatif' ? 'immediat' : frequence(preferences.get(m.agentId), m.type);
    if (f === 'aucun') return [];
    if (f === 'immediat') return [{ ...m, statut: 'a_envoyer', regroupement: null }];
    return [{ ...m, statut: 'differe', regroupement: f }];
  });
}

export type MessageReparti = Message & {
  statut: 'a_envoyer' | 'differe';
  regroupement: 'quotidien' | 'hebdomadaire' | null;
};

/** A message held for a digest, as the digest lists it. */
export interface MessageDiffere {
  id: number;
  sujet: string;
  lien: string;
}

/** An agent who may receive e-mails: an actor with an address. */
export type Destinataire = Acteur & { email: string };

export interface Message {
  type: TypeNotification | 'recapitulatif';
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
  /** a digest's entries: each is rendered with its full address when the message leaves */
  elements?: ElementRecapitulatif[];
}

/** One line of a digest: a heading groups the lines that follow it. */
export interface ElementRecapitulatif {
  groupe: string;
  libelle: string;
  lien: string;
}

export interface ConventionNotifiee {
  id: string;
  libelle: string;
  portee: PorteeConvention;
}

const echapper = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function message(
  type: Message['type'],
  cle: string,
  d: Destinataire,
  c: Pick<ConventionNotifiee, 'id'> | null,
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
    conventionId: c?.id ?? null,
  };
}

/** The link and the signature, added when the message leaves, with the site's public address. */
export function avecLien(
  m: Pick<Message, 'texte' | 'html' | 'lien'> & { elements?: ElementRecapitulatif[] | null },
  baseUrl: string,
): { texte: string; html: string } {
  const url = new URL(m.lien, baseUrl).toString();
  const groupes = new Map<string, ElementRecapitulatif[]>();
  for (const e of m.elements ?? []) groupes.set(e.groupe, [...(groupes.get(e.groupe) ?? []), e]);
  const texte = [...groupes].map(
    ([g, es]) => `${g}\n${es.map((e) => `- ${e.libelle}\n  ${new URL(e.lien, baseUrl).toString()}`).join('\n')}`,
  );
  const html = [...groupes].map(
    ([g, es]) =>
      `<h2>${echapper(g)}</h2>\n<ul>\n${es
        .map((e) => `<li><a href="${echapper(new URL(e.lien, baseUrl).toString())}">${echapper(e.libelle)}</a></li>`)
        .join('\n')}\n</ul>`,
  );
  return {
    texte: [m.texte, ...texte, `Ouvrir dans Délégations : ${url}`, '-- \nDélégations — beta.gouv.fr'].join('\n\n'),
    html: [
      m.html,
      ...html,
      `<p><a href="${echapper(url)}">Ouvrir dans Délégations</a></p>`,
      '<p>— Délégations, beta.gouv.fr</p>',
    ].join('\n'),
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
