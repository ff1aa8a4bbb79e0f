/**
 * Rate limits per IP (before the body is read) and per principal (once the caller is known).
 * In-process by default; with REDIS_URL every instance shares one count, and if Redis fails each
 * instance falls back to its own in-memory count rather than to no limit at all.
 */
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { apiError } from '../errors';
import { sendError } from './limits-response';
import { limitKeyOf } from '../net/ip-address';
import type { Metrics } from '../observability/metrics';

/** `registration`: registrations per IP, which each cost a password hash. */
export type LimitKind = 'ip' | 'principal' | 'registration';

export interface RateLimiter {
  /** Resolves, or rejects with a RATE_LIMITED GraphQL error (HTTP 429, Retry-After); `points` 1 by default. */
  consume(kind: LimitKind, id: string, points?: number): Promise<void>;
  /** The per-IP limit as express middleware, answering 429 itself. */
  readonly perIp: RequestHandler;
  close(): Promise<void>;
}

export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('rate limited');
  }
}

const message = (seconds: number) => `Too many requests; retry after ${seconds} s`;

export function rateLimitedError(retryAfterSeconds: number) {
  return apiError('RATE_LIMITED', message(retryAfterSeconds), {
    retryAfterSeconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
}

const ADDRESS = Symbol('client-address');

/**
 * The client's address: req.ip honours TRUST_PROXY (behind a balancer, the client's, not the
 * balancer's). Express works it out again, X-Forwarded-For included, on every read: once a request.
 */
export function clientAddress(req: Request & { [ADDRESS]?: string | null }): string | null {
  if (req[ADDRESS] === undefined) req[ADDRESS] = req.ip ?? req.socket.remoteAddress ?? null;
  return req[ADDRESS];
}

/** The per-IP key of a request: its client address, an IPv6 one by its /64. */
export const ipLimitKey = (req: Request): string => limitKeyOf(clientAddress(req) ?? 'unknown');

/** Keys are hashed: Redis need not hold callers' IP addresses or subject ids in clear. */
function keyOf(kind: LimitKind, id: string): string {
  const clear = `${kind}\0${id}`;
  let key = hashedKeys.get(clear);
  if (key === undefined) {
    key = `${kind}:${createHash('sha256').update(clear).digest('base64url').slice(0, 22)}`;
    if (hashedKeys.size >= HASHED_KEYS) hashedKeys.clear();
    hashedKeys.set(clear, key);
  }
  return key;
}

/** A caller's keys recur on every request: hashed once while they do (the clear keys stay in this process only). */
const hashedKeys = new Map<string, string>();
const HASHED_KEYS = 10_000;

const REDIS_START_WAIT_MS = 2000;

/** With Redis, waits briefly for it at start so the shared count applies from the first request. */
export async function createRateLimiter(config: Pick<Config, 'rateLimit' | 'redisUrl'>, log: Logger, metrics?: Pick<Metrics, 'rateLimited'>): Promise<RateLimiter> {
  const { windowSeconds, perIp, perPrincipal, registrationsPerIp, keyPrefix } = config.rateLimit;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 }) : null;
  if (redis) {
    let healthy = true;
    redis.on('error', (error: Error & { code?: string }) => {
      if (healthy) log.warn({ code: error.code, errorName: error.name }, 'rate limit store unreachable: limiting per instance');
      healthy = false;
    });
    redis.on('ready', () => {
      if (!healthy) log.info('rate limit store reachable again');
      healthy = true;
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, REDIS_START_WAIT_MS);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const build = (kind: LimitKind, points: number): RateLimiterAbstract | null => {
    if (points === 0) return null;
    const options = { keyPrefix: `${keyPrefix}:${kind}`, points, duration: windowSeconds };
    const memory = new RateLimiterMemory(options);
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory }) : memory;
  };
  const limiters: Record<LimitKind, RateLimiterAbstract | null> = {
    ip: build('ip', perIp),
    principal: build('principal', perPrincipal),
    registration: build('registration', registrationsPerIp),
  };

  const check = async (kind: LimitKind, id: string, points = 1): Promise<void> => {
    const limiter = limiters[kind];
    if (!limiter) return;
    try {
      await limiter.consume(keyOf(kind, id), points);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        metrics?.rateLimited(kind);
        throw new RateLimited(Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)));
      }
      // Both stores failed: serving without a limit beats refusing everyone.
      log.error({ errorName: outcome instanceof Error ? outcome.name : typeof outcome }, 'rate limiter failed');
    }
  };

  return {
    async consume(kind, id, points) {
      await check(kind, id, points).catch((error: unknown) => {
        throw error instanceof RateLimited ? rateLimitedError(error.retryAfterSeconds) : error;
      });
    },
    perIp: (req, res, next) => {
      check('ip', ipLimitKey(req)).then(
        () => next(),
        (error: unknown) => {
          if (!(error instanceof RateLimited)) return next(error);
          sendError(res, 429, 'RATE_LIMITED', message(error.retryAfterSeconds), { retryAfterSeconds: error.retryAfterSeconds }, { 'retry-after': String(error.retryAfterSeconds) });
        },
      );
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
