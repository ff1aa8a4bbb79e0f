/** The matrix as the Markdown table the README carries (`npm run policy` prints it). */
import { PII_CATEGORIES } from './categories';
import { AUDIENCES, POLICY, type AudiencePolicy } from './policy';

function basisText(policy: AudiencePolicy): string {
  const basis = policy.basis;
  switch (basis.kind) {
    case 'SUBJECT':
      return 'own data';
    case 'CONSENT':
      return `consent: ${basis.purposes.join(' + ')} + ${basis.operations.join(', ')}`;
    case 'LAW':
      return `law: ${basis.note}`;
    case 'NONE':
      return '-';
  }
}

export function renderPolicyTable(): string {
  const header = ['Audience', ...PII_CATEGORIES, 'Basis'];
  const rows = AUDIENCES.map((audience) => {
    const policy = POLICY[audience];
    const marker = policy.requiresGrant ? ' ¹' : '';
    return [audience, ...PII_CATEGORIES.map((c) => `${policy.access[c]}${policy.access[c] === 'HIDDEN' ? '' : marker}`), basisText(policy)];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    '¹ only for the categories and subjects that a valid contract and token scope (partners) or a registered lawful request (authorities) grant; HIDDEN otherwise.',
    'Consent-based audiences see nothing of a subject whose consent is not in force or does not cover their purpose and operations; nobody sees an erased subject.',
  ].join('\n');
}
