import { daysBetween, type DateIso } from '../../domain/dates.js';
import { formatEuros as m, type Centimes } from '../../domain/money.js';
import type { PointSerie } from '../../domain/credit.js';

/** Cumulative commitments and payments over the year, server-rendered, with a text alternative. */
export function Graphique({
  serie,
  annee,
  ouvertAe,
  ouvertCp,
  aujourdHui,
  limiteAe,
  limiteCp,
}: {
  serie: PointSerie[];
  annee: number;
  ouvertAe: Centimes;
  ouvertCp: Centimes;
  aujourdHui: DateIso;
  limiteAe: DateIso;
  limiteCp: DateIso;
}) {
  const L = 720;
  const H = 260;
  const g = 56;
  const d = 12;
  const h = 44;
  const b = 30;
  const debut = `${annee}-01-01`;
  const jours = daysBetween(debut, `${annee}-12-31`);
  let ae = 0;
  let cp = 0;
  const cumul = serie.map((p) => ({ date: p.date, ae: (ae += p.engageAe), cp: (cp += p.payeCp) }));
  const max = Math.max(ouvertAe, ouvertCp, ae, cp, 1);
  const x = (date: DateIso) => g + ((L - g - d) * Math.min(jours, Math.max(0, daysBetween(debut, date)))) / jours;
  const y = (v: number) => H - b - ((H - b - h) * v) / max;
  const escalier = (cle: 'ae' | 'cp') => {
    let chemin = `M${x(debut).toFixed(1)},${y(0).toFixed(1)}`;
    let prec = 0;
    for (const p of cumul) {
      chemin += ` H${x(p.date).toFixed(1)} V${y(prec).toFixed(1)} V${y(p[cle]).toFixed(1)}`;
      prec = p[cle];
    }
    const fin = aujourdHui < `${annee}-12-31` && aujourdHui >= debut ? aujourdHui : `${annee}-12-31`;
    return `${chemin} H${x(fin).toFixed(1)}`;
  };
  const mois = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
  const finsDeMois = mois.map((_, i) => {
    const fin = new Date(Date.UTC(annee, i + 1, 0)).toISOString().slice(0, 10);
    const dernier = [...cumul].reverse().find((p) => p.date <= fin);
    return { mois: `${mois[i]} ${annee}`, fin, ae: dernier?.ae ?? 0, cp: dernier?.cp ?? 0 };
  });
  const graduations = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  return (
    <figure class="fr-my-3w" role="group" aria-labelledby="graphique-titre">
      <svg
        viewBox={`0 0 ${L} ${H}`}
        width="100%"
        role="img"
        aria-labelledby="graphique-titre graphique-desc"
        class="graphique-credits"
      >
        <title id="graphique-titre">{`Engagements et paiements cumulés en ${annee}`}</title>
        <desc id="graphique-desc">{`AE engagées cumulées : ${m(ae)} sur ${m(ouvertAe)} ouvertes ; CP payés cumulés : ${m(cp)} sur ${m(ouvertCp)} ouverts. Le tableau qui suit donne les valeurs fin de mois.`}</desc>
        {graduations.map((v) => (
          <g>
            <line x1={g} x2={L - d} y1={y(v)} y2={y(v)} class="grille" />
            <text x={g - 4} y={y(v) + 4} text-anchor="end" class="etiquette">
              {v >= 100_000 ? `${Math.round(v / 100_000)} k€` : `${Math.round(v / 100)} €`}
            </text>
          </g>
        ))}
        {mois.map((nom, i) => (
          <text
            x={x(`${annee}-${String(i + 1).padStart(2, '0')}-15`)}
            y={H - 10}
            text-anchor="middle"
            class="etiquette"
          >
            {nom}
          </text>
        ))}
        <line x1={g} x2={L - d} y1={y(ouvertAe)} y2={y(ouvertAe)} class="plafond" />
        <text x={g + 4} y={y(ouvertAe) - 4} class="etiquette">
          AE ouvertes
        </text>
        {(
          [
            [limiteCp, 'fin des paiements'],
            [limiteAe, 'fin des engagements'],
          ] as const
        ).map(([dt, lib], i) => (
          <g>
            <line x1={x(dt)} x2={x(dt)} y1={14 + i * 14} y2={H - b} class="limite" />
            <text x={x(dt) - 4} y={18 + i * 14} text-anchor="end" class="etiquette">
              {lib}
            </text>
          </g>
        ))}
        <path d={escalier('ae')} class="courbe-ae" />
        <path d={escalier('cp')} class="courbe-cp" />
      </svg>
      <figcaption class="fr-text--sm">
        <span class="legende-ae">━ AE engagées (net des libérations)</span> · <span class="legende-cp">━ CP payés</span>{' '}
        · ┈ AE ouvertes et dates limites
      </figcaption>
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
