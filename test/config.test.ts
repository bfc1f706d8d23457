import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { secretServeur } from '../src/cli/secret.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configDataGouv,
  connexionDemoActive,
  cookiesSecurises,
  limitesImport,
  loadConfig,
} from '../src/config.js';
import type { Storage } from '../src/storage/database.js';
import { createApp } from '../src/web/app.js';
import { contexte, freshStorage } from './support/db.js';

const PROCONNECT = {
  PROCONNECT_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2',
  PROCONNECT_CLIENT_ID: 'client-delegations',
  PROCONNECT_CLIENT_SECRET: 'secret-delegations',
};

/** What the deployment guide asks for: PostgreSQL, ProConnect, an https public address. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://delegations@base:5432/delegations',
  PUBLIC_URL: 'https://delegations.numerique.gouv.fr',
  ...PROCONNECT,
};

/** loadConfig must refuse with a ConfigError whose message matches. */
function refuse(env: NodeJS.ProcessEnv, message: RegExp): void {
  let erreur: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    erreur = e;
  }
  expect(erreur, 'la configuration aurait dû être refusée').toBeInstanceOf(ConfigError);
  expect((erreur as ConfigError).message).toMatch(message);
}

describe('loadConfig in development', () => {
  it('defaults to the embedded database, demo data and the demo login, without ProConnect', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: path.resolve('data'),
      production: false,
      publicUrl: 'http://localhost:3000',
      demo: true,
      bodyLimit: 12 * 1024 * 1024,
      connexionDemo: false,
      proconnect: null,
      administrateurs: [],
      limiteConnexion: 30,
      limiteApi: 1200,
      trustProxy: 0,
      aujourdHui: null,
      smtpUrl: undefined,
      expediteur: 'Délégations <ne-pas-repondre@delegations.beta.gouv.fr>',
      // an imported file: 20 MB, read within 2 minutes in 768 MB; a .docx at most 50 MB inflated and 100 times its size
      limitesImport: {
        tailleMax: 20 * 1024 * 1024,
        delaiMs: 120_000,
        memoireMo: 768,
        ocrPagesMax: 40,
        ocrPageMs: 15_000,
        docxDecompresseMax: 50 * 1024 * 1024,
        docxRatioMax: 100,
        pdfDecompresseMax: 200 * 1024 * 1024,
        pdfObjetsMax: 200_000,
        pdfPagesMax: 300,
      },
    });
    expect(connexionDemoActive(c)).toBe(true);
    expect(cookiesSecurises(c.publicUrl)).toBe(false);
  });

  it('derives the default PUBLIC_URL from PORT', () => {
    const c = loadConfig({ PORT: '4123' });
    expect(c.port).toBe(4123);
    expect(c.publicUrl).toBe('http://localhost:4123');
  });

  it('treats empty variables as absent', () => {
    const c = loadConfig({
      DATABASE_URL: '',
      PROCONNECT_ISSUER: '',
      PROCONNECT_CLIENT_ID: '',
      PROCONNECT_CLIENT_SECRET: '',
      DELEGATIONS_LIMITE_API: '',
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.proconnect).toBeNull();
    expect(c.limiteApi).toBe(1200);
    expect(connexionDemoActive(c)).toBe(true);
  });

  it('with PostgreSQL: no demo data and no demo login unless asked for', () => {
    const pg = loadConfig({ DATABASE_URL: 'postgres://localhost/delegations' });
    expect(pg.databaseUrl).toBe('postgres://localhost/delegations');
    expect(pg.demo).toBe(false);
    expect(connexionDemoActive(pg)).toBe(false);
    const recette = loadConfig({
      DATABASE_URL: 'postgres://localhost/delegations',
      DELEGATIONS_CONNEXION_DEMO: '1',
      DELEGATIONS_DEMO: '1',
    });
    expect(recette.demo).toBe(true);
    expect(connexionDemoActive(recette)).toBe(true);
  });

  it('the demo login gives way to ProConnect once it is configured, unless asked for', () => {
    expect(connexionDemoActive(loadConfig({ ...PROCONNECT }))).toBe(false);
    expect(connexionDemoActive(loadConfig({ ...PROCONNECT, DELEGATIONS_CONNEXION_DEMO: '1' }))).toBe(true);
  });

  it('DELEGATIONS_DEMO=0 switches the demo data off on the embedded database', () => {
    expect(loadConfig({ DELEGATIONS_DEMO: '0' }).demo).toBe(false);
  });

  it('drops the trailing slash of PUBLIC_URL and reads HOST and DELEGATIONS_TRUST_PROXY', () => {
    const c = loadConfig({
      PUBLIC_URL: 'https://recette.delegations.fr/',
      HOST: '127.0.0.1',
      DELEGATIONS_TRUST_PROXY: '1',
    });
    expect(c.publicUrl).toBe('https://recette.delegations.fr');
    expect(c.host).toBe('127.0.0.1');
    expect(c.trustProxy).toBe(1);
    expect(loadConfig({ DELEGATIONS_TRUST_PROXY: '0' }).trustProxy).toBe(0);
    expect(loadConfig({ DELEGATIONS_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('reads DELEGATIONS_SECRET, refuses a short one, and otherwise keeps a generated secret in the data folder', () => {
    const cle = 'k'.repeat(32);
    expect(loadConfig({ DELEGATIONS_SECRET: cle }).secret).toBe(cle);
    refuse({ DELEGATIONS_SECRET: 'court' }, /DELEGATIONS_SECRET trop court/);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'delegations-secret-'));
    try {
      expect(secretServeur({ secret: cle, dataDir })).toBe(cle);
      expect(fs.readdirSync(dataDir)).toEqual([]);
      const genere = secretServeur({ secret: undefined, dataDir });
      expect(genere).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(secretServeur({ secret: undefined, dataDir })).toBe(genere); // a restart keeps the forms valid
      expect(fs.statSync(path.join(dataDir, 'secret')).mode & 0o077).toBe(0);
      expect(fs.readdirSync(dataDir)).toEqual(['secret']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each(['abc', '70000', '-1', '3000.5'])('refuses PORT=%s', (port) => {
    refuse({ PORT: port }, /PORT invalide/);
  });
});

describe('loadConfig in production', () => {
  it('accepts a complete configuration: ProConnect, https PUBLIC_URL, no demo login, secure cookies', () => {
    const c = loadConfig(PRODUCTION);
    expect(c.production).toBe(true);
    expect(c.publicUrl).toBe('https://delegations.numerique.gouv.fr');
    expect(c.proconnect).toEqual({
      issuer: PROCONNECT.PROCONNECT_ISSUER,
      discoveryUrl: undefined,
      clientId: PROCONNECT.PROCONNECT_CLIENT_ID,
      clientSecret: PROCONNECT.PROCONNECT_CLIENT_SECRET,
    });
    expect(c.connexionDemo).toBe(false);
    expect(connexionDemoActive(c)).toBe(false);
    expect(cookiesSecurises(c.publicUrl)).toBe(true);
  });

  it('refuses to start without ProConnect, naming ProConnect', () => {
    const {
      PROCONNECT_ISSUER: _i,
      PROCONNECT_CLIENT_ID: _c,
      PROCONNECT_CLIENT_SECRET: _s,
      ...sansProConnect
    } = PRODUCTION;
    refuse(sansProConnect, /ProConnect/);
    refuse({ NODE_ENV: 'production' }, /ProConnect/);
  });

  it('refuses DELEGATIONS_CONNEXION_DEMO=1 even with ProConnect configured', () => {
    refuse({ ...PRODUCTION, DELEGATIONS_CONNEXION_DEMO: '1' }, /DELEGATIONS_CONNEXION_DEMO.*production/);
  });

  it('never offers the demo login, even on the embedded database', () => {
    const { DATABASE_URL: _d, ...embarque } = PRODUCTION;
    const c = loadConfig(embarque);
    expect(c.databaseUrl).toBeUndefined();
    expect(connexionDemoActive(c)).toBe(false);
    // the use case function alone says the same for any production settings
    expect(
      connexionDemoActive({ production: true, databaseUrl: undefined, connexionDemo: true, proconnect: null }),
    ).toBe(false);
  });

  it('refuses a missing PUBLIC_URL', () => {
    const { PUBLIC_URL: _p, ...sansUrl } = PRODUCTION;
    refuse(sansUrl, /PUBLIC_URL/);
    refuse({ ...PRODUCTION, PUBLIC_URL: '' }, /PUBLIC_URL/);
  });

  it.each(['http://delegations.numerique.gouv.fr', 'http://10.0.0.12:3000', 'http://delegations.numerique.gouv.fr/'])(
    'refuses the non-https, non-local PUBLIC_URL %s',
    (url) => {
      refuse({ ...PRODUCTION, PUBLIC_URL: url }, /PUBLIC_URL commence par https:\/\//);
    },
  );

  it('accepts plain http on a local address (a production trial on the machine itself), with cookies not marked Secure', () => {
    const c = loadConfig({ ...PRODUCTION, PUBLIC_URL: 'http://localhost:3000' });
    expect(c.production).toBe(true);
    expect(cookiesSecurises(c.publicUrl)).toBe(false);
  });
});

describe('partial ProConnect settings', () => {
  const PARTIELS: Record<string, string>[] = [
    { PROCONNECT_ISSUER: PROCONNECT.PROCONNECT_ISSUER },
    { PROCONNECT_CLIENT_ID: 'client-delegations' },
    { PROCONNECT_CLIENT_SECRET: 'secret-delegations' },
    { PROCONNECT_ISSUER: PROCONNECT.PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID: 'client-delegations' },
    { PROCONNECT_ISSUER: PROCONNECT.PROCONNECT_ISSUER, PROCONNECT_CLIENT_SECRET: 'secret-delegations' },
    { PROCONNECT_CLIENT_ID: 'client-delegations', PROCONNECT_CLIENT_SECRET: 'secret-delegations' },
    {
      PROCONNECT_DISCOVERY_URL: 'https://auth.exemple.fr/.well-known/openid-configuration',
      PROCONNECT_CLIENT_ID: 'client-delegations',
    },
    { ...PROCONNECT, PROCONNECT_CLIENT_SECRET: '' },
  ];
  const MODES: [string, NodeJS.ProcessEnv][] = [
    ['development', {}],
    ['test', { NODE_ENV: 'test' }],
    ['production', { NODE_ENV: 'production', PUBLIC_URL: 'https://delegations.numerique.gouv.fr' }],
  ];
  for (const [mode, base] of MODES) {
    it.each(
      PARTIELS.map(
        (p) =>
          [
            Object.entries(p)
              .map(([k, v]) => (v ? k : `${k} vide`))
              .join(' + '),
            p,
          ] as const,
      ),
    )(`are refused in ${mode}: %s`, (_nom, partiel) => {
      refuse({ ...base, ...partiel }, /ProConnect est configuré en partie/);
    });
  }

  it('a discovery URL stands for the issuer, which is derived from it', () => {
    const c = loadConfig({
      PROCONNECT_DISCOVERY_URL: 'https://auth.exemple.fr/api/v2/.well-known/openid-configuration',
      PROCONNECT_CLIENT_ID: 'client-delegations',
      PROCONNECT_CLIENT_SECRET: 'secret-delegations',
    });
    expect(c.proconnect).toEqual({
      issuer: 'https://auth.exemple.fr/api/v2',
      discoveryUrl: 'https://auth.exemple.fr/api/v2/.well-known/openid-configuration',
      clientId: 'client-delegations',
      clientSecret: 'secret-delegations',
    });
  });

  it('an explicit issuer wins over the one a discovery URL would give', () => {
    const c = loadConfig({
      ...PROCONNECT,
      PROCONNECT_DISCOVERY_URL: 'https://ailleurs.exemple.fr/.well-known/openid-configuration',
    });
    expect(c.proconnect?.issuer).toBe(PROCONNECT.PROCONNECT_ISSUER);
    expect(c.proconnect?.discoveryUrl).toBe('https://ailleurs.exemple.fr/.well-known/openid-configuration');
  });
});

describe('cookiesSecurises', () => {
  it.each([
    ['https://delegations.numerique.gouv.fr', true],
    ['https://localhost:3000', true],
    ['http://localhost:3000', false],
    ['http://localhost', false],
    ['http://127.0.0.1:3000', false],
    ['http://[::1]:3000', false],
    ['http://delegations.interne:3000', true],
  ] as const)('%s → %s', (url, attendu) => {
    expect(cookiesSecurises(url)).toBe(attendu);
  });

  it('follows PUBLIC_URL through loadConfig', () => {
    expect(cookiesSecurises(loadConfig({ PUBLIC_URL: 'https://recette.delegations.fr' }).publicUrl)).toBe(true);
    expect(cookiesSecurises(loadConfig({ PORT: '8080' }).publicUrl)).toBe(false);
  });
});

describe('rate limits and body limit', () => {
  it('reads both limits, 0 meaning off', () => {
    const c = loadConfig({ DELEGATIONS_LIMITE_CONNEXION: '5', DELEGATIONS_LIMITE_API: '0' });
    expect(c.limiteConnexion).toBe(5);
    expect(c.limiteApi).toBe(0);
    const d = loadConfig({ DELEGATIONS_LIMITE_CONNEXION: '0', DELEGATIONS_LIMITE_API: '250' });
    expect(d.limiteConnexion).toBe(0);
    expect(d.limiteApi).toBe(250);
  });

  it.each([
    'DELEGATIONS_LIMITE_CONNEXION',
    'DELEGATIONS_LIMITE_API',
    'DELEGATIONS_BODY_LIMIT',
    'DELEGATIONS_TRUST_PROXY',
  ])('refuses invalid values of %s, naming the variable', (nom) => {
    for (const v of ['-1', '2.5', 'dix', 'illimite']) {
      refuse({ [nom]: v }, new RegExp(`${nom} doit être un entier positif \\(reçu : ${v}\\)`));
    }
  });

  it('reads DELEGATIONS_BODY_LIMIT in bytes', () => {
    expect(loadConfig({ DELEGATIONS_BODY_LIMIT: '1048576' }).bodyLimit).toBe(1_048_576);
  });

  describe('in the web app built from the configuration', () => {
    let storage: Storage;
    beforeAll(async () => {
      storage = await freshStorage('pglite');
    });
    afterAll(async () => storage?.close());

    async function statuts(env: NodeJS.ProcessEnv, n: number): Promise<number[]> {
      const app = createApp({ ctx: contexte(storage), config: loadConfig(env), storageKind: 'pglite' });
      const r: number[] = [];
      for (let i = 0; i < n; i++) r.push((await app.request('/api/v1/openapi.json')).status);
      return r;
    }

    it('DELEGATIONS_LIMITE_API=2 answers 429 from the third call of the minute', async () => {
      expect(await statuts({ DELEGATIONS_LIMITE_API: '2', DELEGATIONS_DEMO: '0' }, 4)).toEqual([200, 200, 429, 429]);
    });

    it('DELEGATIONS_LIMITE_API=0 sets no limit', async () => {
      expect(await statuts({ DELEGATIONS_LIMITE_API: '0', DELEGATIONS_DEMO: '0' }, 30)).toEqual(Array(30).fill(200));
    });
  });
});

describe('DELEGATIONS_ADMINISTRATEURS', () => {
  it('gives the list of addresses, separated by commas, trimmed, empty entries dropped', () => {
    const c = loadConfig({
      DELEGATIONS_ADMINISTRATEURS: ' camille.martin@numerique.gouv.fr, louis.petit@culture.gouv.fr ,, ',
    });
    expect(c.administrateurs).toEqual(['camille.martin@numerique.gouv.fr', 'louis.petit@culture.gouv.fr']);
  });

  it('is empty when unset or blank', () => {
    expect(loadConfig({}).administrateurs).toEqual([]);
    expect(loadConfig({ DELEGATIONS_ADMINISTRATEURS: ' , ' }).administrateurs).toEqual([]);
  });

  it('is kept in production', () => {
    expect(
      loadConfig({ ...PRODUCTION, DELEGATIONS_ADMINISTRATEURS: 'admin@numerique.gouv.fr' }).administrateurs,
    ).toEqual(['admin@numerique.gouv.fr']);
  });
});

describe('settings a budget office could mistype', () => {
  it('refuses a malformed PUBLIC_URL with a ConfigError, in development as in production', () => {
    refuse({ PUBLIC_URL: 'delegations.numerique.gouv.fr' }, /PUBLIC_URL invalide/);
    refuse({ PUBLIC_URL: 'ftp://delegations.numerique.gouv.fr' }, /PUBLIC_URL invalide/);
    refuse({ ...PRODUCTION, PUBLIC_URL: 'delegations.numerique.gouv.fr' }, /PUBLIC_URL invalide/);
    expect(loadConfig({ ...PRODUCTION, PUBLIC_URL: 'HTTPS://Delegations.Numerique.gouv.fr/' }).publicUrl).toBe(
      'https://delegations.numerique.gouv.fr',
    );
  });

  it('treats an empty PORT or data folder as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
    expect(loadConfig({ DELEGATIONS_DATA_DIR: '' }).dataDir).toBe(path.resolve('data'));
  });

  it('never fills a production database with demo conventions unless asked', () => {
    const { DATABASE_URL: _, ...embarque } = PRODUCTION;
    expect(loadConfig(embarque).demo).toBe(false);
    expect(loadConfig({ ...embarque, DELEGATIONS_DEMO: '1' }).demo).toBe(true);
  });

  it('refuses a body limit too small for a form', () => {
    refuse({ DELEGATIONS_BODY_LIMIT: '0' }, /DELEGATIONS_BODY_LIMIT/);
  });

  it('takes the OCR allowance per page and the cap on scanned pages from the environment', () => {
    const l = limitesImport({ DELEGATIONS_IMPORT_OCR_PAGE_S: '20', DELEGATIONS_IMPORT_OCR_PAGES_MAX: '12' });
    expect(l).toMatchObject({ ocrPageMs: 20_000, ocrPagesMax: 12 });
    expect(() => limitesImport({ DELEGATIONS_IMPORT_OCR_PAGES_MAX: '0' })).toThrow(/DELEGATIONS_IMPORT_OCR_PAGES_MAX/);
  });
});

describe('configDataGouv', () => {
  it('defaults to data.gouv.fr, three attempts two seconds apart, no key nor dataset', () => {
    expect(configDataGouv({})).toEqual({
      apiKey: undefined,
      jeuDeDonnees: undefined,
      url: 'https://www.data.gouv.fr',
      tentatives: 3,
      delaiMs: 2000,
    });
  });
  it('takes the demo platform, the key, the dataset and the retries from the environment', () => {
    expect(
      configDataGouv({
        DATAGOUV_URL: 'https://demo.data.gouv.fr/',
        DATAGOUV_API_KEY: 'cle',
        DATAGOUV_DATASET: 'jeu',
        DATAGOUV_TENTATIVES: '5',
        DATAGOUV_DELAI_MS: '10',
      }),
    ).toEqual({ apiKey: 'cle', jeuDeDonnees: 'jeu', url: 'https://demo.data.gouv.fr', tentatives: 5, delaiMs: 10 });
  });
  it('refuses an address that is not one, and zero attempts', () => {
    expect(() => configDataGouv({ DATAGOUV_URL: 'pas une adresse' })).toThrow(ConfigError);
    expect(() => configDataGouv({ DATAGOUV_TENTATIVES: '0' })).toThrow(/DATAGOUV_TENTATIVES/);
  });
});
