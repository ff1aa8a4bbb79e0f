/** Configuration from the environment, validated once at start with one clear line per bad value. */

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly jwt: {
    readonly secret: string | null;
    readonly jwksUrl: string | null;
    readonly issuer: string;
    readonly audience: string;
    readonly ttlSeconds: number;
  };
  readonly cookieSecure: boolean;
  readonly redisUrl: string | null;
  readonly logLevel: string;
  readonly demo: { readonly seed: number; readonly clients: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
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

  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push('NODE_ENV must be development, production or test');
  }
  const production = nodeEnv === 'production';
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const jwksUrl = url('JWT_JWKS_URL', ['https:', 'http:']);
  const secret = env.JWT_SECRET && env.JWT_SECRET !== '' ? env.JWT_SECRET : null;
  if (secret !== null && Buffer.byteLength(secret) < 32) problems.push('JWT_SECRET must be at least 32 bytes long');
  if (production && !databaseUrl) problems.push('DATABASE_URL is required when NODE_ENV=production');
  if (production && !secret && !jwksUrl) problems.push('JWT_SECRET (or JWT_JWKS_URL) is required when NODE_ENV=production');
  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: Config = {
    env: nodeEnv as Config['env'],
    port: int('PORT', 4000, 0, 65535),
    databaseUrl,
    dataDir: env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : '.data',
    jwt: {
      secret,
      jwksUrl,
      issuer: env.JWT_ISSUER ?? 'kzpay-privacy-graph',
      audience: env.JWT_AUDIENCE ?? 'kzpay-privacy-graph',
      ttlSeconds: int('TOKEN_TTL_SECONDS', 3600, 60, 86400),
    },
    cookieSecure: bool('COOKIE_SECURE', production),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    logLevel,
    demo: { seed: int('DEMO_SEED', 42, 0, 2 ** 31 - 1), clients: int('DEMO_CLIENTS', 1000, 0, 1_000_000) },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
