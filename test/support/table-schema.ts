/**
 * A Table Schema validator for the open data tests, written from the specification
 * (https://specs.frictionlessdata.io/table-schema/) and apart from the product's CSV writer: it reads the
 * CSV as RFC 4180 text and checks each cell against the schema's fields alone.
 */

interface Champ {
  name: string;
  type: string;
  description?: string;
  example?: string;
  constraints?: {
    required?: boolean;
    unique?: boolean;
    enum?: string[];
    pattern?: string;
    minimum?: number;
    maximum?: number;
  };
}

export interface Schema {
  fields: Champ[];
  primaryKey?: string | string[];
  missingValues?: string[];
  [k: string]: unknown;
}

/** RFC 4180 rows: fields separated by commas, double-quoted when they hold a comma, a quote or a line break. */
export function lireCsv(texte: string): string[][] {
  const rangs: string[][] = [];
  let rang: string[] = [];
  let cell = '';
  let i = 0;
  let guillemets = false;
  while (i < texte.length) {
    const ch = texte[i]!;
    if (guillemets) {
      if (ch === '"' && texte[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') guillemets = false;
      else cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === '') guillemets = true;
    else if (ch === ',') {
      rang.push(cell);
      cell = '';
    } else if (ch === '\r' && texte[i + 1] === '\n') {
      rang.push(cell);
      rangs.push(rang);
      rang = [];
      cell = '';
      i++;
    } else if (ch === '\n') {
      rang.push(cell);
      rangs.push(rang);
      rang = [];
      cell = '';
    } else cell += ch;
    i++;
  }
  if (guillemets) throw new Error('guillemet non fermé');
  if (cell !== '' || rang.length) {
    rang.push(cell);
    rangs.push(rang);
  }
  return rangs;
}

function dateValide(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function erreursCellule(f: Champ, v: string, manquantes: string[]): string[] {
  const c = f.constraints ?? {};
  if (manquantes.includes(v)) return c.required ? ['obligatoire'] : [];
  const out: string[] = [];
  let n: number | null = null;
  switch (f.type) {
    case 'integer':
      if (!/^[+-]?\d+$/.test(v)) out.push(`entier attendu : « ${v} »`);
      else n = Number(v);
      break;
    case 'number':
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) out.push(`nombre attendu : « ${v} »`);
      else n = Number(v);
      break;
    case 'date':
      if (!dateValide(v)) out.push(`date ISO attendue : « ${v} »`);
      break;
    case 'boolean':
      if (!['true', 'false'].includes(v)) out.push(`booléen attendu : « ${v} »`);
      break;
    case 'string':
      break;
    default:
      out.push(`type inconnu : ${f.type}`);
  }
  if (c.enum && !c.enum.includes(v)) out.push(`« ${v} » hors de l’énumération`);
  if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(v)) out.push(`« ${v} » ne suit pas le motif`);
  if (n !== null && c.minimum !== undefined && n < c.minimum) out.push(`${v} < ${c.minimum}`);
  if (n !== null && c.maximum !== undefined && n > c.maximum) out.push(`${v} > ${c.maximum}`);
  return out;
}

/** Errors of a CSV against a schema, one line each (empty: valid). */
export function valider(csv: string, schema: Schema): string[] {
  const erreurs: string[] = [];
  const rangs = lireCsv(csv);
  const [entete, ...lignes] = rangs;
  const noms = schema.fields.map((f) => f.name);
  if (!entete || entete.join(',') !== noms.join(',')) {
    return [`en-tête ${JSON.stringify(entete)} ≠ champs du schéma ${JSON.stringify(noms)}`];
  }
  const manquantes = schema.missingValues ?? [''];
  const vus = new Map<string, Set<string>>();
  const cles = new Set<string>();
  const pk =
    schema.primaryKey === undefined ? [] : Array.isArray(schema.primaryKey) ? schema.primaryKey : [schema.primaryKey];
  lignes.forEach((l, i) => {
    const ligne = i + 2;
    if (l.length !== noms.length) {
      erreurs.push(`ligne ${ligne} : ${l.length} cellules pour ${noms.length} champs`);
      return;
    }
    schema.fields.forEach((f, j) => {
      const v = l[j]!;
      for (const e of erreursCellule(f, v, manquantes)) erreurs.push(`ligne ${ligne}, ${f.name} : ${e}`);
      if (f.constraints?.unique && !manquantes.includes(v)) {
        const s = vus.get(f.name) ?? new Set();
        if (s.has(v)) erreurs.push(`ligne ${ligne}, ${f.name} : « ${v} » en double`);
        s.add(v);
        vus.set(f.name, s);
      }
    });
    if (pk.length) {
      const cle = JSON.stringify(pk.map((k) => l[noms.indexOf(k)]));
      if (pk.some((k) => manquantes.includes(l[noms.indexOf(k)]!))) erreurs.push(`ligne ${ligne} : clé primaire vide`);
      if (cles.has(cle)) erreurs.push(`ligne ${ligne} : clé primaire ${cle} en double`);
      cles.add(cle);
    }
  });
  return erreurs;
}

/** What schema.data.gouv.fr asks of a Table Schema's descriptor, field by field. */
export function erreursDescripteur(schema: Schema): string[] {
  const out: string[] = [];
  for (const k of ['$schema', 'name', 'title', 'description', 'version', 'licenses', 'fields', 'primaryKey'])
    if (schema[k] === undefined) out.push(`${k} manquant`);
  if (schema.countryCode !== 'FR') out.push('countryCode ≠ FR');
  if (typeof schema.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(schema.version)) out.push('version non semver');
  const licences = (schema.licenses ?? []) as Array<{ name?: string }>;
  if (!licences.some((l) => l.name === 'etalab-2.0')) out.push('licence etalab-2.0 absente');
  for (const f of schema.fields ?? []) {
    for (const k of ['name', 'type', 'description', 'example', 'constraints'] as const)
      if (f[k] === undefined) out.push(`${f.name}.${k} manquant`);
    if (f.example !== undefined) for (const e of erreursCellule(f, f.example, [])) out.push(`${f.name}.example : ${e}`);
  }
  const noms = new Set((schema.fields ?? []).map((f) => f.name));
  const pk = Array.isArray(schema.primaryKey) ? schema.primaryKey : [schema.primaryKey];
  for (const k of pk) if (typeof k !== 'string' || !noms.has(k)) out.push(`clé primaire ${String(k)} hors des champs`);
  return out;
}
