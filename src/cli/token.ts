import { parseArgs } from 'node:util';
import { ACTEUR_SYSTEME, LIBELLES_ROLES, etatJeton } from '../domain/acces.js';
import { ValidationError } from '../domain/errors.js';
import { creerJeton, listerJetons, revoquerJeton } from '../usecases/acces.js';
import { surLaBase, type Execution } from './canal.js';
import { terminal, type Sortie } from './sortie.js';
import type { Command } from './command.js';

const USAGE = `delegations token create --role ROLE [--organisation SIRET] [--produit NOM]... [--expires JOURS] [--nom NOM]
  delegations token list
  delegations token revoke ID

Rôles : administrateur, gestionnaire, partenaire, equipe, public. Le jeton est affiché une seule fois.`;

type Demande =
  | { action: 'create'; role: string; organisation?: string; produits: string[]; expires?: string; nom?: string }
  | { action: 'list' }
  | { action: 'revoke'; id: string };

/** The command's arguments, or its exit code when they are wrong (before any database is opened). */
function analyser(args: string[], sortie: Sortie): Demande | number {
  const [action, ...rest] = args;
  let values: Record<string, string | string[] | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        organisation: { type: 'string' },
        produit: { type: 'string', multiple: true },
        expires: { type: 'string' },
        nom: { type: 'string' },
      },
    }));
  } catch (e) {
    sortie.err(`${e instanceof Error ? e.message : String(e)}\n\nUsage : ${USAGE}`);
    return 2;
  }
  if (action === 'list') return { action };
  if (action === 'create') {
    if (!values.role) {
      sortie.err('Indiquez le rôle du jeton : --role gestionnaire (par exemple).');
      return 2;
    }
    return {
      action,
      role: values.role as string,
      organisation: values.organisation as string | undefined,
      produits: (values.produit as string[] | undefined) ?? [],
      expires: values.expires as string | undefined,
      nom: values.nom as string | undefined,
    };
  }
  if (action === 'revoke') {
    if (positionals.length !== 1) {
      sortie.err('Indiquez l’identifiant du jeton à révoquer (voir « delegations token list »).');
      return 2;
    }
    return { action, id: positionals[0]! };
  }
  sortie.err(`Action inconnue : ${action ?? '(aucune)'}\n\nUsage : ${USAGE}`);
  return 2;
}

/** `token …` on an open database: run by the command itself, or by the running server for it. */
export const executerToken: Execution = async (ctx, args, sortie) => {
  const d = analyser(args, sortie);
  if (typeof d === 'number') return d;
  try {
    if (d.action === 'create') {
      const jours = d.expires === undefined ? undefined : Number(d.expires);
      const { jeton, valeur } = await creerJeton(ctx, ACTEUR_SYSTEME, {
        nom: d.nom ?? `Jeton ${d.role} créé en ligne de commande`,
        role: d.role,
        organisationSiret: d.organisation ?? null,
        produits: d.produits,
        expireJours: jours,
      });
      sortie.err(
        `Jeton ${jeton.id} (${LIBELLES_ROLES[jeton.role]}) valable jusqu’au ${jeton.expireLe.toISOString().slice(0, 10)}. Il ne sera plus affiché :`,
      );
      sortie.out(valeur);
    } else if (d.action === 'list') {
      const maintenant = ctx.now();
      for (const j of await listerJetons(ctx, ACTEUR_SYSTEME)) {
        sortie.out(
          [
            j.id,
            `${j.prefixe}…`,
            j.role,
            j.organisationSiret ?? '-',
            j.expireLe.toISOString().slice(0, 10),
            etatJeton(j, maintenant),
            j.nom,
          ].join('\t'),
        );
      }
    } else {
      await revoquerJeton(ctx, ACTEUR_SYSTEME, d.id);
      sortie.out('Jeton révoqué.');
    }
    return 0;
  } catch (e) {
    if (e instanceof ValidationError) {
      for (const err of e.erreurs) sortie.err(`${err.champ} : ${err.message}`);
      return 2;
    }
    if (e instanceof Error && 'code' in e) {
      sortie.err(e.message);
      return 1;
    }
    throw e;
  }
};

/** API tokens from the command line: the administrator of the server acts as the system. */
export const tokenCommand: Command = {
  summary: 'Crée, liste ou révoque les jetons d’accès à l’API.',
  usage: USAGE,
  async run(args) {
    // wrong arguments are refused before the database, or the server, is reached
    const d = analyser(args, terminal);
    if (typeof d === 'number') return d;
    return surLaBase('token', args, executerToken);
  },
};
