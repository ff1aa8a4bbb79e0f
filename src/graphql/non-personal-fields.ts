/**
 * The String/ID fields of personal-data types that are NOT personal data, each with the reason.
 * A test fails for any String/ID field of such a type that is neither here nor @pii, so a new
 * field cannot ship unclassified.
 */
export const NON_PERSONAL_FIELDS: Readonly<Record<string, string>> = {
  'Client.id': 'random UUID; links records, identifies no one outside the system',
  'Order.id': 'random UUID',
  'Order.amount': 'an amount; anonymous without the contact data (P1)',
  'Order.currency': 'always KZT',
};

/** Types whose values are personal as a whole: every field returning them must be @pii. */
export const PERSONAL_VALUE_TYPES: readonly string[] = ['Address', 'BankAccount'];
