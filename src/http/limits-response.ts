/** Errors answered by the HTTP layer itself, before or instead of Apollo, in GraphQL's shape. */
import type { Response } from 'express';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../errors';

export const ANSWERED_CODE = 'answeredCode';

/** Records the code of an answer decided before Apollo runs the operation (a limit, a refused token), for the request metrics. */
export function noteAnswer(res: Response, error: unknown): void {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  res.locals[ANSWERED_CODE] = typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

export function sendError(
  res: Response,
  status: number,
  code: ErrorCode | 'BAD_REQUEST',
  message: string,
  extensions: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  noteAnswer(res, { extensions: { code } });
  res.status(status).set(headers).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/**
 * A request Node refuses before any handler sees it: a head over its size limit (a GET whose query
 * string is too long) answers 431 in GraphQL's shape too, the rest 400; the connection closes.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    errors: [tooLarge
      ? { message: 'The request head (headers and URL) is too large; send the query in a POST body', extensions: { code: 'PAYLOAD_TOO_LARGE' } }
      : { message: 'The request cannot be read', extensions: { code: 'BAD_REQUEST' } }],
  });
  socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
