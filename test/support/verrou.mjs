// A process that takes a data folder's lock once told to start, says whether it won, and holds the lock
// until its standard input closes. It runs the compiled code, as the server does (the test setup builds it).
import fs from 'node:fs';
import { DataFolderLockedError, lockDataFolder } from '../../dist/storage/lock.js';

const [dossier, depart] = process.argv.slice(2);
process.stdout.write('pret\n');
const pause = new Int32Array(new SharedArrayBuffer(4));
while (!fs.existsSync(depart)) Atomics.wait(pause, 0, 0, 1);
try {
  const liberer = lockDataFolder(dossier);
  process.stdout.write('gagne\n');
  process.stdin.on('end', () => {
    liberer();
    process.exit(0);
  });
  process.stdin.resume();
} catch (e) {
  if (!(e instanceof DataFolderLockedError)) throw e;
  process.stdout.write('refuse\n');
  process.exit(0);
}
