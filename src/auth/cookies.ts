/**
 * The one cookie this API sets, serialised and read by hand: express 5 has no cookie parser, and
 * a fixed attribute set is easier to audit (P6) than a general-purpose library's options.
 */
import type { CookieOptions } from '../net/http-exchange';

const NAME = /^[A-Za-z0-9_-]+$/;
// Values are base64url: nothing to quote or escape.
const VALUE = /^[A-Za-z0-9_-]*$/;
const PATH = /^\/[A-Za-z0-9/_-]*$/;

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!NAME.test(name) || !VALUE.test(value) || !PATH.test(options.path) || !Number.isInteger(options.maxAgeSeconds) || options.maxAgeSeconds < 0) {
    throw new Error('cookie outside the allowed syntax');
  }
  return [
    `${name}=${value}`,
    `Max-Age=${options.maxAgeSeconds}`,
    `Path=${options.path}`,
    'HttpOnly',
    ...(options.secure ? ['Secure'] : []),
    'SameSite=Strict',
  ].join('; ');
}

/** The value of cookie `name` in a Cookie request header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
