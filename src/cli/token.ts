import { parseArgs } from 'node:util';
import { ACTEUR_SYSTEME, LIBELLES_ROLES, etatJeton } from '../domain/acces.js';
import { ValidationError } from '../domain/errors.js';
import { creerJeton, listerJetons, revoquerJeton } from '../usecases/acces.js';
import { contexte, ouvrirBase } from './database.js';
import type { Command } from './command.js';

const USAGE = `delegations token create --role ROLE [--organisation SIRET] [--produit NOM]... [--expires JOURS] [--nom NOM]
  delegations token list
  delegations token revoke ID

Rôles : administrateur, gestionnaire, partenaire, equipe, public. Le jeton est affiché une seule fois.`;

/** API tokens from the command line: the administrator of the server acts as the system. */
export const tokenCommand: Command = {
  summary: 'Crée, liste ou révoque les jetons d’accès à l’API.',
  usage: USAGE,
  async run(args) {
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
      console.error(`${e instanceof Error ? e.message : String(e)}\n\nUsage : ${USAGE}`);
      return 2;
    }
    if (!['create', 'list', 'revoke'].includes(action ?? '')) {
      console.error(`Action inconnue : ${action ?? '(aucune)'}\n\nUsage : ${USAGE}`);
      return 2;
    }
    if (action === 'create' && !values.role) {
      console.error('Indiquez le rôle du jeton : --role gestionnaire (par exemple).');
      return 2;
    }
    if (action === 'revoke' && positionals.length !== 1) {
      console.error('Indiquez l’identifiant du jeton à révoquer (voir « delegations token list »).');
      return 2;
    }
    const storage = await ouvrirBase();
    if (!storage) return 1;
    const ctx = contexte(storage);
    try {
      if (action === 'create') {
        const jours = values.expires === undefined ? undefined : Number(values.expires);
        const { jeton, valeur } = await creerJeton(ctx, ACTEUR_SYSTEME, {
          nom: (values.nom as string | undefined) ?? `Jeton ${values.role} créé en ligne de commande`,
          role: values.role as string,
          organisationSiret: (values.organisation as string | undefined) ?? null,
          produits: (values.produit as string[] | undefined) ?? [],
          expireJours: jours,
        });
        console.error(
          `Jeton ${jeton.id} (${LIBELLES_ROLES[jeton.role]}) valable jusqu’au ${jeton.expireLe.toISOString().slice(0, 10)}. Il ne sera plus affiché :`,
        );
        console.log(valeur);
      } else if (action === 'list') {
        const maintenant = ctx.now();
        for (const j of await listerJetons(ctx, ACTEUR_SYSTEME)) {
          console.log(
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
        await revoquerJeton(ctx, ACTEUR_SYSTEME, positionals[0]!);
        console.log('Jeton révoqué.');
      }
      return 0;
    } catch (e) {
      if (e instanceof ValidationError) {
        for (const err of e.erreurs) console.error(`${err.champ} : ${err.message}`);
        return 2;
      }
      if (e instanceof Error && 'code' in e) {
        console.error(e.message);
        return 1;
      }
      throw e;
    } finally {
      await storage.close();
    }
  },
};
