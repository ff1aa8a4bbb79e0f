/** Errors answered by the HTTP layer itself, before or instead of Apollo, in GraphQL's shape. */
import type { Response } from 'express';
import type { ErrorCode } from '../errors';

export function sendError(
  res: Response,
  status: number,
  code: ErrorCode | 'BAD_REQUEST',
  message: string,
  extensions: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.status(status).set(headers).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}
