/** One measured path of `npm run bench`, next to the raw SQL doing the same work. */
export interface Section {
  name: string;
  run(): Promise<void>;
}
