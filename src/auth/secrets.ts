import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: session ids and reset tokens. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');
export const RANDOM_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** What the database keeps of a random secret: enough to find it, useless to replay. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');
