/** Configuration from the environment, validated once at start with one clear line per bad value. */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { LogFormat } from './logger';
import { DEFAULT_HASH_QUEUE, MINIMUM_HASHING, STANDARD_HASHING, type PasswordHashing } from './auth/password';
import { DEFAULT_RETENTION, MIN_CONSENT_RECORD_RETENTION_YEARS, MIN_ORDER_RETENTION_YEARS, readLifecycleTerms, RETENTION_ENV, type RetentionPolicy } from './consent/retention';

/** The process's password hashing queue (src/auth/password.ts). */
export interface HashingLimits {
  /** Hashes computed at once. */
  readonly concurrency: number;
  /** Hashes waiting for their turn; past that, a new one is refused at once. */
  readonly queue: number;
}

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  /** The address to bind; null: every interface (Node's default). */
  readonly host: string | null;
  /** /metrics on a listener of its own (src/observability/metrics-endpoint.ts); null: on the public port outside production, off in production. */
  readonly metricsPort: number | null;
  readonly databaseUrl: string | null;
  /** Migrations run as this role (the owner) when set; the API then runs as DATABASE_URL's, with only the rights it needs. */
  readonly migrationDatabaseUrl: string | null;
  readonly dataDir: string;
  readonly jwt: {
    readonly secret: string | null;
    readonly jwksUrl: string | null;
    readonly issuer: string;
    readonly audience: string;
    readonly ttlSeconds: number;
  };
  readonly cookieSecure: boolean;
  /** Browser origins allowed to call the API with credentials (CORS). */
  readonly corsOrigins: readonly string[];
  readonly redisUrl: string | null;
  readonly logLevel: string;
  /** `pretty` (pino-pretty) for a developer's terminal, `json` (one object a line) for log shippers. */
  readonly logFormat: LogFormat;
  readonly demo: { readonly seed: number; readonly clients: number };
  /** Hostile-input limits (docs/hardening.md). */
  readonly limits: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxDirectives: number;
    readonly maxTokens: number;
    readonly maxCost: number;
    readonly maxBodyBytes: number;
    readonly maxPageSize: number;
    readonly requestTimeoutMs: number;
  };
  /** Requests per window per caller; 0 turns that limit off. Shared through Redis when REDIS_URL is set. */
  readonly rateLimit: {
    readonly windowSeconds: number;
    readonly perIp: number;
    readonly perPrincipal: number;
    /** Registrations per window per IP: below what the password hasher can do, so one address cannot fill its queue. */
    readonly registrationsPerIp: number;
    readonly keyPrefix: string;
  };
  readonly passwordHashQueue: HashingLimits;
  /** Proxy hops in front of the server whose X-Forwarded-For is trusted for the caller's IP (0: none). */
  readonly trustProxy: number;
  readonly retention: RetentionPolicy;
  /** argon2id cost of new password hashes; below OWASP's floor only under NODE_ENV=test. */
  readonly passwordHashing: PasswordHashing;
  /** In-process job runner (withdrawals, expiry, retention purge); 0 turns it off (run `npm run jobs -- --once` from cron). */
  readonly jobs: { readonly intervalSeconds: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Variables that may instead be read from a file named by `<NAME>_FILE` (Docker and compose
 * secrets, mounted under /run/secrets): a secret in a file is not in the container's environment,
 * which `docker inspect` and every child process can read.
 */
export const SECRET_FILE_VARIABLES = ['JWT_SECRET', 'DATABASE_URL', 'MIGRATION_DATABASE_URL', 'REDIS_URL'] as const;

/** The environment with each `<NAME>_FILE` read into `<NAME>` (one trailing newline dropped). */
function withSecretFiles(env: Env, problems: string[]): Env {
  const resolved = { ...env };
  for (const name of SECRET_FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`set ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${name}_FILE cannot be read (${(error as { code?: string }).code ?? 'error'})`);
      continue;
    }
    if (resolved[name] === '') problems.push(`${name}_FILE names an empty file`);
  }
  return resolved;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const DEFAULT_MAX_PAGE_SIZE = 100;

/** RFC 1123 labels, dot-separated: `localhost`, `app.internal`. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** CORS_ORIGINS in development: local frontends' dev servers, Vite (5173, preview 4173) and the usual 3000. */
export const DEVELOPMENT_ORIGINS: readonly string[] = [5173, 4173, 3000].flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);

