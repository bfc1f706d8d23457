import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ACTEURS_DEMO } from '../../src/demo/acteurs.js';
import { describeBrowser, launchBrowser, pagesAtteintes, seConnecter, startServer } from '../support/browser.js';
import { preparerPages } from '../support/pages.js';

/** Words of the schema library or of the code that a budget officer must never read. */
const MOTS_ANGLAIS = [
  'invalid',
  'expected',
  'received',
  'required',
  'undefined',
  'null',
  'nan',
  'string',
  'number',
  'boolean',
  'array',
  'object',
  'too big',
  'too small',
  'must',
  'should',
  'error',
  'input',
  'bad request',
  'not found',
  'forbidden',
  'conflict',
];

/** What a person types that no rule accepts, by kind of field; a field of free text takes any text. */
const SAISIES = { nombre: 'douze', date: '2026-13-45', texte: 'Texte saisi pour l’essai' };

type Verdict = { page: string; probleme: string };

/** Labels and ids of one page, as the browser sees them. */
function controlerLibelles(page: Page, chemin: string): Promise<Verdict[]> {
  return page.evaluate((chemin) => {
    const verdicts: { page: string; probleme: string }[] = [];
    const ids = new Map<string, number>();
    for (const e of document.querySelectorAll('[id]')) ids.set(e.id, (ids.get(e.id) ?? 0) + 1);
    for (const [id, n] of ids) if (n > 1) verdicts.push({ page: chemin, probleme: `id « ${id} » porté ${n} fois` });
    for (const label of document.querySelectorAll('label[for]')) {
      const pour = label.getAttribute('for')!;
      const champs = document.querySelectorAll(`#${CSS.escape(pour)}`);
      const champ = champs[0];
      if (champs.length !== 1)
        verdicts.push({ page: chemin, probleme: `le libellé « ${pour} » désigne ${champs.length} champs` });
      else if (!champ!.matches('input:not([type=hidden]), select, textarea, button, meter, output, progress'))
        verdicts.push({ page: chemin, probleme: `le libellé « ${pour} » désigne un élément qui n’est pas un champ` });
      else if (champ!.closest('form') !== label.closest('form'))
        verdicts.push({ page: chemin, probleme: `le libellé « ${pour} » est hors du formulaire de son champ` });
    }
    return verdicts;
  }, chemin);
}

/**
 * Sends each form of the page that has fields a person edits, as the browser would, first emptied, then with
 * values no rule accepts, and reads the answer: every message in French without a code's name, and on a
 * refusal the same form again with what was typed.
 */
