import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { renderPolicyTable } from '../../src/privacy/policy-table';

describe('the README', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

  it('carries the policy matrix exactly as `npm run policy` prints it', () => {
    const match = /<!-- policy:start -->\n([\s\S]*?)\n<!-- policy:end -->/.exec(readme);
    expect(match?.[1]).toBe(renderPolicyTable());
  });

  it('shows the two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
