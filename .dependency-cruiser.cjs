// Layer rules (README, "Architecture"): dependencies point inwards. `npm run lint` checks them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domaine-pur',
      comment: 'src/domain imports nothing outside src/domain: no package, no other layer.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'domaine-sans-entree-sortie',
      comment: 'src/domain does no I/O: no Node built-in that touches files, network, processes or time.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|dgram|dns|child_process|cluster|worker_threads|process|os|tls|readline|repl|vm|inspector|timers|timers/promises|perf_hooks)$',
      },
    },
    {
      name: 'cas-usage-sans-web-ni-cli',
      comment: 'src/usecases never imports src/web or src/cli.',
      severity: 'error',
      from: { path: '^src/usecases/' },
      to: { path: '^src/(web|cli)/' },
    },
    {
      name: 'web-cli-sans-stockage',
      comment:
        'src/web and src/cli reach storage through use cases only, types included. ' +
        'Only src/cli/database.ts opens the database.',
      severity: 'error',
      from: { path: '^src/(web|cli)/', pathNot: '^src/cli/database\\.ts$' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'stockage-sans-couches-hautes',
      comment: 'src/storage never imports use cases, web or cli.',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(usecases|web|cli)/' },
    },
    {
      name: 'generateurs-sur-domaine',
      comment:
        'src/generators (documents drawn from the data: DOCX, PDF) imports only src/domain and packages, never storage, use cases or web.',
      severity: 'error',
      from: { path: '^src/generators/' },
      to: { path: '^src/(storage|usecases|web|cli|importer|demo)/' },
    },
    {
      name: 'importeur-sur-domaine',
      comment:
        'src/importer imports only src/domain; its file readers (readers.ts) alone use packages and Node built-ins.',
      severity: 'error',
      from: { path: '^src/importer/' },
      to: {
        pathNot: '^src/(importer|domain)/',
        dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer'],
      },
    },
    {
      name: 'importeur-paquets-dans-lecteurs',
      comment:
        'Within src/importer, only the file edge uses packages and Node built-ins: readers.ts with its OCR of scanned pages (ocr.ts), the reading bounds (limites.ts) and the reading thread (isolement.ts, travailleur.ts).',
      severity: 'error',
      from: { path: '^src/importer/', pathNot: '^src/importer/(?:readers|ocr|limites|isolement|travailleur)\\.ts$' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'pas-de-cycle',
      comment: 'No import cycle, type imports included: a shared type goes in a module both sides import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pas-d-orphelin',
      comment: 'A module nobody imports is dead code, unless it is an entry point.',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '(^|/)[^/]+\\.config\\.(js|cjs|mjs|ts)$',
          '^\\.dependency-cruiser\\.cjs$',
          '\\.test\\.tsx?$',
          '^test/support/global-setup\\.ts$',
          '^bin/',
          '^scripts/',
          '^bench/run\\.ts$',
        ],
      },
      to: {},
    },
    {
      name: 'pas-de-dependance-non-declaree',
      comment: 'A package used by src/ is declared in package.json, and src/ uses no dev-only package.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev', 'unknown', 'undetermined'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|dist|\\.dist-[^/]+|\\.ci/out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
