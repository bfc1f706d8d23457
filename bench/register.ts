import type { Section } from './run.js';

export const section: Section = {
  name: 'registre des conventions',
  async run() {
    console.log('(à venir)');
  },
};
