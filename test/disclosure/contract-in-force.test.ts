/**
 * "In force" is one rule for a contract (P5.1): what the DPO reads as `inForce` and what issuing a
 * token checks (TypeScript) is what every partner request and the re-check before its log entry
 * apply (SQL). Both forms answer every case alike, evaluated on real contract rows.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Contract } from '../../src/partners/contract.entity';
import { contractInForce, contractInForceSql, PARTNER_PURPOSE } from '../../src/partners/contract-in-force';
import { Partner } from '../../src/partners/partner.entity';
import type { ConsentPurpose } from '../../src/privacy/categories';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let orm: MikroORM;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = db.orm;
});
afterAll(() => db.drop());

// Instants around the Kazakh (UTC+5) midnights of 9, 10 and 11 June: the day turns at 19:00 UTC.
const NOWS = ['2031-06-09T18:59:59.999Z', '2031-06-09T19:00:00.000Z', '2031-06-10T12:00:00.000Z', '2031-06-10T18:59:59.999Z', '2031-06-10T19:00:00.000Z'].map((at) => new Date(at));
const DAYS = ['2031-06-09', '2031-06-10', '2031-06-11'];
const PURPOSES: ConsentPurpose[][] = [[], ['CONTRACT_PERFORMANCE'], [PARTNER_PURPOSE], ['CONTRACT_PERFORMANCE', PARTNER_PURPOSE], ['MARKETING', 'SETTLEMENTS']];

it('the TypeScript and SQL forms agree for every period around today, every instant around midnight, and every set of purposes', async () => {
  const em = orm.em.fork();
  const partner = em.create(Partner, { name: 'Courier', bin: '180440000009' });
  const contracts = DAYS.flatMap((validFrom) => DAYS.flatMap((validTo) => PURPOSES.map((purposes) => ({ validFrom, validTo, purposes }))))
    .map((terms, i) => em.create(Contract, { partner, number: `C-${i}`, categories: ['PHONE'], ...terms }));
  await em.flush();

  const disagreements: string[] = [];
  const answers = new Set<boolean>();
  for (const now of NOWS) {
    const rule = contractInForceSql('c', now);
    const rows: Array<{ id: string; in_force: boolean }> = await em.execute(`select c.id, ${rule.sql} as in_force from contract c`, rule.params);
    const sql = new Map(rows.map((r) => [r.id, r.in_force]));
    for (const contract of contracts) {
      const ts = contractInForce(contract, now);
      answers.add(ts);
      if (sql.get(contract.id) !== ts) {
        disagreements.push(`${now.toISOString()} ${contract.validFrom}..${contract.validTo} [${contract.purposes}]: sql ${sql.get(contract.id)}, ts ${ts}`);
      }
    }
  }
  expect(disagreements).toEqual([]);
  expect([...answers].sort()).toEqual([false, true]);
});

it('a contract is in force on the days of its period, both included, and only while it names THIRD_PARTY_OBLIGATIONS', () => {
  const terms = { validFrom: '2031-06-10', validTo: '2031-06-10', purposes: ['CONTRACT_PERFORMANCE', PARTNER_PURPOSE] as ConsentPurpose[] };
  expect(contractInForce(terms, new Date('2031-06-09T19:00:00.000Z'))).toBe(true);
  expect(contractInForce(terms, new Date('2031-06-10T18:59:59.999Z'))).toBe(true);
  expect(contractInForce(terms, new Date('2031-06-09T18:59:59.999Z'))).toBe(false);
  expect(contractInForce(terms, new Date('2031-06-10T19:00:00.000Z'))).toBe(false);
  expect(contractInForce({ ...terms, purposes: ['CONTRACT_PERFORMANCE'] }, new Date('2031-06-10T12:00:00.000Z'))).toBe(false);
});
