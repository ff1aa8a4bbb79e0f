import { MINIMUM_HASHING, STANDARD_HASHING } from '../../src/auth/password';
import { ConfigError, loadConfig } from '../../src/config';

const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@127.0.0.1/db', JWT_SECRET: 'x'.repeat(40) };
const CHEAP = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', ARGON2_PARALLELISM: '1' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('argon2 cost (ARGON2_*)', () => {
  it('defaults to the library standard in every environment', () => {
    expect(loadConfig(PRODUCTION).passwordHashing).toEqual(STANDARD_HASHING);
    expect(loadConfig({ NODE_ENV: 'test' }).passwordHashing).toEqual(STANDARD_HASHING);
  });

  it('accepts a cost under the OWASP floor only when NODE_ENV=test', () => {
    expect(loadConfig({ NODE_ENV: 'test', ...CHEAP }).passwordHashing).toEqual({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    for (const env of [{ ...PRODUCTION, ...CHEAP }, { NODE_ENV: 'development', ...CHEAP }, { ...PRODUCTION, ARGON2_TIME_COST: '1' }]) {
      expect(problems(env)).toEqual([expect.stringMatching(/^ARGON2_MEMORY_KIB \/ ARGON2_TIME_COST \/ ARGON2_PARALLELISM below .* only when NODE_ENV=test$/)]);
    }
  });

  it('lets production raise the cost, and takes the floor itself', () => {
    expect(loadConfig({ ...PRODUCTION, ARGON2_MEMORY_KIB: '131072', ARGON2_TIME_COST: '4' }).passwordHashing).toEqual({ ...STANDARD_HASHING, memoryCost: 131072, timeCost: 4 });
    const floor = { ARGON2_MEMORY_KIB: String(MINIMUM_HASHING.memoryCost), ARGON2_TIME_COST: String(MINIMUM_HASHING.timeCost), ARGON2_PARALLELISM: String(MINIMUM_HASHING.parallelism) };
    expect(loadConfig({ ...PRODUCTION, ...floor }).passwordHashing).toEqual(MINIMUM_HASHING);
  });

  it('names the variable of a malformed value', () => {
    expect(problems({ NODE_ENV: 'test', ARGON2_TIME_COST: 'fast' })).toEqual(['ARGON2_TIME_COST must be an integer between 1 and 100']);
  });
});

describe('CORS_ORIGINS', () => {
  it('defaults to local dev servers in development, and to none in production and tests', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).corsOrigins).toEqual(expect.arrayContaining(['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:3000']));
    expect(loadConfig(PRODUCTION).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test' }).corsOrigins).toEqual([]);
  });

  it('takes a comma-separated list of exact origins, and an empty value for none', () => {
    expect(loadConfig({ ...PRODUCTION, CORS_ORIGINS: 'https://app.example.kz, https://admin.example.kz:8443' }).corsOrigins).toEqual(['https://app.example.kz', 'https://admin.example.kz:8443']);
    expect(loadConfig({ NODE_ENV: 'development', CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
  });

  it.each([['*'], ['https://app.example.kz/'], ['https://app.example.kz/path'], ['localhost:5173'], ['ftp://app.example.kz'], ['https://a.kz,nope']])('refuses %s without echoing it', (value) => {
    const found = problems({ NODE_ENV: 'development', CORS_ORIGINS: value });
    expect(found).toEqual([expect.stringMatching(/^CORS_ORIGINS must be a comma-separated list of origins/)]);
    expect(found[0]).not.toContain(value);
  });

  it('refuses a plain-http origin in production (the session cookie is Secure there)', () => {
    expect(problems({ ...PRODUCTION, CORS_ORIGINS: 'http://app.example.kz' })).toEqual([expect.stringContaining('https only in production')]);
  });
});

describe('LOG_FORMAT', () => {
  it('is pretty in development, JSON in production and tests, and JSON only in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig(PRODUCTION).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(problems({ ...PRODUCTION, LOG_FORMAT: 'pretty' })).toEqual(['LOG_FORMAT must be json when NODE_ENV=production']);
    expect(problems({ NODE_ENV: 'development', LOG_FORMAT: 'xml' })).toEqual(['LOG_FORMAT must be json or pretty']);
  });
});
