/** P2-P4: new contact data is collected only while consent is in force and the account is not erased. */
import { updateContacts } from '../../src/clients/client.service';
import { requestWithdrawal } from '../../src/consent/consent-lifecycle';
import { createCanaryClient, type SubjectState } from '../support/canaries';
import { codes } from '../support/server';
import { act } from '../support/lifecycle';
import { registerClient } from '../support/accounts';
import { DAY, useWorld } from '../support/world';

const world = useWorld();

const NEW_PHONE = '+77057770011';
const phonesOf = async (id: string) => (await world.em().getConnection().execute(`select phones from client where id = ?`, [id]))[0].phones as string[];
/** The error's code and reason, or 'UPDATED' when the write went through. */
const outcomeOf = (write: Promise<unknown>) =>
  write.then(
    () => 'UPDATED',
    (error: { extensions?: Record<string, unknown> }) => `${String(error.extensions?.code)}/${String(error.extensions?.reason)}`,
  );

describe('updateContacts needs consent in force (P2-P4)', () => {
  it.each<[SubjectState, string]>([
    ['ACTIVE', 'UPDATED'],
    ['WITHDRAWAL_PENDING', 'UPDATED'],
    ['NARROWED', 'UPDATED'],
    ['WITHDRAWN', 'FORBIDDEN/NO_SERVICE'],
    ['EXPIRED', 'FORBIDDEN/NO_SERVICE'],
    ['ERASED', 'FORBIDDEN/NO_SERVICE'],
  ])('subject state %s: %s, and a refusal writes nothing', async (state, expected) => {
    const canary = await createCanaryClient(world.em(), state);
    expect(await outcomeOf(updateContacts(world.em(), canary.client.id, { phones: [NEW_PHONE] }))).toBe(expected);
    expect(await phonesOf(canary.client.id)).toEqual(expected === 'UPDATED' ? [NEW_PHONE] : canary.client.phones);
  });

  it('a pending withdrawal ends collection at its effective instant, before the job runner records it', async () => {
    const client = await registerClient(world);
    const noticeAt = new Date(Date.now() - 200 * DAY);
    const effectiveAt = (await requestWithdrawal(world.em(), client.clientId, { notice: 'Stop.', requestedDay: null }, act(noticeAt))).consent.withdrawalEffectiveAt!;
    expect(await outcomeOf(updateContacts(world.em(), client.clientId, { phones: [NEW_PHONE] }, new Date(effectiveAt.getTime() - 1)))).toBe('UPDATED');
    expect(await outcomeOf(updateContacts(world.em(), client.clientId, { phones: ['+77057770012'] }, effectiveAt))).toBe('FORBIDDEN/NO_SERVICE');
    expect(await phonesOf(client.clientId)).toEqual([NEW_PHONE]);

    // Through the API, on the real clock: the date is long past, the token still valid.
    const response = await world.gql(`mutation { updateMyContacts(input: { phones: ["+77057770013"] }) { phones } }`, {}, client.token);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.body.errors![0]!.extensions!.reason).toBe('NO_SERVICE');
    expect(await phonesOf(client.clientId)).toEqual([NEW_PHONE]);
  });
});
