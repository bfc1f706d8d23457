/** A pause between two looks at work done elsewhere (another process, the job queue). */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `condition` holds, looking every `pasMs` up to `delaiMs`: the wait counts its looks and never
 * reads the clock, so that no test depends on the date it runs at.
 */
export async function attendreQue(
  condition: () => boolean | Promise<boolean>,
  { pasMs = 100, delaiMs = 30_000 }: { pasMs?: number; delaiMs?: number } = {},
): Promise<void> {
  for (let n = 0; n * pasMs < delaiMs; n++) {
    if (await condition()) return;
    await pause(pasMs);
  }
  throw new Error(`Délai dépassé (${delaiMs} ms)`);
}
