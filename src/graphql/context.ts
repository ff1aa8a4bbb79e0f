import type { EntityManager } from '@mikro-orm/postgresql';
import { pageSize } from '../validation/validate';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import type { HttpControls, RequestOrigin } from '../net/http-exchange';
import type { Metrics } from '../observability/metrics';
import { createLoaders, type Loaders } from './loaders';
import { requestPrivacyFor, type RequestPrivacy } from './request-privacy';

/** Everything a resolver may use; made fresh for every request. */
export interface RequestContext {
  readonly principal: Principal | null;
  readonly em: EntityManager;
  readonly loaders: Loaders;
  readonly privacy: RequestPrivacy;
  readonly requestId: string;
  readonly origin: RequestOrigin;
  readonly http: HttpControls;
  readonly config: Config;
  readonly metrics: Metrics;
  readonly log: Logger;
}

export async function createRequestContext(args: {
  principal: Principal | null;
  em: EntityManager;
  requestId: string;
  origin: RequestOrigin;
  http: HttpControls;
  config: Config;
  metrics: Metrics;
  /** The request's logger, made on first use: most requests log nothing but their access line. */
  log: () => Logger;
}): Promise<RequestContext> {
  const { log: makeLog, ...rest } = args;
  // The loaders ask the request's privacy for the partner it reads for, once that is known.
  let privacy: RequestPrivacy | null = null;
  const loaders = createLoaders(args.em, () => privacy?.partnerId ?? null);
  privacy = await requestPrivacyFor(args.principal, args.em, (id) => loaders.subjectState.load(id));
  let log: Logger | undefined;
  return {
    ...rest,
    loaders,
    privacy,
    get log() {
      return (log ??= makeLog());
    },
  };
}

/** The principal of an authenticated request; shield rules have already checked it exists. */
export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.principal) throw new Error('resolver reached without a principal');
  return ctx.principal;
}

/** The schema's default page sizes: lists, and lists of records (the disclosure log, erasure requests). */
export const DEFAULT_PAGE_SIZE = 20;
export const DEFAULT_RECORDS_PAGE_SIZE = 50;

/**
 * `first` within MAX_PAGE_SIZE. The field's own default is served at the maximum when it is the
 * larger, so a low MAX_PAGE_SIZE does not break queries that never asked for a size; a size
 * asked for beyond the maximum is refused.
 */
export function pageSizeOf(ctx: RequestContext, first: number, defaultSize: number = DEFAULT_PAGE_SIZE): number {
  const max = ctx.config.limits.maxPageSize;
  // Null only for a size out of range, which pageSize then refuses.
  return pageSizeFor(first, max, defaultSize) ?? pageSize('first', first, max);
}

/** pageSizeOf's answer without the refusal: null where it would refuse. */
export function pageSizeFor(first: unknown, max: number, defaultSize: number = DEFAULT_PAGE_SIZE): number | null {
  if (typeof first !== 'number') return null;
  const size = first === defaultSize ? Math.min(first, max) : first;
  return Number.isInteger(size) && size >= 1 && size <= max ? size : null;
}
