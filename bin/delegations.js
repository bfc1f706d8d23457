#!/usr/bin/env node
// Loads the TypeScript CLI in this same process through tsx, so `npx delegations` works from a checkout
// and signals reach the server directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
