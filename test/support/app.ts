import { createApp, type AppConfig } from '../../src/web/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { ACTEUR_SYSTEME } from '../../src/domain/acces.js';
import { creerJeton, ouvrirSession } from '../../src/usecases/acces.js';
import type { Storage } from '../../src/storage/database.js';
import type { Contexte } from '../../src/usecases/contexte.js';
import { contexte, freshStorage, type DbKind } from './db.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  storage: Storage;
  ctx: Contexte;
  /** headers of a demo user's browser: a session opened by the login use case, and a CSRF cookie for forms */
  as(userId: string | null, extra?: Record<string, string>): Record<string, string>;
  /** headers of a program acting with a demo user's rights: an API token created by the token use case */
  api(userId: string | null, extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export const CSRF = 'a'.repeat(43);

/** The whole web app over a fresh seeded database, with real sessions and tokens for every demo user. */
export async function testApp(
  kind: DbKind,
  opts: { bodyLimit?: number; config?: Partial<AppConfig>; now?: () => Date } = {},
): Promise<TestApp> {
  const storage = await freshStorage(kind);
  const ctx = opts.now ? contexte(storage, opts.now) : contexte(storage);
  await seedDemo(ctx);
  const app = createApp({
    ctx,
    config: {
      production: false,
      bodyLimit: opts.bodyLimit ?? 1024 * 1024,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      ...opts.config,
    },
    storageKind: kind,
  });
  const sessions = new Map<string, string>();
  const jetons = new Map<string, string>();
  for (const a of ACTEURS_DEMO) {
    sessions.set(a.id, (await ouvrirSession(ctx, a.id)).jeton);
    const { valeur } = await creerJeton(ctx, ACTEUR_SYSTEME, {
      nom: `Tests — ${a.id}`,
      role: a.role,
      organisationSiret: a.organisationSiret,
      produits: a.produits,
    });
    jetons.set(a.id, valeur);
  }
  const connu = <T>(m: Map<string, T>, id: string) => {
    if (!m.has(id)) throw new Error(`Utilisateur de démonstration inconnu : ${id}`);
    return m.get(id)!;
  };
  return {
    app,
    storage,
    ctx,
    as(userId, extra = {}) {
      const cookies = [`delegations_csrf=${CSRF}`];
      if (userId) cookies.push(`delegations_session=${connu(sessions, userId)}`);
      return { cookie: cookies.join('; '), ...extra };
    },
    api(userId, extra = {}) {
      return {
        'content-type': 'application/json',
        ...(userId ? { authorization: `Bearer ${connu(jetons, userId)}` } : {}),
        ...extra,
      };
    },
    close: () => storage.close(),
  };
}

export function form(fields: Record<string, string>, withCsrf = true): URLSearchParams {
  const p = new URLSearchParams(fields);
  if (withCsrf) p.set('_csrf', CSRF);
  return p;
}
