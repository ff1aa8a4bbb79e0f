/** `npm run token -- --role operator --sub op-7 [--scope "pii:phone"] [--partner ID --contract ID] [--ttl 3600]` */
import { parseArgs } from 'node:util';
import { signToken } from '../auth/tokens';
import { withDevSecret } from '../bootstrap';
import { loadConfig } from '../config';
import { isRole } from '../privacy/roles';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      scope: { type: 'string' },
      partner: { type: 'string' },
      contract: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  if (!isRole(values.role) || !values.sub) throw new Error('usage: npm run token -- --role <client|operator|dpo|partner|authority|analyst> --sub <id>');
  const config = withDevSecret(loadConfig());
  const token = await signToken(
    config.jwt,
    {
      sub: values.sub,
      role: values.role,
      ...(values.scope ? { scope: values.scope } : {}),
      ...(values.partner ? { partner_id: values.partner } : {}),
      ...(values.contract ? { contract_id: values.contract } : {}),
    },
    Number(values.ttl),
  );
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
