/** P8: the contacts a Russian page shows are those of the authoritative Russian text. */
import { useWorld } from '../support/world';

const world = useWorld();

it('contacts.addressRu is the address as the Russian text gives it, and every contact phone is in that text', async () => {
  const { privacyPolicy } = (await world.gql(`{ privacyPolicy { textRu contacts { address addressRu phones } } }`)).body.data!;
  expect(privacyPolicy.contacts.addressRu).not.toBe(privacyPolicy.contacts.address);
  expect(privacyPolicy.textRu).toContain(privacyPolicy.contacts.addressRu);
  const digitsOfText = privacyPolicy.textRu.replace(/\D/g, '');
  for (const phone of privacyPolicy.contacts.phones as string[]) expect(digitsOfText).toContain(phone.replace(/\D/g, ''));
});
