import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { LoginThrottle } from '../auth/login-throttle.entity';
import { PasswordReset } from '../auth/password-reset.entity';
import { SecurityEvent } from '../auth/security-event.entity';
import { Session } from '../auth/session.entity';
import { Client } from '../clients/client.entity';
import { Consent } from '../consent/consent.entity';
import { ErasureReceipt, ErasureRequest } from '../erasure/erasure.entity';
import { Order } from '../orders/order.entity';
import { AuthorityToken, LawfulRequest } from '../disclosure/lawful-request.entity';
import { DisclosureEntry } from '../disclosure/disclosure.entity';
import { Contract } from '../partners/contract.entity';
import { Partner } from '../partners/partner.entity';
import { PartnerToken } from '../partners/partner-token.entity';
import { createLogger, knexLogger } from '../logger';
import { PROJECT_ROOT } from '../paths';
import { grantRequestRole, roleOf } from './request-role';

export const ENTITIES = [Client, Order, Consent, Partner, Session, PasswordReset, SecurityEvent, LoginThrottle, ErasureRequest, ErasureReceipt,
  Contract, PartnerToken, LawfulRequest, AuthorityToken, DisclosureEntry];

/** Past the request's deadline, so that the deadline's own answer (REQUEST_TIMEOUT, nothing written) always comes first. */
const STATEMENT_TIMEOUT_MARGIN_MS = 500;

const statementTimeoutMs = (requestTimeoutMs: number): number => requestTimeoutMs + STATEMENT_TIMEOUT_MARGIN_MS;

export interface DatabaseOptions {
  /**
   * The server's REQUEST_TIMEOUT_MS. Every pooled connection then carries PostgreSQL's
   * statement_timeout, a little longer: the deadline answers the caller first, then a statement
   * still running is cancelled and its connection returns to the pool. Unset: no limit (CLIs, jobs).
   */
  readonly requestTimeoutMs?: number;
  /** Where the driver's own warnings go, scrubbed; by default a pino logger at level warn. */
  readonly log?: Logger;
  /**
   * MIGRATION_DATABASE_URL: migrations run as this (the tables' owner), and the role of the
   * request URL is then granted what the API needs and no more (src/db/request-role.ts).
   */
  readonly migrationUrl?: string | null;
}

export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}, database: DatabaseOptions = {}): Options {
  // Compiled migrations live in dist/migrations; their TypeScript sources in migrations/.
  const compiled = __filename.endsWith('.js');
  return {
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    // Keeps personal values out of logs: the ORM's own query logging stays off.
    debug: false,
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    // Merged into knex's configuration: pg sends statement_timeout when it opens each connection.
    driverOptions: {
      ...(database.requestTimeoutMs ? { connection: { statement_timeout: statementTimeoutMs(database.requestTimeoutMs) } } : {}),
      log: knexLogger(database.log ?? createLogger('warn')),
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: compiled ? join(PROJECT_ROOT, 'dist', 'migrations') : join(PROJECT_ROOT, 'migrations'),
      pathTs: join(PROJECT_ROOT, 'migrations'),
      glob: compiled ? '!(*.d).js' : '*.ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    ...overrides,
  };
}

/**
 * Opens the database and brings its schema up to date. Migrations are no request: they run on a
 * pool of their own without the request deadline's statement_timeout, so a long one on a large
 * database does not fail the start.
 */
export async function openDatabase(clientUrl: string, overrides: Partial<Options> = {}, database: DatabaseOptions = {}): Promise<MikroORM> {
  const migrationUrl = database.migrationUrl ?? clientUrl;
  const unbounded = await MikroORM.init(ormOptions(migrationUrl, overrides, database.log ? { log: database.log } : {}));
  try {
    await unbounded.getMigrator().up();
    if (migrationUrl !== clientUrl) await grantRequestRole(unbounded, roleOf(clientUrl));
  } catch (error) {
    await unbounded.close(true);
    throw error;
  }
  if (!database.requestTimeoutMs && migrationUrl === clientUrl) return unbounded;
  await unbounded.close(true);
  return MikroORM.init(ormOptions(clientUrl, overrides, database));
}

/** An ORM without statement_timeout, for work that is not a request: migrations, the job runner. */
export function openBackgroundOrm(clientUrl: string, overrides: Partial<Options> = {}, log?: Logger): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, { pool: { min: 0, max: 2 }, ...overrides }, log ? { log } : {}));
}
