/**
 * "In force" is one rule for a lawful request (P5.2): what issuing a token checks (TypeScript) is
 * what every authority request and the re-check before its log entry apply (the SQL function
 * `lawful_request_in_force`). Both forms answer alike around the expiry, to the millisecond.
 */
import { requestInForce, requestInForceSql } from '../../src/disclosure/recipients/authority';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const EXPIRY = new Date('2031-06-10T12:00:00.000Z');
const NOWS = [-86_400_000, -1, 0, 1, 86_400_000].map((offset) => new Date(EXPIRY.getTime() + offset));

it('the TypeScript and SQL forms agree just before, at and just after the expiry', async () => {
  const em = db.orm.em.fork();
  const answers: Array<{ now: string; ts: boolean; sql: boolean }> = [];
  for (const now of NOWS) {
    const rule = requestInForceSql('r', now);
    const [row]: Array<{ in_force: boolean }> = await em.execute(`select ${rule.sql} as in_force from (values (?::timestamptz)) as r(expires_at)`, [...rule.params, EXPIRY]);
    answers.push({ now: now.toISOString(), ts: requestInForce({ expiresAt: EXPIRY }, now), sql: row!.in_force });
  }
  expect(answers.filter((a) => a.ts !== a.sql)).toEqual([]);
  // In force strictly before the expiry, not at it.
  expect(answers.map((a) => a.ts)).toEqual([true, true, false, false, false]);
});
