import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { privacyPolicy } from './notice';

@ObjectType('PolicyContacts', { description: 'P8: where to send questions and requests (company contacts, not personal data)' })
class PolicyContacts {
  @Field(() => String, { description: 'In English, as the working translation gives it' }) address!: string;
  @Field(() => String, { description: 'In Russian, as the authoritative text gives it' }) addressRu!: string;
  @Field(() => [String]) phones!: string[];
}

@ObjectType('PrivacyPolicy')
class PrivacyPolicyType {
  @Field(() => String) version!: string;
  @Field(() => String) textHash!: string;
  @Field(() => String, { description: 'Authoritative Russian text' }) textRu!: string;
  @Field(() => String, { description: 'English working translation with clause ids P1-P8' }) textEn!: string;
  @Field(() => PolicyContacts) contacts!: PolicyContacts;
}

@Resolver()
export class PrivacyPolicyResolver {
  @Query(() => PrivacyPolicyType, { description: 'Public: the policy a client consents to by registering' })
  privacyPolicy(): PrivacyPolicyType {
    const policy = privacyPolicy();
    return { ...policy, contacts: { address: policy.contacts.address, addressRu: policy.contacts.addressRu, phones: [...policy.contacts.phones] } };
  }
}
