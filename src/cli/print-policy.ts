/** `npm run policy`: prints the policy matrix as Markdown, for the README. */
import { renderPolicyTable } from '../privacy/policy-table';
import { runCli, type CliSpec } from './cli';

const POLICY_CLI = {
  command: 'npm run policy',
  usage: `
Usage: npm run policy

Prints the policy matrix (src/privacy/policy.ts) as the Markdown table the README carries between
its policy markers; a test fails when the two differ.

  -h, --help  this text
`,
  options: {},
} as const satisfies CliSpec;

runCli(POLICY_CLI, async () => {
  console.log(renderPolicyTable());
  return 0;
});
