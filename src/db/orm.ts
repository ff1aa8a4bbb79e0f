import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import { Client } from '../clients/client.entity';
import { Consent } from '../consent/consent.entity';
import { Order } from '../orders/order.entity';
import { Partner } from '../partners/partner.entity';
import { PROJECT_ROOT } from '../paths';

export const ENTITIES = [Client, Order, Consent, Partner];


export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}): Options {
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

export async function openDatabase(clientUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl, overrides));
  await orm.getMigrator().up();
  return orm;
}
