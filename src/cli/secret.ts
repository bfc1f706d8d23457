import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The server's secret: DELEGATIONS_SECRET, or one generated at the first start and kept in the data folder,
 * so that forms opened before a restart still post. Instances started from one folder share it.
 */
export function secretServeur(config: Pick<Config, 'secret' | 'dataDir'>): string {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    fs.linkSync(tmp, file); // complete when it appears; two instances starting together keep the first one
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return fs.readFileSync(file, 'utf8').trim();
}
