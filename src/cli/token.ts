/**
 * `npm run token -- --role operator --sub op-7 [--scope "pii:phone"] [--ttl 3600]`. Partner and
 * authority tokens come only from the DPO's issuePartnerToken / issueAuthorityToken, which register
 * them (revocable, logged); a token minted here for those roles would be refused.
 */
import { signToken } from '../auth/tokens';
import { withDevSecret } from '../bootstrap';
import { loadConfig } from '../config';
import { isRole } from '../privacy/roles';
import { runCli, UsageError, type CliSpec } from './cli';

const TOKEN_CLI = {
  command: 'npm run token',
  usage: `
Usage: npm run token -- --role <client|operator|dpo|analyst> --sub <id> [--scope "<scopes>"] [--ttl <seconds>]

Mints a development token signed with JWT_SECRET (or the one generated in DATA_DIR), printed
alone on stdout; send it as "Authorization: Bearer <token>". Partner and authority tokens come
only from the DPO's issuePartnerToken / issueAuthorityToken mutations, which register them.

  --role <role>     client, operator, dpo or analyst
  --sub <id>        the subject (a client's id for --role client)
  --scope <scopes>  space-separated scopes
  --ttl <seconds>   lifetime (default 3600)
  -h, --help        this text
`,
  options: { role: { type: 'string' }, sub: { type: 'string' }, scope: { type: 'string' }, ttl: { type: 'string', default: '3600' } },
} as const satisfies CliSpec;

runCli(TOKEN_CLI, async ({ values }) => {
  if (values.role === 'partner' || values.role === 'authority') {
    throw new UsageError('partner and authority tokens are issued by the DPO: mutations issuePartnerToken / issueAuthorityToken');
  }
  if (!isRole(values.role) || !values.sub) throw new UsageError('--role <client|operator|dpo|analyst> and --sub <id> are required');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1) throw new UsageError('--ttl must be a whole number of seconds');
  const config = withDevSecret(loadConfig());
  const token = await signToken(config.jwt, { sub: values.sub, role: values.role, ...(values.scope ? { scope: values.scope } : {}) }, ttl);
  console.log(token);
  return 0;
});
