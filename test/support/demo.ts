import { chronologieDemo } from '../../src/demo/chronologie.js';
import { conventionsDemo } from '../../src/demo/conventions.js';
import { aujourdHui, type Horloge } from '../../src/domain/horloge.js';
import { HORLOGE_TESTS } from './db.js';

/** The demo as it is seeded on a clock (by default the tests' one): its chronology, and its conventions by name. */
export function demo(horloge: Horloge = HORLOGE_TESTS) {
  const jour = aujourdHui(horloge);
  const chronologie = chronologieDemo(jour);
  const conventions = conventionsDemo(jour);
  const references = chronologie.references;
  const parReference = (reference: string) => conventions.find((c) => c.reference === reference)!;
  return {
    jour,
    chronologie,
    conventions,
    references,
    msj: parReference(references.msj),
    msp: parReference(references.msp),
    selex: parReference(references.selex),
    atelier: parReference(references.atelier),
    classe: parReference(references.classe),
  };
}
