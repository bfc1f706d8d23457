import fs from 'node:fs';
import path from 'node:path';

export class DataFolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `Le dossier de données ${folder} est déjà utilisé par un autre processus Délégations (pid ${pid}). ` +
        'Arrêtez-le, ou indiquez un autre dossier avec DELEGATIONS_DATA_DIR.',
    );
    this.name = 'DataFolderLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lirePid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Creates the lock file with our pid in one step (a hard link fails if it exists): it is never seen empty. */
function creer(file: string): boolean {
  const tmp = `${file}.${process.pid}.nouveau`;
  fs.writeFileSync(tmp, String(process.pid));
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Removes a lock left by `pid`, a dead process. Two processes may find the same stale lock: the file is
 * moved aside first, and if what was moved is not that stale lock (the other process took the folder in
 * between), it is put back, so that a live lock is never deleted.
 */
function reprendre(file: string, pid: number | null): void {
  const aside = `${file}.${process.pid}.reprise`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    if (lirePid(aside) !== pid) fs.linkSync(aside, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * Exclusive lock on an embedded data folder: two processes on one PGlite folder silently lose writes.
 * The lock file holds the owner's pid, so a lock left by a killed process is taken over, not obeyed.
 */
export function lockDataFolder(folder: string): () => void {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'delegations.lock');
  for (let attempt = 0; attempt < 5; attempt++) {
    if (creer(file)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (lirePid(file) === process.pid) fs.rmSync(file, { force: true });
      };
    }
    const pid = lirePid(file);
    if (pid !== null && (pid === process.pid || alive(pid))) throw new DataFolderLockedError(folder, pid);
    reprendre(file, pid); // stale: its owner is gone
  }
  throw new Error(`Impossible de verrouiller le dossier de données ${folder}.`);
}
