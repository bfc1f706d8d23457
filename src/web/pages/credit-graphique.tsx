import { raw } from 'hono/html';
import * as echarts from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  MarkLineComponent,
  type AriaComponentOption,
  type GridComponentOption,
  type MarkLineComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { DateIso } from '../../domain/dates.js';
import { formatEuros as m, type Centimes } from '../../domain/money.js';
import type { PointSerie } from '../../domain/credit.js';

echarts.use([LineChart, GridComponent, MarkLineComponent, AriaComponent, SVGRenderer]);

type Option = echarts.ComposeOption<
  LineSeriesOption | GridComponentOption | MarkLineComponentOption | AriaComponentOption
>;

const LARGEUR = 720;
const HAUTEUR = 280;
const MOIS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

/**
 * The DSFR's own colours, written as CSS custom properties in the SVG's attributes: they follow the light and
 * dark themes (`data-fr-theme`). Lines and marks have at least 3:1 against the page background, text 4.5:1,
 * in both themes; the grid, decorative, is the border grey.
 */
const COULEURS = {
  ae: 'var(--text-action-high-blue-france, #000091)',
  cp: 'var(--text-default-success, #18753c)',
  repere: 'var(--text-mention-grey, #666)',
  texte: 'var(--text-mention-grey, #666)',
  axe: 'var(--border-plain-grey, #3a3a3a)',
  grille: 'var(--border-default-grey, #ddd)',
};
const POLICE = 'Marianne, arial, sans-serif';

const nombre = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/** Midnight UTC of a day, the time axis being in UTC so that the server's time zone changes nothing. */
const instant = (date: DateIso): number => Date.parse(`${date}T00:00:00Z`);

/**
 * The step between two graduations of the amounts: 1, 2, 2.5 or 5 times a power of ten, a whole number of
 * euros, so that about `parts` steps cover `max`.
 */
function pasGraduation(max: Centimes, parts = 4): Centimes {
  const brut = Math.max(max / parts, 100);
  for (let puissance = 10 ** Math.floor(Math.log10(brut)); ; puissance *= 10) {
    for (const f of [1, 2, 2.5, 5]) {
      const pas = f * puissance;
      if (pas >= brut && pas % 100 === 0) return pas;
    }
  }
}

/**
 * A graduation in round euros: « 37 500 € », or « 40 k€ », « 2 M€ » when every graduation of the axis is a
 * whole number of thousands or millions of euros; never an amount rounded to its thousands.
 */
function etiquetteMontant(valeur: number, pas: Centimes): string {
  const c = Math.round(valeur);
  if (c === 0) return '0\u00a0€';
  for (const [unite, suffixe] of [
    [100_000_000, 'M€'],
    [100_000, 'k€'],
  ] as const) {
    if (pas % unite === 0 && c % unite === 0) return `${nombre.format(c / unite)}\u00a0${suffixe}`;
  }
  return m(c, { rond: true });
}

