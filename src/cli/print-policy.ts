/** `npm run policy`: prints the policy matrix as Markdown, for the README. */
import { renderPolicyTable } from '../privacy/policy-table';

console.log(renderPolicyTable());
