import { afterAll, afterEach, beforeEach } from 'vitest';
import { arreterTout, debutTest, finTest } from './process.js';

// Every process a test spawns dies with the test, even when the test fails or times out (a timed-out
// test's `finally` never runs; these hooks do); those spawned in beforeAll die with their file.
beforeEach(debutTest);
afterEach(finTest);
afterAll(arreterTout);
