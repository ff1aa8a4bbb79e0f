/**
 * The world a test file runs in, set up in one line: `const world = useWorld()` starts a server on
 * a fresh database before the file's tests and tears both down after them. The world is the
 * server (`gql`, `raw`, `token`, `db`, `config`, `app`) plus what nearly every file needs:
 * staff tokens, an entity manager, SQL, and the demo data's ids when it asks for them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenClaims } from '../../src/auth/tokens';
import { seedDemoData, type SeedResult } from '../../src/seed/seed';
import { startTestServer, type ServerOptions, type TestServer } from './server';

export const DAY = 86_400_000;

export interface WorldOptions extends ServerOptions {
  /** Demo data (src/seed) written before the tests; its ids are `world.seeded`. */
  readonly seed?: Parameters<typeof seedDemoData>[1];
}

/** Staff tokens, signed by the server's own key: the subjects are what the tests expect to find recorded. */
export interface StaffTokens {
  /** sub `op-1` */
  readonly operator: string;
  /** sub `dpo-1` */
  readonly dpo: string;
  /** sub `analyst-1` */
  readonly analyst: string;
}

export interface World extends TestServer {
  readonly tokens: StaffTokens;
  /** The demo data's ids; only with the `seed` option. */
  readonly seeded: SeedResult;
  /** A fresh entity manager on the world's database. */
  em(): EntityManager;
  /** One SQL statement on the world's database, its rows returned. */
  sql<T = any>(statement: string, params?: unknown[]): Promise<T[]>;
}

/** A world started now; the caller closes it (for a file that must order its teardown). */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const { seed, ...serverOptions } = options;
  const server = await startTestServer(serverOptions);
  const em = () => server.db.orm.em.fork();
  const seeded = seed ? await seedDemoData(em(), seed) : null;
  const tokens: StaffTokens = {
    operator: await server.token({ sub: 'op-1', role: 'operator' }),
    dpo: await server.token({ sub: 'dpo-1', role: 'dpo' }),
    analyst: await server.token({ sub: 'analyst-1', role: 'analyst' }),
  };
  return {
    ...server,
    tokens,
    get seeded(): SeedResult {
      if (!seeded) throw new Error('world.seeded: the world was made without the seed option');
      return seeded;
    },
    em,
    sql: (statement, params = []) => em().getConnection().execute(statement, params),
  };
}

/** The world of the enclosing file or describe block: started in beforeAll, closed in afterAll. */
export function useWorld(options: WorldOptions = {}): World {
  let current: World | null = null;
  beforeAll(async () => {
    current = await startWorld(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  const live = (): World => {
    if (!current) throw new Error('the world is used before beforeAll has made it');
    return current;
  };
  return {
    get db() {
      return live().db;
    },
    get app() {
      return live().app;
    },
    get config() {
      return live().config;
    },
    get tokens() {
      return live().tokens;
    },
    get seeded() {
      return live().seeded;
    },
    gql: (...args) => live().gql(...args),
    raw: (...args) => live().raw(...args),
    token: (claims: TokenClaims, ttlSeconds?: number) => live().token(claims, ttlSeconds),
    close: () => live().close(),
    em: () => live().em(),
    sql: (statement, params) => live().sql(statement, params),
  };
}
