import { createHash, randomBytes } from 'node:crypto';
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

/** Claims of claims left by takers killed mid-takeover: each level needs another such death. */
const PROFONDEUR_MAX = 8;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lire(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The owner's pid, or null when the content is not a lock of ours (treated as stale). */
function proprietaire(contenu: string): number | null {
  const pid = Number(contenu.trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** A file holding `contenu`, under a name no other process or call uses, to be linked or renamed into place. */
function brouillon(file: string, contenu: string): string {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, contenu);
  return tmp;
}

/** Creates `file` holding `contenu` in one step (a hard link fails if it exists): it is never seen empty. */
function creer(file: string, contenu: string): boolean {
  const tmp = brouillon(file, contenu);
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

type Prise = { ok: true } | { ok: false; pid: number };

/**
 * Takes `file` for `jeton` (our pid and a nonce, unique to this call). A file whose owner is dead is never
 * deleted: it is replaced, by an atomic rename, by the one process that created the claim named after its
 * exact content, after checking under that claim that the content is still the same. Nothing else replaces
 * or deletes a file whose owner is dead, so the check cannot be invalidated before the rename, and two
 * takers of one stale lock cannot both win. A claim left by a taker killed mid-takeover is taken over the
 * same way, one level down.
 */
function prendre(file: string, jeton: string, profondeur: number): Prise {
  for (;;) {
    if (creer(file, jeton)) return { ok: true };
    const contenu = lire(file);
    if (contenu === null) continue; // released in between
    const pid = proprietaire(contenu);
    if (pid !== null && (pid === process.pid || alive(pid))) return { ok: false, pid };
    if (profondeur >= PROFONDEUR_MAX) throw new Error(`Trop de reprises abandonnées sur ${file}.`);
    const revendication = `${file}.${createHash('sha256').update(contenu).digest('hex').slice(0, 16)}`;
    const prise = prendre(revendication, jeton, profondeur + 1);
    if (!prise.ok) return prise; // another process is taking it over: it is alive, and will own it
    try {
      if (lire(file) === contenu) {
        const tmp = brouillon(file, jeton);
        try {
          fs.renameSync(tmp, file);
        } finally {
          fs.rmSync(tmp, { force: true });
        }
        return { ok: true };
      }
    } finally {
      fs.rmSync(revendication, { force: true });
    }
  }
}

/**
 * Exclusive lock on an embedded data folder: two processes on one PGlite folder silently lose writes.
 * The lock file holds the owner's pid, so a lock left by a killed process is taken over, not obeyed.
 */
export function lockDataFolder(folder: string): () => void {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'delegations.lock');
  const jeton = `${process.pid} ${randomBytes(12).toString('hex')}\n`;
  const prise = prendre(file, jeton, 0);
  if (!prise.ok) throw new DataFolderLockedError(folder, prise.pid);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // while we live, nobody else replaces our file: what we read is still ours when we remove it
    if (lire(file) === jeton) fs.rmSync(file, { force: true });
  };
}
