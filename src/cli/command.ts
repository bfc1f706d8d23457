/** A `delegations <name>` command: each lives in its own file and is registered in main.ts. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}
