/**
 * CORS for browser frontends on other origins (a Vite dev server on http://localhost:5173): an
 * allow-list (CORS_ORIGINS), with credentials, so the session cookie (P6) travels with
 * `fetch(..., { credentials: 'include' })`. An origin off the list gets no CORS header at all, so
 * its browser keeps the answer from it. CSRF prevention stays on: a cross-origin POST still needs
 * the preflight that only a listed origin passes.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, answer) => answer(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST'],
    // What Apollo's CSRF prevention and our clients send; nothing else is needed.
    allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
}