/** Cumulative commitments and payments over the year, server-rendered, with a text alternative. */
export function Graphique({
  serie,
  annee,
  ouvertAe,
  ouvertCp,
  aujourdHui,
  limiteAe,
  limiteCp,
  id = `graphique-${annee}`,
}: {
  serie: PointSerie[];
  annee: number;
  ouvertAe: Centimes;
  ouvertCp: Centimes;
  aujourdHui: DateIso;
  limiteAe: DateIso;
  limiteCp: DateIso;
  /** Prefix of every id of the chart: two charts on one page need two. */
  id?: string;
}) {
  if (!/^[a-z][a-z0-9-]*$/i.test(id)) throw new RangeError(`identifiant de graphique invalide : ${id}`);
  const debut = `${annee}-01-01`;
  const dernierJour = `${annee}-12-31`;
  const dansAnnee = (date: DateIso) => (date < debut ? debut : date > dernierJour ? dernierJour : date);
  let ae = 0;
  let cp = 0;
  const cumul = serie.map((p) => ({ date: p.date, ae: (ae += p.engageAe), cp: (cp += p.payeCp) }));
  const finsDeMois = MOIS.map((_, i) => {
    const fin = new Date(Date.UTC(annee, i + 1, 0)).toISOString().slice(0, 10);
    const dernier = [...cumul].reverse().find((p) => p.date <= fin);
    return { mois: `${MOIS[i]} ${annee}`, fin, ae: dernier?.ae ?? 0, cp: dernier?.cp ?? 0 };
  });
  const titre = `Engagements et paiements cumulés en ${annee}`;
  const resume = `AE engagées cumulées : ${m(ae)} sur ${m(ouvertAe)} ouvertes ; CP payés cumulés : ${m(cp)} sur ${m(ouvertCp)} ouverts. Le tableau qui suit donne les valeurs fin de mois.`;
  const svg = dessiner({
    cumul,
    annee,
    ouvertAe,
    ouvertCp,
    fin: aujourdHui < dernierJour && aujourdHui >= debut ? aujourdHui : dernierJour,
    limiteAe: dansAnnee(limiteAe),
    limiteCp: dansAnnee(limiteCp),
    dansAnnee,
    titre,
  });
  const identifie = identifier(svg, id)
    // the `ecmeta_…` attributes only serve ECharts' script in the browser, which the page does without
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(
      /^<svg /,
      `<svg role="img" aria-label="${titre}" aria-describedby="${id}-resume" class="graphique-credits" `,
    );
  return (
    <figure class="fr-my-3w">
      <figcaption class="fr-text--sm fr-mb-1w">
        <span class="legende-ae">━ AE engagées (net des libérations)</span> · <span class="legende-cp">━ CP payés</span>{' '}
        · ┈ AE ouvertes et dates limites
      </figcaption>
      {raw(identifie)}
      <p id={`${id}-resume`} class="fr-text--sm fr-mb-1w">
        {resume}
      </p>
      <details>
        <summary>Données du graphique (fin de mois)</summary>
        <div class="fr-table fr-table--sm">
          <table>
            <caption>Cumuls fin de mois {annee}</caption>
            <thead>
              <tr>
                <th scope="col">Mois</th>
                <th scope="col">AE engagées</th>
                <th scope="col">CP payés</th>
              </tr>
            </thead>
            <tbody>
              {finsDeMois.map((l) => (
                <tr>
                  <th scope="row">{l.mois}</th>
                  <td class="montant">{m(l.ae)}</td>
                  <td class="montant">{m(l.cp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/**
 * ECharts names its ids (clip paths) after a process-wide count of renderings, `zr3-c0`, and its classes after
 * another, `zr3-cls-41`: the chart's own prefix and classes numbered in their order in the chart make the markup
 * the same from one rendering to the next, and two charts of a page distinct. The labels of the chart are French
 * words and amounts, never such a name.
 */
function identifier(svg: string, id: string): string {
  const classes = new Map<string, number>();
  return svg
    .replace(/\bzr\d+-cls-(\d+)/g, (_, n: string) => {
      if (!classes.has(n)) classes.set(n, classes.size);
      return `${id}-cls-${classes.get(n)}`;
    })
    .replace(/\bzr\d+-/g, `${id}-`);
}

/** The chart as SVG markup, drawn by ECharts on the server. */
function dessiner({
  cumul,
  annee,
  ouvertAe,
  ouvertCp,
  fin,
  limiteAe,
  limiteCp,
  dansAnnee,
  titre,
}: {
  cumul: { date: DateIso; ae: Centimes; cp: Centimes }[];
  annee: number;
  ouvertAe: Centimes;
  ouvertCp: Centimes;
  fin: DateIso;
  limiteAe: DateIso;
  limiteCp: DateIso;
  dansAnnee: (date: DateIso) => DateIso;
  titre: string;
}): string {
  const valeurs = [ouvertAe, ouvertCp, 0, ...cumul.flatMap((p) => [p.ae, p.cp])];
  const pas = pasGraduation(Math.max(...valeurs.map(Math.abs), 1));
  const haut = Math.ceil(Math.max(...valeurs, 1) / pas) * pas;
  const bas = Math.floor(Math.min(...valeurs) / pas) * pas;
  // a step line: each amount holds until the next movement, and the line goes on to today
  const escalier = (cle: 'ae' | 'cp'): [number, Centimes][] => {
    const points: [number, Centimes][] = [[instant(`${annee}-01-01`), 0]];
    for (const p of cumul) points.push([instant(dansAnnee(p.date)), p[cle]]);
    const dernier = points[points.length - 1]!;
    if (dernier[0] < instant(fin)) points.push([instant(fin), dernier[1]]);
    return points;
  };
  // the two cumulated lines, drawn alike
  const courbe = (name: string, cle: 'ae' | 'cp', color: string) => ({
    name,
    type: 'line' as const,
    step: 'end' as const,
    symbol: 'none',
    silent: true,
    data: escalier(cle),
    lineStyle: { color, width: 2.5 },
    itemStyle: { color },
  });
  const debutsDeMois = MOIS.map((_, i) => Date.UTC(annee, i, 1));
  const milieuxDeMois = MOIS.map((_, i) => Date.UTC(annee, i, 15));
  const texte = { color: COULEURS.texte, fontFamily: POLICE, fontSize: 12 };
  const repere = { color: COULEURS.repere, type: [4, 3], width: 1 };

  // the amounts opened, with their label above the higher line and below the lower one
  const plafonds = (
    ouvertCp === ouvertAe
      ? [{ valeur: ouvertAe, libelle: 'AE ouvertes' }]
      : [
          { valeur: ouvertAe, libelle: 'AE ouvertes' },
          { valeur: ouvertCp, libelle: 'CP ouverts' },
        ]
  ).map((p, _, tous) => ({
    yAxis: p.valeur,
    label: {
      formatter: `${p.libelle} : ${m(p.valeur, { rond: true })}`,
      position: p.valeur >= Math.max(...tous.map((t) => t.valeur)) ? 'insideStartTop' : 'insideStartBottom',
    } as const,
  }));
  // the two dates limit, labelled above the chart on two rows, beside their line on the side of the year's middle
  const limites =
    limiteAe === limiteCp
      ? [{ date: limiteAe, libelle: 'fin des engagements et des paiements' }]
      : [
          { date: limiteCp, libelle: 'fin des paiements' },
          { date: limiteAe, libelle: 'fin des engagements' },
        ];
  const milieu = Date.UTC(annee, 6, 1);
  const datesLimites = limites.map((l, i) => ({
    xAxis: instant(l.date),
    label: {
      formatter: l.libelle,
      position: 'end',
      distance: [0, 6 + (limites.length - 1 - i) * 16] as number[],
      align: instant(l.date) >= milieu ? 'right' : 'left',
    } as const,
  }));

  const option: Option = {
    animation: false,
    useUTC: true,
    aria: { enabled: true, label: { enabled: true, description: titre } },
    textStyle: texte,
    grid: { left: 88, right: 16, top: 48, bottom: 32 },
    xAxis: {
      type: 'time',
      min: instant(`${annee}-01-01`),
      max: instant(`${annee}-12-31`),
      axisLine: { lineStyle: { color: COULEURS.axe } },
      axisTick: { customValues: debutsDeMois, lineStyle: { color: COULEURS.axe } },
      axisLabel: {
        ...texte,
        customValues: milieuxDeMois,
        formatter: (v: number) => MOIS[new Date(v).getUTCMonth()] ?? '',
        hideOverlap: true,
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: bas,
      max: haut,
      interval: pas,
      minInterval: 100,
      splitNumber: 4,
      axisLine: { show: true, lineStyle: { color: COULEURS.axe } },
      axisLabel: { ...texte, formatter: (v: number) => etiquetteMontant(v, pas), hideOverlap: true },
      splitLine: { lineStyle: { color: COULEURS.grille } },
    },
    series: [
      {
        ...courbe('AE engagées', 'ae', COULEURS.ae),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: repere,
          label: { ...texte },
          data: [...plafonds, ...datesLimites],
        },
      },
      courbe('CP payés', 'cp', COULEURS.cp),
    ],
  };
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: LARGEUR, height: HAUTEUR });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
