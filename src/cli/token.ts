/**
 * `npm run token -- --role operator --sub op-7 [--scope "pii:phone"] [--ttl 3600]`. Partner and
 * authority tokens come only from the DPO's issuePartnerToken / issueAuthorityToken, which register
 * them (revocable, logged); a token minted here for those roles would be refused.
 */
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
      ttl: { type: 'string', default: '3600' },
    },
  });
  if (!isRole(values.role) || !values.sub) throw new Error('usage: npm run token -- --role <client|operator|dpo|analyst> --sub <id>');
  if (values.role === 'partner' || values.role === 'authority') {
    throw new Error('partner and authority tokens are issued by the DPO: mutations issuePartnerToken / issueAuthorityToken');
  }
  const config = withDevSecret(loadConfig());
  const token = await signToken(
    config.jwt,
    {
      sub: values.sub,
      role: values.role,
      ...(values.scope ? { scope: values.scope } : {}),
    },
    Number(values.ttl),
  );
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
