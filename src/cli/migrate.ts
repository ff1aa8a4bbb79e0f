/**
 * `npm run migrate -- status|up|down`: the migrations by hand, besides the automatic `up` at every
 * start. Runs as MIGRATION_DATABASE_URL's role when set (the tables' owner), and after `up` grants
 * DATABASE_URL's role its rights, as the server's start does.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { locateDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { ormOptions } from '../db/orm';
import { grantRequestRole, roleOf } from '../db/request-role';
import { runCli, UsageError, type CliSpec } from './cli';

const MIGRATE_CLI = {
  command: 'npm run migrate',
  usage: `
Usage: npm run migrate -- status | up [--to <name>] | down [--to <name>] [--allow-production]

  status              list the executed migrations (with when) and the pending ones
  up                  apply every pending migration, or those up to and including --to
  down                revert the last executed migration, or every one after --to
  --to <name>         a migration's name, as status lists it
  --allow-production  down with NODE_ENV=production: it drops tables whose rows (the consent
                      history, the disclosure log) are records the law asks to keep
  -h, --help          this text

Uses MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded PostgreSQL in DATA_DIR (the
running server's, when it runs). \`npm start\` runs \`up\` by itself.
`,
  options: { to: { type: 'string' }, 'allow-production': { type: 'boolean', default: false } },
  positionals: true,
} as const satisfies CliSpec;

const ACTIONS = ['status', 'up', 'down'] as const;
type Action = (typeof ACTIONS)[number];
const isAction = (value: string | undefined): value is Action => ACTIONS.includes(value as Action);

runCli(MIGRATE_CLI, async ({ values, positionals }) => {
  const [action, ...rest] = positionals;
  if (!isAction(action) || rest.length > 0) throw new UsageError('give one action: status, up or down');
  const config = loadConfig();
  if (action === 'down' && config.env === 'production' && !values['allow-production']) {
    throw new UsageError('down in production drops legally kept records: add --allow-production if that is meant');
  }
  if (action === 'status' && values.to) throw new UsageError('--to goes with up or down');
  const located = await locateDatabase(config, { command: MIGRATE_CLI.command, share: true });
  const orm = await MikroORM.init(ormOptions(config.migrationDatabaseUrl ?? located.url)).catch(async (error: unknown) => {
    await located.release();
    throw error;
  });
  try {
    const migrator = orm.getMigrator();
    if (action === 'status') {
      const executed = await migrator.getExecutedMigrations();
      const pending = await migrator.getPendingMigrations();
      for (const m of executed) console.log(`executed  ${m.name}  ${new Date(m.executed_at).toISOString()}`);
      for (const m of pending) console.log(`pending   ${m.name}`);
      console.log(`${executed.length} executed, ${pending.length} pending`);
      return 0;
    }
    const options = values.to ? { to: values.to } : undefined;
    const done = action === 'up' ? await migrator.up(options) : await migrator.down(options);
    if (action === 'up' && config.migrationDatabaseUrl && config.databaseUrl && config.migrationDatabaseUrl !== config.databaseUrl) {
      await grantRequestRole(orm, roleOf(config.databaseUrl));
    }
    for (const m of done) console.log(`${action === 'up' ? 'applied ' : 'reverted'}  ${m.name}`);
    console.log(done.length === 0 ? `nothing to ${action === 'up' ? 'apply' : 'revert'}` : `${done.length} ${action === 'up' ? 'applied' : 'reverted'}`);
    return 0;
  } finally {
    await orm.close(true);
    await located.release();
  }
});
