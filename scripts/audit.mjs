// `npm run audit`: known vulnerabilities of the production dependencies, from the registry's advisories.
// Exit 1 on a finding of the given level or above (high by default), 0 when there is none or when the
// advisory source cannot be reached: then it says so plainly, since no answer is not a clean bill.
import { spawnSync } from 'node:child_process';

const NIVEAUX = ['info', 'low', 'moderate', 'high', 'critical'];
const niveau = process.argv[2] ?? 'high';
if (!NIVEAUX.includes(niveau)) {
  console.error(`Niveau inconnu « ${niveau} » : ${NIVEAUX.join(', ')}.`);
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });

let rapport;
try {
  rapport = JSON.parse(r.stdout);
} catch {
  rapport = null;
}

const comptes = rapport?.metadata?.vulnerabilities;
if (!comptes) {
  // no report: the advisory endpoint answered an error (a mirror without it, a proxy) or not at all
  if (rapport?.error?.code === 'ENOLOCK') {
    console.error('Audit des dépendances impossible : package-lock.json manque.');
    process.exit(1);
  }
  const cause =
    r.error?.message ??
    rapport?.message ??
    rapport?.error?.summary ??
    (r.stderr.trim().split('\n')[0] || 'sans réponse');
  console.warn(`Audit des dépendances impossible : source d'avis injoignable (${cause}).`);
  process.exit(0);
}

const seuil = NIVEAUX.indexOf(niveau);
const graves = Object.values(rapport.vulnerabilities ?? {}).filter((v) => NIVEAUX.indexOf(v.severity) >= seuil);
const resume = NIVEAUX.map((n) => `${n} ${comptes[n] ?? 0}`).join(', ');
if (graves.length === 0) {
  console.log(`Audit des dépendances de production : aucune vulnérabilité de niveau ${niveau} ou plus (${resume}).`);
  process.exit(0);
}
console.error(`Audit des dépendances de production : ${graves.length} paquet(s) vulnérable(s) (${resume}).`);
for (const v of graves) {
  const avis = (v.via ?? []).filter((x) => typeof x === 'object').map((x) => `${x.title} (${x.url})`);
  const correctif = v.fixAvailable ? 'correctif disponible (npm audit fix)' : 'pas de correctif connu';
  console.error(
    `- ${v.name} [${v.severity}] ${v.range} : ${avis.join(' ; ') || `via ${v.via.join(', ')}`} — ${correctif}`,
  );
}
process.exit(1);
