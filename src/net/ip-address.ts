/**
 * What an IP address says about who is calling, at the granularity each use needs: the network a
 * limit should count as one caller, or the prefix consent evidence may keep (P2) without the address.
 */
import { isIPv4, isIPv6 } from 'node:net';

type Parsed = { readonly v4: readonly number[] } | { readonly v6: readonly number[] };

/** The 8 groups of an IPv6 address (an embedded dotted IPv4 tail counts as two). */
function ipv6Groups(ip: string): number[] {
  const withoutV4 = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail] = withoutV4.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** IPv4 octets (also when mapped into IPv6) or IPv6 groups; null for anything that is no address. */
function parse(ip: string): Parsed | null {
  const address = ip.replace(/%.*$/, '');
  if (isIPv4(address)) return { v4: address.split('.').map(Number) };
  if (!isIPv6(address)) return null;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return { v4: [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff] };
  }
  return { v6: groups };
}

const v6Prefix = (groups: readonly number[], count: number) => `${groups.slice(0, count).map((g) => g.toString(16)).join(':')}::/${count * 16}`;

/** /24 for IPv4 (also when mapped into IPv6), /48 for IPv6; null when it is no IP address. */
export function networkPrefix(ip: string | null): string | null {
  const parsed = ip ? parse(ip) : null;
  if (!parsed) return null;
  return 'v4' in parsed ? `${parsed.v4.slice(0, 3).join('.')}.0/24` : v6Prefix(parsed.v6, 3);
}

/**
 * The caller a per-IP limit counts: an IPv4 address as it is (a mapped one as its IPv4), an IPv6
 * address by its /64, which one subscriber holds whole, so rotating within it is still one caller.
 */
export function limitKeyOf(ip: string): string {
  let key = limitKeys.get(ip);
  if (key === undefined) {
    const parsed = parse(ip);
    key = !parsed ? ip : 'v4' in parsed ? parsed.v4.join('.') : v6Prefix(parsed.v6, 4);
    if (limitKeys.size >= LIMIT_KEYS) limitKeys.clear();
    limitKeys.set(ip, key);
  }
  return key;
}

/** Every request asks twice (per IP before the body, then with the principal): the parse is remembered. */
const limitKeys = new Map<string, string>();
const LIMIT_KEYS = 10_000;