function envoyerFormulaires(page: Page, chemin: string, mots: string[], saisies: typeof SAISIES): Promise<Verdict[]> {
  return page.evaluate(
    async ({ chemin, mots, saisies }) => {
      const verdicts: { page: string; probleme: string }[] = [];
      const editables = (f: HTMLFormElement) =>
        [...f.elements].filter(
          (e): e is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement =>
            !e.matches(':disabled') &&
            ((e instanceof HTMLInputElement &&
              !['hidden', 'submit', 'button', 'reset', 'file', 'image'].includes(e.type)) ||
              e instanceof HTMLSelectElement ||
              e instanceof HTMLTextAreaElement),
        );
      const genre = (e: Element): keyof typeof saisies | null => {
        if (e instanceof HTMLInputElement) {
          if (['checkbox', 'radio', 'color', 'range'].includes(e.type)) return null;
          if (e.type === 'number' || e.inputMode === 'decimal' || e.inputMode === 'numeric') return 'nombre';
          if (e.type === 'date' || e.type === 'month') return 'date';
          if (e.type === 'email' || e.type === 'url') return null;
          return 'texte';
        }
        return e instanceof HTMLTextAreaElement ? 'texte' : null;
      };
      // the messages next to the fields and in the error summary, or the error page's sentence
      const messages = (doc: Document) =>
        [
          ...doc.querySelectorAll(
            doc.querySelector('.fr-error-text, .fr-message--error, .fr-alert--error, [role=alert]')
              ? '.fr-error-text, .fr-message--error, .fr-alert--error, [role=alert]'
              : 'main h1 ~ .fr-text--lead',
          ),
        ]
          .map((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? '')
          .filter((t) => t !== '');
      const formulaires = [...document.querySelectorAll('form')].filter(
        (f) => f.method.toLowerCase() === 'post' && editables(f).length > 0 && !f.querySelector('input[type=file]'),
      );
      let jeton: string | null = null;
      // after an accepted change, the forms the page no longer offers (a proposal validated) are not sent
      let encore: Set<string> | null = null;
      for (const [i, f] of formulaires.entries()) {
        const action = f.getAttribute('action') ?? chemin;
        if (encore && !encore.has(action)) continue;
        const nom = `${action} (formulaire ${i + 1})`;
        const champs = editables(f);
        const typables = champs.filter((c) => genre(c) !== null && c.name);
        const essais: Array<{ essai: string; valeurs: Map<string, string> }> = [
          { essai: 'vide', valeurs: new Map(typables.map((c) => [c.name, ''])) },
        ];
        // the refused values first: emptied, a form of optional fields is accepted and changes what follows
        if (typables.some((c) => genre(c) !== 'texte'))
          essais.unshift({
            essai: 'saisie refusée',
            valeurs: new Map(typables.map((c) => [c.name, saisies[genre(c)!]])),
          });
        for (const { essai, valeurs } of essais) {
          const corps = new URLSearchParams();
          for (const [k, v] of new FormData(f)) if (typeof v === 'string') corps.append(k, valeurs.get(k) ?? v);
          for (const k of valeurs.keys()) if (!corps.has(k)) corps.set(k, valeurs.get(k)!);
          if (jeton) corps.set('_csrf', jeton);
          const r = await fetch(f.action, { method: 'POST', body: corps });
          const html = await r.text();
          if (r.status < 400) {
            // accepted, or refused by a notice on the page it sends to: then what was typed is lost
            const lus = r.redirected ? messages(new DOMParser().parseFromString(html, 'text/html')) : [];
            if (lus.length)
              verdicts.push({
                page: chemin,
                probleme: `${nom}, ${essai} : refus sur une autre page, saisie perdue (« ${lus[0]} »)`,
              });
            // an accepted change of one's own rights opens a new session: the next form carries its token
            const suite = new DOMParser().parseFromString(await (await fetch(chemin)).text(), 'text/html');
            jeton = suite.querySelector<HTMLInputElement>('input[name=_csrf]')?.value ?? null;
            encore = new Set([...suite.querySelectorAll('form')].map((g) => g.getAttribute('action') ?? chemin));
            continue;
          }
          if (!(r.headers.get('content-type') ?? '').startsWith('text/html')) {
            verdicts.push({ page: chemin, probleme: `${nom}, ${essai} : réponse ${r.status} qui n’est pas une page` });
            continue;
          }
          const doc = new DOMParser().parseFromString(html, 'text/html');
          const lus = messages(doc);
          if (lus.length === 0)
            verdicts.push({ page: chemin, probleme: `${nom}, ${essai} : refus ${r.status} sans message` });
          for (const m of lus) {
            const bas = m.toLowerCase();
            const anglais = mots.filter((w) => new RegExp(`(^|[^\\p{L}])${w}([^\\p{L}]|$)`, 'u').test(bas));
            const code = m.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/);
            if (anglais.length || code)
              verdicts.push({
                page: chemin,
                probleme: `${nom}, ${essai} : message « ${m} » (${[...anglais, code?.[0]].filter(Boolean).join(', ')})`,
              });
          }
          const retour = [...doc.querySelectorAll('form')].find(
            (g) =>
              (g.getAttribute('action') ?? chemin) === action &&
              [...valeurs.keys()].some((k) => g.elements.namedItem(k)),
          );
          if (!retour) {
            verdicts.push({
              page: chemin,
              probleme: `${nom}, ${essai} : refus ${r.status} sans le formulaire (« ${lus[0] ?? ''} »)`,
            });
            continue;
          }
          for (const [k, v] of valeurs) {
            const e = retour.elements.namedItem(k);
            const lu =
              e instanceof HTMLTextAreaElement
                ? e.textContent
                : e instanceof Element
                  ? (e.getAttribute('value') ?? '')
                  : null;
            if (lu !== null && lu !== v)
              verdicts.push({
                page: chemin,
                probleme: `${nom}, ${essai} : « ${k} » revient « ${lu} » au lieu de « ${v} »`,
              });
          }
        }
      }
      return verdicts;
    },
    { chemin, mots, saisies },
  );
}

/** Every form of every page a role reaches: its labels, its messages, and what comes back on a refusal. */
describeBrowser('the forms of every page', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
    await preparerPages(server.ctx);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const role of ['administrateur', 'partenaire', 'equipe'] as const)
    it(`label every field in its own form, speak French and give back what was typed, role ${role}`, async () => {
      const ctx = await browser.newContext();
      try {
        const page = await ctx.newPage();
        const connecter = () => seConnecter(page, server.url, ACTEURS_DEMO.find((a) => a.role === role)!.nom);
        await connecter();
        const chemins = await pagesAtteintes(ctx, server);
        const verdicts: Verdict[] = [];
        let formulaires = 0;
        for (const chemin of chemins) {
          await page.goto(`${server.url}${chemin}`);
          formulaires += await page.locator('form[method=post]').count();
          verdicts.push(...(await controlerLibelles(page, chemin)));
          verdicts.push(...(await envoyerFormulaires(page, chemin, MOTS_ANGLAIS, SAISIES)));
          // changing one's own agent ends one's sessions, so that the new rights apply: sign in again
          if ((await ctx.request.get(`${server.url}/compte`, { maxRedirects: 0 })).status() !== 200) await connecter();
        }
        expect(formulaires).toBeGreaterThan(role === 'administrateur' ? 30 : 2);
        expect(verdicts.map((v) => `${v.page} : ${v.probleme}`)).toEqual([]);
      } finally {
        await ctx.close();
      }
    }, 600_000);
});
