/**
 * Static checks of the production stack (no Docker engine on the CI machines): docker-compose.yml,
 * Dockerfile and .dockerignore against what the app actually reads and runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';

const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target?: number | string; published?: number | string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
};

const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

/** Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$(\$|[A-Za-z_][A-Za-z0-9_]*|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\})/g, (_m, whole: string, name?: string, op?: string, arg?: string) => {
    if (whole === '$') return '$';
    if (!name) return env[whole] ?? '';
    const given = env[name];
    const missing = op?.startsWith(':') ? !given : given === undefined;
    if (!missing) return given!;
    if (op?.endsWith('?')) throw new Error(`${name}: ${arg}`);
    return op ? (arg ?? '') : '';
  });
}

/** The environment a service gets, as raw (uninterpolated) strings. */
function rawEnvironment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const SHELL_ENV = { JWT_SECRET: 'j'.repeat(48), POSTGRES_PASSWORD: 'compose-test-password', APP_DB_PASSWORD: 'compose-api-password' };
const interpolated = (service: Service, env: Record<string, string> = SHELL_ENV): Record<string, string> =>
  Object.fromEntries(Object.entries(rawEnvironment(service)).map(([k, v]) => [k, interpolate(v, env)]));

/** Variable names src/config.ts reads: env.X, env['X'], int('X', bool('X', url('X'. */
function configVariables(): Set<string> {
  const source = read('src/config.ts');
  const names = new Set<string>();
  const patterns = [
    /\benv\.([A-Z][A-Z0-9_]*)\b/g,
    /\benv\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g,
    /\b(?:int|bool|url)\(\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) names.add(match[1]!);
  return names;
}

/** [published, target] of a port entry, short or long syntax. */
function portPair(entry: string | number | { target?: number | string; published?: number | string }): [string | null, string] {
  if (typeof entry === 'object') return [entry.published === undefined ? null : String(entry.published), String(entry.target)];
  const spec = String(entry).replace(/\/(tcp|udp)$/, '');
  // host_ip:published:target, published:target or target; ${VAR:-4000} may hold a colon.
  const parts = spec.split(/:(?![^{]*\})/);
  const target = parts[parts.length - 1]!;
  const published = parts.length >= 2 ? parts[parts.length - 2]! : null;
  return [published, target];
}

function dockerfileCommand(dockerfile: string): string[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim());
  const cmd = lines.filter((l) => /^CMD\s/i.test(l)).pop();
  if (!cmd) throw new Error('Dockerfile has no CMD');
  const argument = cmd.replace(/^CMD\s+/i, '');
  return argument.startsWith('[') ? (JSON.parse(argument) as string[]) : ['/bin/sh', '-c', argument];
}

