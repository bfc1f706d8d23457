import { createApp } from '../../src/web/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import type { Storage } from '../../src/storage/database.js';
import { contexte, freshStorage, type DbKind } from './db.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  storage: Storage;
  close(): Promise<void>;
}

/** The whole web app over a fresh seeded database, in demo mode (development login). */
export async function testApp(kind: DbKind, opts: { bodyLimit?: number } = {}): Promise<TestApp> {
  const storage = await freshStorage(kind);
  const ctx = contexte(storage);
  await seedDemo(ctx);
  const app = createApp({ ctx, config: { production: false, bodyLimit: opts.bodyLimit ?? 1024 * 1024, publicUrl: 'http://localhost:3000', databaseUrl: undefined }, storageKind: kind });
  return { app, storage, close: () => storage.close() };
}

const CSRF = 'a'.repeat(43);

/** Headers of a demo user's requests (cookie login), with a CSRF cookie for form posts. */
export function as(userId: string | null, extra: Record<string, string> = {}): Record<string, string> {
  const cookies = [`delegations_csrf=${CSRF}`];
  if (userId) cookies.push(`delegations_demo=${userId}`);
  return { cookie: cookies.join('; '), ...extra };
}

export function form(fields: Record<string, string>, withCsrf = true): URLSearchParams {
  const p = new URLSearchParams(fields);
  if (withCsrf) p.set('_csrf', CSRF);
  return p;
}