export function loadConfig(given: Env = process.env): Config {
  const problems: string[] = [];
  const env = withSecretFiles(given, problems);
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false`);
    return fallback;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return null;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      // The value may hold a password: name the variable, never echo it.
      problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`);
      return null;
    }
  };

  const host = (raw: string | undefined): string | null => {
    if (raw === undefined || raw === '') return null;
    if (isIP(raw) === 0 && !HOST_NAME.test(raw)) problems.push('HOST must be an IP address or a host name');
    return raw;
  };

  const keyPrefix = (raw: string | undefined): string => {
    if (raw === undefined || raw === '') return 'kzpay-rl';
    if (!/^[A-Za-z0-9:_-]{1,64}$/.test(raw)) problems.push('RATE_LIMIT_KEY_PREFIX must be 1 to 64 of A-Z a-z 0-9 : _ -');
    return raw;
  };

  /** A comma-separated list of exact origins (scheme://host[:port]); https only in production. */
  const origins = (raw: string | undefined, fallback: readonly string[], production: boolean): readonly string[] => {
    if (raw === undefined) return fallback;
    const list = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
    const valid = list.every((origin) => {
      try {
        const url = new URL(origin);
        return url.origin === origin && (url.protocol === 'https:' || (!production && url.protocol === 'http:'));
      } catch {
        return false;
      }
    });
    if (!valid) problems.push(`CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.kz (scheme, host and port only${production ? '; https only in production' : ''})`);
    return valid ? list : [];
  };

  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push('NODE_ENV must be development, production or test');
  }
  const production = nodeEnv === 'production';
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const migrationDatabaseUrl = url('MIGRATION_DATABASE_URL', ['postgres:', 'postgresql:']);
  if (migrationDatabaseUrl && !databaseUrl) problems.push('MIGRATION_DATABASE_URL needs DATABASE_URL (the role the API runs as)');
  const jwksUrl = url('JWT_JWKS_URL', ['https:', 'http:']);
  const secret = env.JWT_SECRET && env.JWT_SECRET !== '' ? env.JWT_SECRET : null;
  if (secret !== null && Buffer.byteLength(secret) < 32) problems.push('JWT_SECRET must be at least 32 bytes long');
  if (production && !databaseUrl) problems.push('DATABASE_URL is required when NODE_ENV=production');
  // Keys fetched in clear could be swapped on the way, and a session cookie sent in clear read.
  if (production && jwksUrl && new URL(jwksUrl).protocol !== 'https:') problems.push('JWT_JWKS_URL must be an https:// URL when NODE_ENV=production');
  if (production && ['false', '0'].includes(env.COOKIE_SECURE ?? '')) problems.push('COOKIE_SECURE cannot be turned off when NODE_ENV=production');
  // Login and registration sign their tokens with JWT_SECRET, even when staff tokens come from a JWKS.
  if (production && !secret) problems.push('JWT_SECRET is required when NODE_ENV=production (login and registration sign with it)');
  const lifecycle = readLifecycleTerms(env);
  problems.push(...lifecycle.problems);
  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = env.LOG_FORMAT && env.LOG_FORMAT !== '' ? env.LOG_FORMAT : nodeEnv === 'development' ? 'pretty' : 'json';
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push('LOG_FORMAT must be json or pretty');
  // Production logs go to machines, which read one JSON object a line.
  if (production && logFormat === 'pretty') problems.push('LOG_FORMAT must be json when NODE_ENV=production');

  const passwordHashing: PasswordHashing = {
    memoryCost: int('ARGON2_MEMORY_KIB', STANDARD_HASHING.memoryCost, 1024, 4_194_304),
    timeCost: int('ARGON2_TIME_COST', STANDARD_HASHING.timeCost, 1, 100),
    // At most 64 lanes: argon2's 8 KiB per lane then always fits in the 1024 KiB minimum.
    parallelism: int('ARGON2_PARALLELISM', STANDARD_HASHING.parallelism, 1, 64),
  };
  // A cheap hash is for test runs only: anywhere else a cost under the floor is refused, never raised quietly.
  if (nodeEnv !== 'test' && (Object.keys(MINIMUM_HASHING) as Array<keyof PasswordHashing>).some((k) => passwordHashing[k] < MINIMUM_HASHING[k])) {
    problems.push(`ARGON2_MEMORY_KIB / ARGON2_TIME_COST / ARGON2_PARALLELISM below ${MINIMUM_HASHING.memoryCost} KiB / ${MINIMUM_HASHING.timeCost} / ${MINIMUM_HASHING.parallelism} (OWASP's argon2id minimum) are accepted only when NODE_ENV=test`);
  }

  const port = int('PORT', 4000, 0, 65535);
  const metricsPort = env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? null : int('METRICS_PORT', 0, 0, 65535);
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) problems.push('METRICS_PORT must differ from PORT (metrics stay off the public port)');

  const config: Config = {
    env: nodeEnv as Config['env'],
    port,
    host: host(env.HOST),
    metricsPort,
    databaseUrl,
    migrationDatabaseUrl,
    dataDir: env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : '.data',
    jwt: {
      secret,
      jwksUrl,
      issuer: env.JWT_ISSUER ?? 'kzpay-privacy-graph',
      audience: env.JWT_AUDIENCE ?? 'kzpay-privacy-graph',
      ttlSeconds: int('TOKEN_TTL_SECONDS', 3600, 60, 86400),
    },
    cookieSecure: bool('COOKIE_SECURE', production),
    // Local frontends' dev servers in development; none unless listed in production and tests.
    corsOrigins: origins(env.CORS_ORIGINS, nodeEnv === 'development' ? DEVELOPMENT_ORIGINS : [], production),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    logLevel,
    logFormat: logFormat as LogFormat,
    demo: { seed: int('DEMO_SEED', 42, 0, 2 ** 31 - 1), clients: int('DEMO_CLIENTS', 1000, 0, 1_000_000) },
    limits: {
      maxDepth: int('QUERY_MAX_DEPTH', 10, 2, 50),
      maxAliases: int('QUERY_MAX_ALIASES', 15, 0, 500),
      maxDirectives: int('QUERY_MAX_DIRECTIVES', 20, 0, 500),
      maxTokens: int('QUERY_MAX_TOKENS', 1000, 50, 100_000),
      // graphql-armor's cost model: 100 clients with every field and 20 orders each cost about 305,000.
      maxCost: int('QUERY_MAX_COST', 500_000, 100, 100_000_000),
      maxBodyBytes: int('REQUEST_MAX_BYTES', 102_400, 1024, 10_485_760),
      maxPageSize: int('MAX_PAGE_SIZE', DEFAULT_MAX_PAGE_SIZE, 1, 1000),
      requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 10_000, 100, 300_000),
    },
    rateLimit: {
      windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
      perIp: int('RATE_LIMIT_PER_IP', 600, 0, 10_000_000),
      perPrincipal: int('RATE_LIMIT_PER_PRINCIPAL', 300, 0, 10_000_000),
      registrationsPerIp: int('RATE_LIMIT_REGISTRATIONS_PER_IP', 10, 0, 10_000_000),
      keyPrefix: keyPrefix(env.RATE_LIMIT_KEY_PREFIX),
    },
    passwordHashQueue: {
      concurrency: int('PASSWORD_HASH_CONCURRENCY', DEFAULT_HASH_QUEUE.concurrency, 1, 64),
      queue: int('PASSWORD_HASH_QUEUE', DEFAULT_HASH_QUEUE.queue, 0, 10_000),
    },
    trustProxy: int('TRUST_PROXY', 0, 0, 10),
    retention: {
      contactDaysAfterConsentEnds: int(RETENTION_ENV.contactDaysAfterConsentEnds, DEFAULT_RETENTION.contactDaysAfterConsentEnds, 0, 3650),
      orderYearsAfterCompletion: int(RETENTION_ENV.orderYearsAfterCompletion, DEFAULT_RETENTION.orderYearsAfterCompletion, MIN_ORDER_RETENTION_YEARS, 50),
      consentRecordYearsAfterEnd: int(RETENTION_ENV.consentRecordYearsAfterEnd, DEFAULT_RETENTION.consentRecordYearsAfterEnd, MIN_CONSENT_RECORD_RETENTION_YEARS, 50),
      consentTermYears: lifecycle.consentTermYears,
      securityEventDays: lifecycle.securityEventDays,
    },
    passwordHashing,
    jobs: { intervalSeconds: int('JOBS_INTERVAL_SECONDS', 300, 0, 86400) },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
