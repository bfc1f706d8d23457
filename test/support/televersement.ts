import type { TestApp } from './app.js';

/** How long a test waits for a reading to end, on a monotonic timer: a delay, never a date. */
const ATTENTE_MAX_MS = 100_000;

/** The documents stored, whatever their state. */
export async function documentsStockes(t: TestApp): Promise<number> {
  const r = await t.storage.db
    .selectFrom('document')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Loads a reading's progress page as the browser does on its refresh, until it answers something else:
 * `etats` are the states it showed, `fin` what it answered once the reading ended.
 */
export async function suivreLecture(
  t: TestApp,
  userId: string,
  url: string,
): Promise<{ etats: string[]; fin: Response }> {
  const etats: string[] = [];
  const limite = performance.now() + ATTENTE_MAX_MS;
  for (;;) {
    const page = await t.app.request(url, { headers: t.as(userId) });
    if (page.status !== 200) return { etats, fin: page };
    const html = await page.text();
    if (!html.includes('http-equiv="refresh"'))
      return { etats, fin: new Response(html, { status: 200, headers: page.headers }) };
    etats.push(/<span class="fr-stepper__state">([^<]*)<\/span>/.exec(html)?.[1] ?? '');
    if (performance.now() > limite) throw new Error(`lecture trop longue : ${etats.at(-1)}`);
    await new Promise((fin) => setTimeout(fin, 200));
  }
}

/**
 * The answer to an upload of files to import, as a browser ends up with it: an upload read within about a
 * second is answered in its request; a longer one (OCR, a reading thread slow to start) answers its progress
 * page, which the browser loads again until the reading ends. `progression` says which it was.
 */
export async function televerser(
  t: TestApp,
  userId: string,
  body: FormData,
): Promise<{ reponse: Response; progression: boolean }> {
  const r = await t.app.request('/imports', { method: 'POST', headers: t.as(userId), body });
  const url = r.headers.get('location') ?? '';
  if (r.status !== 303 || !url.startsWith('/imports/lectures/')) return { reponse: r, progression: false };
  return { reponse: (await suivreLecture(t, userId, url)).fin, progression: true };
}
