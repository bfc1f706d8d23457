/** Where a command writes: the terminal, or the answer the running server sends back to the command. */
export interface Sortie {
  out(ligne: string): void;
  err(ligne: string): void;
}

export const terminal: Sortie = { out: (l) => console.log(l), err: (l) => console.error(l) };
