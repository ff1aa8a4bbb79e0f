/** Personal values as people read them: addresses in one line, phones grouped, IBANs in fours. */
import type { ReactNode } from 'react';
import type { Address, BankAccount, Order, Profile } from '../api';
import { formatDate, formatDay, formatIban, formatPhone } from '../format';
import { label, t } from '../i18n';
import { Empty, Facts } from './ui';

export function addressText(address: Address): string {
  const place = [address.postalCode, address.country === 'KZ' ? null : address.country, address.region !== address.city ? address.region : null, address.city];
  const street = [address.street, address.building ? `${t.address.building} ${address.building}` : null, address.apartment ? `${t.address.apartment} ${address.apartment}` : null];
  return [...place, ...street].filter((part) => part).join(', ');
}

/** A value, or the mark for "hidden" when the policy withheld it, or for "not given". */
function or(value: string | null | undefined, hidden: boolean) {
  return value ? value : <Empty hidden={hidden} />;
}

export function PhoneList({ phones }: { phones: readonly string[] }) {
  return (
    <ul className="plain">
      {phones.map((phone) => (
        <li key={phone}>{formatPhone(phone)}</li>
      ))}
    </ul>
  );
}

function AccountList({ accounts }: { accounts: readonly BankAccount[] }) {
  return (
    <ul className="plain">
      {accounts.map((account, i) => (
        <li key={i}>
          {account.iban ? <span className="nowrap">{formatIban(account.iban)}</span> : null}
          {account.bankName ? `, ${account.bankName}` : ''}
          {account.bic ? `, ${t.fields.bic} ${account.bic}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** The profile as served; `hidden(field)` says whether a null there is a redaction. */
export function ProfileFacts({ profile, hidden }: { profile: Profile; hidden: (field: string) => boolean }) {
  const f = t.fields;
  const list = <T,>(field: string, values: readonly T[] | null, render: (values: readonly T[]) => ReactNode) =>
    values && values.length > 0 ? render(values) : <Empty hidden={hidden(field)} />;
  const entity = profile.kind === 'ENTITY';
  const items: Array<[string, ReactNode | string]> = [
    [f.kind, label(t.enums.ClientKind, profile.kind)],
    ...(entity
      ? ([
          [f.legalName, or(profile.legalName, hidden('legalName'))],
          [f.legalForm, or(profile.legalForm && label(t.enums.LegalForm, profile.legalForm), hidden('legalForm'))],
          [f.bin, or(profile.bin, hidden('bin'))],
          [f.stateRegistrationDate, or(profile.stateRegistrationDate && formatDay(profile.stateRegistrationDate), hidden('stateRegistrationDate'))],
          [f.headFullName, or(profile.headFullName, hidden('headFullName'))],
          [f.kbe, or(profile.kbe, hidden('kbe'))],
          [f.vatCertificate, or(profile.vatCertificate, hidden('vatCertificate'))],
        ] as Array<[string, ReactNode | string]>)
      : []),
    [f.surname, or(profile.surname, hidden('surname'))],
    [f.firstName, or(profile.firstName, hidden('firstName'))],
    [f.patronymic, or(profile.patronymic, hidden('patronymic'))],
    ...(entity ? [] : ([[f.iin, or(profile.iin, hidden('iin'))]] as Array<[string, ReactNode | string]>)),
    [f.registrationAddress, or(profile.registrationAddress && addressText(profile.registrationAddress), hidden('registrationAddress'))],
    [f.residenceAddress, or(profile.residenceAddress && addressText(profile.residenceAddress), hidden('residenceAddress'))],
    [f.phones, list('phones', profile.phones, (phones) => <PhoneList phones={phones} />)],
    [f.emails, list('emails', profile.emails, (emails) => <ul className="plain">{emails.map((e) => <li key={e}>{e}</li>)}</ul>)],
    [f.bankAccounts, list('bankAccounts', profile.bankAccounts, (accounts) => <AccountList accounts={accounts} />)],
    [f.login, or(profile.login, hidden('login'))],
    [f.createdAt, formatDate(profile.createdAt)],
  ];
  return <Facts items={items} />;
}

/** An order's contact copy in one cell. */
export function orderContact(order: Order): string {
  return [order.contactPhone && formatPhone(order.contactPhone), order.contactEmail, order.deliveryAddress && addressText(order.deliveryAddress)].filter((v) => v).join('; ');
}