describe('docker-compose.yml', () => {
  it('defines app (built here), db on postgres:18 and redis', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'db', 'redis']);
    expect(services.app!.build).toBeDefined();
    expect(services.db!.image).toBe('postgres:18');
    expect(services.redis!.image).toMatch(/^redis:7(\b|$)/);
  });

  it('sets only variables that src/config.ts reads', () => {
    const known = configVariables();
    // If the regex stops finding anything, the check below would pass vacuously.
    for (const name of ['NODE_ENV', 'PORT', 'DATABASE_URL', 'JWT_SECRET', 'COOKIE_SECURE', 'LOG_LEVEL', 'REDIS_URL']) expect(known).toContain(name);
    const unknown = Object.keys(rawEnvironment(services.app!)).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('gives the app the production variables, and a configuration the app accepts', () => {
    const raw = rawEnvironment(services.app!);
    expect(raw.NODE_ENV).toBe('production');
    expect(raw.DATABASE_URL).toBeTruthy();
    // The secret comes from the shell and compose refuses to start without it.
    expect(raw.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
    expect(() => interpolated(services.app!, { POSTGRES_PASSWORD: 'x', APP_DB_PASSWORD: 'y' })).toThrow(/JWT_SECRET/);

    const env = interpolated(services.app!);
    const config = loadConfig(env);
    expect(config.env).toBe('production');
    expect(config.jwt.secret).toBe(SHELL_ENV.JWT_SECRET);
    expect(config.cookieSecure).toBe(true);
    expect(config.databaseUrl).not.toBeNull();
  });

  it('migrates as the database owner and serves as the API role the db service creates; REDIS_URL points at redis', () => {
    const env = interpolated(services.app!);
    const db = interpolated(services.db!);
    const migration = new URL(env.MIGRATION_DATABASE_URL!);
    const api = new URL(env.DATABASE_URL!);
    for (const url of [migration, api]) {
      expect(url.hostname).toBe('db');
      expect(url.port === '' || url.port === '5432').toBe(true);
      expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
    }
    expect(decodeURIComponent(migration.username)).toBe(db.POSTGRES_USER);
    expect(decodeURIComponent(migration.password)).toBe(db.POSTGRES_PASSWORD);
    // The API is not the owner (nor the superuser the image makes of POSTGRES_USER).
    expect(decodeURIComponent(api.username)).not.toBe(db.POSTGRES_USER);
    expect(decodeURIComponent(api.password)).toBe(db.APP_DB_PASSWORD);
    expect(loadConfig(env).migrationDatabaseUrl).toBe(env.MIGRATION_DATABASE_URL);
    // The init script the db service mounts creates exactly that role, with that password.
    const mounts = (services.db!.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]));
    const init = mounts.find(([, target]) => target === '/docker-entrypoint-initdb.d');
    expect(init).toBeDefined();
    const script = read(join(init![0]!, '10-api-role.sh'));
    expect(script).toContain(`create role ${decodeURIComponent(api.username)} login password :'api_password'`);
    expect(script).toContain('api_password="$APP_DB_PASSWORD"');
    expect(new URL(env.REDIS_URL!).hostname).toBe('redis');
  });

  it('publishes the port the app listens on', () => {
    const env = interpolated(services.app!);
    const port = loadConfig(env).port;
    const pairs = (services.app!.ports ?? []).map(portPair);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.map(([, target]) => target)).toContain(String(port));
    for (const [published] of pairs) expect(published).not.toBeNull();
  });

  it('starts the app only once the database is healthy', () => {
    const dependsOn = services.app!.depends_on as Record<string, { condition?: string }>;
    expect(Array.isArray(dependsOn)).toBe(false);
    expect(dependsOn.db?.condition).toBe('service_healthy');
    const test = services.db!.healthcheck?.test;
    expect([test].flat().join(' ')).toContain('pg_isready');
    for (const name of Object.keys(dependsOn)) {
      if (dependsOn[name]!.condition === 'service_healthy') expect(services[name]!.healthcheck).toBeDefined();
    }
  });

  it('keeps the database on a named volume at the postgres:18 data path', () => {
    const volumes = services.db!.volumes ?? [];
    const mounts = volumes.map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v));
    // postgres:18 declares VOLUME /var/lib/postgresql (data in 18/docker below it) and refuses a mount at .../data.
    const data = mounts.find((m) => m.target === '/var/lib/postgresql');
    expect(data).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data!.source);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it("runs the file package.json's start script runs, and that file is built", () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const command = dockerfileCommand(dockerfile);
    expect(command.join(' ')).toBe(start.trim().replace(/\s+/g, ' '));
    const script = command.find((arg) => arg.endsWith('.js'))!;
    expect(existsSync(join(ROOT, script))).toBe(true);
  });

  it('builds on node:20-bookworm-slim with npm ci and runs as a non-root user with a /healthz check', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim\b/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    expect(dockerfile).toMatch(/^HEALTHCHECK\b[\s\S]*\/healthz/m);
    // The runtime reads these from the project folder (migrations compiled into dist/, policy texts).
    expect(dockerfile).toMatch(/^COPY \. \.$/m);
  });

  it('in the image, `npm run jobs` and `npm run audit:verify` run the built files, skipping their rebuilding pre-scripts', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['jobs', 'audit:verify']) {
      const [node, file] = scripts[name]!.trim().split(/\s+/);
      expect({ name, node }).toEqual({ name, node: 'node' });
      expect(existsSync(join(ROOT, file!))).toBe(true);
      expect(scripts[`pre${name}`]).toMatch(/npm run build/);
    }
    // Set after the dependencies are installed (their install scripts must run), before the app runs.
    const env = dockerfile.search(/^\s+npm_config_ignore_scripts=true/m);
    expect(env).toBeGreaterThan(dockerfile.search(/^RUN npm run build\b/m));
  });

  it("builds the privacy center: web/ is in place before `npm ci`, whose prepare script builds it, and a local web/dist stays out", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepare).toMatch(/npm run build:web/);
    const copyWeb = dockerfile.search(/^COPY web \.\/web$/m);
    expect(copyWeb).toBeGreaterThan(-1);
    expect(copyWeb).toBeLessThan(dockerfile.search(/^RUN npm ci\b/m));
    expect(read('.dockerignore').split('\n').map((l) => l.trim().replace(/\/$/, ''))).toContain('web/dist');
  });

  it('.dockerignore keeps local artefacts out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim().replace(/\/$/, ''));
    for (const entry of ['node_modules', 'dist', '.data', '.git']) expect(ignored).toContain(entry);
  });
});
