import type { TestApp } from './app.js';

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
  const limite = Date.now() + 100_000;
  for (;;) {
    const page = await t.app.request(url, { headers: t.as(userId) });
    const html = page.status === 200 ? await page.text() : null;
    if (html === null) return { reponse: page, progression: true };
    if (!html.includes('http-equiv="refresh"'))
      return { reponse: new Response(html, { status: 200, headers: page.headers }), progression: true };
    if (Date.now() > limite) throw new Error('lecture trop longue');
    await new Promise((fin) => setTimeout(fin, 200));
  }
}
