import { limitKeyOf, networkPrefix } from '../../src/net/ip-address';

describe('networkPrefix: consent evidence keeps a network prefix, never the address', () => {
  it.each([
    ['IPv4 to its /24', '203.0.113.77', '203.0.113.0/24'],
    ['IPv4-mapped IPv6 (dotted) to the IPv4 /24', '::ffff:203.0.113.77', '203.0.113.0/24'],
    ['IPv4-mapped IPv6 (hex) to the IPv4 /24', '::ffff:cb00:714d', '203.0.113.0/24'],
    ['IPv6 to its /48', '2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['IPv6 written in full, upper case', '2001:0DB8:ABCD:0012:0000:0000:0000:0001', '2001:db8:abcd::/48'],
    ['IPv6 with fewer than three leading groups', '2001:db8::1', '2001:db8:0::/48'],
    ['IPv6 with a zone id', 'fe80::1%eth0', 'fe80:0:0::/48'],
  ])('%s', (_name, ip, prefix) => {
    expect(networkPrefix(ip)).toBe(prefix);
  });

  it.each([['hello'], ['abc:def'], ['999.1.1.1'], ['1.2.3'], ['01.2.3.4'], [''], ['2001:db8::1::2']])('garbage %j gives null', (ip) => {
    expect(networkPrefix(ip)).toBeNull();
  });

  it('no address: null', () => {
    expect(networkPrefix(null)).toBeNull();
  });
});

describe('limitKeyOf: a per-IP limit counts one subscriber as one caller', () => {
  it('IPv6 addresses of one /64 share a key; the next /64 does not', () => {
    const keys = ['2001:db8:1:2::1', '2001:db8:1:2::28', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:DB8:1:2:0:0:0:7'].map(limitKeyOf);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(limitKeyOf('2001:db8:1:3::1')).not.toBe(keys[0]);
  });

  it('IPv4 keeps its whole address, also when mapped into IPv6', () => {
    expect(limitKeyOf('203.0.113.77')).toBe('203.0.113.77');
    expect(limitKeyOf('::ffff:203.0.113.77')).toBe('203.0.113.77');
    expect(limitKeyOf('203.0.113.78')).not.toBe(limitKeyOf('203.0.113.77'));
  });

  it('what is no address is its own key', () => {
    expect(limitKeyOf('unknown')).toBe('unknown');
  });
});
