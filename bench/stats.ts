/** Small timing helpers shared by the bench sections. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export interface Timing {
  median: number;
  p95: number;
  n: number;
}

/** Runs `fn` `n` times after `warmup` runs and returns median and p95 in milliseconds. */
export async function time(fn: () => Promise<unknown>, n = 200, warmup = 20): Promise<Timing> {
  return (await timeEntrelace({ fn }, n, 1, warmup)).fn;
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/**
 * Times several ways of doing the same work in alternated blocks, so that they share any drift of the
 * machine; each gets the median and p95 of all its samples.
 */
export async function timeEntrelace<K extends string>(
  fns: Record<K, () => Promise<unknown>>,
  parBloc = 50,
  blocs = 6,
  warmup = 20,
): Promise<Record<K, Timing>> {
  const cles = Object.keys(fns) as K[];
  for (const k of cles) for (let i = 0; i < warmup; i++) await fns[k]();
  const samples = Object.fromEntries(cles.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let b = 0; b < blocs; b++)
    for (const k of cles)
      for (let i = 0; i < parBloc; i++) {
        const t = performance.now();
        await fns[k]();
        samples[k].push(performance.now() - t);
      }
  return Object.fromEntries(
    cles.map((k) => {
      const s = samples[k].sort((a, b) => a - b);
      return [k, { median: percentile(s, 50), p95: percentile(s, 95), n: s.length }];
    }),
  ) as Record<K, Timing>;
}
