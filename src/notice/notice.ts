/** The policy the subject consents to (P2): its texts, version and hash, and the P8 contacts. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export interface PrivacyPolicyDocument {
  readonly version: string;
  /** SHA-256 of the Russian text, which is authoritative. */
  readonly textHash: string;
  readonly textRu: string;
  readonly textEn: string;
  readonly contacts: { readonly address: string; readonly addressRu: string; readonly phones: readonly string[] };
}

/** Bump when policy/privacy-policy.ru.md changes: consents record which version they accepted. */
export const POLICY_VERSION = '2026-11';

let cached: PrivacyPolicyDocument | null = null;

export function privacyPolicy(): PrivacyPolicyDocument {
  if (cached) return cached;
  const textRu = readFileSync(join(PROJECT_ROOT, 'policy', 'privacy-policy.ru.md'), 'utf8');
  const textEn = readFileSync(join(PROJECT_ROOT, 'policy', 'privacy-policy.en.md'), 'utf8');
  cached = {
    version: POLICY_VERSION,
    textHash: createHash('sha256').update(textRu).digest('hex'),
    textRu,
    textEn,
    contacts: {
      address: 'Kazakhstan, Almaty, microdistrict AKSAI-2, building 73, apartment/office 88',
      addressRu: 'Казахстан, Алматы, Микрорайон АКСАЙ-2, дом 73, кв/офис 88',
      phones: ['+7 777 248 74 63', '+7 701 570 35 07'],
    },
  };
  return cached;
}
