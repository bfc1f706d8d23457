import { ACTEUR_SYSTEME } from '../domain/acces.js';
import { addDays, addMonths } from '../domain/dates.js';
import type { Contexte } from '../usecases/contexte.js';
import { creerPromotion, declarerEnveloppe } from '../usecases/promotion.js';
import type { ChronologieDemo } from './chronologie.js';

/**
 * The demo's governance: the FAST promotions of its laureates, with their calendar around each
 * signature (seLEXpert's mid-term review comes within days), and seLEXpert's matching envelope of
 * 110 000 € to commit within six months of its signature, nothing declared yet.
 */
export async function seedGouvernanceDemo(
  ctx: Contexte,
  ids: Record<string, string>,
  ch: ChronologieDemo,
): Promise<void> {
  const promotions = new Map<number, string>([
    [ch.selex.promotion, ch.selex.signature],
    [ch.classe.promotion, ch.classe.signature],
  ]);
  for (const [numero, signature] of promotions) {
    const lancement = addDays(signature, 7);
    await creerPromotion(ctx, ACTEUR_SYSTEME, {
      numero,
      appelOuverture: addDays(signature, -90),
      appelCloture: addDays(signature, -45),
      comiteSelection: addDays(signature, -21),
      lancement,
      miParcours: addMonths(lancement, 2),
      demoDay: addMonths(lancement, 4),
      plafondLaureatCentimes: 20_000_000,
    });
  }
  await declarerEnveloppe(ctx, ACTEUR_SYSTEME, ids[ch.references.selex]!, {
    montantCentimes: 11_000_000,
    engageCentimes: 0,
    preuveUrl: null,
  });
}
