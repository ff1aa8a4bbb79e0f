/** The page explains a redaction from its category, access and reason; the path is detail, in either shape. */
import { explainRedactions, isRedacted, pathField, pathText } from '../../web/src/redactions';

describe('explainRedactions', () => {
  it('explains from category, access and reason, merging entries that say the same and adding their counts', () => {
    const explained = explainRedactions([
      { path: ['clients', 'edges', '*', 'node', 'iin'], category: 'OFFICIAL_REQUISITES', access: 'MASKED', reason: 'ROLE', count: 3 },
      { path: 'clients.edges.4.node.bin', category: 'OFFICIAL_REQUISITES', access: 'MASKED', reason: 'ROLE' },
      { path: ['clients', 'edges', '*', 'node', 'login'], category: 'LOGIN', access: 'HIDDEN', reason: 'ROLE', count: 2 },
    ]);
    expect(explained).toEqual([
      {
        what: 'Официальные реквизиты (ИИН/БИН и др.)',
        how: 'замаскировано',
        why: 'этой роли политика не открывает эти данные полностью',
        count: 4,
        paths: ['clients.edges.*.node.iin', 'clients.edges.4.node.bin'],
      },
      { what: 'Логин', how: 'скрыто', why: 'этой роли политика не открывает эти данные полностью', count: 2, paths: ['clients.edges.*.node.login'] },
    ]);
  });

  it('each reason has its own words', () => {
    const whys = ['ROLE', 'SCOPE', 'CONSENT', 'ERASED'].map((reason) => explainRedactions([{ path: 'a', category: 'PHONE', access: 'HIDDEN', reason }])[0]!.why);
    expect(new Set(whys).size).toBe(4);
  });

  it('fails closed: an unknown category, access or reason still reads as withheld, never as shown', () => {
    const [item] = explainRedactions([{ path: null, category: 'BIOMETRICS', access: 'BLURRED', reason: 'NEW_RULE', count: 'x' }]);
    expect(item).toEqual({ what: 'BIOMETRICS', how: 'не показано', why: 'так требует политика конфиденциальности', count: 1, paths: [] });
  });

  it('a report that is not a list, or holds junk, explains nothing instead of failing', () => {
    expect(explainRedactions(undefined)).toEqual([]);
    expect(explainRedactions({ path: 'a' })).toEqual([]);
    expect(explainRedactions([null, 7])).toEqual([]);
  });
});

describe('paths in either shape', () => {
  it.each([
    [['me', 'orders', '*', 'contactPhone'], 'me.orders.*.contactPhone', 'contactPhone'],
    ['me.orders.0.contactPhone', 'me.orders.0.contactPhone', 'contactPhone'],
    [['order'], 'order', 'order'],
    [['clients', 'edges', '*'], 'clients.edges.*', 'edges'],
  ])('%j reads as %s, about the field %s', (path, text, field) => {
    expect(pathText(path)).toBe(text);
    expect(pathField(path)).toBe(field);
  });

  it('isRedacted finds a field whatever the path shape', () => {
    expect(isRedacted([{ path: ['me', 'login'], category: 'LOGIN', access: 'HIDDEN', reason: 'ROLE' }], 'login')).toBe(true);
    expect(isRedacted([{ path: 'me.login', category: 'LOGIN', access: 'HIDDEN', reason: 'ROLE' }], 'login')).toBe(true);
    expect(isRedacted([{ path: 'me.login', category: 'LOGIN', access: 'HIDDEN', reason: 'ROLE' }], 'iin')).toBe(false);
  });
});
